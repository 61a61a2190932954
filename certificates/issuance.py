"""Issuing certificates: for a passed skill-level attempt, a completed course, a whole sitting.

A certificate's facts are copied into its snapshot when it is issued (names
as the holder's profile has them today, scores, the three organisations) and
never follow later edits; a correction is a reissue under a new serial. The
PDF is rendered by a task queued once the issuing transaction commits.
"""

import calendar
import logging
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Course, Enrollment
from exams import services as exam_services
from exams.models import Attempt, Exam, Mark
from organizations import audit
from organizations.models import Membership, Organization
from organizations.services import profile_for

from . import notices
from .credential import CertificateData, OrgName
from .models import Certificate, IssuanceBatch
from .rendering import base_url, snapshot_from_data
from .revocation import certificate_revoke
from .serials import new_serial
from .signals import certificate_issued
from .tasks import render_certificate

logger = logging.getLogger(__name__)

# Races for a serial, a status-list index or the one certificate of an attempt are
# settled by unique constraints; a loser tries again this many times.
_ISSUE_TRIES = 10
COURSE_VERSION = "1"
# Exam parts as printed on the certificate (bilingual: the PDF is not translated).
PART_LABELS = {"theory": "理论 Theory", "practical": "实操 Practical", "total": "总分 Total"}


class CertificateError(ValidationError):
    """A refusal with a message a teacher or administrator can read."""


# --- Issuing -----------------------------------------------------------------------------------


def certificate_issue_for_attempt(*, attempt: Attempt, by=None) -> Certificate | None:
    """Issue the certificate a passed skill-level attempt earns; idempotent.

    Returns None when the attempt does not earn one. When the attempt already
    has its current certificate, that one is returned, except a certificate
    revoked because a regrade failed the attempt: passing again earns a new one.
    `by` is who asked (a batch's requester); None when the result itself issued it.
    """
    attempt = Attempt.objects.select_related(
        "exam__skill_level__standard__owner", "exam__organization", "student"
    ).get(pk=attempt.pk)
    if not attempt.passed or attempt.exam.skill_level is None:
        return None
    if exam_services.attempt_accreditation(attempt) is None:
        # Only an accredited centre's results earn the government standard's certificate.
        logger.warning("Attempt %s passed outside any accreditation: no certificate.", attempt.pk)
        return None
    existing = Certificate.objects.current().filter(attempt=attempt).first()
    if existing is not None and not _revoked_by_regrade(existing):
        return existing
    fields, data = _attempt_draft(attempt, issued_on=timezone.localdate())
    if existing is not None:
        try:
            return _supersede(existing, fields=fields, data=data, by=by).superseded_by
        except CertificateError:
            # A concurrent call replaced it first.
            return Certificate.objects.current().filter(attempt=attempt).first()
    return _issue(fields=fields, data=data, lookup={"attempt": attempt}, by=by)


def certificate_issue_for_enrollment(*, enrollment: Enrollment) -> Certificate | None:
    """Issue the course certificate a completed enrolment earns; idempotent."""
    enrollment = Enrollment.objects.select_related(
        "course__school", "cohort__mentor", "student"
    ).get(pk=enrollment.pk)
    if enrollment.status != Enrollment.Status.COMPLETED:
        return None
    existing = Certificate.objects.current().filter(enrollment=enrollment).first()
    if existing is not None:
        return existing
    fields, data = _enrollment_draft(enrollment, issued_on=timezone.localdate())
    return _issue(fields=fields, data=data, lookup={"enrollment": enrollment})


def certificate_reissue(*, certificate: Certificate, by) -> Certificate:
    """Correct a certificate: a new serial and snapshot; the old one verifies as superseded.

    The new snapshot takes today's profile names and organisation names, but keeps
    the original issue and expiry dates: a correction does not extend validity.
    """
    if not certificate.is_current:
        raise CertificateError(_("Only the current certificate can be reissued."), code="old")
    if certificate.status != Certificate.Status.VALID:
        raise CertificateError(
            _("A revoked or suspended certificate cannot be reissued."), code="status"
        )
    if certificate.attempt_id:
        attempt = Attempt.objects.select_related(
            "exam__skill_level__standard__owner", "exam__organization", "student"
        ).get(pk=certificate.attempt_id)
        fields, data = _attempt_draft(attempt, issued_on=certificate.issued_on)
    else:
        enrollment = Enrollment.objects.select_related(
            "course__school", "cohort__mentor", "student"
        ).get(pk=certificate.enrollment_id)
        fields, data = _enrollment_draft(enrollment, issued_on=certificate.issued_on)
    fields["expires_on"] = certificate.expires_on
    data["expires_on"] = certificate.expires_on
    fields["show_full_name"] = certificate.show_full_name
    fields["show_scores"] = certificate.show_scores
    certificate = _supersede(certificate, fields=fields, data=data, by=by)
    logger.info("Certificate %s reissued as %s by %s.", certificate, certificate.superseded_by, by)
    return certificate.superseded_by


