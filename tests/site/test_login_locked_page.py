"""A locked login gets the site's page, in the visitor's language: why, until when, and
the way out (a password reset); JSON callers get JSON. A login over the password checks
in flight is told something else: not locked, try again in a few seconds."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lms import throttles
from tests import factories

pytestmark = pytest.mark.django_db
ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"


def log_in(client, username, password, address, **headers):
    return client.post(
        reverse("login"), {"login": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def lock(client, username, address, times=6):
    for _ in range(times):
        log_in(client, username, "wrong guess", address)


def unlock_time(response) -> str:
    seconds = int(response["Retry-After"])
    at = datetime.fromtimestamp(throttles.now() + seconds, tz=UTC)
    return timezone.localtime(at).strftime("%H:%M")


def test_a_locked_account_is_told_why_until_when_and_how_to_reset(client, student):
    lock(client, "student", OWNER)

    refused = log_in(client, "student", factories.PASSWORD, OWNER)

    assert refused.status_code == 429 and 55 <= int(refused["Retry-After"]) <= 60
    page = refused.text
    assert 'class="site-header"' in page  # the site's own page
    assert "Your account is temporarily locked" in page
    assert "too many wrong passwords for this account" in page
    assert f"You can try again at {unlock_time(refused)}, in about 1 minute." in page
    assert f'href="{reverse("password_reset")}"' in page
    assert 'name="password"' not in page


def test_the_locked_page_is_in_chinese_for_a_chinese_visitor(client, student):
    lock(client, "student", OWNER)

    refused = log_in(client, "student", "x", OWNER, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert refused.status_code == 429
    page = refused.text
    assert '<html lang="zh-hans"' in page
    assert "您的账户已暂时锁定" in page
    assert f"您可以在 {unlock_time(refused)}（约 1 分钟后）再试。" in page
    assert "重置密码" in page and f'href="{reverse("password_reset")}"' in page
    assert "Your account" not in page


def test_a_json_caller_gets_json_with_the_wait_and_the_reset_address(client, student):
    lock(client, "student", OWNER)

    by_accept = log_in(client, "student", "x", OWNER, HTTP_ACCEPT="application/json")

    assert by_accept.status_code == 429 and by_accept["Content-Type"] == "application/json"
    data = by_accept.json()
    assert data["code"] == "login_locked" and 55 <= data["retry_after"] <= 60
    assert "Too many failed attempts to log in" in data["detail"]
    assert data["password_reset"] == reverse("password_reset")


def test_an_address_that_guessed_at_many_accounts_is_not_sent_to_reset(client, student):
    for n in range(31):
        log_in(client, f"user{n}", "wrong guess", ATTACKER)

    refused = log_in(client, "student", factories.PASSWORD, ATTACKER)

    assert refused.status_code == 429
    assert "Logging in from your connection is paused for now" in refused.text
    assert f'href="{reverse("password_reset")}"' not in refused.text
    api = client.post(
        reverse("login"),
        json.dumps({"login": "student", "password": "x"}),
        content_type="application/json",
        REMOTE_ADDR=ATTACKER,
    )
    assert api.status_code == 429 and api.json()["code"] == "login_locked"
    assert "password_reset" not in api.json()


def test_a_reset_lifts_the_owners_own_lock_on_the_same_connection(client, student):
    lock(client, "student", OWNER)
    assert log_in(client, "student", factories.PASSWORD, OWNER).status_code == 429

    client.post(reverse("password_reset"), {"email": "student@example.org"}, REMOTE_ADDR=OWNER)
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


def test_the_locked_pages_language_switch_passes_the_csrf_check(student):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"), REMOTE_ADDR=OWNER)  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    for _ in range(6):
        client.post(
            reverse("login"),
            {"login": "student", "password": "wrong", "csrfmiddlewaretoken": token},
            REMOTE_ADDR=OWNER,
        )
    refused = log_in(client, "student", factories.PASSWORD, OWNER)
    assert refused.status_code == 429

    form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', refused.text).group(1)
    switched = client.post(
        reverse("set_language"),
        {"language": "zh-hans", "next": "/", "csrfmiddlewaretoken": form_token},
        REMOTE_ADDR=OWNER,
    )
    assert switched.status_code == 302


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_too_many_sign_ins_at_once_is_not_a_lock(client, student, settings, language):
    settings.LOGIN_THROTTLE = {"CONCURRENT_CHECKS": 1}
    with throttles.password_check_slot():  # another worker is checking a password
        busy = log_in(client, "student", factories.PASSWORD, OWNER, HTTP_ACCEPT_LANGUAGE=language)
        api = log_in(client, "student", factories.PASSWORD, OWNER, HTTP_ACCEPT="application/json")

    assert busy.status_code == 429 and busy["Retry-After"] == "3"
    heading, not_locked = {
        "en": ("Too many sign-ins at once", "Your account is not locked"),
        "zh-hans": ("同时登录的人太多", "您的账户没有被锁定"),
    }[language]
    assert heading in busy.text and not_locked in busy.text
    assert f'href="{reverse("password_reset")}"' not in busy.text
    assert api.json()["code"] == "login_busy" and api.json()["retry_after"] == 3
    assert log_in(client, "student", factories.PASSWORD, OWNER).status_code == 302


def test_the_unlock_time_is_the_sites_local_time(client, student, monkeypatch):
    fixed = datetime(2026, 3, 1, 1, 0, tzinfo=UTC).timestamp()
    monkeypatch.setattr(throttles, "now", lambda: fixed)
    lock(client, "student", OWNER)
    refused = log_in(client, "student", factories.PASSWORD, OWNER)
    shanghai = (datetime(2026, 3, 1, 9, 0) + timedelta(seconds=60)).strftime("%H:%M")
    assert f"You can try again at {shanghai}" in refused.text
