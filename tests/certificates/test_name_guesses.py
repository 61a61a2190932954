"""Name checks on the public page are limited per certificate too, with backoff and no CAPTCHA.

Review finding 10: the masked name "Zhang W." was confirmed on the 10th guess,
within the hourly per-IP limit.
"""

import time

import pytest
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse

from certificates.name_guesses import MAX_PAUSE_SECONDS, pause_seconds
from organizations.throttles import count_in_window, uncount_in_window
from tests.conftest import require, service_up

HOUR = 3600


@pytest.fixture
def later(monkeypatch):
    """Move the cache's clock forward: later(seconds)."""
    real = time.time
    offset = {"seconds": 0.0}
    monkeypatch.setattr(time, "time", lambda: real() + offset["seconds"])

    def advance(seconds: float) -> None:
        offset["seconds"] += seconds

    return advance


def guess(client, certificate, name: str, address: str = "10.0.0.1"):
    return client.post(
        reverse("certificates:verify", args=[certificate.serial]),
        {"name": name},
        REMOTE_ADDR=address,
    )


def outcome(response) -> str:
    return response.context["name_check"]


def test_the_tenth_guess_from_one_address_no_longer_confirms_the_name(client, certificate):
    wrong = [guess(client, certificate, f"Zhang {n}") for n in range(9)]
    tenth = guess(client, certificate, "Zhang Wei")

    assert [outcome(r) for r in wrong[:5]] == ["does_not_match"] * 5
    assert {outcome(r) for r in wrong[5:]} == {"paused"}
    assert outcome(tenth) == "paused"
    assert tenth.status_code == 429
    assert "The name matches" not in tenth.content.decode()


def test_five_wrong_names_from_five_addresses_pause_the_certificate(client, certificate):
    answers = [guess(client, certificate, "Wang Fang", f"10.0.1.{n}") for n in range(5)]
    sixth = guess(client, certificate, "Zhang Wei", "10.0.2.1")

    assert [outcome(r) for r in answers] == ["does_not_match"] * 5
    assert outcome(sixth) == "paused"
    assert "name checks on it are paused" in sixth.content.decode()


def test_a_paused_certificate_answers_right_and_wrong_names_alike(client, certificate):
    for n in range(5):
        guess(client, certificate, f"Li {n}", f"10.0.3.{n}")

    right = guess(client, certificate, "Zhang Wei", "10.0.4.1")
    wrong = guess(client, certificate, "Li Lei", "10.0.4.2")

    assert (right.status_code, outcome(right)) == (wrong.status_code, outcome(wrong))


def test_a_paused_certificate_still_shows_its_page_and_status(client, certificate):
    for n in range(5):
        guess(client, certificate, f"Li {n}", f"10.0.5.{n}")

    page = client.get(reverse("certificates:verify", args=[certificate.serial]))
    found = client.get(reverse("certificates:verify_search"), {"serial": certificate.serial})

    assert page.status_code == 200
    assert page.context["answer"]["status"] == "valid"
    assert found.status_code == 302


def test_other_certificates_name_checks_are_unaffected(
    client, make_certificate, student, other_student
):
    attacked = make_certificate(student)
    other = make_certificate(other_student)
    for n in range(6):
        guess(client, attacked, f"Li {n}", "10.0.6.1")

    assert outcome(guess(client, other, "Li Lei", "10.0.6.1")) == "matches"
    assert outcome(guess(client, other, "Li Lei", "10.0.6.2")) == "matches"


def test_right_names_never_count_so_one_office_confirms_many(client, make_certificate, student):
    certificates = [make_certificate(student) for _ in range(3)]

    answers = [
        outcome(guess(client, certificate, "Zhang Wei", "192.0.2.7"))
        for certificate in certificates
        for _ in range(5)
    ]

    assert answers == ["matches"] * 15


