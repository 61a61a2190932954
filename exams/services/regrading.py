"""Regrading: apply a corrected key to every submitted attempt (the regrade task runs this)."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .. import grading
from ..models import (
    Attempt,
    AttemptQuestion,
    RegradeJob,
    RegradeRecord,
)
from .attempts import _finalize, _grade_objective
from .auditing import audit


def regrade_run(*, job_id: int, chunk: int = 200) -> RegradeJob:
    """Apply a key correction to every submitted attempt (idempotent: done ones are skipped)."""
    job = RegradeJob.objects.select_related("version__question").get(pk=job_id)
    if job.status == RegradeJob.Status.DONE:
        return job
    RegradeJob.objects.filter(pk=job.pk).update(status=RegradeJob.Status.RUNNING)
    todo = (
        job.version.attempt_questions.exclude(attempt__status=Attempt.Status.IN_PROGRESS)
        .exclude(attempt__in=job.records.values("attempt"))
        .values_list("pk", flat=True)
    )
    pending = list(todo)
    for start in range(0, len(pending), chunk):
        with transaction.atomic():
            for question in AttemptQuestion.objects.select_related(
                "attempt__exam__skill_level", "version__question"
            ).filter(pk__in=pending[start : start + chunk]):
                _regrade_one(job, question)
            RegradeJob.objects.filter(pk=job.pk).update(done=job.records.count())
    with transaction.atomic():
        # Locked so that two runs of the same job finish it (and file its entry) once.
        if RegradeJob.objects.select_for_update().get(pk=job.pk).status == RegradeJob.Status.DONE:
            job.refresh_from_db()
            return job
        records = job.records.all()
        RegradeJob.objects.filter(pk=job.pk).update(
            status=RegradeJob.Status.DONE, finished_at=timezone.now(), done=records.count()
        )
        job.refresh_from_db()
        audit.record(
            audit.Action.REGRADE_FINISHED,
            obj=job,
            actor=job.requested_by,
            organization=job.version.question.bank.organization_id,
            after={
                "attempts": job.done,
                "results_changed": records.exclude(new_passed=F("old_passed")).count(),
                "totals_changed": records.exclude(new_total=F("old_total")).count(),
            },
        )
    return job


def _regrade_one(job: RegradeJob, question: AttemptQuestion) -> None:
    attempt = Attempt.objects.select_for_update().get(pk=question.attempt_id)
    old = (question.points, attempt.total_percent, attempt.passed)
    if question.kind not in grading.MANUAL_KINDS:
        _grade_objective(question)
        question.save(update_fields=["auto_points", "points", "is_correct", "needs_marking"])
    elif question.auto_points is not None:
        _rescore_automatic(question)
    if attempt.status == Attempt.Status.GRADED:
        _finalize(attempt, list(attempt.questions.all()), now=timezone.now())
    RegradeRecord.objects.create(
        job=job,
        attempt=attempt,
        old_points=old[0],
        new_points=question.points,
        old_total=old[1],
        new_total=attempt.total_percent,
        old_passed=old[2],
        new_passed=attempt.passed,
    )


def _rescore_automatic(question: AttemptQuestion) -> None:
    """A manual kind's automatic criteria (a listing's) under the corrected key; the
    people's marks stay as they are and the settled points move by the difference."""
    version = question.version
    result = grading.grade(
        version.question.kind,
        content=version.content,
        key=version.key,
        response=question.response,
        max_points=question.max_points,
    )
    if result.points is None:
        return
    if question.points is not None:
        question.points += result.points - question.auto_points
    question.auto_points = result.points
    question.save(update_fields=["auto_points", "points"])
