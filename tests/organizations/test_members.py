"""An organisation's members and roles, managed by its administrators; invitation links."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import AuditEntry, Membership
from tests import factories

User = get_user_model()


@pytest.fixture
def school_admin(school):
    return factories.person("school-admin", school, "admin", name_latin="Head Teacher")


def members_url(organization) -> str:
    return reverse("organizations:members", args=[organization.pk])


def test_an_administrator_sees_the_members_and_their_roles(
    client, school_admin, school, student, teacher, outsider
):
    Membership.objects.filter(user=student).update(student_number="2024-7")
    client.force_login(school_admin)
    response = client.get(members_url(school))

    assert response.status_code == 200
    people = {p.username: [m.role for m in p.here] for p in response.context["page"]}
    assert people == {"school-admin": ["admin"], "student": ["student"], "teacher": ["teacher"]}
    assert "2024-7" in response.text
    assert "outsider" not in response.text  # a member of another school


def test_members_are_searched_by_name_number_and_role(client, school_admin, school, student):
    Membership.objects.filter(user=student).update(student_number="2024-7")
    client.force_login(school_admin)
    for query in ({"q": "张伟"}, {"q": "zhang"}, {"q": "2024-7"}, {"role": "student"}):
        found = [p.username for p in client.get(members_url(school), query).context["page"]]
        assert found == ["student"], query


def test_a_new_member_gets_an_invitation_link_that_sets_the_password_once(
    client, school_admin, school
):
    client.force_login(school_admin)
    response = client.post(
        reverse("organizations:member_new", args=[school.pk]),
        {"username": "new-teacher", "name_latin": "Wu Lan", "email": "", "role": "teacher"},
    )
    assert response.status_code == 200
    person = User.objects.get(username="new-teacher")
    assert not person.has_usable_password()
    assert Membership.objects.filter(user=person, organization=school, role="teacher").exists()
    assert AuditEntry.objects.filter(action="membership.granted", actor=school_admin).exists()

    client.logout()
    path = response.context["link"].replace("http://testserver", "")
    assert client.get(path).status_code == 200
    password = "a long new password 42"
    assert (
        client.post(path, {"new_password1": password, "new_password2": password}).status_code == 302
    )
    assert User.objects.get(username="new-teacher").check_password(password)
    assert client.get(path).status_code == 400


def test_a_new_member_needs_a_free_username_a_name_and_a_role_the_kind_allows(
    client, school_admin, school, student
):
    client.force_login(school_admin)
    url = reverse("organizations:member_new", args=[school.pk])
    for data in (
        {"username": "student", "name_latin": "X", "role": "teacher"},  # taken
        {"username": "nameless", "role": "teacher"},
        {"username": "a-mentor", "name_latin": "X", "role": "mentor"},  # not in a school
    ):
        assert client.post(url, data).status_code == 400, data
    assert not User.objects.filter(username__in=["nameless", "a-mentor"]).exists()


def test_roles_are_given_to_members_and_withdrawn(client, school_admin, school, student):
    client.force_login(school_admin)
    grant = reverse("organizations:member_role_grant", args=[school.pk, student.pk])
    assert client.post(grant, {"role": "teacher"}).status_code == 302
    teaching = Membership.objects.get(user=student, organization=school, role="teacher")
    assert teaching.is_active

    withdraw = reverse("organizations:member_role_withdraw", args=[school.pk, teaching.pk])
    assert client.post(withdraw).status_code == 302
    teaching.refresh_from_db()
    assert not teaching.is_active


def test_roles_go_only_to_the_organisations_own_people(client, school_admin, school, outsider):
    client.force_login(school_admin)
    grant = reverse("organizations:member_role_grant", args=[school.pk, outsider.pk])
    assert client.post(grant, {"role": "teacher"}).status_code == 404
    assert not Membership.objects.filter(user=outsider, organization=school).exists()
    # Nor a membership of another organisation withdrawn through this one.
    theirs = outsider.memberships.get()
    withdraw = reverse("organizations:member_role_withdraw", args=[school.pk, theirs.pk])
    assert client.post(withdraw).status_code == 404


def test_an_administrator_cannot_withdraw_their_own_admin_role(client, school_admin, school):
    client.force_login(school_admin)
    own = school_admin.memberships.get(role="admin")
    client.post(reverse("organizations:member_role_withdraw", args=[school.pk, own.pk]))
    own.refresh_from_db()
    assert own.is_active


@pytest.mark.parametrize("who", ["teacher", "student", "mentor", "verifier", "outsider"])
def test_only_the_organisations_administrators_manage_members(client, school, who, request):
    person = request.getfixturevalue(who)
    client.force_login(person)
    assert client.get(members_url(school)).status_code == 403
    new = reverse("organizations:member_new", args=[school.pk])
    assert (
        client.post(new, {"username": "x1", "name_latin": "X", "role": "teacher"}).status_code
        == 403
    )
    assert not User.objects.filter(username="x1").exists()


def test_the_workspace_links_members_and_the_members_page_query_count_is_flat(
    client, school_admin, school
):
    client.force_login(school_admin)
    assert members_url(school) in client.get(reverse("landing")).text

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(members_url(school)).status_code == 200
        return len(queries)

    for n in range(3):
        factories.person(f"p{n}", school, "student")
    few = count()
    for n in range(3, 30):
        factories.person(f"p{n}", school, "student")
    assert count() == few
