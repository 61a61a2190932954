"""Other people's verifiers check our credentials from the published JWKS alone.

PyJWT, jwcrypto and joserfc check the VC-JWT embedded in a certificate PDF and
both status list credentials with nothing but the JWKS served at
/.well-known/jwks.json; openbadgeslib, an independent Open Badges 3.0 verifier,
checks the credential's structure, its OB 3.0 JWT claims and its revocation and
suspension lists. Every fetch goes through the test client: nothing leaves the
machine.
"""

import base64
import json
from urllib.parse import urlsplit

import jwt as pyjwt
import pytest
from django.urls import reverse
from joserfc import jwt as jose_jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws as jwcrypto_jws
from jwcrypto import jwt as jwcrypto_jwt
from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier

from certificates.credential import JWT_CLAIMS
from certificates.pdfsign import extract_attachment
from certificates.revocation import certificate_reinstate, certificate_revoke, certificate_suspend
from tests.certificates.conftest import BASE

# joserfc warns that RFC 9864 deprecates the name "EdDSA"; the verifiers people use need it.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated:joserfc.errors.SecurityWarning")


@pytest.fixture(autouse=True)
def _served_from_the_tokens_origin(settings):
    # The credentials the fixtures sign name keys and lists under BASE; serve them there.
    settings.CERTIFICATES_BASE_URL = BASE


@pytest.fixture
def jwks(client, issuer_keys) -> dict:
    response = client.get(reverse("certificates:jwks"))
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def embedded(pdf_certificate) -> tuple[str, dict]:
    """The signed credential the PDF carries, and the plain credential.json beside it."""
    pdf = pdf_certificate.pdf_bytes
    token = extract_attachment(pdf, "credential.jwt").decode()
    return token, json.loads(extract_attachment(pdf, "credential.json"))


def fetch(client, url: str) -> bytes:
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200, url
    return response.content


def status_list_token(client, list_id: int) -> str:
    return fetch(client, f"{BASE}{reverse('certificates:status_list', args=[list_id])}").decode()


def without_claims(payload: dict) -> dict:
    return {name: value for name, value in payload.items() if name not in JWT_CLAIMS}


def expected_claims(credential: dict) -> dict:
    issuer = credential["issuer"]
    return {"iss": issuer["id"] if isinstance(issuer, dict) else issuer, "jti": credential["id"]}


# The credential embedded in the PDF


def test_pyjwt_verifies_the_embedded_credential(embedded, jwks):
    token, credential = embedded
    key = pyjwt.PyJWKSet.from_dict(jwks)[pyjwt.get_unverified_header(token)["kid"]]

    payload = pyjwt.decode(
        token,
        key,
        algorithms=["EdDSA"],
        issuer=f"{BASE}/",
        options={"require": ["iss", "nbf", "exp", "jti"]},
    )

    assert without_claims(payload) == credential
    assert payload["jti"] == credential["id"]


def test_jwcrypto_verifies_the_embedded_credential_allowing_only_eddsa(embedded, jwks):
    token, credential = embedded
    keys = jwcrypto_jwk.JWKSet.from_json(json.dumps(jwks))

    verified = jwcrypto_jwt.JWT(
        jwt=token,
        key=keys,
        algs=["EdDSA"],
        expected_type="JWS",
        check_claims=expected_claims(credential),
    )

    assert without_claims(json.loads(verified.claims)) == credential


def test_joserfc_verifies_the_embedded_credential(embedded, jwks):
    token, credential = embedded

    verified = jose_jwt.decode(token, KeySet.import_key_set(jwks), algorithms=["EdDSA"])
    jose_jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": f"{BASE}/"},
        jti={"essential": True, "value": credential["id"]},
        nbf={"essential": True},
    ).validate(verified.claims)

    assert without_claims(verified.claims) == credential


def test_the_kid_dereferences_to_the_key_that_verifies(client, embedded, jwks):
    token, credential = embedded
    kid = pyjwt.get_unverified_header(token)["kid"]

    key = pyjwt.PyJWK(json.loads(fetch(client, kid)))

    assert without_claims(pyjwt.decode(token, key, algorithms=["EdDSA"])) == credential


