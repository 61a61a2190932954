"""Write paths for courses: enrolment, withdrawal, CSV enrolment and lesson completion."""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Membership

from .models import Cohort, Course, Enrollment, Lesson, LessonCompletion
from .signals import course_completed


class EnrollmentError(ValidationError):
    """A refusal to enrol, with a message the student can read."""


def missing_prerequisites(*, student, course: Course) -> list[Course]:
    """Prerequisite courses the student has not completed."""
    required = list(course.prerequisites.all())
    if not required:
        return []
    done = set(
        Enrollment.objects.filter(
            student=student, course__in=required, status=Enrollment.Status.COMPLETED
        ).values_list("course_id", flat=True)
    )
    return [c for c in required if c.pk not in done]


def _check_can_enrol(*, student, course: Course, cohort: Cohort | None, by_teacher: bool) -> None:
    if not course.is_published and not by_teacher:
        raise EnrollmentError(_("This course is not open for enrolment."), code="unpublished")
    if cohort is not None:
        if cohort.course_id != course.pk:
            raise EnrollmentError(_("That class belongs to another course."), code="cohort")
        if cohort.capacity is not None:
            taken = cohort.enrollments.active().exclude(student=student).count()
            if taken >= cohort.capacity:
                raise EnrollmentError(
                    _("The class %(name)s is full.") % {"name": cohort.name}, code="full"
                )
    missing = missing_prerequisites(student=student, course=course)
    if missing:
        names = ", ".join(c.title for c in missing)
        raise EnrollmentError(
            _("Complete these courses first: %(courses)s.") % {"courses": names},
            code="prerequisites",
        )


@transaction.atomic
def enrollment_create(
    *, student, course: Course, cohort: Cohort | None = None, by_teacher: bool = False
) -> Enrollment:
    """Enrol a student; a withdrawn enrolment is reactivated, an active one is refused."""
    _check_can_enrol(student=student, course=course, cohort=cohort, by_teacher=by_teacher)
    existing = Enrollment.objects.select_for_update().filter(student=student, course=course).first()
    if existing and existing.is_active:
        raise EnrollmentError(_("You are already enrolled in this course."), code="duplicate")
    if existing:
        existing.status = Enrollment.Status.ACTIVE
        existing.withdrawn_at = None
        existing.cohort = cohort or existing.cohort
        existing.save(update_fields=["status", "withdrawn_at", "cohort"])
        return existing
    try:
        with transaction.atomic():
            return Enrollment.objects.create(student=student, course=course, cohort=cohort)
    except IntegrityError as exc:  # a concurrent request enrolled first
        raise EnrollmentError(
            _("You are already enrolled in this course."), code="duplicate"
        ) from exc


@transaction.atomic
def enrollment_withdraw(*, enrollment: Enrollment) -> Enrollment:
    if not enrollment.is_active:
        raise EnrollmentError(_("This enrolment is already withdrawn."), code="withdrawn")
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.withdrawn_at = timezone.now()
    enrollment.save(update_fields=["status", "withdrawn_at"])
    return enrollment


@transaction.atomic
def lesson_complete(*, student, lesson: Lesson) -> LessonCompletion:
    """Mark a lesson done; completing the last required lesson completes the course."""
    course = lesson.module.course
    enrollment = (
        Enrollment.objects.select_for_update().filter(student=student, course=course).first()
    )
    if enrollment is None or not enrollment.is_active:
        raise EnrollmentError(
            _("Enrol in this course to record your progress."), code="not_enrolled"
        )
    completion, _created = LessonCompletion.objects.get_or_create(
        enrollment=enrollment, lesson=lesson
    )
    _complete_course_if_done(enrollment)
    return completion


