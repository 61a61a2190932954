"""The verification JSON API: one, many, a file; the holder's list; revocation; throttling."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from certificates.models import Certificate, Verification
from certificates.pdfsign import extract_attachment
from organizations.api_keys import api_key_create
from organizations.throttles import WindowRateThrottle
from tests import factories
from tests.certificates.conftest import (
    PUBLIC_STATUSES,
    add_incremental_update,
    change_one_byte,
    make_with_status,
)

UNKNOWN = "0000-0000-0000-00"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_key(enterprise, enterprise_admin):
    _key, raw = api_key_create(
        organization=enterprise, name="HR system", scopes=["verify"], by=enterprise_admin
    )
    return raw


def one(api, serial: str, **headers):
    return api.get(reverse("certificates_api:verify_one", args=[serial]), **headers)


def bulk(api, serials, **headers):
    return api.post(
        reverse("certificates_api:verify_bulk"), {"serials": serials}, format="json", **headers
    )


def key_header(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}


# One serial


@pytest.mark.parametrize("status", PUBLIC_STATUSES)
def test_each_status_verifies_as_such_through_the_api(api, make_certificate, status):
    certificate = make_with_status(make_certificate, status)

    response = one(api, certificate.serial)

    assert response.status_code == 200
    assert response.json()["status"] == status


def test_the_answer_names_what_was_certified_and_masks_the_holder(
    api, certificate, student, school, enterprise, government
):
    data = one(api, certificate.serial.lower().replace("-", "")).json()

    assert data["serial"] == certificate.serial
    assert data["standard"]["code"] == "CBEC-PO"
    assert data["level"]["number"] == 2
    assert data["course"] is None
    assert data["issued_on"] == certificate.issued_on.isoformat()
    assert data["expires_on"] == certificate.expires_on.isoformat()
    assert data["holder"] == {"name_native": "张*", "name_latin": "Zhang W.", "masked": True}
    assert data["organisations"]["school"]["code"] == school.code
    assert data["organisations"]["enterprise"]["code"] == enterprise.code
    assert data["organisations"]["government"]["code"] == government.code
    assert data["revoked_on"] is None and data["reason"] is None
    assert "scores" not in data
    body = str(data)
    assert student.email not in body and student.username not in body


def test_a_shared_name_and_scores_are_in_the_answer(api, make_certificate):
    certificate = make_certificate(show_full_name=True, show_scores=True)

    data = one(api, certificate.serial).json()

    assert data["holder"]["name_native"] == "张伟"
    assert data["holder"]["masked"] is False
    assert data["scores"]["理论 Theory"] == "86.5"


def test_a_revoked_answer_has_its_date_and_reason(api, make_certificate):
    certificate = make_certificate(status="revoked", reason="fraud")

    data = one(api, certificate.serial).json()

    assert data["status"] == "revoked"
    assert data["reason"] == "fraud"
    assert data["revoked_on"] is not None


def test_a_superseded_answer_names_the_newer_serial(api, make_certificate):
    newer = make_certificate()
    older = make_certificate(superseded_by=newer)

    assert one(api, older.serial).json()["superseded_by"] == newer.serial


@pytest.mark.parametrize("serial", [UNKNOWN, "0000-0000-0000-01", "not a serial"])
def test_unknown_and_malformed_serials_are_404_unknown(api, db, serial):
    response = one(api, serial)

    assert response.status_code == 404
    assert response.json() == {"serial": serial, "status": "unknown"}


# Many serials


def test_bulk_verify_keeps_the_order_and_marks_unknown_items(
    api, make_certificate, api_key, django_assert_max_num_queries
):
    valid = make_certificate()
    revoked = make_certificate(status="revoked", reason="error")
    serials = [revoked.serial, UNKNOWN, valid.serial.lower(), "junk", revoked.serial]

    with django_assert_max_num_queries(8):
        response = bulk(api, serials, **key_header(api_key))

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["revoked", "unknown", "valid", "unknown", "revoked"]
    assert results[1] == {"serial": UNKNOWN, "status": "unknown"}
    assert results[2]["serial"] == valid.serial


def test_bulk_verify_queries_do_not_grow_with_the_count(
    api, make_certificate, api_key, django_assert_max_num_queries
):
    serials = [make_certificate().serial for _ in range(20)]

    with django_assert_max_num_queries(8):
        response = bulk(api, serials, **key_header(api_key))

    assert len(response.json()["results"]) == 20


@pytest.mark.parametrize("count", [0, 1001])
def test_bulk_verify_refuses_0_or_more_than_1000_serials(api, db, api_key, count):
    response = bulk(api, [UNKNOWN] * count, **key_header(api_key))

    assert response.status_code == 400
    assert "between 1 and 1000" in response.json()["detail"]


def test_bulk_verify_accepts_1000_serials(api, db, api_key):
    response = bulk(api, [UNKNOWN] * 1000, **key_header(api_key))

    assert response.status_code == 200
    assert len(response.json()["results"]) == 1000


def test_bulk_verify_refuses_a_body_without_a_list(api, db, api_key):
    response = bulk(api, "0000-0000-0000-00", **key_header(api_key))

    assert response.status_code == 400


def test_anonymous_bulk_verify_is_refused(api, certificate):
    response = bulk(api, [certificate.serial])

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"


def test_a_logged_in_verifier_may_bulk_verify(api, verifier, certificate):
    api.force_login(verifier)

    response = bulk(api, [certificate.serial])

    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["student", "teacher", "outsider", "regulator"])
def test_other_logged_in_people_may_not_bulk_verify(api, certificate, request, persona):
    api.force_login(request.getfixturevalue(persona))

    assert bulk(api, [certificate.serial]).status_code == 403


def test_a_key_without_the_verify_scope_is_refused(api, enterprise, enterprise_admin, certificate):
    key, raw = api_key_create(
        organization=enterprise, name="HR", scopes=["verify"], by=enterprise_admin
    )
    key.scopes = ["statistics"]
    key.save()

    assert bulk(api, [certificate.serial], **key_header(raw)).status_code == 403
    assert one(api, certificate.serial, **key_header(raw)).status_code == 403


def test_a_revoked_key_is_refused(api, certificate, api_key):
    from organizations.models import ApiKey

    ApiKey.objects.update(revoked_at="2025-01-01T00:00Z")

    assert bulk(api, [certificate.serial], **key_header(api_key)).status_code == 401
    assert one(api, certificate.serial, **key_header(api_key)).status_code == 401


# Files


def upload(api, content: bytes, name="certificate.pdf", **headers):
    return api.post(
        reverse("certificates_api:verify_file"),
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
        **headers,
    )


def test_the_issued_pdf_is_intact_through_the_api(api, pdf_certificate):
    response = upload(api, pdf_certificate.pdf_bytes)

    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["integrity"], data["serial"]) == (
        "valid",
        "intact",
        pdf_certificate.serial,
    )


def test_a_changed_byte_is_modified_through_the_api(api, pdf_certificate):
    data = upload(api, change_one_byte(pdf_certificate.pdf_bytes)).json()

    assert data["integrity"] == "modified"
    assert data["serial"] == pdf_certificate.serial


def test_an_incremental_update_is_modified_through_the_api(api, pdf_certificate):
    data = upload(api, add_incremental_update(pdf_certificate.pdf_bytes)).json()

    assert data["integrity"] == "modified"


def test_the_signed_credential_verifies_through_the_api(api, make_certificate):
    certificate = make_certificate(with_pdf=True, status="suspended")
    token = extract_attachment(certificate.pdf_bytes, "credential.jwt")

    data = upload(api, token, "credential.jwt").json()

    assert (data["integrity"], data["status"]) == ("intact", "suspended")


def test_something_else_is_unknown_through_the_api(api, db):
    data = upload(api, b"hello", "notes.txt").json()

    assert (data["status"], data["integrity"], data["serial"]) == ("unknown", "unknown", None)


def test_deeply_nested_json_is_unknown_not_an_error(api, db):
    data = upload(api, b"[" * 100_000 + b"]" * 100_000, "credential.json").json()

    assert data["integrity"] == "unknown"


def test_a_missing_file_is_a_bad_request(api, db):
    response = api.post(reverse("certificates_api:verify_file"), {}, format="multipart")

    assert response.status_code == 400


# The log


def test_every_api_verification_is_logged_with_the_key_prefix(
    api, make_certificate, api_key, pdf_certificate
):
    prefix = api_key.split("_")[1]
    one(api, pdf_certificate.serial, **key_header(api_key))
    bulk(api, [pdf_certificate.serial, UNKNOWN], **key_header(api_key))
    upload(api, pdf_certificate.pdf_bytes, **key_header(api_key))

    rows = list(
        Verification.objects.order_by("pk").values_list("channel", "result", "api_key_prefix")
    )
    assert rows == [("api", "valid", prefix)] * 2 + [("api", "unknown", prefix)] + [
        ("api", "valid", prefix)
    ]


def test_a_logged_in_verifiers_api_checks_name_them(api, verifier, certificate):
    api.force_login(verifier)

    one(api, certificate.serial)

    assert Verification.objects.get().verifier == verifier


# Throttling


@pytest.fixture
def clock(monkeypatch):
    """The throttles' clock, held mid-window so a test never straddles a window's edge."""
    now = {"t": 6_000_030.0}
    monkeypatch.setattr(WindowRateThrottle, "timer", lambda self: now["t"])
    return now


def test_anonymous_verification_is_throttled_per_ip(api, certificate, settings, clock):
    settings.CERTIFICATES_VERIFY_RATES = {"verify_anon": "3/min"}

    codes = [one(api, certificate.serial).status_code for _ in range(4)]
    elsewhere = one(api, certificate.serial, REMOTE_ADDR="10.1.1.1")

    assert codes == [200, 200, 200, 429]
    assert elsewhere.status_code == 200


def test_a_refused_client_is_told_when_its_window_ends(api, certificate, settings, clock):
    settings.CERTIFICATES_VERIFY_RATES = {"verify_anon": "1/min"}

    one(api, certificate.serial)
    refused = one(api, certificate.serial)
    clock["t"] += 30  # the next minute's window
    again = one(api, certificate.serial)

    assert refused.status_code == 429
    assert refused["Retry-After"] == "30"
    assert again.status_code == 200


def test_api_keys_are_throttled_by_their_own_rate(api, certificate, api_key, settings, clock):
    settings.CERTIFICATES_VERIFY_RATES = {"verify_anon": "1/min", "verify_key": "3/min"}

    codes = [one(api, certificate.serial, **key_header(api_key)).status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]


def test_file_checks_are_throttled_too(api, db, settings, clock):
    settings.CERTIFICATES_VERIFY_RATES = {"verify_anon": "1/min"}

    assert upload(api, b"x").status_code == 200
    assert upload(api, b"x").status_code == 429


# The holder's list


def test_a_holder_lists_only_their_own_certificates(api, student, other_student, make_certificate):
    mine = make_certificate(student)
    make_certificate(other_student)
    api.force_login(student)

    response = api.get(reverse("certificates_api:mine"))

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["serial"] for row in rows] == [mine.serial]
    assert rows[0]["status"] == "valid"
    assert rows[0]["verify_url"].endswith(mine.get_absolute_url())


def test_the_holders_list_needs_a_login(api, db):
    assert api.get(reverse("certificates_api:mine")).status_code == 403


# Revocation


def revoke(api, serial, reason="misconduct", note="Copied answers"):
    return api.post(
        reverse("certificates_api:revoke", args=[serial]),
        {"reason": reason, "note": note},
        format="json",
    )


@pytest.mark.parametrize("persona", ["teacher", "school_admin", "platform_admin"])
def test_the_issuing_school_revokes_through_the_api(api, certificate, request, persona):
    user = request.getfixturevalue(persona)
    api.force_login(user)

    response = revoke(api, certificate.serial)

    assert response.status_code == 200
    assert response.json()["status"] == "revoked"
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.status_changed_by == user
    assert certificate.status_note == "Copied answers"


@pytest.mark.parametrize("persona", ["student", "mentor", "verifier", "regulator", "outsider"])
def test_others_may_not_revoke(api, certificate, request, persona):
    api.force_login(request.getfixturevalue(persona))

    assert revoke(api, certificate.serial).status_code == 403
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_a_teacher_of_another_school_may_not_revoke(api, certificate):
    other = factories.organization(kind="school", code="other-school")
    api.force_login(factories.person("other_teacher", other, "teacher"))

    assert revoke(api, certificate.serial).status_code == 403


def test_anonymous_revocation_is_refused(api, certificate):
    assert revoke(api, certificate.serial).status_code == 403


def test_revoking_an_unknown_serial_is_404(api, teacher, db):
    api.force_login(teacher)

    assert revoke(api, UNKNOWN).status_code == 404


def test_revoking_needs_a_listed_reason(api, teacher, certificate):
    api.force_login(teacher)

    response = revoke(api, certificate.serial, reason="boredom")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("reason:")


def test_revoking_twice_is_a_conflict(api, teacher, make_certificate):
    certificate = make_certificate(status="revoked", reason="error")
    api.force_login(teacher)

    assert revoke(api, certificate.serial).status_code == 409
