"""Roster sync (LTI Names and Role Provisioning Services 2.0) into a cohort of the linked course.

The platform's roster of a context (its course) is fetched page by page (RFC 8288
`Link: <…>; rel="next"`), then applied in one transaction: accounts and memberships
as a launch makes them (lti.services.user_link_for), learners enrolled in the
context's cohort, and this platform's learners who left the roster withdrawn (never
deleted). Instructors are not enrolled; the first one whose membership lets them
teach becomes the teacher of a cohort the sync has to make.
"""

from dataclasses import asdict, dataclass, field
from urllib.parse import urljoin, urlsplit

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Cohort, Enrollment
from courses.services import EnrollmentError, enrollment_create, enrollment_withdraw
from organizations.models import Membership

from . import outbound, tokens
from .grades import access_token, token_cache_key
from .models import Context, UserLink
from .services import user_link_for

MAX_PAGES = 200


class RosterError(Exception):
    """A sync that could not run, with a message for the staff member who asked."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class RosterReport:
    members: int = 0
    accounts_created: int = 0
    enrolled: int = 0
    already_enrolled: int = 0
    withdrawn: int = 0
    instructors: int = 0
    problems: list[str] = field(default_factory=list)


# --- Fetching -------------------------------------------------------------------------------


def memberships_fetch(context: Context, *, transport=None) -> list[dict]:
    """Every member of the context's roster, following the platform's pages."""
    if not context.memberships_url:
        raise RosterError(
            _(
                "This platform course offers no roster service (NRPS): turn on sharing "
                "names and roles for CBEC Academy in the platform, then launch it again."
            )
        )
    platform = context.platform
    if not platform.auth_token_url:
        raise RosterError(_("The platform has no OAuth2 token URL registered."))
    scopes = [tokens.NRPS_SCOPE]
    origin = urlsplit(context.memberships_url)[:2]
    url, seen, members = context.memberships_url, set(), []
    try:
        token = access_token(platform, scopes=scopes, transport=transport)
        while url:
            if url in seen or len(seen) >= MAX_PAGES:
                raise RosterError(_("The platform's roster pages do not end."))
            seen.add(url)
            answer = outbound.request(
                "GET",
                url,
                headers={"Accept": tokens.NRPS_MEDIA_TYPE, "Authorization": f"Bearer {token}"},
                transport=transport,
            )
            if answer.status == 401:
                cache.delete(token_cache_key(platform, scopes))
            if not answer.ok:
                raise outbound.HttpError(answer.status, answer.body)
            page = answer.json()
            if not isinstance(page, dict) or not isinstance(page.get("members"), list):
                raise ValueError("not a membership container")
            members.extend(page["members"])
            following = tokens.next_link(answer.header("Link"))
            url = urljoin(url, following) if following else None
            if url and urlsplit(url)[:2] != origin:
                # The bearer token goes only where the roster lives.
                raise RosterError(_("The platform's next roster page is on another site."))
    except (outbound.HttpError, OSError, ValueError, KeyError, TypeError) as exc:
        raise RosterError(
            _("The platform's roster could not be fetched (%(error)s).") % {"error": exc}
        ) from exc
    return members


# --- Applying -------------------------------------------------------------------------------


def _can_teach(user, context: Context) -> bool:
    return Membership.objects.filter(
        user=user,
        organization_id=context.platform.organization_id,
        role=Membership.Role.TEACHER,
        is_active=True,
    ).exists()


def _cohort(context: Context, teachers: list) -> Cohort:
    cohort = context.cohort
    if cohort is not None and cohort.course_id == context.course_id:
        return cohort
    if not teachers:
        raise RosterError(
            _(
                "No instructor on the roster may teach at %(org)s, and a class needs a "
                "teacher: choose a cohort for this platform course in the admin."
            )
            % {"org": context.platform.organization}
        )
    name = (context.title or context.label or context.context_id)[:100]
    cohort = Cohort.objects.create(course=context.course, name=name, teacher=teachers[0])
    context.cohort = cohort
    context.save(update_fields=["cohort", "updated_at"])
    return cohort


def _enrol(user, context: Context, cohort: Cohort, report: RosterReport, name: str) -> None:
    current = Enrollment.objects.filter(student=user, course=context.course).first()
    if current is not None and current.is_active:
        if current.cohort_id is None:
            Enrollment.objects.filter(pk=current.pk).update(cohort=cohort)
            report.enrolled += 1
        else:
            report.already_enrolled += 1
            if current.cohort_id != cohort.pk:
                report.problems.append(
                    _("%(name)s: already in another class of this course.") % {"name": name}
                )
        return
    try:
        with transaction.atomic():
            enrollment_create(student=user, course=context.course, cohort=cohort, by_teacher=True)
        report.enrolled += 1
    except EnrollmentError as exc:
        report.problems.append(f"{name}: {' '.join(exc.messages)}")


@transaction.atomic
def roster_apply(*, context: Context, members: list[dict]) -> RosterReport:
    """Make the cohort match the roster; returns what changed."""
    context = Context.objects.select_for_update().select_related("platform").get(pk=context.pk)
    if context.course_id is None:
        raise RosterError(
            _(
                "This platform course is not linked to a CBEC Academy course yet: open a "
                "course or exam link from it once, or choose the course in the admin."
            )
        )
    report = RosterReport()
    platform = context.platform
    learners, teachers = [], []
    for member in members:
        person = tokens.member_person(member)
        if person is None or not tokens.member_active(member):
            continue
        report.members += 1
        link, created = user_link_for(platform=platform, person=person)
        report.accounts_created += created
        if not link.user.is_active:
            continue
        if tokens.TEACHER in person.roles:
            report.instructors += 1
            if _can_teach(link.user, context):
                teachers.append(link.user)
        elif tokens.STUDENT in person.roles:
            name = person.name_native or person.name_latin or person.sub
            learners.append((link, name))
    teachers.sort(key=lambda user: user.pk)
    cohort = _cohort(context, teachers)
    for link, name in learners:
        _enrol(link.user, context, cohort, report, name)
    on_roster = {link.user_id for link, _name in learners}
    linked = UserLink.objects.filter(platform=platform).values("user_id")
    leaving = (
        Enrollment.objects.active()
        .filter(cohort=cohort, student__in=linked)
        .exclude(student__in=on_roster)
    )
    for enrollment in leaving.select_for_update():
        enrollment_withdraw(enrollment=enrollment)
        report.withdrawn += 1
    context.roster_synced_at = timezone.now()
    context.roster_report = asdict(report)
    context.roster_error = ""
    context.save(update_fields=["roster_synced_at", "roster_report", "roster_error", "updated_at"])
    return report


def roster_sync(*, context_id: int, transport=None) -> RosterReport:
    """Fetch the context's roster and apply it; a failure is recorded on the context."""
    context = Context.objects.select_related("platform", "course").get(pk=context_id)
    try:
        members = memberships_fetch(context, transport=transport)
        return roster_apply(context=context, members=members)
    except RosterError as exc:
        Context.objects.filter(pk=context.pk).update(
            roster_error=str(exc.message)[:2000], updated_at=timezone.now()
        )
        raise
