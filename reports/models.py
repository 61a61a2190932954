"""Precomputed statistics: one flat row per counted event, rebuilt by a Celery beat task.

At provincial scale (a million attempts) the figures are counted from `Fact` instead of the
live tables: its rows are written from the same definitions (reports.definitions; the
dimensions, the first-sitting rule and the verifying enterprise are worked out once, at
refresh), so a figure is a plain grouped count over one indexed table. `Refresh` records
each rebuild: when it ran, who asked, and its progress for the page's progress bar.

`Statement` holds the learning records (xAPI) that leave the platform, `Learner` the opaque
id a person has in them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Counted(models.Model):
    """What facts and their monthly rollup share: the refresh that wrote them, their kind,
    and the dimensions, scope columns and flags the figures group and filter by."""

    class Kind(models.TextChoices):
        ENROLMENT = "enrolment", _("Enrolment")
        COMPLETION = "completion", _("Course completion")
        SITTING = "sitting", _("Exam sitting")
        CERTIFICATE = "certificate", _("Certificate")
        VERIFICATION = "verification", _("Verification")

    # The refresh that wrote it: readers count the rows of the latest finished refresh only,
    # so a refresh under way (or failed) never mixes with the figures shown.
    refresh_id = models.BigIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    standard = models.CharField(max_length=40, null=True)
    level = models.PositiveSmallIntegerField(null=True)
    school_id = models.BigIntegerField(null=True)
    partner_id = models.BigIntegerField(null=True)
    region = models.CharField(max_length=100, null=True)
    # Scope: the government body owning the standard (exams, certificates) and, for a
    # verification, the enterprise that asked.
    owner_id = models.BigIntegerField(null=True)
    verifying_enterprise_id = models.BigIntegerField(null=True)
    # Exam sittings: graded, passed, the candidate's first sitting of the level.
    graded = models.BooleanField(default=False)
    passed = models.BooleanField(default=False)
    first = models.BooleanField(default=False)
    # Certificates: their status (current/expired are worked out on the day read).
    status = models.CharField(max_length=20, blank=True)
    # Bit 2**i is set when the fact is the first of its row among the row's facts sharing
    # the standard, level and partner dimensions named by i (reports.definitions
    # .FIRST_DIMENSIONS): counting those facts counts each row once, without DISTINCT.
    firsts = models.PositiveSmallIntegerField(default=255)

    class Meta:
        abstract = True


class Fact(Counted):
    day = models.DateField()
    # The day's calendar month as year * 12 + month - 1: months, quarters and years are
    # integer divisions of it (reports.definitions.count_facts_together groups by it).
    month = models.PositiveSmallIntegerField(default=0)
    # The counted row (enrolment, attempt, certificate or verification) and its person: a
    # row joined to several standards or partners has one fact per combination.
    row_id = models.BigIntegerField()
    person_id = models.BigIntegerField(null=True)
    cohort_id = models.BigIntegerField(null=True)
    expires_on = models.DateField(null=True)
    # Verifications: how many (a daily total counts several).
    weight = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("statistics fact")
        verbose_name_plural = _("statistics facts")
        indexes = [
            models.Index(fields=["refresh_id", "kind", "day"], name="reports_fact_kind_day"),
            models.Index(
                fields=["refresh_id", "school_id", "kind", "day"], name="reports_fact_school"
            ),
            models.Index(
                fields=["refresh_id", "standard", "level", "kind", "day"], name="reports_fact_std"
            ),
            # Certificates expiring in the month read (the rollup cannot decide them).
            models.Index(
                fields=["refresh_id", "expires_on"],
                condition=Q(kind="certificate"),
                name="reports_fact_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.row_id} · {self.day}"


class Rollup(Counted):
    """The facts of one refresh added up (reports.definitions.rollup_keys): one row per
    kind, calendar month and combination of the dimensions, scope columns and flags the
    figures filter on, with the sums the additive figures need. Written by the same
    refresh, as its last step (reports.rollups), and read for whole months only; what a
    month-level row cannot decide (a range's first or last month when it starts or ends
    mid-month, certificates expiring in the month being read, a split by cohort, distinct
    candidates) is counted from the facts."""

    month = models.PositiveSmallIntegerField()
    # The month's first day (the figures' day ranges select whole months by it).
    day = models.DateField()
    # The first day of the expiry month: decides "current" and "expired" for every month
    # but the one read in (whose certificates are counted from the facts).
    expires_on = models.DateField(null=True)
    # The sums: facts, their weights (verifications), and the OR of the people's two
    # 64-bit masks (reports.definitions: bounds on the distinct people of a cell).
    facts = models.PositiveIntegerField(default=0)
    weight = models.PositiveIntegerField(default=0)
    mask_a = models.BigIntegerField(default=0)
    mask_b = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("statistics rollup")
        verbose_name_plural = _("statistics rollups")
        indexes = [
            models.Index(fields=["refresh_id", "kind", "month"], name="reports_rollup_kind_month"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.month} · {self.facts}"


class Refresh(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    done = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField(default=0)
    rows = models.PositiveBigIntegerField(default=0)
    # Rows of its rollup (0: none written, the figures are all read from the facts).
    rollup_rows = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("statistics refresh")
        verbose_name_plural = _("statistics refreshes")

    def __str__(self) -> str:
        return f"{self.get_status_display()} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        return self.done * 100 // self.total if self.total else 0


class Learner(models.Model):
    """The opaque, stable id a person has in learning records (xAPI's account name).

    A random UUID, not derived from the account: statements leaving the platform name no one.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="xapi_learner"
    )

    class Meta:
        verbose_name = _("learner id")
        verbose_name_plural = _("learner ids")

    def __str__(self) -> str:
        return str(self.id)


