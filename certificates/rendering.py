"""Turn a certificate's snapshot into its signed credential and signed PDF, stored once.

The PDF is stored under a name derived from the serial, so a render retried
after a crash (file written, row not yet updated) replaces the file instead of
leaving a second one beside it. Storing and recording happen while the
certificate's row is locked, so two renders of the same certificate (a sweep
re-queued it while the first was still running) cannot interleave: the second
finds the first's result and keeps it.
"""

import dataclasses
import hashlib
import logging
import os
import time
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import F
from django.template.loader import select_template
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .credential import (
    CertificateData,
    OrgName,
    build_credential,
    credential_json,
    sign_credential,
)
from .keys import Purpose, active_key
from .models import Certificate
from .pdf import DEFAULT_TEMPLATE, render_pdf
from .pdfsign import sign_pdf

logger = logging.getLogger(__name__)

PDF_DIRECTORY = "certificates/pdf"
# Fault injection for tests only: seconds to pause between storing the PDF and recording it,
# the window in which a crash leaves a stored file and an unrecorded render.
RENDER_DELAY_ENV = "CERTIFICATES_RENDER_DELAY_SECONDS"
_ORG_FIELDS = ("school", "enterprise", "government")


def template_for(data) -> str:
    """A school may have its own design, `certificates/pdf/<school code>.html`; else the default."""
    candidates = [f"certificates/pdf/{data.school.code}.html", DEFAULT_TEMPLATE]
    return select_template(candidates).template.name


def base_url() -> str:
    """The public origin certificates point to (setting CERTIFICATES_BASE_URL)."""
    return getattr(settings, "CERTIFICATES_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def sweep_after() -> timedelta:
    """How long a render may stay pending before the sweeper queues it again."""
    return timedelta(seconds=int(getattr(settings, "CERTIFICATES_SWEEP_AFTER_SECONDS", 120)))


def pdf_name(serial: str) -> str:
    """The one storage name a certificate's PDF ever has, which its serial does not give away.

    The serial is public (every QR code shows it), so the name is a keyed hash of it: the same
    on every retry, which keeps a crashed render from leaving a second file, and unguessable
    without SECRET_KEY. Rows keep the name they were stored under (downloads read `pdf.name`).
    """
    token = salted_hmac("certificates.pdf-name", serial, algorithm="sha256").hexdigest()
    return f"{PDF_DIRECTORY}/{token}.pdf"


# --- Snapshot <-> CertificateData --------------------------------------------------------------


def snapshot_from_data(data: CertificateData) -> dict[str, Any]:
    """The JSON form of a certificate's facts, as stored in Certificate.snapshot."""
    snapshot = dataclasses.asdict(data)
    snapshot["part_scores"] = dict(data.part_scores)
    snapshot["issued_on"] = data.issued_on.isoformat()
    snapshot["expires_on"] = data.expires_on.isoformat() if data.expires_on else None
    return snapshot


def data_from_snapshot(snapshot: dict[str, Any]) -> CertificateData:
    """Rebuild the certificate's facts from its stored snapshot (unknown keys are ignored)."""
    names = {field.name for field in dataclasses.fields(CertificateData)}
    values = {key: value for key, value in snapshot.items() if key in names}
    for key in _ORG_FIELDS:
        if values.get(key) is not None:
            values[key] = OrgName(**values[key])
    values["issued_on"] = date.fromisoformat(values["issued_on"])
    if values.get("expires_on"):
        values["expires_on"] = date.fromisoformat(values["expires_on"])
    return CertificateData(**values)


# --- Rendering -----------------------------------------------------------------------------------


def certificate_render(*, certificate_id: int) -> Certificate:
    """Sign, render, PAdES-sign and store the certificate's PDF; idempotent once done."""
    certificate = Certificate.objects.get(pk=certificate_id)
    if is_rendered(certificate):
        return certificate
    Certificate.objects.filter(pk=certificate.pk).update(render_tries=F("render_tries") + 1)
    signed, jwt = signed_pdf(data_from_snapshot(certificate.snapshot))
    return _store(certificate, pdf=signed, jwt=jwt)


def signed_pdf(data: CertificateData) -> tuple[bytes, str]:
    """The PAdES-signed PDF, carrying the signed credential, and that credential's VC-JWT."""
    credential = build_credential(data)
    credential_key = active_key(Purpose.CREDENTIAL)
    jwt = sign_credential(credential, credential_key.private_key_pem(), credential_key.kid)
    pdf = render_pdf(
        data,
        template_name=template_for(data),
        credential_json=credential_json(credential),
        credential_jwt=jwt,
    )
    pdf_key = active_key(Purpose.PDF)
    signed = sign_pdf(
        pdf,
        key_pem=pdf_key.private_key_pem(),
        cert_pem=pdf_key.certificate_pem.encode(),
        reason=f"Certificate {data.serial} issued by {data.issuer_name} / 证书签发",
        location=base_url(),
    )
    return signed, jwt


def _store(certificate: Certificate, *, pdf: bytes, jwt: str) -> Certificate:
    """Replace the stored file and record it, under the row's lock."""
    storage = pdf_storage()
    name = pdf_name(certificate.serial)
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        row = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if is_rendered(row):
            return row  # a concurrent render of the same certificate finished first
        storage.delete(name)
        stored = storage.save(name, ContentFile(pdf))
        if stored != name:
            raise RuntimeError(f"Storage renamed {name} to {stored}; refusing a second file.")
        _injected_delay()
        Certificate.objects.filter(pk=row.pk).update(
            pdf=stored,
            pdf_sha256=digest,
            credential_jwt=jwt,
            rendered_at=timezone.now(),
            render_state=Certificate.RenderState.DONE,
        )
    row.refresh_from_db()
    return row


def certificate_render_failed(*, certificate_id: int) -> None:
    """Record that rendering gave up (after the task's last retry)."""
    Certificate.objects.filter(pk=certificate_id).exclude(
        render_state=Certificate.RenderState.DONE
    ).update(render_state=Certificate.RenderState.FAILED)


def is_rendered(certificate: Certificate) -> bool:
    """Done, and the stored file is there with the recorded SHA-256."""
    if certificate.render_state != Certificate.RenderState.DONE or not certificate.pdf:
        return False
    return stored_pdf_sha256(certificate) == certificate.pdf_sha256


def stored_pdf_sha256(certificate: Certificate) -> str | None:
    """SHA-256 of the stored PDF, or None when it is missing."""
    storage = pdf_storage()
    if not certificate.pdf.name or not storage.exists(certificate.pdf.name):
        return None
    digest = hashlib.sha256()
    with storage.open(certificate.pdf.name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def stale_render_ids(now=None) -> list[int]:
    """Certificates still pending long after they were issued: their task was probably lost."""
    cutoff = (now or timezone.now()) - sweep_after()
    return list(
        Certificate.objects.awaiting_render()
        .filter(created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:1000]
    )


def pdf_storage() -> Storage:
    return Certificate._meta.get_field("pdf").storage


def _injected_delay() -> None:
    seconds = float(os.environ.get(RENDER_DELAY_ENV) or 0)
    if seconds > 0:
        logger.warning("Pausing %s s before recording a render (%s).", seconds, RENDER_DELAY_ENV)
        time.sleep(seconds)
