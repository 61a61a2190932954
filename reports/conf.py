"""The reports app's settings for learning records, read here with their defaults.

Each is an ``XAPI_…`` setting; lms/settings.py fills them from the environment. Forwarding
to a Learning Record Store is off until ``XAPI_LRS_ENDPOINT`` is set.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from certificates.rendering import base_url

DEFAULT_BATCH_SIZE = 100
DEFAULT_TIMEOUT_SECONDS = 10


def site_url() -> str:
    """The origin the statements' IRIs are on: the site's public address."""
    return base_url()


def lrs_endpoint() -> str:
    """The LRS's xAPI base (statements are POSTed to <endpoint>/statements); "" is off."""
    endpoint = (getattr(settings, "XAPI_LRS_ENDPOINT", "") or "").rstrip("/")
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise ImproperlyConfigured("XAPI_LRS_ENDPOINT must be an http:// or https:// address.")
    return endpoint


def lrs_credentials() -> tuple[str, str] | None:
    username = getattr(settings, "XAPI_LRS_USERNAME", "") or ""
    if not username:
        return None
    return username, getattr(settings, "XAPI_LRS_PASSWORD", "") or ""


def batch_size() -> int:
    return max(1, int(getattr(settings, "XAPI_LRS_BATCH_SIZE", DEFAULT_BATCH_SIZE)))


def timeout_seconds() -> float:
    return float(getattr(settings, "XAPI_LRS_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))
