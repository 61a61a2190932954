"""Key corrections: fix a key in place and queue the regrade of every attempt that saw it.

The regrade itself runs in regrading.py, which the task calls: this module imports the
task and the task never imports this module, so there is no import circle."""

from django.db import transaction

from .. import tasks
from ..models import (
    Attempt,
    QuestionVersion,
    RegradeJob,
)
from .auditing import audit
from .questions import _check_question


@transaction.atomic
def question_correct_key(*, version: QuestionVersion, key: dict, by=None) -> RegradeJob:
    """Fix a wrong answer key in place and regrade every attempt that saw this version."""
    _check_question({**version.as_data(), "key": key})
    job = RegradeJob.objects.create(
        version=version, old_key=version.key, new_key=key, requested_by=by
    )
    version.key = key
    version.save(update_fields=["key"])
    job.total = version.attempt_questions.exclude(
        attempt__status=Attempt.Status.IN_PROGRESS
    ).count()
    job.save(update_fields=["total"])
    audit.record(
        audit.Action.KEY_CORRECTED,
        obj=version,
        actor=by,
        organization=version.question.bank.organization_id,
        before={"key": job.old_key},
        after={"key": key, "regrade_job": job.pk, "attempts": job.total},
    )
    transaction.on_commit(lambda: tasks.regrade.delay(job.pk))
    return job
