"""A certificate as an Open Badges 3.0 credential, signed as a VC-JWT with Ed25519.

Why VC-JWT (JOSE) rather than a Data Integrity proof: a Data Integrity proof
signs the RDF canonical form of the JSON-LD, so an offline verifier must
canonicalise with every @context available locally, and a JSON-LD processor is
a large, subtle dependency. A compact JWS signs the exact bytes of the
credential; any well-kept JOSE library (joserfc, PyJWT, jwcrypto) verifies it
offline with the issuer's public JWKS and nothing else.

The token follows Open Badges 3.0 section 8.2 (JSON Web Token Proof Format):
the payload is the credential itself plus the JWT claims iss, nbf, jti (and
exp, sub when the credential has validUntil or a subject id); the header is
alg, typ "JWT" and a kid that is a URL answering with the public JWK.

The algorithm is named "EdDSA" with an OKP/Ed25519 key, the name PyJWT,
jwcrypto and OB 3.0 verifiers accept today. RFC 9864's fully specified
"Ed25519" is the same signature, but PyJWT and jwcrypto do not know it yet;
tokens signed with that name (and typ "vc+jwt") before the switch still verify
here. Keys are named by their RFC 7638 thumbprint, and a JWKS keeps retired
keys so old certificates still verify after a key rotation.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal
from urllib.parse import quote, unquote, urljoin

from django.utils.translation import gettext as _
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwa import EdDSAAlgorithm
from joserfc.jwk import OKPKey
from joserfc.jws import JWSRegistry

CertificateKind = Literal["skill_level", "course"]
ExpiryState = Literal["valid", "expired"]

JWS_ALGORITHM = "EdDSA"
JWT_TYPE = "JWT"
# What tokens signed before the switch to "EdDSA" said; they keep verifying here.
LEGACY_JWS_ALGORITHM = "Ed25519"
LEGACY_JWT_TYPE = "vc+jwt"
_HEADER_KINDS = {(JWS_ALGORITHM, JWT_TYPE), (LEGACY_JWS_ALGORITHM, LEGACY_JWT_TYPE)}
# The JWT claims a token adds beside the credential's own members (OB 3.0 section 8.2.4.1).
JWT_CLAIMS = ("iss", "sub", "nbf", "exp", "jti")
# Media types of the two forms a holder downloads: the signed credential, and its JSON.
# The JSON carries no proof, so it is plain JSON-LD rather than a "verifiable" type.
JWT_MEDIA_TYPE = "application/vc+jwt"
JSON_MEDIA_TYPE = "application/ld+json"
# Where, under the issuer's origin, each public key answers as a JWK: the kid URL.
KEY_PATH = "credentials/keys/"
CREDENTIAL_CONTEXTS = (
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
)
ACHIEVEMENT_CREDENTIAL_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
# OB 3.0 AchievementType: a skill level is time-limited and revocable.
ACHIEVEMENT_TYPES: dict[str, str] = {
    "skill_level": "Certification",
    "course": "CertificateOfCompletion",
}


class _EdDSA(EdDSAAlgorithm):
    # joserfc warns on every use that RFC 9864 deprecates the name "EdDSA". With our
    # Ed25519 keys it is the very same signature as "Ed25519", and the name verifiers know.
    security_warning = None


class _Registry(JWSRegistry):
    algorithms = {**JWSRegistry.algorithms, JWS_ALGORITHM: _EdDSA()}


_SIGNING = _Registry(algorithms=[JWS_ALGORITHM])
_VERIFYING = _Registry(algorithms=[JWS_ALGORITHM, LEGACY_JWS_ALGORITHM])


@dataclass(frozen=True, kw_only=True)
class OrgName:
    """An organisation as printed on a certificate."""

    name_en: str
    name_zh: str
    code: str
    # Relative to the certificates app's static dir, e.g. "certificates/logos/x.png".
    logo_path: str | None = None


@dataclass(frozen=True, kw_only=True)
class CertificateData:
    """The snapshot of facts a certificate carries, fixed when it is issued."""

    serial: str
    kind: CertificateKind
    holder_name_native: str
    holder_name_latin: str
    achievement_name_en: str
    achievement_name_zh: str
    standard_code: str
    standard_version: str
    level: int | None = None
    level_name_en: str = ""
    level_name_zh: str = ""
    # Exam part name -> score as a Decimal string, e.g. {"Theory": "86.5"}.
    part_scores: Mapping[str, str] = field(default_factory=dict, hash=False)
    school: OrgName
    enterprise: OrgName | None = None
    government: OrgName | None = None
    # How the answers were marked: "dual" (teacher and enterprise mentor), "teacher",
    # "automatic"; empty in snapshots made before it was recorded.
    marking: str = ""
    issued_on: date
    expires_on: date | None = None
    verify_url: str
    status_list_url: str
    status_list_index: int
    # The suspension list (same index); empty in snapshots made before there was one, whose
    # credentials name only the revocation list.
    suspension_list_url: str = ""
    issuer_id: str
    issuer_name: str = "CBEC Academy"


@dataclass(frozen=True)
class VerifiedCredential:
    """A credential whose signature checked out, and the key that signed it."""

    credential: dict[str, Any]
    kid: str


class CredentialError(Exception):
    """A VC-JWT that cannot be trusted; code is one of malformed, unknown_key, bad_signature."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def build_credential(data: CertificateData) -> dict[str, Any]:
    """Return the certificate as an Open Badges 3.0 OpenBadgeCredential (unsigned)."""
    credential: dict[str, Any] = {
        "@context": list(CREDENTIAL_CONTEXTS),
        "id": data.verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": _achievement_title(data),
        "issuer": {
            "id": data.issuer_id,
            "type": ["Profile"],
            "name": data.issuer_name,
            "url": data.issuer_id,
        },
        "validFrom": f"{data.issued_on.isoformat()}T00:00:00Z",
        "credentialSubject": _subject(data),
        "credentialSchema": [
            {"id": ACHIEVEMENT_CREDENTIAL_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}
        ],
        "credentialStatus": _status_entries(data),
    }
    if data.expires_on is not None:
        # The certificate is valid through the whole of its expiry date.
        credential["validUntil"] = f"{data.expires_on.isoformat()}T23:59:59Z"
    return credential


