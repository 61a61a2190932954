"""Sittings: an exam held at a set time and place for admitted candidates, under invigilators."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SittingQuerySet(models.QuerySet):
    def admitting(self, student) -> "SittingQuerySet":
        """Sittings the student is admitted to: named as a candidate or in an admitted cohort."""
        from courses.models import Enrollment

        cohorts = Enrollment.objects.active().filter(student=student).values("cohort_id")
        return self.filter(Q(candidates=student) | Q(cohorts__in=cohorts)).distinct()


class Sitting(models.Model):
    class Mode(models.TextChoices):
        ROOM = "room", _("In a room")
        ONLINE = "online", _("Online")

    class Start(models.TextChoices):
        AT_TIME = "at_time", _("At the scheduled time")
        RELEASED = "released", _("When an invigilator releases it")

    exam = models.ForeignKey(
        "exams.Exam", on_delete=models.CASCADE, related_name="sittings", verbose_name=_("exam")
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    mode = models.CharField(_("place"), max_length=10, choices=Mode.choices, default=Mode.ROOM)
    place = models.CharField(
        _("room or link"),
        max_length=200,
        blank=True,
        help_text=_("The room, or where online candidates join."),
    )
    what_to_bring = models.TextField(
        _("what to bring"), blank=True, help_text=_("Shown to candidates, e.g. ID card, pen.")
    )
    cohorts = models.ManyToManyField(
        "courses.Cohort", blank=True, related_name="sittings", verbose_name=_("admitted cohorts")
    )
    candidates = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="exam_sittings",
        verbose_name=_("admitted candidates"),
    )
    invigilators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="invigilated_sittings",
        verbose_name=_("invigilators"),
    )
    late_entry_minutes = models.PositiveIntegerField(
        _("late entry cut-off (minutes)"),
        default=30,
        help_text=_("Candidates may not start later than this after the start."),
    )
    start_rule = models.CharField(
        _("start"), max_length=10, choices=Start.choices, default=Start.AT_TIME
    )
    released_at = models.DateTimeField(_("start released at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    # Advance drawing of papers (a Celery task): how many of the roster have a frozen paper.
    papers_total = models.PositiveIntegerField(default=0, editable=False)
    papers_drawn = models.PositiveIntegerField(default=0, editable=False)
    papers_status = models.CharField(max_length=20, blank=True, editable=False)
    papers_error = models.TextField(blank=True, editable=False)
    # Ending (a Celery task submits the open attempts): progress over the sitting's attempts.
    end_total = models.PositiveIntegerField(default=0, editable=False)
    end_done = models.PositiveIntegerField(default=0, editable=False)
    end_status = models.CharField(max_length=20, blank=True, editable=False)

    objects = SittingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("sitting")
        verbose_name_plural = _("sittings")

    def __str__(self) -> str:
        return f"{self.exam} · {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("exams:sitting_console", args=[self.pk])

    def clean(self) -> None:
        if self.mode == self.Mode.ROOM and not self.place.strip():
            raise ValidationError({"place": _("Say which room the sitting is in.")})

    @property
    def effective_start(self):
        """When the clock starts: the release for invigilator-released sittings (None until
        released), else the scheduled time."""
        if self.start_rule == self.Start.RELEASED:
            return self.released_at
        return self.starts_at

    @property
    def entry_cutoff(self):
        start = self.effective_start
        return start + timedelta(minutes=self.late_entry_minutes) if start else None

    @property
    def ends_at(self):
        """The scheduled end for candidates without extra time (None until released)."""
        start = self.effective_start
        return start + timedelta(minutes=self.duration_minutes) if start else None

    @property
    def is_ended(self) -> bool:
        return self.ended_at is not None


class Accommodation(models.Model):
    """One candidate's extra time in a sitting, with the reason (seen by staff only).

    `added_minutes` is time an invigilator added during the sitting (each addition is in
    the audit trail with its reason). Rest breaks do not stop the clock: their minutes are
    added to the deadline, so a candidate who rests loses no answering time.
    """

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="accommodations")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    extra_minutes = models.PositiveIntegerField(_("extra minutes"), default=0)
    extra_percent = models.PositiveIntegerField(
        _("extra time (%)"), default=0, validators=[MaxValueValidator(200)]
    )
    rest_break_minutes = models.PositiveIntegerField(
        _("rest breaks (minutes)"), default=0, validators=[MaxValueValidator(240)]
    )
    reason = models.CharField(_("reason (staff only)"), max_length=300, blank=True)
    added_minutes = models.PositiveIntegerField(_("minutes added by invigilators"), default=0)

    class Meta:
        verbose_name = _("accommodation")
        verbose_name_plural = _("accommodations")
        constraints = [
            models.UniqueConstraint(fields=["sitting", "student"], name="accommodation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sitting} · {self.student}"

    def extra_for(self, duration_minutes: int) -> timedelta:
        percent = timedelta(minutes=duration_minutes) * self.extra_percent / 100
        minutes = self.extra_minutes + self.rest_break_minutes + self.added_minutes
        return percent + timedelta(minutes=minutes)


class SittingPaper(models.Model):
    """A candidate's paper drawn and frozen before the sitting; starting only opens it.

    `questions` holds the frozen rows (position, part, version id, content, points) that
    become the attempt's questions; `attempt` is set once the candidate starts.
    """

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="papers")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    questions = models.JSONField(default=list)
    drawn_at = models.DateTimeField(auto_now_add=True)
    attempt = models.OneToOneField(
        "exams.Attempt", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sitting", "student"], name="sitting_paper_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sitting} · {self.student}"
