"""Celery tasks: thin wrappers that take ids and call a service."""

from celery import shared_task

from . import rendering, retention
from .models import Certificate

RENDER_MAX_RETRIES = 5


@shared_task(
    bind=True,
    # A worker killed mid-render gives the message back rather than losing it.
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=RENDER_MAX_RETRIES,
)
def render_certificate(self, certificate_id: int) -> str:
    from .issuance import batches_refresh_for  # issuance queues this task

    try:
        state = rendering.certificate_render(certificate_id=certificate_id).render_state
    except Certificate.DoesNotExist:
        return "missing"
    except Exception:
        if self.request.retries >= self.max_retries:
            rendering.certificate_render_failed(certificate_id=certificate_id)
            batches_refresh_for(certificate_id)
        raise
    batches_refresh_for(certificate_id)
    return state


@shared_task
def sweep_pending_renders() -> int:
    """Queue again the renders that have been pending too long (a lost message, a dead worker)."""
    ids = rendering.stale_render_ids()
    for certificate_id in ids:
        render_certificate.delay(certificate_id)
    return len(ids)


@shared_task
def roll_up_verifications() -> int:
    """Fold anonymous verification rows past their retention period into daily counts."""
    return retention.anonymous_verifications_roll_up()
