"""The site's accounts on django-allauth: sign-up, login, password reset, second factors.

- People sign up (social trainees are nobody's student) with a username, an email address
  they verify before their first login, their names as certificates print them and their
  language; they log in with the username or the address.
- Every password check goes through lms.throttles (per account and address, with expiring
  backoff); a refused attempt answers 429 with Retry-After.
- Accounts an organisation created (its members, Django staff) log in as before: mandatory
  verification is for people who signed themselves up.
- Staff keep their last second factor while enforcement is on (lms/mfa.py); second-factor
  secrets are encrypted at rest (lms/mfa_secrets.py).
"""

from allauth.account import stages
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.models import EmailAddress
from allauth.account.views import LoginView as AllauthLoginView
from allauth.account.views import PasswordResetView as AllauthPasswordResetView
from allauth.account.views import SignupView as AllauthSignupView
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from organizations.models import Membership, Profile
from organizations.school_signup import (
    school_for_signup,
    signup_refusal,
    student_signup_confirm,
    student_signup_request,
)
from organizations.services import profile_for

from . import mfa, mfa_secrets, throttles

RETRY_AFTER_ATTRIBUTE = "lms_login_retry_after"


def _login_name(credentials: dict) -> str:
    """What the person typed in the login field (a username or an email address)."""
    return str(credentials.get("username") or credentials.get("email") or "")


class AccountAdapter(DefaultAccountAdapter):
    def get_login_stages(self) -> list[str]:
        allauth_stage = "allauth.account.stages.EmailVerificationStage"
        return [
            "lms.adapters.EmailVerificationStage" if path == allauth_stage else path
            for path in super().get_login_stages()
        ]

    def pre_authenticate(self, request, **credentials) -> None:
        """lms.throttles instead of allauth's "login_failed" count for passwords.

        allauth's per-account lock (5 failures in 5 minutes) could be renewed by anyone who
        knows a username; ours backs off per account and address and never locks the owner
        out for good. allauth's "login_failed" limit still counts second-factor codes (per
        person, reachable only with the password) and the "login" limit every attempt.
        """
        wait = throttles.login_wait_seconds(request, _login_name(credentials))
        if wait:
            setattr(request, RETRY_AFTER_ATTRIBUTE, wait)
            raise ValidationError(throttles.login_refusal(wait), code="throttled")

    def authenticate(self, request, **credentials):
        with throttles.password_check_slot() as free:
            if not free:
                setattr(request, RETRY_AFTER_ATTRIBUTE, throttles.BUSY_RETRY_SECONDS)
                raise ValidationError(throttles.busy_refusal(), code="throttled")
            user = super().authenticate(request, **credentials)
        if user is not None:
            throttles.login_succeeded(request, _login_name(credentials))
        return user

    def authentication_failed(self, request, **credentials) -> None:
        if credentials.get("password"):
            throttles.login_failed(request, _login_name(credentials))


class EmailVerificationStage(stages.EmailVerificationStage):
    """Mandatory verification for people who signed themselves up (social trainees).

    Accounts an organisation vouches for log in as before: members of a school, enterprise
    or government body (created by their organisation or a roster), Django staff, and
    accounts with no address record at all (created by a script). allauth records a school
    account's address, unverified, when its owner opens the email page; that must not start
    asking for a confirmation link at login.
    """

    def handle(self):
        user = self.login.user
        if user is not None and is_vouched_for(user):
            return None, True
        return super().handle()


def is_vouched_for(user) -> bool:
    return (
        user.is_staff
        or Membership.objects.filter(user_id=user.pk).exists()
        or not EmailAddress.objects.filter(user_id=user.pk).exists()
    )


