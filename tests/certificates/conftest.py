"""Certificates as issuance makes them, built directly: a row, its signed credential, its PDF.

Key material is generated once per session and the PDF of the same facts is
rendered once, so tests that need a real signed PDF stay fast.
"""

import functools
import hashlib
import json
from datetime import timedelta
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from joserfc import jws
from joserfc.jwk import OKPKey
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from certificates.credential import (
    CertificateData,
    build_credential,
    credential_json,
    generate_signing_key,
    sign_credential,
)
from certificates.issuance import org_name
from certificates.key_encryption import encrypt_private_key
from certificates.models import Certificate, IssuerKey
from certificates.pdf import render_pdf
from certificates.pdfsign import generate_platform_certificate, sign_pdf
from certificates.rendering import data_from_snapshot, snapshot_from_data
from certificates.serials import serial_of
from tests import factories

BASE = "http://testserver"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Files under a temporary MEDIA_ROOT; no throttle or guess counts left by another test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@functools.cache
def key_material() -> dict:
    credential_private, credential_jwk = generate_signing_key()
    pdf_key, pdf_cert = generate_platform_certificate("CBEC Academy Certificate Signing")
    return {
        "credential_private": credential_private,
        "credential_jwk": credential_jwk,
        "pdf_key": pdf_key,
        "pdf_cert": pdf_cert,
    }


@pytest.fixture
def issuer_keys(db) -> dict[str, IssuerKey]:
    """The platform's credential and PDF keys, as keys.active_key() would find them."""
    material = key_material()
    credential = IssuerKey.objects.create(
        purpose=IssuerKey.Purpose.CREDENTIAL,
        kid=material["credential_jwk"]["kid"],
        private_key_encrypted=encrypt_private_key(material["credential_private"]),
        public_jwk=material["credential_jwk"],
    )
    pdf = IssuerKey.objects.create(
        purpose=IssuerKey.Purpose.PDF,
        kid="x509-test",
        private_key_encrypted=encrypt_private_key(material["pdf_key"]),
        certificate_pem=material["pdf_cert"].decode(),
    )
    return {"credential": credential, "pdf": pdf}


def serial_for(number: int) -> str:
    """A valid, deterministic serial (so the same facts render to one cached PDF)."""
    return serial_of(number)


snapshot_of = snapshot_from_data


def legacy_sign(credential: dict, private_pem: bytes, kid: str) -> str:
    """Sign as the platform did before OB 3.0's VC-JWT format: alg "Ed25519", typ "vc+jwt",
    the bare thumbprint as kid, and the credential alone as payload (no JWT claims)."""
    header = {"alg": "Ed25519", "typ": "vc+jwt", "kid": kid}
    payload = json.dumps(credential, ensure_ascii=False, separators=(",", ":")).encode()
    return jws.serialize_compact(
        header, payload, OKPKey.import_key(private_pem), algorithms=["Ed25519"]
    )


@functools.cache
def _signed_token(snapshot_json: str, legacy: bool = False) -> str:
    """The credential of a snapshot, signed as a VC-JWT (the old way, if legacy)."""
    data = _data_from_snapshot(json.loads(snapshot_json))
    material = key_material()
    sign = legacy_sign if legacy else sign_credential
    return sign(
        build_credential(data), material["credential_private"], material["credential_jwk"]["kid"]
    )


@functools.cache
def _signed_pdf(snapshot_json: str, legacy: bool = False) -> bytes:
    """The signed PDF of a snapshot (cached: rendering takes a while)."""
    data = _data_from_snapshot(json.loads(snapshot_json))
    material = key_material()
    pdf = render_pdf(
        data,
        credential_json=credential_json(build_credential(data)),
        credential_jwt=_signed_token(snapshot_json, legacy),
    )
    return sign_pdf(
        pdf,
        key_pem=material["pdf_key"],
        cert_pem=material["pdf_cert"],
        reason=f"Certificate {data.serial} issued",
        location=BASE,
    )


_data_from_snapshot = data_from_snapshot


