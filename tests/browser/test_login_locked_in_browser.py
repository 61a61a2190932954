"""Refused logins in a real browser. Wrong passwords typed into the login form lock the account
after the allowance (lms.throttles): the next attempt, even with the right password, gets the
site's page saying the account is locked, until when, and the link to reset the password. A
login while every password-check slot is taken gets the "too many sign-ins at once" page
instead, and logging in works again once the slot is free. Both pages pass axe."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lms import conf, throttles
from tests import factories
from tests.browser.artefacts import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEST = "login-refused"
LOGIN = reverse("login")


def submit_login(page, username: str, password: str):
    """Type into the login form and send it; the response the browser navigated to."""
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    with page.expect_navigation() as navigation:
        page.click(f"form[action$='{LOGIN}'] button[type=submit]")
    return navigation.value


def accessible(page, where: str) -> None:
    found = axe_violations(page)
    assert found == [], (where, found)


def in_the_site_layout(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#language")).to_be_visible()  # the header's language menu


def test_wrong_passwords_lock_the_account_and_the_page_says_until_when_and_how_to_reset(
    browser_page, live_server, student, settings
):
    from playwright.sync_api import expect

    # Two wrong passwords are free, the third locks for two minutes.
    settings.LOGIN_THROTTLE = {"ACCOUNT_IP_FREE": 2, "BASE_SECONDS": 120}
    free = conf.login_throttle("ACCOUNT_IP_FREE")
    assert free == 2

    page = browser_page
    page.goto(f"{live_server.url}{LOGIN}")
    for attempt in range(1, free + 2):
        response = submit_login(page, student.username, f"wrong guess {attempt}")
        # Each wrong password, the last one included, gets the login form back with an error.
        assert response.status == 200, attempt
        expect(page.locator("main .error").first).to_be_visible()
        expect(page.locator("#id_password")).to_be_visible()

    # Locked now: the right password is refused before it is checked.
    before = throttles.now()
    response = submit_login(page, student.username, factories.PASSWORD)
    after = throttles.now()

    assert response.status == 429
    seconds = int(response.headers["retry-after"])
    assert 115 <= seconds <= 120
    assert "no-store" in response.headers["cache-control"]
    assert page.url == f"{live_server.url}{LOGIN}"  # not logged in, nowhere else
    in_the_site_layout(page)
    expect(page).to_have_title("Logging in is paused for now · CBEC Academy")
    expect(page.locator("main h1")).to_have_text("Your account is temporarily locked")
    expect(page.locator("main [role=alert]")).to_contain_text(
        "too many wrong passwords for this account"
    )
    unlocks = {
        timezone.localtime(datetime.fromtimestamp(at + seconds, tz=UTC)).strftime("%H:%M")
        for at in (before - 1, after)
    }
    shown = page.locator("#unlocks-at").inner_text()
    assert any(shown == f"You can try again at {time}, in about 2 minutes." for time in unlocks), (
        shown,
        unlocks,
    )
    assert page.locator("main input[name=password]").count() == 0
    reset = page.locator("main a#reset-password")
    expect(reset).to_have_text("Reset your password")
    expect(reset).to_have_attribute("href", reverse("password_reset"))
    accessible(page, "the locked page")
    screenshot(page, TEST, "locked")

    # Still locked while it lasts: the page again, not the login.
    page.click(f"main a[href='{LOGIN}']")
    page.wait_for_url(f"**{LOGIN}")
    assert submit_login(page, student.username, factories.PASSWORD).status == 429
    expect(page.locator("main h1")).to_have_text("Your account is temporarily locked")

    # The way out works: the reset link opens the password reset form.
    page.click("main a#reset-password")
    page.wait_for_url(f"**{reverse('password_reset')}")
    expect(page.locator("main input[type=email]")).to_be_visible()


def test_a_login_while_every_password_check_is_taken_gets_the_busy_page_not_a_lock(
    browser_page, live_server, student, settings
):
    from playwright.sync_api import expect

    settings.LOGIN_THROTTLE = {"CONCURRENT_CHECKS": 1}
    page = browser_page
    page.goto(f"{live_server.url}{LOGIN}")

    # The one slot is held, as by another worker in the middle of checking a password (the
    # live server runs in this process and shares its local-memory cache).
    with throttles.password_check_slot() as free:
        assert free
        response = submit_login(page, student.username, factories.PASSWORD)

    assert response.status == 429 and response.headers["retry-after"] == "3"
    in_the_site_layout(page)
    expect(page).to_have_title("Too many sign-ins at once · CBEC Academy")
    expect(page.locator("main h1")).to_have_text("Too many sign-ins at once")
    expect(page.locator("main [role=alert]")).to_have_text(
        "Many logins are being checked right now. Try again in a few seconds."
    )
    expect(page.locator("main")).to_contain_text("Your account is not locked")
    assert page.locator(f"main a[href='{reverse('password_reset')}']").count() == 0
    accessible(page, "the busy page")
    screenshot(page, TEST, "busy")

    # Nothing was counted: with the slot free again, the same password logs in.
    page.click(f"main a[href='{LOGIN}']")
    page.wait_for_url(f"**{LOGIN}")
    assert submit_login(page, student.username, factories.PASSWORD).status == 200
    assert LOGIN not in page.url
    expect(page.locator("header button:has-text('Log out')")).to_be_visible()
