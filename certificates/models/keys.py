"""The platform's signing keys: Ed25519 for credentials, an X.509 key pair for PDFs."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..key_encryption import decrypt_private_key


class IssuerKeyQuerySet(models.QuerySet):
    def signing(self, purpose: str) -> "IssuerKey":
        """The newest active key of a purpose (new certificates are signed with it)."""
        return self.filter(purpose=purpose, retired_at__isnull=True).latest("created_at")

    def published(self, purpose: str) -> "IssuerKeyQuerySet":
        """Every key that ever signed: retired keys stay published so old certificates verify."""
        return self.filter(purpose=purpose, revoked_at__isnull=True)


class IssuerKey(models.Model):
    class Purpose(models.TextChoices):
        CREDENTIAL = "credential", _("Credential signing (Ed25519)")
        PDF = "pdf", _("PDF signing (X.509)")

    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    kid = models.CharField(_("key id"), max_length=100, unique=True)
    # The private half, encrypted with CERTIFICATES_KEY_ENCRYPTION_KEY (see key_encryption):
    # the database alone holds no usable private key.
    private_key_encrypted = models.TextField(_("private key (encrypted)"), editable=False)
    public_jwk = models.JSONField(_("public key (JWK)"), default=dict, blank=True)
    certificate_pem = models.TextField(_("X.509 certificate (PEM)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(
        _("retired at"), null=True, blank=True, help_text=_("No longer signs; still verifies.")
    )
    revoked_at = models.DateTimeField(
        _("revoked at"), null=True, blank=True, help_text=_("Compromised: no longer verifies.")
    )

    objects = IssuerKeyQuerySet.as_manager()

    class Meta:
        ordering = ["purpose", "-created_at"]
        verbose_name = _("issuer key")
        verbose_name_plural = _("issuer keys")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.kid}"

    def private_key_pem(self) -> bytes:
        """The private key as PEM, decrypted for the signature about to be made."""
        return decrypt_private_key(self.private_key_encrypted)
