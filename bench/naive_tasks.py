"""The naive issuance task: what a developer writes first, for the issuance benchmark.

Per certificate it reads the keys from the database, builds the credential,
renders with a fresh WeasyPrint setup (render_pdf_naive: fonts, stylesheet and
fetcher built per call), signs with a signer built from PEM each time, hashes,
stores and records. Nothing is artificially slowed; nothing is shared.
"""

import hashlib

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone


@shared_task(acks_late=True)
def render_certificate_naive(certificate_id: int) -> str:
    from certificates.credential import build_credential, credential_json, sign_credential
    from certificates.models import Certificate, IssuerKey
    from certificates.pdf import render_pdf_naive
    from certificates.pdfsign import sign_pdf
    from certificates.rendering import base_url, data_from_snapshot, pdf_name, pdf_storage

    certificate = Certificate.objects.get(pk=certificate_id)
    data = data_from_snapshot(certificate.snapshot)
    credential = build_credential(data)
    keys = IssuerKey.objects.filter(retired_at__isnull=True, revoked_at__isnull=True)
    credential_key = keys.filter(purpose=IssuerKey.Purpose.CREDENTIAL).latest("created_at")
    jwt = sign_credential(credential, credential_key.private_key_pem(), credential_key.kid)
    pdf = render_pdf_naive(data, credential_json=credential_json(credential), credential_jwt=jwt)
    pdf_key = keys.filter(purpose=IssuerKey.Purpose.PDF).latest("created_at")
    signed = sign_pdf(
        pdf,
        key_pem=pdf_key.private_key_pem(),
        cert_pem=pdf_key.certificate_pem.encode(),
        reason=f"Certificate {data.serial} issued by {data.issuer_name} / 证书签发",
        location=base_url(),
    )
    storage = pdf_storage()
    name = pdf_name(certificate.serial)
    storage.delete(name)
    stored = storage.save(name, ContentFile(signed))
    Certificate.objects.filter(pk=certificate.pk).update(
        pdf=stored,
        pdf_sha256=hashlib.sha256(signed).hexdigest(),
        credential_jwt=jwt,
        rendered_at=timezone.now(),
        render_state=Certificate.RenderState.DONE,
    )
    return "done"
