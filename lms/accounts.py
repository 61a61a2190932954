"""Logging in (page, admin, API token) and resetting a password, with lms.throttles' limits.

Django's own views and forms, each with the throttle put in front: a later sign-up app
(django-allauth) can call the same lms.throttles functions from its adapter.
"""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authtoken import views as authtoken_views
from rest_framework.authtoken.models import Token
from rest_framework.response import Response

from organizations.throttles import AnonThrottle

from . import throttles


class LoginThrottleMixin:
    """An authentication form that refuses a locked account or address before the password."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return super().clean()
        wait = throttles.login_wait_seconds(self.request, username)
        if wait:
            self.retry_after = wait
            raise ValidationError(throttles.login_refusal(wait), code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError as exc:
            if getattr(exc, "code", None) == "invalid_login":
                throttles.login_failed(self.request, username)
            raise
        throttles.login_succeeded(self.request, username)
        return cleaned


class ThrottledAuthenticationForm(LoginThrottleMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(LoginThrottleMixin, AdminAuthenticationForm):
    pass


class LoginView(auth_views.LoginView):
    """The site's login page; a throttled attempt answers 429 with Retry-After."""

    authentication_form = ThrottledAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "throttled"):
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


class ObtainAuthToken(authtoken_views.ObtainAuthToken):
    """DRF's token endpoint with the login throttles (it had none) and the anonymous rate."""

    throttle_classes = [AnonThrottle]

    def post(self, request, *args, **kwargs):
        data = request.data if hasattr(request.data, "get") else {}
        username = str(data.get("username") or "")
        wait = throttles.login_wait_seconds(request, username)
        if wait:
            raise exceptions.Throttled(wait=wait, detail=throttles.login_refusal(wait))
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if username and data.get("password"):
                throttles.login_failed(request, username)
            raise exceptions.ValidationError(serializer.errors)
        throttles.login_succeeded(request, username)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, limited per email and per client; the answer is the same either way."""

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
