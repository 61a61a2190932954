"""The Bitstring Status List credentials: their bits, size, signature, URLs and purposes."""

import base64
import json

import pytest
from django.urls import reverse

from certificates import status_list
from certificates.credential import verify_credential
from certificates.revocation import certificate_reinstate, certificate_revoke, certificate_suspend
from certificates.verification import trusted_jwks

REVOCATION, SUSPENSION = 1, 2


def fetch(client, list_id: int = REVOCATION):
    """Fetch, verify and decode a list: (the credential, its bitstring)."""
    response = client.get(reverse("certificates:status_list", args=[list_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    credential = verify_credential(response.content.decode(), trusted_jwks()).credential
    bits = status_list.decode_bitstring(credential["credentialSubject"]["encodedList"])
    return credential, bits


# Pure encoding


def test_bit_zero_is_the_leftmost_bit_of_the_first_byte():
    bits = status_list.decode_bitstring(status_list.encode_bitstring([0, 9], 16))

    assert bits == bytes([0b1000_0000, 0b0100_0000])


def test_the_list_is_at_least_16_kb_and_grows_in_16_kb_steps():
    assert status_list.list_length(None) == 131_072
    assert status_list.list_length(131_071) == 131_072
    assert status_list.list_length(131_072) == 262_144


def test_an_index_outside_the_list_is_an_error():
    with pytest.raises(ValueError):
        status_list.encode_bitstring([16], 16)


def test_the_encoding_is_multibase_base64url_without_padding():
    encoded = status_list.encode_bitstring([3], 131_072)

    assert encoded.startswith("u")
    assert "=" not in encoded and "+" not in encoded and "/" not in encoded


# The served list


def test_a_revoked_certificates_bit_is_set_and_valid_ones_are_clear(
    client, make_certificate, teacher
):
    revoked, valid = make_certificate(), make_certificate()
    certificate_revoke(certificate=revoked, reason="fraud", by=teacher)

    credential, bits = fetch(client)

    assert len(bits) * 8 == 131_072
    assert status_list.bit_is_set(bits, revoked.status_list_index)
    assert not status_list.bit_is_set(bits, valid.status_list_index)
    assert sum(bin(byte).count("1") for byte in bits) == 1


def is_set(client, list_id: int, certificate) -> bool:
    return status_list.bit_is_set(fetch(client, list_id)[1], certificate.status_list_index)


def test_a_suspension_sets_the_suspension_bit_and_reinstatement_clears_it(
    client, certificate, teacher
):
    certificate_suspend(certificate=certificate, by=teacher)
    assert is_set(client, SUSPENSION, certificate)
    assert not is_set(client, REVOCATION, certificate)

    certificate_reinstate(certificate=certificate, by=teacher)

    assert not is_set(client, SUSPENSION, certificate)
    assert not is_set(client, REVOCATION, certificate)


def test_a_revocation_sets_only_the_revocation_bit(client, certificate, teacher):
    certificate_revoke(certificate=certificate, reason="fraud", by=teacher)

    assert is_set(client, REVOCATION, certificate)
    assert not is_set(client, SUSPENSION, certificate)


def test_a_suspended_certificate_that_is_revoked_shows_as_revoked_for_good(
    client, certificate, teacher
):
    certificate_suspend(certificate=certificate, by=teacher)
    certificate_revoke(certificate=certificate, reason="misconduct", by=teacher)

    assert is_set(client, REVOCATION, certificate)
    assert not is_set(client, SUSPENSION, certificate)


def test_an_old_credentials_suspension_never_touches_the_final_revocation_list(
    client, make_certificate, teacher
):
    # Its credential names only the revocation list: a suspension set and later cleared
    # there would tell verifiers it was cancelled for good. The platform still shows it.
    old = make_certificate(legacy=True)

    certificate_suspend(certificate=old, by=teacher)

    assert not is_set(client, REVOCATION, old)
    assert old.public_status() == "suspended"


def test_the_list_is_a_signed_bitstring_status_list_credential(client, certificate, settings):
    settings.CERTIFICATES_BASE_URL = "https://academy.example"

    for list_id, purpose in [(REVOCATION, "revocation"), (SUSPENSION, "suspension")]:
        credential, _bits = fetch(client, list_id)

        assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
        assert credential["id"] == f"https://academy.example/credentials/status/{list_id}"
        assert credential["issuer"] == "https://academy.example/"
        subject = credential["credentialSubject"]
        assert subject["type"] == "BitstringStatusList"
        assert subject["statusPurpose"] == purpose


def test_a_list_carries_the_ob3_jwt_claims(client, certificate, settings):
    settings.CERTIFICATES_BASE_URL = "https://academy.example"

    token = client.get(reverse("certificates:status_list", args=[SUSPENSION])).content.decode()

    header, payload, _signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["alg"] == (
        "EdDSA"
    )
    assert claims["iss"] == "https://academy.example/"
    assert claims["jti"] == "https://academy.example/credentials/status/2"
    assert claims["sub"] == "https://academy.example/credentials/status/2#list"
    assert claims["exp"] - claims["nbf"] == 300


def test_the_list_urls_are_the_ones_credentials_point_to(client, certificate, settings):
    settings.CERTIFICATES_BASE_URL = "http://testserver"
    entries = verify_credential(certificate.credential_jwt, trusted_jwks()).credential[
        "credentialStatus"
    ]

    for entry in entries:
        credential, _bits = fetch(client, int(entry["statusListCredential"].rsplit("/", 1)[1]))

        assert credential["id"] == entry["statusListCredential"]
        assert credential["credentialSubject"]["statusPurpose"] == entry["statusPurpose"]


def test_the_list_may_be_cached_briefly(client, certificate):
    response = client.get(reverse("certificates:status_list", args=[1]))

    assert response["Cache-Control"] == "public, max-age=300"


def test_there_are_only_the_two_lists(client, certificate):
    assert client.get(reverse("certificates:status_list", args=[3])).status_code == 404
    assert client.get(reverse("certificates:status_list", args=[0])).status_code == 404


def test_the_list_is_served_before_any_certificate_exists(client, db):
    # The first request creates the credential key, as issuance would.
    credential, bits = fetch(client)

    assert not any(bits)
