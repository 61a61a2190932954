"""Every verification, for the holder's count and the verifier's audit."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Verification(models.Model):
    class Channel(models.TextChoices):
        PAGE = "page", _("Verification page")
        UPLOAD = "upload", _("File upload")
        API = "api", _("API")
        COMMAND = "command", _("Offline command")

    certificate = models.ForeignKey(
        "certificates.Certificate",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="verifications",
    )
    serial_queried = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    result = models.CharField(max_length=20)
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    api_key_prefix = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")

    def __str__(self) -> str:
        return f"{self.serial_queried} · {self.result} · {self.created_at:%Y-%m-%d}"
