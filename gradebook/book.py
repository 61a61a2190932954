"""A cohort's gradebook: students × lessons, exam results by part, certificates, at-risk flags.

Built in a fixed number of queries whatever the number of students, lessons or exams; the
page and both exports render the same rows and columns, so a file holds exactly what the page
shows (the page a page of them at a time, an export all of them).
"""

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certificates.models import Certificate
from courses.models import Cohort, Enrollment, Lesson, LessonCompletion
from exams.models import Attempt, Exam
from organizations.models import Membership

DEFAULT_INACTIVE_DAYS = 14

# Flags (their labels are in FLAG_LABELS, translated when shown).
INACTIVE = "inactive"
BELOW_MEDIAN = "below_median"


def flag_labels() -> dict[str, str]:
    return {
        INACTIVE: _("No activity"),
        BELOW_MEDIAN: _("Below the cohort median"),
    }


@dataclass
class ExamResult:
    """The student's best graded attempt at one exam, or where their attempts stand."""

    theory: Decimal | None = None
    practical: Decimal | None = None
    total: Decimal | None = None
    passed: bool | None = None
    waiting: bool = False  # submitted, not graded yet
    attempts: int = 0


@dataclass
class Row:
    enrollment: Enrollment
    name: str
    username: str
    student_number: str
    progress: int
    completed: set[int]
    last_activity: datetime
    results: dict[int, ExamResult] = field(default_factory=dict)
    certificates: list[Certificate] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def at_risk(self) -> bool:
        return bool(self.flags)


@dataclass
class Gradebook:
    cohort: Cohort
    lessons: list[Lesson]
    exams: list[Exam]
    rows: list[Row]
    median: float | None
    inactive_days: int
    total_students: int


SORTS = {
    "name": lambda row: (row.name.casefold(), row.username),
    "progress": lambda row: (row.progress, row.name.casefold()),
    "activity": lambda row: (row.last_activity, row.name.casefold()),
    "risk": lambda row: (len(row.flags), -row.progress, row.name.casefold()),
}


