"""The Bitstring Status List credential: its bits, its size, its signature, its URL."""

import pytest
from django.urls import reverse

from certificates import status_list
from certificates.credential import verify_credential
from certificates.revocation import certificate_reinstate, certificate_revoke, certificate_suspend
from certificates.verification import trusted_jwks


def fetch(client):
    """Fetch, verify and decode the list: (the credential, its bitstring)."""
    response = client.get(reverse("certificates:status_list", args=[1]))
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


def test_a_suspension_sets_the_bit_and_reinstatement_clears_it(client, certificate, teacher):
    certificate_suspend(certificate=certificate, by=teacher)
    assert status_list.bit_is_set(fetch(client)[1], certificate.status_list_index)

    certificate_reinstate(certificate=certificate, by=teacher)

    assert not status_list.bit_is_set(fetch(client)[1], certificate.status_list_index)


def test_the_list_is_a_signed_bitstring_status_list_credential(client, certificate, settings):
    settings.CERTIFICATES_BASE_URL = "https://academy.example"

    credential, _bits = fetch(client)

    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["id"] == "https://academy.example/credentials/status/1"
    assert credential["issuer"] == "https://academy.example/"
    subject = credential["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"


def test_the_list_url_is_the_one_credentials_point_to(client, certificate, settings):
    settings.CERTIFICATES_BASE_URL = "http://testserver"
    pointed_to = certificate.snapshot["status_list_url"]

    credential, _bits = fetch(client)

    assert credential["id"] == pointed_to


def test_the_list_may_be_cached_briefly(client, certificate):
    response = client.get(reverse("certificates:status_list", args=[1]))

    assert response["Cache-Control"] == "public, max-age=300"


def test_there_is_only_list_1(client, certificate):
    assert client.get(reverse("certificates:status_list", args=[2])).status_code == 404


def test_the_list_is_served_before_any_certificate_exists(client, db):
    # The first request creates the credential key, as issuance would.
    credential, bits = fetch(client)

    assert not any(bits)
