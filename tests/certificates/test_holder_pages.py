"""My certificates, downloads, sharing, status changes and the template preview."""

import hashlib
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import translation

from certificates import issuance, rendering
from certificates.credential import verify_credential
from certificates.keys import active_key
from certificates.models import Certificate, IssuerKey, Verification
from certificates.pdfsign import extract_attachment
from certificates.verification import trusted_jwks
from certificates.views.holder import linkedin_url
from tests.certificates.test_issuance import sit
from tests.exams.conftest import build_exam


@pytest.fixture
def pending(student, theory_exam) -> Certificate:
    """Issued; its render has not run (the test transaction never commits)."""
    return issuance.certificate_issue_for_attempt(attempt=sit(student, theory_exam))


@pytest.fixture
def rendered(monkeypatch, pending) -> Certificate:
    """Rendered through the real service, with a stand-in PDF (real PDFs: test_rendering)."""
    with monkeypatch.context() as patch:
        patch.setattr(
            rendering, "render_pdf", lambda data, **kw: f"%PDF-1.7 {data.serial}".encode()
        )
        patch.setattr(rendering, "sign_pdf", lambda pdf, **kw: pdf + b" signed")
        return rendering.certificate_render(certificate_id=pending.pk)


def stored_bytes(certificate: Certificate) -> bytes:
    with rendering.pdf_storage().open(certificate.pdf.name, "rb") as handle:
        return handle.read()


# --- My certificates ---------------------------------------------------------------------------


def test_my_certificates_lists_the_holders_certificates(client, student, rendered):
    Verification.objects.create(certificate=rendered, channel="page", result="valid")
    Verification.objects.create(certificate=rendered, channel="api", result="valid")
    client.force_login(student)

    response = client.get(reverse("certificates:mine"))

    page = response.content.decode()
    assert response.status_code == 200
    assert rendered.serial in page
    assert "CBEC Platform Operation · Level 1 (Junior)" in page
    assert "Valid" in page
    assert rendered.issued_on.strftime("%Y-%m-%d") in page
    assert rendered.expires_on.strftime("%Y-%m-%d") in page
    assert reverse("certificates:download_pdf", args=[rendered.serial]) in page
    assert reverse("certificates:download_credential", args=[rendered.serial]) in page
    assert reverse("certificates:download_credential_jwt", args=[rendered.serial]) in page
    assert rendered.snapshot["verify_url"] in page
    assert "2 times" in page
    assert "https://www.linkedin.com/profile/add?" in page


def test_my_certificates_are_in_chinese_for_a_chinese_reader(client, student, rendered):
    client.force_login(student)

    with translation.override("zh-hans"):
        response = client.get(reverse("certificates:mine"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert "跨境电商平台运营" in response.content.decode()


def test_my_certificates_takes_a_fixed_number_of_queries(
    client, student, school, government, django_assert_max_num_queries
):
    for _n in range(3):
        exam = build_exam(school=school, government=government, practicals=0)
        certificate = issuance.certificate_issue_for_attempt(attempt=sit(student, exam))
        Verification.objects.create(certificate=certificate, channel="page", result="valid")
    client.force_login(student)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("certificates:mine"))

    assert response.content.decode().count('<article class="card certificate') == 3


def test_a_certificate_being_prepared_has_no_download_yet(client, student, pending):
    client.force_login(student)

    page = client.get(reverse("certificates:mine")).content.decode()

    assert "being prepared" in page
    assert reverse("certificates:download_pdf", args=[pending.serial]) not in page


def test_my_certificates_shows_no_one_elses(client, other_student, rendered):
    client.force_login(other_student)

    page = client.get(reverse("certificates:mine")).content.decode()

    assert rendered.serial not in page
    assert "no certificates yet" in page


def test_my_certificates_needs_a_login(client):
    response = client.get(reverse("certificates:mine"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_linkedin_link_fills_in_the_certification(rendered):
    with translation.override("en"):
        url = urlsplit(linkedin_url(rendered))

    params = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert url.netloc == "www.linkedin.com" and url.path == "/profile/add"
    assert params["startTask"] == "CERTIFICATION_NAME"
    assert params["name"] == "CBEC Platform Operation · Level 1 (Junior)"
    assert params["organizationName"] == rendered.school.name_en
    assert params["issueYear"] == str(rendered.issued_on.year)
    assert params["issueMonth"] == str(rendered.issued_on.month)
    assert params["expirationYear"] == str(rendered.expires_on.year)
    assert params["expirationMonth"] == str(rendered.expires_on.month)
    assert params["certUrl"] == rendered.snapshot["verify_url"]
    assert params["certId"] == rendered.serial


# --- Downloads ------------------------------------------------------------------------------------


def test_the_holder_downloads_the_stored_pdf(client, student, rendered):
    client.force_login(student)

    response = client.get(reverse("certificates:download_pdf", args=[rendered.serial]))

    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{rendered.serial}.pdf"'
    assert body == stored_bytes(rendered) == f"%PDF-1.7 {rendered.serial} signed".encode()
    assert hashlib.sha256(body).hexdigest() == rendered.pdf_sha256


def test_the_download_never_renders(client, monkeypatch, student, rendered):
    def no_render(**kwargs):
        raise AssertionError("rendered on download")

    monkeypatch.setattr(rendering, "certificate_render", no_render)
    monkeypatch.setattr(rendering, "render_pdf", no_render)
    client.force_login(student)

    response = client.get(reverse("certificates:download_pdf", args=[rendered.serial]))

    assert response.status_code == 200


def test_a_teacher_of_the_issuing_school_downloads_it(client, teacher, rendered):
    client.force_login(teacher)

    response = client.get(reverse("certificates:download_pdf", args=[rendered.serial]))

    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "other_student", "mentor", "verifier"])
def test_no_one_else_downloads_it(request, client, persona, rendered):
    client.force_login(request.getfixturevalue(persona))

    pdf = client.get(reverse("certificates:download_pdf", args=[rendered.serial]))
    credential = client.get(reverse("certificates:download_credential", args=[rendered.serial]))
    jwt = client.get(reverse("certificates:download_credential_jwt", args=[rendered.serial]))

    assert pdf.status_code == 404
    assert credential.status_code == 404
    assert jwt.status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, rendered):
    response = client.get(reverse("certificates:download_pdf", args=[rendered.serial]))

    assert response.status_code == 302


