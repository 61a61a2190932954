"""Revoke, suspend and reinstate certificates: one atomic write path for each.

Callers check permission first with ``certificates.access.can_change_status``.
Revocation is final (a revoked certificate never becomes valid again; a new
one is issued instead), so it sets the certificate's bit in the "revocation"
status list for good. Suspension is a pause, for an open investigation, and
is lifted by reinstatement: it sets and clears the bit in the separate
"suspension" list only. The lists read these columns directly, so a change
shows there as soon as it commits (see ``certificates.status_list``).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations import audit

from . import notices
from .models import Certificate
from .signals import certificate_revoked

Status = Certificate.Status
Reason = Certificate.RevocationReason
# Every status change is kept in the audit trail with its note and author: the
# certificate's own columns hold only the latest change.
AUDIT_ACTIONS = {
    Status.REVOKED: audit.Action.CERTIFICATE_REVOKED,
    Status.SUSPENDED: audit.Action.CERTIFICATE_SUSPENDED,
    Status.VALID: audit.Action.CERTIFICATE_REINSTATED,
}


class StatusChangeError(ValueError):
    """The certificate cannot move to that status from where it is."""


def certificate_revoke(*, certificate: Certificate, reason: str, by, note: str = "") -> Certificate:
    """Revoke a valid or suspended certificate for one of the published reasons."""
    if reason not in Reason.values:
        raise StatusChangeError(_("Choose one of the listed reasons."))
    return _change(
        certificate,
        to=Status.REVOKED,
        allowed_from={Status.VALID, Status.SUSPENDED},
        reason=reason,
        by=by,
        note=note,
    )


def certificate_suspend(
    *, certificate: Certificate, by, note: str = "", reason: str = ""
) -> Certificate:
    """Suspend a valid certificate while something is looked into."""
    if reason and reason not in Reason.values:
        raise StatusChangeError(_("Choose one of the listed reasons."))
    return _change(
        certificate,
        to=Status.SUSPENDED,
        allowed_from={Status.VALID},
        reason=reason,
        by=by,
        note=note,
    )


def certificate_reinstate(*, certificate: Certificate, by, note: str = "") -> Certificate:
    """Lift a suspension; a revoked certificate cannot be reinstated."""
    return _change(
        certificate,
        to=Status.VALID,
        allowed_from={Status.SUSPENDED},
        reason="",
        by=by,
        note=note,
    )


@transaction.atomic
def _change(
    certificate: Certificate, *, to: str, allowed_from: set[str], reason: str, by, note: str
) -> Certificate:
    # Lock the row: two teachers acting at once must not both see "valid".
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status not in allowed_from:
        raise StatusChangeError(
            _("A %(status)s certificate cannot become %(target)s.")
            % {"status": locked.get_status_display().lower(), "target": Status(to).label.lower()}
        )
    before = {"status": locked.status, "revocation_reason": locked.revocation_reason}
    locked.status = to
    locked.revocation_reason = reason
    locked.status_note = note
    locked.status_changed_at = timezone.now()
    locked.status_changed_by = by if by is not None and by.is_authenticated else None
    locked.save(
        update_fields=[
            "status",
            "revocation_reason",
            "status_note",
            "status_changed_at",
            "status_changed_by",
        ]
    )
    audit.record(
        AUDIT_ACTIONS[to],
        obj=locked,
        actor=by,
        organization=locked.school_id,
        authority=locked.government_id,
        label=locked.serial,
        before=before,
        after={"status": to, "revocation_reason": reason},
        note=note,
    )
    if to == Status.REVOKED:
        notices.certificate_revoked(locked)
        certificate_revoked.send(sender=Certificate, certificate=locked)
    for name in ("status", "revocation_reason", "status_note", "status_changed_at"):
        setattr(certificate, name, getattr(locked, name))
    certificate.status_changed_by_id = locked.status_changed_by_id
    return certificate
