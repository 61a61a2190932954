"""Celery tasks: thin wrappers that take ids and call a service."""

from celery import shared_task

from . import grades, services


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(grades.RetryLater,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=5,
)
def grade_send(self, submission_id: int) -> str:
    """Send one score; a platform error retries with backoff, the last try records failure."""
    final_try = self.request.retries >= self.max_retries
    return grades.grade_submission_send(submission_id=submission_id, final_try=final_try).status


@shared_task
def grades_release_held() -> int:
    ids = grades.grades_release_held()
    for submission_id in ids:
        grade_send.delay(submission_id)
    return len(ids)


@shared_task
def purge_expired() -> int:
    return services.purge_expired()
