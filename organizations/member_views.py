"""An organisation's members and their roles, for its administrators; invitation links.

Administrators see and change only their own organisation's people: a role is granted to
someone who is already a member (or to a new account made here), never to an account found
by name elsewhere on the site.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .access import can_manage_organization
from .invitations import invitation_url, invited_user
from .member_forms import MemberFilterForm, NewMemberForm, RoleForm, StudentSignupForm
from .models import Membership, Organization
from .school_signup import student_signup_settings_update
from .services import member_create, membership_grant, membership_revoke

PAGE_SIZE = 50


def _organization(request, organization_id: int) -> Organization:
    organization = get_object_or_404(Organization, pk=organization_id, is_active=True)
    if not can_manage_organization(request.user, organization):
        raise PermissionDenied(_("Only the organisation's administrators manage its members."))
    return organization


def _people(organization: Organization, *, q: str = "", role: str = ""):
    memberships = Membership.objects.filter(organization=organization, is_active=True)
    in_org = memberships.filter(user=OuterRef("pk"))
    if role:
        in_org = in_org.filter(role=role)
    people = (
        get_user_model()
        .objects.filter(Exists(in_org))
        .select_related("profile")
        .prefetch_related(
            Prefetch("memberships", queryset=memberships.order_by("role"), to_attr="here")
        )
        .order_by("username")
    )
    text = q.strip()
    if text:
        people = people.filter(
            Q(username__icontains=text)
            | Q(email__icontains=text)
            | Q(profile__name_native__icontains=text)
            | Q(profile__name_latin__icontains=text)
            | Exists(memberships.filter(user=OuterRef("pk"), student_number__icontains=text))
        )
    return people


@login_required
def members(request, organization_id: int):
    organization = _organization(request, organization_id)
    form = MemberFilterForm(request.GET or None, organization=organization)
    filters = form.cleaned_data if form.is_valid() else {}
    people = _people(organization, q=filters.get("q", ""), role=filters.get("role", ""))
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organizations/members/members.html",
        {
            "organization": organization,
            "form": form,
            "page": page,
            "role_form": RoleForm(organization=organization),
            "query": request.GET.copy().urlencode() if request.GET else "",
            **_signup_context(request, organization),
        },
    )


def _signup_context(request, organization: Organization, form=None) -> dict:
    if organization.kind != Organization.Kind.SCHOOL:
        return {}
    initial = {
        "student_signup": organization.student_signup,
        "student_signup_domain": organization.student_signup_domain,
    }
    return {
        "signup_form": form or StudentSignupForm(initial=initial),
        "signup_url": request.build_absolute_uri(
            reverse("account_signup") + "?" + urlencode({"school": organization.code})
        ),
    }


@login_required
@require_POST
def student_signup_settings(request, organization_id: int):
    organization = _organization(request, organization_id)
    if organization.kind != Organization.Kind.SCHOOL:
        raise Http404
    form = StudentSignupForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("organizations:members", organization.pk)
    student_signup_settings_update(
        organization=organization,
        allowed=form.cleaned_data["student_signup"],
        domain=form.cleaned_data["student_signup_domain"],
        by=request.user,
    )
    if organization.student_signup:
        messages.success(request, _("Students may now sign up to the school."))
    else:
        messages.success(request, _("Students can no longer sign up to the school."))
    return redirect("organizations:members", organization.pk)


@login_required
@require_POST
def member_role_grant(request, organization_id: int, user_id: int):
    organization = _organization(request, organization_id)
    # Only someone who already belongs to the organisation (a 404 for anyone else).
    person = get_object_or_404(
        get_user_model(),
        pk=user_id,
        memberships__organization=organization,
        memberships__is_active=True,
    )
    form = RoleForm(request.POST, organization=organization)
    if form.is_valid():
        try:
            membership_grant(
                user=person,
                organization=organization,
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(person)s is now %(role)s.")
                % {
                    "person": person.get_username(),
                    "role": Membership.Role(form.cleaned_data["role"]).label,
                },
            )
    else:
        messages.error(request, _("Choose a role this organisation may hold."))
    return redirect("organizations:members", organization.pk)


@login_required
@require_POST
def member_role_withdraw(request, organization_id: int, membership_id: int):
    organization = _organization(request, organization_id)
    membership = get_object_or_404(
        Membership.objects.select_related("user"),
        pk=membership_id,
        organization=organization,
        is_active=True,
    )
    if membership.user_id == request.user.pk and membership.role == Membership.Role.ADMIN:
        messages.error(request, _("You cannot withdraw your own administrator role."))
    else:
        membership_revoke(membership=membership, by=request.user)
        messages.success(
            request,
            _("%(person)s is no longer %(role)s.")
            % {"person": membership.user.get_username(), "role": membership.get_role_display()},
        )
    return redirect("organizations:members", organization.pk)


@login_required
def member_new(request, organization_id: int):
    organization = _organization(request, organization_id)
    form = NewMemberForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = member_create(organization=organization, by=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(
                request,
                "organizations/members/member_created.html",
                {
                    "organization": organization,
                    "person": person,
                    "role": Membership.Role(data["role"]).label,
                    "link": request.build_absolute_uri(invitation_url(person)),
                },
            )
    return render(
        request,
        "organizations/members/member_new.html",
        {"organization": organization, "form": form},
        status=400 if form.errors else 200,
    )


def invitation(request, uidb64: str, token: str):
    """The owner of a new account chooses a password (the link then stops working)."""
    user = invited_user(uidb64, token)
    if user is None:
        return render(
            request, "organizations/members/invitation.html", {"valid": False}, status=400
        )
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your password is set. Log in with your username."))
        return redirect("login")
    return render(
        request,
        "organizations/members/invitation.html",
        {"valid": True, "form": form, "person": user},
        status=400 if form.errors else 200,
    )
