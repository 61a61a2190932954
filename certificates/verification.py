"""Answering "is this certificate genuine and in force?" for the page, the API and the command.

A verifier learns what the certificate certifies, who issued it, and its
status; of the holder, only a masked name unless the holder chose to share it.
A malformed serial and an unknown one get the same answer, so the answers
help nobody enumerate serials.

A file is genuine when it is byte for byte what the platform issued:

- a PDF: its SHA-256 equals the stored one, and its PAdES signature is by a
  published platform PDF key and covers every byte (an incremental update
  appended after signing is "modified");
- a credential: a VC-JWT whose Ed25519 signature checks against the
  published JWKS (named "EdDSA", or "Ed25519" in tokens signed before the
  switch), or a plain credential JSON equal to the one signed at issue.

The ``*_offline`` functions need no database: the command runs them with trust
material from files.
"""

import hashlib
import hmac
import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from django.utils import timezone
from django.utils.translation import gettext as _

from .conf import max_embedded_bytes
from .credential import CredentialError, expiry_state, verify_credential
from .keys import published_jwks, published_key
from .models import Certificate, IssuerKey, Verification
from .pdfsign import (
    AttachmentTooLarge,
    SignatureCheck,
    extract_attachments,
    inspect_pdf_signature,
)
from .rendering import base_url
from .serials import normalise_serial

PublicStatus = Literal["valid", "expired", "revoked", "suspended", "superseded", "unknown"]
Integrity = Literal["intact", "modified", "unknown"]
FileKind = Literal["pdf", "credential", "unknown"]

MAX_FILE_BYTES = 10 * 1024 * 1024
CREDENTIAL_JSON = "credential.json"
CREDENTIAL_JWT = "credential.jwt"
_ENVELOPE_PREFIX = "data:application/vc+jwt,"


# Finding certificates


def public_certificates():
    """Certificates with what a verification answer shows, in one query."""
    return Certificate.objects.select_related("school", "enterprise", "government", "superseded_by")


def find_certificate(text: str) -> Certificate | None:
    """The certificate a typed serial names, or None when it is malformed or unknown.

    One plain query on the unique serial: no joins and no ordering, because
    compiling a five-table join cost four times the query itself on this,
    the most requested path. The answer prints the organisations from the
    snapshot; only an old snapshot without them, or a superseded
    certificate, costs one more query.
    """
    serial = normalise_serial(text)
    if serial is None:
        return None
    try:
        return Certificate.objects.get(serial=serial)
    except Certificate.DoesNotExist:
        return None


def find_certificates(texts: Iterable[str]) -> dict[str, Certificate]:
    """Certificates by canonical serial for many typed serials, in one query."""
    serials = {s for s in map(normalise_serial, texts) if s is not None}
    if not serials:
        return {}
    return {c.serial: c for c in public_certificates().filter(serial__in=serials)}


# The holder's name


def mask_native(name: str) -> str:
    """张*伟 for three characters, 张* for two: the first (and last) kept."""
    name = name.strip()
    if any(ch.isspace() for ch in name):
        return mask_latin(name)
    if len(name) <= 1:
        return "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_latin(name: str) -> str:
    """Zhang W.: the first token kept, the others reduced to an initial."""
    tokens = name.split()
    if not tokens:
        return ""
    return " ".join([tokens[0], *(f"{token[0]}." for token in tokens[1:])])


