"""Rate limits that cost one cache round trip, whatever the rate.

DRF's SimpleRateThrottle keeps every request's time in one cache value and
reads and writes the whole list on each request: at a verifier's thousands of
requests a minute that list was the slowest part of an answer. These count
requests per client in fixed windows instead. The price is that a client may
spend two windows' allowance around a window's edge.
"""

import contextlib

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache
from rest_framework import throttling
from rest_framework.settings import api_settings

# INCR and, for the key it creates, EXPIRE: atomic, in one round trip. (A MULTI pipeline
# did the same, but redis-py builds a Pipeline, copying ~170 reply callbacks, per call.)
_COUNT_SCRIPT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""


def count_in_window(key: str, seconds: int, *, cache=None) -> int:
    """Count one more event under key; the count starts at the first event and lasts seconds."""
    cache = cache or caches[DEFAULT_CACHE_ALIAS]
    client = _redis_client(cache, key)
    if client is not None:
        return client.eval(_COUNT_SCRIPT, 1, cache.make_and_validate_key(key), seconds)
    # Any other cache: incr() is atomic on memcached and in memory; add() opens the window.
    try:
        return cache.incr(key)
    except ValueError:
        if cache.add(key, 1, seconds):
            return 1
        return cache.incr(key)  # another process opened it first


def uncount_in_window(key: str, *, cache=None) -> None:
    """Take back one event counted under key (it turned out not to count); none if it expired."""
    cache = cache or caches[DEFAULT_CACHE_ALIAS]
    with contextlib.suppress(ValueError):  # the window ended in between: nothing to take back
        cache.decr(key)


def client_ip(request) -> str:
    """The client address, trusting X-Forwarded-For only as far as DRF's NUM_PROXIES allows.

    An X-Forwarded-For header a client writes itself must not let it pick a fresh identity
    for every request.
    """
    if api_settings.NUM_PROXIES:
        forwarded = request.headers.get("x-forwarded-for")
        if forwarded:
            addresses = [a.strip() for a in forwarded.split(",")]
            return addresses[-min(api_settings.NUM_PROXIES, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


def _redis_client(cache, key: str):
    """The redis-py client behind Django's own Redis cache backend, else None.

    Django's RedisCache.incr() asks EXISTS before INCR (two round trips, and
    add() a third); a throttle runs on every API request, so it talks to Redis
    directly through the backend's own connection pool.
    """
    if not isinstance(cache, RedisCache):
        return None
    return cache._cache.get_client(key, write=True)


class WindowRateThrottle(throttling.SimpleRateThrottle):
    """SimpleRateThrottle's rates and cache keys, counted per fixed window."""

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


class AnonThrottle(WindowRateThrottle, throttling.AnonRateThrottle):
    """Anonymous requests per client address (the "anon" rate)."""


class UserThrottle(WindowRateThrottle, throttling.UserRateThrottle):
    """Requests per signed-in user, else per address (the "user" rate)."""
