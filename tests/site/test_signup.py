"""Sign-up for social trainees: verified email, names and language, login by username or email."""

import re

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from organizations.models import Membership, Profile
from tests import factories

NEW_PASSWORD = "harbour-lantern-42"


def sign_up(client, **changes):
    data = {
        "username": "liming",
        "email": "li.ming@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "name_native": "李明",
        "name_latin": "Li Ming",
        "preferred_language": Profile.Language.ENGLISH,
        **changes,
    }
    return client.post(reverse("account_signup"), data)


def confirmation_link(message) -> str:
    return re.search(r"http://testserver(/accounts/confirm-email/\S+)", message.body).group(1)


def test_the_pages_link_to_sign_up_and_it_is_the_sites_own_page_translated(client, db):
    assert reverse("account_signup") in client.get(reverse("login")).text
    page = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert 'class="site-header"' in page.text
    assert "创建账户" in page.text
    assert '<option value="zh-hans" selected>' in page.text  # the page's language first
    english = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<option value="en" selected>' in english.text


def test_with_sign_up_closed_no_page_links_to_it(client, db, settings):
    signup = reverse("account_signup")
    catalogue = client.get(reverse("courses:catalogue"))
    assert f'href="{signup}"' in catalogue.text
    settings.ACCOUNT_SIGNUP_ENABLED = False
    for page in (reverse("courses:catalogue"), reverse("login")):
        response = client.get(page)
        assert response.status_code == 200
        assert signup not in response.text
        assert "Log in" in response.text
    # allauth's own view agrees: the page says sign-up is closed and creates nobody.
    closed = sign_up(client)
    assert not get_user_model().objects.filter(username="liming").exists()
    assert closed.status_code == 200


def test_a_trainee_signs_up_verifies_the_address_then_logs_in_by_email(client, db):
    response = sign_up(client)

    assert response["Location"] == reverse("account_email_verification_sent")
    user = get_user_model().objects.get(username="liming")
    assert "_auth_user_id" not in client.session
    assert (user.profile.name_native, user.profile.name_latin) == ("李明", "Li Ming")
    assert user.profile.preferred_language == Profile.Language.ENGLISH
    assert not Membership.objects.filter(user=user).exists()  # nobody's student
    assert not EmailAddress.objects.get(user=user).verified

    # Before the link is followed the account cannot log in: the email is sent again.
    refused = client.post(reverse("login"), {"login": "liming", "password": NEW_PASSWORD})
    assert refused["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    [message] = mail.outbox  # the repeat is held back by the cooldown
    assert message.to == ["li.ming@example.org"]
    assert message.subject == "Confirm your email address for CBEC Academy"
    link = confirmation_link(message)
    assert "Confirm" in client.get(link).text
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    by_email = client.post(
        reverse("login"), {"login": "Li.Ming@example.org", "password": NEW_PASSWORD}
    )
    assert by_email["Location"] == reverse("landing")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_bad_sign_ups_create_nothing(client, student):
    taken = sign_up(client, username="student")
    latin = sign_up(client, name_latin="李明")
    mismatch = sign_up(client, password2="something-else-77")
    missing = sign_up(client, name_native="")

    assert [r.status_code for r in (taken, latin, mismatch, missing)] == [200] * 4
    assert "Use Latin letters only" in latin.text
    assert not get_user_model().objects.filter(username="liming").exists()
    assert mail.outbox == []


def test_signing_up_with_an_address_in_use_tells_the_owner_not_the_stranger(client, student):
    response = sign_up(client, email="student@example.org")

    assert response["Location"] == reverse("account_email_verification_sent")
    assert not get_user_model().objects.filter(username="liming").exists()
    assert [m.to for m in mail.outbox] == [["student@example.org"]]
    assert mail.outbox[0].subject == "Your CBEC Academy account already exists"


def test_an_account_a_school_created_logs_in_by_username_or_email_without_a_link(client, student):
    assert client.post(reverse("login"), {"login": "student", "password": factories.PASSWORD})[
        "Location"
    ] == reverse("landing")
    client.post(reverse("logout"))
    assert client.post(
        reverse("login"), {"login": "student@example.org", "password": factories.PASSWORD}
    )["Location"] == reverse("landing")
    assert mail.outbox == []


def test_the_password_change_page_is_the_sites_own_and_works(client, student):
    client.post(reverse("login"), {"login": "student", "password": factories.PASSWORD})
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and 'class="site-header"' in page.text
    assert reverse("mfa_index") in page.text and reverse("usersessions_list") in page.text

    response = client.post(
        reverse("password_change"),
        {"oldpassword": factories.PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    student.refresh_from_db()
    assert student.check_password(NEW_PASSWORD)


def test_sessions_are_listed_and_the_others_signed_out(client, student):
    other_device = type(client)()
    for device in (client, other_device):
        device.post(reverse("login"), {"login": "student", "password": factories.PASSWORD})
    assert UserSession.objects.filter(user=student).count() == 2

    page = client.get(reverse("usersessions_list"))
    assert page.status_code == 200 and "Sign Out Other Sessions" in page.text

    client.post(reverse("usersessions_list"))

    assert UserSession.objects.filter(user=student).count() == 1
    assert client.get(reverse("courses:my_learning")).status_code == 200
    assert other_device.get(reverse("courses:my_learning")).status_code == 302


def test_a_school_account_that_opened_the_email_page_still_logs_in_without_a_link(client, student):
    client.force_login(student)
    assert client.get(reverse("account_email")).status_code == 200
    assert EmailAddress.objects.filter(user=student, verified=False).exists()  # allauth's sync
    client.post(reverse("logout"))

    response = client.post(reverse("login"), {"login": "student", "password": factories.PASSWORD})

    assert response["Location"] == reverse("landing")
    assert mail.outbox == []


def test_a_class_behind_one_school_address_logs_in_together(client, school):
    for n in range(40):
        factories.person(f"pupil{n}", school, "student")

    statuses = [
        type(client)()
        .post(
            reverse("login"),
            {"login": f"pupil{n}", "password": factories.PASSWORD},
            REMOTE_ADDR="198.51.100.50",
        )
        .status_code
        for n in range(40)
    ]

    assert statuses == [302] * 40
