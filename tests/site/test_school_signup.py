"""Students signing themselves up to a school that allows it; refused where it does not."""

import re

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from organizations.audit import Action
from organizations.models import AuditEntry, Membership, Organization, Profile
from tests import factories

NEW_PASSWORD = "harbour-lantern-42"


def signup_url(school: Organization) -> str:
    return f"{reverse('account_signup')}?school={school.code}"


def sign_up(client, organization, **changes):
    data = {
        "username": "liming",
        "email": "li.ming@school.edu.cn",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "name_native": "李明",
        "name_latin": "Li Ming",
        "preferred_language": Profile.Language.ENGLISH,
        "school": organization.code,
        **changes,
    }
    return client.post(reverse("account_signup"), data)


def confirm(client) -> None:
    [message] = mail.outbox
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+)", message.body).group(1)
    assert client.post(link).status_code == 302


def open_signup(school: Organization, domain: str = "") -> None:
    school.student_signup, school.student_signup_domain = True, domain
    school.save()


def test_a_student_signs_up_and_joins_the_school_only_after_verifying(client, school):
    open_signup(school)
    page = client.get(signup_url(school))
    assert page.status_code == 200
    assert f"Sign up as a student of {school.name}" in page.text
    assert f'name="school" value="{school.code}"' in page.text

    response = sign_up(client, school)
    assert response["Location"] == reverse("account_email_verification_sent")
    user = get_user_model().objects.get(username="liming")
    # Not a member yet: a membership would let an unverified account log in.
    assert not Membership.objects.filter(user=user).exists()
    refused = client.post(reverse("login"), {"login": "liming", "password": NEW_PASSWORD})
    assert refused["Location"] == reverse("account_email_verification_sent")

    confirm(client)
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role) == (school, Membership.Role.STUDENT)
    user.profile.refresh_from_db()
    assert user.profile.joining_school is None
    [entry] = AuditEntry.objects.filter(action=Action.MEMBERSHIP_GRANTED)
    assert (entry.actor, entry.organization_id) == (user, school.pk)
    assert entry.after["role"] == "student" and "li.ming@school.edu.cn" in entry.note

    login = client.post(reverse("login"), {"login": "liming", "password": NEW_PASSWORD})
    assert login["Location"] == reverse("landing")


def test_a_school_that_does_not_take_sign_ups_refuses_with_the_reason(client, school):
    page = client.get(signup_url(school))
    assert page.status_code == 403
    assert "does not take student sign-ups" in page.text
    assert 'name="password1"' not in page.text

    # Posting anyway creates nobody.
    response = sign_up(client, school)
    assert response.status_code == 200
    assert "does not take student sign-ups" in response.text
    assert not get_user_model().objects.filter(username="liming").exists()
    assert mail.outbox == []


def test_unknown_schools_and_enterprises_are_not_found(client, school, enterprise):
    enterprise.student_signup = True
    enterprise.save()
    assert client.get(f"{reverse('account_signup')}?school=nowhere").status_code == 404
    assert client.get(signup_url(enterprise)).status_code == 404
    assert sign_up(client, enterprise).status_code == 200
    assert not get_user_model().objects.filter(username="liming").exists()


def test_the_email_domain_rule_refuses_other_addresses(client, school):
    open_signup(school, "school.edu.cn")
    assert "Use your address at school.edu.cn" in client.get(signup_url(school)).text
    refused = sign_up(client, school, email="li.ming@gmail.com")
    assert "takes sign-ups only from addresses at school.edu.cn" in refused.text
    assert not get_user_model().objects.filter(username="liming").exists()

    sub = sign_up(client, school, email="li.ming@mail.school.edu.cn")
    assert sub["Location"] == reverse("account_email_verification_sent")


def test_a_school_closing_sign_up_before_verification_makes_a_plain_trainee(client, school):
    open_signup(school)
    sign_up(client, school)
    school.student_signup = False
    school.save()
    confirm(client)
    user = get_user_model().objects.get(username="liming")
    assert EmailAddress.objects.get(user=user).verified
    assert not Membership.objects.filter(user=user).exists()


def test_a_plain_sign_up_joins_no_school(client, school):
    open_signup(school)
    sign_up(client, school, school="")
    confirm(client)
    assert not Membership.objects.filter(user__username="liming").exists()


def test_the_school_admin_turns_sign_up_on_with_a_domain_audited(client, school):
    admin = factories.person("school_admin", school, "admin")
    client.force_login(admin)
    members = client.get(reverse("organizations:members", args=[school.pk]))
    assert "Students signing themselves up" in members.text

    url = reverse("organizations:student_signup_settings", args=[school.pk])
    bad = client.post(url, {"student_signup": "on", "student_signup_domain": "not a domain"})
    assert bad.status_code == 302
    school.refresh_from_db()
    assert not school.student_signup

    client.post(url, {"student_signup": "on", "student_signup_domain": "@School.edu.cn"})
    school.refresh_from_db()
    assert (school.student_signup, school.student_signup_domain) == (True, "school.edu.cn")
    page = client.get(reverse("organizations:members", args=[school.pk]))
    assert f"/accounts/signup/?school={school.code}" in page.text
    [entry] = AuditEntry.objects.filter(action=Action.STUDENT_SIGNUP_CHANGED)
    assert entry.before == {"student_signup": False, "domain": ""}
    assert entry.after == {"student_signup": True, "domain": "school.edu.cn"}
    assert entry.actor == admin

    client.post(url, {"student_signup": "on", "student_signup_domain": "school.edu.cn"})
    assert AuditEntry.objects.filter(action=Action.STUDENT_SIGNUP_CHANGED).count() == 1


def test_teachers_and_other_admins_cannot_change_sign_up(client, school, teacher, enterprise):
    url = reverse("organizations:student_signup_settings", args=[school.pk])
    other_admin = factories.person("ent_admin", enterprise, "admin")
    for user in (teacher, other_admin):
        client.force_login(user)
        assert client.post(url, {"student_signup": "on"}).status_code == 403
    school.refresh_from_db()
    assert not school.student_signup
    client.force_login(other_admin)
    enterprise_url = reverse("organizations:student_signup_settings", args=[enterprise.pk])
    assert client.post(enterprise_url, {"student_signup": "on"}).status_code == 404
