"""Rosters: a school creates its students' accounts and enrols them in cohorts in one step.

A roster is a CSV or Excel file, one student a row: student number, names in native and
Latin script, email and cohort. Loading it is all or nothing: every row is checked first and
the report names each bad row; nothing is written while any row is bad, and a refusal found
while writing (a full cohort) undoes every row.

Existing accounts are matched only among the school's own students (by student number,
then by email): a person of another organisation, or a platform administrator, with the
same email is never matched nor mentioned; a new account is made instead, so the report
reads the same whether or not such an account exists elsewhere (review finding 12).

New accounts get no password: each gets an invitation link (Django's password reset
token) with which its owner chooses one.
"""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext as _

from organizations import audit
from organizations.models import Membership, Organization, Profile
from organizations.services import membership_grant

from .models import Cohort
from .services import EnrollmentError, enrollment_create

MAX_ROSTER_ROWS = 2000
MAX_ROSTER_BYTES = 2 * 1024 * 1024

# Header names accepted for each column (lower-cased; English and Chinese).
COLUMNS = {
    "student_number": {"student_number", "student number", "student no", "number", "学号"},
    "name_native": {"name_native", "native name", "name (native)", "姓名", "中文姓名"},
    "name_latin": {"name_latin", "latin name", "name (latin)", "拼音", "拼音姓名", "英文姓名"},
    "email": {"email", "e-mail", "邮箱", "电子邮箱"},
    "cohort": {"cohort", "class", "班级"},
}


@dataclass
class RosterRow:
    line: int
    student_number: str = ""
    name_native: str = ""
    name_latin: str = ""
    email: str = ""
    cohort_text: str = ""
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cohort: Cohort | None = None
    user: object = None  # the matched or created account
    created: bool = False
    username: str = ""

    @property
    def name(self) -> str:
        return self.name_native or self.name_latin


@dataclass
class RosterReport:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the file as a whole
    written: bool = False

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors and not any(r.errors for r in self.rows)

    @property
    def bad_rows(self) -> list[RosterRow]:
        return [row for row in self.rows if row.errors]

    @property
    def created(self) -> int:
        return sum(1 for row in self.rows if row.created)

    @property
    def matched(self) -> int:
        return sum(1 for row in self.rows if row.user is not None and not row.created)

    @property
    def enrolled(self) -> int:
        return sum(1 for row in self.rows if row.cohort is not None and not row.notes)


# --- Reading ---------------------------------------------------------------------------------


def _text(value) -> str:
    """A cell as text: whole numbers (Excel stores student numbers as such) without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _table_from_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The file is not UTF-8 text. Save it as CSV (UTF-8).")) from exc
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def _table_from_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise ValidationError(_("The file could not be read as an Excel workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_text(value) for value in row])
            if len(rows) > MAX_ROSTER_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def read_table(data: bytes, filename: str) -> list[list[str]]:
    if len(data) > MAX_ROSTER_BYTES:
        raise ValidationError(_("The file is larger than 2 MB."))
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _table_from_xlsx(data)
    if name.endswith((".csv", ".txt")):
        return _table_from_csv(data)
    raise ValidationError(_("Upload a .csv or .xlsx file."))


def parse(table: list[list[str]]) -> list[RosterRow]:
    """Rows of the roster, from a table whose first row names the columns."""
    if not table:
        raise ValidationError(_("The file is empty."))
    header = [cell.strip().lower() for cell in table[0]]
    positions = {}
    for column, names in COLUMNS.items():
        for index, cell in enumerate(header):
            if cell in names:
                positions[column] = index
                break
    missing = [c for c in ("student_number", "cohort") if c not in positions]
    if "name_native" not in positions and "name_latin" not in positions:
        missing.append("name_native / name_latin")
    if missing:
        raise ValidationError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            column: (cells[index].strip() if index < len(cells) else "")
            for column, index in positions.items()
        }
        rows.append(
            RosterRow(
                line=line,
                student_number=values.get("student_number", ""),
                name_native=values.get("name_native", ""),
                name_latin=values.get("name_latin", ""),
                email=values.get("email", ""),
                cohort_text=values.get("cohort", ""),
            )
        )
    if not rows:
        raise ValidationError(_("The file has no students in it."))
    if len(rows) > MAX_ROSTER_ROWS:
        raise ValidationError(
            _("At most %(n)d students can be loaded from one file.") % {"n": MAX_ROSTER_ROWS}
        )
    return rows


# --- Checking --------------------------------------------------------------------------------


def school_cohorts(school: Organization):
    return Cohort.objects.filter(course__school=school).select_related("course")


def _cohort_lookup(school: Organization) -> dict[str, list[Cohort]]:
    """Cohorts by "name" and by "course code / name" (case-insensitive)."""
    found: dict[str, list[Cohort]] = {}
    for cohort in school_cohorts(school):
        for key in (cohort.name, f"{cohort.course.code} / {cohort.name}"):
            found.setdefault(key.casefold(), []).append(cohort)
    return found


def _school_students(school: Organization, rows: list[RosterRow]):
    """The school's own student memberships that rows may match, by number and by email."""
    numbers = [row.student_number for row in rows if row.student_number]
    emails = [row.email.lower() for row in rows if row.email]
    memberships = (
        Membership.objects.filter(
            organization=school,
            role=Membership.Role.STUDENT,
            user__is_superuser=False,
        )
        .select_related("user")
        .annotate(email_lower=Lower("user__email"))
    )
    by_number = {m.student_number: m for m in memberships.filter(student_number__in=numbers)}
    by_email: dict[str, list[Membership]] = {}
    for membership in memberships.filter(email_lower__in=emails):
        by_email.setdefault(membership.email_lower, []).append(membership)
    return by_number, by_email


