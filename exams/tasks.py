"""Celery tasks: thin wrappers that take ids and call the module that does the work.

They import the working modules (regrading, attempts, imports), never the ones that
queue them (regrades, imports' start), so tasks and services form no circle.
"""

from celery import shared_task

from .services.attempts import expire_overdue_attempts as expire_attempts
from .services.regrading import regrade_run


@shared_task(acks_late=True)
def regrade(job_id: int) -> int:
    return regrade_run(job_id=job_id).done


@shared_task
def expire_overdue_attempts() -> int:
    return expire_attempts()


@shared_task(acks_late=True)
def import_questions(job_id: int) -> str:
    from .imports import import_run

    return import_run(job_id=job_id).status


@shared_task(acks_late=True)
def draw_sitting_papers(sitting_id: int) -> int:
    """Draw and freeze the papers of a sitting's roster; safe to run again after a kill."""
    from .services.sittings import draw_papers

    return draw_papers(sitting_id).papers_drawn


@shared_task(acks_late=True)
def submit_sitting_attempts(sitting_id: int) -> int:
    """Submit the attempts still open in an ended sitting; safe to run again after a kill."""
    from .services.sittings import submit_open_attempts

    return submit_open_attempts(sitting_id).end_done


@shared_task
def announce_held_results() -> int:
    """Tell students their results are out once an exam that held them has closed."""
    from .services.notices import held_results_announce

    return held_results_announce()
