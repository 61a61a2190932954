"""Celery tasks: thin wrappers that take ids and call a service."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def regrade(job_id: int) -> int:
    return services.regrade_run(job_id=job_id).done


@shared_task
def expire_overdue_attempts() -> int:
    return services.expire_overdue_attempts()


@shared_task(acks_late=True)
def import_questions(job_id: int) -> str:
    from .imports import import_run

    return import_run(job_id=job_id).status
