"""The statistics as a reader may see them: figures, series, breakdowns, suppression.

`build_report(user, query)` is what the page, the CSV and Excel exports and the JSON API
show: every number passes through `_cell` here, which turns a cell about 1 to 4 people into
"< 5" unless the cell is wholly about the reader's own school. Templates and serializers
only print what this module returns.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import Cohort
from exams.models import SkillLevel, SkillStandard
from organizations.models import Organization

from . import definitions, rollups, scans
from .access import Scope
from .definitions import FIGURES, Figure, Raw

SUPPRESS_BELOW = definitions.SUPPRESS_BELOW
SUPPRESSED = "< 5"
MAX_YEARS = 10
# Counts of a refresh are cached this long (a refresh runs every six hours).
CACHE_SECONDS = 7 * 3600
# Drill-down: province -> school -> cohort.
DRILL = {"region": "school", "school": "cohort"}


@dataclass(frozen=True)
class StatisticsQuery:
    """What the reader asked for: combined filters, the period granularity and range, and
    the dimension of the breakdown table."""

    start: date
    end: date
    granularity: str = "month"
    by: str = "region"
    standard: str | None = None
    level: int | None = None
    school: int | None = None
    partner: int | None = None
    region: str | None = None

    def filters(self) -> dict:
        names = ("standard", "level", "school", "partner", "region")
        return {name: getattr(self, name) for name in names if getattr(self, name) is not None}

    def previous_year(self) -> tuple[date, date]:
        return shift_year(self.start, -1), shift_year(self.end, -1)


@dataclass(frozen=True)
class Cell:
    value: int | Decimal | None
    display: str
    suppressed: bool = False


@dataclass(frozen=True)
class Change:
    value: Decimal | None
    display: str


@dataclass(frozen=True)
class Row:
    key: object
    label: str
    cell: Cell
    previous: Cell | None = None
    change: Change | None = None
    drill: dict | None = None  # the filters that open this row's drill-down


@dataclass
class FigureReport:
    figure: Figure
    total: Cell
    previous_total: Cell
    change: Change
    series: list[Row] = field(default_factory=list)
    breakdown: list[Row] = field(default_factory=list)


@dataclass
class Report:
    query: StatisticsQuery
    figures: list[FigureReport]
    computed_at: datetime
    by: str
    drill_to: str | None
    refresh: object = None  # the reports.models.Refresh read, None when counted live


# --- Periods --------------------------------------------------------------------------------


def shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def period_start(day: date, granularity: str) -> date:
    if granularity == "year":
        return date(day.year, 1, 1)
    if granularity == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, day.month, 1)


def periods(start: date, end: date, granularity: str) -> list[date]:
    step = {"month": 1, "quarter": 3, "year": 12}[granularity]
    found, current = [], period_start(start, granularity)
    while current <= end:
        found.append(current)
        month = current.month - 1 + step
        current = date(current.year + month // 12, month % 12 + 1, 1)
    return found


def period_label(day: date, granularity: str) -> str:
    if granularity == "year":
        return str(day.year)
    if granularity == "quarter":
        return _("%(year)s Q%(quarter)s") % {"year": day.year, "quarter": (day.month + 2) // 3}
    return f"{day.year}-{day.month:02d}"


# --- Cells ----------------------------------------------------------------------------------


def _percent(numerator: int, denominator: int) -> Decimal:
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _cell(figure: Figure, raw: Raw | None, *, exempt: bool) -> Cell:
    """A number as the reader may see it: "< 5" for 1 to 4 people outside their school."""
    raw = raw or Raw()
    if 0 < raw.people < SUPPRESS_BELOW and not exempt:
        return Cell(None, SUPPRESSED, suppressed=True)
    if figure.is_rate:
        if not raw.value:
            return Cell(None, "—")
        value = _percent(raw.numerator, raw.value)
        return Cell(value, f"{number_format(value, 1)} %")
    return Cell(raw.value, number_format(raw.value, force_grouping=True))


def _change(figure: Figure, current: Cell, previous: Cell) -> Change:
    if current.value is None or previous.value is None:
        return Change(None, "—")
    if figure.is_rate:
        value = (current.value - previous.value).quantize(Decimal("0.1"))
        return Change(value, _("%(sign)s%(value)s pp") % _signed(value))
    if not previous.value:
        return Change(None, "—")
    value = _percent(current.value - previous.value, previous.value)
    return Change(value, "{sign}{value} %".format(**_signed(value)))


def _signed(value: Decimal) -> dict:
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return {"sign": sign, "value": number_format(abs(value), 1)}


# --- Labels ---------------------------------------------------------------------------------

NONE_LABELS = {
    "standard": gettext_lazy("No skill standard"),
    "level": gettext_lazy("No level"),
    "school": gettext_lazy("No school"),
    "partner": gettext_lazy("No enterprise partner"),
    "region": gettext_lazy("Region not recorded"),
    "cohort": gettext_lazy("No cohort"),
}


def dimension_labels(dimension: str, keys) -> dict:
    """Names for the keys of a dimension, looked up in one query."""
    keys = {key for key in keys if key is not None}
    labels: dict = {None: str(NONE_LABELS[dimension])}
    if dimension == "standard":
        for standard in SkillStandard.objects.filter(code__in=keys).order_by("code", "version"):
            labels[standard.code] = f"{standard.code} · {standard.name}"
    elif dimension == "level":
        labels.update({key: str(SkillLevel.Level(key).label) for key in keys})
    elif dimension in ("school", "partner"):
        labels.update({org.pk: org.name for org in Organization.objects.filter(pk__in=keys)})
    elif dimension == "cohort":
        cohorts = Cohort.objects.filter(pk__in=keys).select_related("course")
        labels.update({c.pk: f"{c.course.code} · {c.name}" for c in cohorts})
    else:
        labels.update({key: str(key) for key in keys})
    return labels


# --- The report -----------------------------------------------------------------------------


def visible_figures(scope: Scope) -> list[Figure]:
    return [figure for figure in FIGURES if scope.sees(figure.source.key)]


def _exempt(scope: Scope, query: StatisticsQuery, dimension=None, key=None) -> bool:
    """The cell is wholly about the reader's own school: nothing is suppressed."""
    if scope.only_own_schools or scope.is_own(query.school):
        return True
    return dimension == "school" and scope.is_own(key)


