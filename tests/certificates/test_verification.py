"""The public verification page: statuses, what it shows of the holder, name checks, uploads."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates import verification
from certificates.credential import key_name
from certificates.models import Certificate, IssuerKey, Verification
from certificates.pdfsign import extract_attachment
from tests.certificates.conftest import (
    PUBLIC_STATUSES,
    add_incremental_update,
    change_one_byte,
    make_with_status,
)


def page(client, serial: str):
    return client.get(reverse("certificates:verify", args=[serial]))


def without_tokens(response, serial: str) -> str:
    """The page with the queried serial and the (per-response) CSRF tokens blanked."""
    content = response.content.decode().replace(serial, "S")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content)


def upload(client, content: bytes, name: str = "certificate.pdf"):
    return client.post(
        reverse("certificates:verify_search"), {"file": SimpleUploadedFile(name, content)}
    )


# Masking, pure


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张小伟", "张*伟"), ("张伟", "张*"), ("欧阳小明", "欧**明"), ("", "")],
)
def test_native_names_keep_the_first_and_last_character(name, masked):
    assert verification.mask_native(name) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [("Zhang Wei", "Zhang W."), ("Mary Jane Smith", "Mary J. S."), ("Madonna", "Madonna")],
)
def test_latin_names_keep_the_first_token_and_initial_the_rest(name, masked):
    assert verification.mask_latin(name) == masked


# Statuses on the page


@pytest.mark.parametrize("status", PUBLIC_STATUSES)
def test_each_status_shows_on_the_page(client, make_certificate, status):
    certificate = make_with_status(make_certificate, status)

    response = page(client, certificate.serial)

    assert response.status_code == 200
    assert response.context["answer"]["status"] == status
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_page_shows_what_the_certificate_certifies(client, certificate, school, government):
    content = page(client, certificate.serial).content.decode()

    for text in (
        certificate.serial,
        "CBEC Platform Operation",
        "跨境电商平台运营",
        "Intermediate",
        certificate.issued_on.isoformat(),
        certificate.expires_on.isoformat(),
        school.name_en,
        government.name_zh,
        "Enterprise enterprise",
    ):
        assert text in content, text


def test_a_course_certificate_names_its_course_and_no_expiry(client, make_certificate):
    certificate = make_certificate(kind="course")

    response = page(client, certificate.serial)

    assert response.context["answer"]["course"]["name_en"] == "SEO Marketing"
    assert response.context["answer"]["standard"] is None
    assert "No expiry" in response.content.decode()


def test_a_revoked_certificate_shows_the_date_and_reason_but_not_the_note(client, make_certificate):
    certificate = make_certificate(status="revoked", reason="misconduct")

    content = page(client, certificate.serial).content.decode()

    assert "Exam misconduct" in content
    assert certificate.status_changed_at.date().isoformat()[:4] in content
    assert "revoked on" in content
    assert "internal note" not in content


def test_a_superseded_certificate_links_to_the_newer_one(client, make_certificate):
    newer = make_certificate()
    older = make_certificate(superseded_by=newer)

    content = page(client, older.serial).content.decode()

    assert reverse("certificates:verify", args=[newer.serial]) in content


def test_unknown_and_malformed_serials_get_the_same_not_found(client, certificate):
    unknown = "0000-0000-0000-00"  # well formed (check symbol 0), never issued
    assert verification.normalise_serial(unknown) == unknown
    malformed = "0000-0000-0000-01"  # wrong check symbol

    first, second = page(client, unknown), page(client, malformed)

    assert first.status_code == second.status_code == 404
    assert without_tokens(first, unknown) == without_tokens(second, malformed)


def test_the_search_normalises_a_typed_serial_and_redirects(client, certificate):
    typed = certificate.serial.replace("-", " ").lower()

    response = client.get(reverse("certificates:verify_search"), {"serial": typed})

    assert response.status_code == 302
    assert response.url == reverse("certificates:verify", args=[certificate.serial])


def test_the_search_answers_a_malformed_serial_as_not_found(client, db):
    response = client.get(reverse("certificates:verify_search"), {"serial": "hello"})

    assert response.status_code == 404


def test_the_search_page_offers_the_serial_and_upload_forms(client, db):
    content = client.get(reverse("certificates:verify_search")).content.decode()

    assert 'name="serial"' in content
    assert 'name="file"' in content


# The holder's personal data


def test_the_page_shows_no_more_personal_data_than_allowed(client, certificate, student):
    content = page(client, certificate.serial).content.decode()

    assert "张*" in content
    assert "Zhang W." in content
    assert "张伟" not in content
    assert "Zhang Wei" not in content
    assert student.email not in content
    assert student.username not in content
    assert "86.5" not in content
    assert "Theory" not in content


def test_a_shared_full_name_and_scores_are_shown(client, make_certificate):
    certificate = make_certificate(show_full_name=True, show_scores=True)

    content = page(client, certificate.serial).content.decode()

    assert "张伟" in content
    assert "Zhang Wei" in content
    assert "86.5" in content


# Confirming a name


@pytest.mark.parametrize("typed", ["张伟", "Zhang Wei", "  zhang   WEI ", "ZHANGWEI"])
def test_the_printed_name_matches(client, certificate, typed):
    response = client.post(
        reverse("certificates:verify", args=[certificate.serial]), {"name": typed}
    )

    assert response.status_code == 200
    assert response.context["name_check"] == "matches"
    assert "The name matches the certificate." in response.content.decode()


@pytest.mark.parametrize("typed", ["张", "Zhang", "Li Lei", ""])
def test_another_name_does_not_match(client, certificate, typed):
    response = client.post(
        reverse("certificates:verify", args=[certificate.serial]), {"name": typed}
    )

    assert response.context["name_check"] == "does_not_match"
    assert "Zhang Wei" not in response.content.decode()


def test_name_guesses_are_rate_limited_per_ip(client, certificate, settings):
    settings.CERTIFICATES_VERIFY_RATES = {"verify_name": "3/hour"}
    url = reverse("certificates:verify", args=[certificate.serial])

    answers = [client.post(url, {"name": "Wang Fang"}).status_code for _ in range(3)]
    limited = client.post(url, {"name": "Zhang Wei"})
    other_ip = client.post(url, {"name": "Zhang Wei"}, REMOTE_ADDR="10.0.0.9")

    assert answers == [200, 200, 200]
    assert limited.status_code == 429
    assert limited.context["name_check"] == "limited"
    assert other_ip.context["name_check"] == "matches"


def test_a_forged_forwarded_for_header_does_not_escape_the_name_limit(
    client, certificate, settings
):
    settings.CERTIFICATES_VERIFY_RATES = {"verify_name": "1/hour"}
    url = reverse("certificates:verify", args=[certificate.serial])

    client.post(url, {"name": "x"}, HTTP_X_FORWARDED_FOR="1.1.1.1")
    second = client.post(url, {"name": "Zhang Wei"}, HTTP_X_FORWARDED_FOR="2.2.2.2")

    assert second.status_code == 429


# Uploads


def test_the_issued_pdf_is_genuine(client, pdf_certificate):
    response = upload(client, pdf_certificate.pdf_bytes)

    assert response.status_code == 200
    assert response.context["check"].integrity == "intact"
    assert response.context["status"] == "valid"
    assert "Genuine" in response.content.decode()


def test_an_issued_pdf_of_a_revoked_certificate_is_genuine_but_revoked(client, make_certificate):
    certificate = make_certificate(with_pdf=True, status="revoked", reason="fraud")

    response = upload(client, certificate.pdf_bytes)

    assert response.context["check"].integrity == "intact"
    assert response.context["status"] == "revoked"


def test_a_byte_changed_in_the_pdf_is_modified(client, pdf_certificate):
    response = upload(client, change_one_byte(pdf_certificate.pdf_bytes))

    assert response.context["check"].integrity == "modified"
    assert "Modified" in response.content.decode()


def test_an_incremental_update_after_signing_is_modified(client, pdf_certificate):
    updated = add_incremental_update(pdf_certificate.pdf_bytes)
    assert updated.startswith(pdf_certificate.pdf_bytes)

    response = upload(client, updated)

    assert response.context["check"].integrity == "modified"


def test_bytes_appended_after_the_signature_are_modified(client, pdf_certificate):
    response = upload(client, pdf_certificate.pdf_bytes + b"\n% appended\n")

    assert response.context["check"].integrity == "modified"


def test_a_pdf_signed_by_a_compromised_key_is_modified(client, pdf_certificate, issuer_keys):
    IssuerKey.objects.filter(pk=issuer_keys["pdf"].pk).update(revoked_at="2025-01-01T00:00Z")

    response = upload(client, pdf_certificate.pdf_bytes)

    assert response.context["check"].integrity == "modified"


def test_a_pdf_that_is_not_a_certificate_is_not_recognised(client, db, issuer_keys):
    from certificates.pdf import render_pdf, sample_certificate_data

    response = upload(client, render_pdf(sample_certificate_data()))

    assert response.context["check"].integrity == "unknown"
    assert response.context["status"] == "unknown"


def test_the_signed_credential_is_genuine(client, pdf_certificate):
    token = extract_attachment(pdf_certificate.pdf_bytes, "credential.jwt")

    response = upload(client, token, "credential.jwt")

    assert response.context["check"].integrity == "intact"
    assert response.context["check"].serial == pdf_certificate.serial
    assert response.context["status"] == "valid"


def test_the_issued_credential_json_is_genuine(client, pdf_certificate):
    document = extract_attachment(pdf_certificate.pdf_bytes, "credential.json")

    response = upload(client, document, "credential.json")

    assert response.context["check"].integrity == "intact"


def test_a_field_changed_in_the_credential_json_fails(client, pdf_certificate):
    credential = json.loads(extract_attachment(pdf_certificate.pdf_bytes, "credential.json"))
    credential["validUntil"] = "2099-12-31T23:59:59Z"

    response = upload(client, json.dumps(credential).encode(), "credential.json")

    assert response.context["check"].integrity == "modified"
    assert response.context["check"].result() == "modified"


def test_a_changed_credential_jwt_payload_fails(client, certificate):
    header, payload, signature = certificate.credential_jwt.split(".")
    forged = payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB")

    response = upload(client, f"{header}.{forged}.{signature}".encode(), "credential.jwt")

    assert response.context["check"].integrity in {"modified", "unknown"}
    assert response.context["check"].integrity != "intact"


def test_an_oversized_upload_is_refused(client, db, monkeypatch):
    monkeypatch.setattr(verification, "MAX_FILE_BYTES", 10)

    response = upload(client, b"%PDF-1.7" + b"0" * 20)

    assert response.status_code == 400


# The log


def test_every_page_verification_is_logged(client, verifier, certificate):
    client.force_login(verifier)

    page(client, certificate.serial)
    page(client, "0000-0000-0000-00")

    found, unknown = Verification.objects.order_by("pk")
    assert (found.certificate, found.channel, found.result, found.verifier) == (
        certificate,
        "page",
        "valid",
        verifier,
    )
    assert (unknown.certificate, unknown.result, unknown.serial_queried) == (
        None,
        "unknown",
        "0000-0000-0000-00",
    )


def test_uploads_are_logged_with_their_result(client, pdf_certificate):
    upload(client, change_one_byte(pdf_certificate.pdf_bytes))

    logged = Verification.objects.get()
    assert (logged.channel, logged.result, logged.certificate) == (
        "upload",
        "modified",
        pdf_certificate,
    )
    assert logged.verifier is None


# Trust files


def test_the_jwks_lists_published_keys_only(client, issuer_keys):
    retired = IssuerKey.objects.create(
        purpose="credential",
        kid="retired",
        private_key_encrypted="-",
        public_jwk={**issuer_keys["credential"].public_jwk, "kid": "retired"},
        retired_at="2025-01-01T00:00Z",
    )
    IssuerKey.objects.create(
        purpose="credential",
        kid="stolen",
        private_key_encrypted="-",
        public_jwk={**issuer_keys["credential"].public_jwk, "kid": "stolen"},
        revoked_at="2025-01-01T00:00Z",
    )

    response = client.get(reverse("certificates:jwks"))

    kids = {key_name(key["kid"]) for key in response.json()["keys"]}
    assert kids == {issuer_keys["credential"].kid, retired.kid}
    assert all("d" not in key for key in response.json()["keys"])
    assert response["Content-Type"] == "application/jwk-set+json"
    assert "max-age" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_every_published_key_is_an_eddsa_key_named_by_its_url(client, settings, issuer_keys):
    settings.CERTIFICATES_BASE_URL = "https://academy.example"
    kid = issuer_keys["credential"].kid

    (published,) = client.get(reverse("certificates:jwks")).json()["keys"]

    assert published == {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": issuer_keys["credential"].public_jwk["x"],
        "kid": f"https://academy.example/credentials/keys/{kid}",
        "use": "sig",
        "alg": "EdDSA",
    }


def test_a_kid_url_answers_with_its_public_key(client, settings, issuer_keys):
    settings.CERTIFICATES_BASE_URL = "http://testserver"
    (published,) = client.get(reverse("certificates:jwks")).json()["keys"]

    response = client.get(published["kid"])

    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwk+json"
    assert response.json() == published


def test_a_revoked_or_unknown_key_has_no_url(client, issuer_keys):
    IssuerKey.objects.create(
        purpose="credential",
        kid="stolen",
        private_key_encrypted="-",
        public_jwk={**issuer_keys["credential"].public_jwk, "kid": "stolen"},
        revoked_at="2025-01-01T00:00Z",
    )

    for kid in ("stolen", "never-issued", issuer_keys["pdf"].kid):
        assert client.get(reverse("certificates:issuer_key", args=[kid])).status_code == 404


def test_the_issuer_profile_is_an_open_badges_profile(client, settings, db):
    settings.CERTIFICATES_BASE_URL = "https://academy.example"

    profile = json.loads(client.get(reverse("certificates:issuer")).content)

    assert profile["type"] == ["Profile"]
    assert profile["id"] == "https://academy.example/"
    assert profile["name"] == "CBEC Academy"


def test_a_certificate_row_exists_for_each_built_status(make_certificate):
    # Guards the builder the other tests rely on.
    for status in PUBLIC_STATUSES:
        assert make_with_status(make_certificate, status).public_status() == status
    assert Certificate.objects.count() == len(PUBLIC_STATUSES) + 1
