"""Question imports: an uploaded file turned into questions of a bank, all or nothing."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .bank import QuestionBank


def import_path(job: "ImportJob", filename: str) -> str:
    """Under a random folder, so a file's address cannot be guessed (imports hold keys)."""
    return f"question-imports/{job.bank_id}/{secrets.token_urlsafe(12)}/{filename}"


class ImportJob(models.Model):
    """One uploaded question file and what importing it did (or why it refused)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    FINISHED = (Status.DONE, Status.FAILED)

    bank = models.ForeignKey(
        QuestionBank,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("question bank"),
    )
    format = models.CharField(_("format"), max_length=20)
    language = models.CharField(
        _("language of the file"),
        max_length=10,
        default="en",
        help_text=_("Text without a language marker is read as this language."),
    )
    # Given on the import form: every imported question gets them (blank/None: the file's).
    competency = models.SlugField(_("competency code"), max_length=40, blank=True)
    difficulty = models.PositiveSmallIntegerField(_("difficulty"), null=True, blank=True)
    upload = models.FileField(_("file"), upload_to=import_path, max_length=300)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("questions in the file"), default=0)
    done = models.PositiveIntegerField(_("questions imported"), default=0)
    # {"errors": [{"location", "message"}], "warnings": [...]}
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("question import")
        verbose_name_plural = _("question imports")

    def __str__(self) -> str:
        return f"Import {self.file_name or self.pk} → {self.bank} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("exams:import_job", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def errors(self) -> list[dict]:
        return (self.report or {}).get("errors", [])

    @property
    def warnings(self) -> list[dict]:
        return (self.report or {}).get("warnings", [])
