"""A login attempt costs one password hash, right or wrong, known account or not.

The hash is deliberately slow: it is what a storm of guesses costs the site. Django's
ModelBackend and allauth's backend each hashed a wrong password (lms/auth_backends.py).
"""

import json

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db
ADDRESS = "198.51.100.7"


@pytest.fixture
def hashes(monkeypatch):
    """How many times a password was hashed (a check hashes once, the dummy for an unknown
    account once: the tests' MD5 hasher verifies by encoding)."""
    count = {"n": 0}
    encode = MD5PasswordHasher.encode

    def counting(self, password, salt):
        count["n"] += 1
        return encode(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting)

    def taken() -> int:
        n, count["n"] = count["n"], 0
        return n

    return taken


def log_in(client, login, password):
    return client.post(
        reverse("login"), {"login": login, "password": password}, REMOTE_ADDR=ADDRESS
    )


def token(client, username, password):
    return client.post(
        "/api/v1/auth/token/",
        json.dumps({"username": username, "password": password}),
        content_type="application/json",
        REMOTE_ADDR=ADDRESS,
    )


@pytest.mark.parametrize(
    "login", ["student", "student@example.org", "nobody", "nobody@example.org"]
)
def test_a_wrong_password_costs_one_hash_for_a_known_or_unknown_account(
    client, student, hashes, login
):
    hashes()
    assert log_in(client, login, "wrong guess").status_code == 200
    assert hashes() == 1


def test_the_right_password_costs_one_hash_and_logs_in(client, student, hashes):
    hashes()
    assert log_in(client, "student", factories.PASSWORD).status_code == 302
    assert hashes() == 1
    assert client.session["_auth_user_id"] == str(student.pk)


@pytest.mark.parametrize("username", ["student", "nobody"])
def test_the_token_endpoint_hashes_a_wrong_password_once(client, student, hashes, username):
    hashes()
    assert token(client, username, "wrong guess").status_code == 400
    assert hashes() == 1


def test_a_wrong_password_is_still_reported_as_a_failed_login(client, student):
    from django.contrib.auth.signals import user_login_failed

    failures = []

    def record(sender, credentials, **kwargs):
        failures.append(credentials)

    user_login_failed.connect(record)
    try:
        log_in(client, "student", "wrong guess")
    finally:
        user_login_failed.disconnect(record)
    assert len(failures) == 1 and failures[0]["password"] != "wrong guess"
