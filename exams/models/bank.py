"""Question banks and versioned questions (attempts keep the version they saw)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from .. import idnumbers, kinds
from ..kinds.base import pick_language

# Labels come from the kinds; the same texts as before, so the field's choices are unchanged.
KIND_LABELS = {name: kind.label for name, kind in kinds.REGISTRY.items()}


def kind_choices() -> list[tuple[str, str]]:
    return [(name, kind.label) for name, kind in kinds.REGISTRY.items()]


__all__ = [
    "KIND_LABELS",
    "Question",
    "QuestionBank",
    "QuestionTag",
    "QuestionVersion",
    "pick_language",
]


class QuestionBank(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="question_banks"
    )
    name = models.CharField(_("name"), max_length=200)
    standard = models.ForeignKey(
        "exams.SkillStandard",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="banks",
        verbose_name=_("skill standard"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "name"]
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")

    def __str__(self) -> str:
        return self.name


class QuestionTag(models.Model):
    """A word teachers file questions under, shared by the banks of one organisation (the
    banks' owner), so that a question keeps its tags when it moves between them."""

    MAX_LENGTH = 50

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="question_tags"
    )
    name = models.CharField(_("name"), max_length=MAX_LENGTH)

    class Meta:
        ordering = ["name"]
        verbose_name = _("question tag")
        verbose_name_plural = _("question tags")
        constraints = [
            models.UniqueConstraint(
                "organization", Lower("name"), name="question_tag_unique_per_organization"
            )
        ]

    def __str__(self) -> str:
        return self.name


class QuestionQuerySet(models.QuerySet):
    def active(self) -> "QuestionQuerySet":
        return self.filter(is_active=True, current_version__isnull=False)


class Question(models.Model):
    """A question's identity; what it says lives in its versions."""

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="questions")
    # Moodle's "ID number": optional, unique within the bank when given, kept through files
    # exchanged with Moodle (GIFT's [id:…], Moodle XML's <idnumber>).
    idnumber = models.CharField(
        _("ID number"),
        max_length=idnumbers.MAX_LENGTH,
        blank=True,
        default="",
        help_text=_("Optional; unique within the bank. Moodle keeps the same number."),
    )
    # A callable, so that a new kind (one module in exams.kinds) needs no migration.
    kind = models.CharField(_("kind"), max_length=20, choices=kind_choices)
    competency = models.SlugField(_("competency code"), max_length=40, blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), default=1, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    is_active = models.BooleanField(_("active"), default=True)
    tags = models.ManyToManyField(
        QuestionTag, blank=True, related_name="questions", verbose_name=_("tags")
    )
    current_version = models.ForeignKey(
        "QuestionVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [models.Index(fields=["bank", "competency", "difficulty"])]
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "idnumber"],
                condition=~models.Q(idnumber=""),
                name="question_idnumber_unique_per_bank",
                violation_error_message=_("Another question of this bank has this ID number."),
            )
        ]

    def __str__(self) -> str:
        title = self.current_version.title if self.current_version_id else ""
        return f"#{self.pk} {self.get_kind_display()} {title}".strip()

    @property
    def is_manual(self) -> bool:
        return kinds.REGISTRY[self.kind].manual if self.kind in kinds.REGISTRY else False


class QuestionVersion(models.Model):
    """What a question said at one time. Immutable once an attempt has used it, except for
    key corrections, which regrade the attempts that saw it."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.JSONField(_("text"), default=dict)
    content = models.JSONField(_("public content"), default=dict)
    key = models.JSONField(_("answer key"), default=dict)
    feedback = models.JSONField(_("feedback"), default=dict, blank=True)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2, default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question", "number"]
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="question_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.question} v{self.number}"

    def as_data(self) -> dict:
        """The neutral question format (see exams.grading)."""
        question = self.question
        return {
            "kind": question.kind,
            "title": self.title,
            "text": self.text,
            "points": str(self.points),
            "competency": question.competency,
            "difficulty": question.difficulty,
            "content": self.content,
            "key": self.key,
            "feedback": self.feedback,
        }
