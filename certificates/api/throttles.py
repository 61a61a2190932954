"""Rate limits for verification: per IP when anonymous, per user, per API key.

Rates default here and can be changed with the setting
``CERTIFICATES_VERIFY_RATES = {"verify_anon": "60/min", ...}``. The client's
address is REMOTE_ADDR unless DRF's NUM_PROXIES says how many proxies to
trust: an X-Forwarded-For header a client writes itself must not let it pick
a fresh identity for every request.
"""

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from organizations.api_keys import request_api_key

DEFAULT_RATES = {
    "verify_anon": "60/min",
    "verify_user": "300/min",
    "verify_key": "1200/min",
    # Guesses at a holder's full name on the public page, per IP.
    "verify_name": "10/hour",
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


def count_in_window(key: str, seconds: int, *, cache=None) -> int:
    """Count one more event under key; the count starts at the first event and lasts seconds."""
    cache = cache or caches[DEFAULT_CACHE_ALIAS]
    client = _redis_client(cache, key)
    if client is not None:
        # One round trip: INCR and, for a new key, its expiry, in one MULTI.
        stored_key = cache.make_and_validate_key(key)
        pipe = client.pipeline(transaction=True)
        pipe.incr(stored_key)
        pipe.expire(stored_key, seconds, nx=True)
        return pipe.execute()[0]
    # Any other cache: incr() is atomic on memcached and in memory; add() opens the window.
    try:
        return cache.incr(key)
    except ValueError:
        if cache.add(key, 1, seconds):
            return 1
        return cache.incr(key)  # another process opened it first


def _redis_client(cache, key: str):
    """The redis-py client behind Django's own Redis cache backend, else None.

    Django's RedisCache.incr() asks EXISTS before INCR (two round trips, and
    add() a third); the throttle runs on every verification, so it talks to
    Redis directly through the backend's own connection pool.
    """
    if not isinstance(cache, RedisCache):
        return None
    return cache._cache.get_client(key, write=True)


class _VerifyThrottle(SimpleRateThrottle):
    """A counter per client and window rather than DRF's list of every request's time.

    DRF's SimpleRateThrottle reads and writes the whole list of timestamps on
    every request; at a verifier's thousands of requests a minute that list
    was the slowest part of the answer. A counter costs the same at any rate;
    the price is that a client may spend two windows' allowance around a
    window's edge.
    """

    def __init__(self) -> None:
        # The class's `rate`, unless the setting overrides it (read per request, so tests can).
        self.rate = rate_for(self.scope)
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        return count_in_window(f"{key}:{window}", self.duration) <= self.num_requests

    def wait(self) -> float:
        return max(0.0, self.window_ends - self.now)

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


def name_guess_allowed(request) -> bool:
    """Count one guess at a holder's name from this client; False once over the rate."""
    rate = rate_for("verify_name")
    if rate is None:
        return True
    limit, duration = SimpleRateThrottle.parse_rate(None, rate)
    return count_in_window(f"certificates:name-guess:{client_ip(request)}", duration) <= limit
