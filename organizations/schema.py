"""How API clients authenticate, for the OpenAPI schema: API keys and DRF tokens."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiViewExtension
from drf_spectacular.utils import extend_schema

from .api_keys import AUTH_SCHEME, KEY_PREFIX


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "organizations.api_keys.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                f'An organisation\'s API key, sent as "{AUTH_SCHEME} <key>", for example '
                f'"Authorization: {AUTH_SCHEME} {KEY_PREFIX}_abcd1234_<secret>". '
                "Enterprise administrators create keys in the admin."
            ),
        }


class ObtainAuthTokenDocs(OpenApiViewExtension):
    """A summary for DRF's token view (drf-spectacular's own extension only fixes old DRFs)."""

    target_class = "rest_framework.authtoken.views.ObtainAuthToken"
    priority = 1

    def view_replacement(self):
        @extend_schema(
            summary="Exchange a username and password for an API token",
            description='Send the token back as "Authorization: Token <token>". The same '
            "token is returned until it is deleted.",
        )
        class Documented(self.target):
            pass

        return Documented
