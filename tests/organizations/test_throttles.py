"""Fixed-window rate limits: the API's default throttles and the verification ones."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache

from organizations.throttles import UserThrottle, count_in_window
from tests.conftest import require, service_up


class TwoPerMinute(UserThrottle):
    rate = "2/min"


@pytest.fixture
def clock(monkeypatch):
    now = {"t": 6_000_010.0}
    monkeypatch.setattr(TwoPerMinute, "timer", lambda self: now["t"])
    cache.clear()
    yield now
    cache.clear()


def request_from(user, address="10.0.0.1"):
    return SimpleNamespace(user=user, META={"REMOTE_ADDR": address}, headers={})


def test_a_user_gets_the_rate_then_waits_for_the_next_window(clock, student):
    throttle, request = TwoPerMinute(), request_from(student)

    allowed = [throttle.allow_request(request, None) for _ in range(3)]
    wait = throttle.wait()
    clock["t"] += 50  # the next minute's window
    again = TwoPerMinute().allow_request(request, None)

    assert allowed == [True, True, False]
    assert wait == 50
    assert again is True


def test_each_user_and_each_anonymous_address_has_its_own_count(clock, student, other_student):
    for who in (student, other_student):
        assert [TwoPerMinute().allow_request(request_from(who), None) for _ in range(2)] == [
            True,
            True,
        ]
    anonymous = [
        TwoPerMinute().allow_request(request_from(AnonymousUser(), address), None)
        for address in ("10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.1")
    ]
    assert anonymous == [True, True, True, False]


def test_the_redis_counter_is_one_round_trip_and_expires(db):
    require(service_up("redis"), "Redis is not running on 127.0.0.1:6379")
    redis_cache = RedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": "throttle-test"})
    redis_cache.delete("window")
    client = redis_cache._cache.get_client("window", write=True)

    counts = [count_in_window("window", 7, cache=redis_cache) for _ in range(3)]

    assert counts == [1, 2, 3]
    assert 0 < client.ttl(redis_cache.make_and_validate_key("window")) <= 7
    assert redis_cache.get("window") == 3  # Django reads the counter back as a number
    redis_cache.delete("window")
