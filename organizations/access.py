"""Who belongs where, with which role: the primitives other apps' access rules use."""

from collections.abc import Iterable

from .models import Membership, Organization

Role = Membership.Role


def is_platform_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def organization_ids(user, roles: Iterable[str], *, kind: str | None = None) -> set[int]:
    """Ids of the organisations where the user holds any of `roles` (cached per request user).

    `kind` keeps only organisations of that kind: an administrator of an enterprise is
    not an administrator of a school.
    """
    if not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_cbec_role_cache", None)
    if cache is None:
        cache = {}
        rows = Membership.objects.of(user).values_list(
            "organization_id", "role", "organization__kind"
        )
        for org_id, role, org_kind in rows:
            cache.setdefault(role, {})[org_id] = org_kind
        user.__dict__["_cbec_role_cache"] = cache
    return {
        org_id
        for role in roles
        for org_id, org_kind in cache.get(role, {}).items()
        if kind is None or org_kind == kind
    }


def has_role(user, organization: Organization | int | None, *roles: str) -> bool:
    """True when the user holds one of `roles` in `organization` (or anywhere when it is None)."""
    ids = organization_ids(user, roles)
    if organization is None:
        return bool(ids)
    org_id = organization if isinstance(organization, int) else organization.pk
    return org_id in ids


def can_manage_organization(user, organization: Organization) -> bool:
    return is_platform_admin(user) or has_role(user, organization, Role.ADMIN)
