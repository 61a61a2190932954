"""Programmes, courses, modules, lessons, cohorts, enrolments and learning progress."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, localized


class Programme(models.Model):
    class Track(models.TextChoices):
        MAJOR = "major", _("Major")
        MICRO_MAJOR = "micro_major", _("Micro-major")
        EXCELLENCE = "excellence", _("Excellence class")
        SOCIAL = "social", _("Social training")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    owner = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("owner")
    )

    class Meta:
        ordering = ["track", "code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")


class CourseQuerySet(models.QuerySet):
    def published(self) -> "CourseQuerySet":
        return self.filter(is_published=True)

    def search(self, text: str) -> "CourseQuerySet":
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(code__icontains=text)
            | Q(title_en__icontains=text)
            | Q(title_zh__icontains=text)
            | Q(summary_en__icontains=text)
            | Q(summary_zh__icontains=text)
        )

    def in_track(self, track: str) -> "CourseQuerySet":
        return self.filter(programmes__track=track).distinct() if track else self


class Course(models.Model):
    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        CHINESE = "zh-hans", _("Chinese")
        BILINGUAL = "bilingual", _("Chinese and English")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    school = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="courses",
        limit_choices_to={"kind": Organization.Kind.SCHOOL},
        verbose_name=_("school"),
    )
    partners = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="partner_courses",
        limit_choices_to={"kind": Organization.Kind.ENTERPRISE},
        verbose_name=_("partner enterprises"),
    )
    programmes = models.ManyToManyField(
        Programme, blank=True, related_name="courses", verbose_name=_("programmes")
    )
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.BILINGUAL
    )
    is_published = models.BooleanField(_("published"), default=False)
    self_enrolment = models.BooleanField(
        _("students may enrol themselves"),
        default=True,
        help_text=_("Off: only the school's teachers enrol students (by class list or LMS)."),
    )
    # Completion criteria. Every required lesson must be marked complete, and the course
    # asks for evidence that the student did the work: time spent on its lessons, measured
    # by the server (LessonTime), and/or a passed assessment reported by an app registered
    # in courses.completion. A course that asks for neither can never be completed (and so
    # never earns a certificate): ticking every lesson is not evidence.
    min_lesson_minutes = models.PositiveIntegerField(
        _("minimum minutes on lessons"),
        default=10,
        help_text=_("Time a student must spend on the course's lessons, counted by the server."),
    )
    requires_assessment = models.BooleanField(
        _("requires a passed exam or quiz"),
        default=False,
        help_text=_("A published exam or quiz of this course must be passed."),
    )
    estimated_hours = models.PositiveSmallIntegerField(_("estimated hours"), default=0)
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="unlocks",
        verbose_name=_("prerequisites"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("courses:course_detail", args=[self.code])

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    def lessons(self) -> "models.QuerySet[Lesson]":
        return Lesson.objects.filter(module__course=self).order_by("module__position", "position")

    @property
    def asks_for_evidence(self) -> bool:
        """Whether completing the course needs more than ticking its lessons."""
        return self.min_lesson_minutes > 0 or self.requires_assessment


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)

    class Meta:
        ordering = ["course", "position"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")


def attachment_path(lesson: "Lesson", filename: str) -> str:
    """Under a random folder, so an attachment's storage name cannot be guessed."""
    return f"lessons/attachments/{secrets.token_urlsafe(16)}/{filename}"


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    body_en = models.TextField(_("body (English, Markdown)"), blank=True)
    body_zh = models.TextField(_("body (Chinese, Markdown)"), blank=True)
    video_url = models.URLField(_("video URL"), blank=True)
    # Served only by the lesson_attachment view, to those who may open the lesson.
    attachment = models.FileField(
        _("attachment"), upload_to=attachment_path, max_length=255, blank=True
    )
    is_required = models.BooleanField(
        _("required"), default=True, help_text=_("Required lessons count towards completion.")
    )

    class Meta:
        ordering = ["module__position", "position"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:lesson_detail", args=[self.module.course.code, self.pk])

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def body(self) -> str:
        return localized(self, "body")


class Cohort(models.Model):
    """A class: students of one course taught together by a teacher, maybe with a mentor."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("name"), max_length=100)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="taught_cohorts",
        verbose_name=_("teacher"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentored_cohorts",
        verbose_name=_("enterprise mentor"),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        ordering = ["course", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return f"{self.course.code} · {self.name}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A cohort cannot end before it starts.")})


class EnrollmentQuerySet(models.QuerySet):
    def active(self) -> "EnrollmentQuerySet":
        return self.exclude(status=Enrollment.Status.WITHDRAWN)

    def with_progress(self) -> "EnrollmentQuerySet":
        """Annotate required/completed lesson counts, a percentage and the seconds spent on
        lessons, in one query."""
        required = (
            Lesson.objects.filter(module__course=OuterRef("course"), is_required=True)
            .values("module__course")
            .annotate(n=Count("pk"))
            .values("n")
        )
        done = (
            LessonCompletion.objects.filter(enrollment=OuterRef("pk"), lesson__is_required=True)
            .values("enrollment")
            .annotate(n=Count("pk"))
            .values("n")
        )
        spent = (
            LessonTime.objects.filter(enrollment=OuterRef("pk"))
            .values("enrollment")
            .annotate(n=models.Sum("seconds"))
            .values("n")
        )
        return self.annotate(
            required_lessons=Coalesce(Subquery(required), Value(0)),
            completed_lessons=Coalesce(Subquery(done), Value(0)),
            seconds_on_lessons=Coalesce(Subquery(spent), Value(0)),
        ).annotate(
            progress_percent=models.Case(
                models.When(required_lessons=0, then=Value(0)),
                default=F("completed_lessons") * 100 / F("required_lessons"),
                output_field=models.IntegerField(),
            )
        )


class Enrollment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="enrollments"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # The server's clock for time on lessons: when the student last opened a lesson or the
    # lesson page last reported itself open. Time is credited only from this instant on.
    last_active_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["student", "course"], name="enrollment_unique_student")
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.course.code}"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.WITHDRAWN


class LessonCompletion(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="completions")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lesson completion")
        verbose_name_plural = _("lesson completions")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "lesson"], name="completion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} · {self.lesson}"


class LessonTime(models.Model):
    """Time a student spent on one lesson, as the server measured it (never as claimed).

    Opening a lesson starts the enrolment's clock; the open page reports itself every
    `COURSES_HEARTBEAT_SECONDS`, and each report credits the time since the enrolment's
    previous report or opening, capped (a page left in a closed laptop earns nothing more).
    One clock per enrolment: ten tabs open at once earn no more than one.
    """

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="times")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="times")
    seconds = models.PositiveIntegerField(_("seconds"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("time on a lesson")
        verbose_name_plural = _("time on lessons")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "lesson"], name="lesson_time_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} · {self.lesson} · {self.seconds}s"
