"""manage.py verify_certificate: online against the records, offline against trust files."""

import base64
import json
import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from certificates.credential import key_name
from certificates.models import Verification
from certificates.pdfsign import extract_attachment
from tests.certificates.conftest import (
    PUBLIC_STATUSES,
    add_incremental_update,
    change_one_byte,
)

ROOT = Path(__file__).resolve().parents[2]


def verify(*args) -> tuple[int, str]:
    """Run the command; return its exit status and output."""
    out = StringIO()
    try:
        call_command("verify_certificate", *map(str, args), stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


@pytest.fixture
def trust(tmp_path, issuer_keys) -> Path:
    folder = tmp_path / "trust"
    code, output = verify("--export-trust", folder)
    assert code == 0, output
    return folder


def write(tmp_path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def offline(path, trust: Path, *extra):
    return verify(
        path,
        "--offline",
        "--jwks",
        trust / "jwks.json",
        "--pdf-cert",
        trust / "pdf-signing-cert.pem",
        *extra,
    )


# Online


def pdf_with_status(make_certificate, status):
    if status == "expired":
        return make_certificate(expired=True, with_pdf=True)
    if status == "revoked":
        return make_certificate(status="revoked", reason="misconduct", with_pdf=True)
    if status == "suspended":
        return make_certificate(status="suspended", with_pdf=True)
    if status == "superseded":
        return make_certificate(superseded_by=make_certificate(), with_pdf=True)
    return make_certificate(with_pdf=True)


@pytest.mark.parametrize("status", PUBLIC_STATUSES)
def test_each_status_verifies_as_such_with_the_command(tmp_path, make_certificate, status):
    certificate = pdf_with_status(make_certificate, status)
    path = write(tmp_path, "certificate.pdf", certificate.pdf_bytes)

    code, output = verify(path)

    assert code == (0 if status == "valid" else 1), output
    assert ("Verdict: VALID" if status == "valid" else "Verdict: NOT VALID") in output
    expected = {
        "valid": "in force",
        "expired": "expired",
        "revoked": "revoked on",
        "suspended": "suspended since",
        "superseded": "superseded by",
    }[status]
    assert expected in output


def test_a_revoked_certificate_names_its_reason(tmp_path, make_certificate):
    certificate = make_certificate(status="revoked", reason="misconduct", with_pdf=True)

    _code, output = verify(write(tmp_path, "c.pdf", certificate.pdf_bytes))

    assert "Exam misconduct" in output


def test_an_unknown_certificate_is_not_valid(tmp_path, pdf_certificate):
    token = extract_attachment(pdf_certificate.pdf_bytes, "credential.jwt")
    pdf_certificate.delete()

    code, output = verify(write(tmp_path, "credential.jwt", token))

    assert code == 1
    assert "No certificate matches" in output


@pytest.mark.parametrize("tamper", [change_one_byte, add_incremental_update])
def test_a_modified_pdf_is_not_valid(tmp_path, pdf_certificate, tamper):
    code, output = verify(write(tmp_path, "c.pdf", tamper(pdf_certificate.pdf_bytes)))

    assert code == 1
    assert "Integrity:  modified" in output


def test_the_signed_credential_verifies_online(tmp_path, pdf_certificate):
    token = extract_attachment(pdf_certificate.pdf_bytes, "credential.jwt")

    code, output = verify(write(tmp_path, "credential.jwt", token))

    assert code == 0, output


def test_a_field_changed_in_the_credential_json_fails_online(tmp_path, pdf_certificate):
    credential = json.loads(extract_attachment(pdf_certificate.pdf_bytes, "credential.json"))
    credential["credentialSubject"]["name"] = "Someone Else"

    code, output = verify(write(tmp_path, "credential.json", json.dumps(credential).encode()))

    assert code == 1
    assert "Integrity:  modified" in output


def test_online_checks_are_logged(tmp_path, pdf_certificate):
    verify(write(tmp_path, "c.pdf", pdf_certificate.pdf_bytes))

    logged = Verification.objects.get()
    assert (logged.channel, logged.result, logged.certificate) == (
        "command",
        "valid",
        pdf_certificate,
    )


# Offline


def test_export_trust_writes_the_jwks_and_the_pdf_certificate(trust, issuer_keys):
    jwks = json.loads((trust / "jwks.json").read_text())
    assert [key_name(key["kid"]) for key in jwks["keys"]] == [issuer_keys["credential"].kid]
    assert all(key["alg"] == "EdDSA" and "d" not in key for key in jwks["keys"])
    assert (trust / "pdf-signing-cert.pem").read_text() == issuer_keys["pdf"].certificate_pem


def test_offline_verification_never_touches_the_database(
    tmp_path, trust, pdf_certificate, django_assert_num_queries
):
    path = write(tmp_path, "c.pdf", pdf_certificate.pdf_bytes)

    with django_assert_num_queries(0):
        code, output = offline(path, trust)

    assert code == 0, output
    assert "not checked offline" in output


def test_offline_cannot_see_a_revocation_but_says_so(tmp_path, trust, make_certificate):
    certificate = make_certificate(status="revoked", reason="fraud", with_pdf=True)

    code, output = offline(write(tmp_path, "c.pdf", certificate.pdf_bytes), trust)

    assert code == 0
    assert "Revocation: not checked offline" in output


def test_offline_an_expired_certificate_is_not_valid(tmp_path, trust, pdf_certificate):
    after = pdf_certificate.expires_on + timedelta(days=1)

    code, output = offline(
        write(tmp_path, "c.pdf", pdf_certificate.pdf_bytes), trust, "--today", after
    )

    assert code == 1
    assert f"expired on {pdf_certificate.expires_on}" in output


@pytest.mark.parametrize("tamper", [change_one_byte, add_incremental_update])
def test_offline_a_modified_pdf_is_not_valid(tmp_path, trust, pdf_certificate, tamper):
    code, output = offline(write(tmp_path, "c.pdf", tamper(pdf_certificate.pdf_bytes)), trust)

    assert code == 1
    assert "modified" in output


def test_offline_the_signed_credential_verifies(tmp_path, trust, pdf_certificate):
    token = extract_attachment(pdf_certificate.pdf_bytes, "credential.jwt")

    code, output = offline(write(tmp_path, "credential.jwt", token), trust)

    assert code == 0, output


def test_offline_a_changed_credential_jwt_is_not_valid(tmp_path, trust, certificate):
    header, payload, signature = certificate.credential_jwt.split(".")
    forged = f"{header}.{payload[:-2]}{'AB' if payload[-2:] != 'AB' else 'CD'}.{signature}"

    code, _output = offline(write(tmp_path, "credential.jwt", forged.encode()), trust)

    assert code == 1


def test_offline_a_plain_credential_json_cannot_be_trusted(tmp_path, trust, pdf_certificate):
    document = extract_attachment(pdf_certificate.pdf_bytes, "credential.json")

    code, output = offline(write(tmp_path, "credential.json", document), trust)

    assert code == 1
    assert "no signature" in output


def test_offline_a_pdf_needs_the_pdf_certificate(tmp_path, pdf_certificate, db):
    code, output = verify(write(tmp_path, "c.pdf", pdf_certificate.pdf_bytes), "--offline")

    assert code == 1
    assert "--pdf-cert" in output


def test_offline_a_pdf_signed_by_someone_else_is_not_valid(tmp_path, trust, pdf_certificate):
    from certificates.pdfsign import generate_platform_certificate

    _key, other_cert = generate_platform_certificate("Somebody else")
    (trust / "pdf-signing-cert.pem").write_bytes(other_cert)

    code, _output = offline(write(tmp_path, "c.pdf", pdf_certificate.pdf_bytes), trust)

    assert code == 1


def test_offline_it_runs_from_the_shell_with_no_database_and_exits_0(
    tmp_path, trust, pdf_certificate
):
    path = write(tmp_path, "good.pdf", pdf_certificate.pdf_bytes)
    # No database at all: the path cannot be opened, so any query would fail.
    env = {**os.environ, "DATABASE_URL": "sqlite:////nonexistent/directory/db.sqlite3"}

    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "verify_certificate",
            str(path),
            "--offline",
            "--jwks",
            str(trust / "jwks.json"),
            "--pdf-cert",
            str(trust / "pdf-signing-cert.pem"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "Verdict: VALID" in result.stdout


# Credentials signed before the switch to OB 3.0's VC-JWT ("Ed25519", no JWT claims)


def test_a_certificate_signed_before_the_switch_still_verifies_online_and_offline(
    tmp_path, trust, make_certificate
):
    old = make_certificate(legacy=True, with_pdf=True)
    token = extract_attachment(old.pdf_bytes, "credential.jwt")
    header = token.split(b".")[0].decode()
    assert json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["alg"] == (
        "Ed25519"
    )
    pdf = write(tmp_path, "old.pdf", old.pdf_bytes)
    jwt = write(tmp_path, "old.jwt", token)

    for code, output in [
        verify(pdf),
        verify(jwt),
        offline(pdf, trust),
        verify(jwt, "--offline", "--jwks", trust / "jwks.json"),
    ]:
        assert code == 0, output
        assert "Integrity:  intact" in output


def test_a_new_credential_verifies_offline_with_a_jwks_exported_before_the_switch(
    tmp_path, pdf_certificate, issuer_keys
):
    # Then the file named keys by thumbprint and said "Ed25519".
    old_export = {"keys": [{**issuer_keys["credential"].public_jwk, "alg": "Ed25519"}]}
    jwks = write(tmp_path, "jwks.json", json.dumps(old_export).encode())
    token = extract_attachment(pdf_certificate.pdf_bytes, "credential.jwt")

    code, output = verify(write(tmp_path, "new.jwt", token), "--offline", "--jwks", jwks)

    assert code == 0, output
