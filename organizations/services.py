"""Write paths for organisations and people; the module other apps call."""

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Membership, Organization, Profile


def profile_for(user) -> Profile:
    """The user's profile, created empty on first need."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def membership_grant(*, user, organization: Organization, role: str) -> Membership:
    membership = Membership(user=user, organization=organization, role=role)
    membership.full_clean(exclude=["user", "organization"], validate_unique=False)
    membership, _ = Membership.objects.update_or_create(
        user=user, organization=organization, role=role, defaults={"is_active": True}
    )
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
