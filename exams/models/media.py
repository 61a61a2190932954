"""Images that questions show, kept per bank and served only to those who may see them."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .bank import QuestionBank


def new_token() -> str:
    """The unguessable part of an image's address (128 random bits)."""
    return secrets.token_urlsafe(16)


def media_path(media: "QuestionMedia", filename: str) -> str:
    """Under a random folder of its own, unrelated to the address the image is served at."""
    return f"question-media/{media.bank_id}/{secrets.token_urlsafe(12)}/{filename}"


class QuestionMedia(models.Model):
    """One image of a bank (PNG, JPEG, GIF or WebP), stored once per bank by its SHA-256.

    Question texts show it with a Markdown image whose address is ``url``:
    ``/exams/media/<token>/<name>``.
    """

    bank = models.ForeignKey(
        QuestionBank,
        on_delete=models.CASCADE,
        related_name="media",
        verbose_name=_("question bank"),
    )
    token = models.CharField(_("token"), max_length=32, unique=True, default=new_token)
    file = models.FileField(_("file"), upload_to=media_path, max_length=300)
    name = models.CharField(_("name"), max_length=100)
    original_name = models.CharField(_("original name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["bank", "pk"]
        verbose_name = _("question image")
        verbose_name_plural = _("question images")
        constraints = [
            models.UniqueConstraint(fields=["bank", "sha256"], name="question_media_once_per_bank")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.bank})"

    @property
    def url(self) -> str:
        """The address question texts show it at."""
        return reverse("exams:media", args=[self.token, self.name])
