"""Write paths for organisations and people; the module other apps call."""

from django.contrib.auth import get_user_model
from django.db import transaction

from . import audit
from .models import Membership, Organization, Profile


def profile_for(user) -> Profile:
    """The user's profile, created empty on first need."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def _membership_label(membership: Membership) -> str:
    return f"{membership.user.get_username()} · {membership.role} · {membership.organization.code}"


@transaction.atomic
def membership_grant(
    *, user, organization: Organization, role: str, by=None, note: str = ""
) -> Membership:
    """Give `user` the role in `organization` (again, if it was withdrawn); audited when
    it changes anything."""
    membership = Membership(user=user, organization=organization, role=role)
    membership.full_clean(exclude=["user", "organization"], validate_unique=False)
    existing = (
        Membership.objects.select_for_update()
        .filter(user=user, organization=organization, role=role)
        .first()
    )
    if existing is not None and existing.is_active:
        return existing
    membership, _ = Membership.objects.update_or_create(
        user=user, organization=organization, role=role, defaults={"is_active": True}
    )
    audit.record(
        audit.Action.MEMBERSHIP_GRANTED,
        obj=membership,
        actor=by,
        organization=organization,
        label=_membership_label(membership),
        before={"role": role, "is_active": False} if existing is not None else {},
        after={"role": role, "is_active": True, "user": user.get_username()},
        note=note,
    )
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, by=None, note: str = "") -> Membership:
    """Withdraw a role: the membership is kept, inactive, so the trail can still name it."""
    locked = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "organization")
        .get(pk=membership.pk)
    )
    if locked.is_active:
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        audit.record(
            audit.Action.MEMBERSHIP_REVOKED,
            obj=locked,
            actor=by,
            organization=locked.organization_id,
            label=_membership_label(locked),
            before={"role": locked.role, "is_active": True},
            after={"role": locked.role, "is_active": False, "user": locked.user.get_username()},
            note=note,
        )
    membership.is_active = False
    return membership


@transaction.atomic
def person_create(
    *,
    username: str,
    password: str | None,
    email: str = "",
    name_native: str = "",
    name_latin: str = "",
    preferred_language: str = Profile.Language.CHINESE,
):
    """Create a user with their profile; returns the user."""
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    Profile.objects.create(
        user=user,
        name_native=name_native,
        name_latin=name_latin,
        preferred_language=preferred_language,
    )
    return user


@transaction.atomic
def member_create(
    *,
    organization: Organization,
    role: str,
    username: str,
    email: str = "",
    name_native: str = "",
    name_latin: str = "",
    by=None,
):
    """A new account for the organisation with one role and no usable password: its owner
    chooses one through an invitation link (organizations.invitations)."""
    user = person_create(
        username=username,
        password=None,
        email=email,
        name_native=name_native,
        name_latin=name_latin,
    )
    membership_grant(user=user, organization=organization, role=role, by=by)
    return user
