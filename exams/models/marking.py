"""Human marks (dual marking with adjudication) and the audit trail of regrades."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Mark(models.Model):
    class Role(models.TextChoices):
        TEACHER = "teacher", _("Teacher")
        MENTOR = "mentor", _("Enterprise mentor")
        ADJUDICATOR = "adjudicator", _("Adjudicator")

    attempt_question = models.ForeignKey(
        "exams.AttemptQuestion", on_delete=models.CASCADE, related_name="marks"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    grader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exam_marks"
    )
    rubric_marks = models.JSONField(_("marks per criterion"), default=dict, blank=True)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["attempt_question", "created_at"]
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        constraints = [
            models.UniqueConstraint(fields=["attempt_question", "role"], name="mark_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_question} · {self.get_role_display()} · {self.points}"


class RegradeJob(models.Model):
    """A key correction being applied to every attempt that saw a question version."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    version = models.ForeignKey(
        "exams.QuestionVersion", on_delete=models.CASCADE, related_name="regrade_jobs"
    )
    old_key = models.JSONField(default=dict)
    new_key = models.JSONField(default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("regrade")
        verbose_name_plural = _("regrades")

    def __str__(self) -> str:
        return f"Regrade {self.version} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(self.done * 100 / self.total)


class RegradeRecord(models.Model):
    """Old and new score of one attempt touched by a regrade."""

    job = models.ForeignKey(RegradeJob, on_delete=models.CASCADE, related_name="records")
    attempt = models.ForeignKey("exams.Attempt", on_delete=models.CASCADE, related_name="+")
    old_points = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    new_points = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    old_total = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    new_total = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    old_passed = models.BooleanField(null=True)
    new_passed = models.BooleanField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "attempt"], name="regrade_record_unique")
        ]

    def __str__(self) -> str:
        return f"{self.attempt}: {self.old_total} → {self.new_total}"