def test_one_address_guessing_does_not_lock_out_another(
    client, make_certificate, student, other_student
):
    targets = [make_certificate(other_student) for _ in range(5)]
    for target in targets:  # two wrong names each: no certificate reaches its own limit
        guess(client, target, "Wang Fang", "203.0.113.9")
        guess(client, target, "Wang Fang", "203.0.113.9")

    limited = guess(client, targets[0], "Li Lei", "203.0.113.9")
    office = guess(client, targets[0], "Li Lei", "198.51.100.4")

    assert outcome(limited) == "limited"
    assert outcome(office) == "matches"


def test_further_wrong_names_pause_the_certificate_twice_as_long_each_time(
    client, certificate, later
):
    for n in range(5):
        guess(client, certificate, f"Li {n}", f"10.0.7.{n}")
    assert outcome(guess(client, certificate, "Zhang Wei", "10.0.8.1")) == "paused"

    later(HOUR + 1)  # the first pause (an hour) is over
    assert outcome(guess(client, certificate, "Zhang Wei", "10.0.8.2")) == "matches"
    assert outcome(guess(client, certificate, "Li 5", "10.0.8.3")) == "does_not_match"
    later(HOUR + 1)
    assert outcome(guess(client, certificate, "Zhang Wei", "10.0.8.4")) == "paused"
    later(HOUR)  # two hours after the second pause began
    assert outcome(guess(client, certificate, "Li 6", "10.0.8.5")) == "does_not_match"
    later(3 * HOUR)
    assert outcome(guess(client, certificate, "Zhang Wei", "10.0.8.6")) == "paused"
    later(HOUR + 1)  # four hours after the third pause began
    assert outcome(guess(client, certificate, "Zhang Wei", "10.0.8.7")) == "matches"


def test_a_certificate_forgets_its_pauses_after_two_quiet_days(client, certificate, later):
    for n in range(5):
        guess(client, certificate, f"Li {n}", f"10.0.9.{n}")

    later(2 * 24 * HOUR + 1)

    answers = [outcome(guess(client, certificate, f"Li {n}", f"10.0.10.{n}")) for n in range(4)]
    assert answers == ["does_not_match"] * 4
    assert outcome(guess(client, certificate, "Zhang Wei", "10.0.10.9")) == "matches"


def test_pauses_double_up_to_a_day():
    assert [pause_seconds(n, HOUR) for n in range(1, 7)] == [
        HOUR,
        2 * HOUR,
        4 * HOUR,
        8 * HOUR,
        16 * HOUR,
        MAX_PAUSE_SECONDS,
    ]
    assert pause_seconds(10_000, HOUR) == MAX_PAUSE_SECONDS


def test_the_per_certificate_rate_is_a_setting(client, certificate, settings):
    settings.CERTIFICATES_VERIFY_RATES = {"verify_name_certificate": "2/hour"}

    answers = [outcome(guess(client, certificate, f"Li {n}", f"10.0.11.{n}")) for n in range(3)]

    assert answers == ["does_not_match", "does_not_match", "paused"]


def test_the_pause_is_explained_in_chinese(client, certificate):
    for n in range(5):
        guess(client, certificate, f"Li {n}", f"10.0.12.{n}")

    response = client.post(
        reverse("certificates:verify", args=[certificate.serial]),
        {"name": "Zhang Wei"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert "姓名核对暂停" in response.content.decode()


def test_a_right_guess_is_taken_back_from_the_redis_counter_keeping_its_window(db):
    require(service_up("redis"), "Redis is not running on 127.0.0.1:6379")
    redis_cache = RedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": "name-guess-test"})
    redis_cache.delete("guesses")
    client = redis_cache._cache.get_client("guesses", write=True)

    counts = [count_in_window("guesses", 60, cache=redis_cache) for _ in range(2)]
    uncount_in_window("guesses", cache=redis_cache)
    uncount_in_window("gone", cache=redis_cache)  # an expired window: nothing to take back

    assert counts == [1, 2]
    assert count_in_window("guesses", 60, cache=redis_cache) == 2
    assert 0 < client.ttl(redis_cache.make_and_validate_key("guesses")) <= 60
    redis_cache.delete("guesses")