def test_a_pdf_still_being_prepared_is_not_found(client, student, pending):
    client.force_login(student)

    response = client.get(reverse("certificates:download_pdf", args=[pending.serial]))

    assert response.status_code == 404


def test_a_malformed_or_unknown_serial_is_not_found(client, student, rendered):
    client.force_login(student)

    assert (
        client.get(reverse("certificates:download_pdf", args=["NOT-A-SERIAL"])).status_code == 404
    )
    typed = rendered.serial.replace("-", "").lower()
    assert client.get(reverse("certificates:download_pdf", args=[typed])).status_code == 200


def test_the_signed_credential_downloads_as_a_vc_jwt(client, student, rendered):
    client.force_login(student)

    response = client.get(reverse("certificates:download_credential_jwt", args=[rendered.serial]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{rendered.serial}.credential.jwt"'
    )
    assert response.content.decode() == rendered.credential_jwt
    verified = verify_credential(response.content.decode(), trusted_jwks())
    assert verified.credential["credentialSubject"]["name"] == "张伟 (Zhang Wei)"


def test_the_credential_json_is_the_credential_itself_not_a_wrapper(client, student, rendered):
    client.force_login(student)

    response = client.get(reverse("certificates:download_credential", args=[rendered.serial]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{rendered.serial}.credential.json"'
    )
    credential = json.loads(response.content)
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "jwt" not in credential and "iss" not in credential and "nbf" not in credential
    assert credential == verify_credential(rendered.credential_jwt, trusted_jwks()).credential


def test_the_credential_json_is_the_one_embedded_in_the_pdf(client, student, pdf_certificate):
    client.force_login(student)

    response = client.get(
        reverse("certificates:download_credential", args=[pdf_certificate.serial])
    )

    assert response.content == extract_attachment(pdf_certificate.pdf_bytes, "credential.json")


def test_an_old_certificates_credential_downloads_the_same_way(client, student, make_certificate):
    old = make_certificate(legacy=True)
    client.force_login(student)

    as_json = client.get(reverse("certificates:download_credential", args=[old.serial]))
    as_jwt = client.get(reverse("certificates:download_credential_jwt", args=[old.serial]))

    assert json.loads(as_json.content)["credentialStatus"]["statusPurpose"] == "revocation"
    assert as_jwt.content.decode() == old.credential_jwt


def test_a_credential_still_being_prepared_is_not_found(client, student, pending):
    client.force_login(student)

    for name in ("certificates:download_credential", "certificates:download_credential_jwt"):
        assert client.get(reverse(name, args=[pending.serial])).status_code == 404


# --- Sharing -------------------------------------------------------------------------------------


def test_the_holder_chooses_what_verifiers_see(client, student, rendered):
    client.force_login(student)
    prefix = rendered.serial

    response = client.post(
        reverse("certificates:sharing", args=[rendered.serial]),
        {f"{prefix}-show_full_name": "on"},
    )

    rendered.refresh_from_db()
    assert response.status_code == 302
    assert rendered.show_full_name and not rendered.show_scores


def test_only_the_holder_changes_the_sharing_choices(client, teacher, rendered):
    client.force_login(teacher)

    response = client.post(
        reverse("certificates:sharing", args=[rendered.serial]),
        {f"{rendered.serial}-show_scores": "on"},
    )

    rendered.refresh_from_db()
    assert response.status_code == 404
    assert not rendered.show_scores


def test_sharing_takes_only_posts(client, student, rendered):
    client.force_login(student)

    response = client.get(reverse("certificates:sharing", args=[rendered.serial]))

    assert response.status_code == 405


# --- Status changes ------------------------------------------------------------------------------


def test_a_teacher_of_the_issuing_school_revokes_it(client, teacher, rendered):
    client.force_login(teacher)
    url = reverse("certificates:change_status", args=[rendered.serial])
    assert client.get(url).status_code == 200

    response = client.post(url, {"action": "revoke", "reason": "misconduct", "note": "Copied."})

    rendered.refresh_from_db()
    assert response.status_code == 302
    assert rendered.status == Certificate.Status.REVOKED
    assert rendered.revocation_reason == "misconduct"
    assert rendered.status_changed_by == teacher


def test_revoking_needs_a_reason(client, teacher, rendered):
    client.force_login(teacher)

    response = client.post(
        reverse("certificates:change_status", args=[rendered.serial]), {"action": "revoke"}
    )

    rendered.refresh_from_db()
    assert response.status_code == 400
    assert rendered.status == Certificate.Status.VALID


def test_a_suspension_is_lifted_by_reinstating(client, teacher, rendered):
    client.force_login(teacher)
    url = reverse("certificates:change_status", args=[rendered.serial])

    client.post(url, {"action": "suspend", "note": "Looking into it."})
    rendered.refresh_from_db()
    assert rendered.status == Certificate.Status.SUSPENDED
    client.post(url, {"action": "reinstate"})
    rendered.refresh_from_db()
    assert rendered.status == Certificate.Status.VALID


@pytest.mark.parametrize("persona", ["student", "outsider", "mentor"])
def test_only_staff_of_the_issuing_school_change_the_status(request, client, persona, rendered):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("certificates:change_status", args=[rendered.serial]),
        {"action": "revoke", "reason": "error"},
    )

    rendered.refresh_from_db()
    assert response.status_code == 404
    assert rendered.status == Certificate.Status.VALID


# --- Template preview -----------------------------------------------------------------------------


def test_a_teacher_previews_the_certificate_template(client, teacher):
    client.force_login(teacher)

    response = client.get(reverse("certificates:template_preview"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("persona", ["student", "verifier"])
def test_students_and_verifiers_do_not_preview_templates(request, client, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("certificates:template_preview"))

    assert response.status_code == 403


# --- Admin -------------------------------------------------------------------------------------


def test_the_admin_shows_the_snapshot_read_only(admin_client, rendered):
    change = reverse("admin:certificates_certificate_change", args=[rendered.pk])

    listing = admin_client.get(reverse("admin:certificates_certificate_changelist"))
    page = admin_client.get(change)

    assert listing.status_code == 200 and rendered.serial in listing.content.decode()
    body = page.content.decode()
    assert page.status_code == 200
    assert "Zhang Wei" in body and "<pre>" in body
    assert 'name="holder_name_latin"' not in body  # nothing certified is editable


def test_the_admin_never_shows_a_private_key(admin_client, rendered):
    key = IssuerKey.objects.get(purpose=IssuerKey.Purpose.CREDENTIAL)

    page = admin_client.get(reverse("admin:certificates_issuerkey_change", args=[key.pk]))

    assert page.status_code == 200
    assert key.kid in page.content.decode()
    assert "PRIVATE KEY" not in page.content.decode()


def test_the_admin_rotates_a_key(admin_client, rendered):
    old = IssuerKey.objects.get(purpose=IssuerKey.Purpose.CREDENTIAL)

    admin_client.post(
        reverse("admin:certificates_issuerkey_changelist"),
        {"action": "rotate", "_selected_action": [old.pk]},
    )

    old.refresh_from_db()
    assert old.retired_at is not None
    assert active_key(IssuerKey.Purpose.CREDENTIAL).pk != old.pk


def test_the_admin_reissues_a_certificate(admin_client, rendered):
    admin_client.post(
        reverse("admin:certificates_certificate_changelist"),
        {"action": "reissue", "_selected_action": [rendered.pk]},
    )

    rendered.refresh_from_db()
    assert rendered.superseded_by is not None
    assert Certificate.objects.current().get().pk == rendered.superseded_by_id


def test_the_admin_queues_a_render_again(
    admin_client, monkeypatch, rendered, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(issuance.render_certificate, "delay", queued.append)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:certificates_certificate_changelist"),
            {"action": "rerender", "_selected_action": [rendered.pk]},
        )

    rendered.refresh_from_db()
    assert rendered.render_state == Certificate.RenderState.PENDING
    assert queued == [rendered.pk]
