"""The unified statistics: every figure defined once, in words and as the query that counts it.

Each `Figure` below carries its definition text (shown on the definitions page, in the
README and in the API) and the query that computes it; the page, the CSV and Excel exports
and the JSON API all read figures through `reports.services`, which calls `count` here.

A figure counts rows of one *source* (enrolments, exam attempts, certificates or
verifications), dated by one date field, and can be split or filtered by the same
dimensions everywhere:

- standard: the skill standard's code (every version of it together);
- level: the standard level (1 junior, 2 intermediate, 3 senior);
- school: the school that teaches the course, organises the exam or issued the certificate;
- partner: the enterprise partner (see PARTNER_TEXT for the link, source by source);
- region: the school's region (province), `Organization.region`;
- cohort: the class (for drill-down below a school);
- period: month, quarter or year of the figure's date, in the site's time zone.

Every cell also counts the distinct people behind it, so that the service can show "< 5"
for a cell about fewer than five people (reports.services.SUPPRESS_BELOW).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, Trunc, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate, Verification, VerificationDailyCount
from courses.models import Enrollment
from exams.models import Accreditation, Attempt, Exam
from organizations.models import ApiKey, Membership, Organization

DIMENSIONS = ("standard", "level", "school", "partner", "region", "cohort")
GRANULARITIES = ("month", "quarter", "year")

DIMENSION_LABELS = {
    "period": _("Period"),
    "standard": _("Skill standard"),
    "level": _("Level"),
    "school": _("School"),
    "partner": _("Enterprise partner"),
    "region": _("Region (province)"),
    "cohort": _("Cohort"),
}

GRANULARITY_LABELS = {"month": _("Month"), "quarter": _("Quarter"), "year": _("Year")}

COMMON_TEXT = _(
    "Periods are calendar months, quarters and years in the platform's time zone. A figure "
    "split by standard counts every version of the standard together. A school's region is "
    "the region (province) recorded on the school. Year-on-year change compares a period "
    "with the same period one year earlier: a relative change for counts, a difference in "
    "percentage points for pass rates. Outside the school concerned, a cell about fewer than "
    "5 people is shown as “< 5”, and no statistic ever names a person."
)

PARTNER_TEXT = _(
    "Enterprise partner: for enrolments and course completions, the partner enterprises of "
    "the course; for exam sittings, candidates and pass rates, the enterprise partner named "
    "on the school's accreditation for the exam's standard level (the latest one); for "
    "certificates and their verifications, the co-assessing enterprise printed on the "
    "certificate."
)


# --- Sources: what rows a figure counts, and how each dimension reads them ------------------


def _first_partner_of_accreditation(school: str, code: str, level: str) -> Subquery:
    return Subquery(
        Accreditation.objects.filter(
            school_id=OuterRef(school),
            standard__code=OuterRef(code),
            level=OuterRef(level),
            enterprise_partner__isnull=False,
        )
        .order_by("-valid_from", "-pk")
        .values("enterprise_partner_id")[:1]
    )


def _cohort_of(student: str, course: str) -> Subquery:
    """The cohort of the student's enrolment in the course (one enrolment per course)."""
    return Subquery(
        Enrollment.objects.filter(student_id=OuterRef(student), course_id=OuterRef(course))
        .exclude(cohort__isnull=True)
        .values("cohort_id")[:1]
    )


def _enrolments() -> QuerySet:
    """Enrolments joined to their course's exams of a standard level (or to nothing when the
    course has none): the join the standard and level dimensions read."""
    levelled = Exam.objects.filter(course_id=OuterRef("course_id"), skill_level__isnull=False)
    return Enrollment.objects.filter(
        Q(course__exams__skill_level__isnull=False) | ~Exists(levelled)
    )


def _enrolment_dims() -> dict:
    return {
        "standard": F("course__exams__skill_level__standard__code"),
        "level": F("course__exams__skill_level__level"),
        "school": F("course__school_id"),
        "partner": F("course__partners__id"),
        "region": F("course__school__region"),
        "cohort": F("cohort_id"),
    }


def _attempt_dims() -> dict:
    return {
        "standard": F("exam__skill_level__standard__code"),
        "level": F("exam__skill_level__level"),
        "school": F("exam__organization_id"),
        "partner": _first_partner_of_accreditation(
            "exam__organization_id", "exam__skill_level__standard__code", "exam__skill_level__level"
        ),
        "region": F("exam__organization__region"),
        "cohort": _cohort_of("student_id", "exam__course_id"),
    }


def _certificate_dims(prefix: str = "") -> dict:
    p = prefix
    return {
        "standard": F(f"{p}skill_level__standard__code"),
        "level": F(f"{p}skill_level__level"),
        "school": F(f"{p}school_id"),
        "partner": F(f"{p}enterprise_id"),
        "region": F(f"{p}school__region"),
        "cohort": Coalesce(
            F(f"{p}enrollment__cohort_id"),
            _cohort_of(f"{p}holder_id", f"{p}attempt__exam__course_id"),
            output_field=IntegerField(),
        ),
    }


@dataclass(frozen=True)
class Source:
    key: str
    label: object
    queryset: Callable[[], QuerySet]
    person: str
    dims: Callable[[], dict]
    # How the scope of a reader reaches this source's school, standard owner and enterprise.
    school_field: str
    owner_field: str | None
    enterprise_fields: tuple[str, ...] = ()
    # The same, on the precomputed facts (reports.models.Fact).
    fact_enterprise_fields: tuple[str, ...] = ()


