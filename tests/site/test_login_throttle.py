"""Wrong passwords slow down per account and per address, never lock anyone out for good."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from lms import throttles
from tests import factories

ATTACKER, OWNER, ELSEWHERE = "203.0.113.66", "198.51.100.7", "192.0.2.9"


@pytest.fixture
def clock(monkeypatch):
    """Move the throttles' clock forward without waiting."""

    class Clock:
        offset = 0.0

        def advance(self, seconds: float) -> None:
            self.offset += seconds

    clock = Clock()
    real_now = throttles.now
    monkeypatch.setattr(throttles, "now", lambda: real_now() + clock.offset)
    return clock


def log_in(client, username, password, address):
    return client.post(
        reverse("login"), {"login": username, "password": password}, REMOTE_ADDR=address
    )


def fail(client, username, address, times) -> list[int]:
    return [log_in(client, username, "wrong guess", address).status_code for _ in range(times)]


def test_failures_lock_for_longer_each_time_up_to_fifteen_minutes():
    delays = [throttles.backoff_seconds(n, free=5) for n in range(1, 13)]
    assert delays == [0, 0, 0, 0, 0, 60, 120, 240, 480, 900, 900, 900]


def test_the_sixth_wrong_password_locks_that_address_out_even_with_the_right_one(client, student):
    assert fail(client, "student", ATTACKER, 6) == [200] * 6

    response = log_in(client, "student", factories.PASSWORD, ATTACKER)

    assert response.status_code == 429
    assert 55 <= int(response["Retry-After"]) <= 60
    assert "Your account is temporarily locked" in response.text
    assert "in about 1 minute." in response.text
    assert "_auth_user_id" not in client.session


def test_the_owner_logs_in_from_elsewhere_while_an_attacker_is_locked(client, student):
    assert fail(client, "student", ATTACKER, 8) == [200] * 6 + [429] * 2

    response = log_in(client, "student", factories.PASSWORD, OWNER)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(student.pk)


def test_one_attacker_guessing_for_hours_never_locks_the_owner_out(client, student, clock):
    for _ in range(40):
        log_in(client, "student", "wrong guess", ATTACKER)
        clock.advance(16 * 60)  # waits out every lock

    assert log_in(client, "student", factories.PASSWORD, OWNER).status_code == 302


def test_the_lock_expires(client, student, clock):
    fail(client, "student", ATTACKER, 6)
    assert log_in(client, "student", factories.PASSWORD, ATTACKER).status_code == 429

    clock.advance(61)

    assert log_in(client, "student", factories.PASSWORD, ATTACKER).status_code == 302


def test_guesses_from_many_addresses_lock_the_account_for_at_most_the_cap(client, student, clock):
    for n in range(40):
        address = f"203.0.113.{n}"
        fail(client, "student", address, 5)
        clock.advance(1)

    refused = log_in(client, "student", factories.PASSWORD, OWNER)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) <= 15 * 60

    clock.advance(15 * 60)
    assert log_in(client, "student", factories.PASSWORD, OWNER).status_code == 302


def test_a_password_reset_lifts_the_accounts_lock_but_not_the_attackers(client, student, clock):
    fail(client, "student", ATTACKER, 7)  # this address is locked for two minutes
    for n in range(40):
        fail(client, "student", f"203.0.113.{n}", 5)
        clock.advance(1)
    assert log_in(client, "student", factories.PASSWORD, OWNER).status_code == 429

    # The owner resets the password from the emailed link, and logs in with it at once.
    assert (
        client.post(
            reverse("password_reset"), {"email": "student@example.org"}, REMOTE_ADDR=OWNER
        ).status_code
        == 302
    )
    link = next(
        line for line in mail.outbox[-1].body.splitlines() if "/password/reset/key/" in line
    )
    form = client.get(link.removeprefix("http://testserver"), REMOTE_ADDR=OWNER, follow=True)
    new_password = "harbour-lantern-42"
    done = client.post(
        form.redirect_chain[-1][0],
        {"password1": new_password, "password2": new_password},
        REMOTE_ADDR=OWNER,
    )
    assert done.status_code == 302
    assert log_in(client, "student", new_password, OWNER).status_code == 302
    client.logout()

    # The address that guessed past its own allowance stays locked.
    assert log_in(client, "student", new_password, ATTACKER).status_code == 429


def test_spraying_many_accounts_from_one_address_locks_the_address(client, student):
    for n in range(31):
        log_in(client, f"user{n}", "wrong guess", ATTACKER)

    assert log_in(client, "student", factories.PASSWORD, ATTACKER).status_code == 429
    assert log_in(client, "student", factories.PASSWORD, OWNER).status_code == 302


def test_a_right_password_forgets_that_addresses_failures(client, student):
    fail(client, "student", OWNER, 5)
    assert log_in(client, "student", factories.PASSWORD, OWNER).status_code == 302
    client.logout()

    fail(client, "student", OWNER, 5)  # five more free tries, not a lock
    assert log_in(client, "student", factories.PASSWORD, OWNER).status_code == 302


