"""Rebuild the precomputed facts (reports.models.Fact) from the live tables.

One step per kind of fact, each an INSERT ... SELECT of the queryset that
reports.definitions.fact_querysets builds from the figures' own definitions, each committed
with the refresh's progress so that the page's progress bar moves. Readers count the facts
of the latest finished refresh only; a new refresh's rows become visible when it finishes,
and the older rows are deleted then.
"""

import logging
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .definitions import fact_querysets, firsts_sql
from .models import Fact, Refresh

logger = logging.getLogger(__name__)
# A refresh queued or running for longer than this is taken for dead.
STALE_AFTER = timedelta(hours=3)

FACT_COLUMNS = [
    "kind",
    "standard",
    "level",
    "school_id",
    "partner_id",
    "region",
    "cohort_id",
    "owner_id",
    "verifying_enterprise_id",
    "graded",
    "passed",
    "first",
    "status",
    "expires_on",
    "weight",
    "day",
    "month",
    "row_id",
    "person_id",
]


def latest_done() -> Refresh | None:
    return Refresh.objects.filter(status=Refresh.Status.DONE).order_by("-finished_at").first()


def in_progress() -> Refresh | None:
    return (
        Refresh.objects.filter(status__in=[Refresh.Status.QUEUED, Refresh.Status.RUNNING])
        .order_by("-created_at")
        .first()
    )


def refresh_request(*, by=None) -> tuple[Refresh, bool]:
    """A new refresh, or the one already queued or running (and False)."""
    with transaction.atomic():
        # One refresh at a time: the row lock makes two clicks queue one refresh.
        running = (
            Refresh.objects.select_for_update()
            .filter(status__in=[Refresh.Status.QUEUED, Refresh.Status.RUNNING])
            .order_by("-created_at")
            .first()
        )
        if running is not None and running.created_at > timezone.now() - STALE_AFTER:
            return running, False
        if running is not None:  # its worker died: it will never finish
            Refresh.objects.filter(pk=running.pk).update(
                status=Refresh.Status.FAILED, finished_at=timezone.now(), error="stale"
            )
            Fact.objects.filter(refresh_id=running.pk).delete()
        refresh = Refresh.objects.create(requested_by=by, total=len(fact_querysets()))
    return refresh, True


def refresh_run(refresh_id: int) -> Refresh:
    """Write every fact for the refresh, step by step; on failure the refresh is marked
    failed and its rows deleted (the figures shown stay those of the previous refresh)."""
    refresh = Refresh.objects.get(pk=refresh_id)
    if refresh.status not in (Refresh.Status.QUEUED, Refresh.Status.RUNNING):
        return refresh
    steps = fact_querysets()
    Refresh.objects.filter(pk=refresh.pk).update(
        status=Refresh.Status.RUNNING, started_at=timezone.now(), total=len(steps), done=0
    )
    table = connection.ops.quote_name(Fact._meta.db_table)
    names = ["refresh_id", *FACT_COLUMNS, "firsts"]
    columns = ", ".join(connection.ops.quote_name(c) for c in names)
    selected = ", ".join(connection.ops.quote_name(f"f_{c}") for c in FACT_COLUMNS)
    rows = 0
    try:
        for done, (kind, queryset) in enumerate(steps, start=1):
            select = queryset.values(*[f"f_{name}" for name in FACT_COLUMNS])
            sql, params = select.query.sql_with_params()
            firsts = firsts_sql(kind, lambda name: connection.ops.quote_name(f"f_{name}"))
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) "  # noqa: S608
                    f"SELECT %s, {selected}, {firsts} FROM ({sql}) AS facts",
                    [refresh.pk, *params],
                )
                rows += cursor.rowcount
                Refresh.objects.filter(pk=refresh.pk).update(done=done, rows=rows)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh statistics for the planner
                cursor.execute(f"ANALYZE {table}")
        with transaction.atomic():
            Refresh.objects.filter(pk=refresh.pk).update(
                status=Refresh.Status.DONE, finished_at=timezone.now()
            )
    except Exception as error:
        logger.exception("Statistics refresh %s failed.", refresh.pk)
        Fact.objects.filter(refresh_id=refresh.pk).delete()
        Refresh.objects.filter(pk=refresh.pk).update(
            status=Refresh.Status.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        raise
    # The new facts are read from now on: the older ones go.
    Fact.objects.filter(~Q(refresh_id=refresh.pk)).delete()
    refresh.refresh_from_db()
    logger.info("Statistics refreshed: %s facts.", rows)
    return refresh


def refresh_start(*, by=None) -> tuple[Refresh, bool]:
    """Queue a refresh on the Celery worker (once the request's transaction commits), or
    answer the one already queued or running."""
    from . import tasks  # tasks import this module

    refresh, created = refresh_request(by=by)
    if created:
        transaction.on_commit(lambda: tasks.refresh_statistics.delay(refresh.pk))
    return refresh, created
