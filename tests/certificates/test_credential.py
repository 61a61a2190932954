"""Certificates as Open Badges 3.0 credentials, signed and verified as VC-JWTs."""

import base64
import dataclasses
import json
from datetime import date

import jwt as pyjwt
import pytest
from joserfc.jwk import OKPKey

from certificates.credential import (
    CredentialError,
    build_credential,
    expiry_state,
    generate_signing_key,
    jwks_document,
    jwt_claims,
    key_url,
    published_jwk,
    sample_certificate_data,
    sign_credential,
    verify_credential,
)
from tests.certificates.conftest import legacy_sign

ISSUER = "https://academy.example/"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture(scope="module")
def old_key():
    return generate_signing_key()


@pytest.fixture(scope="module")
def new_key():
    return generate_signing_key()


@pytest.fixture
def data():
    return sample_certificate_data()


@pytest.fixture
def credential(data):
    return build_credential(data)


def test_a_credential_is_an_open_badge_credential(data, credential):
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == data.verify_url
    assert credential["issuer"]["id"] == "https://academy.example/"
    assert credential["issuer"]["type"] == ["Profile"]
    assert credential["validFrom"] == "2025-07-01T00:00:00Z"
    assert credential["validUntil"] == "2028-06-30T23:59:59Z"
    assert "CBEC Platform Operation" in credential["name"]


def test_the_subject_names_the_holder_in_both_scripts(credential):
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["name"] == "张伟 (Zhang Wei)"
    assert [identity["identityHash"] for identity in subject["identifier"]] == [
        "张伟",
        "Zhang Wei",
    ]
    assert all(identity["identityType"] == "name" for identity in subject["identifier"])
    assert subject["source"]["name"].startswith("Zhejiang Institute of Commerce")


def test_the_achievement_names_the_standard_level_and_its_owner(credential):
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["id"] == "https://academy.example/achievements/skill_level/CBEC-PO/2025/2"
    assert achievement["achievementType"] == "Certification"
    assert "跨境电商平台运营" in achievement["name"]
    assert "Intermediate" in achievement["name"]
    assert "CBEC-PO" in achievement["description"]
    assert "Hangzhou Silk Road Trading" in achievement["criteria"]["narrative"]
    assert achievement["humanCode"] == "CBEC-PO"
    assert achievement["version"] == "2025"
    assert "Pilot Zone Office" in achievement["creator"]["name"]


def test_part_scores_become_results_that_point_at_their_descriptions(credential):
    achievement = credential["credentialSubject"]["achievement"]
    descriptions = {item["id"]: item["name"] for item in achievement["resultDescription"]}
    results = credential["credentialSubject"]["result"]
    assert {descriptions[result["resultDescription"]]: result["value"] for result in results} == {
        "Theory": "86.5",
        "Practical": "91.0",
    }


def test_revocation_and_suspension_each_have_their_own_status_list(credential):
    assert credential["credentialStatus"] == [
        {
            "id": "https://academy.example/credentials/status/1#94567",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "94567",
            "statusListCredential": "https://academy.example/credentials/status/1",
        },
        {
            "id": "https://academy.example/credentials/status/2#94567",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "suspension",
            "statusListIndex": "94567",
            "statusListCredential": "https://academy.example/credentials/status/2",
        },
    ]


def test_a_snapshot_from_before_the_suspension_list_keeps_its_one_entry(data):
    old = dataclasses.replace(data, suspension_list_url="")

    assert build_credential(old)["credentialStatus"] == {
        "id": "https://academy.example/credentials/status/1#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://academy.example/credentials/status/1",
    }


def test_a_course_certificate_has_no_level_and_may_never_expire(data):
    course = dataclasses.replace(
        data,
        kind="course",
        level=None,
        level_name_en="",
        level_name_zh="",
        expires_on=None,
        part_scores={},
    )
    credential = build_credential(course)
    achievement = credential["credentialSubject"]["achievement"]
    assert "validUntil" not in credential
    assert "result" not in credential["credentialSubject"]
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert achievement["id"].endswith("/achievements/course/CBEC-PO/2025")


def test_a_credential_has_every_field_of_the_1edtech_basic_example(credential, shared_fixtures):
    example = json.loads(
        (shared_fixtures / "openbadges3" / "1edtech-validator-ob30-simple.json").read_text()
    )
    assert set(example) - {"proof"} <= set(credential)
    assert credential["@context"] == example["@context"]
    assert credential["type"] == example["type"]
    example_achievement = example["credentialSubject"]["achievement"]
    achievement = credential["credentialSubject"]["achievement"]
    assert set(example_achievement) <= set(achievement)
    assert set(example_achievement["criteria"]) <= set(achievement["criteria"])


