"""Running a reading's independent statements at once, each on its own connection.

On PostgreSQL a statement runs on one core; the statistics' statements (one grouped scan
per kind of fact, and the candidates' distinct counts) do not depend on each other, so
they are shared among up to ``REPORTS_PARALLEL_SCANS`` threads (default 2). Django gives
each thread its own connection; each thread closes it when done. Inside a transaction
(another connection would not see its writes), on SQLite, or with the setting at 1, they
run one after another on the request's connection.
"""

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection, connections

DEFAULT_PARALLEL_SCANS = 2

Statement = tuple[str, tuple]


def parallel_scans() -> int:
    return max(1, int(getattr(settings, "REPORTS_PARALLEL_SCANS", DEFAULT_PARALLEL_SCANS)))


def at_once_allowed() -> bool:
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _fetch(statement: Statement) -> list[tuple]:
    sql, params = statement
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _fetch_and_close(statement: Statement) -> list[tuple]:
    try:
        return _fetch(statement)
    finally:
        connections.close_all()  # this thread's connections only


def fetch_all(statements: Sequence[Statement]) -> list[list[tuple]]:
    """The rows of each statement, in order: at once when allowed, else one by one."""
    workers = min(len(statements), parallel_scans())
    if workers < 2 or not at_once_allowed():
        return [_fetch(statement) for statement in statements]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="reports-scan") as pool:
        return list(pool.map(_fetch_and_close, statements))
