"""A certificate as an Open Badges 3.0 credential, signed as a VC-JWT with Ed25519.

Why VC-JWT (JOSE, W3C VC-JOSE-COSE) rather than a Data Integrity proof: a
Data Integrity proof signs the RDF canonical form of the JSON-LD, so an
offline verifier must canonicalise with every @context available locally, and
a JSON-LD processor is a large, subtle dependency. A compact JWS signs the
exact bytes of the credential; any well-kept JOSE library (here joserfc)
verifies it offline with the issuer's public JWKS and nothing else.

The signing algorithm is "Ed25519" (RFC 9864, fully specified); joserfc marks
the older polymorphic name "EdDSA" as deprecated. Keys are identified by their
RFC 7638 thumbprint, and a JWKS keeps retired keys so old certificates still
verify after a key rotation.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal
from urllib.parse import quote, urljoin

from django.utils.translation import gettext as _
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

CertificateKind = Literal["skill_level", "course"]
ExpiryState = Literal["valid", "expired"]

JWS_ALGORITHM = "Ed25519"
JWT_TYPE = "vc+jwt"
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
    issued_on: date
    expires_on: date | None = None
    verify_url: str
    status_list_url: str
    status_list_index: int
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
        "credentialStatus": {
            "id": f"{data.status_list_url}#{data.status_list_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(data.status_list_index),
            "statusListCredential": data.status_list_url,
        },
    }
    if data.expires_on is not None:
        # The certificate is valid through the whole of its expiry date.
        credential["validUntil"] = f"{data.expires_on.isoformat()}T23:59:59Z"
    return credential


def credential_json(credential: Mapping[str, Any]) -> bytes:
    """Serialise a credential as UTF-8 JSON, the form embedded in the PDF."""
    return json.dumps(credential, ensure_ascii=False, indent=2).encode()


def sign_credential(credential: Mapping[str, Any], private_key_pem: bytes, kid: str) -> str:
    """Sign the credential as a compact VC-JWT whose payload is the credential itself."""
    key = OKPKey.import_key(private_key_pem)
    header = {"alg": JWS_ALGORITHM, "typ": JWT_TYPE, "kid": kid}
    payload = json.dumps(credential, ensure_ascii=False, separators=(",", ":"))
    return jws.serialize_compact(header, payload.encode(), key, algorithms=[JWS_ALGORITHM])


def verify_credential(token: str, jwks: Mapping[str, Any]) -> VerifiedCredential:
    """Check a VC-JWT against the issuer's JWKS and return its credential."""
    try:
        compact = jws.extract_compact(token.encode("ascii"))
        header = compact.headers()
    except (JoseError, ValueError, UnicodeError, AttributeError) as error:
        raise CredentialError(_("This is not a signed credential."), code="malformed") from error
    kid = header.get("kid")
    if header.get("typ") != JWT_TYPE or header.get("alg") != JWS_ALGORITHM or not kid:
        raise CredentialError(
            _("The credential is not a VC-JWT signed with Ed25519."), code="malformed"
        )
    key = _public_key(jwks, kid)
    try:
        valid = jws.validate_compact(compact, key, algorithms=[JWS_ALGORITHM])
    except JoseError:
        valid = False
    if not valid:
        raise CredentialError(_("The credential's signature is not valid."), code="bad_signature")
    try:
        credential = json.loads(compact.payload)
    except ValueError as error:
        raise CredentialError(_("This is not a signed credential."), code="malformed") from error
    if not isinstance(credential, dict):
        raise CredentialError(_("This is not a signed credential."), code="malformed")
    return VerifiedCredential(credential=credential, kid=kid)


def generate_signing_key() -> tuple[bytes, dict[str, Any]]:
    """Return a new Ed25519 private key as PKCS#8 PEM, and its public JWK with a kid."""
    key = OKPKey.generate_key("Ed25519", auto_kid=True)
    public_jwk = {**key.as_dict(private=False), "use": "sig", "alg": JWS_ALGORITHM}
    return key.as_pem(private=True), public_jwk


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
        issuer_id="https://academy.example/",
    )


def _public_key(jwks: Mapping[str, Any], kid: str) -> OKPKey:
    """Find the Ed25519 public key with this kid; other key types are ignored."""
    for jwk in jwks.get("keys", ()):
        if jwk.get("kid") == kid and jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
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
        assessors += f"; co-assessed by {data.enterprise.name_en} / {data.enterprise.name_zh}"
    if data.kind == "course":
        return f"Completed the course and its assessments. Assessed by {assessors}."
    return (
        f"Passed the theory and practical examination for level {data.level} of skill "
        f"standard {data.standard_code} version {data.standard_version}, practical tasks "
        f"dual-marked by teacher and enterprise mentor. Assessed by {assessors}."
    )