LEARNING = Source(
    key="learning",
    label=_("Learning"),
    queryset=_enrolments,
    person="student_id",
    dims=_enrolment_dims,
    school_field="course__school_id",
    owner_field=None,
)
EXAMS = Source(
    key="exams",
    label=_("Exams"),
    queryset=lambda: Attempt.objects.filter(submitted_at__isnull=False),
    person="student_id",
    dims=_attempt_dims,
    school_field="exam__organization_id",
    owner_field="exam__skill_level__standard__owner_id",
)
CERTIFICATES = Source(
    key="certificates",
    label=_("Certificates"),
    queryset=lambda: Certificate.objects.filter(is_current=True),
    person="holder_id",
    dims=_certificate_dims,
    school_field="school_id",
    owner_field="government_id",
    enterprise_fields=("enterprise_id",),
    fact_enterprise_fields=("partner_id",),
)
VERIFICATIONS = Source(
    key="verifications",
    label=_("Verifications"),
    queryset=lambda: _enterprise_verifications(),
    person="certificate__holder_id",
    dims=lambda: _certificate_dims("certificate__"),
    school_field="certificate__school_id",
    owner_field="certificate__government_id",
    enterprise_fields=("certificate__enterprise_id", "verifying_enterprise"),
    fact_enterprise_fields=("partner_id", "verifying_enterprise_id"),
)
SOURCES = {source.key: source for source in (LEARNING, EXAMS, CERTIFICATES, VERIFICATIONS)}


def _enterprise_verifications() -> QuerySet:
    """Verifications of a certificate asked by an enterprise: through one of its API keys, or
    by a signed-in member of it (annotated verifying_enterprise)."""
    by_key = ApiKey.objects.filter(
        prefix=OuterRef("api_key_prefix"), organization__kind=Organization.Kind.ENTERPRISE
    ).values("organization_id")[:1]
    by_member = (
        Membership.objects.active()
        .filter(user_id=OuterRef("verifier_id"), organization__kind=Organization.Kind.ENTERPRISE)
        .order_by("pk")
        .values("organization_id")[:1]
    )
    return (
        Verification.objects.filter(certificate__isnull=False)
        .annotate(verifying_enterprise=Coalesce(Subquery(by_key), Subquery(by_member)))
        .filter(verifying_enterprise__isnull=False)
    )


# --- Figures --------------------------------------------------------------------------------


def _first_sitting() -> Q:
    """The candidate's first sitting of the standard level (any exam of any version of the
    standard); for an exam tied to no standard, the first sitting of that exam."""
    earlier = Attempt.objects.filter(
        student_id=OuterRef("student_id"),
        submitted_at__isnull=False,
        exam__skill_level__standard__code=OuterRef("exam__skill_level__standard__code"),
        exam__skill_level__level=OuterRef("exam__skill_level__level"),
    ).filter(
        Q(submitted_at__lt=OuterRef("submitted_at"))
        | Q(submitted_at=OuterRef("submitted_at"), pk__lt=OuterRef("pk"))
    )
    return Q(exam__skill_level__isnull=True, number=1) | Q(
        Q(exam__skill_level__isnull=False) & ~Exists(earlier)
    )


def _today() -> date:
    return timezone.localdate()


@dataclass(frozen=True)
class Figure:
    key: str
    label: object
    definition: object
    source: Source
    date_field: str
    where: Callable[[], Q] = field(default=lambda: Q())
    # "rows": how many rows; "people": how many distinct people; "rate": the share of the
    # rows (the denominator) that also meet `numerator`, as a percentage.
    measure: str = "rows"
    numerator: Callable[[], Q] | None = None
    unit: object = _("number")
    # The same figure over the precomputed facts (reports.models.Fact, written by
    # fact_querysets below): which kind of fact, and which of them.
    fact_kind: str = ""
    fact_where: Callable[[], Q] = field(default=lambda: Q())

    @property
    def is_rate(self) -> bool:
        return self.measure == "rate"