def certificate_rerender(*, certificate: Certificate) -> Certificate:
    """Render the certificate again (a new template, a rotated key); same serial and facts."""
    Certificate.objects.filter(pk=certificate.pk).update(
        render_state=Certificate.RenderState.PENDING, render_tries=0
    )
    _queue_render(certificate.pk)
    certificate.refresh_from_db()
    return certificate


def certificate_revoke_after_regrade(*, attempt: Attempt) -> Certificate | None:
    """Revoke the attempt's certificate because a regrade turned its pass into a fail."""
    certificate = (
        Certificate.objects.current()
        .filter(
            attempt=attempt,
            status__in=[Certificate.Status.VALID, Certificate.Status.SUSPENDED],
        )
        .first()
    )
    if certificate is None:
        return None
    return certificate_revoke(
        certificate=certificate,
        reason=Certificate.RevocationReason.REGRADED,
        by=None,
        note=_("The attempt no longer passes after regrading."),
    )


def batch_issue(*, exam: Exam, by) -> IssuanceBatch:
    """Issue for every passed attempt of a skill-level exam that has no certificate yet."""
    if exam.skill_level_id is None:
        raise CertificateError(
            _("Only a skill-level exam earns certificates."), code="not_skill_level"
        )
    batch = IssuanceBatch.objects.create(exam=exam, requested_by=by)
    attempts = Attempt.objects.filter(exam=exam, passed=True).exclude(
        pk__in=Certificate.objects.current().filter(attempt__exam=exam).values("attempt_id")
    )
    issued = 0
    for attempt in attempts.order_by("pk"):
        certificate = certificate_issue_for_attempt(attempt=attempt, by=by)
        if certificate is not None:
            # Added one by one: if a later issue fails, the progress page shows what exists.
            batch.certificates.add(certificate)
            issued += 1
    # Finished already when nothing was issued or every render ran in this process; otherwise
    # the last render task finishes it (batches_refresh_for).
    batch_refresh_status(batch)
    batch.refresh_from_db()
    return batch


def batch_progress(batch: IssuanceBatch) -> dict[str, int]:
    """How many of the batch's certificates exist, are rendered, and failed to render."""
    return batch.certificates.aggregate(
        total=Count("pk"),
        rendered=Count("pk", filter=Q(render_state=Certificate.RenderState.DONE)),
        failed=Count("pk", filter=Q(render_state=Certificate.RenderState.FAILED)),
    )


def batch_refresh_status(batch: IssuanceBatch, progress: dict | None = None) -> IssuanceBatch:
    """Mark the batch done once every certificate is rendered or has failed."""
    progress = progress or batch_progress(batch)
    finished = progress["rendered"] + progress["failed"] >= progress["total"]
    if finished and batch.status != IssuanceBatch.Status.DONE:
        with transaction.atomic():
            # Conditional: of two refreshes at once only one finishes it and tells the person.
            won = (
                IssuanceBatch.objects.filter(pk=batch.pk)
                .exclude(status=IssuanceBatch.Status.DONE)
                .update(status=IssuanceBatch.Status.DONE)
            )
            if won:
                notices.batch_finished(batch, progress)
        batch.status = IssuanceBatch.Status.DONE
    return batch


def batches_refresh_for(certificate_id: int) -> None:
    """After a render ends (done or failed), finish the running batches it completes."""
    running = IssuanceBatch.objects.filter(certificates__pk=certificate_id).exclude(
        status=IssuanceBatch.Status.DONE
    )
    for batch in running.select_related("exam", "requested_by"):
        batch_refresh_status(batch)


# --- Drafts: the facts a certificate will carry ----------------------------------------------