def test_a_signed_credential_verifies_and_names_its_key(credential, old_key):
    private_pem, public_jwk = old_key
    token = sign_credential(credential, private_pem, public_jwk["kid"])
    verified = verify_credential(token, jwks_document([public_jwk]))
    assert verified.credential == credential
    assert verified.kid == public_jwk["kid"]


def test_the_token_is_an_ob3_vc_jwt_whose_payload_is_the_credential_and_its_claims(
    credential, old_key
):
    private_pem, public_jwk = old_key
    header, payload, signature = sign_credential(credential, private_pem, public_jwk["kid"]).split(
        "."
    )
    assert json.loads(unb64(header)) == {
        "alg": "EdDSA",
        "typ": "JWT",
        "kid": f"https://academy.example/credentials/keys/{public_jwk['kid']}",
    }
    assert json.loads(unb64(payload)) == {
        **credential,
        "iss": "https://academy.example/",
        "nbf": 1751328000,  # 2025-07-01T00:00:00Z, validFrom
        "exp": 1846022399,  # 2028-06-30T23:59:59Z, validUntil
        "jti": "https://academy.example/verify/7K3D-9WQX-4M2P-HY/",
    }
    assert len(unb64(signature)) == 64


def test_the_subject_claim_is_the_subjects_id_when_it_has_one(credential):
    assert "sub" not in jwt_claims(credential)  # the holder has no id, only identifiers

    with_id = {**credential, "credentialSubject": {"id": "did:example:holder", "type": ["X"]}}

    assert jwt_claims(with_id)["sub"] == "did:example:holder"


def test_claims_that_contradict_the_credential_are_refused(credential, old_key):
    private_pem, public_jwk = old_key
    claims = {**jwt_claims(credential), "jti": "https://academy.example/verify/OTHER/"}
    token = pyjwt.encode(
        {**credential, **claims},
        OKPKey.import_key(private_pem).get_op_key("sign"),
        algorithm="EdDSA",
        headers={"typ": "JWT", "kid": key_url(ISSUER, public_jwk["kid"])},
    )

    with pytest.raises(CredentialError) as caught:
        verify_credential(token, jwks_document([public_jwk]))

    assert caught.value.code == "malformed"


def test_a_token_without_its_claims_is_refused(credential, old_key):
    private_pem, public_jwk = old_key
    token = pyjwt.encode(
        dict(credential),
        OKPKey.import_key(private_pem).get_op_key("sign"),
        algorithm="EdDSA",
        headers={"typ": "JWT", "kid": key_url(ISSUER, public_jwk["kid"])},
    )

    with pytest.raises(CredentialError) as caught:
        verify_credential(token, jwks_document([public_jwk]))

    assert caught.value.code == "malformed"


def test_a_token_signed_before_the_switch_to_eddsa_still_verifies(credential, old_key, new_key):
    old_token = legacy_sign(credential, old_key[0], old_key[1]["kid"])
    assert json.loads(unb64(old_token.split(".")[0]))["alg"] == "Ed25519"
    # Published today: both keys under their URLs, as EdDSA keys.
    jwks = jwks_document(
        [published_jwk(jwk, kid=key_url(ISSUER, jwk["kid"])) for _pem, jwk in (new_key, old_key)]
    )

    verified = verify_credential(old_token, jwks)

    assert verified.credential == credential
    assert verified.kid == old_key[1]["kid"]


def test_a_new_token_verifies_against_a_jwks_exported_before_the_switch(credential, old_key):
    old_style_jwk = {**old_key[1], "alg": "Ed25519"}  # as keys were stored and exported

    verified = verify_credential(
        sign_credential(credential, old_key[0], old_key[1]["kid"]), jwks_document([old_style_jwk])
    )

    assert verified.credential == credential


@pytest.mark.parametrize(
    ("alg", "typ"), [("Ed25519", "JWT"), ("EdDSA", "vc+jwt"), ("EdDSA", None), ("ES256", "JWT")]
)
def test_a_header_of_neither_the_old_nor_the_new_kind_is_refused(credential, old_key, alg, typ):
    header = {"alg": alg, "kid": key_url(ISSUER, old_key[1]["kid"])}
    if typ:
        header["typ"] = typ
    token = ".".join([b64(json.dumps(header).encode()), b64(json.dumps(credential).encode()), "x"])

    with pytest.raises(CredentialError) as caught:
        verify_credential(token, jwks_document([old_key[1]]))

    assert caught.value.code == "malformed"


