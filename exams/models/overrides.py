"""Overrides of an exam's terms for one cohort or one candidate (like Moodle's group and
user overrides): other dates, time limit or number of attempts, with a reason staff see."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExamOverride(models.Model):
    """Terms that replace the exam's own for a cohort or a candidate (empty: the exam's).

    A candidate's override wins over their cohorts'; between cohorts the most lenient
    value counts (``exams.services.overrides.combine``). In a sitting the sitting's times
    replace the dates, and the time limit replaces the sitting's duration.
    """

    exam = models.ForeignKey(
        "exams.Exam", on_delete=models.CASCADE, related_name="overrides", verbose_name=_("exam")
    )
    cohort = models.ForeignKey(
        "courses.Cohort",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cohort"),
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("candidate"),
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    reason = models.CharField(_("reason (staff only)"), max_length=300)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["exam", "cohort", "student"]
        verbose_name = _("exam override")
        verbose_name_plural = _("exam overrides")
        constraints = [
            models.CheckConstraint(
                condition=Q(cohort__isnull=False, student__isnull=True)
                | Q(cohort__isnull=True, student__isnull=False),
                name="exam_override_one_target",
            ),
            models.UniqueConstraint(
                fields=["exam", "cohort"],
                condition=Q(cohort__isnull=False),
                name="exam_override_unique_cohort",
            ),
            models.UniqueConstraint(
                fields=["exam", "student"],
                condition=Q(student__isnull=False),
                name="exam_override_unique_student",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exam} · {self.cohort or self.student}"

    def clean(self) -> None:
        if (self.cohort_id is None) == (self.student_id is None):
            raise ValidationError(_("Choose a cohort or a candidate, not both."))
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The exam must close after it opens.")})

    def terms(self) -> dict:
        """The values this override sets (the fields left empty are not in it)."""
        values = {
            "opens_at": self.opens_at,
            "closes_at": self.closes_at,
            "time_limit_minutes": self.time_limit_minutes,
            "attempts_allowed": self.attempts_allowed,
        }
        return {key: value for key, value in values.items() if value is not None}
