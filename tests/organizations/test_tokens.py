"""Personal API tokens: issued once, stored hashed, expiring (review finding 5)."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from organizations import tokens
from organizations.models import AccessToken
from tests import factories


@pytest.fixture
def api():
    return APIClient()


def obtain(api, username="student", password=factories.PASSWORD):
    return api.post(reverse("api_token"), {"username": username, "password": password})


def test_the_token_is_shown_once_with_its_expiry_and_only_its_hash_is_stored(api, student):
    before = timezone.now()
    response = obtain(api)

    assert response.status_code == 200
    raw = response.json()["token"]
    prefix, secret = raw.split(".", 1)
    stored = AccessToken.objects.get(user=student)
    assert stored.prefix == prefix
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert not any(secret in str(value) for value in AccessToken.objects.values().get().values())
    expires = timezone.datetime.fromisoformat(response.json()["expires_at"])
    assert before + tokens.token_lifetime() <= expires <= timezone.now() + tokens.token_lifetime()
    # Asking again gives a new token, never the first one back.
    assert obtain(api).json()["token"] != raw


def test_a_token_authenticates_until_it_expires(api, student, settings):
    settings.ORGANIZATIONS_API_TOKEN_TTL_HOURS = 1
    raw = obtain(api).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert api.get("/api/v1/enrollments/").status_code == 200
    assert AccessToken.objects.get(user=student).last_used_at is not None

    AccessToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = api.get("/api/v1/enrollments/")
    # 403 where session authentication is listed first (DRF answers 401 only with a challenge).
    assert expired.status_code in (401, 403)
    assert "expired" in expired.json()["detail"]


def test_wrong_secret_unknown_prefix_and_inactive_user_are_refused(api, student):
    token, raw = tokens.token_issue(user=student)
    prefix, secret = raw.split(".", 1)
    for bad in (f"{prefix}.{secret[:-1]}x", f"zzzzzzzz.{secret}", prefix, "a.b.c"):
        api.credentials(HTTP_AUTHORIZATION=f"Token {bad}")
        assert api.get("/api/v1/enrollments/").status_code in (401, 403), bad
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert api.get("/api/v1/enrollments/").status_code == 200
    student.is_active = False
    student.save()
    assert api.get("/api/v1/enrollments/").status_code in (401, 403)


def test_issuing_drops_expired_tokens_and_keeps_at_most_ten(student):
    old, _raw = tokens.token_issue(user=student, lifetime=timedelta(seconds=-1))
    for _ in range(tokens.MAX_TOKENS_PER_USER + 2):
        tokens.token_issue(user=student)
    assert not AccessToken.objects.filter(pk=old.pk).exists()
    assert AccessToken.objects.filter(user=student).count() == tokens.MAX_TOKENS_PER_USER


def test_wrong_passwords_issue_no_token(api, student):
    assert obtain(api, password="wrong").status_code == 400
    assert not AccessToken.objects.exists()


def test_the_exam_api_takes_the_new_tokens(api, student):
    _token, raw = tokens.token_issue(user=student)
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    # No such exam, but authenticated: 404, not 401.
    assert api.post("/api/v1/exams/999999/start/").status_code == 404


def test_changing_the_password_ends_every_token(client, api, student):
    raw = obtain(api).json()["token"]
    client.post(reverse("login"), {"login": "student", "password": factories.PASSWORD})
    new_password = "a-new-Passw0rd-for-tokens"
    changed = client.post(
        reverse("password_change"),
        {"oldpassword": factories.PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert changed.status_code == 302
    assert not AccessToken.objects.filter(user=student).exists()
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert api.get("/api/v1/enrollments/").status_code in (401, 403)
    # A token asked for with the new password works.
    api.credentials()
    fresh = obtain(api, password=new_password).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {fresh}")
    assert api.get("/api/v1/enrollments/").status_code == 200


def test_tokens_issued_in_bulk_for_the_bench_authenticate(student, other_student):
    raw = tokens.tokens_issue_many([student, other_student], lifetime=timedelta(days=2))
    assert set(raw) == {student.pk, other_student.pk}
    assert tokens.token_authenticate(raw[student.pk]).user == student
    assert tokens.token_authenticate(raw[other_student.pk]).user == other_student
