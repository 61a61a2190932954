"""The signed-in person's profile page (/accounts/profile/) and the schools' queue of name
change requests (/organizations/name-changes/). Rules live in organizations.profile."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import profile as profiles
from .models import NameChangeRequest, Profile
from .services import profile_for

PAGE_SIZE = 30
_LENGTH = Profile._meta.get_field("name_native").max_length


class NamesForm(forms.Form):
    name_native = forms.CharField(
        label=gettext_lazy("Full name (native script)"),
        max_length=_LENGTH,
        help_text=gettext_lazy("As on your identity document, e.g. 张伟."),
    )
    name_latin = forms.CharField(
        label=gettext_lazy("Full name (Latin letters)"),
        max_length=_LENGTH,
        validators=[profiles.validate_latin_name],
        help_text=gettext_lazy("As printed on English certificates, e.g. Zhang Wei."),
    )


class NameRequestForm(NamesForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.CharField(
        label=gettext_lazy("Evidence (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("e.g. the identity document you will show the school office."),
    )


class LanguageForm(forms.Form):
    preferred_language = forms.ChoiceField(
        label=gettext_lazy("Preferred language"), choices=Profile.Language.choices
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note to the person (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _apply(form: forms.Form, action) -> bool:
    """Run `action` on a valid form; a service's ValidationError lands on the form."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@login_required
def profile(request):
    user = request.user
    person = profile_for(user)
    may_edit = profiles.may_edit_names(user)
    initial = {"name_native": person.name_native, "name_latin": person.name_latin}
    names_form = (NamesForm if may_edit else NameRequestForm)(initial=initial)
    language_form = LanguageForm(initial={"preferred_language": person.preferred_language})
    action = request.POST.get("action") if request.method == "POST" else None

    if action == "language":
        language_form = LanguageForm(request.POST)
        if _apply(language_form, lambda d: profiles.change_language(user, d["preferred_language"])):
            code = language_form.cleaned_data["preferred_language"]
            translation.activate(code)
            messages.success(request, _("Your language is saved."))
            response = redirect("account_profile")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                code,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
            return response
    elif action == "names":
        if not may_edit:
            raise PermissionDenied(_("Your school approves changes to your name: send a request."))
        names_form = NamesForm(request.POST)
        if _apply(names_form, lambda d: profiles.change_names(user, **d)):
            messages.success(request, _("Your names are saved."))
            return redirect("account_profile")
    elif action == "request":
        if may_edit:
            raise PermissionDenied(_("You may change your names yourself."))
        names_form = NameRequestForm(request.POST)
        if _apply(names_form, lambda d: profiles.request_name_change(user, **d)):
            messages.success(request, _("Your request is sent to your school."))
            return redirect("account_profile")
    elif action == "withdraw":
        if profiles.withdraw_request(user, int(request.POST.get("request") or 0)):
            messages.success(request, _("Your request is withdrawn."))
        return redirect("account_profile")
    elif action is not None:
        return redirect("account_profile")

    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "organizations/profile/profile.html",
        {
            "person": person,
            "may_edit": may_edit,
            "names_form": names_form,
            "language_form": language_form,
            "pending": profiles.pending_request(user),
            "history": NameChangeRequest.objects.filter(user=user).exclude(
                status=NameChangeRequest.Status.PENDING
            )[:5],
            "can_review": profiles.can_review_any(user),
        },
        status=status,
    )


@login_required
def name_changes(request):
    if not profiles.can_review_any(request.user):
        raise PermissionDenied(_("Only a school's administrators approve name changes."))
    requests = profiles.reviewable_requests(request.user).order_by("-created_at", "-pk")
    show = request.GET.get("show", "pending")
    if show != "all":
        requests = requests.filter(status=NameChangeRequest.Status.PENDING)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organizations/profile/name_changes.html",
        {"page": page, "show": show, "decision_form": DecisionForm()},
    )


@login_required
@require_POST
def name_change_decide(request, request_id: int):
    if not profiles.can_review_any(request.user):
        raise PermissionDenied(_("Only a school's administrators approve name changes."))
    form = DecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    if request.POST.get("decision") not in {"approve", "reject"} or not form.is_valid():
        messages.error(request, _("Choose to approve or reject."))
        return redirect("organizations:name_changes")
    try:
        profiles.decide(request.user, request_id, approve=approve, note=form.cleaned_data["note"])
    except NameChangeRequest.DoesNotExist:
        raise Http404(_("No such request.")) from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("organizations:name_changes")
    messages.success(request, _("Name change approved.") if approve else _("Name change rejected."))
    return redirect("organizations:name_changes")