class SignupForm(AllauthSignupForm):
    """allauth's sign-up with the names certificates print and the preferred language."""

    name_native = forms.CharField(
        label=gettext_lazy("Full name (native script)"),
        max_length=Profile._meta.get_field("name_native").max_length,
        help_text=gettext_lazy("As on your identity document, e.g. 张伟."),
    )
    name_latin = forms.CharField(
        label=gettext_lazy("Full name (Latin letters)"),
        max_length=Profile._meta.get_field("name_latin").max_length,
        help_text=gettext_lazy("As printed on English certificates, e.g. Zhang Wei."),
    )
    preferred_language = forms.ChoiceField(
        label=gettext_lazy("Preferred language"),
        choices=Profile.Language.choices,
        initial=Profile.Language.CHINESE,
    )
    # The code of the school a student signs up to (/accounts/signup/?school=<code>).
    school = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The language the page is read in is the likeliest choice.
        if not (get_language() or "").lower().startswith("zh"):
            self.fields["preferred_language"].initial = Profile.Language.ENGLISH

    def clean_name_native(self) -> str:
        return self.cleaned_data["name_native"].strip()

    def clean_name_latin(self) -> str:
        name = self.cleaned_data["name_latin"].strip()
        if not name.isascii():
            raise ValidationError(_("Use Latin letters only, e.g. Zhang Wei."), code="latin")
        return name

    def clean(self):
        data = super().clean()
        code = (data.get("school") or "").strip()
        data["school"] = None
        if code:
            school = school_for_signup(code)
            if school is None:
                self.add_error(None, _("No school uses this code."))
            else:
                refusal = signup_refusal(school, data.get("email") or "")
                if refusal:
                    self.add_error(None, ValidationError(refusal, code="school_signup"))
                else:
                    data["school"] = school
        return data

    @transaction.atomic
    def save(self, request):
        # The user, their profile and their email address are written together or not at all.
        return super().save(request)

    def signup(self, request, user) -> None:
        profile = profile_for(user)
        profile.name_native = self.cleaned_data["name_native"]
        profile.name_latin = self.cleaned_data["name_latin"]
        profile.preferred_language = self.cleaned_data["preferred_language"]
        profile.save(update_fields=["name_native", "name_latin", "preferred_language"])
        if self.cleaned_data.get("school") is not None:
            student_signup_request(
                user=user, school=self.cleaned_data["school"], email=self.cleaned_data["email"]
            )


class SignupView(AllauthSignupView):
    """allauth's sign-up; with ?school=<code>, a student's sign-up to a school that takes them.

    A school that does not take sign-ups answers 403 with the reason; an unknown code 404.
    """

    def get(self, request, *args, **kwargs):
        code = request.GET.get("school")
        if code is not None:
            school = school_for_signup(code)
            if school is None:
                raise Http404(_("No school uses this code."))
            refusal = signup_refusal(school)
            if refusal:
                context = {"school": school, "refusal": refusal}
                return render(request, "account/signup_school_closed.html", context, status=403)
        return super().get(request, *args, **kwargs)

    def get_initial(self) -> dict:
        initial = super().get_initial()
        if self.request.GET.get("school"):
            initial["school"] = self.request.GET["school"]
        return initial

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        code = self.request.POST.get("school") or self.request.GET.get("school")
        context["school"] = school_for_signup(code) if code else None
        return context


def forgive_account_on_password_reset(sender, request, user, **kwargs) -> None:
    """The owner proved the email: failures counted against the account no longer lock it."""
    emails = EmailAddress.objects.filter(user_id=user.pk).values_list("email", flat=True)
    throttles.account_forgiven([user.get_username(), user.email, *emails], request)


def join_school_on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    """A verified address makes its owner a student of the school they signed up to."""
    student_signup_confirm(user=email_address.user, email=email_address.email)


class LoginView(AllauthLoginView):
    """allauth's login; an attempt lms.throttles refuses answers 429 with Retry-After."""

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        data = kwargs.get("data")
        if data is not None and "login" not in data and "username" in data:
            # Scripts and older clients post Django's field name: "username" means "login".
            data = data.copy()
            data["login"] = data["username"]
            kwargs["data"] = data
        return kwargs

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "throttled"):
            response.status_code = 429
            response["Retry-After"] = str(getattr(self.request, RETRY_AFTER_ATTRIBUTE, 60))
        return response


class PasswordResetView(AllauthPasswordResetView):
    """allauth's reset, also limited per address and client by lms.throttles (429)."""

    def form_valid(self, form):
        if not throttles.password_reset_allowed(self.request, form.cleaned_data["email"]):
            form.add_error(
                None,
                ValidationError(
                    _(
                        "Too many password reset requests for this email address or from "
                        "your connection. Try again later."
                    ),
                    code="throttled",
                ),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class MfaAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Staff keep at least one app or key while enforcement is on."""
        if authenticator.type not in mfa.SECOND_FACTORS:
            return True
        user = authenticator.user
        if not (mfa.conf.staff_mfa_required() and mfa.requires_second_factor(user)):
            return True
        others = Authenticator.objects.filter(user_id=user.pk, type__in=mfa.SECOND_FACTORS)
        return others.exclude(pk=authenticator.pk).exists()

    def encrypt(self, text: str) -> str:
        """TOTP secrets and recovery-code seeds are stored as Fernet tokens (lms/mfa_secrets.py)."""
        return mfa_secrets.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        """A value stored before encryption is read as it is."""
        return mfa_secrets.decrypt(encrypted_text)
