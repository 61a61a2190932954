"""Accounts in a real browser: a social trainee signs up; a teacher enrols TOTP and uses a code."""

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRAINEE_PASSWORD = "harbour-lantern-42"


def counter_now() -> int:
    return int(time.time()) // mfa_settings.TOTP_PERIOD


def totp_code(secret: str, counter: int) -> str:
    return format_hotp_value(hotp_value(secret, counter))


def submit(page) -> None:
    page.click("main form button[type=submit] >> nth=0")


def test_a_social_trainee_signs_up_verifies_enrols_and_logs_in_again(
    browser_page, live_server, course
):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}{reverse('courses:catalogue')}")
    page.click("header >> text=Sign up")
    page.fill("#id_username", "liming")
    page.fill("#id_email", "li.ming@example.org")
    page.fill("#id_password1", TRAINEE_PASSWORD)
    page.fill("#id_password2", TRAINEE_PASSWORD)
    page.fill("#id_name_native", "李明")
    page.fill("#id_name_latin", "Li Ming")
    page.select_option("#id_preferred_language", "en")
    page.click("button:has-text('Create the account')")
    page.wait_for_url(f"**{reverse('account_email_verification_sent')}")
    expect(page.locator("h1")).to_contain_text("Verify Your Email Address")

    [message] = mail.outbox
    link = re.search(r"http://[^/\s]+(/accounts/confirm-email/\S+)", message.body).group(1)
    page.goto(f"{live_server.url}{link}")
    page.click("main button[type=submit]")  # "Confirm"
    page.wait_for_url(f"**{reverse('login')}**")

    page.fill("#id_login", "li.ming@example.org")
    page.fill("#id_password", TRAINEE_PASSWORD)
    page.click("main form.account-form button[type=submit]")
    page.wait_for_url(f"**{reverse('landing')}")
    page.goto(f"{live_server.url}{course.get_absolute_url()}")
    page.click("button:has-text('Enrol')")
    expect(page.locator(".messages")).to_contain_text("You are enrolled")

    page.click("header button:has-text('Log out')")
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_login", "liming")
    page.fill("#id_password", TRAINEE_PASSWORD)
    page.click("main form.account-form button[type=submit]")
    page.wait_for_url(f"**{reverse('landing')}")
    page.goto(f"{live_server.url}{reverse('courses:my_learning')}")
    expect(page.locator("main")).to_contain_text("SEO Marketing")


def test_a_teacher_is_made_to_enrol_totp_then_logs_in_with_a_code(
    browser_page, live_server, teacher, staff_mfa
):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_login", teacher.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form.account-form button[type=submit]")
    page.wait_for_url(f"**{reverse('mfa_index')}")
    expect(page.locator(".messages")).to_contain_text("Your role needs two-factor authentication")

    # Any staff page sends the teacher back here until a factor is enrolled.
    page.goto(f"{live_server.url}{reverse('exams:staff_home')}")
    page.wait_for_url(f"**{reverse('mfa_index')}")

    page.click(f"main a[href='{reverse('mfa_activate_totp')}']")
    page.wait_for_url(f"**{reverse('account_reauthenticate')}**")
    page.fill("#id_password", PASSWORD)
    submit(page)
    page.wait_for_url(f"**{reverse('mfa_activate_totp')}")
    secret = page.input_value("#authenticator_secret")
    enrolled_at = counter_now()
    page.fill("#id_code", totp_code(secret, enrolled_at))
    submit(page)
    page.wait_for_url(f"**{reverse('mfa_view_recovery_codes')}")

    page.goto(f"{live_server.url}{reverse('exams:staff_home')}")
    expect(page).to_have_url(re.compile(re.escape(reverse("exams:staff_home")) + "$"))

    page.click("header button:has-text('Log out')")
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_login", teacher.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form.account-form button[type=submit]")
    page.wait_for_url(f"**{reverse('mfa_authenticate')}")

    # A code is accepted once: wait for the authenticator's next code.
    while counter_now() == enrolled_at:
        time.sleep(0.5)
    page.fill("#id_code", totp_code(secret, counter_now()))
    submit(page)
    page.wait_for_url(f"**{reverse('landing')}")
    page.goto(f"{live_server.url}{reverse('exams:staff_home')}")
    expect(page).to_have_url(re.compile(re.escape(reverse("exams:staff_home")) + "$"))


def test_a_mentor_enrols_a_passkey_then_logs_in_with_it_alone(
    browser_page, live_server, mentor, staff_mfa, settings
):
    from playwright.sync_api import expect

    # The live server is plain http://localhost (production is HTTPS).
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    page = browser_page
    # Chromium's virtual authenticator stands in for a phone or a security key.
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_login", mentor.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form.account-form button[type=submit]")
    page.wait_for_url(f"**{reverse('mfa_index')}")

    page.click(f"main a[href='{reverse('mfa_add_webauthn')}']")
    page.wait_for_url(f"**{reverse('account_reauthenticate')}**")
    page.fill("#id_password", PASSWORD)
    submit(page)
    page.wait_for_url(f"**{reverse('mfa_add_webauthn')}")
    page.fill("#id_name", "Phone")
    page.check("#id_passwordless")
    page.click("#mfa_webauthn_add")
    page.wait_for_url(f"**{reverse('mfa_view_recovery_codes')}")
    page.goto(f"{live_server.url}{reverse('exams:staff_home')}")
    expect(page).to_have_url(re.compile(re.escape(reverse("exams:staff_home")) + "$"))

    page.click("header button:has-text('Log out')")
    page.goto(f"{live_server.url}{reverse('login')}")
    page.click("#passkey_login")
    page.wait_for_url(f"**{reverse('landing')}")
    expect(page.locator("header")).to_contain_text(mentor.username)
