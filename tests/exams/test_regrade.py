"""Correcting a wrong key regrades every submitted attempt, with an audit trail and progress."""

from decimal import Decimal

import pytest
from django.urls import reverse

from exams import kinds, services
from exams.models import Attempt, AttemptQuestion, RegradeJob, RegradeRecord
from exams.signals import attempt_result_changed
from tests.exams.conftest import build_exam
from tests.exams.test_marking import login


def key_form(version, key: dict) -> dict:
    """What the "Correct the key" page posts when a teacher marks this key in its form."""
    editor = kinds.get(version.question.kind).editor(
        content=version.content, key=key, key_only=True
    )
    return {**editor.as_post_data(), "confirm": "on"}


def answer_all(exam, student, choices: dict[int, str]) -> Attempt:
    """Sit the exam answering question `pk → choice` (default "b")."""
    attempt = services.attempt_start(student=student, exam=exam)
    for question in attempt.questions.select_related("version"):
        choice = choices.get(question.version.question_id, "b")
        services.answer_save(
            attempt=attempt, position=question.position, response={"choice": choice}, seq=1
        )
    return services.attempt_submit(attempt=attempt)


@pytest.fixture
def paper(school, government):
    """Four single-choice questions, all drawn into every paper; the key says "b"."""
    return build_exam(school=school, government=government, practicals=0, bank_extra=0)


@pytest.fixture
def results_changed():
    seen = []

    def receiver(sender, attempt, passed_before, **kwargs):
        seen.append((attempt.pk, passed_before, attempt.passed))

    attempt_result_changed.connect(receiver)
    yield seen
    attempt_result_changed.disconnect(receiver)


def test_a_corrected_key_regrades_every_submitted_attempt(
    client,
    paper,
    student,
    other_student,
    teacher,
    results_changed,
    django_capture_on_commit_callbacks,
):
    first, second = paper.banks.get().questions.order_by("pk")[:2]
    # The true answer of the first two questions is "c"; the key wrongly says "b".
    with django_capture_on_commit_callbacks(execute=True):
        knew = answer_all(paper, student, {first.pk: "c", second.pk: "c"})
        guessed = answer_all(paper, other_student, {})
    assert (knew.total_percent, knew.passed) == (Decimal("50.00"), False)
    assert (guessed.total_percent, guessed.passed) == (Decimal("100.00"), True)
    results_changed.clear()

    login(client, teacher)
    for question in (first, second):
        url = reverse("exams:correct_key", args=[question.current_version_id])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, key_form(question.current_version, {"correct": "c"}))
        job = RegradeJob.objects.latest("pk")
        assert response.status_code == 302
        assert response["Location"] == reverse("exams:regrade_progress", args=[job.pk])

    knew.refresh_from_db()
    guessed.refresh_from_db()
    assert (knew.total_percent, knew.passed) == (Decimal("100.00"), True)
    assert (guessed.total_percent, guessed.passed) == (Decimal("50.00"), False)
    flips = [change for change in results_changed if change[1] != change[2]]
    assert sorted(flips) == sorted([(guessed.pk, True, False), (knew.pk, False, True)])
    # Every score change is announced too (LTI posts new scores back).
    assert {pk for pk, _before, _after in results_changed} == {guessed.pk, knew.pk}

    # The second job's audit: old and new totals and the flip of pass and fail.
    records = {r.attempt_id: r for r in job.records.all()}
    assert records[knew.pk].old_total == Decimal("75.00")
    assert records[knew.pk].new_total == Decimal("100.00")
    assert (records[knew.pk].old_passed, records[knew.pk].new_passed) == (True, True)
    assert records[guessed.pk].old_total == Decimal("75.00")
    assert records[guessed.pk].new_total == Decimal("50.00")
    assert (records[guessed.pk].old_passed, records[guessed.pk].new_passed) == (True, False)
    assert records[guessed.pk].old_points == Decimal("2.00")
    assert records[guessed.pk].new_points == Decimal("0.00")

    progress = client.get(reverse("exams:regrade_progress", args=[job.pk]), {"format": "json"})
    assert progress.json() == {"done": 2, "total": 2, "status": "done"}
    text = client.get(reverse("exams:regrade_progress", args=[job.pk])).content.decode()
    assert "75.00 → 50.00" in text and "75.00 → 100.00" in text
    assert "1 attempt changed between pass and fail." in text
    assert "Li Lei" in text  # the audit names whose result changed


def test_regrading_leaves_open_attempts_alone(
    paper, student, other_student, teacher, django_capture_on_commit_callbacks
):
    question = paper.banks.get().questions.order_by("pk").first()
    done = answer_all(paper, student, {})
    open_attempt = services.attempt_start(student=other_student, exam=paper)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.question_correct_key(
            version=question.current_version, key={"correct": "a"}, by=teacher
        )
    job.refresh_from_db()
    assert (job.total, job.done, job.status) == (1, 1, RegradeJob.Status.DONE)
    assert list(job.records.values_list("attempt_id", flat=True)) == [done.pk]
    open_attempt.refresh_from_db()
    assert open_attempt.is_open
    # The open attempt's question will be graded on the corrected key at submission.
    assert AttemptQuestion.objects.filter(attempt=open_attempt, points__isnull=False).count() == 0


def test_running_a_regrade_twice_changes_nothing(
    paper, student, teacher, django_capture_on_commit_callbacks
):
    question = paper.banks.get().questions.order_by("pk").first()
    answer_all(paper, student, {})
    with django_capture_on_commit_callbacks(execute=True):
        job = services.question_correct_key(
            version=question.current_version, key={"correct": "a"}, by=teacher
        )
    services.regrade_run(job_id=job.pk)
    assert RegradeRecord.objects.filter(job=job).count() == 1


def test_progress_is_shown_to_the_banks_authors_only(
    client, paper, student, teacher, outsider, mentor, django_capture_on_commit_callbacks
):
    question = paper.banks.get().questions.order_by("pk").first()
    answer_all(paper, student, {})
    with django_capture_on_commit_callbacks(execute=True):
        job = services.question_correct_key(
            version=question.current_version, key={"correct": "a"}, by=teacher
        )
    url = reverse("exams:regrade_progress", args=[job.pk])
    for user in (outsider, mentor):
        login(client, user)
        assert client.get(url).status_code == 404
        assert client.get(url, {"format": "json"}).status_code == 404
    text = login(client, teacher).get(url).content.decode()
    assert "staff.js" in text and 'data-poll-url="' in text


def test_progress_json_reports_a_pending_job(client, paper, student, teacher):
    question = paper.banks.get().questions.order_by("pk").first()
    answer_all(paper, student, {})
    # Without running the commit callbacks the task has not started yet.
    job = services.question_correct_key(
        version=question.current_version, key={"correct": "a"}, by=teacher
    )
    response = login(client, teacher).get(
        reverse("exams:regrade_progress", args=[job.pk]), {"format": "json"}
    )
    assert response.json() == {"done": 0, "total": 1, "status": "pending"}
