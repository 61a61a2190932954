"""Staff enrol a second factor before any page; students may; enrolled people log in with a code."""

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import reverse

from lms.checks import check_staff_mfa
from tests import factories

pytestmark = pytest.mark.usefixtures("staff_mfa")

STAFF_FIXTURES = ["teacher", "mentor", "verifier", "regulator", "school_admin", "django_staff"]


@pytest.fixture
def school_admin(school):
    return factories.person("school-admin", school, "admin")


@pytest.fixture
def django_staff(db):
    user = factories.person("root", None, None)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def totp_code(secret: str, steps_ahead: int = 0) -> str:
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + steps_ahead
    return format_hotp_value(hotp_value(secret, counter))


def log_in(client, username: str):
    return client.post(reverse("login"), {"login": username, "password": factories.PASSWORD})


def confirm_password(client):
    """allauth asks for the password again before a second factor is added."""
    response = client.post(reverse("account_reauthenticate"), {"password": factories.PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("persona", STAFF_FIXTURES)
def test_each_staff_role_is_sent_to_enrol_from_every_page(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    for page in (reverse("landing"), reverse("exams:staff_home"), reverse("courses:catalogue")):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == reverse("mfa_index")

    enrol = client.get(reverse("mfa_index"), follow=True)
    assert enrol.status_code == 200
    assert "Your role needs two-factor authentication" in enrol.text


def test_the_admin_is_closed_to_staff_without_a_second_factor(client, django_staff):
    client.force_login(django_staff)
    response = client.get(reverse("admin:index"))
    assert (response.status_code, response["Location"]) == (302, reverse("mfa_index"))


def test_a_student_is_not_asked_and_may_open_the_two_factor_page(client, student):
    client.force_login(student)
    assert client.get(reverse("courses:my_learning")).status_code == 200
    assert client.get(reverse("landing")).status_code == 200
    page = client.get(reverse("mfa_index"))
    assert page.status_code == 200
    assert reverse("mfa_activate_totp") in page.text


def test_enrolment_pages_logout_and_language_stay_open(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("usersessions_list")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_the_api_refuses_the_session_of_staff_without_a_factor(client, teacher, student):
    client.force_login(teacher)
    refused = client.get("/api/v1/certificates/mine/")
    assert refused.status_code == 403
    assert "two-factor authentication" in refused.json()["detail"]

    client.force_login(student)
    assert client.get("/api/v1/certificates/mine/").status_code == 200


def ask_token(username: str, **extra):
    data = {"username": username, "password": factories.PASSWORD, **extra}
    return Client().post(reverse("api_token"), data, REMOTE_ADDR="198.51.100.20")


def test_a_password_alone_buys_no_api_token_round_the_second_factor(teacher, student):
    assert ask_token("student").status_code == 200  # no factor, none required

    unenrolled = ask_token("teacher")
    assert unenrolled.status_code == 403
    assert "set it up on the site" in unenrolled.json()["detail"]

    secret = "JBSWY3DPEHPK3PXP"
    Authenticator.objects.create(
        user=teacher, type=Authenticator.Type.TOTP, data={"secret": secret}
    )
    assert ask_token("teacher").status_code == 403
    assert ask_token("teacher", code="000000").status_code == 403
    issued = ask_token("teacher", code=totp_code(secret))
    assert issued.status_code == 200 and issued.json()["token"]
    answer = Client().get("/api/v1/courses/", HTTP_AUTHORIZATION=f"Token {issued.json()['token']}")
    assert answer.status_code == 200


def test_an_inactive_membership_does_not_count(client, teacher):
    teacher.memberships.update(is_active=False)
    client.force_login(teacher)
    assert client.get(reverse("landing")).status_code == 200


def test_with_enforcement_off_staff_work_without_a_second_factor(client, teacher, settings):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(teacher)
    assert client.get(reverse("exams:staff_home")).status_code == 200


def test_a_teacher_enrols_an_authenticator_app_then_logs_in_with_a_code(client, teacher, settings):
    # One period either side, so the test can use the next period's code for the login
    # (a code is accepted only once, and the enrolment used the current one).
    settings.MFA_TOTP_TOLERANCE = 1
    assert log_in(client, teacher.username)["Location"] == reverse("landing")
    assert client.get(reverse("exams:staff_home"))["Location"] == reverse("mfa_index")

    asked = client.get(reverse("mfa_activate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    confirm_password(client)
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate.status_code == 200
    secret = activate.context["form"].secret
    assert client.post(reverse("mfa_activate_totp"), {"code": "000000"}).status_code == 200
    assert not Authenticator.objects.filter(user=teacher).exists()

    done = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert done["Location"] == reverse("mfa_view_recovery_codes")
    types = set(Authenticator.objects.filter(user=teacher).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert client.get(reverse("exams:staff_home")).status_code == 200

    client.post(reverse("logout"))
    password_step = log_in(client, teacher.username)
    assert password_step["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not logged in on the password alone

    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session

    logged_in = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret, 1)})
    assert logged_in["Location"] == reverse("landing")
    assert client.session["_auth_user_id"] == str(teacher.pk)
    assert client.get(reverse("exams:staff_home")).status_code == 200


def test_staff_cannot_remove_their_only_authenticator_app(client, teacher, settings):
    settings.MFA_TOTP_TOLERANCE = 1
    log_in(client, teacher.username)
    confirm_password(client)
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 200
    assert Authenticator.objects.filter(user=teacher, type=Authenticator.Type.TOTP).exists()


def test_production_refuses_to_start_without_enforcement(settings):
    settings.DEBUG = False
    settings.STAFF_MFA_REQUIRED = False
    assert [problem.id for problem in check_staff_mfa()] == ["lms.E010"]
    with pytest.raises(SystemCheckError, match="lms.E010"):
        call_command("check", tags=["security"])

    settings.STAFF_MFA_REQUIRED = True
    assert check_staff_mfa() == []


def test_an_admin_resets_a_teachers_lost_factors_with_one_audit_entry(
    client, teacher, school, django_staff
):
    from organizations.models import AuditEntry

    Authenticator.objects.create(user=teacher, type=Authenticator.Type.TOTP, data={})
    Authenticator.objects.create(user=teacher, type=Authenticator.Type.RECOVERY_CODES, data={})
    Authenticator.objects.create(user=django_staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(django_staff)
    changelist = reverse("admin:mfa_authenticator_changelist")

    response = client.post(
        changelist,
        {
            "action": "reset_second_factors",
            "_selected_action": list(
                Authenticator.objects.filter(user=teacher).values_list("pk", flat=True)
            ),
        },
    )

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=teacher).exists()
    assert Authenticator.objects.filter(user=django_staff).exists()
    [entry] = AuditEntry.objects.filter(action="mfa.reset")
    assert (entry.actor, entry.object_id, entry.organization) == (
        django_staff,
        str(teacher.pk),
        school,
    )
    assert entry.before == {"authenticators": ["recovery_codes", "totp"]}
    assert entry.after == {"authenticators": []}

    client.force_login(teacher)  # must enrol again
    assert client.get(reverse("landing"))["Location"] == reverse("mfa_index")


def test_wrong_codes_are_limited_per_person_but_passwords_by_the_sites_throttle(
    client, teacher, settings
):
    Authenticator.objects.create(
        user=teacher, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    assert log_in(client, teacher.username)["Location"] == reverse("mfa_authenticate")
    for _ in range(5):
        assert client.post(reverse("mfa_authenticate"), {"code": "000000"}).status_code == 200

    refused = client.post(reverse("mfa_authenticate"), {"code": totp_code("JBSWY3DPEHPK3PXP")})

    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in refused.text
    # Six wrong passwords from elsewhere do not lock the owner out (lms.throttles).
    stranger = type(client)()
    for _ in range(6):
        stranger.post(
            reverse("login"),
            {"login": teacher.username, "password": "wrong"},
            REMOTE_ADDR="203.0.113.9",
        )
    assert log_in(type(client)(), teacher.username)["Location"] == reverse("mfa_authenticate")
