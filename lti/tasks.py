"""Celery tasks: thin wrappers that take ids and call a service."""

import logging
import threading

from celery import shared_task
from django.db import connections

from . import grades, roster, services
from .models import GradeSubmission

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def grade_send(submission_id: int) -> str:
    """Send one score if it is due; after a transient failure, come back when it is due again."""
    try:
        return grades.grade_submission_send(submission_id=submission_id).status
    except grades.RetryLater as later:
        send_later(submission_id, later.countdown)
        return GradeSubmission.Status.PENDING


def send_later(submission_id: int, countdown: float) -> None:
    """Try the submission again after `countdown` seconds.

    With a broker, beat's sweep (grades_sweep, every minute) sends every due row, so
    nothing is queued here. Without one (`make run`) there is no beat: a timer in this
    process sends it instead. The row stays the truth either way: if the process ends
    first, the next sweep or `manage.py lti_send_due_grades` sends it.
    """
    if not grade_send.app.conf.task_always_eager:
        return
    start_timer(countdown, _send_in_thread, submission_id)


def _timer(countdown: float, function, *args) -> None:
    timer = threading.Timer(countdown, function, args=args)
    timer.daemon = True
    timer.start()


start_timer = _timer  # tests replace it to run or record the retry


def _send_in_thread(submission_id: int) -> None:
    try:
        grade_send(submission_id)
    except Exception:
        logger.exception("LTI grade %s not sent from the in-process retry.", submission_id)
    finally:
        connections.close_all()  # this thread's connections only


@shared_task
def grades_sweep() -> int:
    """Send every submission whose next try has come (lost messages, retries, restarts)."""
    ids = grades.grades_due()
    for submission_id in ids:
        grade_send.delay(submission_id)
    return len(ids)


@shared_task
def grades_release_held() -> int:
    ids = grades.grades_release_held()
    for submission_id in ids:
        grade_send.delay(submission_id)
    return len(ids)


@shared_task
def roster_sync(context_id: int) -> str:
    """Sync one platform course's roster; a failure is recorded on the context, not raised."""
    try:
        report = roster.roster_sync(context_id=context_id)
    except roster.RosterError as exc:
        return f"error: {exc}"
    return f"{report.members} members, {report.enrolled} enrolled, {report.withdrawn} withdrawn"


@shared_task
def purge_expired() -> int:
    return services.purge_expired()
