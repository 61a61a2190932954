"""Issuer private keys are encrypted at rest; rotating the encryption key is a command."""

import importlib
from io import StringIO
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from certificates import keys, rendering, verification
from certificates.checks import check_key_encryption_key
from certificates.credential import generate_signing_key, verify_credential
from certificates.key_encryption import KeyDecryptionError, encrypt_private_key
from certificates.models import IssuerKey
from certificates.status_list import status_list_jwt

Purpose = IssuerKey.Purpose
migration = importlib.import_module("certificates.migrations.0002_encrypt_issuer_private_keys")


def stored_rows() -> list[tuple]:
    """Every column of every issuer key, as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {IssuerKey._meta.db_table}")
        return cursor.fetchall()


def test_the_database_holds_no_private_key_in_pem(db):
    keys.active_key(Purpose.CREDENTIAL)
    keys.active_key(Purpose.PDF)

    rows = stored_rows()

    assert len(rows) == 2
    for row in rows:
        text = " ".join(str(value) for value in row)
        assert "PRIVATE KEY" not in text
        assert "-----BEGIN" not in text.replace("-----BEGIN CERTIFICATE-----", "")
    for key in IssuerKey.objects.all():
        assert key.private_key_pem().startswith(b"-----BEGIN PRIVATE KEY-----")


def test_certificates_signed_with_encrypted_keys_verify(certificate):
    rendered = rendering.certificate_render(certificate_id=certificate.pk)
    pdf = rendering.pdf_storage().open(rendered.pdf.name).read()

    check = verification.check_file(pdf)

    assert check.integrity == "intact", check.detail
    assert verify_credential(rendered.credential_jwt, verification.trusted_jwks()).kid == (
        keys.active_key(Purpose.CREDENTIAL).kid
    )


def test_rotation_re_encrypts_every_key_so_the_old_key_can_go(db, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CERTIFICATES_KEY_ENCRYPTION_KEY = old
    credential_key = keys.active_key(Purpose.CREDENTIAL)
    keys.active_key(Purpose.PDF)
    before = {key.pk: key.private_key_pem() for key in IssuerKey.objects.all()}

    settings.CERTIFICATES_KEY_ENCRYPTION_KEY = f"{new}, {old}"
    out = StringIO()
    call_command("rotate_key_encryption", stdout=out)
    settings.CERTIFICATES_KEY_ENCRYPTION_KEY = new

    assert "2 issuer key(s)" in out.getvalue()
    assert {key.pk: key.private_key_pem() for key in IssuerKey.objects.all()} == before
    signed = status_list_jwt(list_url="http://testserver/credentials/status/1", issuer_id="x")
    assert verify_credential(signed, verification.trusted_jwks()).kid == credential_key.kid
    settings.CERTIFICATES_KEY_ENCRYPTION_KEY = old
    with pytest.raises(KeyDecryptionError):
        IssuerKey.objects.get(pk=credential_key.pk).private_key_pem()


def test_rotation_changes_nothing_when_a_key_cannot_be_decrypted(db, settings):
    settings.CERTIFICATES_KEY_ENCRYPTION_KEY = Fernet.generate_key().decode()
    keys.active_key(Purpose.CREDENTIAL)
    keys.active_key(Purpose.PDF)
    before = stored_rows()

    settings.CERTIFICATES_KEY_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(KeyDecryptionError):
        call_command("rotate_key_encryption", stdout=StringIO())

    assert stored_rows() == before


def test_the_data_migration_encrypts_plain_pem_rows_and_reverses(db):
    pem = generate_signing_key()[0]
    key = IssuerKey.objects.create(
        purpose=Purpose.CREDENTIAL, kid="from-before", private_key_encrypted=pem.decode()
    )
    already = keys.active_key(Purpose.PDF)
    already_stored = already.private_key_encrypted

    migration.encrypt_rows(apps, SimpleNamespace(connection=connection))

    key.refresh_from_db()
    assert "PRIVATE KEY" not in key.private_key_encrypted
    assert key.private_key_pem() == pem
    already.refresh_from_db()
    assert already.private_key_encrypted == already_stored  # encrypted once, not twice

    migration.decrypt_rows(apps, SimpleNamespace(connection=connection))

    key.refresh_from_db()
    assert key.private_key_encrypted == pem.decode()


def test_production_without_a_key_encryption_key_fails_the_system_check(db, settings):
    settings.DEBUG = False
    settings.CERTIFICATES_KEY_ENCRYPTION_KEY = ""

    errors = check_key_encryption_key()

    assert [error.id for error in errors] == ["certificates.E001"]
    with pytest.raises(SystemCheckError, match="CERTIFICATES_KEY_ENCRYPTION_KEY is not set"):
        call_command("check", tags=["security"], stdout=StringIO(), stderr=StringIO())


def test_development_without_a_key_passes_and_derives_one_from_the_secret_key(db, settings):
    settings.DEBUG = True
    settings.CERTIFICATES_KEY_ENCRYPTION_KEY = ""

    assert check_key_encryption_key() == []
    assert keys.active_key(Purpose.CREDENTIAL).private_key_pem().startswith(b"-----BEGIN")


def test_a_value_that_is_not_a_fernet_key_fails_the_check_in_any_mode(settings):
    settings.DEBUG = True
    settings.CERTIFICATES_KEY_ENCRYPTION_KEY = f"{Fernet.generate_key().decode()},not-a-key"

    assert [error.id for error in check_key_encryption_key()] == ["certificates.E002"]


def test_production_with_its_key_passes_the_check(settings):
    settings.DEBUG = False
    settings.CERTIFICATES_KEY_ENCRYPTION_KEY = Fernet.generate_key().decode()

    assert check_key_encryption_key() == []


def test_a_key_encrypted_with_one_key_is_not_readable_with_another(settings):
    settings.CERTIFICATES_KEY_ENCRYPTION_KEY = Fernet.generate_key().decode()
    token = encrypt_private_key(b"-----BEGIN PRIVATE KEY-----\n...")
    settings.CERTIFICATES_KEY_ENCRYPTION_KEY = Fernet.generate_key().decode()

    with pytest.raises(KeyDecryptionError):
        IssuerKey(private_key_encrypted=token).private_key_pem()
