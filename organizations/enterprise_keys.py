"""An enterprise's own API keys page: which enterprises a person manages, and rotation.

Creating and revoking are organizations.api_keys' services (the admin calls them
too); rotating writes the replacement and revokes the old key in a single transaction,
so a key is never left revoked without its replacement, nor replaced without being
revoked, and records it as one audited action (old prefix before, new prefix after).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .access import Role, is_platform_admin, organization_ids
from .api_keys import SCOPES, can_manage_api_keys, insert_key
from .models import ApiKey, Organization

__all__ = ["SCOPES", "api_key_rotate", "enterprise_keys", "managed_enterprises"]


def managed_enterprises(user):
    """The enterprises whose keys the user manages: where they are an administrator, or every
    active enterprise for a platform administrator."""
    enterprises = Organization.objects.filter(kind=Organization.Kind.ENTERPRISE, is_active=True)
    if is_platform_admin(user):
        return enterprises
    return enterprises.filter(
        pk__in=organization_ids(user, [Role.ADMIN], kind=Organization.Kind.ENTERPRISE)
    )


def enterprise_keys(organization: Organization):
    """The enterprise's keys, active first, newest first, with who created them."""
    return (
        ApiKey.objects.filter(organization=organization)
        .select_related("created_by", "replaced_by")
        .order_by("revoked_at", "-created_at")
    )


def api_key_rotate(*, api_key: ApiKey, by) -> tuple[ApiKey, str]:
    """Replace a key with a new one of the same name and scopes and revoke it, atomically.

    Returns the new key and its raw value (shown once). A revoked key cannot be rotated.
    """
    if not can_manage_api_keys(by, api_key.organization):
        raise PermissionDenied(_("Only an administrator of this organisation can rotate API keys."))
    with transaction.atomic():
        old = ApiKey.objects.select_for_update().get(pk=api_key.pk)
        if old.revoked_at is not None:
            raise ValidationError(_("This key is revoked; create a new one instead."))
        new, raw = insert_key(
            organization=old.organization, name=old.name, scopes=list(old.scopes), by=by
        )
        old.revoked_at, old.replaced_by = timezone.now(), new
        old.save(update_fields=["revoked_at", "replaced_by"])
        audit.record(
            audit.Action.API_KEY_ROTATED,
            obj=old,
            actor=by,
            organization=old.organization_id,
            before={"prefix": old.prefix, "revoked_at": None},
            after={"prefix": new.prefix, "revoked_at": old.revoked_at, "replaced_by": new.pk},
        )
    api_key.revoked_at, api_key.replaced_by = old.revoked_at, new
    return new, raw
