"""An enterprise's verification history: what its API keys and its people verified.

A verification belongs to the enterprise when one of its API keys asked (the
log keeps the key's prefix), or one of its verifiers or administrators did,
signed in (on the page, by upload or in bulk). Its administrators (and platform
administrators) see it and export it.
"""

from datetime import date

from django.db.models import Q, QuerySet

from organizations.access import Role, is_platform_admin, organization_ids
from organizations.models import ApiKey, Membership, Organization

from .models import Verification

EXPORT_MAX_ROWS = 50_000


def history_enterprises(user) -> QuerySet[Organization]:
    """The enterprises whose history the user sees: where they are an administrator."""
    enterprises = Organization.objects.filter(kind=Organization.Kind.ENTERPRISE, is_active=True)
    if is_platform_admin(user):
        return enterprises
    ids = organization_ids(user, [Role.ADMIN], kind=Organization.Kind.ENTERPRISE)
    return enterprises.filter(pk__in=ids)


def enterprise_verifications(
    enterprise: Organization,
    *,
    since: date | None = None,
    until: date | None = None,
    result: str = "",
    channel: str = "",
) -> QuerySet[Verification]:
    """The enterprise's verifications, newest first, filtered."""
    prefixes = ApiKey.objects.filter(organization=enterprise).values("prefix")
    people = Membership.objects.filter(
        organization=enterprise, role__in=[Role.VERIFIER, Role.ADMIN]
    ).values("user_id")
    found = Verification.objects.filter(
        Q(api_key_prefix__in=prefixes) | Q(verifier__in=people)
    ).select_related("verifier", "certificate")
    if since:
        found = found.filter(created_at__date__gte=since)
    if until:
        found = found.filter(created_at__date__lte=until)
    if result:
        found = found.filter(result=result)
    if channel:
        found = found.filter(channel=channel)
    return found.order_by("-created_at", "-pk")


def export_header() -> list[str]:
    from django.utils.translation import gettext as _

    return [_("When (UTC)"), _("Serial"), _("Result"), _("Channel"), _("By"), _("API key")]


def export_rows(verifications: QuerySet[Verification], *, result_labels=None) -> list[list]:
    labels = result_labels or {}
    return [
        [
            v.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            v.serial_queried,
            str(labels.get(v.result, v.result)),
            v.get_channel_display(),
            v.verifier.get_username() if v.verifier_id else "",
            f"{v.api_key_prefix}…" if v.api_key_prefix else "",
        ]
        for v in verifications[:EXPORT_MAX_ROWS]
    ]
