"""The LTI 1.3 core: id_token checks, claim mapping and the JWTs the tool signs (pure).

Why a small core on joserfc rather than PyLTI1p3: PyLTI1p3's last release (2.0.0)
dates from November 2022; its classifiers stop at Python 3.10 and name no Django
version, so Python 3.12 and Django 6.1 are untested upstream. It would also bring
PyJWT, jwcrypto and requests beside the joserfc we already use for certificates, and
its Django adapter keeps launch data in the session or cache and platforms in its own
config models, where we need ours (organisation, deployments, resource links, grade
submissions). Its fork pylti1p3next was first published in May 2026 by a new
maintainer and has no track record yet. What a tool needs from LTI 1.3 is small:
verify an RS256 id_token against the platform's JWKS and check a dozen claims, and sign
two kinds of JWT (deep-linking responses, OAuth2 client assertions). That is this
module: values in, values out, no database and no network, so every rule is tested
directly.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.utils.translation import gettext_lazy as _
from joserfc import jws, jwt
from joserfc.errors import BadSignatureError, InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet, RSAKey

ALGORITHM = "RS256"
LTI_VERSION = "1.3.0"

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = CLAIM + "message_type"
VERSION = CLAIM + "version"
DEPLOYMENT_ID = CLAIM + "deployment_id"
TARGET_LINK_URI = CLAIM + "target_link_uri"
ROLES = CLAIM + "roles"
CONTEXT = CLAIM + "context"
RESOURCE_LINK = CLAIM + "resource_link"
CUSTOM = CLAIM + "custom"
LAUNCH_PRESENTATION = CLAIM + "launch_presentation"
DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
DL_CONTENT_ITEMS = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
DL_DATA = "https://purl.imsglobal.org/spec/lti-dl/claim/data"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"

RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
DEEP_LINKING_RESPONSE = "LtiDeepLinkingResponse"
MESSAGE_TYPES = {RESOURCE_LINK_REQUEST, DEEP_LINKING_REQUEST}

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
LINEITEM_READONLY_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
SCORE_MEDIA_TYPE = "application/vnd.ims.lis.v1.score+json"
LINEITEM_MEDIA_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
# Our exams are graded in percent: the resource's own maximum, when a line item names none.
PERCENT_MAXIMUM = 100
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
NRPS_MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

# Custom parameters a deep link puts on the resource links it creates.
CUSTOM_COURSE = "cbec_course"
CUSTOM_EXAM = "cbec_exam"


class LaunchError(Exception):
    """A refused launch, with a message for the person who clicked the link."""

    def __init__(self, message, *, status: int = 400, code: str = ""):
        super().__init__(code or str(message))
        self.message = message
        self.status = status
        self.code = code


class UnknownKeyError(LaunchError):
    """The token names a key the keyset does not hold (maybe the platform rotated keys)."""


# --- Verifying an id_token ------------------------------------------------------------------


def peek(token: str) -> tuple[dict, dict]:
    """Header and claims of a compact JWS, NOT verified: only to find whom to verify with."""
    try:
        compact = jws.extract_compact(token.encode("ascii"))
        claims = json.loads(compact.payload)
    except (JoseError, ValueError, UnicodeError) as exc:
        raise LaunchError(_("The launch token is not a valid JWT."), code="malformed") from exc
    if not isinstance(claims, dict):
        raise LaunchError(_("The launch token is not a valid JWT."), code="malformed")
    return compact.headers(), claims


def client_id_of(claims: dict) -> str:
    """The client id a token is for: its single audience, or 'azp' among several."""
    aud = claims.get("aud")
    azp = claims.get("azp")
    audiences = [aud] if isinstance(aud, str) else aud
    if not audiences or not isinstance(audiences, list):
        raise LaunchError(_("The launch token names no audience."), code="aud_missing")
    if azp is not None:
        if azp not in audiences:
            raise LaunchError(
                _("The launch token's authorised party is not among its audiences."),
                status=403,
                code="azp",
            )
        return azp
    if len(audiences) > 1:
        raise LaunchError(
            _("The launch token has several audiences but no authorised party (azp)."),
            status=403,
            code="azp_missing",
        )
    return audiences[0]


def verify_signature(token: str, keyset: KeySet) -> dict:
    """Verify an RS256 token with the key its header names; returns the claims."""
    header, _claims = peek(token)
    if header.get("alg") != ALGORITHM:
        raise LaunchError(_("The launch token must be signed with RS256."), status=403, code="alg")
    try:
        key = keyset.get_by_kid(header.get("kid"))
    except InvalidKeyIdError as exc:
        raise UnknownKeyError(
            _("The launch token was signed with a key the platform does not publish."),
            status=403,
            code="kid",
        ) from exc
    try:
        return jwt.decode(token, key, algorithms=[ALGORITHM]).claims
    except BadSignatureError as exc:
        raise LaunchError(
            _("The launch token's signature is not valid."), status=403, code="signature"
        ) from exc
    except JoseError as exc:
        raise LaunchError(_("The launch token is not a valid JWT."), code="malformed") from exc


def check_claims(claims: dict, *, issuer: str, client_id: str, now: int, leeway: int) -> None:
    """The OIDC checks: issuer, audience, lifetime and a nonce."""
    if claims.get("iss") != issuer:
        raise LaunchError(
            _("The launch token comes from an unknown issuer."), status=403, code="iss"
        )
    if client_id_of(claims) != client_id:
        raise LaunchError(
            _("The launch token is meant for another tool (wrong audience)."),
            status=403,
            code="aud",
        )
    exp, iat = claims.get("exp"), claims.get("iat")
    if not _is_number(exp) or not _is_number(iat):
        raise LaunchError(
            _("The launch token has no valid expiry or issue time."), code="times_missing"
        )
    if exp <= now - leeway:
        raise LaunchError(
            _("The launch token has expired; go back and open the link again."),
            status=403,
            code="expired",
        )
    if iat > now + leeway:
        raise LaunchError(
            _("The launch token was issued in the future; check the platform's clock."),
            status=403,
            code="iat",
        )
    nonce = claims.get("nonce")
    if not isinstance(nonce, str) or not nonce:
        raise LaunchError(_("The launch token has no nonce."), code="nonce_missing")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_message(claims: dict) -> str:
    """The LTI checks: version, message type and the claims that type requires."""
    if claims.get(VERSION) != LTI_VERSION:
        raise LaunchError(_("Only LTI version 1.3.0 launches are supported."), code="version")
    message_type = claims.get(MESSAGE_TYPE)
    if message_type not in MESSAGE_TYPES:
        raise LaunchError(_("This kind of LTI message is not supported here."), code="message_type")
    missing = [
        name
        for name, ok in (
            ("deployment_id", _text(claims.get(DEPLOYMENT_ID))),
            ("sub", _text(claims.get("sub"))),
            ("roles", isinstance(claims.get(ROLES), list)),
        )
        if not ok
    ]
    if message_type == RESOURCE_LINK_REQUEST:
        if not _text((claims.get(RESOURCE_LINK) or {}).get("id")):
            missing.append("resource_link.id")
        # Core §5.3.4: required in a resource link launch (deep linking leaves it optional).
        if not _text(claims.get(TARGET_LINK_URI)):
            missing.append("target_link_uri")
    else:
        settings = claims.get(DL_SETTINGS) or {}
        if not _text(settings.get("deep_link_return_url")):
            missing.append("deep_linking_settings.deep_link_return_url")
    if missing:
        raise LaunchError(
            _("The launch is missing required claims: %(claims)s.")
            % {"claims": ", ".join(missing)},
            code="claims_missing",
        )
    return message_type


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


# --- Mapping claims to our words ------------------------------------------------------------

TEACHER, STUDENT = "teacher", "student"
_TEACHING_ROLES = {"Instructor", "Administrator"}


def local_roles(roles: Iterable[str]) -> set[str]:
    """Our membership roles for LIS roles: Instructor/Administrator → teacher, Learner → student.

    Full URIs, sub-roles ('membership/Instructor#TeachingAssistant') and the deprecated
    short names ('Instructor') are all understood.
    """
    found = set()
    for role in roles or ():
        if not isinstance(role, str):
            continue
        base, _sep, name = role.rpartition("#")
        parent = base.rstrip("/").rsplit("/", 1)[-1]  # 'Instructor' in a sub-role URI
        if name in _TEACHING_ROLES or parent in _TEACHING_ROLES:
            found.add(TEACHER)
        elif name == "Learner" or parent == "Learner":
            found.add(STUDENT)
    return found


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True, kw_only=True)
class Person:
    """Who launched, as a platform describes them."""

    sub: str
    email: str = ""
    name_native: str = ""
    name_latin: str = ""
    language: str = "en"
    roles: frozenset[str] = field(default_factory=frozenset)


def person_from(claims: dict) -> Person:
    name = (claims.get("name") or "").strip()
    if not name:
        parts = (claims.get("given_name"), claims.get("family_name"))
        name = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    native = name if _HAN.search(name) else ""
    locale = str(claims.get("locale") or "").lower()
    return Person(
        sub=str(claims.get("sub", "")),
        email=str(claims.get("email") or "")[:254],
        name_native=native[:100],
        name_latin="" if native else name[:100],
        language="zh-hans" if locale.startswith("zh") else "en",
        roles=frozenset(local_roles(claims.get(ROLES) or [])),
    )


@dataclass(frozen=True, kw_only=True)
class Placement:
    """Where the launch came from and what it points to."""

    resource_link_id: str
    title: str = ""
    context_title: str = ""
    target: tuple[str, str] | None = None  # ("course", code) or ("exam", id)
    lineitem: str = ""
    lineitems: str = ""
    scopes: tuple[str, ...] = ()
    custom: dict = field(default_factory=dict)


def target_from(custom: dict) -> tuple[str, str] | None:
    if not isinstance(custom, dict):
        return None
    if _text(custom.get(CUSTOM_EXAM)):
        return ("exam", custom[CUSTOM_EXAM].strip())
    if _text(custom.get(CUSTOM_COURSE)):
        return ("course", custom[CUSTOM_COURSE].strip())
    return None


def placement_from(claims: dict) -> Placement:
    link = claims.get(RESOURCE_LINK) or {}
    context = claims.get(CONTEXT) or {}
    ags = claims.get(AGS_ENDPOINT) or {}
    custom = claims.get(CUSTOM) or {}
    scopes = ags.get("scope") if isinstance(ags.get("scope"), list) else []
    return Placement(
        resource_link_id=str(link.get("id", "")),
        title=str(link.get("title") or "")[:255],
        context_title=str(context.get("title") or context.get("label") or "")[:255],
        target=target_from(custom),
        lineitem=str(ags.get("lineitem") or ""),
        lineitems=str(ags.get("lineitems") or ""),
        scopes=tuple(s for s in scopes if isinstance(s, str)),
        custom=custom if isinstance(custom, dict) else {},
    )


@dataclass(frozen=True, kw_only=True)
class ContextInfo:
    """The platform course a launch came from, and its roster service (NRPS) if offered."""

    id: str
    title: str = ""
    label: str = ""
    memberships_url: str = ""


def context_from(claims: dict) -> ContextInfo | None:
    context = claims.get(CONTEXT)
    if not isinstance(context, dict) or not _text(context.get("id")):
        return None
    nrps = claims.get(NRPS_CLAIM)
    url = nrps.get("context_memberships_url") if isinstance(nrps, dict) else None
    return ContextInfo(
        id=context["id"][:255],
        title=str(context.get("title") or "")[:255],
        label=str(context.get("label") or "")[:255],
        memberships_url=url if _text(url) else "",
    )


# --- Names and Role Provisioning (NRPS) -------------------------------------------------------


def member_person(member) -> Person | None:
    """A roster member as a Person (None without a user_id): the same mapping as a launch."""
    if not isinstance(member, dict) or not _text(member.get("user_id")):
        return None
    return person_from({**member, "sub": member["user_id"], ROLES: member.get("roles") or []})


def member_active(member: dict) -> bool:
    """NRPS status: absent means Active; Inactive and Deleted members are not in the class."""
    return member.get("status", "Active") in {"Active", None}


_LINK = re.compile(r"<([^>]*)>([^<]*)")


def next_link(header: str | None) -> str | None:
    """The rel="next" target of an RFC 8288 Link header (how NRPS pages), or None."""
    for url, params in _LINK.findall(header or ""):
        for param in params.split(";"):
            name, _sep, value = param.strip().partition("=")
            if name.strip().lower() == "rel" and "next" in value.strip().strip('",').split():
                return url.strip()
    return None


# --- Keys and the JWTs the tool signs -------------------------------------------------------


def generate_key() -> tuple[str, dict, str]:
    """A fresh RSA-2048 key pair: (private PEM, public JWK, kid = RFC 7638 thumbprint)."""
    key = RSAKey.generate_key(2048, auto_kid=True)
    public = {**key.as_dict(private=False), "alg": ALGORITHM, "use": "sig"}
    return key.as_pem(private=True).decode("ascii"), public, key.kid


def sign(claims: dict, *, private_pem: str, kid: str) -> str:
    key = RSAKey.import_key(private_pem)
    return jwt.encode({"alg": ALGORITHM, "kid": kid}, claims, key, algorithms=[ALGORITHM])


def resource_link_item(
    *, title: str, url: str, custom: dict, score_maximum: int | None = None, resource_id=""
) -> dict:
    """A deep-linking content item; exams carry a line item so the platform makes a column."""
    item = {"type": "ltiResourceLink", "title": title, "url": url, "custom": custom}
    if score_maximum is not None:
        item["lineItem"] = {"scoreMaximum": score_maximum, "label": title}
        if resource_id:
            item["lineItem"]["resourceId"] = resource_id
    return item


def deep_linking_response(
    *,
    client_id: str,
    issuer: str,
    deployment_id: str,
    items: list[dict],
    data: str | None,
    nonce: str,
    now: int,
    lifetime: int = 300,
) -> dict:
    claims = {
        "iss": client_id,
        "aud": issuer,
        "iat": now,
        "exp": now + lifetime,
        "nonce": nonce,
        MESSAGE_TYPE: DEEP_LINKING_RESPONSE,
        VERSION: LTI_VERSION,
        DEPLOYMENT_ID: deployment_id,
        DL_CONTENT_ITEMS: items,
    }
    if data is not None:
        claims[DL_DATA] = data
    return claims


def client_assertion(*, client_id: str, audience: str, jti: str, now: int) -> dict:
    """The claims of an OAuth2 client assertion (RFC 7523) for the platform's token URL."""
    return {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "iat": now,
        "exp": now + 300,
        "jti": jti,
    }


def score(*, user_id: str, score_given: float, score_maximum: float, timestamp: datetime) -> dict:
    """An AGS score: the attempt is complete and fully graded, out of the line item's maximum."""
    return {
        "userId": user_id,
        "scoreGiven": score_given,
        "scoreMaximum": score_maximum,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": timestamp.isoformat(timespec="milliseconds"),
    }


def score_maximum_of(line_item) -> float | None:
    """A line item's positive `scoreMaximum`, or None when it has no usable one."""
    if not isinstance(line_item, dict):
        return None
    value = line_item.get("scoreMaximum")
    if not _is_number(value) or not 0 < value < 1e9:  # a plain positive number
        return None
    return float(value)


def scores_url(lineitem: str) -> str:
    """`<lineitem>/scores`, keeping any query string (Moodle's line items carry one)."""
    parts = urlsplit(lineitem)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))
