"""Attempts: one student's sitting, with the frozen paper and the answers saved to it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..grading import is_answered


class AttemptQuerySet(models.QuerySet):
    def in_progress(self) -> "AttemptQuerySet":
        return self.filter(status=Attempt.Status.IN_PROGRESS)

    def overdue(self, now=None) -> "AttemptQuerySet":
        return self.in_progress().filter(deadline__lt=now or timezone.now())


class Attempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted, waiting for marking")
        GRADED = "graded", _("Graded")

    exam = models.ForeignKey("exams.Exam", on_delete=models.PROTECT, related_name="attempts")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exam_attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # When the attempt page last said it is there (its heartbeat); saves count too.
    last_seen_at = models.DateTimeField(_("last heard from"), null=True, blank=True)
    auto_submitted = models.BooleanField(_("submitted automatically"), default=False)
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    theory_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    practical_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    total_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "student", "number"], name="attempt_unique_number"
            ),
            # Parallel "start" clicks make one attempt: only one may be open at a time.
            models.UniqueConstraint(
                fields=["exam", "student"],
                condition=Q(status="in_progress"),
                name="attempt_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exam} · {self.student} · #{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("exams:attempt", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    def results_released(self, now=None) -> bool:
        """The student may see scores: graded, and released at once or after the exam closes."""
        exam = self.exam
        return self.status == self.Status.GRADED and (exam.release_results or exam.is_closed(now))

    def review_allowed(self, now=None) -> bool:
        """The student may see the correct answers, as the exam's review policy says.

        Never while a further attempt could draw the same questions again: keys show after
        the student's last attempt, or once the exam has closed.
        """
        exam = self.exam
        if not self.results_released(now):
            return False
        if exam.review == exam.Review.AFTER_GRADING:
            return exam.is_closed(now) or self.is_last_attempt()
        if exam.review == exam.Review.AFTER_CLOSE:
            return exam.is_closed(now)
        return False

    def is_last_attempt(self) -> bool:
        """No further attempt is possible: the student has used every attempt allowed."""
        used = Attempt.objects.filter(exam_id=self.exam_id, student_id=self.student_id).count()
        return used >= self.exam.attempts_allowed

    def part_percentages(self) -> dict:
        return {
            name: value
            for name, value in (
                ("theory", self.theory_percent),
                ("practical", self.practical_percent),
            )
            if value is not None
        }


class AttemptQuestionQuerySet(models.QuerySet):
    def dual_marked(self) -> "AttemptQuestionQuerySet":
        """Answers a teacher and an enterprise mentor both mark (see is_dual_marked)."""
        return self.filter(DUAL_MARKED)


# Practical tasks, and every answer in the practical part of a skill-level exam: the
# standard's practical part is co-assessed by the school and an enterprise.
DUAL_MARKED = Q(version__question__kind="practical") | Q(
    part="practical", attempt__exam__skill_level__isnull=False
)


class AttemptQuestion(models.Model):
    """One question of a frozen paper: the version shown, its option order, the answer."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    part = models.CharField(max_length=20)
    version = models.ForeignKey(
        "exams.QuestionVersion", on_delete=models.PROTECT, related_name="attempt_questions"
    )
    content = models.JSONField(default=dict)  # public content in the order this student saw
    max_points = models.DecimalField(max_digits=7, decimal_places=2)
    response = models.JSONField(null=True, blank=True)
    response_seq = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(null=True, blank=True)
    flagged = models.BooleanField(default=False)
    auto_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    is_correct = models.BooleanField(null=True, blank=True)
    needs_marking = models.BooleanField(default=False)
    needs_adjudication = models.BooleanField(default=False)

    objects = AttemptQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["attempt", "position"]
        verbose_name = _("attempt question")
        verbose_name_plural = _("attempt questions")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_question_unique")
        ]

    def __str__(self) -> str:
        return f"{self.attempt} · Q{self.position}"

    @property
    def kind(self) -> str:
        return self.version.question.kind

    @property
    def is_answered(self) -> bool:
        return is_answered(self.response)

    @property
    def is_dual_marked(self) -> bool:
        """Marked by a teacher and an enterprise mentor (the Python twin of DUAL_MARKED)."""
        if self.kind == "practical":
            return True
        return self.part == "practical" and self.attempt.exam.skill_level_id is not None