def _comparable(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def name_matches(certificate: Certificate, typed: str) -> bool:
    """Whether a typed name is the holder's, as printed, ignoring case and spaces."""
    typed = _comparable(typed or "")
    if not typed:
        return False
    names = (certificate.holder_name_native, certificate.holder_name_latin)
    return any(
        name and hmac.compare_digest(_comparable(name).encode(), typed.encode()) for name in names
    )


def holder(certificate: Certificate) -> dict[str, Any]:
    """The holder's names as a verifier may see them."""
    native, latin = certificate.holder_name_native, certificate.holder_name_latin
    snapshot = certificate.snapshot if isinstance(certificate.snapshot, dict) else {}
    if snapshot.get("name_withheld"):  # erased at the holder's request (privacy.erasure)
        return {"name_native": "", "name_latin": "", "masked": False, "withheld": True}
    if certificate.show_full_name:
        return {"name_native": native, "name_latin": latin, "masked": False}
    return {"name_native": mask_native(native), "name_latin": mask_latin(latin), "masked": True}


# Answers


def unknown_answer(serial: str) -> dict[str, Any]:
    return {"serial": serial, "status": "unknown"}


def answer(certificate: Certificate, *, today: date | None = None) -> dict[str, Any]:
    """What anyone may learn about a certificate, as JSON-ready values."""
    snapshot = certificate.snapshot if isinstance(certificate.snapshot, dict) else {}
    status = certificate.public_status(today or timezone.localdate())
    skill_level = certificate.kind == Certificate.Kind.SKILL_LEVEL
    changed_status = certificate.status != Certificate.Status.VALID
    changed_on = (
        timezone.localdate(certificate.status_changed_at) if certificate.status_changed_at else None
    )
    data: dict[str, Any] = {
        "serial": certificate.serial,
        "status": status,
        "kind": certificate.kind,
        "standard": {
            "code": certificate.standard_code,
            "version": snapshot.get("standard_version", ""),
            "name_en": snapshot.get("achievement_name_en", ""),
            "name_zh": snapshot.get("achievement_name_zh", ""),
        }
        if skill_level
        else None,
        "level": {
            "number": certificate.level,
            "name_en": snapshot.get("level_name_en", ""),
            "name_zh": snapshot.get("level_name_zh", ""),
        }
        if skill_level and certificate.level is not None
        else None,
        "course": None
        if skill_level
        else {
            "name_en": snapshot.get("achievement_name_en", ""),
            "name_zh": snapshot.get("achievement_name_zh", ""),
        },
        "issued_on": _iso(certificate.issued_on),
        "expires_on": _iso(certificate.expires_on),
        "holder": holder(certificate),
        "organisations": {
            role: _organisation(snapshot.get(role), certificate, role)
            for role in ("school", "enterprise", "government")
        },
        "revoked_on": _iso(changed_on)
        if certificate.status == Certificate.Status.REVOKED
        else None,
        "suspended_on": _iso(changed_on)
        if certificate.status == Certificate.Status.SUSPENDED
        else None,
        "reason": (certificate.revocation_reason or None) if changed_status else None,
        "superseded_by": certificate.superseded_by.serial if certificate.superseded_by_id else None,
    }
    if certificate.show_scores and snapshot.get("part_scores"):
        data["scores"] = dict(snapshot["part_scores"])
    return data


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _organisation(printed: Any, certificate: Certificate, role: str) -> dict[str, str] | None:
    """The organisation as printed on the certificate, else as it is now."""
    if isinstance(printed, Mapping) and printed.get("name_en"):
        return {key: printed.get(key, "") for key in ("code", "name_en", "name_zh")}
    if getattr(certificate, f"{role}_id") is None:
        return None
    organisation = getattr(certificate, role)  # loaded only for a snapshot that lacks it
    return {
        "code": organisation.code,
        "name_en": organisation.name_en,
        "name_zh": organisation.name_zh,
    }


# Trust material


def trusted_jwks() -> dict[str, Any]:
    """The published JWKS: every credential key that signed and was not compromised."""
    return published_jwks(issuer_id())


def trusted_key(kid: str) -> dict[str, Any] | None:
    """One published credential key, as its kid URL answers it; None if unknown or revoked."""
    return published_key(kid, issuer_id())


def issuer_id() -> str:
    """The platform's issuer id, the origin its credentials and keys are named under."""
    return base_url() + "/"


def trusted_pdf_certificates() -> list[bytes]:
    """The X.509 certificates of every PDF key that signed and was not compromised."""
    keys = IssuerKey.objects.published(IssuerKey.Purpose.PDF).order_by("-created_at")
    return [key.certificate_pem.encode() for key in keys if key.certificate_pem]


# Files, checked without the database


@dataclass(frozen=True)
class FileCheck:
    """What checking an uploaded file found."""

    kind: FileKind
    integrity: Integrity
    serial: str | None
    detail: str
    # The credential the file carries, when its integrity was established.
    credential: dict[str, Any] | None = None
    certificate: Certificate | None = None
    # Refused unchecked: the file would cost far more to open than any certificate does.
    refused: bool = False

    def status(self, today: date | None = None) -> PublicStatus:
        """The status of the certificate the file names, or unknown."""
        if self.certificate is None:
            return "unknown"
        return self.certificate.public_status(today or timezone.localdate())

    def result(self, today: date | None = None) -> str:
        """One word for the log: the status, unless the file is not what was issued."""
        return "modified" if self.integrity == "modified" else self.status(today)

    @property
    def expires_on(self) -> date | None:
        """The expiry date the (trusted) credential states."""
        valid_until = (self.credential or {}).get("validUntil")
        try:
            return date.fromisoformat(str(valid_until)[:10]) if valid_until else None
        except ValueError:
            return None

    def offline_status(self, today: date | None = None) -> str:
        """valid or expired from the credential alone; revocation needs the database."""
        return expiry_state(self.expires_on, today or timezone.localdate())


def serial_of(credential: Mapping[str, Any]) -> str | None:
    """The serial a credential names: the last segment of its id, the verification URL."""
    credential_id = credential.get("id") if isinstance(credential, Mapping) else None
    if not isinstance(credential_id, str):
        return None
    segments = [s for s in urlsplit(credential_id).path.split("/") if s]
    return normalise_serial(unquote(segments[-1])) if segments else None


def is_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def pdf_signature(pdf: bytes, trusted_certificates: Iterable[bytes]) -> SignatureCheck:
    """Check the PDF against each trusted certificate; intact if any of them signed all of it."""
    found = SignatureCheck("unsigned", None, _("No trusted PDF signing certificate is known."))
    for certificate in trusted_certificates:
        found = inspect_pdf_signature(pdf, trusted_cert_pem=certificate)
        if found.status != "modified":
            return found
        # "modified" may mean "signed by another of our keys": try the next one.
    return found


def _credential_document(raw: bytes | None) -> dict[str, Any] | None:
    try:
        credential = json.loads(raw) if raw else None
    except (ValueError, RecursionError):
        return None
    return credential if isinstance(credential, dict) else None


def _token_text(raw: bytes | None) -> str | None:
    try:
        return raw.decode("ascii").strip() if raw else None
    except UnicodeDecodeError:
        return None


def refusal(error: AttachmentTooLarge) -> FileCheck:
    """The answer to a PDF whose embedded file is far larger than a certificate's."""
    detail = _(
        "This file was refused without being checked: its embedded file %(name)s unpacks to "
        "more than %(limit)s KB, and a certificate's is a few KB."
    ) % {"name": error.name, "limit": max(1, error.limit // 1024)}
    return FileCheck("pdf", "unknown", None, detail, refused=True)


def check_pdf_offline(
    pdf: bytes, *, trusted_certificates: Iterable[bytes], jwks: Mapping[str, Any] | None = None
) -> FileCheck:
    """Check a certificate PDF's signature (and, given a JWKS, its embedded VC-JWT).

    The embedded files are read first, each bounded: a PDF that would unpack to
    more than CERTIFICATES_MAX_EMBEDDED_BYTES is refused before anything else.
    """
    try:
        embedded = extract_attachments(
            pdf, [CREDENTIAL_JSON, CREDENTIAL_JWT], max_bytes=max_embedded_bytes()
        )
    except AttachmentTooLarge as error:
        return refusal(error)
    signature = pdf_signature(pdf, trusted_certificates)
    credential = _credential_document(embedded[CREDENTIAL_JSON])
    serial = serial_of(credential) if credential else None
    if signature.status == "unsigned":
        # Our certificates are always signed: one that carries a credential but no
        # signature had it stripped; anything else is simply not ours.
        integrity: Integrity = "modified" if credential else "unknown"
        return FileCheck("pdf", integrity, serial, signature.detail)
    if signature.status == "modified":
        return FileCheck("pdf", "modified", serial, signature.detail)
    if jwks is not None:
        token = _token_text(embedded[CREDENTIAL_JWT])
        if token is None:
            return FileCheck("pdf", "modified", serial, _("The signed credential is missing."))
        try:
            verified = verify_credential(token, jwks)
        except CredentialError as error:
            return FileCheck("pdf", "modified", serial, error.message)
        if credential is not None and verified.credential != credential:
            return FileCheck(
                "pdf", "modified", serial, _("The credential does not match its signed copy.")
            )
        credential = verified.credential
        serial = serial_of(credential)
    return FileCheck("pdf", "intact", serial, signature.detail, credential=credential)


def read_credential(data: bytes) -> tuple[str | None, dict[str, Any] | None]:
    """Split an uploaded credential into a VC-JWT or a plain JSON credential (or neither)."""
    try:
        text = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        return None, None
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):  # deep nesting is hostile, not a credential
            return None, None
        if not isinstance(document, dict):
            return None, None
        # VC-JOSE-COSE's EnvelopedVerifiableCredential carries the VC-JWT in a data: URL.
        envelope_id = document.get("id")
        if isinstance(envelope_id, str) and envelope_id.startswith(_ENVELOPE_PREFIX):
            return envelope_id[len(_ENVELOPE_PREFIX) :], None
        return None, document
    if text.count(".") == 2 and " " not in text:
        return text, None
    return None, None


def check_credential_offline(data: bytes, *, jwks: Mapping[str, Any]) -> FileCheck:
    """Check a VC-JWT against a JWKS; a plain JSON credential cannot be checked offline."""
    token, document = read_credential(data)
    if token is not None:
        try:
            verified = verify_credential(token, jwks)
        except CredentialError as error:
            integrity: Integrity = "unknown" if error.code == "malformed" else "modified"
            return FileCheck("credential", integrity, None, error.message)
        return FileCheck(
            "credential",
            "intact",
            serial_of(verified.credential),
            _("The credential's signature is valid."),
            credential=verified.credential,
        )
    if document is not None:
        return FileCheck(
            "credential",
            "unknown",
            serial_of(document),
            _("A credential JSON carries no signature; check the signed credential (.jwt)."),
        )
    return FileCheck(
        "unknown", "unknown", None, _("This is neither a certificate PDF nor a credential.")
    )


# Files, checked against what was issued


def check_file(data: bytes) -> FileCheck:
    """Check an uploaded PDF or credential against the platform's records and keys."""
    if is_pdf(data):
        return check_pdf(data)
    return check_credential(data)


def check_pdf(pdf: bytes) -> FileCheck:
    """A PDF is intact when its hash is the stored one and the platform's signature covers it."""
    digest = hashlib.sha256(pdf).hexdigest()
    found = check_pdf_offline(pdf, trusted_certificates=trusted_pdf_certificates())
    if found.refused:
        return found
    certificate = public_certificates().filter(pdf_sha256=digest).first()
    if certificate is None and found.serial:
        certificate = public_certificates().filter(serial=found.serial).first()
    if certificate is None:
        if found.integrity == "intact":
            return replace(
                found, integrity="unknown", detail=_("No certificate matches this file.")
            )
        return found
    same_bytes = bool(certificate.pdf_sha256) and hmac.compare_digest(
        digest, certificate.pdf_sha256
    )
    if found.integrity == "intact" and not same_bytes:
        found = replace(
            found, integrity="modified", detail=_("The file differs from the one issued.")
        )
    elif found.integrity == "unknown":
        found = replace(found, integrity="modified")
    return replace(found, serial=certificate.serial, certificate=certificate)


def check_credential(data: bytes) -> FileCheck:
    """Check a VC-JWT against the published JWKS, or a JSON credential against the signed one."""
    found = check_credential_offline(data, jwks=trusted_jwks())
    certificate = (
        public_certificates().filter(serial=found.serial).first() if found.serial else None
    )
    if certificate is None:
        if found.integrity == "intact":
            return replace(
                found, integrity="unknown", detail=_("No certificate matches this file.")
            )
        return found
    if found.integrity == "unknown" and found.kind == "credential":
        _token, document = read_credential(data)
        issued = _issued_credential(certificate)
        if document is not None and issued is not None:
            if document == issued:
                found = replace(
                    found,
                    integrity="intact",
                    credential=issued,
                    detail=_("The credential is exactly as issued."),
                )
            else:
                found = replace(
                    found,
                    integrity="modified",
                    detail=_("The credential differs from the one issued."),
                )
    return replace(found, certificate=certificate)


def _issued_credential(certificate: Certificate) -> dict[str, Any] | None:
    """The credential signed at issue, read back from the stored VC-JWT."""
    if not certificate.credential_jwt:
        return None
    try:
        return verify_credential(certificate.credential_jwt, trusted_jwks()).credential
    except CredentialError:
        return None


# The log


def log_verification(
    *,
    certificate: Certificate | None,
    serial_queried: str,
    channel: str,
    result: str,
    verifier=None,
    api_key=None,
) -> Verification:
    return Verification.objects.create(
        **_log_fields(certificate, serial_queried, channel, result, verifier, api_key)
    )


def log_verifications(
    entries: Iterable[tuple[Certificate | None, str, str]],
    *,
    channel: str,
    verifier=None,
    api_key=None,
) -> None:
    """Log many (certificate, serial queried, result) answers at once."""
    Verification.objects.bulk_create(
        [
            Verification(**_log_fields(certificate, serial, channel, result, verifier, api_key))
            for certificate, serial, result in entries
        ]
    )


def _log_fields(certificate, serial_queried, channel, result, verifier, api_key) -> dict[str, Any]:
    return {
        "certificate": certificate,
        "serial_queried": (serial_queried or "")[:64],
        "channel": channel,
        "result": result,
        "verifier": verifier if verifier is not None and verifier.is_authenticated else None,
        "api_key_prefix": api_key.prefix if api_key is not None else "",
    }
