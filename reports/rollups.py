"""Rebuild the precomputed facts (reports.models.Fact) and their rollup from the live tables.

One step per kind of fact, each an INSERT ... SELECT of the queryset that
reports.definitions.fact_querysets builds from the figures' own definitions, then one step
adding the facts up by month (reports.models.Rollup, its columns named by
reports.definitions.rollup_keys), each committed with the refresh's progress so that the
page's progress bar moves. Readers count the facts and rollup of the latest finished
refresh only; a new refresh's rows become visible when it finishes, and the older rows are
deleted then.
"""

import logging
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .definitions import MASK_BITS, fact_querysets, firsts_sql, mask_sql, rollup_keys
from .definitions import rollup_monthly_keys as monthly_keys
from .models import Fact, Refresh, Rollup

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


def step_count() -> int:
    """A refresh's steps: one per fact queryset, then the rollup."""
    return len(fact_querysets()) + 1


def _rollup_sql(refresh_id: int) -> tuple[str, list]:
    """INSERT ... SELECT of the refresh's rollup rows from its facts (reports.definitions
    .rollup_keys names the columns kept; dates kept by month are truncated to it)."""
    q = connection.ops.quote_name
    postgresql = connection.vendor == "postgresql"

    def month_of(column: str) -> str:
        if postgresql:
            return f"CAST(DATE_TRUNC('month', {column}) AS date)"
        return f"DATE({column}, 'start of month')"

    keys = rollup_keys()
    monthly = set(monthly_keys())
    kept = [month_of(q(name)) if name in monthly else q(name) for name in keys]
    person = q("person_id")
    if postgresql:
        masks = [f"COALESCE({mask}, 0)" for mask in mask_sql(person)]
    else:  # SQLite has no BIT_OR: distinct powers of two add up to their OR
        masks = [
            f"COALESCE(SUM(DISTINCT 1 << ({person} %% {MASK_BITS})), 0)",
            f"COALESCE(SUM(DISTINCT 1 << (({person} / {MASK_BITS}) %% {MASK_BITS})), 0)",
        ]
    grouped = ["kind", "month", month_of(q("day")), *kept]
    names = ["refresh_id", "kind", "month", "day", *keys, "facts", "weight", "mask_a", "mask_b"]
    sql = (
        f"INSERT INTO {q(Rollup._meta.db_table)} ({', '.join(q(n) for n in names)}) "  # noqa: S608
        f"SELECT %s, {', '.join(grouped)}, COUNT(*), SUM({q('weight')}), {', '.join(masks)} "
        f"FROM {q(Fact._meta.db_table)} WHERE {q('refresh_id')} = %s "
        f"GROUP BY {', '.join(grouped)} "
        # Written in the order read (a kind's months): a reading's rows share pages.
        f"ORDER BY {q('kind')}, {q('month')}"
    )
    return sql, [refresh_id, refresh_id]


def _delete(refresh_id: int, *, keep: bool = False) -> None:
    """The facts and rollup rows of the refresh (`keep`: of every other refresh)."""
    which = ~Q(refresh_id=refresh_id) if keep else Q(refresh_id=refresh_id)
    for model in (Fact, Rollup):
        model.objects.filter(which).delete()


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
            _delete(running.pk)
        refresh = Refresh.objects.create(requested_by=by, total=step_count())
    return refresh, True


def refresh_run(refresh_id: int) -> Refresh:
    """Write every fact for the refresh, step by step; on failure the refresh is marked
    failed and its rows deleted (the figures shown stay those of the previous refresh)."""
    refresh = Refresh.objects.get(pk=refresh_id)
    if refresh.status not in (Refresh.Status.QUEUED, Refresh.Status.RUNNING):
        return refresh
    steps = fact_querysets()
    Refresh.objects.filter(pk=refresh.pk).update(
        status=Refresh.Status.RUNNING, started_at=timezone.now(), total=len(steps) + 1, done=0
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
        # The last step: the facts added up by month (reports.models.Rollup).
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(*_rollup_sql(refresh.pk))
            Refresh.objects.filter(pk=refresh.pk).update(
                done=len(steps) + 1, rollup_rows=cursor.rowcount
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh statistics for the planner
                cursor.execute(f"ANALYZE {table}")
                cursor.execute(f"ANALYZE {connection.ops.quote_name(Rollup._meta.db_table)}")
        with transaction.atomic():
            Refresh.objects.filter(pk=refresh.pk).update(
                status=Refresh.Status.DONE, finished_at=timezone.now()
            )
    except Exception as error:
        logger.exception("Statistics refresh %s failed.", refresh.pk)
        _delete(refresh.pk)
        Refresh.objects.filter(pk=refresh.pk).update(
            status=Refresh.Status.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        raise
    # The new facts and rollup are read from now on: the older ones go.
    _delete(refresh.pk, keep=True)
    refresh.refresh_from_db()
    logger.info("Statistics refreshed: %s facts, %s rollup rows.", rows, refresh.rollup_rows)
    return refresh


def refresh_start(*, by=None) -> tuple[Refresh, bool]:
    """Queue a refresh on the Celery worker (once the request's transaction commits), or
    answer the one already queued or running."""
    from . import tasks  # tasks import this module

    refresh, created = refresh_request(by=by)
    if created:
        transaction.on_commit(lambda: tasks.refresh_statistics.delay(refresh.pk))
    return refresh, created