def token(client, username, password, address):
    return client.post(
        reverse("api_token"),
        json.dumps({"username": username, "password": password}),
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_the_token_endpoint_is_throttled_the_same_way(client, student):
    for _ in range(6):
        assert token(client, "student", "wrong guess", ATTACKER).status_code == 400

    refused = token(client, "student", factories.PASSWORD, ATTACKER)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many failed attempts" in refused.json()["detail"]

    allowed = token(client, "student", factories.PASSWORD, OWNER)
    assert allowed.status_code == 200 and allowed.json()["token"]


def test_page_and_token_failures_count_together(client, student):
    fail(client, "student", ATTACKER, 3)
    for _ in range(3):
        token(client, "student", "wrong guess", ATTACKER)
    assert token(client, "student", factories.PASSWORD, ATTACKER).status_code == 429


def test_the_admin_logs_in_through_the_throttled_site_login(client, db):
    admin = factories.person("root", None, None)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

    fail(client, "root", ATTACKER, 6)
    refused = log_in(client, "root", factories.PASSWORD, ATTACKER)

    assert refused.status_code == 429
    assert "Your account is temporarily locked" in refused.text
    assert "_auth_user_id" not in client.session


def test_a_login_storm_leaves_pages_the_api_and_other_logins_working(
    client, student, other_student
):
    for n in range(60):
        log_in(client, f"victim{n % 7}", "wrong guess", f"203.0.113.{n % 3}")
    log_in(client, "student", "wrong guess", ATTACKER)

    signed_in = type(client)()
    signed_in.force_login(student)
    assert signed_in.get(reverse("exams:exam_list"), REMOTE_ADDR=ELSEWHERE).status_code == 200
    assert signed_in.get("/api/v1/certificates/mine/", REMOTE_ADDR=ELSEWHERE).status_code == 200
    assert log_in(client, "other", factories.PASSWORD, ELSEWHERE).status_code == 302


def test_logins_beyond_the_checks_in_flight_are_refused_at_once_and_count_nothing(
    client, student, settings
):
    settings.LOGIN_THROTTLE = {"CONCURRENT_CHECKS": 1}
    with throttles.password_check_slot() as free:  # another worker is checking a password
        assert free
        busy = log_in(client, "student", factories.PASSWORD, OWNER)
        api = token(client, "student", factories.PASSWORD, OWNER)

    assert busy.status_code == 429 and busy["Retry-After"] == "3"
    assert "Try again in a few seconds" in busy.text
    assert api.status_code == 429 and "Try again in a few seconds" in api.json()["detail"]
    assert "_auth_user_id" not in client.session
    # Nothing was counted against the account: it logs in as soon as a check is free.
    assert log_in(client, "student", factories.PASSWORD, OWNER).status_code == 302


def test_a_check_held_by_a_worker_that_died_frees_itself(client, student, settings, clock):
    settings.LOGIN_THROTTLE = {"CONCURRENT_CHECKS": 1}
    with throttles.password_check_slot():
        clock.advance(throttles.CHECK_STALE_SECONDS + 1)
        assert log_in(client, "student", factories.PASSWORD, OWNER).status_code == 302


def test_the_checks_in_flight_are_counted_across_processes_in_redis(settings, monkeypatch):
    from django.core.cache.backends.redis import RedisCache

    from tests.conftest import require, service_up

    require(service_up("redis"), "Redis is not running on 127.0.0.1:6379")
    redis_cache = RedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": "checks-test"})
    redis_cache.delete(throttles.CHECKS_KEY)
    monkeypatch.setattr(throttles, "cache", redis_cache)
    settings.LOGIN_THROTTLE = {"CONCURRENT_CHECKS": 2}
    key = redis_cache.make_and_validate_key(throttles.CHECKS_KEY)
    client = redis_cache._cache.get_client(key, write=True)

    with throttles.password_check_slot() as first, throttles.password_check_slot() as second:
        with throttles.password_check_slot() as third:
            assert (first, second, third) == (True, True, False)
            assert client.zcard(key) == 3
        assert client.zcard(key) == 2  # a refused check gives its place back at once
    assert client.zcard(key) == 0
    assert 0 < client.ttl(key) <= throttles.CHECK_STALE_SECONDS or not client.exists(key)


def test_a_locked_login_is_refused_before_the_page_without_a_query(
    client, student, django_assert_num_queries
):
    fail(client, "student", ATTACKER, 6)

    with django_assert_num_queries(0):
        refused = log_in(client, "student", factories.PASSWORD, ATTACKER)

    assert refused.status_code == 429 and 55 <= int(refused["Retry-After"]) <= 60
    assert 'name="password"' not in refused.text  # not the login page: a short answer
    assert f'href="{reverse("login")}"' in refused.text
    assert "Content-Security-Policy" in refused
    chinese = client.post(
        reverse("login"),
        {"login": "student", "password": "x"},
        REMOTE_ADDR=ATTACKER,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert chinese.status_code == 429 and "登录" in chinese.text
