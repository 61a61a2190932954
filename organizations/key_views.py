"""The enterprise's API keys page: create (the secret shown once), list, rotate, revoke.

Only administrators of an enterprise (and platform administrators) reach it; the
services in organizations.api_keys and organizations.enterprise_keys check again.
A new secret is shown in the answer to the POST that made it and never again:
the page is not cached and the secret is not kept anywhere.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .api_keys import SCOPES, api_key_create, api_key_revoke
from .enterprise_keys import api_key_rotate, enterprise_keys, managed_enterprises
from .models import ApiKey, Organization


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=ApiKey._meta.get_field("name").max_length,
        help_text=gettext_lazy("What uses the key, e.g. HR onboarding system."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"),
        choices=list(SCOPES.items()),
        initial=list(SCOPES)[:1],
        widget=forms.CheckboxSelectMultiple,
    )


def _enterprise(request) -> tuple[Organization, list[Organization]]:
    """The enterprise the page is about (?org=<code>, else the first managed), and all managed."""
    enterprises = list(managed_enterprises(request.user))
    if not enterprises:
        raise PermissionDenied(_("This page is for administrators of an enterprise."))
    code = request.POST.get("org") or request.GET.get("org")
    chosen = next((e for e in enterprises if e.code == code), None) if code else enterprises[0]
    if chosen is None:
        raise PermissionDenied(_("You do not manage this enterprise's keys."))
    return chosen, enterprises


def _page(request, organization, enterprises, form, *, created=None, rotated=None, status=200):
    keys = list(enterprise_keys(organization))
    for key in keys:
        key.scope_labels = [SCOPES.get(scope, scope) for scope in key.scopes or []]
    context = {
        "organization": organization,
        "enterprises": enterprises,
        "form": form,
        "keys": keys,
        "created": created,
        "rotated": rotated,
    }
    return render(request, "organizations/api_keys.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def api_keys(request) -> HttpResponse:
    """List the enterprise's keys; POST creates one and shows its secret in this answer only."""
    organization, enterprises = _enterprise(request)
    if request.method != "POST":
        return _page(request, organization, enterprises, ApiKeyForm())
    form = ApiKeyForm(request.POST)
    if form.is_valid():
        try:
            key, raw = api_key_create(
                organization=organization,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _page(request, organization, enterprises, ApiKeyForm(), created=(key, raw))
    return _page(request, organization, enterprises, form, status=400)


def _managed_key(request, key_id: int) -> ApiKey:
    return get_object_or_404(
        ApiKey.objects.select_related("organization"),
        pk=key_id,
        organization__in=managed_enterprises(request.user),
    )


@login_required
@never_cache
@require_POST
def api_key_rotate_view(request, key_id: int) -> HttpResponse:
    """Replace the key with a new secret (shown in this answer only) and revoke the old one."""
    key = _managed_key(request, key_id)
    enterprises = list(managed_enterprises(request.user))
    try:
        new, raw = api_key_rotate(api_key=key, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_list_url(key.organization))
    return _page(
        request, key.organization, enterprises, ApiKeyForm(), created=(new, raw), rotated=key
    )


@login_required
@require_POST
def api_key_revoke_view(request, key_id: int) -> HttpResponse:
    key = _managed_key(request, key_id)
    api_key_revoke(api_key=key, by=request.user)
    messages.success(
        request,
        _("The key %(name)s (%(prefix)s…) is revoked: requests that use it are refused.")
        % {"name": key.name, "prefix": key.prefix},
    )
    return redirect(_list_url(key.organization))


def _list_url(organization: Organization) -> str:
    return f"{reverse('organizations:api_keys')}?org={organization.code}"