def check(school: Organization, rows: list[RosterRow]) -> None:
    """Record every problem of every row; match the school's existing students."""
    cohorts = _cohort_lookup(school)
    by_number, by_email = _school_students(school, rows)
    seen_numbers: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    number_field = Membership._meta.get_field("student_number")
    for row in rows:
        if not row.student_number:
            row.errors.append(_("The student number is missing."))
        elif len(row.student_number) > number_field.max_length:
            row.errors.append(
                _("The student number is longer than %(n)d characters.")
                % {"n": number_field.max_length}
            )
        elif row.student_number in seen_numbers:
            row.errors.append(
                _("Same student number as line %(line)d.")
                % {"line": seen_numbers[row.student_number]}
            )
        else:
            seen_numbers[row.student_number] = row.line
        if not row.name_native and not row.name_latin:
            row.errors.append(_("Give the name in native or Latin script (or both)."))
        for value in (row.name_native, row.name_latin):
            if len(value) > Profile._meta.get_field("name_native").max_length:
                row.errors.append(_("A name is longer than 100 characters."))
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                row.errors.append(_("The email address is not valid."))
            else:
                key = row.email.lower()
                if key in seen_emails:
                    row.errors.append(
                        _("Same email as line %(line)d.") % {"line": seen_emails[key]}
                    )
                seen_emails.setdefault(key, row.line)
        if row.cohort_text:
            matches = cohorts.get(row.cohort_text.casefold(), [])
            if not matches:
                row.errors.append(
                    _("The school has no cohort called “%(name)s”.") % {"name": row.cohort_text}
                )
            elif len(matches) > 1:
                row.errors.append(
                    _("Several cohorts are called “%(name)s”: write it as “course code / name”.")
                    % {"name": row.cohort_text}
                )
            else:
                row.cohort = matches[0]
        _match(row, by_number, by_email)


def _match(row: RosterRow, by_number: dict, by_email: dict) -> None:
    """The school's own student this row names, if any (never anyone outside the school)."""
    membership = by_number.get(row.student_number)
    if membership is None and row.email:
        same_email = by_email.get(row.email.lower(), [])
        numbered = [m for m in same_email if m.student_number]
        if numbered:
            row.errors.append(
                _("This email belongs to the school's student number %(number)s.")
                % {"number": numbered[0].student_number}
            )
            return
        candidates = [m for m in same_email if not m.student_number]
        if len(candidates) > 1:
            row.errors.append(
                _("More than one student of this school has this email; give each a number.")
            )
            return
        membership = candidates[0] if candidates else None
    if membership is None:
        return
    if row.email and membership.user.email and membership.user.email.lower() != row.email.lower():
        row.errors.append(
            _("Student number %(number)s belongs to a student of this school with another email.")
            % {"number": row.student_number}
        )
        return
    row.user = membership.user
    row.username = membership.user.get_username()


# --- Writing ---------------------------------------------------------------------------------


class _RollBack(Exception):
    """Raised to undo a partly written roster."""


def _username(school: Organization, number: str, taken: set[str]) -> str:
    """`<school code>-<student number>`, with a counter when that name is in use."""
    base = slugify(f"{school.code}-{number}")[:140] or slugify(school.code)
    candidate, n = base, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate.lower())
    return candidate


