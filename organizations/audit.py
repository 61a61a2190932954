"""The audit trail of privileged actions: one append-only table, written by the services.

A service calls ``record`` inside the transaction of the change it makes, so the entry and
the change are kept or undone together; writing one costs a single INSERT. Who may read
which entries is ``visible_entries``: an organisation's administrators see the entries of
their organisation, a government body's regulators (and administrators) the entries about
the standards it owns. Other apps pass the organisation ids themselves (this app is the
lowest layer and knows nothing of exams or certificates).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from .access import Role, is_platform_admin, organization_ids
from .models import AuditEntry, AuditEntryImmutable, Organization

Action = AuditEntry.Action

__all__ = ["Action", "AuditEntryImmutable", "can_view_audit", "record", "visible_entries"]

_LABEL_LENGTH = AuditEntry._meta.get_field("object_label").max_length
_ACTOR_LENGTH = AuditEntry._meta.get_field("actor_label").max_length


def _id(value: Model | int | None) -> int | None:
    return value.pk if isinstance(value, Model) else value


def actor_label(actor) -> str:
    """How an entry names a person: their username (the system is the empty label)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    return actor.get_username()


def record(
    action: str,
    *,
    obj: Model,
    actor=None,
    actor_name: str = "",
    organization: Organization | int | None = None,
    authority: Organization | int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    label: str = "",
) -> AuditEntry:
    """Append one entry; call it inside the transaction of the change it records.

    `actor` is the user who acted (None or anonymous: the system, or an API key named in
    `actor_name`); `organization` the school or enterprise the action concerns and
    `authority` the government body whose standard it concerns. `before` and `after` hold
    small JSON values (dates and decimals are written as text).
    """
    if action not in Action.values:
        raise ValueError(f"Unknown audit action {action!r}.")
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        action=action,
        actor=user,
        actor_label=(actor_name or actor_label(user))[:_ACTOR_LENGTH],
        object_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_label=(label or str(obj))[:_LABEL_LENGTH],
        organization_id=_id(organization),
        authority_id=_id(authority),
        before=before or {},
        after=after or {},
        note=note or "",
    )


# --- Reading --------------------------------------------------------------------------------


def audited_organization_ids(user) -> tuple[set[int], set[int]]:
    """(organisations whose trail the user reads as administrator, government bodies whose
    standards' trail the user reads as regulator or administrator)."""
    return (
        organization_ids(user, [Role.ADMIN]),
        organization_ids(user, [Role.REGULATOR, Role.ADMIN], kind=Organization.Kind.GOVERNMENT),
    )


def can_view_audit(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if is_platform_admin(user):
        return True
    administered, bodies = audited_organization_ids(user)
    return bool(administered or bodies)


def visible_entries(user) -> QuerySet[AuditEntry]:
    """The entries this user may read, newest first (none for anybody else)."""
    entries = AuditEntry.objects.select_related("organization", "authority")
    if not getattr(user, "is_authenticated", False):
        return entries.none()
    if is_platform_admin(user):
        return entries
    administered, bodies = audited_organization_ids(user)
    if not (administered or bodies):
        return entries.none()
    return entries.filter(Q(organization_id__in=administered) | Q(authority_id__in=bodies))