def build_report(scope: Scope, query: StatisticsQuery, *, live: bool = False) -> Report:
    """The figures the reader may see: from the latest finished refresh of the precomputed
    facts when there is one (computed_at says when it finished), else live."""
    refresh = None if live else rollups.latest_done()
    visible = visible_figures(scope)
    readings = _readings(scope, query, visible, refresh)
    figures = [_figure_report(scope, query, figure, readings[figure.key]) for figure in visible]
    return Report(
        query=query,
        figures=figures,
        computed_at=refresh.finished_at if refresh else timezone.now(),
        by=query.by,
        drill_to=DRILL.get(query.by),
        refresh=refresh,
    )


def _cache_key(refresh_id: int, scope: Scope, counted: str, options: dict) -> str:
    reader = (
        scope.everything,
        sorted(scope.own_school_ids),
        sorted(scope.body_ids),
        sorted(scope.enterprise_ids),
    )
    asked = {**options, "scope": None, "filters": sorted(options["filters"].items())}
    # "Current" and "expired" certificates depend on the day they are read.
    today = timezone.localdate()
    digest = hashlib.sha256(repr((reader, counted, today, sorted(asked.items()))).encode())
    return f"reports:{refresh_id}:{digest.hexdigest()}"


def _readings(scope: Scope, query: StatisticsQuery, figures: list[Figure], refresh) -> dict:
    """{figure key: {reading: cells}} for the readings of definitions.READINGS: counted live,
    or from the refresh's facts (kept in the cache until the next refresh, as a refresh's
    facts never change). On PostgreSQL, all the figures of one kind of fact are counted
    together, in one scan (definitions.count_facts_together)."""
    filters = query.filters()
    previous_start, previous_end = query.previous_year()
    ranges = {
        "total": (query.start, query.end, ()),
        "previous_total": (previous_start, previous_end, ()),
        "series": (query.start, query.end, ("period",)),
        "previous_series": (previous_start, previous_end, ("period",)),
        "split": (query.start, query.end, (query.by,)),
    }

    def one_by_one(figure, where, counter, **extra):
        return {
            reading: counter(
                figure,
                start=start,
                end=end,
                filters=filters,
                group=group,
                granularity=query.granularity,
                scope=where,
                **extra,
            )
            for reading, (start, end, group) in ranges.items()
        }

    if refresh is None:
        return {
            figure.key: one_by_one(figure, scope.filter_for(figure.source.key), definitions.count)
            for figure in figures
        }
    kinds: dict[str, list[Figure]] = {}
    for figure in figures:
        kinds.setdefault(figure.fact_kind, []).append(figure)
    together = connection.vendor == "postgresql"
    readings = {}
    plans = []  # (cache key, statements, finish) of the kinds not in the cache
    for members in kinds.values():
        where = scope.filter_for(members[0].source.key, facts=True)
        options = {
            "start": query.start,
            "end": query.end,
            "filters": filters,
            "by": query.by,
            "granularity": query.granularity,
            "scope": where,
        }
        key = _cache_key(refresh.pk, scope, repr([f.key for f in members]), options)
        counted = cache.get(key)
        if counted is not None:
            readings.update(counted)
        elif together:
            statements, finish = definitions.plan_facts_together(
                members,
                refresh_id=refresh.pk,
                previous=(previous_start, previous_end),
                rollup=refresh.rollup_rows > 0,
                **options,
            )
            plans.append((key, statements, finish))
        else:
            counted = {
                figure.key: one_by_one(
                    figure, where, definitions.count_facts, refresh_id=refresh.pk
                )
                for figure in members
            }
            cache.set(key, counted, CACHE_SECONDS)
            readings.update(counted)
    # Every kind's statements together, shared among the connections (reports.scans).
    statements = [
        statement for _key, kind_statements, _finish in plans for statement in kind_statements
    ]
    rows = iter(scans.fetch_all(statements))
    for key, kind_statements, finish in plans:
        counted = finish([next(rows) for _statement in kind_statements])
        cache.set(key, counted, CACHE_SECONDS)
        readings.update(counted)
    return readings