@pytest.fixture
def make_certificate(issuer_keys, student, school, enterprise, government):
    """Build a certificate the way issuance does; with_pdf=True also renders and stores its PDF.

    The PDF's bytes are on `certificate.pdf_bytes`. legacy=True makes one issued before the
    suspension list and OB 3.0's VC-JWT format: one status entry, a token signed the old way.
    """
    counter = iter(range(1, 10_000))

    def make(
        holder=None,
        *,
        kind: str = "skill_level",
        status: str = Certificate.Status.VALID,
        reason: str = "",
        expired: bool = False,
        with_pdf: bool = False,
        show_full_name: bool = False,
        show_scores: bool = False,
        superseded_by: Certificate | None = None,
        legacy: bool = False,
    ) -> Certificate:
        holder = holder or student
        number = next(counter)
        serial = serial_for(number)
        today = timezone.localdate()
        issued_on = today - timedelta(days=(4 * 365 if expired else 30))
        expires_on = None if kind == "course" else issued_on + timedelta(days=3 * 365)
        skill = kind == "skill_level"
        profile = holder.profile
        data = CertificateData(
            serial=serial,
            kind=kind,
            holder_name_native=profile.name_native,
            holder_name_latin=profile.name_latin,
            achievement_name_en="CBEC Platform Operation" if skill else "SEO Marketing",
            achievement_name_zh="跨境电商平台运营" if skill else "搜索引擎优化营销",
            standard_code="CBEC-PO" if skill else "seo-marketing",
            standard_version="2025" if skill else "1",
            level=2 if skill else None,
            level_name_en="Intermediate" if skill else "",
            level_name_zh="中级" if skill else "",
            part_scores={"理论 Theory": "86.5", "实操 Practical": "91"} if skill else {},
            school=org_name(school),
            enterprise=org_name(enterprise),
            government=org_name(government) if skill else None,
            issued_on=issued_on,
            expires_on=expires_on,
            verify_url=f"{BASE}/verify/{serial}/",
            status_list_url=f"{BASE}/credentials/status/1",
            status_list_index=number,
            suspension_list_url="" if legacy else f"{BASE}/credentials/status/2",
            issuer_id=f"{BASE}/",
        )
        snapshot = snapshot_of(data)
        if legacy:
            del snapshot["suspension_list_url"]
        snapshot_json = json.dumps(snapshot, sort_keys=True)
        token = _signed_token(snapshot_json, legacy)
        pdf = _signed_pdf(snapshot_json, legacy) if with_pdf else None
        certificate = Certificate.objects.create(
            serial=serial,
            kind=kind,
            holder=holder,
            snapshot=snapshot,
            holder_name_native=data.holder_name_native,
            holder_name_latin=data.holder_name_latin,
            standard_code=data.standard_code,
            level=data.level,
            school=school,
            enterprise=enterprise,
            government=government if skill else None,
            issued_on=issued_on,
            expires_on=expires_on,
            status=status,
            revocation_reason=reason,
            status_changed_at=None if status == Certificate.Status.VALID else timezone.now(),
            status_note="internal note: do not show" if status != "valid" else "",
            is_current=superseded_by is None,
            superseded_by=superseded_by,
            status_list_index=number,
            credential_jwt=token,
            show_full_name=show_full_name,
            show_scores=show_scores,
        )
        if with_pdf:
            name = default_storage.save(f"certificates/pdf/{serial}.pdf", ContentFile(pdf))
            certificate.pdf = name
            certificate.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
            certificate.render_state = Certificate.RenderState.DONE
            certificate.rendered_at = timezone.now()
            certificate.save()
        certificate.pdf_bytes = pdf if with_pdf else None
        return certificate

    return make


@pytest.fixture
def certificate(make_certificate):
    return make_certificate()


@pytest.fixture
def pdf_certificate(make_certificate):
    return make_certificate(with_pdf=True)


def make_with_status(make_certificate, status: str) -> Certificate:
    """A certificate whose public status is `status` (valid, expired, revoked, ...)."""
    if status == "expired":
        return make_certificate(expired=True)
    if status == "revoked":
        return make_certificate(status="revoked", reason="misconduct")
    if status == "suspended":
        return make_certificate(status="suspended")
    if status == "superseded":
        newer = make_certificate()
        return make_certificate(superseded_by=newer)
    return make_certificate()


PUBLIC_STATUSES = ["valid", "expired", "revoked", "suspended", "superseded"]


# Tampering


def change_one_byte(pdf: bytes) -> bytes:
    """Flip a byte inside the page content, well inside the signed range."""
    position = len(pdf) // 3
    return pdf[:position] + bytes([pdf[position] ^ 0x01]) + pdf[position + 1 :]


def add_incremental_update(pdf: bytes) -> bytes:
    """Append a well-formed incremental update (a changed /Title) after the signature."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    info = writer.root
    info["/Lang"] = generic.TextStringObject("en-US")
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


# People


@pytest.fixture
def enterprise_admin(enterprise):
    return factories.person("hr_admin", enterprise, "admin")


@pytest.fixture
def school_admin(school):
    return factories.person("registrar", school, "admin")


@pytest.fixture
def platform_admin(db):
    user = get_user_model().objects.create_superuser("root", "root@example.org", factories.PASSWORD)
    return user
