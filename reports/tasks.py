"""Celery tasks of the statistics: thin wrappers over reports.rollups."""

from celery import shared_task

from . import lrs, rollups, services


@shared_task(acks_late=True)
def refresh_statistics(refresh_id: int | None = None) -> int:
    """Rebuild the precomputed facts: the nightly beat run (no id) or a regulator's request."""
    if refresh_id is None:
        refresh, created = rollups.refresh_request()
        if not created:
            return refresh.pk
        refresh_id = refresh.pk
    refresh = rollups.refresh_run(refresh_id)
    services.warm_defaults()
    return refresh.pk


@shared_task(acks_late=True)
def forward_statements() -> int:
    """Forward the learning records due to the configured LRS (a beat sweep, every minute).

    Retries are the rows' own: a failed statement waits out its back-off (reports.lrs) and
    the next sweep sends it again, so a worker restart loses nothing.
    """
    return lrs.forward_pending().sent
