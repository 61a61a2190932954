"""A school's rosters: load students from a file, choose cohort staff by name, invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from organizations import spreadsheets
from organizations.invitations import invitation_url
from organizations.models import Organization

from . import access, rosters
from .models import Cohort, Enrollment
from .roster_forms import CohortStaffForm, RosterForm


def _school(request, school_id: int) -> Organization:
    school = get_object_or_404(Organization, pk=school_id, kind=Organization.Kind.SCHOOL)
    if not access.can_manage_roster(request.user, school):
        raise PermissionDenied(_("Only the school's administrators load its rosters."))
    return school


def _cohorts(school: Organization):
    return (
        rosters.school_cohorts(school)
        .select_related("teacher__profile", "mentor__profile")
        .annotate(
            students=Count(
                "enrollments", filter=~Q(enrollments__status=Enrollment.Status.WITHDRAWN)
            )
        )
        .order_by("course__code", "name")
    )


def _with_gradebooks(cohorts) -> list:
    """Each cohort with the link to its gradebook, when the gradebook app is installed (a
    plugin above this app: reversed by name, never imported)."""
    rows = list(cohorts)
    for cohort in rows:
        try:
            cohort.gradebook_url = reverse("gradebook:cohort_gradebook", args=[cohort.pk])
        except NoReverseMatch:
            cohort.gradebook_url = None
    return rows


@login_required
def roster_import(request, school_id: int):
    school = _school(request, school_id)
    form = RosterForm(request.POST or None, request.FILES or None)
    report, status, invitations = None, 200, {}
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            report = rosters.roster_load(
                school=school, data=upload.read(), filename=upload.name, by=request.user
            )
            if report.written:
                for row in report.rows:
                    if row.created:
                        invitations[row.line] = request.build_absolute_uri(invitation_url(row.user))
                messages.success(request, _("The roster is loaded: see the report below."))
            else:
                status = 400
        else:
            status = 400
    return render(
        request,
        "courses/roster/import.html",
        {
            "school": school,
            "form": form,
            "report": report,
            "invitations": invitations,
            "cohorts": _with_gradebooks(_cohorts(school)),
            "columns": list(rosters.COLUMNS),
        },
        status=status,
    )


@login_required
def cohort_staff(request, cohort_id: int):
    cohort = get_object_or_404(
        Cohort.objects.select_related("course__school", "teacher__profile", "mentor__profile"),
        pk=cohort_id,
    )
    if not access.can_manage_roster(request.user, cohort.course.school):
        raise PermissionDenied(_("Only the school's administrators choose a cohort's staff."))
    form = CohortStaffForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        rosters.cohort_set_staff(
            cohort=cohort,
            teacher=form.cleaned_data["teacher"],
            mentor=form.cleaned_data["mentor"],
        )
        messages.success(request, _("The cohort's teacher and mentor are saved."))
        return redirect("courses:roster_import", cohort.course.school_id)
    return render(
        request,
        "courses/roster/cohort_staff.html",
        {"cohort": cohort, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def roster_invitations(request, school_id: int):
    """Invitation links of the school's students who have not chosen a password yet, as CSV
    (formula-safe), for the administrator to hand out."""
    school = _school(request, school_id)
    header = [_("Student number"), _("Name (native)"), _("Name (Latin)"), _("Username")]
    header += [_("Email"), _("Invitation link")]
    rows = []
    for membership in rosters.pending_invitations(school):
        user = membership.user
        profile = getattr(user, "profile", None)
        rows.append(
            [
                membership.student_number,
                profile.name_native if profile else "",
                profile.name_latin if profile else "",
                user.get_username(),
                user.email,
                request.build_absolute_uri(invitation_url(user)),
            ]
        )
    return spreadsheets.attachment(
        spreadsheets.to_csv(header, rows),
        filename=f"invitations-{school.code}.csv",
        content_type=spreadsheets.CSV_TYPE,
    )
