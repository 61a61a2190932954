"""A person's profile: the names certificates print, their language, and name change requests.

A social trainee (no school membership, no certificate yet) edits their names directly.
Anyone else asks: a NameChangeRequest waits for an administrator of a school the person is
a student of, whose approval copies the names to the Profile and writes an audit entry in
the same transaction. Certificates already issued keep the names they were issued with
(they hold their own copy, certificates.Certificate.holder_name_*).

This app is the lowest layer: whether a person holds certificates is read through the
user's reverse relation ``certificates`` (present when the certificates app is installed),
never by importing that app.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import audit
from .access import Role, is_platform_admin, organization_ids
from .models import Membership, NameChangeRequest, Organization, Profile
from .notifications import Kind, both, notify
from .services import profile_for

Status = NameChangeRequest.Status


def validate_latin_name(value: str) -> None:
    """The sign-up form's rule (lms.adapters.SignupForm): Latin letters only."""
    if not value.isascii():
        raise ValidationError(_("Use Latin letters only, e.g. Zhang Wei."), code="latin")


def holds_certificates(user) -> bool:
    manager = getattr(user, "certificates", None)
    return manager is not None and manager.exists()


def may_edit_names(user) -> bool:
    """Only a person no school vouches for and no certificate names edits names directly."""
    if (
        Membership.objects.active()
        .filter(user=user, organization__kind=Organization.Kind.SCHOOL)
        .exists()
    ):
        return False
    return not holds_certificates(user)


def _clean(name_native: str, name_latin: str) -> tuple[str, str]:
    name_native, name_latin = name_native.strip(), name_latin.strip()
    if not name_native or not name_latin:
        raise ValidationError(_("Give both names."), code="required")
    validate_latin_name(name_latin)
    return name_native, name_latin


@transaction.atomic
def change_names(user, *, name_native: str, name_latin: str) -> Profile:
    """A social trainee's own edit; anyone else must file a request."""
    if not may_edit_names(user):
        raise PermissionDenied(_("Your school approves changes to your name: send a request."))
    name_native, name_latin = _clean(name_native, name_latin)
    profile = profile_for(user)
    profile.name_native, profile.name_latin = name_native, name_latin
    profile.save(update_fields=["name_native", "name_latin"])
    return profile


def change_language(user, language: str) -> Profile:
    if language not in Profile.Language.values:
        raise ValidationError(_("Choose a language from the list."), code="invalid")
    profile = profile_for(user)
    profile.preferred_language = language
    profile.save(update_fields=["preferred_language"])
    return profile


def pending_request(user) -> NameChangeRequest | None:
    return NameChangeRequest.objects.pending().filter(user=user).first()


def request_name_change(
    user, *, name_native: str, name_latin: str, reason: str, evidence: str = ""
) -> NameChangeRequest:
    """File a request for the school to approve; one open request at a time."""
    name_native, name_latin = _clean(name_native, name_latin)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why your name changes."), code="required")
    profile = profile_for(user)
    if (name_native, name_latin) == (profile.name_native, profile.name_latin):
        raise ValidationError(_("These are already your names."), code="unchanged")
    try:
        with transaction.atomic():
            return NameChangeRequest.objects.create(
                user=user,
                old_name_native=profile.name_native,
                old_name_latin=profile.name_latin,
                name_native=name_native,
                name_latin=name_latin,
                reason=reason,
                evidence=evidence.strip(),
            )
    except IntegrityError:
        raise ValidationError(
            _("You already have a request waiting for your school."), code="pending"
        ) from None


@transaction.atomic
def withdraw_request(user, request_id: int) -> bool:
    return bool(
        NameChangeRequest.objects.pending()
        .filter(pk=request_id, user=user)
        .update(status=Status.WITHDRAWN, decided_at=timezone.now(), decided_by=user)
    )


def _student_school_ids(user_id: int) -> set[int]:
    return set(
        Membership.objects.active()
        .filter(user_id=user_id, role=Role.STUDENT, organization__kind=Organization.Kind.SCHOOL)
        .values_list("organization_id", flat=True)
    )


def reviewer_school_ids(reviewer) -> set[int]:
    return organization_ids(reviewer, [Role.ADMIN], kind=Organization.Kind.SCHOOL)


def can_review_any(reviewer) -> bool:
    return is_platform_admin(reviewer) or bool(reviewer_school_ids(reviewer))


def reviewable_requests(reviewer) -> QuerySet[NameChangeRequest]:
    """Requests of people who are students of a school the reviewer administers (never the
    reviewer's own)."""
    requests = NameChangeRequest.objects.select_related("user", "decided_by").exclude(
        user_id=reviewer.pk
    )
    if is_platform_admin(reviewer):
        return requests
    schools = reviewer_school_ids(reviewer)
    if not schools:
        return requests.none()
    # Exists, not a join: no duplicates, so no DISTINCT (which FOR UPDATE refuses).
    return requests.filter(
        Exists(
            Membership.objects.active().filter(
                user=OuterRef("user"), role=Role.STUDENT, organization_id__in=schools
            )
        )
    )


@transaction.atomic
def decide(reviewer, request_id: int, *, approve: bool, note: str = "") -> NameChangeRequest:
    """Approve (names copied to the Profile, audited) or reject a waiting request.

    Raises NameChangeRequest.DoesNotExist when the reviewer may not see it, ValidationError
    when it is no longer waiting.
    """
    change = (
        reviewable_requests(reviewer).select_for_update(of=("self",)).order_by().get(pk=request_id)
    )
    if change.status != Status.PENDING:
        raise ValidationError(_("This request was already decided."), code="decided")
    change.status = Status.APPROVED if approve else Status.REJECTED
    change.decided_at = timezone.now()
    change.decided_by = reviewer
    change.decision_note = note.strip()
    change.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    if approve:
        profile = Profile.objects.select_for_update().get(pk=profile_for(change.user).pk)
        before = {"name_native": profile.name_native, "name_latin": profile.name_latin}
        profile.name_native, profile.name_latin = change.name_native, change.name_latin
        profile.save(update_fields=["name_native", "name_latin"])
        schools = sorted(_student_school_ids(change.user_id) & reviewer_school_ids(reviewer))
        audit.record(
            audit.Action.NAME_CHANGED,
            obj=profile,
            actor=reviewer,
            organization=schools[0] if schools else None,
            before=before,
            after={"name_native": profile.name_native, "name_latin": profile.name_latin},
            note=change.reason,
            label=change.user.get_username(),
        )
    _notify_decided(change)
    return change


def _notify_decided(change: NameChangeRequest) -> None:
    """Tell the person their request was decided (in the decision's transaction)."""
    approved = change.status == Status.APPROVED
    note = change.decision_note
    notify(
        change.user,
        Kind.NAME_CHANGE_DECIDED,
        params={
            "outcome": both(
                lambda: (
                    pgettext("name change", "approved")
                    if approved
                    else pgettext("name change", "rejected")
                )
            ),
            "name_native": change.name_native,
            "name_latin": change.name_latin,
            "note": both(lambda: " " + _("Note: %(note)s") % {"note": note} if note else ""),
        },
        url=reverse("account_profile"),
    )
