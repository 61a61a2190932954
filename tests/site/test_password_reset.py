"""Password reset: styled and translated, the same answer for any address, and limited."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from lms.checks import check_email

NEUTRAL = "If an account uses the address you entered, we have emailed it a link"


def ask(client, email, address="198.51.100.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_the_login_page_links_to_the_reset(client, db):
    response = client.get(reverse("login"))
    assert f'href="{reverse("password_reset")}"' in response.text
    assert "Forgot password?" in response.text


def test_the_reset_page_is_the_sites_own_and_translated(client, db):
    response = client.get(reverse("password_reset"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert 'class="site-header"' in response.text
    assert "重置密码" in response.text
    assert "Django" not in response.text


def test_a_known_address_gets_a_working_link(client, student):
    response = ask(client, "student@example.org")
    assert response.status_code == 302
    assert NEUTRAL in client.get(response["Location"]).text

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["student@example.org"]
    assert message.subject == "Reset your CBEC Academy password"
    link = next(line for line in message.body.splitlines() if "/password/reset/key/" in line)
    confirm = client.get(link.removeprefix("http://testserver"), follow=True)
    assert "Choose a new password" in confirm.text


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, student):
    known = ask(client, "student@example.org", address="192.0.2.1")
    unknown = ask(client, "nobody@example.org", address="192.0.2.2")

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [m.to for m in mail.outbox] == [["student@example.org"]]


def test_the_fourth_request_for_an_address_within_the_hour_is_refused(client, student):
    for n in range(3):
        assert ask(client, "student@example.org", address=f"192.0.2.{n}").status_code == 302
    assert len(mail.outbox) == 3

    refused = ask(client, "Student@Example.org", address="192.0.2.99")

    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.text
    assert len(mail.outbox) == 3


def test_an_unknown_address_is_limited_the_same_way(client, db):
    statuses = [ask(client, "nobody@example.org").status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]


def test_one_client_asking_for_many_addresses_is_refused_after_ten(client, student):
    statuses = [ask(client, f"person{n}@example.org").status_code for n in range(10)]
    assert statuses == [302] * 10

    refused = ask(client, "student@example.org")

    assert refused.status_code == 429
    assert mail.outbox == []


def test_production_without_a_delivering_email_backend_fails_the_checks(settings):
    settings.DEBUG = False
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    assert [problem.id for problem in check_email()][:1] == ["lms.E001"]
    settings.MAILERS = {}
    assert [problem.id for problem in check_email()][:1] == ["lms.E001"]
    with pytest.raises(SystemCheckError, match="lms.E001"):
        call_command("check", tags=["security"])


def test_production_with_smtp_and_a_real_sender_passes_the_checks(settings):
    settings.DEBUG = False
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "mail.example.org"},
        }
    }
    settings.DEFAULT_FROM_EMAIL = "CBEC Academy <noreply@example.org>"
    assert check_email() == []


def test_development_prints_email_to_the_console(settings):
    settings.DEBUG = True
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    assert check_email() == []
