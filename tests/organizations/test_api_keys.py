"""Enterprise API keys: created once and stored hashed, authenticate, scopes, revocation, admin."""

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse
from rest_framework import exceptions
from rest_framework.request import Request

from organizations import api_keys
from organizations.api_keys import (
    ApiKeyAuthentication,
    HasApiKeyScope,
    api_key_authenticate,
    api_key_create,
    api_key_revoke,
    can_manage_api_keys,
)
from organizations.models import ApiKey
from tests import factories


@pytest.fixture
def enterprise_admin(enterprise):
    return factories.person("hr_admin", enterprise, "admin")


@pytest.fixture
def platform_admin(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", factories.PASSWORD)


@pytest.fixture
def staff_enterprise_admin(enterprise_admin):
    enterprise_admin.is_staff = True
    enterprise_admin.save()
    return enterprise_admin


def create(enterprise, by, scopes=("verify",)):
    return api_key_create(organization=enterprise, name="HR system", scopes=list(scopes), by=by)


# Creating


def test_the_raw_key_is_returned_once_and_only_its_hash_is_stored(enterprise, enterprise_admin):
    key, raw = create(enterprise, enterprise_admin)

    scheme, prefix, secret = raw.split("_", 2)
    assert scheme == "cbec"
    assert prefix == key.prefix and len(prefix) == 8
    assert len(secret) >= 40
    assert key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = ApiKey.objects.filter(pk=key.pk).values().get()
    assert not any(secret in str(value) for value in stored.values())
    assert key.created_by == enterprise_admin
    assert key.scopes == ["verify"]


def test_every_key_is_different(enterprise, enterprise_admin):
    (first, raw1), (second, raw2) = (
        create(enterprise, enterprise_admin),
        create(enterprise, enterprise_admin),
    )

    assert raw1 != raw2 and first.prefix != second.prefix


def test_a_platform_admin_creates_keys_for_any_enterprise(enterprise, platform_admin):
    key, _raw = create(enterprise, platform_admin)

    assert key.organization == enterprise


@pytest.mark.parametrize("persona", ["verifier", "mentor", "teacher", "student", "outsider"])
def test_people_who_are_not_its_admins_cannot_create_an_enterprises_key(
    enterprise, request, persona
):
    user = request.getfixturevalue(persona)

    assert not can_manage_api_keys(user, enterprise)
    with pytest.raises(PermissionDenied):
        create(enterprise, user)
    assert not ApiKey.objects.exists()


def test_an_admin_of_another_enterprise_cannot_create_keys(enterprise):
    other = factories.organization(kind="enterprise", code="rival")
    rival_admin = factories.person("rival_admin", other, "admin")

    with pytest.raises(PermissionDenied):
        create(enterprise, rival_admin)


def test_keys_are_for_enterprises_only(school, platform_admin):
    with pytest.raises(ValidationError):
        create(school, platform_admin)


def test_a_school_admin_cannot_create_keys_for_their_school(school):
    admin = factories.person("registrar", school, "admin")

    assert not can_manage_api_keys(admin, school)


@pytest.mark.parametrize("scopes", [[], ["verify", "delete_everything"]])
def test_unknown_or_no_scopes_are_refused(enterprise, enterprise_admin, scopes):
    with pytest.raises(ValidationError):
        create(enterprise, enterprise_admin, scopes)


# Authenticating


def test_the_raw_key_authenticates_and_records_its_use(enterprise, enterprise_admin):
    key, raw = create(enterprise, enterprise_admin)

    assert api_key_authenticate(raw) == key
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_use_is_recorded_at_most_once_a_minute(
    enterprise, enterprise_admin, django_assert_num_queries
):
    _key, raw = create(enterprise, enterprise_admin)
    api_key_authenticate(raw)

    with django_assert_num_queries(1):  # the lookup, no update
        api_key_authenticate(raw)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda raw: raw[:-1] + ("A" if raw[-1] != "A" else "B"),  # wrong secret
        lambda raw: raw.replace("cbec_", "xxxx_"),  # wrong scheme
        lambda raw: "cbec_zzzzzzzz_" + raw.split("_", 2)[2],  # unknown prefix
        lambda raw: raw.rsplit("_", 1)[0],  # truncated
        lambda raw: "",
    ],
)
def test_a_wrong_key_does_not_authenticate(enterprise, enterprise_admin, mangle):
    _key, raw = create(enterprise, enterprise_admin)

    assert api_key_authenticate(mangle(raw)) is None


def test_a_revoked_key_no_longer_authenticates(enterprise, enterprise_admin):
    key, raw = create(enterprise, enterprise_admin)

    api_key_revoke(api_key=key, by=enterprise_admin)

    assert key.revoked_at is not None
    assert api_key_authenticate(raw) is None


