"""A school's own LTI platforms, run by its administrators on the site's pages.

Who may manage which platforms, saving one with its deployments (audited in the same
transaction), activating and deactivating (platforms are never deleted: their links,
users and grades stay), and the two repairs Django admin also offers: syncing a
platform course's roster and sending failed scores again.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Prefetch, QuerySet
from django.utils.translation import gettext as _

from organizations import audit
from organizations.access import Role, is_platform_admin, organization_ids
from organizations.models import Organization

from .models import Context, Deployment, GradeSubmission, Platform

# Schools and enterprises have platforms; a government body launches nothing.
KINDS = (Organization.Kind.SCHOOL, Organization.Kind.ENTERPRISE)
FIELDS = (
    "name",
    "issuer",
    "client_id",
    "auth_login_url",
    "auth_token_url",
    "auth_audience",
    "jwks_url",
    "is_active",
)


def managed_organizations(user) -> QuerySet[Organization]:
    """The active schools and enterprises whose platforms the user manages: where they are
    an administrator (the members page's rule), or all of them for a platform administrator."""
    organizations = Organization.objects.filter(kind__in=KINDS, is_active=True)
    if is_platform_admin(user):
        return organizations
    return organizations.filter(pk__in=organization_ids(user, [Role.ADMIN]))


def managed_platforms(user) -> QuerySet[Platform]:
    return Platform.objects.filter(organization__in=managed_organizations(user))


def platforms_of(organization: Organization) -> list[Platform]:
    """The organisation's platforms with their deployments and last launch (one aggregate)."""
    return list(
        Platform.objects.filter(organization=organization)
        .annotate(last_launch_at=Max("user_links__last_launch_at"))
        .prefetch_related(
            Prefetch(
                "deployments",
                queryset=Deployment.objects.order_by("-is_active", "deployment_id"),
            )
        )
        .order_by("-is_active", "name")
    )


def active_deployments(platform: Platform) -> list[tuple[str, str]]:
    """The platform's active deployments as (deployment id, name), in the order added."""
    return list(
        platform.deployments.filter(is_active=True)
        .order_by("pk")
        .values_list("deployment_id", "name")
    )


def _snapshot(platform: Platform, deployments: list[tuple[str, str]]) -> dict:
    return {
        **{name: getattr(platform, name) for name in FIELDS},
        "deployments": [deployment_id for deployment_id, _name in deployments],
        "deployment_names": dict(deployments),
    }


def _check(by, organization: Organization) -> None:
    if not managed_organizations(by).filter(pk=organization.pk).exists():
        raise PermissionDenied(_("Only the organisation's administrators manage its platforms."))


def platform_save(*, platform: Platform, deployments: list[tuple[str, str]], by) -> Platform:
    """Create or change the platform and its deployments, audited, in one transaction.

    `deployments` are the active ones as (deployment id, name); a name is a label for people
    ("" for none). Deployments no longer listed are deactivated (launches through them are
    refused), not deleted: resource links keep naming them. Listing one again reactivates it.
    """
    _check(by, platform.organization)
    creating = platform.pk is None
    with transaction.atomic():
        before = None
        if not creating:
            old = Platform.objects.select_for_update().get(pk=platform.pk)
            before = _snapshot(old, active_deployments(old))
        platform.save()
        existing = {d.deployment_id: d for d in platform.deployments.all()}
        for deployment_id, name in deployments:
            deployment = existing.get(deployment_id)
            if deployment is None:
                Deployment.objects.create(platform=platform, deployment_id=deployment_id, name=name)
            elif not deployment.is_active or deployment.name != name:
                deployment.is_active, deployment.name = True, name
                deployment.save(update_fields=["is_active", "name"])
        platform.deployments.filter(is_active=True).exclude(
            deployment_id__in=[deployment_id for deployment_id, _name in deployments]
        ).update(is_active=False)
        after = _snapshot(platform, active_deployments(platform))
        if creating or after != before:
            created, changed = audit.Action.LTI_PLATFORM_CREATED, audit.Action.LTI_PLATFORM_CHANGED
            audit.record(
                created if creating else changed,
                obj=platform,
                actor=by,
                organization=platform.organization,
                before=before,
                after=after,
            )
    return platform


def platform_set_active(*, platform: Platform, active: bool, by) -> Platform:
    """Activate or deactivate the platform (a deactivated one's launches are refused)."""
    _check(by, platform.organization)
    with transaction.atomic():
        platform = Platform.objects.select_for_update().get(pk=platform.pk)
        if platform.is_active == active:
            return platform
        platform.is_active = active
        platform.save(update_fields=["is_active"])
        activated, deactivated = (
            audit.Action.LTI_PLATFORM_ACTIVATED,
            audit.Action.LTI_PLATFORM_DEACTIVATED,
        )
        audit.record(
            activated if active else deactivated,
            obj=platform,
            actor=by,
            organization=platform.organization,
            before={"is_active": not active},
            after={"is_active": active},
        )
    return platform


# --- Repairs (Django admin's actions call these too) -----------------------------------------


def rosters_sync(context_ids) -> int:
    """Queue a roster sync of each platform course; each records its result on the course."""
    from .tasks import roster_sync

    ids = list(context_ids)
    for pk in ids:
        roster_sync.delay(pk)
    return len(ids)


def roster_summary(context: Context) -> str:
    """The last sync's counts, in words ("" before the first sync)."""
    report = context.roster_report or {}
    if not report:
        return ""
    return _(
        "%(members)s members: %(enrolled)s enrolled, %(withdrawn)s withdrawn, %(problems)s problems"
    ) % {
        "members": report.get("members", 0),
        "enrolled": report.get("enrolled", 0),
        "withdrawn": report.get("withdrawn", 0),
        "problems": len(report.get("problems", [])),
    }


def grades_send_again(submission_ids) -> int:
    """Make failed scores due again with a fresh count of tries and send them now."""
    from .grades import grades_retry
    from .tasks import grade_send

    ids = grades_retry(submission_ids=submission_ids)
    for pk in ids:
        grade_send.delay(pk)
    return len(ids)


def platform_grades_send_again(*, platform: Platform, by) -> int:
    """Send every failed score of the platform again (grades_send_again's rules); how many.

    Only the scores failed at this moment are taken, so a second request sends again only
    those that failed again meanwhile.
    """
    _check(by, platform.organization)
    return grades_send_again(list(failed_grades(platform).values_list("pk", flat=True)))


def platform_contexts(platform: Platform) -> list[Context]:
    contexts = list(Context.objects.filter(platform=platform).select_related("course", "cohort"))
    for context in contexts:
        context.summary = roster_summary(context)
    return contexts


def failed_grades(platform: Platform) -> QuerySet[GradeSubmission]:
    return (
        GradeSubmission.objects.filter(
            resource_link__platform=platform, status=GradeSubmission.Status.FAILED
        )
        .select_related("attempt__student", "attempt__exam", "resource_link")
        .order_by("-updated_at")
    )
