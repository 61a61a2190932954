"""A worker SIGKILLed while it submits the open attempts of an ended sitting: ending the
sitting again (the console's "Submit the remaining attempts again") submits the rest, each
attempt once, with the time the sitting ended."""

import pytest

from exams import services
from exams.models import Attempt, Sitting
from exams.services.sittings import END_DELAY_ENV, end_sitting
from exams.tasks import submit_sitting_attempts
from organizations.models import AuditEntry
from tests import factories
from tests.exams.conftest import build_exam
from tests.faults.workers import Worker, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.celery_worker, pytest.mark.postgres]

CANDIDATES = 8


@pytest.mark.django_db(transaction=True)
def test_a_killed_ending_is_resumed_and_submits_each_attempt_once(
    broker, media_root, tmp_path, school, government, teacher, budget
):
    from django.utils import timezone

    exam = build_exam(school=school, government=government, practicals=0)
    sitting = Sitting.objects.create(
        exam=exam, starts_at=timezone.now(), duration_minutes=60, place="Hall"
    )
    students = [factories.person(f"cand{n}", school, "student") for n in range(CANDIDATES)]
    sitting.candidates.add(*students)
    for student in students:
        services.attempt_start(student=student, exam=exam)
    attempts = Attempt.objects.filter(exam=exam)
    doomed = Worker(
        "doomed", media_root, tmp_path, broker_url=broker.url(0), **{END_DELAY_ENV: "0.5"}
    )
    workers = [doomed]
    try:
        ended = end_sitting(sitting=sitting, actor=teacher)  # queues the task on commit
        wait_for(
            lambda: attempts.exclude(status=Attempt.Status.IN_PROGRESS).count() >= 2,
            timeout=budget.left(60),
            what="the doomed worker to submit two attempts",
            workers=workers,
        )
        doomed.kill()
        wait_for(lambda: not doomed.group(), timeout=10, what="the whole worker to die")
        half = attempts.exclude(status=Attempt.Status.IN_PROGRESS).count()
        assert 2 <= half < CANDIDATES, "the kill came too late to test anything"
        assert Sitting.objects.get(pk=sitting.pk).end_status == "running"

        fresh = Worker("fresh", media_root, tmp_path, broker_url=broker.url(0))
        workers.append(fresh)
        end_sitting(sitting=sitting, actor=teacher)  # "submit the remaining attempts again"
        submit_sitting_attempts.delay(sitting.pk)  # and a duplicate delivery
        wait_for(
            lambda: (
                broker.queue_length() == 0
                and fresh.settled()
                and Sitting.objects.get(pk=sitting.pk).end_status == "done"
            ),
            timeout=budget.left(60),
            what="the ending to finish",
            workers=workers,
        )
    finally:
        for worker in workers:
            worker.stop()

    assert attempts.count() == CANDIDATES
    assert not attempts.filter(status=Attempt.Status.IN_PROGRESS).exists()
    assert set(attempts.values_list("submitted_at", flat=True)) == {ended.ended_at}
    assert set(attempts.values_list("auto_submitted", flat=True)) == {True}
    sitting.refresh_from_db()
    assert (sitting.end_done, sitting.end_total) == (CANDIDATES, CANDIDATES)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SITTING_ENDED).count() == 1