def test_a_key_of_a_deactivated_enterprise_no_longer_authenticates(enterprise, enterprise_admin):
    _key, raw = create(enterprise, enterprise_admin)
    enterprise.is_active = False
    enterprise.save()

    assert api_key_authenticate(raw) is None


def test_only_the_enterprises_admins_revoke_its_keys(enterprise, enterprise_admin, verifier):
    key, raw = create(enterprise, enterprise_admin)

    with pytest.raises(PermissionDenied):
        api_key_revoke(api_key=key, by=verifier)

    assert api_key_authenticate(raw) == key


def drf_request(header: str | None) -> Request:
    meta = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    return Request(RequestFactory().get("/", **meta), authenticators=[ApiKeyAuthentication()])


def test_the_drf_class_reads_the_api_key_header(enterprise, enterprise_admin):
    key, raw = create(enterprise, enterprise_admin)

    user, auth = ApiKeyAuthentication().authenticate(drf_request(f"Api-Key {raw}"))

    assert auth == key
    assert not user.is_authenticated


def test_the_drf_class_ignores_other_schemes(db):
    assert ApiKeyAuthentication().authenticate(drf_request("Bearer abc")) is None
    assert ApiKeyAuthentication().authenticate(drf_request(None)) is None


@pytest.mark.parametrize("header", ["Api-Key", "Api-Key cbec_x_y", "Api-Key a b"])
def test_the_drf_class_refuses_a_bad_key(db, header):
    with pytest.raises(exceptions.AuthenticationFailed):
        ApiKeyAuthentication().authenticate(drf_request(header))


def test_the_scope_permission_needs_a_key_with_that_scope(enterprise, enterprise_admin):
    _key, raw = create(enterprise, enterprise_admin)
    request, anonymous = drf_request(f"Api-Key {raw}"), drf_request(None)

    assert HasApiKeyScope().has_permission(request, None)
    assert not HasApiKeyScope.for_scope("statistics")().has_permission(request, None)
    assert not HasApiKeyScope().has_permission(anonymous, None)
    assert api_keys.has_api_key_scope(request, "verify")


# The admin


def test_the_admin_shows_a_new_key_once_in_a_message(client, enterprise, platform_admin):
    client.force_login(platform_admin)

    response = client.post(
        reverse("admin:organizations_apikey_add"),
        {"organization": enterprise.pk, "name": "HR", "scopes": ["verify"]},
        follow=True,
    )

    key = ApiKey.objects.get()
    shown = [str(message) for message in response.context["messages"]]
    raw = next(word for text in shown for word in text.split() if word.startswith("cbec_"))
    assert raw.split("_")[1] == key.prefix
    assert api_key_authenticate(raw) == key
    assert key.created_by == platform_admin
    # Not again: the list page afterwards shows no key.
    again = client.get(reverse("admin:organizations_apikey_changelist"))
    assert raw not in again.content.decode()


def test_an_enterprise_admin_with_staff_access_manages_their_keys_in_the_admin(
    client, enterprise, staff_enterprise_admin
):
    client.force_login(staff_enterprise_admin)

    response = client.post(
        reverse("admin:organizations_apikey_add"),
        {"organization": enterprise.pk, "name": "HR", "scopes": ["verify"]},
    )

    assert response.status_code == 302
    assert ApiKey.objects.get().organization == enterprise


def test_an_enterprise_admin_cannot_pick_another_enterprise_in_the_admin(
    client, enterprise, staff_enterprise_admin
):
    other = factories.organization(kind="enterprise", code="rival")
    client.force_login(staff_enterprise_admin)

    response = client.post(
        reverse("admin:organizations_apikey_add"),
        {"organization": other.pk, "name": "HR", "scopes": ["verify"]},
    )

    assert response.status_code == 200  # the form, with an error
    assert not ApiKey.objects.exists()


def test_staff_who_are_not_enterprise_admins_cannot_reach_the_keys(client, verifier):
    verifier.is_staff = True
    verifier.save()
    client.force_login(verifier)

    assert client.get(reverse("admin:organizations_apikey_add")).status_code == 403
    assert client.get(reverse("admin:organizations_apikey_changelist")).status_code == 403


def test_the_admin_action_revokes_keys(client, enterprise, staff_enterprise_admin):
    key, raw = create(enterprise, staff_enterprise_admin)
    client.force_login(staff_enterprise_admin)

    client.post(
        reverse("admin:organizations_apikey_changelist"),
        {"action": "revoke_keys", "_selected_action": [key.pk]},
    )

    assert api_key_authenticate(raw) is None
