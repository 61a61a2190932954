"""Rendering: signed credential and PDF, stored once under a keyed name; keys, retries, sweeps."""

import hashlib
import json
import subprocess
from datetime import timedelta
from io import StringIO

import pytest
from celery.exceptions import Retry
from django.core.management import call_command
from django.utils import timezone

from certificates import issuance, keys, rendering, tasks
from certificates.credential import CredentialError, key_name, verify_credential
from certificates.models import Certificate, IssuerKey
from certificates.pdfsign import extract_attachment, inspect_pdf_signature
from certificates.verification import trusted_jwks
from tests.certificates.test_issuance import sit
from tests.conftest import require_binary


@pytest.fixture
def certificate(student, theory_exam) -> Certificate:
    """Issued but not rendered: the test's transaction never commits, so no task ran."""
    return issuance.certificate_issue_for_attempt(attempt=sit(student, theory_exam))


def stored_files(settings) -> list[str]:
    folder = settings.MEDIA_ROOT / rendering.PDF_DIRECTORY
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def stored_file(certificate: Certificate) -> str:
    """The file name its PDF is stored under (a keyed hash of its serial)."""
    return rendering.pdf_name(certificate.serial).rsplit("/", 1)[-1]


def stored_bytes(certificate: Certificate) -> bytes:
    with rendering.pdf_storage().open(certificate.pdf.name, "rb") as handle:
        return handle.read()


def run(binary: str, pdf: bytes, tmp_path, *args: str) -> subprocess.CompletedProcess:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [require_binary(binary), *args, str(path), *(["-"] if binary == "pdftotext" else [])],
        capture_output=True,
        check=False,
    )


# --- Storing ---------------------------------------------------------------------------------


def test_the_rendered_pdf_is_stored_once_with_its_sha256(settings, certificate):
    assert certificate.render_state == Certificate.RenderState.PENDING

    rendered = rendering.certificate_render(certificate_id=certificate.pk)

    assert rendered.render_state == Certificate.RenderState.DONE
    assert rendered.pdf.name == rendering.pdf_name(certificate.serial)
    assert certificate.serial not in rendered.pdf.name  # the serial is public; the name is not
    assert stored_files(settings) == [stored_file(certificate)]
    pdf = stored_bytes(rendered)
    assert pdf.startswith(b"%PDF-")
    assert rendered.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert rendered.rendered_at is not None
    assert rendered.render_tries == 1
    assert rendered.credential_jwt.count(".") == 2


def test_rendering_twice_leaves_one_file_and_the_same_hash(settings, certificate):
    first = rendering.certificate_render(certificate_id=certificate.pk)

    second = rendering.certificate_render(certificate_id=certificate.pk)

    assert second.pdf_sha256 == first.pdf_sha256
    assert second.render_tries == 1  # nothing was rendered the second time
    assert stored_files(settings) == [stored_file(certificate)]


def test_a_render_retried_after_a_crash_replaces_the_orphan_file(
    settings, monkeypatch, certificate
):
    def crash():
        raise SystemExit("worker died after storing the file")

    monkeypatch.setattr(rendering, "_injected_delay", crash)
    with pytest.raises(SystemExit):
        rendering.certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert certificate.render_state == Certificate.RenderState.PENDING
    assert stored_files(settings) == [stored_file(certificate)]  # the orphan
    monkeypatch.undo()

    rendered = rendering.certificate_render(certificate_id=certificate.pk)

    assert rendered.render_state == Certificate.RenderState.DONE
    assert stored_files(settings) == [stored_file(certificate)]
    assert rendered.pdf_sha256 == hashlib.sha256(stored_bytes(rendered)).hexdigest()


def test_a_missing_or_altered_file_is_rendered_again(settings, certificate):
    first = rendering.certificate_render(certificate_id=certificate.pk)
    path = settings.MEDIA_ROOT / first.pdf.name
    path.write_bytes(b"%PDF-1.7 tampered")

    again = rendering.certificate_render(certificate_id=certificate.pk)

    assert again.render_tries == 2
    assert hashlib.sha256(path.read_bytes()).hexdigest() == again.pdf_sha256
    assert stored_files(settings) == [stored_file(certificate)]


# --- What is stored -----------------------------------------------------------------------------


def test_the_pdf_prints_both_names_and_the_serial(tmp_path, certificate):
    rendered = rendering.certificate_render(certificate_id=certificate.pk)

    result = run("pdftotext", stored_bytes(rendered), tmp_path)

    text = result.stdout.decode()
    assert result.returncode == 0
    assert "张伟" in text
    assert "Zhang Wei" in text
    assert certificate.serial in text
    assert "跨境电商平台运营" in text


