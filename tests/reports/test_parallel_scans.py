"""On PostgreSQL, a reading's statements (one grouped scan per kind of fact and the
candidates' distinct counts) run at once on their own connections (reports.scans), closed
afterwards; the figures are those counted one statement after another, and those counted
independently in Python. Inside a transaction and on SQLite they run on the request's
connection."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.db.backends.signals import connection_created

from reports import rollups, scans, services
from reports.access import statistics_scope
from tests import factories

from .expected import World, regulator_scope
from .test_figures import _query, check


def _figures(report):
    return [
        (
            f.figure.key,
            f.total.value,
            f.total.suppressed,
            f.previous_total.value,
            [(row.key, row.cell.value, row.cell.suppressed) for row in f.series],
            [(row.key, row.cell.value, row.cell.suppressed) for row in f.breakdown],
        )
        for f in report.figures
    ]


@pytest.fixture
def opened(request):
    """The threads that opened a database connection while the test ran."""
    threads = []

    def record(sender, connection, **kwargs):
        threads.append(threading.current_thread())

    connection_created.connect(record)
    request.addfinalizer(lambda: connection_created.disconnect(record))
    return threads


def _backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    "combination", [{}, {"standard": "cbec-ops", "level": 2}, {"region": "Guangdong"}]
)
def test_statements_run_at_once_and_count_the_same(
    transactional_db, province, settings, opened, combination
):
    refresh, _created = rollups.refresh_request()
    assert rollups.refresh_run(refresh.pk).status == "done"
    regulator = factories.person("reg", province["body"], "regulator")
    scope = statistics_scope(regulator)
    query = _query(province, combination, by="standard")

    settings.REPORTS_PARALLEL_SCANS = 1
    cache.clear()
    one_by_one = services.build_report(scope, query)
    assert all(thread is threading.main_thread() for thread in opened)

    settings.REPORTS_PARALLEL_SCANS = 2
    cache.clear()
    postgresql = connection.vendor == "postgresql"
    before = _backends() if postgresql else 0
    at_once = services.build_report(scope, query)
    workers = {thread for thread in opened if thread is not threading.main_thread()}
    assert scans.at_once_allowed() == postgresql
    assert len(workers) == (2 if postgresql else 0)
    assert _figures(at_once) == _figures(one_by_one)
    check(
        at_once,
        World(),
        query=query,
        scope_fn=regulator_scope(World(), province["body"].pk),
        exempt=False,
        by="standard",
    )
    if postgresql:  # the threads closed their connections
        assert _backends() == before


def test_inside_a_transaction_statements_run_on_its_connection(
    transactional_db, province, settings, opened
):
    refresh, _created = rollups.refresh_request()
    assert rollups.refresh_run(refresh.pk).status == "done"
    regulator = factories.person("reg", province["body"], "regulator")
    settings.REPORTS_PARALLEL_SCANS = 2
    cache.clear()
    with transaction.atomic():
        assert not scans.at_once_allowed()
        report = services.build_report(statistics_scope(regulator), _query(province, {}))
    assert report.figures
    assert all(thread is threading.main_thread() for thread in opened)