def credential_json(credential: Mapping[str, Any]) -> bytes:
    """Serialise a credential as UTF-8 JSON, the form embedded in the PDF."""
    return json.dumps(credential, ensure_ascii=False, indent=2).encode()


def sign_credential(credential: Mapping[str, Any], private_key_pem: bytes, kid: str) -> str:
    """Sign the credential as an OB 3.0 VC-JWT: the credential and its JWT claims as payload.

    kid is the key's name (its thumbprint); the header names the key by its URL under the
    credential issuer's origin (key_url), where the public JWK is served.
    """
    key = OKPKey.import_key(private_key_pem)
    header = {"alg": JWS_ALGORITHM, "typ": JWT_TYPE, "kid": key_url(_issuer_id(credential), kid)}
    payload = json.dumps(
        {**credential, **jwt_claims(credential)}, ensure_ascii=False, separators=(",", ":")
    )
    return jws.serialize_compact(header, payload.encode(), key, registry=_SIGNING)


def jwt_claims(credential: Mapping[str, Any]) -> dict[str, Any]:
    """The registered claims OB 3.0 puts beside a credential: iss, sub, nbf, exp, jti."""
    claims: dict[str, Any] = {"iss": _issuer_id(credential)}
    subject = credential.get("credentialSubject")
    if isinstance(subject, Mapping) and subject.get("id"):
        claims["sub"] = subject["id"]
    claims["nbf"] = _numeric_date(credential["validFrom"])
    if credential.get("validUntil"):
        claims["exp"] = _numeric_date(credential["validUntil"])
    claims["jti"] = credential["id"]
    return claims


