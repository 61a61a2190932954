"""Logging in (page, admin, API token) and resetting a password, with lms.throttles' limits.

Django's own views and forms, each with the throttle put in front: a later sign-up app
(django-allauth) can call the same lms.throttles functions from its adapter.
"""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, parsers, renderers, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations.throttles import AnonThrottle
from organizations.tokens import token_issue

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


class ObtainAuthToken(APIView):
    """A username and password for a new API token, with the login throttles and the anon rate.

    The token is shown in this answer only (only its hash is stored) and expires; DRF's own
    endpoint kept one plain-text token per user for ever.
    """

    throttle_classes = [AnonThrottle]
    permission_classes = []
    authentication_classes = []
    parser_classes = [parsers.FormParser, parsers.MultiPartParser, parsers.JSONParser]
    renderer_classes = [renderers.JSONRenderer]

    def get_serializer(self, *args, **kwargs):
        kwargs["context"] = {"request": self.request, "view": self}
        return AuthTokenSerializer(*args, **kwargs)

    @extend_schema(
        request=AuthTokenSerializer,
        responses={
            200: inline_serializer(
                "IssuedToken",
                {
                    "token": serializers.CharField(),
                    "expires_at": serializers.DateTimeField(),
                },
            )
        },
        summary="Exchange a username and password for an API token",
        description='Send the token back as "Authorization: Token <token>" until `expires_at`. '
        "It is shown only in this answer (only its hash is kept); ask again for a new one.",
    )
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
        token, raw = token_issue(user=serializer.validated_data["user"])
        return Response({"token": raw, "expires_at": token.expires_at})


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