def _name(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.display_name if profile else user.get_username()


def _best_results(attempts) -> dict[tuple[int, int], ExamResult]:
    """(student id, exam id) -> the best graded attempt (highest total), else its state."""
    results: dict[tuple[int, int], ExamResult] = {}
    for attempt in attempts:
        result = results.setdefault((attempt.student_id, attempt.exam_id), ExamResult())
        result.attempts += 1
        if attempt.status == Attempt.Status.GRADED and attempt.total_percent is not None:
            if result.total is None or attempt.total_percent > result.total:
                result.theory = attempt.theory_percent
                result.practical = attempt.practical_percent
                result.total = attempt.total_percent
                result.passed = attempt.passed
        elif attempt.status == Attempt.Status.SUBMITTED:
            result.waiting = True
    for result in results.values():
        if result.total is not None:
            result.waiting = False
    return results


def build(
    cohort: Cohort,
    *,
    inactive_days: int = DEFAULT_INACTIVE_DAYS,
    now: datetime | None = None,
) -> Gradebook:
    """Every active (or completed) student of the cohort, with flags set against the cohort."""
    now = now or timezone.now()
    course = cohort.course
    lessons = list(
        Lesson.objects.filter(module__course=course).order_by("module__position", "position")
    )
    enrollments = list(
        Enrollment.objects.active()
        .filter(cohort=cohort)
        .with_progress()
        .select_related("student__profile")
    )
    enrollment_ids = [e.pk for e in enrollments]
    student_ids = [e.student_id for e in enrollments]

    completed: dict[int, set[int]] = {}
    latest: dict[int, datetime] = {}
    for enrollment_id, lesson_id, at in LessonCompletion.objects.filter(
        enrollment_id__in=enrollment_ids
    ).values_list("enrollment_id", "lesson_id", "completed_at"):
        completed.setdefault(enrollment_id, set()).add(lesson_id)
        latest[enrollment_id] = max(latest.get(enrollment_id, at), at)

    # The course's exams, and the school's exams open to everyone (skill-level exams without
    # a course) that a student of the cohort has sat: one query.
    sat_elsewhere = Attempt.objects.filter(
        student_id__in=student_ids,
        exam__course__isnull=True,
        exam__organization_id=course.school_id,
    ).values("exam_id")
    exams = list(Exam.objects.filter(Q(course=course) | Q(pk__in=sat_elsewhere)).order_by("pk"))
    attempts = list(
        Attempt.objects.filter(exam__in=exams, student_id__in=student_ids).only(
            "student_id",
            "exam_id",
            "status",
            "started_at",
            "submitted_at",
            "theory_percent",
            "practical_percent",
            "total_percent",
            "passed",
        )
    )
    results = _best_results(attempts)
    attempted: dict[int, datetime] = {}
    for attempt in attempts:
        at = attempt.submitted_at or attempt.started_at
        attempted[attempt.student_id] = max(attempted.get(attempt.student_id, at), at)

    # The school's own numbers for its students (memberships of the course's school).
    numbers = dict(
        Membership.objects.filter(
            organization_id=course.school_id,
            role=Membership.Role.STUDENT,
            user_id__in=student_ids,
        )
        .exclude(student_number="")
        .values_list("user_id", "student_number")
    )

    certificates: dict[int, list[Certificate]] = {}
    for certificate in (
        Certificate.objects.current()
        .filter(holder_id__in=student_ids)
        .filter(Q(course=course) | Q(attempt__exam__in=exams))
        .order_by("issued_on", "pk")
    ):
        certificates.setdefault(certificate.holder_id, []).append(certificate)

    rows = []
    for enrollment in enrollments:
        student = enrollment.student
        moments = [enrollment.enrolled_at, latest.get(enrollment.pk), attempted.get(student.pk)]
        rows.append(
            Row(
                enrollment=enrollment,
                name=_name(student),
                username=student.get_username(),
                student_number=numbers.get(student.pk, ""),
                progress=enrollment.progress_percent,
                completed=completed.get(enrollment.pk, set()),
                last_activity=max(m for m in moments if m is not None),
                results={
                    exam.pk: results[(student.pk, exam.pk)]
                    for exam in exams
                    if (student.pk, exam.pk) in results
                },
                certificates=certificates.get(student.pk, []),
            )
        )

    median = statistics.median([row.progress for row in rows]) if rows else None
    quiet_since = now - timedelta(days=inactive_days)
    for row in rows:
        if row.enrollment.status == Enrollment.Status.COMPLETED:
            continue  # a student who finished the course is not at risk
        if row.last_activity < quiet_since:
            row.flags.append(INACTIVE)
        if median is not None and row.progress < median:
            row.flags.append(BELOW_MEDIAN)
    rows.sort(key=SORTS["name"])
    return Gradebook(
        cohort=cohort,
        lessons=lessons,
        exams=exams,
        rows=rows,
        median=median,
        inactive_days=inactive_days,
        total_students=len(rows),
    )


def select(
    book: Gradebook, *, q: str = "", risk: str = "", status: str = "", sort: str = "name"
) -> Gradebook:
    """The rows a teacher asked for: searched, filtered by flag or status, sorted."""
    rows = book.rows
    text = q.strip().casefold()
    if text:
        rows = [
            r
            for r in rows
            if text in r.name.casefold()
            or text in r.username.casefold()
            or text in r.student_number.casefold()
        ]
    if risk == "any":
        rows = [r for r in rows if r.at_risk]
    elif risk in (INACTIVE, BELOW_MEDIAN):
        rows = [r for r in rows if risk in r.flags]
    if status:
        rows = [r for r in rows if r.enrollment.status == status]
    key = sort.lstrip("-")
    if key in SORTS:
        rows = sorted(rows, key=SORTS[key], reverse=sort.startswith("-"))
    book.rows = rows
    return book


# --- The table the page and the exports show ----------------------------------------------


@dataclass
class Cell:
    text: str
    value: object = None  # a number for spreadsheets; None: the text is the value
    css: str = ""


def _percent(value: Decimal | None) -> Cell:
    if value is None:
        return Cell("", css="num")
    return Cell(f"{value.normalize():f}", value=float(value), css="num")


def _result_cells(result: ExamResult | None) -> list[Cell]:
    if result is None:
        return [Cell(""), Cell(""), Cell(""), Cell(_("Not attempted"), css="muted")]
    if result.total is None:
        state = _("Waiting for marking") if result.waiting else _("In progress")
        return [Cell(""), Cell(""), Cell(""), Cell(state, css="muted")]
    outcome = Cell(_("Passed"), css="ok") if result.passed else Cell(_("Failed"), css="bad")
    return [_percent(result.theory), _percent(result.practical), _percent(result.total), outcome]


def header(book: Gradebook) -> list[str]:
    columns = [_("Student"), _("Username"), _("Student number"), _("Progress (%)")]
    columns += [_("Last activity"), _("At risk")]
    columns += [lesson.title for lesson in book.lessons]
    for exam in book.exams:
        columns += [
            _("%(exam)s: theory (%%)") % {"exam": exam.title},
            _("%(exam)s: practical (%%)") % {"exam": exam.title},
            _("%(exam)s: total (%%)") % {"exam": exam.title},
            _("%(exam)s: result") % {"exam": exam.title},
        ]
    columns.append(_("Certificates"))
    return columns


def body(book: Gradebook, rows: list[Row] | None = None) -> list[list[Cell]]:
    """The table's cells for `rows` (one page of the book), or for all its rows."""
    labels = flag_labels()
    table = []
    for row in book.rows if rows is None else rows:
        cells = [
            Cell(row.name),
            Cell(row.username),
            Cell(row.student_number),
            Cell(str(row.progress), value=row.progress, css="num"),
            Cell(date_format(timezone.localtime(row.last_activity), "SHORT_DATE_FORMAT")),
            Cell("; ".join(labels[f] for f in row.flags), css="bad" if row.flags else ""),
        ]
        cells += [
            Cell("✓", css="done-cell") if lesson.pk in row.completed else Cell("")
            for lesson in book.lessons
        ]
        for exam in book.exams:
            cells += _result_cells(row.results.get(exam.pk))
        cells.append(
            Cell("; ".join(f"{c.serial} ({c.get_status_display()})" for c in row.certificates))
        )
        table.append(cells)
    return table
