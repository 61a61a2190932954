"""Issuer private keys encrypted at rest with Fernet keys from the environment.

The setting CERTIFICATES_KEY_ENCRYPTION_KEY holds one or more Fernet keys,
comma-separated: the first encrypts, all of them decrypt (MultiFernet). To
change it, put a new key first, run ``manage.py rotate_key_encryption`` (every
row is encrypted again with the first key), then drop the old key. A copy of
the database alone (a backup, a replica, a leaked dump) then holds no usable
private key. Private keys are decrypted only to sign.
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core.exceptions import ImproperlyConfigured

from .conf import KEY_ENCRYPTION_SETTING, key_encryption_keys

PEM_MARKER = "-----BEGIN"


class KeyDecryptionError(ImproperlyConfigured):
    """No configured key opens a stored private key: the setting lost the key that encrypted it."""


def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in key_encryption_keys()])
    except ValueError as error:  # binascii.Error is a ValueError too
        raise ImproperlyConfigured(
            f"{KEY_ENCRYPTION_SETTING} holds a value that is not a Fernet key: {error}"
        ) from None


def invalid_keys(keys: list[str]) -> list[int]:
    """The positions (from 1) of the values that are not Fernet keys."""
    bad = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            bad.append(position)
    return bad


def encrypt_private_key(pem: bytes) -> str:
    """The private key as a Fernet token under the first configured key."""
    return _fernet().encrypt(pem).decode("ascii")


def decrypt_private_key(token: str) -> bytes:
    """The PEM a stored token holds, opened with whichever configured key encrypted it."""
    try:
        return _fernet().decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        raise KeyDecryptionError(
            f"No key in {KEY_ENCRYPTION_SETTING} decrypts this issuer key: was the key that "
            "encrypted it removed before `manage.py rotate_key_encryption` ran?"
        ) from None


def reencrypt(token: str) -> str:
    """The same private key encrypted again under the first configured key."""
    try:
        return _fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError):
        raise KeyDecryptionError(
            f"No key in {KEY_ENCRYPTION_SETTING} decrypts this issuer key."
        ) from None


def is_plaintext(stored: str) -> bool:
    """Whether a stored value is a PEM written before keys were encrypted."""
    return stored.lstrip().startswith(PEM_MARKER)