def verify_credential(token: str, jwks: Mapping[str, Any]) -> VerifiedCredential:
    """Check a VC-JWT against the issuer's JWKS and return its credential (without JWT claims)."""
    try:
        compact = jws.extract_compact(token.encode("ascii"))
        header = compact.headers()
    except (JoseError, ValueError, UnicodeError, AttributeError) as error:
        raise CredentialError(_("This is not a signed credential."), code="malformed") from error
    kid = header.get("kid")
    if (header.get("alg"), header.get("typ")) not in _HEADER_KINDS or not isinstance(kid, str):
        raise CredentialError(
            _("The credential is not a VC-JWT signed with Ed25519."), code="malformed"
        )
    key = _public_key(jwks, kid)
    try:
        valid = jws.validate_compact(compact, key, registry=_VERIFYING)
    except JoseError:
        valid = False
    if not valid:
        raise CredentialError(_("The credential's signature is not valid."), code="bad_signature")
    try:
        payload = json.loads(compact.payload)
    except ValueError as error:
        raise CredentialError(_("This is not a signed credential."), code="malformed") from error
    if not isinstance(payload, dict):
        raise CredentialError(_("This is not a signed credential."), code="malformed")
    credential = {name: value for name, value in payload.items() if name not in JWT_CLAIMS}
    if header["alg"] == JWS_ALGORITHM and not _claims_match(payload, credential):
        raise CredentialError(
            _("The credential's JWT claims do not match the credential."), code="malformed"
        )
    return VerifiedCredential(credential=credential, kid=key_name(kid))


def credential_of(token: str) -> dict[str, Any]:
    """The credential a VC-JWT carries, without its JWT claims; the signature is not checked.

    For a token read from our own records, to offer the credential as plain JSON.
    """
    payload = json.loads(jws.extract_compact(token.encode("ascii")).payload)
    return {name: value for name, value in payload.items() if name not in JWT_CLAIMS}


def generate_signing_key() -> tuple[bytes, dict[str, Any]]:
    """Return a new Ed25519 private key as PKCS#8 PEM, and its public JWK with a kid."""
    key = OKPKey.generate_key("Ed25519", auto_kid=True)
    public_jwk = {**key.as_dict(private=False), "use": "sig", "alg": JWS_ALGORITHM}
    return key.as_pem(private=True), public_jwk


def key_url(issuer_id: str, kid: str) -> str:
    """The URL that names a key in a token's header and answers with its public JWK."""
    return urljoin(issuer_id, KEY_PATH + quote(kid, safe=""))


def key_name(kid: str) -> str:
    """The key's own name (its thumbprint) in a kid, whether a key URL or, before, the bare name."""
    return unquote(kid.rstrip("/").rsplit("/", 1)[-1])


def published_jwk(public_jwk: Mapping[str, Any], *, kid: str) -> dict[str, Any]:
    """The public JWK as verifiers get it: OKP/Ed25519 for EdDSA, named by its key URL.

    Keys made before the switch stored alg "Ed25519"; they are published as "EdDSA" too.
    """
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": public_jwk["x"],
        "kid": kid,
        "use": "sig",
        "alg": JWS_ALGORITHM,
    }


