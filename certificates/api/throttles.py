"""Rate limits for verification: per IP when anonymous, per user, per API key.

Rates default here and can be changed with the setting
``CERTIFICATES_VERIFY_RATES = {"verify_anon": "60/min", ...}``. The client's
address is REMOTE_ADDR unless DRF's NUM_PROXIES says how many proxies to
trust: an X-Forwarded-For header a client writes itself must not let it pick
a fresh identity for every request.
"""

from django.conf import settings
from rest_framework.settings import api_settings

from organizations.api_keys import request_api_key
from organizations.throttles import WindowRateThrottle

DEFAULT_RATES = {
    "verify_anon": "60/min",
    "verify_user": "300/min",
    "verify_key": "1200/min",
    # Wrong guesses at a holder's full name on the public page, per IP and per certificate
    # (see certificates.name_guesses).
    "verify_name": "10/hour",
    "verify_name_certificate": "5/hour",
}


def rate_for(scope: str) -> str | None:
    return getattr(settings, "CERTIFICATES_VERIFY_RATES", {}).get(scope, DEFAULT_RATES.get(scope))


def client_ip(request) -> str:
    """The client address, trusting X-Forwarded-For only as far as NUM_PROXIES allows."""
    if api_settings.NUM_PROXIES:
        forwarded = request.headers.get("x-forwarded-for")
        if forwarded:
            addresses = [a.strip() for a in forwarded.split(",")]
            return addresses[-min(api_settings.NUM_PROXIES, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


class _VerifyThrottle(WindowRateThrottle):
    def __init__(self) -> None:
        # The class's `rate`, unless the setting overrides it (read per request, so tests can).
        self.rate = rate_for(self.scope)
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_ident(self, request) -> str:
        return client_ip(request)


class VerifyAnonThrottle(_VerifyThrottle):
    scope = "verify_anon"

    def get_cache_key(self, request, view):
        if request_api_key(request) is not None or request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class VerifyUserThrottle(_VerifyThrottle):
    scope = "verify_user"

    def get_cache_key(self, request, view):
        if request_api_key(request) is not None or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class VerifyKeyThrottle(_VerifyThrottle):
    scope = "verify_key"

    def get_cache_key(self, request, view):
        api_key = request_api_key(request)
        if api_key is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": api_key.prefix}


VERIFY_THROTTLES = [VerifyAnonThrottle, VerifyUserThrottle, VerifyKeyThrottle]


def page_wait(request) -> float | None:
    """Count one verification from an HTML page; the seconds to wait when over the limit.

    The pages count against the API's own throttles (per IP, or per user when
    signed in), in the same counters: a client's page and API verifications
    share one allowance.
    """
    for throttle_class in (VerifyAnonThrottle, VerifyUserThrottle):
        throttle = throttle_class()
        if not throttle.allow_request(request, None):
            return throttle.wait()
    return None
