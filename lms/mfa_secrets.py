"""Second-factor secrets encrypted at rest with the key-encryption key of the issuer keys.

allauth.mfa keeps a TOTP secret ("secret") and a recovery-code seed ("seed", or the codes
migrated from an older library, "migrated_codes") in Authenticator.data and passes each
through the MFA adapter's encrypt()/decrypt() (lms/adapters.py). They are Fernet tokens
under the first key of CERTIFICATES_KEY_ENCRYPTION_KEY (certificates/conf.py loads the keys;
all of them decrypt), so a copy of the database alone opens no second factor. A value
stored before this change is no Fernet token (a TOTP secret is base32, a seed hex) and is
read as it is; `manage.py rotate_mfa_encryption` encrypts such values and re-encrypts the
others after a new key was put first.
"""

from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from certificates.conf import KEY_ENCRYPTION_SETTING, key_encryption_keys

# Every Fernet token starts with its version byte 0x80 and a timestamp's leading zero bytes;
# neither base32 (A-Z, 2-7) nor hex (0-9, a-f) can start with "g".
TOKEN_PREFIX = "gAAAAA"
# The Authenticator.data entries allauth passes through encrypt()/decrypt().
SECRET_FIELDS = {
    Authenticator.Type.TOTP: ("secret",),
    Authenticator.Type.RECOVERY_CODES: ("seed", "migrated_codes"),
}


class SecretDecryptionError(ImproperlyConfigured):
    """No configured key opens a stored second-factor secret."""


def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in key_encryption_keys()])
    except ValueError as error:  # binascii.Error is a ValueError too
        raise ImproperlyConfigured(
            f"{KEY_ENCRYPTION_SETTING} holds a value that is not a Fernet key: {error}"
        ) from None


def is_encrypted(stored: str) -> bool:
    return stored.startswith(TOKEN_PREFIX)


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode("ascii")


def decrypt(stored: str) -> str:
    """The secret a stored value holds; a value written before encryption, as it is."""
    if not is_encrypted(stored):
        return stored
    try:
        return _fernet().decrypt(stored.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError):
        raise SecretDecryptionError(
            f"No key in {KEY_ENCRYPTION_SETTING} decrypts this second-factor secret: was the "
            "key that encrypted it removed before `manage.py rotate_mfa_encryption` ran?"
        ) from None


def _reencrypted(stored: str) -> str:
    if not is_encrypted(stored):
        return encrypt(stored)
    try:
        return _fernet().rotate(stored.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise SecretDecryptionError(
            f"No key in {KEY_ENCRYPTION_SETTING} decrypts a stored second-factor secret."
        ) from None


@transaction.atomic
def reencrypt_secrets() -> int:
    """Encrypt every stored second-factor secret (again) with the first configured key.

    All or nothing: if one value cannot be decrypted, nothing changes. Returns how many
    authenticators were written.
    """
    count = 0
    rows = Authenticator.objects.select_for_update().filter(type__in=SECRET_FIELDS)
    for authenticator in rows.order_by("pk"):
        data = dict(authenticator.data or {})
        for field in SECRET_FIELDS[authenticator.type]:
            value = data.get(field)
            if isinstance(value, str):
                data[field] = _reencrypted(value)
            elif isinstance(value, list):
                data[field] = [_reencrypted(item) for item in value]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])
            count += 1
    return count
