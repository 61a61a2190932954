"""Exams: timed sittings built from question banks by a blueprint."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Course
from organizations.models import Organization, localized

from ..grading import MANUAL_KINDS


class ExamQuerySet(models.QuerySet):
    def published(self) -> "ExamQuerySet":
        return self.filter(is_published=True)

    def with_override_flag(self) -> "ExamQuerySet":
        """Annotate `has_overrides`: without any, a candidate's terms need no query of their own
        (`services.overrides.terms_for`), which every start of a sitting's candidates asks."""
        from .overrides import ExamOverride

        return self.annotate(has_overrides=Exists(ExamOverride.objects.filter(exam=OuterRef("pk"))))


class Exam(models.Model):
    class Review(models.TextChoices):
        NEVER = "never", _("Never show answers")
        AFTER_GRADING = "after_grading", _("After the attempt is graded")
        AFTER_CLOSE = "after_close", _("After the exam closes")

    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    instructions_en = models.TextField(_("instructions (English, Markdown)"), blank=True)
    instructions_zh = models.TextField(_("instructions (Chinese, Markdown)"), blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="exams",
        verbose_name=_("organising school"),
    )
    skill_level = models.ForeignKey(
        "exams.SkillLevel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exams",
        verbose_name=_("skill level"),
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exams",
        verbose_name=_("course"),
        help_text=_("Only students enrolled in this course may sit the exam."),
    )
    banks = models.ManyToManyField(
        "exams.QuestionBank", related_name="exams", verbose_name=_("question banks")
    )
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), default=60, validators=[MinValueValidator(1)]
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    attempt_delay_minutes = models.PositiveIntegerField(
        _("minimum delay between attempts (minutes)"), default=0
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    review = models.CharField(
        _("show correct answers"),
        max_length=20,
        choices=Review.choices,
        default=Review.AFTER_GRADING,
    )
    release_results = models.BooleanField(
        _("show results when graded"),
        default=True,
        help_text=_("Off: results wait until the exam closes."),
    )
    # When the students of an exam that held its results were told they are out (beat task).
    results_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExamQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("exam")
        verbose_name_plural = _("exams")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exams:exam_detail", args=[self.pk])

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def instructions(self) -> str:
        return localized(self, "instructions")

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.opens_at is None or self.opens_at <= now) and (
            self.closes_at is None or now < self.closes_at
        )

    def is_closed(self, now=None) -> bool:
        return self.closes_at is not None and (now or timezone.now()) >= self.closes_at

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The exam must close after it opens.")})


class ExamSection(models.Model):
    class Part(models.TextChoices):
        THEORY = "theory", _("Theory")
        PRACTICAL = "practical", _("Practical")

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="sections")
    part = models.CharField(_("part"), max_length=20, choices=Part.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    class Meta:
        ordering = ["exam", "position"]
        verbose_name = _("exam section")
        verbose_name_plural = _("exam sections")
        constraints = [models.UniqueConstraint(fields=["exam", "part"], name="section_unique_part")]

    def __str__(self) -> str:
        return f"{self.exam} · {self.get_part_display()}"


class BlueprintRule(models.Model):
    """Draw `count` questions of `competency` at `difficulty` (and maybe `kind`) into a section."""

    OBJECTIVE = "objective"

    section = models.ForeignKey(ExamSection, on_delete=models.CASCADE, related_name="rules")
    competency = models.SlugField(_("competency code"), max_length=40, blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    kind = models.CharField(
        _("question kind"),
        max_length=20,
        blank=True,
        help_text=_("Empty: any kind. 'objective': any automatically graded kind."),
    )
    count = models.PositiveSmallIntegerField(_("questions"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["section", "competency", "difficulty"]
        verbose_name = _("blueprint rule")
        verbose_name_plural = _("blueprint rules")

    def __str__(self) -> str:
        return f"{self.count} × {self.kind or '*'} {self.competency or '*'} @ {self.difficulty}"

    def accepts(self, *, kind: str, competency: str, difficulty: int) -> bool:
        if difficulty != self.difficulty or (self.competency and competency != self.competency):
            return False
        if self.kind == self.OBJECTIVE:
            return kind not in MANUAL_KINDS
        return not self.kind or kind == self.kind
