"""A school's LTI platforms, for its administrators: register, change, (de)activate, and the
repairs of its platform courses (roster sync) and scores (send failed ones again).

The rules are lti.platforms'; another organisation's platform is not found (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from organizations.models import Organization

from . import platforms
from .models import Platform
from .platform_forms import PlatformForm, deployment_lines

# The failed scores listed on a platform's page (the newest); the page says how many in all.
FAILED_SHOWN = 50


def _organization(request) -> tuple[Organization, list[Organization]]:
    """The organisation the page is about (?org=<code>, else the first managed), and all."""
    organizations = list(platforms.managed_organizations(request.user).order_by("name_en"))
    if not organizations:
        raise PermissionDenied(_("This page is for administrators of a school."))
    code = request.POST.get("org") or request.GET.get("org")
    chosen = next((o for o in organizations if o.code == code), None) if code else organizations[0]
    if chosen is None:
        raise PermissionDenied(_("You do not manage this organisation's platforms."))
    return chosen, organizations


def _platform(request, platform_id: int) -> Platform:
    return get_object_or_404(
        platforms.managed_platforms(request.user).select_related("organization"), pk=platform_id
    )


def _list_url(organization: Organization) -> str:
    return f"{reverse('lti:platforms')}?org={organization.code}"


def _tool_urls(request) -> dict:
    launch = request.build_absolute_uri(reverse("lti:launch"))
    return {
        "login": request.build_absolute_uri(reverse("lti:login")),
        "launch": launch,
        "deep_link": launch,
        "jwks": request.build_absolute_uri(reverse("lti:jwks")),
    }


@login_required
def platform_list(request) -> HttpResponse:
    organization, organizations = _organization(request)
    return render(
        request,
        "lti/platforms/list.html",
        {
            "organization": organization,
            "organizations": organizations,
            "platforms": platforms.platforms_of(organization),
            "tool_urls": _tool_urls(request),
        },
    )


def _save(request, form: PlatformForm) -> Platform | None:
    if not form.is_valid():
        return None
    try:
        return platforms.platform_save(
            platform=form.save(commit=False),
            deployments=form.cleaned_data["deployment_ids"],
            by=request.user,
        )
    except IntegrityError:  # registered meanwhile by someone else
        form.add_error(None, _("This issuer and client id are already registered."))
        return None


def _form_page(request, form, organization, platform=None) -> HttpResponse:
    return render(
        request,
        "lti/platforms/form.html",
        {"form": form, "organization": organization, "platform": platform},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def platform_new(request) -> HttpResponse:
    organization, _organizations = _organization(request)
    form = PlatformForm(
        request.POST or None,
        instance=Platform(organization=organization),
        initial={"is_active": True},
    )
    if request.method == "POST" and (platform := _save(request, form)):
        messages.success(request, _("The platform %(name)s is registered.") % {"name": platform})
        return redirect("lti:platform", platform.pk)
    return _form_page(request, form, organization)


@login_required
@require_http_methods(["GET", "POST"])
def platform_edit(request, platform_id: int) -> HttpResponse:
    platform = _platform(request, platform_id)
    form = PlatformForm(
        request.POST or None,
        instance=platform,
        initial={"deployment_ids": deployment_lines(platforms.active_deployments(platform))},
    )
    if request.method == "POST" and _save(request, form):
        messages.success(request, _("The platform %(name)s is saved.") % {"name": platform})
        return redirect("lti:platform", platform.pk)
    return _form_page(request, form, platform.organization, platform)


@login_required
def platform_detail(request, platform_id: int) -> HttpResponse:
    platform = _platform(request, platform_id)
    failed = platforms.failed_grades(platform)
    return render(
        request,
        "lti/platforms/detail.html",
        {
            "platform": platform,
            "organization": platform.organization,
            "deployments": platform.deployments.order_by("-is_active", "deployment_id"),
            "contexts": platforms.platform_contexts(platform),
            "failed": list(failed[:FAILED_SHOWN]),
            "failed_count": failed.count(),
        },
    )


@login_required
@require_POST
def platform_active(request, platform_id: int) -> HttpResponse:
    platform = _platform(request, platform_id)
    active = request.POST.get("active") == "1"
    platforms.platform_set_active(platform=platform, active=active, by=request.user)
    if active:
        messages.success(request, _("The platform %(name)s is active.") % {"name": platform})
    else:
        messages.success(
            request,
            _("The platform %(name)s is deactivated: its launches are refused.")
            % {"name": platform},
        )
    return redirect("lti:platform", platform.pk)


@login_required
@require_POST
def platform_roster_sync(request, platform_id: int) -> HttpResponse:
    platform = _platform(request, platform_id)
    context = get_object_or_404(platform.contexts, pk=request.POST.get("context") or 0)
    started = timezone.now()
    platforms.rosters_sync([context.pk])
    context.refresh_from_db()
    if context.roster_synced_at and context.roster_synced_at >= started:
        messages.success(
            request,
            _("The roster of %(course)s is synced: %(summary)s")
            % {"course": context, "summary": platforms.roster_summary(context)},
        )
    elif context.roster_error and context.updated_at >= started:
        messages.error(
            request,
            _("The roster of %(course)s was not synced: %(error)s")
            % {"course": context, "error": context.roster_error},
        )
    else:
        messages.info(request, _("The roster sync is queued; this page shows its result."))
    return redirect("lti:platform", platform.pk)


@login_required
@require_POST
def platform_grade_resend(request, platform_id: int) -> HttpResponse:
    platform = _platform(request, platform_id)
    submission = get_object_or_404(
        platforms.failed_grades(platform), pk=request.POST.get("submission") or 0
    )
    platforms.grades_send_again([submission.pk])
    submission.refresh_from_db()
    if submission.status == submission.Status.SENT:
        messages.success(request, _("The score is sent."))
    elif submission.status == submission.Status.FAILED:
        messages.error(
            request, _("The score was not sent: %(error)s") % {"error": submission.last_error}
        )
    else:
        messages.info(request, _("The score is queued; it is sent shortly."))
    return redirect("lti:platform", platform.pk)


@login_required
@require_POST
def platform_grades_resend_all(request, platform_id: int) -> HttpResponse:
    platform = _platform(request, platform_id)
    count = platforms.platform_grades_send_again(platform=platform, by=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d failed score is queued to be sent again.",
                "%(count)d failed scores are queued to be sent again.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("No failed score is waiting to be sent again."))
    return redirect("lti:platform", platform.pk)
