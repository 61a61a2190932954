"""System checks that refuse unsafe certificates settings (registered in apps.py)."""

from django.conf import settings
from django.core.checks import Error

from .conf import KEY_ENCRYPTION_SETTING, configured_key_encryption_keys
from .key_encryption import invalid_keys


def check_key_encryption_key(app_configs=None, **kwargs) -> list[Error]:
    """Production needs its own key for the issuer keys; whatever is set must be Fernet keys."""
    keys = configured_key_encryption_keys()
    if not keys:
        if settings.DEBUG:
            return []  # development derives a key from SECRET_KEY
        return [
            Error(
                f"{KEY_ENCRYPTION_SETTING} is not set.",
                hint="Issuer private keys are encrypted with it. Generate one with `python -c "
                '"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"` '
                "and keep it outside the database and its backups.",
                id="certificates.E001",
            )
        ]
    return [
        Error(
            f"Value {position} of {KEY_ENCRYPTION_SETTING} is not a Fernet key.",
            hint="A Fernet key is 32 bytes in URL-safe base64 (44 characters); separate "
            "several keys with commas, the one that encrypts first.",
            id="certificates.E002",
        )
        for position in invalid_keys(keys)
    ]
