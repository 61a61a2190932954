"""Exam results enter the learning records when the student may see them, and a released
result changed later is voided and recorded again (xAPI 2.0 voiding)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from exams import services as exam_services
from exams.models import Attempt, Exam
from exams.services.notices import held_results_announce
from reports import lrs
from reports.models import Statement
from tests.exams.conftest import build_exam
from tests.exams.test_regrade import answer_all
from tests.reports.lrs_sim import VOIDED, Invalid, SimulatedLRS, validate
from tests.reports.test_learning_records import live_lrs  # noqa: F401

RESULTS = ["passed", "failed"]


def results(attempt) -> list[Statement]:
    return list(
        Statement.objects.filter(source="attempt", source_id=attempt.pk)
        .exclude(verb="attempted")
        .order_by("stored_at")
    )


def _paper(school, government, **fields) -> Exam:
    """Four single-choice questions, all drawn; the key says "b"."""
    return build_exam(school=school, government=government, practicals=0, bank_extra=0, **fields)


@pytest.fixture
def held_exam(school, government):
    """Results wait until the exam closes, in three days."""
    return _paper(
        school, government, release_results=False, closes_at=timezone.now() + timedelta(days=3)
    )


@pytest.fixture
def open_exam(school, government):
    return _paper(school, government)


def questions(exam) -> list:
    return list(exam.banks.get().questions.order_by("pk"))


def correct_key(question, callbacks, answer="c"):
    """The question's true answer is `answer`: its key is corrected, attempts regraded."""
    with callbacks(execute=True):
        exam_services.question_correct_key(
            version=question.current_version, key={"correct": answer}
        )


def sit_failing_one_in_four(exam, student):
    """75 %, passed (the pass mark is 60 %); correcting the second key makes it 50 %, failed."""
    return answer_all(exam, student, {questions(exam)[0].pk: "c"})


# --- Not before the release -----------------------------------------------------------------


def test_a_graded_result_held_by_its_exam_is_not_recorded(student, held_exam):
    attempt = answer_all(held_exam, student, {})

    assert attempt.status == Attempt.Status.GRADED and attempt.passed
    assert not attempt.results_released()
    assert list(Statement.objects.values_list("verb", flat=True)) == ["attempted"]


def test_the_close_releases_it_once_at_the_close(student, other_student, held_exam):
    passed = answer_all(held_exam, student, {})
    failed = answer_all(held_exam, other_student, {q.pk: "a" for q in questions(held_exam)})
    closes = timezone.now() - timedelta(seconds=1)
    Exam.objects.filter(pk=held_exam.pk).update(closes_at=closes)
    Attempt.objects.filter(exam=held_exam).update(graded_at=closes - timedelta(hours=1))

    held_results_announce()
    held_results_announce()

    [result] = results(passed)
    assert result.verb == "passed" and result.timestamp == closes
    assert result.data["result"]["success"] is True
    validate(result.data)
    assert [s.verb for s in results(failed)] == ["failed"]
    assert Statement.objects.filter(verb__in=RESULTS).count() == 2


def test_a_teacher_showing_held_results_releases_them_then(student, held_exam):
    attempt = answer_all(held_exam, student, {})
    before = timezone.now()

    exam_services.exam_save(exam=held_exam, fields={"release_results": True})
    exam_services.exam_save(exam=held_exam, fields={"title_en": "Level 1 exam (resit)"})

    [result] = results(attempt)
    assert result.verb == "passed"
    assert result.timestamp >= before


def test_an_exam_showing_results_at_once_records_them_at_grading(student, open_exam):
    attempt = answer_all(open_exam, student, {})

    [result] = results(attempt)
    assert (result.verb, result.timestamp) == ("passed", attempt.graded_at)


def test_a_result_changed_before_its_release_is_recorded_once_as_it_ends(
    student, held_exam, django_capture_on_commit_callbacks
):
    attempt = sit_failing_one_in_four(held_exam, student)
    correct_key(questions(held_exam)[1], django_capture_on_commit_callbacks)
    attempt.refresh_from_db()
    assert (attempt.passed, attempt.total_percent) == (False, Decimal("50.00"))
    assert results(attempt) == []

    Exam.objects.filter(pk=held_exam.pk).update(closes_at=timezone.now())
    held_results_announce()

    [result] = results(attempt)
    assert result.verb == "failed"
    assert result.data["result"]["score"]["raw"] == 50.0


# --- Changed after the release: voided and recorded again -------------------------------------