def test_a_published_key_is_an_okp_ed25519_key_for_eddsa(old_key):
    stored_before = {**old_key[1], "alg": "Ed25519"}

    published = published_jwk(stored_before, kid=key_url(ISSUER, old_key[1]["kid"]))

    assert published == {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": old_key[1]["x"],
        "kid": f"https://academy.example/credentials/keys/{old_key[1]['kid']}",
        "use": "sig",
        "alg": "EdDSA",
    }


def test_a_changed_field_breaks_the_signature(credential, old_key):
    private_pem, public_jwk = old_key
    header, payload, signature = sign_credential(credential, private_pem, public_jwk["kid"]).split(
        "."
    )
    forged = json.loads(unb64(payload))
    forged["credentialSubject"]["achievement"]["name"] = "CBEC Platform Operation — Senior"
    forged_token = ".".join([header, b64(json.dumps(forged).encode()), signature])
    with pytest.raises(CredentialError) as caught:
        verify_credential(forged_token, jwks_document([public_jwk]))
    assert caught.value.code == "bad_signature"


def test_a_key_the_issuer_does_not_publish_is_refused(credential, old_key, new_key):
    token = sign_credential(credential, old_key[0], old_key[1]["kid"])
    with pytest.raises(CredentialError) as caught:
        verify_credential(token, jwks_document([new_key[1]]))
    assert caught.value.code == "unknown_key"


def test_a_forger_reusing_a_published_kid_is_refused(credential, old_key, new_key):
    forger_pem, _ = new_key
    token = sign_credential(credential, forger_pem, old_key[1]["kid"])
    with pytest.raises(CredentialError) as caught:
        verify_credential(token, jwks_document([old_key[1]]))
    assert caught.value.code == "bad_signature"


def test_after_key_rotation_old_credentials_still_verify(credential, old_key, new_key):
    old_token = sign_credential(credential, old_key[0], old_key[1]["kid"])
    new_token = sign_credential(credential, new_key[0], new_key[1]["kid"])
    jwks = jwks_document([new_key[1], old_key[1]])
    assert verify_credential(old_token, jwks).kid == old_key[1]["kid"]
    assert verify_credential(new_token, jwks).kid == new_key[1]["kid"]


@pytest.mark.parametrize(
    "token",
    ["", "not a token", "a.b.c", "...", "eyJhbGciOiJFZDI1NTE5In0..", "日本.語.文"],
)
def test_malformed_tokens_are_refused(token, old_key):
    with pytest.raises(CredentialError) as caught:
        verify_credential(token, jwks_document([old_key[1]]))
    assert caught.value.code == "malformed"


def test_an_unsigned_alg_none_token_is_refused(credential, old_key):
    header = b64(json.dumps({"alg": "none", "typ": "vc+jwt", "kid": old_key[1]["kid"]}).encode())
    token = f"{header}.{b64(json.dumps(credential).encode())}."
    with pytest.raises(CredentialError) as caught:
        verify_credential(token, jwks_document([old_key[1]]))
    assert caught.value.code == "malformed"


def test_a_credential_error_carries_a_readable_message(credential, old_key, new_key):
    token = sign_credential(credential, old_key[0], old_key[1]["kid"])
    with pytest.raises(CredentialError) as caught:
        verify_credential(token, jwks_document([new_key[1]]))
    assert caught.value.message == str(caught.value)
    assert "key" in caught.value.message


def test_a_new_signing_key_is_identified_by_its_thumbprint(old_key):
    private_pem, public_jwk = old_key
    assert private_pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public_jwk["kty"] == "OKP"
    assert public_jwk["crv"] == "Ed25519"
    assert "d" not in public_jwk
    assert public_jwk["kid"] == OKPKey.import_key(public_jwk).thumbprint()
    assert OKPKey.import_key(private_pem).thumbprint() == public_jwk["kid"]


def test_a_jwks_document_never_publishes_a_private_key(old_key):
    private = OKPKey.import_key(old_key[0]).as_dict(private=True)
    with pytest.raises(ValueError):
        jwks_document([{**private, "kid": old_key[1]["kid"]}])
    assert jwks_document([old_key[1]]) == {"keys": [old_key[1]]}


@pytest.mark.parametrize(
    ("expires_on", "today", "state"),
    [
        (date(2028, 6, 30), date(2028, 6, 29), "valid"),
        (date(2028, 6, 30), date(2028, 6, 30), "valid"),
        (date(2028, 6, 30), date(2028, 7, 1), "expired"),
        (None, date(2099, 1, 1), "valid"),
    ],
)
def test_a_certificate_is_valid_through_its_expiry_date(expires_on, today, state):
    assert expiry_state(expires_on, today) == state