def test_pdfsig_finds_a_valid_signature(tmp_path, certificate):
    rendered = rendering.certificate_render(certificate_id=certificate.pk)

    result = run("pdfsig", stored_bytes(rendered), tmp_path)

    output = result.stdout.decode()
    assert "Signature is Valid" in output, output
    assert keys.PDF_SIGNER_NAME in output


def test_the_signature_is_the_platforms_active_pdf_key(certificate):
    rendered = rendering.certificate_render(certificate_id=certificate.pk)
    pdf_key = keys.active_key(IssuerKey.Purpose.PDF)

    check = inspect_pdf_signature(
        stored_bytes(rendered), trusted_cert_pem=pdf_key.certificate_pem.encode()
    )

    assert check.status == "intact", check.detail


def test_the_pdf_carries_the_signed_credential(certificate):
    rendered = rendering.certificate_render(certificate_id=certificate.pk)
    pdf = stored_bytes(rendered)

    jwt = extract_attachment(pdf, "credential.jwt").decode()
    embedded = json.loads(extract_attachment(pdf, "credential.json"))

    assert jwt == rendered.credential_jwt
    verified = verify_credential(jwt, trusted_jwks())
    assert verified.kid == keys.active_key(IssuerKey.Purpose.CREDENTIAL).kid
    assert verified.credential == embedded
    assert verified.credential["id"] == certificate.snapshot["verify_url"]
    statuses = verified.credential["credentialStatus"]
    assert [status["statusPurpose"] for status in statuses] == ["revocation", "suspension"]
    assert {status["statusListIndex"] for status in statuses} == {
        str(certificate.status_list_index)
    }
    subject = verified.credential["credentialSubject"]
    assert subject["name"] == "张伟 (Zhang Wei)"


def test_snapshot_and_certificate_data_round_trip(certificate):
    data = rendering.data_from_snapshot(certificate.snapshot)

    assert rendering.snapshot_from_data(data) == certificate.snapshot
    assert data.serial == certificate.serial
    assert data.expires_on == certificate.expires_on
    assert data.school.code == "school"


# --- Keys ----------------------------------------------------------------------------------------


def test_the_active_key_is_created_once_and_reused(db):
    first = keys.active_key(IssuerKey.Purpose.CREDENTIAL)
    second = keys.active_key(IssuerKey.Purpose.CREDENTIAL)
    pdf = keys.active_key(IssuerKey.Purpose.PDF)

    assert first.pk == second.pk
    assert IssuerKey.objects.count() == 2
    assert first.public_jwk["kid"] == first.kid
    assert "d" not in first.public_jwk
    assert pdf.certificate_pem.startswith("-----BEGIN CERTIFICATE-----")
    assert pdf.kid.startswith("x509-sha256:")


def test_a_certificate_signed_before_rotation_still_verifies_after(student, theory_exam):
    before = issuance.certificate_issue_for_attempt(attempt=sit(student, theory_exam))
    before = rendering.certificate_render(certificate_id=before.pk)
    old_kid = keys.active_key(IssuerKey.Purpose.CREDENTIAL).kid

    new_key = keys.rotate_key(IssuerKey.Purpose.CREDENTIAL)

    jwks = trusted_jwks()
    assert {key_name(key["kid"]) for key in jwks["keys"]} == {old_kid, new_key.kid}
    assert verify_credential(before.credential_jwt, jwks).kid == old_kid
    assert keys.active_key(IssuerKey.Purpose.CREDENTIAL).pk == new_key.pk
    # New certificates are signed with the new key.
    issuance.certificate_reissue(certificate=before, by=None)
    after = rendering.certificate_render(certificate_id=Certificate.objects.current().get().pk)
    assert verify_credential(after.credential_jwt, jwks).kid == new_key.kid


def test_a_revoked_key_is_no_longer_published(student, theory_exam):
    certificate = issuance.certificate_issue_for_attempt(attempt=sit(student, theory_exam))
    certificate = rendering.certificate_render(certificate_id=certificate.pk)
    IssuerKey.objects.filter(purpose=IssuerKey.Purpose.CREDENTIAL).update(revoked_at=timezone.now())

    with pytest.raises(CredentialError) as error:
        verify_credential(certificate.credential_jwt, trusted_jwks())
    assert error.value.code == "unknown_key"


