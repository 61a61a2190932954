"""Precomputed statistics: one flat row per counted event, rebuilt by a Celery beat task.

At provincial scale (a million attempts) the figures are counted from `Fact` instead of the
live tables: its rows are written from the same definitions (reports.definitions; the
dimensions, the first-sitting rule and the verifying enterprise are worked out once, at
refresh), so a figure is a plain grouped count over one indexed table. `Refresh` records
each rebuild: when it ran, who asked, and its progress for the page's progress bar.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Fact(models.Model):
    class Kind(models.TextChoices):
        ENROLMENT = "enrolment", _("Enrolment")
        COMPLETION = "completion", _("Course completion")
        SITTING = "sitting", _("Exam sitting")
        CERTIFICATE = "certificate", _("Certificate")
        VERIFICATION = "verification", _("Verification")

    # The refresh that wrote it: readers count the facts of the latest finished refresh only,
    # so a refresh under way (or failed) never mixes with the figures shown.
    refresh_id = models.BigIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    day = models.DateField()
    # The counted row (enrolment, attempt, certificate or verification) and its person: a
    # row joined to several standards or partners has one fact per combination.
    row_id = models.BigIntegerField()
    person_id = models.BigIntegerField(null=True)
    standard = models.CharField(max_length=40, null=True)
    level = models.PositiveSmallIntegerField(null=True)
    school_id = models.BigIntegerField(null=True)
    partner_id = models.BigIntegerField(null=True)
    region = models.CharField(max_length=100, null=True)
    cohort_id = models.BigIntegerField(null=True)
    # Scope: the government body owning the standard (exams, certificates) and, for a
    # verification, the enterprise that asked.
    owner_id = models.BigIntegerField(null=True)
    verifying_enterprise_id = models.BigIntegerField(null=True)
    # Exam sittings: graded, passed, the candidate's first sitting of the level.
    graded = models.BooleanField(default=False)
    passed = models.BooleanField(default=False)
    first = models.BooleanField(default=False)
    # Certificates: their status and expiry (current/expired are worked out on the day read).
    status = models.CharField(max_length=20, blank=True)
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
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.row_id} · {self.day}"


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