def jwks_document(public_jwks: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Return the JWKS to publish: current and retired public keys, never a private one."""
    keys = []
    for jwk in public_jwks:
        if "d" in jwk:
            raise ValueError("A private key must never be published in a JWKS.")
        if not jwk.get("kid"):
            raise ValueError("Every published key needs a kid.")
        keys.append(dict(jwk))
    return {"keys": keys}


def expiry_state(expires_on: date | None, today: date) -> ExpiryState:
    """Tell whether a certificate is still within its validity on the given day."""
    if expires_on is not None and today > expires_on:
        return "expired"
    return "valid"


def sample_certificate_data() -> CertificateData:
    """Return a plausible certificate for template previews and tests."""
    return CertificateData(
        serial="7K3D-9WQX-4M2P-HY",
        kind="skill_level",
        holder_name_native="张伟",
        holder_name_latin="Zhang Wei",
        achievement_name_en="CBEC Platform Operation",
        achievement_name_zh="跨境电商平台运营",
        standard_code="CBEC-PO",
        standard_version="2025",
        level=2,
        level_name_en="Intermediate",
        level_name_zh="中级",
        part_scores={"Theory": "86.5", "Practical": "91.0"},
        school=OrgName(
            name_en="Zhejiang Institute of Commerce", name_zh="浙江商业职业学院", code="ZJIC"
        ),
        enterprise=OrgName(
            name_en="Hangzhou Silk Road Trading Co., Ltd.",
            name_zh="杭州丝路贸易有限公司",
            code="HZSR",
        ),
        government=OrgName(
            name_en="Hangzhou Cross-border E-commerce Comprehensive Pilot Zone Office",
            name_zh="杭州跨境电子商务综合试验区办公室",
            code="HZCBEC",
        ),
        issued_on=date(2025, 7, 1),
        expires_on=date(2028, 6, 30),
        verify_url="https://academy.example/verify/7K3D-9WQX-4M2P-HY/",
        status_list_url="https://academy.example/credentials/status/1",
        status_list_index=94567,
        suspension_list_url="https://academy.example/credentials/status/2",
        issuer_id="https://academy.example/",
    )


def _public_key(jwks: Mapping[str, Any], kid: str) -> OKPKey:
    """Find the Ed25519 public key this kid names; other key types are ignored.

    Keys are matched by name, so a token whose kid is the key's URL verifies against a JWKS
    that names it by thumbprint (one exported before), and an old token the other way round.
    """
    wanted = key_name(kid)
    for jwk in jwks.get("keys", ()):
        if not isinstance(jwk, Mapping) or not isinstance(jwk.get("kid"), str):
            continue
        if key_name(jwk["kid"]) == wanted and (jwk.get("kty"), jwk.get("crv")) == (
            "OKP",
            "Ed25519",
        ):
            public = {name: jwk[name] for name in ("kty", "crv", "x", "kid") if name in jwk}
            try:
                return OKPKey.import_key(public)
            except (JoseError, ValueError) as error:
                raise CredentialError(
                    _("The issuer's public key is damaged."), code="unknown_key"
                ) from error
    raise CredentialError(
        _("The credential was signed by a key this issuer does not publish."),
        code="unknown_key",
    )


def _issuer_id(credential: Mapping[str, Any]) -> str:
    """The issuer's id, whether the issuer is a Profile object or a bare URL."""
    issuer = credential["issuer"]
    return issuer["id"] if isinstance(issuer, Mapping) else issuer


def _numeric_date(timestamp: str) -> int:
    """A JWT NumericDate (seconds since the epoch) from an XML Schema dateTime in UTC."""
    return int(datetime.fromisoformat(timestamp).timestamp())


def _claims_match(payload: Mapping[str, Any], credential: Mapping[str, Any]) -> bool:
    """Whether the token's JWT claims are exactly the ones its credential gives."""
    try:
        expected = jwt_claims(credential)
    except (KeyError, TypeError, ValueError):
        return False
    return {name: payload[name] for name in JWT_CLAIMS if name in payload} == expected


def _status_entries(data: CertificateData) -> dict[str, Any] | list[dict[str, Any]]:
    """The credential's BitstringStatusListEntry: revocation, and suspension when it has one.

    Revocation is final and suspension is not, so each has its own list (same index).
    """
    revocation = _status_entry(data.status_list_url, data.status_list_index, "revocation")
    if not data.suspension_list_url:
        return revocation
    suspension = _status_entry(data.suspension_list_url, data.status_list_index, "suspension")
    return [revocation, suspension]


def _status_entry(list_url: str, index: int, purpose: str) -> dict[str, Any]:
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def _achievement_title(data: CertificateData) -> str:
    """Name the achievement in both languages, with the level when there is one."""
    title = f"{data.achievement_name_en} / {data.achievement_name_zh}"
    if data.level is not None:
        title += f" — {data.level_name_en} / {data.level_name_zh}"
    return title


def _holder_name(data: CertificateData) -> str:
    """Name the holder in both scripts, once if they are the same."""
    if data.holder_name_native == data.holder_name_latin:
        return data.holder_name_native
    return f"{data.holder_name_native} ({data.holder_name_latin})"


def _achievement_id(data: CertificateData) -> str:
    """Return a stable URL for the achievement, shared by all its holders."""
    path = f"achievements/{data.kind}/{quote(data.standard_code)}/{quote(data.standard_version)}"
    if data.level is not None:
        path += f"/{data.level}"
    return urljoin(data.issuer_id, path)


def _profile(org: OrgName, issuer_id: str) -> dict[str, Any]:
    """Return an organisation as an OB 3.0 Profile."""
    return {
        "id": urljoin(issuer_id, f"organisations/{quote(org.code)}"),
        "type": ["Profile"],
        "name": f"{org.name_en} / {org.name_zh}",
        "otherIdentifier": [
            {"type": "IdentifierEntry", "identifier": org.code, "identifierType": "identifier"}
        ],
    }


def _subject(data: CertificateData) -> dict[str, Any]:
    """Return the AchievementSubject: the holder, the achievement, the results."""
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "name": _holder_name(data),
        # OB 3.0 needs an id or an identifier; the holder has no DID, so name them.
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": name,
            }
            for name in dict.fromkeys((data.holder_name_native, data.holder_name_latin))
        ],
        "achievement": _achievement(data),
        # The school that trained and examined the holder on the platform's behalf.
        "source": _profile(data.school, data.issuer_id),
    }
    if data.part_scores:
        subject["result"] = [
            {"type": ["Result"], "resultDescription": _result_id(data, part), "value": score}
            for part, score in data.part_scores.items()
        ]
    return subject