def test_the_rotate_command_rotates_both_keys(db):
    old = {purpose: keys.active_key(purpose).pk for purpose in IssuerKey.Purpose.values}
    out = StringIO()

    call_command("rotate_issuer_key", "all", stdout=out)

    for purpose, old_pk in old.items():
        assert keys.active_key(purpose).pk != old_pk
        assert IssuerKey.objects.get(pk=old_pk).retired_at is not None
    assert "credential: new key" in out.getvalue()
    assert "pdf: new key" in out.getvalue()


# --- Task: retries, failure, sweeping ------------------------------------------------------------


def test_the_task_renders_by_id(certificate):
    assert tasks.render_certificate.delay(certificate.pk).get() == Certificate.RenderState.DONE


def test_a_certificate_deleted_before_rendering_is_skipped(db):
    assert tasks.render_certificate.delay(999_999).get() == "missing"


def test_a_failed_render_is_retried_and_after_the_last_try_marked_failed(monkeypatch, certificate):
    def broken(*args, **kwargs):
        raise RuntimeError("fonts are missing")

    monkeypatch.setattr(rendering, "render_pdf", broken)

    with pytest.raises(Retry):
        tasks.render_certificate.apply(args=[certificate.pk])
    certificate.refresh_from_db()
    assert certificate.render_state == Certificate.RenderState.PENDING

    with pytest.raises(RuntimeError):
        tasks.render_certificate.apply(args=[certificate.pk], retries=tasks.RENDER_MAX_RETRIES)
    certificate.refresh_from_db()
    assert certificate.render_state == Certificate.RenderState.FAILED
    assert certificate.render_tries == 2


def test_the_render_task_is_late_acknowledged_and_survives_a_lost_worker():
    task = tasks.render_certificate
    assert task.acks_late and task.reject_on_worker_lost
    assert task.max_retries == 5


def test_the_sweeper_requeues_renders_pending_too_long(settings, monkeypatch, certificate):
    settings.CERTIFICATES_SWEEP_AFTER_SECONDS = 60
    Certificate.objects.filter(pk=certificate.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    queued = []
    monkeypatch.setattr(tasks.render_certificate, "delay", queued.append)

    assert tasks.sweep_pending_renders() == 1
    assert queued == [certificate.pk]


def test_the_sweeper_leaves_recent_done_and_failed_renders_alone(
    settings, monkeypatch, certificate
):
    settings.CERTIFICATES_SWEEP_AFTER_SECONDS = 60
    queued = []
    monkeypatch.setattr(tasks.render_certificate, "delay", queued.append)

    assert tasks.sweep_pending_renders() == 0  # just issued
    for state in (Certificate.RenderState.DONE, Certificate.RenderState.FAILED):
        Certificate.objects.filter(pk=certificate.pk).update(
            render_state=state, created_at=timezone.now() - timedelta(hours=1)
        )
        assert tasks.sweep_pending_renders() == 0
    assert queued == []


def test_rerender_queues_a_new_render_under_the_same_name(
    settings, certificate, django_capture_on_commit_callbacks
):
    first = rendering.certificate_render(certificate_id=certificate.pk)

    with django_capture_on_commit_callbacks(execute=True):
        issuance.certificate_rerender(certificate=first)

    first.refresh_from_db()
    assert first.render_state == Certificate.RenderState.DONE
    assert first.render_tries == 1  # reset, then one render
    assert stored_files(settings) == [stored_file(certificate)]


def test_a_revoked_key_never_signs_again(db):
    compromised = keys.active_key(IssuerKey.Purpose.CREDENTIAL)
    IssuerKey.objects.filter(pk=compromised.pk).update(revoked_at=timezone.now())

    replacement = keys.active_key(IssuerKey.Purpose.CREDENTIAL)

    assert replacement.pk != compromised.pk
    assert [key_name(key["kid"]) for key in trusted_jwks()["keys"]] == [replacement.kid]


def test_a_school_can_have_its_own_certificate_design(settings, tmp_path):
    from certificates.credential import sample_certificate_data
    from certificates.rendering import template_for

    data = sample_certificate_data()
    assert template_for(data) == "certificates/pdf/default.html"
    folder = tmp_path / "certificates" / "pdf"
    folder.mkdir(parents=True)
    (folder / f"{data.school.code}.html").write_text(
        '{% extends "certificates/pdf/default.html" %}'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    assert template_for(data) == f"certificates/pdf/{data.school.code}.html"