FIGURES: tuple[Figure, ...] = (
    Figure(
        key="enrolments",
        label=_("Enrolments"),
        definition=_(
            "Enrolments made in the period: one person enrolling in one course, dated by the "
            "day of enrolment, counted whatever happened to the enrolment later (completed, "
            "still active or withdrawn). Split by standard, an enrolment counts under each "
            "standard an exam of its course examines."
        ),
        source=LEARNING,
        date_field="enrolled_at",
        fact_kind="enrolment",
    ),
    Figure(
        key="completions",
        label=_("Course completions"),
        definition=_(
            "Enrolments completed in the period: the enrolment's status is completed, dated by "
            "the day it was completed."
        ),
        source=LEARNING,
        date_field="completed_at",
        where=lambda: Q(status=Enrollment.Status.COMPLETED, completed_at__isnull=False),
        fact_kind="completion",
    ),
    Figure(
        key="sittings",
        label=_("Exam sittings"),
        definition=_(
            "Exam attempts submitted in the period (by the candidate or automatically at the "
            "time limit), whether graded yet or not; each resit counts again. Attempts still "
            "in progress are not counted."
        ),
        source=EXAMS,
        date_field="submitted_at",
        fact_kind="sitting",
    ),
    Figure(
        key="candidates",
        label=_("Candidates"),
        definition=_(
            "Distinct people with at least one exam attempt submitted in the period. A person "
            "sitting several exams or resitting counts once in each cell."
        ),
        source=EXAMS,
        date_field="submitted_at",
        measure="people",
        unit=_("people"),
        fact_kind="sitting",
    ),
    Figure(
        key="pass_rate_first",
        label=_("Pass rate, first attempt"),
        definition=_(
            "Of the graded first sittings submitted in the period, the percentage passed. A "
            "first sitting is the candidate's first submitted attempt at that level of the "
            "standard (any exam, any version of the standard); for an exam tied to no "
            "standard, the candidate's first attempt at that exam."
        ),
        source=EXAMS,
        date_field="submitted_at",
        where=lambda: Q(status=Attempt.Status.GRADED, passed__isnull=False) & _first_sitting(),
        measure="rate",
        numerator=lambda: Q(passed=True),
        unit=_("%"),
        fact_kind="sitting",
        fact_where=lambda: Q(graded=True, first=True),
    ),
    Figure(
        key="pass_rate",
        label=_("Pass rate, all attempts"),
        definition=_(
            "Of the graded attempts submitted in the period, resits included, the percentage "
            "passed. Attempts waiting for marking are in neither number."
        ),
        source=EXAMS,
        date_field="submitted_at",
        where=lambda: Q(status=Attempt.Status.GRADED, passed__isnull=False),
        measure="rate",
        numerator=lambda: Q(passed=True),
        unit=_("%"),
        fact_kind="sitting",
        fact_where=lambda: Q(graded=True),
    ),
    Figure(
        key="certificates_issued",
        label=_("Certificates issued"),
        definition=_(
            "Certificates (skill-level and course) issued in the period, dated by the issue "
            "date printed on them. A certificate reissued (a corrected name, a regrade) counts "
            "once, as its current version."
        ),
        source=CERTIFICATES,
        date_field="issued_on",
        fact_kind="certificate",
    ),
    Figure(
        key="certificates_current",
        label=_("Certificates current"),
        definition=_(
            "Of the certificates issued in the period, those valid today: not revoked or "
            "suspended, and not past their expiry date."
        ),
        source=CERTIFICATES,
        date_field="issued_on",
        where=lambda: (
            Q(status=Certificate.Status.VALID)
            & (Q(expires_on__isnull=True) | Q(expires_on__gte=_today()))
        ),
        fact_kind="certificate",
        fact_where=lambda: (
            Q(status=Certificate.Status.VALID)
            & (Q(expires_on__isnull=True) | Q(expires_on__gte=_today()))
        ),
    ),
    Figure(
        key="certificates_expired",
        label=_("Certificates expired"),
        definition=_(
            "Of the certificates issued in the period, those past their expiry date today and "
            "never revoked or suspended."
        ),
        source=CERTIFICATES,
        date_field="issued_on",
        where=lambda: Q(status=Certificate.Status.VALID, expires_on__lt=_today()),
        fact_kind="certificate",
        fact_where=lambda: Q(status=Certificate.Status.VALID, expires_on__lt=_today()),
    ),
    Figure(
        key="certificates_revoked",
        label=_("Certificates revoked"),
        definition=_(
            "Of the certificates issued in the period, those revoked today (for misconduct, "
            "issued in error, a regrade, fraud or another reason). Suspended certificates are "
            "counted in none of current, expired and revoked."
        ),
        source=CERTIFICATES,
        date_field="issued_on",
        where=lambda: Q(status=Certificate.Status.REVOKED),
        fact_kind="certificate",
        fact_where=lambda: Q(status=Certificate.Status.REVOKED),
    ),
    Figure(
        key="verifications",
        label=_("Verifications by enterprises"),
        definition=_(
            "Verifications of a certificate of this platform made in the period by an "
            "enterprise: through one of its API keys, or by a signed-in member of it (page, "
            "file upload, bulk or API). Anonymous visitors' checks are not counted; checks "
            "older than the retention period count through their daily totals."
        ),
        source=VERIFICATIONS,
        date_field="created_at",
        fact_kind="verification",
    ),
)
FIGURES_BY_KEY = {figure.key: figure for figure in FIGURES}


# --- Counting -------------------------------------------------------------------------------


# A cell about 1 to 4 people is shown as "< 5" outside the school concerned.
SUPPRESS_BELOW = 5


@dataclass
class Raw:
    """One cell before suppression: rows (or the rate's denominator), the rate's numerator,
    and the distinct people behind the cell. `people` is exact where it decides suppression:
    0, or below SUPPRESS_BELOW; a cell of SUPPRESS_BELOW people or more may carry any
    number from SUPPRESS_BELOW up (count_facts_together proves the bound without counting).
    A figure whose value is a number of people (candidates) always has it exact."""

    value: int = 0
    numerator: int = 0
    people: int = 0


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end + 1 day 00:00) in the current time zone."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _date_range(figure: Figure, start: date, end: date) -> Q:
    name = figure.date_field
    if figure.source is CERTIFICATES:
        return Q(**{f"{name}__gte": start, f"{name}__lte": end})
    low, high = day_bounds(start, end)
    return Q(**{f"{name}__gte": low, f"{name}__lt": high})


def period_of(name: str, granularity: str):
    """The expression truncating a date or datetime field to its month, quarter or year."""
    return Trunc(name, granularity, output_field=DateField())


def count(
    figure: Figure,
    *,
    start: date,
    end: date,
    filters: dict,
    group: tuple[str, ...] = (),
    granularity: str = "month",
    scope: Q | None = None,
) -> dict[tuple, Raw]:
    """The figure's cells between `start` and `end` (inclusive), filtered by `filters`
    ({dimension: value}), split by `group` (dimensions and/or "period"), inside `scope`."""
    if figure.source is VERIFICATIONS:
        return _count_verifications(
            figure,
            start=start,
            end=end,
            filters=filters,
            group=group,
            granularity=granularity,
            scope=scope,
        )
    source = figure.source
    qs = source.queryset().filter(figure.where()).filter(_date_range(figure, start, end))
    if scope is not None:
        qs = qs.filter(scope)
    return _grouped(
        qs, source, figure, figure.date_field, filters, group, granularity, _measures(figure)
    )


def _measures(figure: Figure) -> dict:
    person = figure.source.person
    measures = {"people": Count(person, distinct=True)}
    if figure.measure == "rows" or figure.measure == "rate":
        measures["value"] = Count("pk", distinct=True)
    else:
        measures["value"] = Count(person, distinct=True)
    if figure.numerator is not None:
        measures["numerator"] = Count("pk", filter=figure.numerator(), distinct=True)
    return measures