def _complete_course_if_done(enrollment: Enrollment) -> None:
    if enrollment.status == Enrollment.Status.COMPLETED:
        return
    progress = Enrollment.objects.with_progress().get(pk=enrollment.pk)
    if progress.required_lessons and progress.completed_lessons >= progress.required_lessons:
        enrollment.status = Enrollment.Status.COMPLETED
        enrollment.completed_at = timezone.now()
        enrollment.save(update_fields=["status", "completed_at"])
        transaction.on_commit(
            lambda: course_completed.send(sender=Enrollment, enrollment=enrollment)
        )


@dataclass
class RowReport:
    line: int
    identifier: str
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class CsvImportReport:
    rows: list[RowReport]
    imported: int = 0

    @property
    def ok(self) -> bool:
        return all(not row.errors for row in self.rows) and bool(self.rows)


MAX_CSV_ROWS = 5000


def _read_csv(data: bytes) -> list[tuple[int, str]]:
    """(line number, identifier) per non-empty row; the first column holds username or email."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The file is not UTF-8 text. Save it as CSV (UTF-8).")) from exc
    rows = []
    for line_no, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        value = (row[0] if row else "").strip()
        if not value or (line_no == 1 and value.lower() in {"username", "email"}):
            continue
        rows.append((line_no, value))
    if not rows:
        raise ValidationError(_("The file has no students in it."))
    if len(rows) > MAX_CSV_ROWS:
        raise ValidationError(
            _("At most %(n)d students can be enrolled from one file.") % {"n": MAX_CSV_ROWS}
        )
    return rows


def enrollable_students(course: Course):
    """Who a teacher may enrol from a file: the active students of the course's school.

    Never a platform admin, nor anyone of another organisation: the report says the same
    for them as for a name nobody has, so a file cannot probe for accounts elsewhere.
    """
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            is_superuser=False,
            memberships__organization_id=course.school_id,
            memberships__organization__is_active=True,
            memberships__role=Membership.Role.STUDENT,
            memberships__is_active=True,
        )
        .distinct()
    )


def enrollments_import_csv(*, cohort: Cohort, data: bytes) -> CsvImportReport:
    """Enrol every student listed in a CSV into a cohort, or none if any row is bad."""
    rows = _read_csv(data)
    identifiers = [value for _line, value in rows]
    users = (
        enrollable_students(cohort.course)
        .annotate(email_lower=Lower("email"))
        .filter(
            Q(username__in=identifiers)
            | Q(email_lower__in=[value.lower() for value in identifiers])
        )
    )
    by_username, by_email = {}, {}
    for user in users:
        by_username[user.username] = user
        if user.email:
            by_email.setdefault(user.email.lower(), []).append(user)
    report = CsvImportReport(rows=[RowReport(line=line, identifier=value) for line, value in rows])
    seen: dict[int, int] = {}
    matched = []
    for row in report.rows:
        candidates = {u.pk: u for u in by_email.get(row.identifier.lower(), [])}
        if row.identifier in by_username:
            candidates = {by_username[row.identifier].pk: by_username[row.identifier]}
        if not candidates:
            row.errors.append(_("No student of this school has this username or email."))
            continue
        if len(candidates) > 1:
            row.errors.append(
                _("More than one student of this school has this email; use the username.")
            )
            continue
        user = next(iter(candidates.values()))
        if user.pk in seen:
            row.errors.append(_("Same student as line %(line)d.") % {"line": seen[user.pk]})
            continue
        seen[user.pk] = row.line
        matched.append((row, user))
    if not report.ok:
        return report
    try:
        with transaction.atomic():
            for row, user in matched:
                try:
                    enrollment_create(
                        student=user, course=cohort.course, cohort=cohort, by_teacher=True
                    )
                except EnrollmentError as exc:
                    # Uploading a list again is harmless: the already enrolled are noted.
                    if exc.code == "duplicate":
                        row.notes.append(_("Already enrolled."))
                        continue
                    row.errors.extend(exc.messages)
            if not report.ok:
                raise _RollBack
            report.imported = sum(1 for row, _user in matched if not row.notes)
    except _RollBack:
        pass
    return report


class _RollBack(Exception):
    """Raised to undo a partly done import."""
