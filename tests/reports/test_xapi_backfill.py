"""The backfill: past events without learning records get theirs, once, with the live builders."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from certificates.models import Certificate
from courses.models import Enrollment
from exams.models import Attempt
from reports import backfill, lrs
from reports.models import Statement
from tests.exams.conftest import build_exam
from tests.reports.lrs_sim import validate
from tests.reports.test_learning_records import journey, live_lrs, no_renders, sit  # noqa: F401


def _without_id(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "id"}


def expected_events() -> set[tuple]:
    """(verb, source, row, timestamp) for every past event, from the rows themselves."""
    found = set()
    for e in Enrollment.objects.all():
        found.add(("registered", "enrollment", e.pk, e.enrolled_at))
        if e.completed_at is not None:
            found.add(("completed", "enrollment", e.pk, e.completed_at))
    now = timezone.now()
    for a in Attempt.objects.select_related("exam"):
        if a.submitted_at is not None:
            found.add(("attempted", "attempt", a.pk, a.submitted_at))
        if a.results_released(now):
            held = not a.exam.release_results and a.exam.closes_at
            moment = max(a.graded_at, a.exam.closes_at) if held else a.graded_at
            found.add(("passed" if a.passed else "failed", "attempt", a.pk, moment))
    for c in Certificate.objects.all():
        found.add(("issued", "certificate", c.pk, c.created_at))
        if c.status == Certificate.Status.REVOKED:
            found.add(("revoked", "certificate", c.pk, c.status_changed_at))
    return found


def written() -> set[tuple]:
    return set(Statement.objects.values_list("verb", "source", "source_id", "timestamp"))


@pytest.fixture
def history(
    student,
    other_student,
    course,
    theory_exam,
    regulator,
    school,
    government,
    django_capture_on_commit_callbacks,
    no_renders,  # noqa: F811
):
    """A journey (enrolled … certificate revoked), a failed attempt, an attempt waiting for
    marking, and a graded attempt whose exam holds results until it closes; then the
    statements are taken away, as on a database from before learning records."""
    journey(student, course, theory_exam, regulator, django_capture_on_commit_callbacks)
    sit(other_student, theory_exam, correct=False)
    marked = build_exam(school=school, government=government, practicals=1)
    waiting = sit(other_student, marked)
    # Its practical task waits for a teacher and a mentor (the rows as marking leaves them).
    Attempt.objects.filter(pk=waiting.pk).update(
        status=Attempt.Status.SUBMITTED, graded_at=None, passed=None, total_percent=None
    )
    held = build_exam(
        school=school,
        government=government,
        practicals=0,
        release_results=False,
        closes_at=timezone.now() + timedelta(days=3),
    )
    sit(student, held)
    live = {(s.verb, s.source, s.source_id): _without_id(s.data) for s in Statement.objects.all()}
    Statement.objects.all().delete()
    return live


def test_past_events_get_exactly_their_statements(history):
    progress = backfill.backfill(batch_size=2)

    expected = expected_events()
    assert written() == expected
    assert progress.total == len(expected) == Statement.objects.count()
    verbs = sorted(v for v, *_ in expected)
    # Independently of the rule above: what the rows hold.
    assert verbs == sorted(
        ["registered", "completed", "attempted", "passed", "issued", "revoked"]
        + ["attempted", "failed"]  # the other student's failed attempt
        + ["attempted"]  # waiting for marking: no result yet
        + ["attempted"]  # graded, but its exam holds results: no result yet
    )
    for statement in Statement.objects.all():
        validate(statement.data)


def test_the_statements_are_the_ones_the_live_signals_wrote(history):
    backfill.backfill()

    for statement in Statement.objects.all():
        key = (statement.verb, statement.source, statement.source_id)
        live = dict(history[key])
        backfilled = _without_id(statement.data)
        # The event's own time; the live "registered" statement took the clock a moment later.
        if statement.verb == "registered":
            live.pop("timestamp"), backfilled.pop("timestamp")
        assert backfilled == live, key


def test_a_second_run_adds_nothing(history):
    first = backfill.backfill()
    ids = set(Statement.objects.values_list("pk", flat=True))

    second = backfill.backfill()

    assert first.total > 0
    assert second.total == 0
    assert set(Statement.objects.values_list("pk", flat=True)) == ids


def test_events_that_have_their_statement_are_skipped(
    student,
    course,
    theory_exam,
    regulator,
    django_capture_on_commit_callbacks,
    no_renders,  # noqa: F811
):
    journey(student, course, theory_exam, regulator, django_capture_on_commit_callbacks)
    Statement.objects.filter(verb__in=["completed", "issued"]).delete()
    kept = set(Statement.objects.values_list("pk", flat=True))

    progress = backfill.backfill()

    assert progress.total == 2
    assert {v for v, n in progress.written.items() if n} == {"completed", "issued"}
    assert kept < set(Statement.objects.values_list("pk", flat=True))
    assert sorted(Statement.objects.exclude(pk__in=kept).values_list("verb", flat=True)) == [
        "completed",
        "issued",
    ]


def test_the_ids_are_derived_so_a_concurrent_run_cannot_write_twice(history):
    backfill.backfill()
    first = set(Statement.objects.values_list("pk", flat=True))
    Statement.objects.all().delete()

    backfill.backfill()

    assert set(Statement.objects.values_list("pk", flat=True)) == first


def test_a_result_released_later_is_backfilled_once_its_exam_closes(history):
    backfill.backfill()
    held = Attempt.objects.get(exam__release_results=False)
    assert held.status == Attempt.Status.GRADED
    assert list(
        Statement.objects.filter(source="attempt", source_id=held.pk).values_list("verb", flat=True)
    ) == ["attempted"]
    closes = timezone.now() - timedelta(minutes=1)
    type(held.exam).objects.filter(pk=held.exam_id).update(closes_at=closes)
    # Graded an hour before the close: the student saw the result at the close.
    Attempt.objects.filter(pk=held.pk).update(graded_at=closes - timedelta(hours=1))

    progress = backfill.backfill()

    assert progress.written["result"] == 1
    result = Statement.objects.get(source="attempt", source_id=held.pk, verb="passed")
    assert result.timestamp == closes


def test_the_statements_pass_the_simulated_lrs(history, live_lrs):  # noqa: F811
    backfill.backfill()

    outcome = lrs.forward_pending()

    assert live_lrs.rejections == []
    assert outcome.sent == Statement.objects.count() > 0
    assert set(live_lrs.statements) == {
        str(pk) for pk in Statement.objects.values_list("pk", flat=True)
    }


def test_the_command_reports_progress_per_batch(history):
    out = StringIO()

    call_command("xapi_backfill", "--batch-size", "1", stdout=out)

    lines = out.getvalue().splitlines()
    assert "registered: 1/1" in lines
    assert [line for line in lines if line.startswith("attempted:")] == [
        "attempted: 1/4",
        "attempted: 2/4",
        "attempted: 3/4",
        "attempted: 4/4",
    ]
    assert lines[-1].startswith(f"Statements written: {Statement.objects.count()} (")

    again = StringIO()
    call_command("xapi_backfill", stdout=again)
    assert again.getvalue().splitlines()[-1].startswith("Statements written: 0 (")


def test_a_batch_is_all_or_nothing(history, monkeypatch):
    calls = {"n": 0}
    real = Statement.objects.bulk_create

    def failing(objs, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("the database went away")
        return real(objs, **kwargs)

    monkeypatch.setattr(Statement.objects, "bulk_create", failing)
    with pytest.raises(RuntimeError):
        backfill.backfill(batch_size=1)

    # The first batch (one enrolment) stays; the failed one left nothing; a new run finishes.
    assert Statement.objects.count() == 1
    monkeypatch.setattr(Statement.objects, "bulk_create", real)
    backfill.backfill()
    assert written() == expected_events()