def _grouped(qs, source, figure, date_field, filters, group, granularity, measures):
    dims = source.dims()
    wanted = {name for name in (*filters, *group) if name != "period"}
    qs = qs.annotate(**{f"d_{name}": dims[name] for name in wanted})
    qs = qs.filter(**{f"d_{name}": value for name, value in filters.items()})
    columns = []
    for name in group:
        if name == "period":
            qs = qs.annotate(d_period=period_of(date_field, granularity))
        columns.append(f"d_{name}")
    if columns:
        rows = qs.values(*columns).order_by().annotate(**measures)
    else:
        rows = [qs.order_by().aggregate(**measures)]
    cells: dict[tuple, Raw] = {}
    for row in rows:
        key = tuple(_clean(row[column]) for column in columns)
        cell = cells.setdefault(key, Raw())
        cell.value += row["value"]
        cell.numerator += row.get("numerator") or 0
        cell.people += row["people"]
    return cells


def _clean(value):
    """A dimension's value as a key: "" (no region recorded, no standard) is None."""
    if isinstance(value, datetime):
        return value.date()
    return None if value == "" else value


def _count_verifications(figure, *, start, end, filters, group, granularity, scope):
    """Kept rows and daily totals of rows past retention, added together; the people behind
    a cell (certificate holders) are counted once across both."""
    rows = _enterprise_verifications().filter(_date_range(figure, start, end))
    totals = VerificationDailyCount.objects.filter(
        certificate__isnull=False,
        enterprise__isnull=False,
        enterprise__kind=Organization.Kind.ENTERPRISE,
        day__gte=start,
        day__lte=end,
    ).annotate(verifying_enterprise=F("enterprise_id"))
    if scope is not None:
        rows, totals = rows.filter(scope), totals.filter(scope)
    dims = _certificate_dims("certificate__")
    wanted = {name for name in (*filters, *group) if name != "period"}
    holders: dict[tuple, set] = {}
    cells: dict[tuple, Raw] = {}
    for qs, date_field, measure in (
        (rows, "created_at", Count("pk")),
        (totals, "day", Sum("count")),
    ):
        qs = qs.annotate(**{f"d_{name}": dims[name] for name in wanted})
        qs = qs.filter(**{f"d_{name}": value for name, value in filters.items()})
        if "period" in group:
            qs = qs.annotate(d_period=period_of(date_field, granularity))
        columns = [f"d_{name}" for name in group]
        grouped = qs.values(*columns, "certificate__holder_id").order_by().annotate(n=measure)
        for row in grouped:
            key = tuple(_clean(row[column]) for column in columns)
            cells.setdefault(key, Raw()).value += row["n"] or 0
            holders.setdefault(key, set()).add(row["certificate__holder_id"])
    for key, people in holders.items():
        cells[key].people = len(people)
    return cells


# --- Precomputed facts ----------------------------------------------------------------------

FACT_DIMENSIONS = {
    "standard": "standard",
    "level": "level",
    "school": "school_id",
    "partner": "partner_id",
    "region": "region",
    "cohort": "cohort_id",
}
# Kinds whose row joins several standards or partners (one fact per combination).
MULTI_FACT_KINDS = {"enrolment", "completion"}


def count_facts(
    figure: Figure,
    *,
    refresh_id: int,
    start: date,
    end: date,
    filters: dict,
    group: tuple[str, ...] = (),
    granularity: str = "month",
    scope: Q | None = None,
) -> dict[tuple, Raw]:
    """`count` over the facts of one refresh: the same cells, from one indexed table."""
    from .models import Fact

    qs = Fact.objects.filter(
        figure.fact_where(),
        refresh_id=refresh_id,
        kind=figure.fact_kind,
        day__gte=start,
        day__lte=end,
    )
    if scope is not None:
        qs = qs.filter(scope)
    qs = qs.filter(**{FACT_DIMENSIONS[name]: value for name, value in filters.items()})
    columns = []
    for name in group:
        if name == "period":
            qs = qs.annotate(period=period_of("day", granularity))
            columns.append("period")
        else:
            columns.append(FACT_DIMENSIONS[name])
    distinct = figure.fact_kind in MULTI_FACT_KINDS
    measures = {"people": Count("person_id", distinct=True)}
    if figure.fact_kind == "verification":
        measures["value"] = Sum("weight")
    elif figure.measure == "people":
        measures["value"] = Count("person_id", distinct=True)
    else:
        measures["value"] = Count("row_id", distinct=True) if distinct else Count("pk")
    if figure.numerator is not None:
        measures["numerator"] = Count("pk", filter=Q(passed=True))
    if columns:
        rows = qs.values(*columns).order_by().annotate(**measures)
    else:
        rows = [qs.order_by().aggregate(**measures)]
    cells: dict[tuple, Raw] = {}
    for row in rows:
        key = tuple(_clean(row[column]) for column in columns)
        cells[key] = Raw(
            value=row["value"] or 0, numerator=row.get("numerator") or 0, people=row["people"]
        )
    return cells