def test_a_changed_credential_fails_every_verifier(embedded, jwks):
    token, _credential = embedded
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["achievement"]["name"] += " — Senior"
    changed = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    forged = f"{header}.{changed}.{signature}"
    (key,) = jwks["keys"]

    with pytest.raises(pyjwt.InvalidSignatureError):
        pyjwt.decode(forged, pyjwt.PyJWK(key), algorithms=["EdDSA"])
    with pytest.raises(jwcrypto_jws.InvalidJWSSignature):
        jwcrypto_jwt.JWT(jwt=forged, key=jwcrypto_jwk.JWK(**key), algs=["EdDSA"])
    with pytest.raises(BadSignatureError):
        jose_jwt.decode(forged, KeySet.import_key_set(jwks), algorithms=["EdDSA"])


# The status list credentials


@pytest.mark.parametrize(("list_id", "purpose"), [(1, "revocation"), (2, "suspension")])
def test_the_status_lists_verify_with_pyjwt_jwcrypto_and_joserfc(
    client, jwks, pdf_certificate, list_id, purpose
):
    token = status_list_token(client, list_id)
    list_url = f"{BASE}/credentials/status/{list_id}"

    by_pyjwt = pyjwt.decode(
        token,
        pyjwt.PyJWKSet.from_dict(jwks)[pyjwt.get_unverified_header(token)["kid"]],
        algorithms=["EdDSA"],
        issuer=f"{BASE}/",
        options={"require": ["iss", "nbf", "exp", "jti", "sub"]},
    )
    by_jwcrypto = json.loads(
        jwcrypto_jwt.JWT(
            jwt=token,
            key=jwcrypto_jwk.JWKSet.from_json(json.dumps(jwks)),
            algs=["EdDSA"],
            expected_type="JWS",
            check_claims={"iss": f"{BASE}/", "jti": list_url},
        ).claims
    )
    by_joserfc = jose_jwt.decode(token, KeySet.import_key_set(jwks), algorithms=["EdDSA"]).claims

    assert by_pyjwt == by_jwcrypto == by_joserfc
    assert by_pyjwt["jti"] == list_url
    assert by_pyjwt["sub"] == f"{list_url}#list"
    assert by_pyjwt["credentialSubject"]["statusPurpose"] == purpose


# An independent Open Badges 3.0 verifier


@pytest.fixture
def ob3_verifier(embedded, jwks) -> OB3Verifier:
    """openbadgeslib's verifier, with the key the token's kid names in the JWKS."""
    token, _credential = embedded
    key = pyjwt.PyJWKSet.from_dict(jwks)[pyjwt.get_unverified_header(token)["kid"]]
    return OB3Verifier(key.key)


def check_with_status(ob3_verifier, client, token):
    """Verify with the status lists (and their own signatures), fetched through the client."""
    return ob3_verifier.verify(token, check_status=True, download=lambda url: fetch(client, url))


def test_openbadgeslib_verifies_the_embedded_credential_and_its_status(
    client, ob3_verifier, embedded
):
    token, credential = embedded

    verified = check_with_status(ob3_verifier, client, token)

    assert verified.issuer.id == credential["issuer"]["id"]
    assert verified.achievement.name == credential["credentialSubject"]["achievement"]["name"]
    assert [entry["statusPurpose"] for entry in verified.credential_status] == [
        "revocation",
        "suspension",
    ]


def test_openbadgeslib_sees_a_suspension_and_its_lifting(
    client, ob3_verifier, embedded, pdf_certificate, teacher
):
    token, _credential = embedded

    certificate_suspend(certificate=pdf_certificate, by=teacher)
    with pytest.raises(OB3VerificationError, match="'suspension' is set"):
        check_with_status(ob3_verifier, client, token)

    certificate_reinstate(certificate=pdf_certificate, by=teacher)
    check_with_status(ob3_verifier, client, token)


def test_openbadgeslib_sees_a_revocation(client, ob3_verifier, embedded, pdf_certificate, teacher):
    token, _credential = embedded

    certificate_revoke(certificate=pdf_certificate, reason="fraud", by=teacher)

    with pytest.raises(OB3VerificationError, match="'revocation' is set"):
        check_with_status(ob3_verifier, client, token)
