"""Every figure equals a count made independently in Python over the raw rows, for several
filter combinations and readers, suppression included."""

from datetime import timedelta

import pytest

from reports import rollups, services
from reports.access import statistics_scope
from reports.definitions import FIGURES
from reports.services import StatisticsQuery
from tests import factories

from .expected import (
    SOURCE_OF,
    World,
    enterprise_scope,
    expected,
    regulator_scope,
    school_scope,
)


def shown(value, people, *, exempt):
    """What the reader must see for an expected (value, people) cell."""
    if 0 < people < services.SUPPRESS_BELOW and not exempt:
        return services.SUPPRESSED
    return value


def actual(cell):
    return services.SUPPRESSED if cell.suppressed else cell.value


def check(report, world, *, query, scope_fn, exempt, by):
    assert report.figures, "the reader sees no figure"
    filters = query.filters()
    prev_start, prev_end = query.previous_year()
    for figure_report in report.figures:
        key = figure_report.figure.key

        def want(start, end, group=None, key=key):
            return expected(
                world, key, start=start, end=end, filters=filters, group=group, scope=scope_fn
            )

        zero = (None, 0) if key.startswith("pass_rate") else (0, 0)
        total = want(query.start, query.end).get(None, zero)
        assert actual(figure_report.total) == shown(*total, exempt=exempt), key
        previous = want(prev_start, prev_end).get(None, zero)
        assert actual(figure_report.previous_total) == shown(*previous, exempt=exempt), key
        for row in figure_report.series:
            start = max(row.key, query.start)
            end = min(services.periods(row.key, row.key, query.granularity)[0], query.end)
            # The period's own last day: the day before the next period starts.
            following = services.periods(row.key, row.key + timedelta(days=400), query.granularity)
            last = following[1] - timedelta(days=1) if len(following) > 1 else query.end
            end = min(last, query.end)
            cell = want(start, end).get(None, zero)
            assert actual(row.cell) == shown(*cell, exempt=exempt), (key, row.label)
        split = want(query.start, query.end, group=by)
        assert {row.key for row in figure_report.breakdown} == set(split), key
        for row in figure_report.breakdown:
            own = exempt or (by == "school" and row.key in getattr(world, "own", ()))
            assert actual(row.cell) == shown(*split[row.key], exempt=own), (key, row.label)


@pytest.fixture
def world(province):
    return World()


@pytest.fixture(params=["live", "facts"])
def mode(request, province):
    """Counted live from the tables, or from the precomputed facts of a refresh."""
    if request.param == "facts":
        refresh, created = rollups.refresh_request()
        assert created
        assert rollups.refresh_run(refresh.pk).status == "done"
    return request.param


COMBINATIONS = [
    {},
    {"standard": "cbec-ops"},
    {"standard": "cbec-ops", "level": 2},
    {"region": "Guangdong"},
    {"partner": "e-shop"},
    {"region": "Guangdong", "level": 1},
]


def _query(province, combination, *, granularity="quarter", by="region", **extra):
    values = dict(combination)
    if "partner" in values:
        values["partner"] = next(
            e.pk for e in province["enterprises"] if e.code == values["partner"]
        )
    return StatisticsQuery(
        start=province["today"] - timedelta(days=300),
        end=province["today"],
        granularity=granularity,
        by=by,
        **values,
        **extra,
    )


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_regulator_figures_equal_independent_counts(province, world, mode, combination):
    regulator = factories.person("reg", province["body"], "regulator")
    query = _query(province, combination)
    report = services.build_report(statistics_scope(regulator), query)
    assert (report.refresh is not None) == (mode == "facts")
    assert [f.figure.key for f in report.figures] == [f.key for f in FIGURES]
    check(
        report,
        world,
        query=query,
        scope_fn=regulator_scope(world, province["body"].pk),
        exempt=False,
        by="region",
    )


@pytest.mark.parametrize("granularity", ["month", "year"])
@pytest.mark.parametrize("by", ["school", "standard", "partner", "level"])
def test_splits_and_granularities(province, world, mode, granularity, by):
    regulator = factories.person("reg", province["body"], "regulator")
    query = _query(province, {"region": "Guangdong"}, granularity=granularity, by=by)
    report = services.build_report(statistics_scope(regulator), query)
    check(
        report,
        world,
        query=query,
        scope_fn=regulator_scope(world, province["body"].pk),
        exempt=False,
        by=by,
    )


def test_school_sees_its_own_slice_unsuppressed(province, world, mode):
    school = province["schools"][0]
    teacher = province["teachers"][school.pk]
    query = _query(province, {}, by="cohort", school=school.pk)
    report = services.build_report(statistics_scope(teacher), query)
    assert [f.figure.key for f in report.figures] == [f.key for f in FIGURES]
    check(report, world, query=query, scope_fn=school_scope(school.pk), exempt=True, by="cohort")
    # Small cells are there, and shown as they are.
    assert any(
        0 < row.cell.value < 5
        for f in report.figures
        if not f.figure.is_rate
        for row in f.breakdown
        if row.cell.value is not None
    )


def test_enterprise_sees_its_certificates_and_verifications(province, world, mode):
    enterprise = province["enterprises"][0]
    verifier = province["verifiers"][0]
    query = _query(province, {}, by="school", granularity="year")
    report = services.build_report(statistics_scope(verifier), query)
    assert {SOURCE_OF[f.figure.key] for f in report.figures} == {"certificates", "verifications"}
    check(
        report,
        world,
        query=query,
        scope_fn=enterprise_scope(enterprise.pk),
        exempt=False,
        by="school",
    )


def test_small_cells_are_suppressed_outside_the_school(province, world, mode):
    regulator = factories.person("reg", province["body"], "regulator")
    query = _query(province, {"standard": "cbec-mkt", "level": 2}, by="school", granularity="month")
    report = services.build_report(statistics_scope(regulator), query)
    cells = [row.cell for f in report.figures for row in (*f.series, *f.breakdown)]
    assert any(cell.suppressed and cell.display == "< 5" and cell.value is None for cell in cells)
    check(
        report,
        world,
        query=query,
        scope_fn=regulator_scope(world, province["body"].pk),
        exempt=False,
        by="school",
    )


@pytest.mark.parametrize("by", ["standard", "level"])
def test_split_by_a_dimension_the_filters_fix(province, world, mode, by):
    # An enrolment under several standards is counted once per split cell even when the
    # split's dimension is one of the filters too (the facts' marks of that combination).
    regulator = factories.person("reg", province["body"], "regulator")
    query = _query(province, {"standard": "cbec-ops", "level": 2}, by=by)
    report = services.build_report(statistics_scope(regulator), query)
    check(
        report,
        world,
        query=query,
        scope_fn=regulator_scope(world, province["body"].pk),
        exempt=False,
        by=by,
    )
