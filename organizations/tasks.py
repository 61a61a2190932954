"""Celery tasks: thin wrappers that take ids and call a service."""

from celery import shared_task

from . import notifications


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),  # SMTP refusals and connection errors (smtplib errors are OSError)
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=6,
)
def send_notification_email(user_id: int, kind: str, params: dict, url: str) -> bool:
    return notifications.email_send(user_id=user_id, kind=kind, params=params, url=url)
