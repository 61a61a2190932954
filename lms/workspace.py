"""The workspace after login: one section per role the person holds.

Each section is built from the apps' own access rules and querysets, with a fixed number
of queries whatever the number of courses, cohorts or exams. Links to pages that other
parts of the site may not have yet are reversed through `url_or_none`: a name that does not
exist (an app not installed, a page not built) is simply not shown.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from courses import access as course_access
from courses.models import Cohort, Enrollment
from exams import access as exam_access
from organizations.access import Role, is_platform_admin, organization_ids
from organizations.models import Membership, Organization


def url_or_none(name: str, *args) -> str | None:
    """The URL of `name`, or None when no such page exists in this site (yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _links(*pairs: tuple[str, str | None]) -> list[dict]:
    """[{"label", "url"}] for each pair whose url exists."""
    return [{"label": label, "url": url} for label, url in pairs if url]


def is_student(user) -> bool:
    """Holds a student membership, or no role at all (a learner who signed up alone)."""
    if not user.is_authenticated:
        return False
    if organization_ids(user, [Role.STUDENT]):
        return True
    return not is_platform_admin(user) and not organization_ids(user, list(Role))


@dataclass
class Section:
    key: str
    title: str
    links: list[dict] = field(default_factory=list)
    data: dict = field(default_factory=dict)


def _cohort_rows(cohorts) -> list[dict]:
    """Cohorts with their active student count and their gradebook link (when installed)."""
    rows = []
    for cohort in cohorts.select_related("course").annotate(
        students=Count("enrollments", filter=~Q(enrollments__status=Enrollment.Status.WITHDRAWN))
    ):
        rows.append(
            {
                "cohort": cohort,
                "students": cohort.students,
                # gradebook:cohort_gradebook is a plugin app: shown only when installed.
                "gradebook_url": url_or_none("gradebook:cohort_gradebook", cohort.pk),
                "enrol_url": reverse("courses:cohort_enrol_csv", args=[cohort.pk]),
            }
        )
    return rows


def _teaching(user) -> Section | None:
    teaches = bool(organization_ids(user, [Role.TEACHER])) or (
        bool(course_access.author_school_ids(user))
    )
    if not (teaches or is_platform_admin(user)):
        return None
    queue = exam_access.grading_queue(user).aggregate(
        total=Count("pk"), adjudication=Count("pk", filter=Q(needs_adjudication=True))
    )
    cohorts = Cohort.objects.filter(teacher=user).order_by("course__code", "name")
    staff_home = reverse("exams:staff_home")
    return Section(
        key="teaching",
        title=_("Teaching"),
        data={
            "courses": course_access.authored_courses(user).count(),
            "banks": exam_access.authored_banks(user).count(),
            "exams": exam_access.authored_exams(user).count(),
            "queue": queue,
            "cohorts": _cohort_rows(cohorts),
            # Pages other parts of the studio add; until they exist the staff home stands in.
            "courses_url": url_or_none("courses:studio_courses"),
            "banks_url": url_or_none("exams:bank_list") or staff_home,
            "exams_url": staff_home,
            "exam_new_url": url_or_none("exams:exam_new"),
            "queue_url": reverse("exams:grading_queue"),
        },
    )


def _mentoring(user) -> Section | None:
    if not organization_ids(user, [Role.MENTOR]):
        return None
    cohorts = Cohort.objects.filter(mentor=user).order_by("course__code", "name")
    rows = _cohort_rows(cohorts)
    # Answers waiting for this mentor, per cohort of the answering student: one query.
    waiting = dict(
        exam_access.grading_queue(user)
        .filter(attempt__student__enrollments__cohort__mentor=user)
        .order_by()
        .values_list("attempt__student__enrollments__cohort")
        .annotate(n=Count("pk", distinct=True))
    )
    queue_url = reverse("exams:grading_queue")
    for row in rows:
        row["waiting"] = waiting.get(row["cohort"].pk, 0)
        row["queue_url"] = f"{queue_url}?cohort={row['cohort'].pk}"
    return Section(
        key="mentoring",
        title=_("Mentoring"),
        data={"cohorts": rows, "waiting": sum(waiting.values()), "queue_url": queue_url},
    )


def _verification(user) -> Section | None:
    if not organization_ids(user, [Role.VERIFIER]):
        return None
    return Section(
        key="verification",
        title=_("Verification"),
        links=_links(
            (_("Verify a certificate"), reverse("certificates:verify_search")),
            # Added by the bulk verification page when it exists.
            (_("Verify many certificates at once"), url_or_none("certificates:bulk_verify")),
        ),
    )


def _standards(user) -> Section | None:
    if not exam_access.can_manage_standards_any(user):
        return None
    return Section(
        key="standards",
        title=_("Standards and statistics"),
        data={"standards": exam_access.managed_standards(user).count()},
        links=_links(
            (_("Skill standards"), reverse("exams:standards_home")),
            # The government statistics pages, when the reports app is installed.
            (_("Statistics"), url_or_none("reports:statistics_home")),
            # The trail of the body's standards: publications, accreditations, certificates.
            (_("Audit log"), url_or_none("organizations:audit_log")),
        ),
    )


def _enterprise_url(name: str, organization: Organization) -> str | None:
    """An enterprise page's URL for this enterprise (?org=<code>), when the page exists."""
    url = url_or_none(name)
    return f"{url}?org={organization.code}" if url else None


def _organisation(user) -> Section | None:
    org_ids = organization_ids(user, [Role.ADMIN])
    if not org_ids:
        return None
    organizations = Organization.objects.filter(pk__in=org_ids).order_by("name_en")
    counts: dict[int, dict[str, int]] = {}
    for org_id, role, n in (
        Membership.objects.active()
        .filter(organization_id__in=org_ids)
        .order_by()
        .values_list("organization_id", "role")
        .annotate(n=Count("pk"))
    ):
        counts.setdefault(org_id, {})[role] = n
    rows = []
    for organization in organizations:
        by_role = counts.get(organization.pk, {})
        rows.append(
            {
                "organization": organization,
                "roles": [
                    {"label": label, "count": by_role[value]}
                    for value, label in Role.choices
                    if by_role.get(value)
                ],
                # Pages of the organisation workspace; each shown once it exists.
                "links": _links(
                    (_("Members and roles"), url_or_none("organizations:members", organization.pk)),
                    (
                        _("Name change requests"),
                        url_or_none("organizations:name_changes")
                        if organization.kind == Organization.Kind.SCHOOL
                        else None,
                    ),
                    (
                        _("Load a roster"),
                        url_or_none("courses:roster_import", organization.pk)
                        if organization.kind == Organization.Kind.SCHOOL
                        else None,
                    ),
                    *(
                        (
                            (
                                _("API keys"),
                                _enterprise_url("organizations:api_keys", organization),
                            ),
                            (
                                _("Verification history"),
                                _enterprise_url("certificates:verification_history", organization),
                            ),
                            (_("Bulk verification"), url_or_none("certificates:bulk_verify")),
                        )
                        if organization.kind == Organization.Kind.ENTERPRISE
                        else ()
                    ),
                    (
                        _("LTI platforms"),
                        _enterprise_url("lti:platforms", organization)
                        if organization.kind != Organization.Kind.GOVERNMENT
                        else None,
                    ),
                    (_("Audit log"), url_or_none("organizations:audit_log")),
                ),
            }
        )
    return Section(key="organisation", title=_("Organisation"), data={"organizations": rows})


def _learning(user) -> Section | None:
    enrollments = list(
        Enrollment.objects.active()
        .filter(student=user)
        .with_progress()
        .select_related("course")
        .order_by("-enrolled_at")[:6]
    )
    if not enrollments and not is_student(user):
        return None
    return Section(
        key="learning",
        title=_("My learning"),
        data={"enrollments": enrollments},
        links=_links(
            (_("My learning"), reverse("courses:my_learning")),
            (_("Exams"), reverse("exams:exam_list")),
            (_("My certificates"), reverse("certificates:mine")),
            (_("Catalogue"), reverse("courses:catalogue")),
        ),
    )


def sections_for(user) -> list[Section]:
    """Every section the user's roles give them, in a fixed order."""
    builders = (_teaching, _mentoring, _verification, _standards, _organisation, _learning)
    return [section for build in builders if (section := build(user)) is not None]