# --- All of a kind's figures in one scan (PostgreSQL) --------------------------------------
#
# A reading of the page needs, for every figure, five groupings of the same facts: the
# total, the total a year earlier, the periods, the periods a year earlier and the split.
# `count_facts_together` counts them for all the figures of one kind of fact at once, from
# one grouped scan: the facts are grouped (with GROUPING SETS) by month and by the split's
# dimension, with flags for the current and the year-earlier range and for each figure's
# condition; totals and periods are added up from the months here. Two things do not add
# up that way, and are handled so that every number stays exact:
#
# - rows counted once although they have several facts (an enrolment joined to several
#   standards or partners): the refresh marks, for every subset of the dimensions
#   standard, level and partner, the first fact of each row among those sharing these
#   dimensions (Fact.firsts); a cell restricted to those dimensions counts its rows as its
#   facts so marked (FIRST_DIMENSIONS, first_bit);
# - distinct people. A figure counting people (candidates) is counted exactly, with
#   COUNT(DISTINCT) over the facts in three more statements (the current range's totals
#   and periods, the year-earlier range's, the split). For the others, people only decide
#   suppression (fewer than SUPPRESS_BELOW?): each cell ORs two 64-bit masks of its
#   people's ids (bit id mod 64, and bit id / 64 mod 64); the bits set are at most the
#   people, and the facts at least, so a cell with SUPPRESS_BELOW bits set or fewer facts
#   than that is decided, and the rare cell in between is counted exactly with
#   `count_facts`. Masks OR together, so the rollup below keeps each row's.
#
# With a rollup (below), the grouped scan of a kind reads the rollup's rows for whole
# months and the facts only for what a month-level row cannot decide (`rollup_parts`);
# both parts' rows go through the same grouping sets and add up in `_assemble`.

FIRST_DIMENSIONS = ("standard", "level", "partner")
MASK_BITS = 64


def first_bit(dimensions) -> int:
    """The Fact.firsts bit of the facts that count a row once in a cell restricted to
    `dimensions` (the others do not split a row's facts)."""
    named = {name for name in dimensions if name in FIRST_DIMENSIONS}  # a filter may be the split
    subset = sum(1 << FIRST_DIMENSIONS.index(name) for name in named)
    return 1 << subset


def firsts_sql(kind: str, column: Callable[[str], str]) -> str:
    """The SQL of Fact.firsts over a refresh step's selected facts (`column(name)` quotes
    a selected column): window functions, on SQLite and PostgreSQL alike."""
    if kind not in MULTI_FACT_KINDS:
        return str(2 ** (2 ** len(FIRST_DIMENSIONS)) - 1)
    terms = []
    for subset in range(2 ** len(FIRST_DIMENSIONS)):
        names = ["row_id"] + [
            FACT_DIMENSIONS[name]
            for index, name in enumerate(FIRST_DIMENSIONS)
            if subset & (1 << index)
        ]
        partition = ", ".join(column(name) for name in names)
        first = f"ROW_NUMBER() OVER (PARTITION BY {partition}) = 1"
        terms.append(f"CASE WHEN {first} THEN {1 << subset} ELSE 0 END")
    return " + ".join(terms)


def mask_sql(person: str) -> tuple[str, str]:
    """The two people masks of a group of facts, as SQL aggregates over the quoted column
    `person` (PostgreSQL): bit id mod 64, and bit id / 64 mod 64."""
    return (
        f"BIT_OR(1::bigint << ({person} %% {MASK_BITS})::int)",
        f"BIT_OR(1::bigint << (({person} / {MASK_BITS}) %% {MASK_BITS})::int)",
    )


# --- The rollup: the facts added up by month ----------------------------------------------
#
# The figures that are sums (every one but candidates) do not need the facts one by one:
# the refresh's last step adds them up into reports.models.Rollup, one row per kind,
# month and combination of ROLLUP_KEYS, derived here from the definitions above: the
# dimensions a figure is filtered or split by (cohort aside: a split by cohort is one
# school's, asked with a school chosen, and is read from the facts), the columns a
# reader's scope reads on the facts (the school, the standard's owner, the enterprises of
# SOURCES), the columns the figures' conditions read (Figure.fact_where and the pass
# rates' numerator), and Fact.firsts. A date column a condition compares with today
# (a certificate's expiry) is kept as its month: the rollup decides it for every month
# but the one read in, whose rows are counted from the facts.

ROLLUP_OUTSIDE = ("cohort",)


def _q_columns(condition) -> set[str]:
    names = set()
    for child in condition.children:
        if isinstance(child, Q):
            names |= _q_columns(child)
        else:
            names.add(child[0].split("__")[0])
    return names


def rollup_keys() -> list[str]:
    """The Fact columns a rollup row keeps (and groups by), besides its kind and month."""
    dims = [column for name, column in FACT_DIMENSIONS.items() if name not in ROLLUP_OUTSIDE]
    scope = ["school_id", "owner_id"]
    for source in SOURCES.values():
        scope += source.fact_enterprise_fields
    conditions = set()
    for figure in FIGURES:
        conditions |= _q_columns(figure.fact_where())
        if figure.numerator is not None:
            conditions |= _q_columns(figure.numerator())
    return list(dict.fromkeys([*dims, *scope, *sorted(conditions), "firsts"]))


def rollup_monthly_keys() -> list[str]:
    """The date columns of `rollup_keys` (kept as the first day of their month)."""
    from .models import Fact

    return [
        name
        for name in rollup_keys()
        if isinstance(Fact._meta.get_field(name), DateField) and name != "day"
    ]


def _month_days(month: int) -> tuple[date, date]:
    first = _period_of_month(month, "month")
    return first, _period_of_month(month + 1, "month") - timedelta(days=1)


