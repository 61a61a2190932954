"""The platform's issuer keys: the active one per purpose, rotation, and the published JWKS.

A key is created on first use. Rotation retires the current key (it stops
signing but stays published, so certificates it signed keep verifying) and
creates a new one. Creation is serialised per purpose so that two workers
starting at once do not both make an "active" key: on PostgreSQL with a
transaction-scoped advisory lock, on SQLite by its single writer (the site
opens transactions with BEGIN IMMEDIATE).
"""

import zlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from django.db import connection, transaction
from django.utils import timezone

from .credential import generate_signing_key, jwks_document, key_url, published_jwk
from .key_encryption import encrypt_private_key, is_plaintext, reencrypt
from .models import IssuerKey
from .pdfsign import generate_platform_certificate

Purpose = IssuerKey.Purpose
PDF_SIGNER_NAME = "CBEC Academy Certificate Signing"


def active_key(purpose: str) -> IssuerKey:
    """Return the key that signs new certificates for this purpose, creating it on first use."""
    key = _current(purpose)
    if key is not None:
        return key
    with transaction.atomic():
        _lock(purpose)
        # Another process may have created it while we waited for the lock.
        return _current(purpose) or _create(purpose)


@transaction.atomic
def rotate_key(purpose: str) -> IssuerKey:
    """Retire the active key of this purpose (it still verifies) and return a new one."""
    _lock(purpose)
    IssuerKey.objects.filter(purpose=purpose, retired_at__isnull=True).update(
        retired_at=timezone.now()
    )
    return _create(purpose)


@transaction.atomic
def reencrypt_private_keys() -> int:
    """Encrypt every issuer key again with the first key of CERTIFICATES_KEY_ENCRYPTION_KEY.

    All or nothing: if one row cannot be decrypted with the configured keys,
    nothing changes. Returns how many keys were encrypted again.
    """
    count = 0
    for key in IssuerKey.objects.select_for_update().order_by("pk"):
        stored = key.private_key_encrypted
        key.private_key_encrypted = (
            encrypt_private_key(stored.encode()) if is_plaintext(stored) else reencrypt(stored)
        )
        key.save(update_fields=["private_key_encrypted"])
        count += 1
    return count


def published_jwks(issuer_id: str) -> dict:
    """The JWKS of every credential key that is not revoked, current and retired alike.

    Each key is named by its URL under the issuer's origin, the kid tokens carry.
    """
    keys = IssuerKey.objects.published(Purpose.CREDENTIAL).order_by("created_at")
    return jwks_document([_published(key, issuer_id) for key in keys])


def published_key(kid: str, issuer_id: str) -> dict | None:
    """One published credential key as a JWK (what its kid URL answers), or None."""
    key = IssuerKey.objects.published(Purpose.CREDENTIAL).filter(kid=kid).first()
    return _published(key, issuer_id) if key is not None else None


def _published(key: IssuerKey, issuer_id: str) -> dict:
    return published_jwk(key.public_jwk, kid=key_url(issuer_id, key.kid))


def _current(purpose: str) -> IssuerKey | None:
    # A revoked key (compromised) never signs again, even if nobody retired it.
    return (
        IssuerKey.objects.filter(purpose=purpose, retired_at__isnull=True, revoked_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )


def _create(purpose: str) -> IssuerKey:
    if purpose == Purpose.CREDENTIAL:
        private_pem, public_jwk = generate_signing_key()
        return IssuerKey.objects.create(
            purpose=purpose,
            kid=public_jwk["kid"],
            private_key_encrypted=encrypt_private_key(private_pem),
            public_jwk=public_jwk,
        )
    if purpose == Purpose.PDF:
        key_pem, cert_pem = generate_platform_certificate(PDF_SIGNER_NAME)
        fingerprint = x509.load_pem_x509_certificate(cert_pem).fingerprint(hashes.SHA256())
        return IssuerKey.objects.create(
            purpose=purpose,
            kid=f"x509-sha256:{fingerprint.hex()}",
            private_key_encrypted=encrypt_private_key(key_pem),
            certificate_pem=cert_pem.decode(),
        )
    raise ValueError(f"Unknown key purpose: {purpose!r}")


def _lock(purpose: str) -> None:
    """Serialise key creation for one purpose until the surrounding transaction ends."""
    if connection.vendor == "postgresql":
        lock_id = zlib.crc32(f"certificates.issuer_key.{purpose}".encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])