def _attempt_draft(attempt: Attempt, *, issued_on: date) -> tuple[dict, dict]:
    """Model fields and CertificateData values for a passed attempt (no serial yet)."""
    level = attempt.exam.skill_level
    standard = level.standard
    school = attempt.exam.organization
    enterprise = co_assessing_enterprise(attempt)
    government = standard.owner
    native, latin = holder_names(attempt.student)
    expires_on = add_years(issued_on, level.validity_years)
    fields = {
        "kind": Certificate.Kind.SKILL_LEVEL,
        "holder": attempt.student,
        "attempt": attempt,
        "skill_level": level,
        "holder_name_native": native,
        "holder_name_latin": latin,
        "standard_code": standard.code,
        "level": level.level,
        "school": school,
        "enterprise": enterprise,
        "government": government,
        "issued_on": issued_on,
        "expires_on": expires_on,
    }
    data = {
        "kind": "skill_level",
        "holder_name_native": native,
        "holder_name_latin": latin,
        "achievement_name_en": standard.name_en,
        "achievement_name_zh": standard.name_zh,
        "standard_code": standard.code,
        "standard_version": str(standard.version),
        "level": level.level,
        "level_name_en": level.name_en,
        "level_name_zh": level.name_zh,
        "part_scores": part_scores(attempt),
        "marking": marking_of(attempt),
        "school": org_name(school),
        "enterprise": org_name(enterprise),
        "government": org_name(government),
        "issued_on": issued_on,
        "expires_on": expires_on,
    }
    return fields, data


def _enrollment_draft(enrollment: Enrollment, *, issued_on: date) -> tuple[dict, dict]:
    """Model fields and CertificateData values for a completed course (no serial yet)."""
    course = enrollment.course
    enterprise = _course_enterprise(enrollment)
    native, latin = holder_names(enrollment.student)
    fields = {
        "kind": Certificate.Kind.COURSE,
        "holder": enrollment.student,
        "enrollment": enrollment,
        "course": course,
        "holder_name_native": native,
        "holder_name_latin": latin,
        "school": course.school,
        "enterprise": enterprise,
        "issued_on": issued_on,
        "expires_on": None,
    }
    data = {
        "kind": "course",
        "holder_name_native": native,
        "holder_name_latin": latin,
        "achievement_name_en": course.title_en,
        "achievement_name_zh": course.title_zh,
        "standard_code": course.code,
        "standard_version": COURSE_VERSION,
        "school": org_name(course.school),
        "enterprise": org_name(enterprise),
        "issued_on": issued_on,
        "expires_on": None,
    }
    return fields, data


def holder_names(user) -> tuple[str, str]:
    """The holder's names in native and Latin script, as their profile has them now."""
    profile = profile_for(user)
    fallback = user.get_full_name() or user.get_username()
    native = profile.name_native or profile.name_latin or fallback
    latin = profile.name_latin or profile.name_native or fallback
    return native, latin


def part_scores(attempt: Attempt) -> dict[str, str]:
    scores = {PART_LABELS[part]: value for part, value in attempt.part_percentages().items()}
    if attempt.total_percent is not None:
        scores[PART_LABELS["total"]] = attempt.total_percent
    return {label: _score(value) for label, value in scores.items()}


def marking_of(attempt: Attempt) -> str:
    """How the attempt was marked, for the credential to say what actually happened."""
    roles = set(
        Mark.objects.filter(attempt_question__attempt=attempt).values_list("role", flat=True)
    )
    if Mark.Role.TEACHER in roles and Mark.Role.MENTOR in roles:
        return "dual"
    return "teacher" if roles else "automatic"


def _score(value: Decimal) -> str:
    """86.50 -> "86.5", 100.00 -> "100"."""
    return f"{Decimal(value).normalize():f}"


def org_name(organization: Organization | None) -> OrgName | None:
    if organization is None:
        return None
    return OrgName(
        name_en=organization.name_en, name_zh=organization.name_zh, code=organization.code
    )


def co_assessing_enterprise(attempt: Attempt) -> Organization | None:
    """The mentor's enterprise, else the first partner of the student's cohort course."""
    mark = (
        Mark.objects.filter(attempt_question__attempt=attempt, role=Mark.Role.MENTOR)
        .order_by("created_at", "pk")
        .first()
    )
    if mark is not None:
        enterprise = _mentor_enterprise(mark.grader_id)
        if enterprise is not None:
            return enterprise
    enrollments = Enrollment.objects.active().filter(
        student_id=attempt.student_id, cohort__isnull=False
    )
    if attempt.exam.course_id:
        enrollments = enrollments.filter(course_id=attempt.exam.course_id)
    enrollment = enrollments.order_by("-enrolled_at", "-pk").first()
    return _first_partner(enrollment.course_id) if enrollment else None


def _course_enterprise(enrollment: Enrollment) -> Organization | None:
    """The cohort mentor's enterprise, else the course's first partner enterprise."""
    cohort = enrollment.cohort
    if cohort is not None and cohort.mentor_id:
        enterprise = _mentor_enterprise(cohort.mentor_id)
        if enterprise is not None:
            return enterprise
    return _first_partner(enrollment.course_id)


def _mentor_enterprise(user_id: int) -> Organization | None:
    membership = (
        Membership.objects.active()
        .filter(
            user_id=user_id,
            role=Membership.Role.MENTOR,
            organization__kind=Organization.Kind.ENTERPRISE,
        )
        .select_related("organization")
        .order_by("created_at", "pk")
        .first()
    )
    return membership.organization if membership else None