def _create_accounts(school: Organization, rows: list[RosterRow], *, by) -> None:
    """New accounts with their profiles and student memberships, a few statements in all
    (a 500-row roster loads in one request); each membership is audited like a grant."""
    if not rows:
        return
    User = get_user_model()
    # Every name a new account could take starts with the school's code.
    taken = {
        name.lower()
        for name in User.objects.filter(username__istartswith=slugify(school.code)).values_list(
            "username", flat=True
        )
    }
    users = []
    for row in rows:
        row.username = _username(school, row.student_number, taken)
        # No usable password: the owner chooses one through the invitation link.
        users.append(User(username=row.username, email=row.email, password=make_password(None)))
    User.objects.bulk_create(users)
    # Read back: not every database returns the new primary keys from a bulk insert.
    by_name = User.objects.in_bulk([u.username for u in users], field_name="username")
    for row in rows:
        row.user, row.created = by_name[row.username], True
    Profile.objects.bulk_create(
        [
            Profile(user=row.user, name_native=row.name_native, name_latin=row.name_latin)
            for row in rows
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=row.user,
                organization=school,
                role=Membership.Role.STUDENT,
                student_number=row.student_number,
            )
            for row in rows
        ]
    )
    for membership in Membership.objects.filter(
        organization=school, role=Membership.Role.STUDENT, user__in=[row.user for row in rows]
    ).select_related("user"):
        audit.record(
            audit.Action.MEMBERSHIP_GRANTED,
            obj=membership,
            actor=by,
            organization=school,
            label=f"{membership.user.get_username()} · {membership.role} · {school.code}",
            after={"role": membership.role, "is_active": True, "user": membership.user.username},
            note="roster",  # the trail's notes are data, not interface text
        )


def _write(school: Organization, rows: list[RosterRow], *, by) -> None:
    _create_accounts(school, [row for row in rows if row.user is None], by=by)
    for row in rows:
        if not row.created:
            membership = membership_grant(
                user=row.user, organization=school, role=Membership.Role.STUDENT, by=by
            )
            if membership.student_number != row.student_number:
                membership.student_number = row.student_number
                membership.save(update_fields=["student_number"])
        if row.cohort is not None:
            try:
                enrollment_create(
                    student=row.user, course=row.cohort.course, cohort=row.cohort, by_teacher=True
                )
            except EnrollmentError as exc:
                if exc.code == "duplicate":
                    row.notes.append(_("Already enrolled in this course."))
                else:
                    row.errors.extend(exc.messages)
    if any(row.errors for row in rows):
        raise _RollBack


def roster_load(*, school: Organization, data: bytes, filename: str, by=None) -> RosterReport:
    """Check a roster and, when every row is good, write it all in one transaction."""
    if school.kind != Organization.Kind.SCHOOL:
        raise ValidationError(_("Only a school loads a roster of students."))
    report = RosterReport()
    try:
        report.rows = parse(read_table(data, filename))
    except ValidationError as exc:
        report.errors.extend(exc.messages)
        return report
    check(school, report.rows)
    if not report.ok:
        return report
    try:
        with transaction.atomic():
            _write(school, report.rows, by=by)
            audit.record(
                audit.Action.ROSTER_IMPORTED,
                obj=school,
                actor=by,
                organization=school,
                label=f"{school.code} · {filename}",
                after={
                    "file": filename,
                    "rows": len(report.rows),
                    "accounts_created": report.created,
                    "students_matched": report.matched,
                    "enrolled": report.enrolled,
                },
            )
    except (_RollBack, IntegrityError) as exc:
        if isinstance(exc, IntegrityError):
            # Another load (or enrolment) wrote the same username or number meanwhile.
            report.errors.append(
                _("The school's accounts changed while this file was loading; load it again.")
            )
        for row in report.rows:
            if row.created:
                row.user, row.username, row.created = None, "", False
        return report
    report.written = True
    return report


def pending_invitations(school: Organization):
    """The school's active students whose account has no usable password yet (they have not
    followed their invitation), by student number."""
    return (
        Membership.objects.active()
        .filter(
            organization=school,
            role=Membership.Role.STUDENT,
            user__is_active=True,
            user__password__startswith=UNUSABLE_PASSWORD_PREFIX,
        )
        .select_related("user__profile")
        .order_by("student_number", "user__username")
    )


# --- Cohort staff ----------------------------------------------------------------------------


@transaction.atomic
def cohort_set_staff(*, cohort: Cohort, teacher, mentor) -> Cohort:
    """Give the cohort its teacher (a teacher of the course's school) and mentor (a mentor of
    one of the course's partner enterprises, or none)."""
    course = cohort.course
    if (
        not Membership.objects.active()
        .filter(user=teacher, organization_id=course.school_id, role=Membership.Role.TEACHER)
        .exists()
    ):
        raise ValidationError(_("The teacher must teach at the course's school."))
    if (
        mentor is not None
        and not Membership.objects.active()
        .filter(user=mentor, organization__in=course.partners.all(), role=Membership.Role.MENTOR)
        .exists()
    ):
        raise ValidationError(_("The mentor must belong to one of the course's partners."))
    cohort.teacher, cohort.mentor = teacher, mentor
    cohort.save(update_fields=["teacher", "mentor"])
    return cohort