def rollup_parts(figures, *, facts, refresh_id, ranges, filters, by, scope) -> list[tuple]:
    """The parts a kind's grouped count is read from: [(queryset, summed)], the facts'
    queryset `facts` (already filtered) restricted to what the rollup cannot decide, and
    the rollup's rows (summed) of the rest. Together they hold each fact once:

    - a month that a range (current or a year earlier) starts or ends inside is read
      from the facts, day by day; every other month is wholly inside or outside each
      range, and is read from the rollup, whose rows are dated by the month's first day;
    - a row whose monthly date column (an expiry) falls in today's month is read from the
      facts: compared with today, only the day decides it;
    - a split by a dimension the rollup does not keep (cohort) is read from the facts."""
    from .models import Rollup

    if FACT_DIMENSIONS[by] not in rollup_keys():
        return [(facts, False)]
    low = min(first for first, _last in ranges)
    high = max(last for _first, last in ranges)
    edges = set()
    for first, last in ranges:
        if first.day != 1:
            edges.add(month_key(first))
        if (last + timedelta(days=1)).day != 1:
            edges.add(month_key(last))
    read_in = []  # what the facts are read for: the days of the edge months in a range
    for month in sorted(edges):
        month_first, month_last = _month_days(month)
        for first, last in ranges:
            if max(first, month_first) <= min(last, month_last):
                read_in.append(Q(day__gte=max(first, month_first), day__lte=min(last, month_last)))
    # The other months inside a range (a rollup row's day is its month's first day).
    summed = Rollup.objects.filter(
        _any_of([Q(day__gte=first, day__lte=last) for first, last in ranges]),
        refresh_id=refresh_id,
        kind=figures[0].fact_kind,
        month__gte=month_key(low),
        month__lte=month_key(high),
    ).exclude(month__in=sorted(edges))
    conditions = set()
    for figure in figures:
        conditions |= _q_columns(figure.fact_where())
    this_month, end_of_month = _month_days(month_key(_today()))
    for name in rollup_monthly_keys():
        if name in conditions:
            read_in.append(Q(**{f"{name}__gte": this_month, f"{name}__lte": end_of_month}))
            summed = summed.exclude(**{name: this_month})
    if scope is not None:
        summed = summed.filter(scope)
    summed = summed.filter(**{FACT_DIMENSIONS[name]: value for name, value in filters.items()})
    if not read_in:
        return [(summed, True)]
    return [(facts.filter(_any_of(read_in)), False), (summed, True)]


def _any_of(conditions: list[Q]) -> Q:
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def month_key(day: date) -> int:
    return day.year * 12 + day.month - 1


def _period_of_month(month: int, granularity: str) -> date:
    year, index = divmod(month, 12)
    if granularity == "year":
        return date(year, 1, 1)
    if granularity == "quarter":
        return date(year, index - index % 3 + 1, 1)
    return date(year, index + 1, 1)


READINGS = ("total", "previous_total", "series", "previous_series", "split")


def count_facts_together(
    figures: list[Figure], **options
) -> dict[str, dict[str, dict[tuple, Raw]]]:
    """For figures of one kind of fact: {figure key: {reading: cells}}, the readings being
    those of READINGS, each the cells `count_facts` gives for it (PostgreSQL only)."""
    from .scans import fetch_all

    statements, finish = plan_facts_together(figures, **options)
    return finish(fetch_all(statements))


def plan_facts_together(
    figures: list[Figure],
    *,
    refresh_id: int,
    start: date,
    end: date,
    previous: tuple[date, date],
    filters: dict,
    by: str,
    granularity: str = "month",
    scope: Q | None = None,
    rollup: bool = False,
) -> tuple[list[tuple[str, tuple]], Callable[[list[list[tuple]]], dict]]:
    """`count_facts_together` in two halves: the statements to run (independent of each
    other, so they may run at once on separate connections) and the function turning
    their rows, in the same order, into the figures' readings. With `rollup` (the refresh
    wrote its reports.models.Rollup), the sums are read from the rollup wherever a
    month-level row decides them (`rollup_parts`), from the facts elsewhere."""
    from django.db import connection
    from django.db.models import BooleanField, ExpressionWrapper

    from .models import Fact

    kind = figures[0].fact_kind
    assert all(figure.fact_kind == kind for figure in figures)
    previous_start, previous_end = previous
    qs = Fact.objects.filter(
        refresh_id=refresh_id,
        kind=kind,
        day__gte=min(start, previous_start),
        day__lte=max(end, previous_end),
    )
    if scope is not None:
        qs = qs.filter(scope)
    qs = qs.filter(**{FACT_DIMENSIONS[name]: value for name, value in filters.items()})

    def flag(condition: Q):
        return ExpressionWrapper(condition, output_field=BooleanField())

    conditions = {}  # one flag per distinct figure condition
    for figure in figures:
        condition = figure.fact_where()
        if condition:
            conditions.setdefault(repr(condition), (f"w{len(conditions)}", condition))
    flags = {
        "c": flag(Q(day__gte=start, day__lte=end)),
        "v": flag(Q(day__gte=previous_start, day__lte=previous_end)),
        **{name: flag(condition) for name, condition in conditions.values()},
    }
    multi = kind in MULTI_FACT_KINDS
    if multi:
        # The rows of a total or a period, and those of a split cell.
        for name, dimensions in (("ft", filters), ("fs", [*filters, by])):
            flags[name] = F("firsts").bitand(first_bit(dimensions))
    if any(figure.numerator is not None for figure in figures):
        flags["passed"] = F("passed")
    split = FACT_DIMENSIONS[by]
    month_keys = ["month", "c", "v", *[name for name in flags if name not in ("c", "v", "fs")]]
    split_keys = [split, "c", *[name for name in flags if name not in ("c", "v", "ft")]]

    q = connection.ops.quote_name
    every = list(dict.fromkeys([*month_keys, *split_keys]))
    grouping = f"GROUPING({q(split)})"
    select = ", ".join(q(name) for name in every)

    def grouped(part, summed: bool) -> tuple[str, tuple]:
        annotated = part.annotate(
            **{name: value for name, value in flags.items() if name != "passed"}
        )
        measured = ("facts", "weight", "mask_a", "mask_b") if summed else ("person_id", "weight")
        inner = annotated.values(*measured, "month", split, *flags)
        sql, params = inner.query.sql_with_params()
        if summed:  # a rollup row's sums add up, its masks OR together
            measures = (
                f"SUM({q('facts')}), SUM({q('weight')}), "
                f"BIT_OR({q('mask_a')}), BIT_OR({q('mask_b')})"
            )
        else:
            measures = f"COUNT(*), SUM({q('weight')}), {', '.join(mask_sql(q('person_id')))}"
        # Names quoted by the backend and the queryset's own SQL, its values as parameters.
        statement = (
            f"SELECT {grouping}, {select}, {measures} "  # noqa: S608
            f"FROM ({sql}) AS facts "
            f"GROUP BY GROUPING SETS (({', '.join(q(n) for n in month_keys)}), "
            f"({', '.join(q(n) for n in split_keys)}))"
        )
        return statement, tuple(params)

    parts = [(qs, None)]
    if rollup:
        parts = rollup_parts(
            figures,
            facts=qs,
            refresh_id=refresh_id,
            ranges=[(start, end), previous],
            filters=filters,
            by=by,
            scope=scope,
        )
    statements = [grouped(part, summed) for part, summed in parts]
    grouped_statements = len(statements)
    people = [figure for figure in figures if figure.measure == "people"]
    if people:
        statements += _people_statements(qs, split, granularity, (start, end), previous)
    return statements, lambda rows: _assemble(
        figures,
        rows,
        parts=grouped_statements,
        every=every,
        split=split,
        conditions=conditions,
        granularity=granularity,
        exact={
            "refresh_id": refresh_id,
            "start": start,
            "end": end,
            "previous": previous,
            "filters": filters,
            "by": by,
            "scope": scope,
        },
    )


