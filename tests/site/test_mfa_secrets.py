"""Second-factor secrets are Fernet tokens at rest; secrets stored before still verify."""

from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.urls import reverse

from lms import mfa_secrets
from tests.site.test_staff_mfa import confirm_password, log_in, totp_code

pytestmark = pytest.mark.usefixtures("staff_mfa")

OLD_SECRET = "JBSWY3DPEHPK3PXP"


def log_in_with_code(client, username: str, code: str):
    assert log_in(client, username)["Location"] == reverse("mfa_authenticate")
    return client.post(reverse("mfa_authenticate"), {"code": code})


def test_an_enrolled_secret_is_stored_encrypted_and_a_code_still_logs_in(client, teacher, settings):
    settings.MFA_TOTP_TOLERANCE = 1
    log_in(client, teacher.username)
    confirm_password(client)
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    codes_page = client.get(reverse("mfa_view_recovery_codes"))

    totp = Authenticator.objects.get(user=teacher, type=Authenticator.Type.TOTP)
    stored = totp.data["secret"]
    assert stored != secret and secret not in stored
    assert stored.startswith(mfa_secrets.TOKEN_PREFIX)
    assert mfa_secrets.decrypt(stored) == secret
    recovery = Authenticator.objects.get(user=teacher, type=Authenticator.Type.RECOVERY_CODES)
    seed = recovery.data["seed"]
    assert seed.startswith(mfa_secrets.TOKEN_PREFIX)
    recovery_codes = RecoveryCodes(recovery).generate_codes()
    assert recovery_codes[0] in codes_page.text

    client.post(reverse("logout"))
    logged_in = log_in_with_code(client, teacher.username, totp_code(secret, 1))
    assert logged_in["Location"] == reverse("landing")
    assert client.session["_auth_user_id"] == str(teacher.pk)

    client.post(reverse("logout"))
    with_recovery = log_in_with_code(client, teacher.username, recovery_codes[1])
    assert with_recovery["Location"] == reverse("landing")


def test_a_secret_stored_in_plain_text_before_still_logs_in(client, teacher):
    Authenticator.objects.create(
        user=teacher, type=Authenticator.Type.TOTP, data={"secret": OLD_SECRET}
    )

    logged_in = log_in_with_code(client, teacher.username, totp_code(OLD_SECRET))

    assert logged_in["Location"] == reverse("landing")
    assert client.session["_auth_user_id"] == str(teacher.pk)


def test_rotation_encrypts_old_secrets_and_moves_all_to_the_new_key(client, teacher, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CERTIFICATES_KEY_ENCRYPTION_KEY = old
    plain = Authenticator.objects.create(
        user=teacher, type=Authenticator.Type.TOTP, data={"secret": OLD_SECRET}
    )
    seed = RecoveryCodes.generate_seed()
    recovery = RecoveryCodes.activate(teacher).instance
    recovery.data = {"seed": mfa_secrets.encrypt(seed), "used_mask": 0}
    recovery.save()

    settings.CERTIFICATES_KEY_ENCRYPTION_KEY = f"{new},{old}"
    out = StringIO()
    call_command("rotate_mfa_encryption", stdout=out)
    settings.CERTIFICATES_KEY_ENCRYPTION_KEY = new

    assert "2 second factor(s)" in out.getvalue()
    plain.refresh_from_db()
    recovery.refresh_from_db()
    assert plain.data["secret"].startswith(mfa_secrets.TOKEN_PREFIX)
    assert mfa_secrets.decrypt(plain.data["secret"]) == OLD_SECRET
    assert mfa_secrets.decrypt(recovery.data["seed"]) == seed
    assert recovery.data["used_mask"] == 0
    logged_in = log_in_with_code(client, teacher.username, totp_code(OLD_SECRET))
    assert logged_in["Location"] == reverse("landing")

    settings.CERTIFICATES_KEY_ENCRYPTION_KEY = old
    with pytest.raises(mfa_secrets.SecretDecryptionError):
        mfa_secrets.decrypt(plain.data["secret"])


def test_rotation_changes_nothing_when_a_secret_cannot_be_decrypted(teacher, student, settings):
    lost = Fernet.generate_key().decode()
    settings.CERTIFICATES_KEY_ENCRYPTION_KEY = lost
    unreadable = mfa_secrets.encrypt(OLD_SECRET)
    settings.CERTIFICATES_KEY_ENCRYPTION_KEY = Fernet.generate_key().decode()
    plain = Authenticator.objects.create(
        user=student, type=Authenticator.Type.TOTP, data={"secret": OLD_SECRET}
    )
    Authenticator.objects.create(
        user=teacher, type=Authenticator.Type.TOTP, data={"secret": unreadable}
    )

    with pytest.raises(mfa_secrets.SecretDecryptionError):
        call_command("rotate_mfa_encryption", stdout=StringIO())

    plain.refresh_from_db()
    assert plain.data["secret"] == OLD_SECRET
