"""Every verification, for the holder's count and the verifier's audit.

Anonymous rows (no signed-in verifier) are kept one by one for
CERTIFICATES_VERIFICATION_RETENTION_DAYS, then folded into daily counts
(certificates.retention): the holder's count stays whole, the detail goes.
"""

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


class VerificationDailyCount(models.Model):
    """How many anonymous verifications one day saw, once their own rows were past retention.

    A day, certificate, enterprise and channel may have more than one row (two
    roll-ups racing): readers sum them.
    """

    day = models.DateField(_("day"), db_index=True)
    # None: a serial that named no certificate.
    certificate = models.ForeignKey(
        "certificates.Certificate",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="daily_verification_counts",
    )
    # The enterprise whose API key asked, where one did.
    enterprise = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(max_length=20, choices=Verification.Channel.choices)
    count = models.PositiveIntegerField(_("verifications"))

    class Meta:
        ordering = ["-day"]
        verbose_name = _("daily verification count")
        verbose_name_plural = _("daily verification counts")

    def __str__(self) -> str:
        return f"{self.day} · {self.channel} · {self.count}"