def _assemble(figures, statement_rows, *, parts, every, split, conditions, granularity, exact):
    """The readings of `plan_facts_together`'s figures from its statements' rows: those of
    the first `parts` statements (the facts' and the rollup's parts) add up."""
    kind = figures[0].fact_kind
    rows = [row for part_rows in statement_rows[:parts] for row in part_rows]
    results = {figure.key: {reading: {} for reading in READINGS} for figure in figures}
    masks: dict[tuple, list] = {}
    for row in rows:
        in_months, values = row[0], dict(zip(every, row[1 : 1 + len(every)], strict=True))
        facts, weight, mask_a, mask_b = row[1 + len(every) :]
        places = []
        if in_months:  # the month grouping set: totals and periods
            period = (_period_of_month(values["month"], granularity),)
            if values["c"]:
                places += [("total", ()), ("series", period)]
            if values["v"]:
                places += [("previous_total", ()), ("previous_series", period)]
            counted = values.get("ft", True)
        else:
            if not values["c"]:
                continue
            places.append(("split", (_clean(values[split]),)))
            counted = values.get("fs", True)
        for figure in figures:
            condition = conditions.get(repr(figure.fact_where()))
            if condition is not None and not values[condition[0]]:
                continue
            for reading, key in places:
                cell = results[figure.key][reading].setdefault(key, Raw())
                if kind == "verification":
                    cell.value += weight or 0
                elif figure.measure != "people" and counted:
                    cell.value += facts
                if figure.numerator is not None and values.get("passed") and counted:
                    cell.numerator += facts
                held = masks.setdefault((figure.key, reading, key), [0, 0, 0])
                held[0] |= mask_a or 0
                held[1] |= mask_b or 0
                held[2] += facts
    for figure in figures:
        for reading in ("total", "previous_total"):
            results[figure.key][reading].setdefault((), Raw())
    _people_bounds(figures, results, masks)
    people = [figure for figure in figures if figure.measure == "people"]
    if people:
        _count_people(
            people, results, *statement_rows[parts:], split=split, granularity=granularity
        )
    start, end = exact["start"], exact["end"]
    previous_start, previous_end = exact["previous"]
    # The rare cells whose masks do not decide: counted exactly.
    undecided = {
        (figure_key, reading)
        for (figure_key, reading, _key), (a, b, facts) in masks.items()
        if _undecided(a, b, facts) and FIGURES_BY_KEY[figure_key].measure != "people"
    }
    for figure_key, reading in undecided:
        figure = FIGURES_BY_KEY[figure_key]
        group = {"total": (), "previous_total": (), "split": (exact["by"],)}
        counted = count_facts(
            figure,
            refresh_id=exact["refresh_id"],
            start=previous_start if reading.startswith("previous") else start,
            end=previous_end if reading.startswith("previous") else end,
            filters=exact["filters"],
            group=group.get(reading, ("period",)),
            granularity=granularity,
            scope=exact["scope"],
        )
        for key, cell in results[figure_key][reading].items():
            if key in counted:
                cell.people = counted[key].people
    return results


def _bits(mask: int) -> int:
    return (mask & (2**MASK_BITS - 1)).bit_count()


def _undecided(mask_a: int, mask_b: int, facts: int) -> bool:
    return max(_bits(mask_a), _bits(mask_b)) < SUPPRESS_BELOW <= facts


def _people_bounds(figures, results, masks) -> None:
    """People as far as suppression needs them: 0 when no bit is set (nobody), else the
    bits set, at most the people; a cell with fewer facts than SUPPRESS_BELOW has fewer
    people too, and is given at most that many."""
    for (figure_key, reading, key), (mask_a, mask_b, facts) in masks.items():
        bits = max(_bits(mask_a), _bits(mask_b))
        results[figure_key][reading][key].people = min(bits, facts) if bits else 0


