"""The API token endpoint, with lms.throttles' login limits.

The login, sign-up and password pages are django-allauth's, with the same throttles in its
adapter (lms/adapters.py).
"""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, parsers, renderers, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations.throttles import AnonThrottle
from organizations.tokens import token_issue

from . import mfa, throttles


class ApiTokenSerializer(AuthTokenSerializer):
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="For accounts with two-factor authentication: a current authenticator-app "
        "code or a recovery code.",
    )


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
        return ApiTokenSerializer(*args, **kwargs)

    @extend_schema(
        request=ApiTokenSerializer,
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
        "It is shown only in this answer (only its hash is kept); ask again for a new one. "
        "An account with two-factor authentication also sends `code`; staff who must set up "
        "two-factor authentication set it up on the site first.",
    )
    def post(self, request, *args, **kwargs):
        data = request.data if hasattr(request.data, "get") else {}
        username = str(data.get("username") or "")
        wait = throttles.login_wait_seconds(request, username)
        if wait:
            raise exceptions.Throttled(wait=wait, detail=throttles.login_refusal(wait))
        serializer = self.get_serializer(data=request.data)
        with throttles.password_check_slot() as free:
            if not free:
                wait = throttles.BUSY_RETRY_SECONDS
                raise exceptions.Throttled(wait=wait, detail=throttles.busy_refusal())
            valid = serializer.is_valid()
        if not valid:
            if username and data.get("password"):
                throttles.login_failed(request, username)
            raise exceptions.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        refusal = mfa.api_token_refusal(user, str(data.get("code") or ""))
        if refusal:
            if data.get("code"):
                throttles.login_failed(request, username)  # wrong codes count as failures
            raise exceptions.PermissionDenied(refusal)
        throttles.login_succeeded(request, username)
        token, raw = token_issue(user=user)
        return Response({"token": raw, "expires_at": token.expires_at})
