"""Platforms (LMSs) that launch CBEC Academy, their links and users, and grades sent back."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Cohort, Course
from exams.models import Attempt, Exam
from organizations.models import Organization


class PlatformQuerySet(models.QuerySet):
    def active(self) -> "PlatformQuerySet":
        return self.filter(is_active=True)


class Platform(models.Model):
    """An LMS registration: one issuer and the client id it gave this tool."""

    name = models.CharField(_("name"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=255, help_text=_("The platform's 'iss'."))
    client_id = models.CharField(_("client id"), max_length=255)
    auth_login_url = models.URLField(_("OIDC authorisation URL"), max_length=500)
    auth_token_url = models.URLField(_("OAuth2 token URL"), max_length=500, blank=True)
    auth_audience = models.CharField(
        _("token audience"),
        max_length=500,
        blank=True,
        help_text=_("The 'aud' of client assertions, when it is not the token URL."),
    )
    jwks_url = models.URLField(_("public keyset URL"), max_length=500)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="lti_platforms",
        verbose_name=_("organisation"),
        help_text=_("The school (or enterprise) this platform's users belong to."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlatformQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("LTI platform")
        verbose_name_plural = _("LTI platforms")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "client_id"], name="lti_platform_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Deployment(models.Model):
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="deployments")
    deployment_id = models.CharField(_("deployment id"), max_length=255)
    name = models.CharField(_("name"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("LTI deployment")
        verbose_name_plural = _("LTI deployments")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "deployment_id"], name="lti_deployment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform} · {self.deployment_id}"


class ToolKeyQuerySet(models.QuerySet):
    def signing(self) -> "ToolKey | None":
        """The newest key that still signs."""
        return self.filter(retired_at__isnull=True, revoked_at__isnull=True).order_by("-pk").first()

    def published(self) -> "ToolKeyQuerySet":
        """Retired keys stay published a while so tokens they signed still verify."""
        return self.filter(revoked_at__isnull=True)


class ToolKey(models.Model):
    """The tool's RSA key pair: signs deep-linking responses and client assertions."""

    kid = models.CharField(_("key id"), max_length=100, unique=True)
    # The private half stays on the server; production may keep the database encrypted at rest.
    private_pem = models.TextField(_("private key (PEM)"))
    public_jwk = models.JSONField(_("public key (JWK)"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ToolKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("tool key")
        verbose_name_plural = _("tool keys")

    def __str__(self) -> str:
        return self.kid


class ExpiringQuerySet(models.QuerySet):
    def expired(self, now=None) -> "ExpiringQuerySet":
        return self.filter(expires_at__lte=now or timezone.now())


class LoginState(models.Model):
    """The state and nonce of one OIDC login, waiting for its launch; deleted when used."""

    state = models.CharField(max_length=64, unique=True)
    nonce = models.CharField(max_length=64)
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="+")
    target_link_uri = models.URLField(max_length=1000, blank=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExpiringQuerySet.as_manager()

    class Meta:
        verbose_name = _("LTI login state")
        verbose_name_plural = _("LTI login states")

    def __str__(self) -> str:
        return self.state


class LaunchNonce(models.Model):
    """A nonce a launch used; the unique constraint refuses a replayed id_token."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=255)
    expires_at = models.DateTimeField()

    objects = ExpiringQuerySet.as_manager()

    class Meta:
        verbose_name = _("LTI launch nonce")
        verbose_name_plural = _("LTI launch nonces")
        constraints = [
            models.UniqueConstraint(fields=["platform", "nonce"], name="lti_nonce_single_use")
        ]

    def __str__(self) -> str:
        return self.nonce


class UserLink(models.Model):
    """A platform user (its 'sub') and the CBEC Academy account it launches as."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="user_links")
    sub = models.CharField(_("platform user id"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_links"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_launch_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("LTI user link")
        verbose_name_plural = _("LTI user links")
        constraints = [
            models.UniqueConstraint(fields=["platform", "sub"], name="lti_user_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.platform} · {self.sub} → {self.user}"


class Context(models.Model):
    """A platform course (an LTI context): its roster service and the cohort it syncs into."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="contexts")
    context_id = models.CharField(_("context id"), max_length=255)
    title = models.CharField(_("title"), max_length=255, blank=True)
    label = models.CharField(_("label"), max_length=255, blank=True)
    memberships_url = models.URLField(_("roster service URL (NRPS)"), max_length=1000, blank=True)
    course = models.ForeignKey(
        Course,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lti_contexts",
        verbose_name=_("linked course"),
        help_text=_("Set by the first course or exam launched from this platform course."),
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lti_contexts",
        verbose_name=_("cohort"),
        help_text=_("The class its roster syncs into; made by the first sync."),
    )
    roster_synced_at = models.DateTimeField(_("roster synced at"), null=True, blank=True)
    roster_report = models.JSONField(_("last roster sync"), default=dict, blank=True)
    roster_error = models.TextField(_("last roster error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["platform", "title"]
        verbose_name = _("LTI platform course")
        verbose_name_plural = _("LTI platform courses")
        constraints = [
            models.UniqueConstraint(fields=["platform", "context_id"], name="lti_context_unique")
        ]

    def __str__(self) -> str:
        return f"{self.platform} · {self.title or self.label or self.context_id}"


class ResourceLink(models.Model):
    """A placement of a course or an exam in a platform course, with its AGS endpoints."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="resource_links")
    deployment = models.ForeignKey(
        Deployment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resource_link_id = models.CharField(_("resource link id"), max_length=255)
    title = models.CharField(_("title"), max_length=255, blank=True)
    context = models.ForeignKey(
        Context,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resource_links",
        verbose_name=_("platform course"),
    )
    context_title = models.CharField(_("platform course"), max_length=255, blank=True)
    course = models.ForeignKey(
        Course, on_delete=models.SET_NULL, null=True, blank=True, related_name="lti_links"
    )
    exam = models.ForeignKey(
        Exam, on_delete=models.SET_NULL, null=True, blank=True, related_name="lti_links"
    )
    lineitem_url = models.URLField(_("AGS line item"), max_length=1000, blank=True)
    lineitems_url = models.URLField(_("AGS line items"), max_length=1000, blank=True)
    scopes = models.JSONField(_("AGS scopes"), default=list, blank=True)
    # The line item's scoreMaximum as last read from the platform; scores are scaled to it.
    score_maximum = models.DecimalField(
        _("line item maximum"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    # Who launched it: grades go back only for these learners.
    learners = models.ManyToManyField(UserLink, blank=True, related_name="resource_links")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("LTI resource link")
        verbose_name_plural = _("LTI resource links")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "resource_link_id"], name="lti_resource_link_unique"
            ),
            models.CheckConstraint(
                condition=Q(course__isnull=True) | Q(exam__isnull=True),
                name="lti_resource_link_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} · {self.title or self.resource_link_id}"

    @property
    def target(self) -> Course | Exam | None:
        return self.course or self.exam


class GradeSubmissionQuerySet(models.QuerySet):
    def due(self, now=None) -> "GradeSubmissionQuerySet":
        """Pending, not held, and their next try has come (the sweep sends these)."""
        now = now or timezone.now()
        return self.filter(status=GradeSubmission.Status.PENDING, held=False).filter(
            Q(next_try_at__lte=now) | Q(next_try_at__isnull=True)
        )


class GradeSubmission(models.Model):
    """One attempt's score on its way to one platform line item.

    The row is the truth about delivery: `next_try_at` says when it may be tried next
    (a try in flight pushes it forward, so no one else sends it meanwhile), and a
    sweep sends every due row, whatever became of the task that should have.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="lti_grades")
    resource_link = models.ForeignKey(
        ResourceLink, on_delete=models.CASCADE, related_name="grade_submissions"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    # Results the exam does not release yet wait (lti.tasks.grades_release_held sends them).
    held = models.BooleanField(_("held until results are released"), default=False)
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    next_try_at = models.DateTimeField(_("next try at"), null=True, blank=True, db_index=True)
    last_error = models.TextField(_("last error"), blank=True)
    score_given = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score_maximum = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GradeSubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("grade submission")
        verbose_name_plural = _("grade submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "resource_link"], name="lti_grade_unique_per_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt} → {self.resource_link} ({self.get_status_display()})"