def _people_statements(qs, split, granularity, current, previous) -> list[tuple[str, tuple]]:
    """The statements counting exact distinct people of every reading (for figures whose
    value is people): COUNT(DISTINCT) over GROUPING SETS of the totals and periods, one
    statement per range (`current`, `previous`: first and last days), so that they may
    run at once; and over the split of the current range."""
    from django.db import connection

    step = {"month": 1, "quarter": 3, "year": 12}[granularity]
    q = connection.ops.quote_name
    person = q("person_id")
    period = f"({q('month')} / {step})"
    statements = []
    for first, last in (current, previous):
        inner = qs.filter(day__gte=first, day__lte=last).values("person_id", "month")
        sql, params = inner.query.sql_with_params()
        statement = (
            f"SELECT GROUPING({period}), {period}, COUNT(DISTINCT {person}) "  # noqa: S608
            f"FROM ({sql}) AS facts GROUP BY GROUPING SETS ((), ({period}))"
        )
        statements.append((statement, tuple(params)))
    first, last = current
    by_split = qs.filter(day__gte=first, day__lte=last).values(split)
    by_split = by_split.order_by().annotate(people=Count("person_id", distinct=True))
    split_sql, split_params = by_split.query.sql_with_params()
    return [*statements, (split_sql, tuple(split_params))]


def _count_people(
    figures, results, current_rows, previous_rows, split_rows, *, split, granularity
) -> None:
    """Sets the people figures' cells from the rows of `_people_statements`."""
    step = {"month": 1, "quarter": 3, "year": 12}[granularity]
    places = []
    for rows, total, series in (
        (current_rows, "total", "series"),
        (previous_rows, "previous_total", "previous_series"),
    ):
        for no_period, period_key, people in rows:
            if no_period:
                places.append((total, (), people))
            else:
                key = (_period_of_month(period_key * step, granularity),)
                places.append((series, key, people))
    places += [("split", (_clean(value),), people) for value, people in split_rows]
    for figure in figures:
        for reading, key, number in places:
            cell = results[figure.key][reading].get(key)
            if cell is not None:
                cell.value = cell.people = number


def _local_day(name: str):
    """The day of a datetime in the site's time zone (as the live counts bound it)."""
    return TruncDate(name)


def fact_querysets() -> list[tuple[str, QuerySet]]:
    """(kind, queryset) pairs whose rows are the facts: each selects exactly the Fact columns
    (reports.rollups inserts them with INSERT ... SELECT), from the sources, dimensions and
    rules above."""
    from django.db.models import BigIntegerField, BooleanField, CharField, ExpressionWrapper, Value
    from django.db.models.functions import Cast, ExtractMonth, ExtractYear, NullIf

    # Typed NULLs: PostgreSQL must know a NULL column's type in INSERT ... SELECT.
    nothing = Cast(Value(None), output_field=BigIntegerField())

    def columns(kind, dims, **values):
        base = {
            "kind": Value(kind, output_field=CharField()),
            "standard": dims["standard"],
            "level": dims["level"],
            "school_id": dims["school"],
            "partner_id": dims["partner"],
            "region": NullIf(dims["region"], Value("")),
            "cohort_id": dims["cohort"],
            "owner_id": nothing,
            "verifying_enterprise_id": nothing,
            "graded": Value(False),
            "passed": Value(False),
            "first": Value(False),
            "status": Value("", output_field=CharField()),
            "expires_on": Cast(Value(None), output_field=DateField()),
            "weight": Value(1, output_field=IntegerField()),
        }
        base.update(values)
        day = base["day"]
        base["month"] = ExtractYear(day) * 12 + ExtractMonth(day.copy()) - 1
        return base

    def selecting(qs, values):
        names = {f"f_{name}": expression for name, expression in values.items()}
        return qs.annotate(**names).values(*names)

    completed = FIGURES_BY_KEY["completions"].where()
    graded = FIGURES_BY_KEY["pass_rate"].where()
    learning = [
        (
            "enrolment",
            selecting(
                _enrolments(),
                columns(
                    "enrolment",
                    _enrolment_dims(),
                    day=_local_day("enrolled_at"),
                    row_id=F("pk"),
                    person_id=F("student_id"),
                ),
            ),
        ),
        (
            "completion",
            selecting(
                _enrolments().filter(completed),
                columns(
                    "completion",
                    _enrolment_dims(),
                    day=_local_day("completed_at"),
                    row_id=F("pk"),
                    person_id=F("student_id"),
                ),
            ),
        ),
    ]
    sittings = (
        "sitting",
        selecting(
            EXAMS.queryset(),
            columns(
                "sitting",
                _attempt_dims(),
                day=_local_day("submitted_at"),
                row_id=F("pk"),
                person_id=F("student_id"),
                owner_id=F("exam__skill_level__standard__owner_id"),
                graded=ExpressionWrapper(graded, output_field=BooleanField()),
                passed=Coalesce(F("passed"), Value(False)),
                first=ExpressionWrapper(_first_sitting(), output_field=BooleanField()),
            ),
        ),
    )
    certificates = (
        "certificate",
        selecting(
            CERTIFICATES.queryset(),
            columns(
                "certificate",
                _certificate_dims(),
                day=F("issued_on"),
                row_id=F("pk"),
                person_id=F("holder_id"),
                owner_id=F("government_id"),
                status=F("status"),
                expires_on=F("expires_on"),
            ),
        ),
    )
    verification_columns = {
        "row_id": F("pk"),
        "person_id": F("certificate__holder_id"),
        "owner_id": F("certificate__government_id"),
        "verifying_enterprise_id": F("verifying_enterprise"),
    }
    verifications = [
        (
            "verification",
            selecting(
                _enterprise_verifications(),
                columns(
                    "verification",
                    _certificate_dims("certificate__"),
                    day=_local_day("created_at"),
                    **verification_columns,
                ),
            ),
        ),
        (
            "verification",
            selecting(
                VerificationDailyCount.objects.filter(
                    certificate__isnull=False, enterprise__kind=Organization.Kind.ENTERPRISE
                ).annotate(verifying_enterprise=F("enterprise_id")),
                columns(
                    "verification",
                    _certificate_dims("certificate__"),
                    day=F("day"),
                    weight=F("count"),
                    **verification_columns,
                ),
            ),
        ),
    ]
    return [*learning, sittings, certificates, *verifications]
