"""Issued certificates: a snapshot of what they certify, their files and their status."""

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from .verification import Verification, VerificationDailyCount


class CertificateQuerySet(models.QuerySet):
    def current(self) -> "CertificateQuerySet":
        return self.filter(is_current=True)

    def awaiting_render(self) -> "CertificateQuerySet":
        return self.filter(render_state=Certificate.RenderState.PENDING)

    def with_verification_count(self) -> "CertificateQuerySet":
        """Annotate verification_count: every verification, rolled-up days included."""
        rows = (
            Verification.objects.filter(certificate=OuterRef("pk"))
            .order_by()
            .values("certificate")
            .annotate(n=Count("pk"))
            .values("n")
        )
        rolled_up = (
            VerificationDailyCount.objects.filter(certificate=OuterRef("pk"))
            .order_by()
            .values("certificate")
            .annotate(n=Sum("count"))
            .values("n")
        )
        return self.annotate(
            verification_count=Coalesce(Subquery(rows), 0) + Coalesce(Subquery(rolled_up), 0)
        )


class Certificate(models.Model):
    class Kind(models.TextChoices):
        SKILL_LEVEL = "skill_level", _("Skill-level certificate")
        COURSE = "course", _("Course certificate")

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        SUSPENDED = "suspended", _("Suspended")

    class RevocationReason(models.TextChoices):
        MISCONDUCT = "misconduct", _("Exam misconduct")
        ERROR = "error", _("Issued in error")
        REGRADED = "regraded", _("Result changed on regrading")
        FRAUD = "fraud", _("Fraudulent identity")
        OTHER = "other", _("Other")

    class RenderState(models.TextChoices):
        PENDING = "pending", _("Waiting to be rendered")
        DONE = "done", _("Rendered")
        FAILED = "failed", _("Rendering failed")

    serial = models.CharField(_("serial number"), max_length=24, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    # What it was issued for: an exam attempt (skill level) or a course enrolment.
    attempt = models.ForeignKey(
        "exams.Attempt", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    enrollment = models.ForeignKey(
        "courses.Enrollment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    skill_level = models.ForeignKey(
        "exams.SkillLevel", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    course = models.ForeignKey(
        "courses.Course", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The snapshot, as printed and signed. Columns repeat what statistics filter on.
    snapshot = models.JSONField(_("snapshot"), default=dict)
    holder_name_native = models.CharField(max_length=100, blank=True)
    holder_name_latin = models.CharField(max_length=100, blank=True)
    standard_code = models.CharField(max_length=40, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    school = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    government = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.VALID
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(
        _("reason"), max_length=20, choices=RevocationReason.choices, blank=True
    )
    status_note = models.TextField(_("note"), blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_current = models.BooleanField(default=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes"
    )
    status_list_index = models.PositiveIntegerField(unique=True)
    # Files: rendered once by a task, stored with their hash, served as stored.
    render_state = models.CharField(
        max_length=20, choices=RenderState.choices, default=RenderState.PENDING
    )
    render_tries = models.PositiveSmallIntegerField(default=0)
    pdf = models.FileField(upload_to="certificates/pdf/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    credential_jwt = models.TextField(blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    # The holder's sharing choices for the public verification page.
    show_full_name = models.BooleanField(_("show my full name to verifiers"), default=False)
    show_scores = models.BooleanField(_("show my scores to verifiers"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-created_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            # One current certificate per passing attempt and per completed enrolment,
            # however many issuance calls race for it.
            models.UniqueConstraint(
                fields=["attempt"],
                condition=Q(is_current=True, attempt__isnull=False),
                name="certificate_one_per_attempt",
            ),
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(is_current=True, enrollment__isnull=False),
                name="certificate_one_per_enrollment",
            ),
        ]
        indexes = [
            models.Index(fields=["standard_code", "level", "issued_on"]),
            models.Index(fields=["render_state"]),
        ]

    def __str__(self) -> str:
        return self.serial

    def get_absolute_url(self) -> str:
        return reverse("certificates:verify", args=[self.serial])

    def public_status(self, today=None) -> str:
        """valid, expired, revoked, suspended or superseded: what a verifier is told."""
        if self.superseded_by_id:
            return "superseded"
        if self.status != self.Status.VALID:
            return self.status
        today = today or timezone.localdate()
        if self.expires_on and today > self.expires_on:
            return "expired"
        return "valid"


class IssuanceBatch(models.Model):
    """Bulk issuance for a cohort or an exam sitting, with progress for the teacher."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    exam = models.ForeignKey(
        "exams.Exam", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    cohort = models.ForeignKey(
        "courses.Cohort", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    certificates = models.ManyToManyField(Certificate, blank=True, related_name="batches")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("issuance batch")
        verbose_name_plural = _("issuance batches")

    def __str__(self) -> str:
        return f"Batch {self.pk}"