class StatementQuerySet(models.QuerySet):
    def pending(self, now):
        """Not yet forwarded, not given up on, and past their back-off; a voiding statement
        only once the statement it voids has been forwarded (the LRS hears them in order)."""
        return self.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
            Q(voids__isnull=True) | Q(voids__forwarded_at__isnull=False),
            forwarded_at__isnull=True,
            attempts__lt=Statement.MAX_ATTEMPTS,
        )

    def in_period(self, start, end):
        """Statements whose event happened from `start` (inclusive) to `end` (exclusive)."""
        return self.filter(timestamp__gte=start, timestamp__lt=end)


class Statement(models.Model):
    """One xAPI statement, written in the transaction of the event it records (reports.xapi
    builds it; reports.lrs forwards it). Never changed once written, but for forwarding: a
    record that turns out wrong (a result changed on regrading) is withdrawn by a voiding
    statement, as xAPI has it."""

    class Verb(models.TextChoices):
        REGISTERED = "registered", _("Enrolled")
        COMPLETED = "completed", _("Completed a course")
        ATTEMPTED = "attempted", _("Sat an exam")
        PASSED = "passed", _("Passed an exam")
        FAILED = "failed", _("Failed an exam")
        ISSUED = "issued", _("Certificate issued")
        REVOKED = "revoked", _("Certificate revoked")
        VOIDED = "voided", _("Earlier record withdrawn")

    class Source(models.TextChoices):
        ENROLLMENT = "enrollment", _("Enrolment")
        ATTEMPT = "attempt", _("Exam attempt")
        CERTIFICATE = "certificate", _("Certificate")

    # Attempts at forwarding before a statement is left for an administrator to look at.
    MAX_ATTEMPTS = 12

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    data = models.JSONField(_("statement"))
    verb = models.CharField(_("verb"), max_length=12, choices=Verb.choices)
    # Null once the account is deleted; the statement keeps only the opaque learner id.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    timestamp = models.DateTimeField(_("happened at"))
    stored_at = models.DateTimeField(_("stored at"), auto_now_add=True)
    # Who may export it (reports.access): the school, and the government body owning the
    # standard (exams and certificates; none for courses, whose regulators are found by
    # accreditation of the school).
    school_id = models.BigIntegerField(null=True)
    owner_id = models.BigIntegerField(null=True)
    # The row whose event it records (the backfill and the result release look it up).
    source = models.CharField(max_length=12, choices=Source.choices, blank=True)
    source_id = models.BigIntegerField(null=True)
    # A voiding statement (xAPI "voided"): the statement it withdraws, e.g. an exam result
    # changed on regrading after its release. A statement is voided at most once.
    voids = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="voided_by"
    )
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("forwarding attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["timestamp", "stored_at"]
        verbose_name = _("learning record")
        verbose_name_plural = _("learning records")
        indexes = [
            models.Index(fields=["timestamp"], name="reports_statement_time"),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(forwarded_at__isnull=True),
                name="reports_statement_pending",
            ),
            models.Index(fields=["source", "source_id", "verb"], name="reports_statement_source"),
        ]

    def __str__(self) -> str:
        return f"{self.verb} · {self.timestamp:%Y-%m-%d %H:%M}"
