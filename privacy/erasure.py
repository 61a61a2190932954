"""Erasure at the person's request: personal data removed or pseudonymised, records kept.

What happens, in one transaction (``person_erase``):

- the account: username replaced by a pseudonym (``erased-…``), email, first and last name
  cleared, password made unusable, login disabled; its email addresses, second factors,
  API tokens, sessions, notifications and notification choices deleted;
- the profile's names cleared, and the person's name change requests deleted;
- the files the person uploaded as answers deleted (the answers' marks and texts stay, as
  the school's assessment record, now under the pseudonym);
- each certificate kept as a record that still verifies by serial, with the holder's name
  removed from its columns and snapshot and marked "withheld" (verification answers say the
  name is withheld at the holder's request); its stored PDF and signed credential, which
  print the name, are deleted (their hashes stay, so a copy the person handed out still
  verifies as genuine). Or, if the person chose so, each valid certificate is revoked first.
- an audit entry (``person.erased``) naming only the pseudonym, in each organisation the
  person belonged to (the memberships stay, under the pseudonym).

Audit entries written before are append-only (a database trigger refuses changes) and keep
the username they were written with: the trail is a record the platform must keep.
"""

import secrets

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction

from certificates.models import Certificate
from certificates.rendering import pdf_storage
from certificates.revocation import StatusChangeError, certificate_revoke
from exams import uploads
from exams.models import AttemptQuestion
from organizations import audit
from organizations.models import (
    AccessToken,
    Membership,
    NameChangeRequest,
    Notification,
    NotificationPreference,
    Profile,
)

PSEUDONYM_PREFIX = "erased-"
WITHHELD_KEY = "name_withheld"


class ErasureError(Exception):
    """The erasure cannot be carried out; the message says why."""


def is_erased(user) -> bool:
    return user.get_username().startswith(PSEUDONYM_PREFIX) and not user.has_usable_password()


def new_pseudonym() -> str:
    User = get_user_model()
    while True:
        pseudonym = f"{PSEUDONYM_PREFIX}{secrets.token_hex(6)}"
        if not User.objects.filter(username=pseudonym).exists():
            return pseudonym


def person_erase(*, user, revoke_certificates: bool = False, by=None) -> str:
    """Erase the person's personal data (see the module); returns their pseudonym.

    `by` is who carried it out (None: the person themselves). Files are deleted once the
    transaction has committed, so a failure leaves everything as it was.
    """
    if is_erased(user):
        raise ErasureError("This person's data has already been erased.")
    files: list[tuple[object, str]] = []
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        certificates = list(Certificate.objects.select_for_update().filter(holder=user))
        revoked = 0
        if revoke_certificates:
            for certificate in certificates:
                if certificate.status == Certificate.Status.REVOKED:
                    continue
                try:
                    certificate_revoke(
                        certificate=certificate,
                        reason=Certificate.RevocationReason.OTHER,
                        by=by or user,
                        note="Revoked at the holder's request (erasure of personal data).",
                    )
                except StatusChangeError:
                    continue
                revoked += 1
            certificates = list(Certificate.objects.select_for_update().filter(holder=user))
        for certificate in certificates:
            if certificate.pdf.name:
                files.append((pdf_storage(), certificate.pdf.name))
            snapshot = dict(certificate.snapshot) if isinstance(certificate.snapshot, dict) else {}
            snapshot.update({"holder_name_native": "", "holder_name_latin": "", WITHHELD_KEY: True})
            Certificate.objects.filter(pk=certificate.pk).update(
                snapshot=snapshot,
                holder_name_native="",
                holder_name_latin="",
                show_full_name=False,
                pdf="",
                credential_jwt="",
            )
        attempt_ids = set()
        for question in AttemptQuestion.objects.select_for_update().filter(attempt__student=user):
            attempt_ids.add(question.attempt_id)
            response = question.response
            if isinstance(response, dict) and response.get("file"):
                files.append((default_storage, response["file"]))
                question.response = {**response, "file": None}
                question.save(update_fields=["response"])
        Profile.objects.filter(user=user).update(name_native="", name_latin="")
        NameChangeRequest.objects.filter(user=user).delete()  # they hold old and new names
        AccessToken.objects.filter(user=user).delete()
        Notification.objects.filter(user=user).delete()
        NotificationPreference.objects.filter(user=user).delete()
        _delete_account_extras(user)
        pseudonym = new_pseudonym()
        user.username = pseudonym
        user.email = ""
        user.first_name = ""
        user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        after = {
            "certificates_kept": len(certificates),
            "certificates_revoked": revoked,
            "answer_files_deleted": sum(1 for storage, _ in files if storage is default_storage),
        }
        # One entry per organisation the person belonged to, so its administrators see it.
        organizations = sorted(
            set(Membership.objects.filter(user=user).values_list("organization_id", flat=True))
        )
        for organization in organizations or [None]:
            audit.record(
                audit.Action.PERSON_ERASED,
                obj=user,
                actor=by,
                actor_name="" if by else pseudonym,
                label=pseudonym,
                organization=organization,
                after=after,
            )
        transaction.on_commit(lambda: _delete_files(files, attempt_ids))
    return pseudonym


def _delete_account_extras(user) -> None:
    """allauth's rows, where the project installs it: email addresses, second factors and
    sessions (each session ended). Django's own sessions end anyway: the password changed."""
    if apps.is_installed("allauth.account"):
        from allauth.account.models import EmailAddress

        EmailAddress.objects.filter(user=user).delete()
    if apps.is_installed("allauth.mfa"):
        from allauth.mfa.models import Authenticator

        Authenticator.objects.filter(user=user).delete()
    if apps.is_installed("allauth.usersessions"):
        from allauth.usersessions.models import UserSession

        for session in UserSession.objects.filter(user=user):
            session.end()


def _delete_files(files, attempt_ids) -> None:
    """The named files, and every file (replaced ones too) under the person's attempts."""
    for storage, name in files:
        storage.delete(name)
    for attempt_id in attempt_ids:
        folder = f"{uploads.ROOT}/{attempt_id}"
        try:
            positions, _ = default_storage.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        for position in positions:
            _, names = default_storage.listdir(f"{folder}/{position}")
            for name in names:
                default_storage.delete(f"{folder}/{position}/{name}")
