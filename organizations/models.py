"""Schools, enterprises and government bodies, the people in them, and their roles."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def localized(obj: object, field: str) -> str:
    """Return `field_zh` under Chinese, else `field_en`, falling back to whichever is filled."""
    zh, en = getattr(obj, f"{field}_zh", ""), getattr(obj, f"{field}_en", "")
    if (get_language() or "en").lower().startswith("zh"):
        return zh or en
    return en or zh


class Organization(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("School")
        ENTERPRISE = "enterprise", _("Enterprise")
        GOVERNMENT = "government", _("Government body")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.SlugField(_("short code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    region = models.CharField(_("region"), max_length=100, blank=True)
    logo = models.ImageField(_("logo"), upload_to="organizations/logos/", blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A school may let students sign themselves up (/accounts/signup/?school=<code>): they
    # become its students once they have verified their email address.
    student_signup = models.BooleanField(_("students may sign up"), default=False)
    student_signup_domain = models.CharField(
        _("sign-up email domain"),
        max_length=100,
        blank=True,
        help_text=_(
            "Only addresses at this domain (or under it) may sign up, e.g. school.edu.cn. "
            "Empty: any address."
        ),
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def takes_student_signups(self) -> bool:
        return self.is_active and self.kind == self.Kind.SCHOOL and self.student_signup

    def accepts_signup_email(self, email: str) -> bool:
        """Whether this address may sign up as a student (the domain rule, if any)."""
        domain = self.student_signup_domain.strip().lstrip("@").casefold()
        if not domain:
            return True
        at = (email or "").rpartition("@")[2].casefold()
        return at == domain or at.endswith("." + domain)


class MembershipQuerySet(models.QuerySet):
    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True, organization__is_active=True)

    def of(self, user) -> "MembershipQuerySet":
        return self.active().filter(user=user)


class Membership(models.Model):
    class Role(models.TextChoices):
        STUDENT = "student", _("Student")
        TEACHER = "teacher", _("Teacher")
        MENTOR = "mentor", _("Enterprise mentor")
        VERIFIER = "verifier", _("Verifier")
        REGULATOR = "regulator", _("Regulator")
        ADMIN = "admin", _("Administrator")

    # Which organisation kinds may hold which roles: a mentor belongs to an
    # enterprise, a regulator to a government body, and so on.
    ALLOWED_KINDS = {
        Role.STUDENT: {Organization.Kind.SCHOOL, Organization.Kind.ENTERPRISE},
        Role.TEACHER: {Organization.Kind.SCHOOL},
        Role.MENTOR: {Organization.Kind.ENTERPRISE},
        Role.VERIFIER: {Organization.Kind.ENTERPRISE},
        Role.REGULATOR: {Organization.Kind.GOVERNMENT},
        Role.ADMIN: set(Organization.Kind),
    }

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # The school's own number for a student (rosters match on it, within the school only).
    student_number = models.CharField(_("student number"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique_role"
            ),
            models.UniqueConstraint(
                fields=["organization", "student_number"],
                condition=models.Q(role="student") & ~models.Q(student_number=""),
                name="membership_unique_student_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.organization_id and self.organization.kind not in self.ALLOWED_KINDS[self.role]:
            raise ValidationError(
                {
                    "role": _("A %(role)s cannot belong to a %(kind)s.")
                    % {
                        "role": self.get_role_display(),
                        "kind": self.organization.get_kind_display(),
                    }
                }
            )


class Profile(models.Model):
    """A person's names as certificates print them, and their preferred language."""

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        CHINESE = "zh-hans", _("Simplified Chinese")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    name_native = models.CharField(
        _("full name (native script)"),
        max_length=100,
        blank=True,
        help_text=_("As on your identity document, e.g. 张伟."),
    )
    name_latin = models.CharField(
        _("full name (Latin script)"),
        max_length=100,
        blank=True,
        help_text=_("e.g. Zhang Wei."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=Language.choices, default=Language.CHINESE
    )
    # The school a person signed up to join: they become its student when their email
    # address is verified (organizations.school_signup).
    joining_school = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school being joined"),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "en").lower().startswith("zh"):
            name = self.name_native or self.name_latin
        else:
            name = self.name_latin or self.name_native
        return name or self.user.get_username()


class ApiKeyQuerySet(models.QuerySet):
    def active(self) -> "ApiKeyQuerySet":
        return self.filter(revoked_at__isnull=True, organization__is_active=True)


class ApiKey(models.Model):
    """An organisation's key for the verification API; only a hash of its secret is kept."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. HR onboarding system."))
    # Public and unique: it finds the row and names the key in logs and throttles.
    prefix = models.CharField(_("prefix"), max_length=8, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Set when the key was rotated: the key that took its place (same name and scopes).
    replaced_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return isinstance(self.scopes, list) and scope in self.scopes


class AccessTokenQuerySet(models.QuerySet):
    def usable(self, now=None) -> "AccessTokenQuerySet":
        from django.utils import timezone

        return self.filter(expires_at__gt=now or timezone.now(), user__is_active=True)


class AccessToken(models.Model):
    """A person's API token from /api/v1/auth/token/: only a hash is kept, and it expires."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    # Public: finds the row; the secret after it is checked against key_hash.
    prefix = models.CharField(_("prefix"), max_length=8, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} ({self.prefix}…)"


class AuditEntryImmutable(Exception):
    """An audit entry was to be changed or deleted: the trail is append-only."""


class AuditEntryQuerySet(models.QuerySet):
    """Rows are only ever inserted: bulk updates and deletes are refused."""

    def update(self, **kwargs):
        raise AuditEntryImmutable("Audit entries cannot be changed.")

    def delete(self):
        raise AuditEntryImmutable("Audit entries cannot be deleted.")

    def _raw_delete(self, using):
        raise AuditEntryImmutable("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """One privileged action: who did what to which object, in which organisations, when.

    Written by the services (``organizations.audit.record``) in the transaction of the change.
    Append-only: the model and its queryset refuse changes and deletions, and on PostgreSQL
    a trigger refuses UPDATE and DELETE from any client. The foreign keys carry no database
    constraint and do nothing on delete, so an entry outlives the people and objects it names
    (its labels keep their names as they were).
    """

    class Action(models.TextChoices):
        CERTIFICATE_ISSUED = "certificate.issued", _("Certificate issued")
        CERTIFICATE_REVOKED = "certificate.revoked", _("Certificate revoked")
        CERTIFICATE_SUSPENDED = "certificate.suspended", _("Certificate suspended")
        CERTIFICATE_REINSTATED = "certificate.reinstated", _("Certificate reinstated")
        CERTIFICATE_SUPERSEDED = "certificate.superseded", _("Certificate reissued (superseded)")
        KEY_CORRECTED = "question.key_corrected", _("Answer key corrected")
        REGRADE_FINISHED = "question.regraded", _("Regrade finished")
        MARK_RECORDED = "mark.recorded", _("Mark given")
        MARK_ADJUDICATED = "mark.adjudicated", _("Mark adjudicated")
        MEMBERSHIP_GRANTED = "membership.granted", _("Role granted")
        MEMBERSHIP_REVOKED = "membership.revoked", _("Role withdrawn")
        API_KEY_CREATED = "api_key.created", _("API key created")
        API_KEY_REVOKED = "api_key.revoked", _("API key revoked")
        API_KEY_ROTATED = "api_key.rotated", _("API key rotated")
        STANDARD_PUBLISHED = "standard.published", _("Standard published")
        ACCREDITATION_GRANTED = "accreditation.granted", _("Accreditation granted")
        ACCREDITATION_SUSPENDED = "accreditation.suspended", _("Accreditation suspended")
        ACCREDITATION_REINSTATED = "accreditation.reinstated", _("Accreditation reinstated")
        ACCREDITATION_WITHDRAWN = "accreditation.withdrawn", _("Accreditation withdrawn")
        EXAM_PUBLISHED = "exam.published", _("Exam published")
        EXAM_UNPUBLISHED = "exam.unpublished", _("Exam unpublished")
        ROSTER_IMPORTED = "roster.imported", _("Roster imported")
        MFA_RESET = "mfa.reset", _("Second factor reset")
        SITTING_TIME_ADDED = "sitting.time_added", _("Sitting: time added for a candidate")
        SITTING_RELEASED = "sitting.released", _("Sitting: start released")
        SITTING_ENDED = "sitting.ended", _("Sitting: ended")
        SITTING_ACCOMMODATION_SET = "sitting.accommodation", _("Sitting: accommodation set")
        SITTING_PAPERS_REDRAWN = "sitting.papers_redrawn", _("Sitting: papers redrawn")
        EXAM_OVERRIDE_SET = "exam.override_set", _("Exam: override set")
        EXAM_OVERRIDE_REMOVED = "exam.override_removed", _("Exam: override removed")
        QUESTION_TAG_RENAMED = "question_tag.renamed", _("Question tag renamed")
        QUESTION_TAG_MERGED = "question_tag.merged", _("Question tags merged")
        PERSON_ERASED = "person.erased", _("Personal data erased (pseudonymised)")
        NAME_CHANGED = "profile.name_changed", _("Name changed (request approved)")
        STUDENT_SIGNUP_CHANGED = (
            "organization.student_signup",
            _("Student sign-up settings changed"),
        )
        LTI_PLATFORM_CREATED = "lti_platform.created", _("LTI platform registered")
        LTI_PLATFORM_CHANGED = "lti_platform.changed", _("LTI platform changed")
        LTI_PLATFORM_ACTIVATED = "lti_platform.activated", _("LTI platform activated")
        LTI_PLATFORM_DEACTIVATED = "lti_platform.deactivated", _("LTI platform deactivated")

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # The actor's name when the entry was written ("" for the system); API keys by prefix.
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    object_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=255, blank=True)
    # The school or enterprise the action concerns (or the government body for its own acts).
    organization = models.ForeignKey(
        Organization,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    # The government body whose standard the action concerns, so its regulators see it.
    authority = models.ForeignKey(
        Organization,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("government body"),
    )
    before = models.JSONField(_("before"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    note = models.TextField(_("note"), blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="audit_org_time"),
            models.Index(fields=["authority", "-created_at"], name="audit_authority_time"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} · {self.action} · {self.object_label}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding or self.pk is not None:
            raise AuditEntryImmutable("Audit entries cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEntryImmutable("Audit entries cannot be deleted.")


class NotificationKind(models.TextChoices):
    """What a notification is about; each kind has its own email and inbox choice."""

    RESULT_RELEASED = "result_released", _("Exam result released")
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
    CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked")
    MARKING_WAITING = "marking_waiting", _("Answers waiting for marking")
    # Sent by the exam sittings service (exams.services.sittings) when it schedules one.
    SITTING_SCHEDULED = "sitting_scheduled", _("Exam sitting scheduled")
    IMPORT_FINISHED = "import_finished", _("Question import finished")
    BATCH_FINISHED = "batch_finished", _("Certificate batch finished")
    # Sent by organizations.profile when a school administrator decides a name change request.
    NAME_CHANGE_DECIDED = "name_change_decided", _("Name change request decided")


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One entry of a person's inbox.

    The text is not stored: `kind` and `params` are, and organizations.notifications renders
    them in the reader's language (a parameter may carry an English and a Chinese value).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    params = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_time"),
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notification_user_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind} · {self.created_at:%Y-%m-%d %H:%M}"


class NotificationPreference(models.Model):
    """A person's choice for one kind: by email, in the inbox, both or neither (default both)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    email = models.BooleanField(_("by email"), default=True)
    inbox = models.BooleanField(_("in the inbox"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"


class NameChangeRequestQuerySet(models.QuerySet):
    def pending(self) -> "NameChangeRequestQuerySet":
        return self.filter(status=NameChangeRequest.Status.PENDING)


class NameChangeRequest(models.Model):
    """A person asks their school to change the names certificates print (organizations.profile).

    Approval copies the names to the Profile; certificates already issued keep the names
    they were issued with.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the school")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="name_change_requests"
    )
    old_name_native = models.CharField(_("current name (native script)"), max_length=100)
    old_name_latin = models.CharField(_("current name (Latin script)"), max_length=100)
    name_native = models.CharField(_("new name (native script)"), max_length=100)
    name_latin = models.CharField(_("new name (Latin script)"), max_length=100)
    reason = models.TextField(_("reason"), max_length=1000)
    evidence = models.TextField(
        _("evidence"),
        max_length=1000,
        blank=True,
        help_text=_("e.g. the identity document you will show the school office."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("note to the person"), max_length=1000, blank=True)

    objects = NameChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("name change request")
        verbose_name_plural = _("name change requests")
        constraints = [
            # One open request per person at a time.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="name_change_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.name_latin or self.name_native} · {self.status}"