def _figure_report(scope: Scope, query: StatisticsQuery, figure: Figure, counted) -> FigureReport:
    exempt = _exempt(scope, query)
    total = _cell(figure, counted["total"].get(()), exempt=exempt)
    previous_total = _cell(figure, counted["previous_total"].get(()), exempt=exempt)
    report = FigureReport(
        figure=figure,
        total=total,
        previous_total=previous_total,
        change=_change(figure, total, previous_total),
    )
    current, previous = counted["series"], counted["previous_series"]
    for start in periods(query.start, query.end, query.granularity):
        cell = _cell(figure, current.get((start,)), exempt=exempt)
        before = _cell(figure, previous.get((shift_year(start, -1),)), exempt=exempt)
        report.series.append(
            Row(
                key=start,
                label=period_label(start, query.granularity),
                cell=cell,
                previous=before,
                change=_change(figure, cell, before),
            )
        )
    split = counted["split"]
    labels = dimension_labels(query.by, (key for (key,) in split))
    rows = []
    for (key,), raw in split.items():
        drill = None
        if query.by in DRILL and key is not None:
            drill = {query.by: key, "by": DRILL[query.by]}
        rows.append(
            Row(
                key=key,
                label=labels.get(key, str(key)),
                cell=_cell(figure, raw, exempt=_exempt(scope, query, query.by, key)),
                drill=drill,
            )
        )
    report.breakdown = sorted(rows, key=lambda row: (row.key is None, row.label))
    return report


# --- Filter choices -------------------------------------------------------------------------


def filter_choices(scope: Scope) -> dict:
    """The standards, schools, partners and regions a reader may filter by."""
    standards = SkillStandard.objects.order_by("code", "-version")
    if not scope.everything and scope.body_ids:
        standards = standards.filter(owner_id__in=scope.body_ids)
    standard_choices: dict[str, str] = {}
    for standard in standards:
        standard_choices.setdefault(standard.code, f"{standard.code} · {standard.name}")
    schools = Organization.objects.filter(kind=Organization.Kind.SCHOOL, is_active=True)
    if scope.only_own_schools:
        schools = schools.filter(pk__in=scope.own_school_ids)
    partners = Organization.objects.filter(kind=Organization.Kind.ENTERPRISE, is_active=True)
    regions = (
        schools.exclude(region="").order_by("region").values_list("region", flat=True).distinct()
    )
    return {
        "standard": sorted(standard_choices.items()),
        "school": [(org.pk, org.name) for org in schools],
        "partner": [(org.pk, org.name) for org in partners],
        "region": [(region, region) for region in regions],
    }


def warm_defaults() -> int:
    """Count, into the cache, what every government body's regulators see first (the
    default filters) from the latest refresh: their first page needs no counting. Returns
    how many readers were warmed."""
    from django.db.models import Exists, OuterRef

    from .forms import default_range

    if rollups.latest_done() is None:
        return 0
    start, end = default_range()
    query = StatisticsQuery(start=start, end=end)
    bodies = Organization.objects.filter(
        Exists(SkillStandard.objects.filter(owner_id=OuterRef("pk"))),
        kind=Organization.Kind.GOVERNMENT,
    ).values_list("pk", flat=True)
    count = 0
    for body_id in bodies:
        scope = Scope(source_keys=frozenset(definitions.SOURCES), body_ids=frozenset({body_id}))
        build_report(scope, query)
        count += 1
    return count
