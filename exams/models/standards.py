"""Skill standards owned by government bodies, their levels and competencies."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import Course
from organizations.models import Organization, localized

from ..grading import PartRule, PassRule

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class SkillStandardQuerySet(models.QuerySet):
    def published(self) -> "SkillStandardQuerySet":
        return self.filter(status=SkillStandard.Status.PUBLISHED)


class SkillStandard(models.Model):
    """A named competence the industry certifies; a published version never changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    owner = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="skill_standards",
        limit_choices_to={"kind": Organization.Kind.GOVERNMENT},
        verbose_name=_("owning government body"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_versions"
    )

    objects = SkillStandardQuerySet.as_manager()

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("skill standard")
        verbose_name_plural = _("skill standards")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="standard_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version} · {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class SkillLevel(models.Model):
    """One level of a standard: its exam parts, pass rule, eligibility and certificate life."""

    class Level(models.IntegerChoices):
        JUNIOR = 1, _("Level 1 · Junior")
        INTERMEDIATE = 2, _("Level 2 · Intermediate")
        SENIOR = 3, _("Level 3 · Senior")

    standard = models.ForeignKey(SkillStandard, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    theory_weight = models.DecimalField(
        _("theory weight (%)"), max_digits=5, decimal_places=2, default=40, validators=PERCENT
    )
    theory_minimum = models.DecimalField(
        _("theory minimum (%)"), max_digits=5, decimal_places=2, default=60, validators=PERCENT
    )
    practical_weight = models.DecimalField(
        _("practical weight (%)"), max_digits=5, decimal_places=2, default=60, validators=PERCENT
    )
    practical_minimum = models.DecimalField(
        _("practical minimum (%)"), max_digits=5, decimal_places=2, default=60, validators=PERCENT
    )
    total_minimum = models.DecimalField(
        _("total minimum (%)"), max_digits=5, decimal_places=2, default=60, validators=PERCENT
    )
    marking_tolerance = models.DecimalField(
        _("dual-marking tolerance (percent of the task)"),
        max_digits=5,
        decimal_places=2,
        default=15,
        validators=PERCENT,
        help_text=_("If the two graders differ by more than this, a third grader adjudicates."),
    )
    validity_years = models.PositiveSmallIntegerField(_("certificate valid for (years)"), default=3)
    prerequisite_level = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requires a pass at level"),
    )
    prerequisite_course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("or requires completing course"),
    )

    class Meta:
        ordering = ["standard", "level"]
        verbose_name = _("skill level")
        verbose_name_plural = _("skill levels")
        constraints = [
            models.UniqueConstraint(fields=["standard", "level"], name="level_unique_per_standard")
        ]

    def __str__(self) -> str:
        return f"{self.standard.code} · {self.get_level_display()}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def pass_rule(self) -> PassRule:
        parts = []
        if self.theory_weight:
            parts.append(PartRule("theory", self.theory_weight, self.theory_minimum))
        if self.practical_weight:
            parts.append(PartRule("practical", self.practical_weight, self.practical_minimum))
        return PassRule(parts=tuple(parts), total_minimum=self.total_minimum)

    def clean(self) -> None:
        if self.theory_weight + self.practical_weight != 100:
            raise ValidationError(_("The theory and practical weights must add up to 100."))


class Competency(models.Model):
    """A unit of a level (e.g. product listing, 15 %); questions are tagged with its code."""

    level = models.ForeignKey(SkillLevel, on_delete=models.CASCADE, related_name="competencies")
    code = models.SlugField(_("code"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    weight = models.DecimalField(
        _("weight (%)"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )

    class Meta:
        ordering = ["level", "-weight", "code"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="competency_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")
