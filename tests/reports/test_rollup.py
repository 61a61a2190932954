"""The rollup (reports.models.Rollup): the refresh adds its facts up by month, and on
PostgreSQL the figures that are sums are read from it, not from the facts, with the same
numbers as the facts' scan and as the counts made independently in Python."""

from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import definitions, rollups, services
from reports.access import statistics_scope
from reports.definitions import MASK_BITS, rollup_keys, rollup_monthly_keys
from reports.models import Fact, Refresh, Rollup
from reports.services import StatisticsQuery
from tests import factories

from .expected import World, regulator_scope
from .test_figures import _query, check
from .test_parallel_scans import _figures

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the rollup is read on PostgreSQL"
)


def _refresh() -> Refresh:
    refresh, _created = rollups.refresh_request()
    refresh = rollups.refresh_run(refresh.pk)
    assert refresh.status == "done" and refresh.done == refresh.total
    return refresh


def _month_start(day: date) -> date:
    return day.replace(day=1)


def test_the_rollup_adds_up_the_facts(province):
    refresh = _refresh()
    keys = rollup_keys()
    monthly = set(rollup_monthly_keys())
    assert {"standard", "level", "school_id", "partner_id", "region"} <= set(keys)
    assert {"owner_id", "verifying_enterprise_id", "graded", "passed", "first"} <= set(keys)
    assert {"status", "expires_on", "firsts"} <= set(keys) and "cohort_id" not in keys
    assert monthly == {"expires_on"}
    rolled = list(Rollup.objects.filter(refresh_id=refresh.pk).values())
    assert refresh.rollup_rows == len(rolled) == Rollup.objects.count()
    assert len(rolled) < Fact.objects.count()

    def key_of(row, *, fact):
        values = [row["kind"], row["month"]]
        for name in keys:
            value = row[name]
            if fact and name in monthly and value is not None:
                value = _month_start(value)
            values.append(value)
        return tuple(values)

    facts, weights, masks = Counter(), Counter(), defaultdict(lambda: [0, 0])
    for fact in Fact.objects.filter(refresh_id=refresh.pk).values():
        key = key_of(fact, fact=True)
        facts[key] += 1
        weights[key] += fact["weight"]
        if fact["person_id"] is not None:
            masks[key][0] |= 1 << (fact["person_id"] % MASK_BITS)
            masks[key][1] |= 1 << ((fact["person_id"] // MASK_BITS) % MASK_BITS)
    assert len({key_of(row, fact=False) for row in rolled}) == len(rolled)
    for row in rolled:
        key = key_of(row, fact=False)
        assert row["day"] == definitions._period_of_month(row["month"], "month")
        assert (row["facts"], row["weight"]) == (facts[key], weights[key]), key
        unsigned = [mask & (2**MASK_BITS - 1) for mask in (row["mask_a"], row["mask_b"])]
        assert unsigned == masks[key], key
    assert sum(row["facts"] for row in rolled) == sum(facts.values())


def test_a_failed_rollup_leaves_the_previous_refresh(province, monkeypatch):
    first = _refresh()
    monkeypatch.setattr(rollups, "_rollup_sql", lambda refresh_id: ("SELECT nonsense(", []))
    refresh, _created = rollups.refresh_request()
    with pytest.raises(Exception):  # noqa: B017, PT011 (the database's own error)
        rollups.refresh_run(refresh.pk)
    assert Refresh.objects.get(pk=refresh.pk).status == "failed"
    assert set(Rollup.objects.values_list("refresh_id", flat=True)) == {first.pk}
    assert set(Fact.objects.values_list("refresh_id", flat=True)) == {first.pk}
    assert rollups.latest_done() == first


def _raw(scope, query) -> dict:
    """Every cell before suppression (value, numerator, people), as the report counts it."""
    figures = services.visible_figures(scope)
    readings = services._readings(scope, query, figures, rollups.latest_done())
    return {
        (figure, reading, key): (cell.value, cell.numerator, cell.people)
        for figure, by_reading in readings.items()
        for reading, cells in by_reading.items()
        for key, cell in cells.items()
    }


def _both_ways(scope, query) -> tuple:
    """The report read with the rollup, then read from the facts alone (same refresh); the
    cells before suppression are the same both ways."""
    refresh = rollups.latest_done()
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        with_rollup = services.build_report(scope, query)
    cache.clear()
    raw = _raw(scope, query)
    rows = refresh.rollup_rows
    Refresh.objects.filter(pk=refresh.pk).update(rollup_rows=0)
    cache.clear()
    from_facts = services.build_report(scope, query)
    cache.clear()
    assert _raw(scope, query) == raw
    Refresh.objects.filter(pk=refresh.pk).update(rollup_rows=rows)
    cache.clear()
    return with_rollup, from_facts, [q["sql"] for q in queries.captured_queries]


def _whole_months(province, **values) -> StatisticsQuery:
    today = province["today"]
    end = _month_start(today) - timedelta(days=1)  # the last day of last month
    start = _month_start(end - timedelta(days=200))
    return StatisticsQuery(start=start, end=end, **values)


@postgresql_only
def test_whole_months_read_the_rollup_for_every_sum(province):
    _refresh()
    regulator = factories.person("reg", province["body"], "regulator")
    scope = statistics_scope(regulator)
    query = _whole_months(province, granularity="quarter", by="school")
    with_rollup, from_facts, statements = _both_ways(scope, query)
    assert _figures(with_rollup) == _figures(from_facts)
    check(
        with_rollup,
        World(),
        query=query,
        scope_fn=regulator_scope(World(), province["body"].pk),
        exempt=False,
        by="school",
    )
    counting = [sql for sql in statements if "GROUP BY" in sql]
    on_rollup = [sql for sql in counting if "reports_rollup" in sql]
    on_facts = [sql for sql in counting if "reports_fact" in sql]
    # One grouped reading of the rollup per kind of fact.
    kinds = {figure.fact_kind for figure in definitions.FIGURES}
    assert len(on_rollup) == len(kinds)
    assert not [sql for sql in on_rollup if "reports_fact" in sql]
    # From the facts: the candidates (distinct people, two statements), and the
    # certificates that expire in today's month; the undecided "< 5" cells, if any, are
    # counted one figure at a time (no GROUPING SETS).
    together = [sql for sql in on_facts if "GROUPING SETS" in sql]
    assert sum("COUNT(DISTINCT" in sql for sql in on_facts) >= 1
    assert [sql for sql in together if "COUNT(DISTINCT" not in sql] == [
        sql for sql in together if '"expires_on" >=' in sql
    ]
    assert len([sql for sql in together if "COUNT(DISTINCT" not in sql]) == 1


@postgresql_only
@pytest.mark.parametrize(
    ("combination", "by", "granularity"),
    [
        ({}, "region", "month"),
        ({"standard": "cbec-ops"}, "standard", "quarter"),
        ({"standard": "cbec-ops", "level": 2}, "partner", "year"),
        ({"region": "Guangdong"}, "school", "month"),
        ({"partner": "e-shop"}, "level", "quarter"),
    ],
)
def test_rollup_and_facts_give_the_same_figures(province, combination, by, granularity):
    _refresh()
    regulator = factories.person("reg", province["body"], "regulator")
    scope = statistics_scope(regulator)
    world = World()
    # Mid-month edges (read from the facts) and whole months (from the rollup).
    for query in (
        _query(province, combination, granularity=granularity, by=by),
        _whole_months(
            province,
            granularity=granularity,
            by=by,
            **_query(province, combination).filters(),
        ),
    ):
        with_rollup, from_facts, statements = _both_ways(scope, query)
        assert any("reports_rollup" in sql for sql in statements)
        assert _figures(with_rollup) == _figures(from_facts)
        check(
            with_rollup,
            world,
            query=query,
            scope_fn=regulator_scope(world, province["body"].pk),
            exempt=False,
            by=by,
        )


@postgresql_only
@pytest.mark.parametrize("offset", [0, 1, 45])
def test_a_rollup_read_later_counts_current_and_expired_on_the_day_read(
    province, monkeypatch, offset
):
    # Read on (or after) the day a certificate expires: the rollup, kept by expiry month,
    # answers for the day it is read as the facts do.
    refresh = _refresh()
    end = _month_start(province["today"]) - timedelta(days=1)
    expiry = (
        Fact.objects.filter(
            refresh_id=refresh.pk,
            kind="certificate",
            status="valid",
            owner_id=province["body"].pk,
            day__lte=end,
            expires_on__isnull=False,
        )
        .exclude(expires_on__day=1)
        .order_by("expires_on")
        .values_list("expires_on", flat=True)
    )
    expiry = list(expiry)[len(expiry) // 2]
    later = expiry + timedelta(days=offset)
    monkeypatch.setattr(definitions, "_today", lambda: later)
    regulator = factories.person("reg", province["body"], "regulator")
    scope = statistics_scope(regulator)
    query = StatisticsQuery(
        start=province["first"],
        end=end,
        granularity="quarter",
        by="standard",
    )
    with_rollup, from_facts, statements = _both_ways(scope, query)
    assert any("reports_rollup" in sql for sql in statements)
    assert _figures(with_rollup) == _figures(from_facts)
    # Both counts have something in them ("< 5" is some, shown as None).
    shown = {f.figure.key: f.total.value for f in with_rollup.figures}
    assert shown["certificates_current"] != 0 and shown["certificates_expired"] != 0