def _achievement(data: CertificateData) -> dict[str, Any]:
    """Return the OB 3.0 Achievement the certificate attests."""
    achievement_id = _achievement_id(data)
    achievement: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPES[data.kind],
        "name": _achievement_title(data),
        "description": _description(data),
        "criteria": {"id": achievement_id, "narrative": _criteria(data)},
        "humanCode": data.standard_code,
        "version": data.standard_version,
    }
    if data.government is not None:
        # The government body owns the skill standard, so it created the achievement.
        achievement["creator"] = _profile(data.government, data.issuer_id)
    if data.part_scores:
        achievement["resultDescription"] = [
            {
                "id": _result_id(data, part),
                "type": ["ResultDescription"],
                "name": part,
                "resultType": "RawScore",
            }
            for part in data.part_scores
        ]
    return achievement


def _result_id(data: CertificateData, part: str) -> str:
    """Return the id of one exam part's ResultDescription."""
    return f"{_achievement_id(data)}#part-{quote(part, safe='')}"


def _description(data: CertificateData) -> str:
    """Describe the achievement in both languages.

    Signed content must not vary with the request's language, so the fixed
    words are written in both languages rather than passed through gettext.
    """
    if data.kind == "course":
        return (
            f"Completion of the course {data.achievement_name_en}. "
            f"课程结业：{data.achievement_name_zh}。"
        )
    return (
        f"Skill-level certificate for {data.achievement_name_en}, "
        f"level {data.level} ({data.level_name_en}), "
        f"skill standard {data.standard_code} version {data.standard_version}. "
        f"职业技能等级证书：{data.achievement_name_zh}，{data.level_name_zh}"
        f"（{data.level}级），技能标准 {data.standard_code}（{data.standard_version} 版）。"
    )


def _criteria(data: CertificateData) -> str:
    """Say what the holder did to earn the achievement, naming who assessed it."""
    assessors = f"{data.school.name_en} / {data.school.name_zh}"
    if data.enterprise is not None:
        # Only a mentor's mark makes the enterprise a co-assessor of an exam.
        role = "co-assessed by" if data.kind == "course" or data.marking == "dual" else "with"
        assessors += f"; {role} {data.enterprise.name_en} / {data.enterprise.name_zh}"
    if data.kind == "course":
        return f"Completed the course and its assessments. Assessed by {assessors}."
    parts = [label.split()[-1].lower() for label in data.part_scores if "Total" not in label]
    examination = f"{' and '.join(parts)} examination" if parts else "examination"
    return (
        f"Passed the {examination} for level {data.level} of skill standard "
        f"{data.standard_code} version {data.standard_version}"
        f"{MARKING_NARRATIVES.get(data.marking, '')}. Assessed by {assessors}."
    )


# What the credential says of the marking, by CertificateData.marking (signed, so not
# translated; see _description).
MARKING_NARRATIVES = {
    "dual": ", practical tasks dual-marked by a teacher and an enterprise mentor",
    "teacher": ", answers marked by a teacher of the school",
    "automatic": ", every answer marked automatically",
}
