"""The enterprise's own API keys page: create (shown once, hashed), use, rotate, revoke; roles."""

import hashlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from organizations.enterprise_keys import api_key_rotate, managed_enterprises
from organizations.models import ApiKey, AuditEntry
from tests import factories

PAGE = "/organizations/api-keys/"
UNKNOWN = "0000-0000-0000-00"


@pytest.fixture
def enterprise_admin(enterprise):
    return factories.person("hr_admin", enterprise, "admin")


@pytest.fixture
def other_enterprise(db):
    return factories.organization(kind="enterprise", code="other-co")


def raw_key_on(page: bytes) -> str:
    shown = rb'id="new-key" class="secret" type="text" readonly value="(cbec_[a-z0-9]{8}_[\w-]+)"'
    found = re.search(shown, page)
    assert found, "the page shows no new key"
    return found.group(1).decode()


def verify_with(raw: str):
    api = APIClient()
    url = reverse("certificates_api:verify_one", args=[UNKNOWN])
    return api.get(url, HTTP_AUTHORIZATION=f"Api-Key {raw}")


def test_the_page_is_reachable_by_its_agreed_name():
    assert reverse("organizations:api_keys") == PAGE


def test_an_enterprise_admin_creates_uses_rotates_and_revokes_a_key(
    client, enterprise, enterprise_admin
):
    client.force_login(enterprise_admin)
    assert client.get(PAGE).status_code == 200

    created = client.post(PAGE, {"name": "HR onboarding", "scopes": ["verify"]})
    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    raw = raw_key_on(created.content)
    key = ApiKey.objects.get(organization=enterprise)
    assert (key.name, key.scopes, key.created_by) == ("HR onboarding", ["verify"], enterprise_admin)
    secret = raw.split("_", 2)[2]
    assert key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert not any(secret in str(v) for v in ApiKey.objects.values().get(pk=key.pk).values())

    # Shown once: the list shows the prefix, never the secret again.
    listing = client.get(PAGE)
    assert key.prefix.encode() in listing.content and secret.encode() not in listing.content

    # The key works on the API, and the list then says when it was last used.
    assert verify_with(raw).status_code == 404  # authenticated; the serial is unknown
    key.refresh_from_db()
    assert key.last_used_at is not None

    # Rotating: a new secret shown once, the old key revoked at once.
    rotated = client.post(reverse("organizations:api_key_rotate", args=[key.pk]))
    assert rotated.status_code == 200
    new_raw = raw_key_on(rotated.content)
    assert new_raw != raw
    key.refresh_from_db()
    new_key = ApiKey.objects.get(organization=enterprise, revoked_at__isnull=True)
    assert key.revoked_at is not None and key.replaced_by == new_key
    assert (new_key.name, new_key.scopes) == (key.name, key.scopes)
    assert verify_with(raw).status_code == 401
    assert verify_with(new_raw).status_code == 404
    # One audited action: "rotated", the old prefix before and the new one after.
    keys = AuditEntry.objects.filter(action__startswith="api_key.").order_by("pk")
    trail = list(keys.values_list("action", "before", "after"))
    assert [action for action, _b, _a in trail] == ["api_key.created", "api_key.rotated"]
    assert trail[1][1]["prefix"] == key.prefix and trail[1][2]["prefix"] == new_key.prefix

    # Revoking: refused from then on.
    revoked = client.post(reverse("organizations:api_key_revoke", args=[new_key.pk]))
    assert revoked.status_code == 302
    new_key.refresh_from_db()
    assert new_key.revoked_at is not None
    assert verify_with(new_raw).status_code == 401
    assert ApiKey.objects.filter(organization=enterprise).active().count() == 0


def test_a_key_needs_a_name_and_known_scopes(client, enterprise, enterprise_admin):
    client.force_login(enterprise_admin)
    assert client.post(PAGE, {"name": "", "scopes": ["verify"]}).status_code == 400
    assert client.post(PAGE, {"name": "X", "scopes": ["issue"]}).status_code == 400
    assert client.post(PAGE, {"name": "X"}).status_code == 400
    assert not ApiKey.objects.exists()