def _first_partner(course_id: int) -> Organization | None:
    """The partner added first (the order of the through table)."""
    link = (
        Course.partners.through.objects.filter(
            course_id=course_id, organization__kind=Organization.Kind.ENTERPRISE
        )
        .select_related("organization")
        .order_by("pk")
        .first()
    )
    return link.organization if link else None


def add_years(day: date, years: int) -> date:
    """The same day and month `years` later; 29 February becomes 28 February."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return day.replace(year=year, day=28)
    return day.replace(year=year)


# --- Creating rows -------------------------------------------------------------------------------


def _issue(*, fields: dict, data: dict, lookup: dict, by=None) -> Certificate:
    """Create the certificate; a concurrent issuer for the same source wins and is returned."""
    for _try in range(_ISSUE_TRIES):
        try:
            with transaction.atomic():
                certificate = _create(fields=fields, data=data)
                _audit(
                    audit.Action.CERTIFICATE_ISSUED,
                    certificate,
                    by=by,
                    after={"status": certificate.status, "serial": certificate.serial},
                )
                notices.certificate_issued(certificate)
                return certificate
        except IntegrityError:
            existing = Certificate.objects.current().filter(**lookup).first()
            if existing is not None:
                return existing
            # Otherwise another certificate took the same status-list index (or serial).
    raise IntegrityError("Could not allocate a serial and status-list index for a certificate.")


def _supersede(old: Certificate, *, fields: dict, data: dict, by=None) -> Certificate:
    """Replace `old` with a new current certificate; returns `old`, now pointing to it."""
    for _try in range(_ISSUE_TRIES):
        try:
            with transaction.atomic():
                locked = Certificate.objects.select_for_update().get(pk=old.pk)
                if not locked.is_current:
                    raise CertificateError(
                        _("This certificate was already replaced."), code="superseded"
                    )
                # Free the one-current-per-source slot before the successor takes it.
                Certificate.objects.filter(pk=old.pk).update(is_current=False)
                new = _create(fields=fields, data=data)
                Certificate.objects.filter(pk=old.pk).update(superseded_by=new)
                _audit(
                    audit.Action.CERTIFICATE_SUPERSEDED,
                    locked,
                    by=by,
                    before={"serial": locked.serial, "status": locked.status, "is_current": True},
                    after={"superseded_by": new.serial, "is_current": False},
                )
                # The holder hears of the corrected certificate under its new serial.
                notices.certificate_issued(new)
        except IntegrityError:
            continue
        old.refresh_from_db()
        return old
    raise IntegrityError("Could not allocate a serial and status-list index for a certificate.")


def _create(*, fields: dict, data: dict) -> Certificate:
    """Insert a certificate with a fresh serial and the next status-list index; queue its PDF."""
    serial = new_serial()
    index = _next_status_list_index()
    certificate_data = CertificateData(
        serial=serial,
        verify_url=base_url() + reverse("certificates:verify", args=[serial]),
        status_list_url=base_url() + reverse("certificates:status_list", args=[1]),
        status_list_index=index,
        suspension_list_url=base_url() + reverse("certificates:status_list", args=[2]),
        issuer_id=base_url() + "/",
        **data,
    )
    certificate = Certificate.objects.create(
        serial=serial,
        status_list_index=index,
        snapshot=snapshot_from_data(certificate_data),
        render_state=Certificate.RenderState.PENDING,
        **fields,
    )
    _queue_render(certificate.pk)
    certificate_issued.send(sender=Certificate, certificate=certificate)
    return certificate


def _audit(action: str, certificate: Certificate, *, by, before=None, after=None) -> None:
    audit.record(
        action,
        obj=certificate,
        actor=by,
        organization=certificate.school_id,
        authority=certificate.government_id,
        label=certificate.serial,
        before=before,
        after=after,
    )


def _next_status_list_index() -> int:
    # max + 1; two issuers reading the same max collide on the unique index and retry.
    highest = Certificate.objects.aggregate(highest=Max("status_list_index"))["highest"]
    return 0 if highest is None else highest + 1


def _queue_render(certificate_id: int) -> None:
    # robust: a broker outage must not undo or fail the request that issued the certificate;
    # the sweeper queues the render again later.
    transaction.on_commit(lambda: render_certificate.delay(certificate_id), robust=True)


def _revoked_by_regrade(certificate: Certificate) -> bool:
    return (
        certificate.status == Certificate.Status.REVOKED
        and certificate.revocation_reason == Certificate.RevocationReason.REGRADED
    )
