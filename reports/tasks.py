"""Celery tasks of the statistics: thin wrappers over reports.rollups."""

from celery import shared_task

from . import rollups, services


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