def test_a_regrade_after_release_voids_the_old_result_and_records_the_new(
    student, open_exam, django_capture_on_commit_callbacks
):
    attempt = sit_failing_one_in_four(open_exam, student)
    [passed] = results(attempt)

    correct_key(questions(open_exam)[1], django_capture_on_commit_callbacks)

    attempt.refresh_from_db()
    assert attempt.passed is False
    voiding, failed = results(attempt)[1:]
    assert voiding.verb == "voided"
    assert voiding.voids == passed
    assert voiding.data["verb"]["id"] == VOIDED
    assert voiding.data["object"] == {"objectType": "StatementRef", "id": str(passed.pk)}
    assert (voiding.school_id, voiding.owner_id, voiding.person) == (
        passed.school_id,
        passed.owner_id,
        student,
    )
    assert failed.verb == "failed"
    assert failed.data["result"]["score"]["raw"] == 50.0
    assert failed.timestamp >= voiding.timestamp >= passed.timestamp
    for statement in (voiding, failed):
        validate(statement.data)
    # The current result: the failed one alone.
    passed.refresh_from_db()
    assert passed.voided_by == voiding
    assert not Statement.objects.filter(pk=failed.pk, voided_by__isnull=False).exists()


def test_a_regrade_changing_only_the_score_is_voided_too(
    student, open_exam, django_capture_on_commit_callbacks
):
    attempt = answer_all(open_exam, student, {})

    correct_key(questions(open_exam)[0], django_capture_on_commit_callbacks)

    attempt.refresh_from_db()
    assert (attempt.passed, attempt.total_percent) == (True, Decimal("75.00"))
    assert [s.verb for s in results(attempt)] == ["passed", "voided", "passed"]
    assert results(attempt)[-1].data["result"]["score"]["raw"] == 75.0


def test_a_regrade_changing_nothing_writes_nothing(
    student, open_exam, django_capture_on_commit_callbacks
):
    attempt = sit_failing_one_in_four(open_exam, student)
    before = [s.pk for s in results(attempt)]

    # The third question's key is confirmed as it was: scores stand.
    correct_key(questions(open_exam)[2], django_capture_on_commit_callbacks, answer="b")

    assert [s.pk for s in results(attempt)] == before
    assert Statement.objects.filter(verb="voided").count() == 0


# --- The LRS ----------------------------------------------------------------------------------


def test_the_simulated_lrs_accepts_the_voiding_and_keeps_the_new_result(
    live_lrs,  # noqa: F811
    student,
    open_exam,
    django_capture_on_commit_callbacks,
):
    attempt = sit_failing_one_in_four(open_exam, student)
    lrs.forward_pending()
    [passed] = results(attempt)
    assert str(passed.pk) in live_lrs.current()

    correct_key(questions(open_exam)[1], django_capture_on_commit_callbacks)
    assert lrs.forward_pending().sent == 2

    assert live_lrs.rejections == []
    assert str(passed.pk) in live_lrs.voided
    current = [_verb(s) for s in live_lrs.current().values()]
    assert sorted(current) == ["attempted", "failed"]


def test_a_voiding_statement_waits_for_the_statement_it_voids(
    live_lrs,  # noqa: F811
    student,
    open_exam,
    django_capture_on_commit_callbacks,
    settings,
):
    attempt = sit_failing_one_in_four(open_exam, student)
    correct_key(questions(open_exam)[1], django_capture_on_commit_callbacks)
    passed, voiding, _failed = results(attempt)
    # The voided statement failed to go through once and waits out its back-off.
    later = timezone.now() + timedelta(minutes=5)
    Statement.objects.filter(pk=passed.pk).update(attempts=1, next_attempt_at=later)

    lrs.forward_pending()
    assert str(voiding.pk) not in live_lrs.statements
    assert Statement.objects.get(pk=voiding.pk).forwarded_at is None

    lrs.forward_pending(now=later)
    order = list(live_lrs.statements)
    assert order.index(str(passed.pk)) < order.index(str(voiding.pk))
    assert live_lrs.rejections == []


def _verb(statement: dict) -> str:
    return statement["verb"]["id"].rstrip("/").rsplit("/", 1)[1]


def test_the_simulated_lrs_holds_the_xapi_voiding_rules():
    sim = SimulatedLRS()
    target = "5f0c1c8e-6a57-4d43-9a3f-1b2c3d4e5f60"
    voiding = {
        "id": "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "actor": {"account": {"homePage": "https://lms.example/", "name": "platform"}},
        "verb": {"id": VOIDED},
        "object": {"objectType": "StatementRef", "id": target},
        "timestamp": "2026-12-06T20:07:00.000Z",
        "version": "2.0.0",
    }
    validate(voiding)  # a target the LRS does not hold is still accepted
    with pytest.raises(Invalid):
        validate({**voiding, "object": {"objectType": "Activity", "id": "https://x.example/a"}})
    with pytest.raises(Invalid):
        validate({**voiding, "object": {"objectType": "StatementRef", "id": "not-a-uuid"}})
    assert sim._post([voiding])[0] == 200
    again = {**voiding, "id": "8b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e"}
    again["object"] = {"objectType": "StatementRef", "id": voiding["id"]}
    status, body = sim._post([again])
    assert status == 400 and "cannot be voided" in body["error"]
