"""How API clients authenticate, for the OpenAPI schema: API keys and personal tokens."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .api_keys import AUTH_SCHEME, KEY_PREFIX
from .tokens import KEYWORD


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
                "Enterprise administrators create keys on their API keys page."
            ),
        }


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "organizations.tokens.TokenAuthentication"
    name = "TokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                f'A personal token from /api/v1/auth/token/, sent as "{KEYWORD} <token>". '
                "It expires (the answer that issues it says when) and is shown only once."
            ),
        }
