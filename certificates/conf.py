"""The certificates app's newer settings, read here with their defaults.

Each is a ``CERTIFICATES_…`` setting; lms/settings.py fills them from the
environment. A project that sets none of them gets the defaults below.
"""

import base64
import hashlib

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_ENCRYPTION_SETTING = "CERTIFICATES_KEY_ENCRYPTION_KEY"
# Our credential files are a few kilobytes; 256 KB leaves room for any later growth.
DEFAULT_MAX_EMBEDDED_BYTES = 256 * 1024
DEFAULT_VERIFICATION_RETENTION_DAYS = 90


def max_embedded_bytes() -> int:
    """The most an uploaded PDF's embedded file may unpack to before the upload is refused."""
    return int(getattr(settings, "CERTIFICATES_MAX_EMBEDDED_BYTES", DEFAULT_MAX_EMBEDDED_BYTES))


def verification_retention_days() -> int:
    """Days an anonymous verification is kept as its own row before it becomes a daily count."""
    return int(
        getattr(
            settings,
            "CERTIFICATES_VERIFICATION_RETENTION_DAYS",
            DEFAULT_VERIFICATION_RETENTION_DAYS,
        )
    )


def configured_key_encryption_keys() -> list[str]:
    """The Fernet keys the setting names, comma-separated, the first one encrypting."""
    value = getattr(settings, KEY_ENCRYPTION_SETTING, "") or ""
    if isinstance(value, list | tuple):
        value = ",".join(value)
    return [key.strip() for key in value.split(",") if key.strip()]


def key_encryption_keys() -> list[str]:
    """The keys that encrypt issuer private keys; a key derived from SECRET_KEY under DEBUG."""
    keys = configured_key_encryption_keys()
    if keys:
        return keys
    if settings.DEBUG:
        return [development_key_encryption_key(settings.SECRET_KEY)]
    raise ImproperlyConfigured(
        f"Set {KEY_ENCRYPTION_SETTING} to a Fernet key (see the README): issuer private keys "
        "are encrypted with it."
    )


def development_key_encryption_key(secret_key: str) -> str:
    """A Fernet key derived from SECRET_KEY, for development only.

    Anyone who has SECRET_KEY has this key too, so production sets its own.
    """
    digest = hashlib.sha256(b"cbec-academy:certificates:key-encryption:" + secret_key.encode())
    return base64.urlsafe_b64encode(digest.digest()).decode()
