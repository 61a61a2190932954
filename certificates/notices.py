"""The notifications certificates send (organizations.notifications), each called by the
service where the event happens, inside its transaction: a certificate issued or revoked to
its holder, a batch finished to the person who asked for it."""

from django.urls import reverse

from organizations.notifications import Kind, both, notify

from .models import Certificate, IssuanceBatch


def _title(certificate: Certificate) -> dict[str, str]:
    snapshot = certificate.snapshot or {}
    titles = {}
    for language, suffix, other in (("en", "en", "zh"), ("zh-hans", "zh", "en")):
        name = snapshot.get(f"achievement_name_{suffix}") or snapshot.get(
            f"achievement_name_{other}", ""
        )
        level = snapshot.get(f"level_name_{suffix}") or snapshot.get(f"level_name_{other}", "")
        titles[language] = f"{name} — {level}" if level else name
    return titles


def certificate_issued(certificate: Certificate) -> None:
    notify(
        certificate.holder,
        Kind.CERTIFICATE_ISSUED,
        params={"serial": certificate.serial, "title": _title(certificate)},
        url=reverse("certificates:mine"),
    )


def certificate_revoked(certificate: Certificate) -> None:
    reason = certificate.revocation_reason
    notify(
        certificate.holder,
        Kind.CERTIFICATE_REVOKED,
        params={
            "serial": certificate.serial,
            "reason": both(lambda: Certificate.RevocationReason(reason).label if reason else "—"),
        },
        url=reverse("certificates:mine"),
    )


def batch_finished(batch: IssuanceBatch, progress: dict) -> None:
    exam = batch.exam
    notify(
        batch.requested_by,
        Kind.BATCH_FINISHED,
        params={
            "exam": {
                "en": exam.title_en or exam.title_zh,
                "zh-hans": exam.title_zh or exam.title_en,
            },
            "rendered": progress.get("rendered", 0),
            "failed": progress.get("failed", 0),
        },
        url=reverse("certificates:batch_progress", args=[batch.pk]),
    )