def test_rotation_is_atomic_and_refused_for_a_revoked_key(enterprise, enterprise_admin):
    from organizations.api_keys import api_key_create, api_key_revoke

    key, _raw = api_key_create(
        organization=enterprise, name="HR", scopes=["verify"], by=enterprise_admin
    )
    api_key_revoke(api_key=key, by=enterprise_admin)
    with pytest.raises(ValidationError):
        api_key_rotate(api_key=key, by=enterprise_admin)
    assert ApiKey.objects.count() == 1  # no replacement was left behind


def test_rotation_is_one_audited_action_from_the_old_prefix_to_the_new(
    enterprise, enterprise_admin
):
    from organizations.api_keys import api_key_create

    old, _raw = api_key_create(
        organization=enterprise, name="Payroll", scopes=["verify"], by=enterprise_admin
    )
    new, _raw = api_key_rotate(api_key=old, by=enterprise_admin)

    # Only "created" for the first key and "rotated": no "created" for the replacement, no
    # "revoked" for the old key.
    trail = AuditEntry.objects.filter(action__startswith="api_key.").order_by("pk")
    assert [(e.action, e.object_id) for e in trail] == [
        ("api_key.created", str(old.pk)),
        ("api_key.rotated", str(old.pk)),
    ]
    rotated = trail.last()
    assert rotated.before == {"prefix": old.prefix, "revoked_at": None}
    assert rotated.after["prefix"] == new.prefix and rotated.after["replaced_by"] == new.pk
    assert rotated.after["revoked_at"] and rotated.actor == enterprise_admin
    assert rotated.organization_id == enterprise.pk
    assert rotated.get_action_display() == "API key rotated"


@pytest.mark.parametrize("role", ["student", "mentor", "verifier"])
def test_other_enterprise_roles_are_refused(client, enterprise, role):
    user = factories.person(f"someone_{role}", enterprise, role)
    client.force_login(user)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"name": "X", "scopes": ["verify"]}).status_code == 403
    assert not ApiKey.objects.exists()


def test_school_admins_and_teachers_are_refused(client, school, teacher):
    school_admin = factories.person("school_admin", school, "admin")
    for user in (school_admin, teacher):
        client.force_login(user)
        assert client.get(PAGE).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_admin_cannot_touch_another_enterprises_keys(
    client, enterprise, other_enterprise, enterprise_admin
):
    from organizations.api_keys import api_key_create

    other_admin = factories.person("other_admin", other_enterprise, "admin")
    key, _raw = api_key_create(
        organization=other_enterprise, name="Theirs", scopes=["verify"], by=other_admin
    )
    client.force_login(enterprise_admin)
    assert client.post(reverse("organizations:api_key_revoke", args=[key.pk])).status_code == 404
    assert client.post(reverse("organizations:api_key_rotate", args=[key.pk])).status_code == 404
    assert client.get(PAGE, {"org": other_enterprise.code}).status_code == 403
    assert b"Theirs" not in client.get(PAGE).content
    key.refresh_from_db()
    assert key.revoked_at is None
    with pytest.raises(PermissionDenied):
        api_key_rotate(api_key=key, by=enterprise_admin)


def test_a_platform_admin_manages_every_enterprise(client, enterprise, other_enterprise):
    root = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    assert set(managed_enterprises(root)) == {enterprise, other_enterprise}
    client.force_login(root)
    response = client.post(
        PAGE, {"org": other_enterprise.code, "name": "Ops", "scopes": ["verify"]}
    )
    assert response.status_code == 200
    assert ApiKey.objects.get().organization == other_enterprise


def test_the_page_speaks_chinese(client, enterprise_admin):
    client.force_login(enterprise_admin)
    page = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "新建密钥" in page and "验证记录" in page and "批量验证" in page
