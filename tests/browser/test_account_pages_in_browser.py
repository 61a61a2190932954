"""Account pages in a real browser: a student signs up to a school, changes names, reads the
inbox and notification choices, downloads their data; an administrator grants a role."""

import json
import re
import zipfile

import pytest
from django.core import mail
from django.urls import reverse

from organizations.models import Membership, NotificationPreference
from tests import factories
from tests.browser.test_exam_in_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "harbour-lantern-42"


@pytest.fixture
def school_admin(school):
    return factories.person("registrar", school, "admin")


def log_out(page) -> None:
    page.click("header button:has-text('Log out')")


def test_a_student_signs_up_to_a_school_that_allows_it_and_logs_in_as_its_student(
    browser_page, live_server, school, school_admin
):
    from playwright.sync_api import expect

    page = browser_page
    # The school's administrator turns sign-up on, for the school's own addresses.
    members = reverse("organizations:members", args=[school.pk])
    log_in(page, live_server, school_admin.username, members)
    page.check("#id_student_signup")
    page.fill("#id_student_signup_domain", "school.edu.cn")
    page.click("section.student-signup button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Students may now sign up")
    link = page.locator("section.student-signup a").get_attribute("href")
    assert link.endswith(f"/accounts/signup/?school={school.code}")
    log_out(page)

    page.goto(link)
    expect(page.locator("main")).to_contain_text(f"Sign up as a student of {school.name}")
    page.fill("#id_username", "liming")
    page.fill("#id_email", "li.ming@gmail.com")
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.fill("#id_name_native", "李明")
    page.fill("#id_name_latin", "Li Ming")
    page.click("button:has-text('Create the account')")
    expect(page.locator("main .error")).to_contain_text("only from addresses at school.edu.cn")
    page.fill("#id_email", "li.ming@school.edu.cn")
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.click("button:has-text('Create the account')")
    page.wait_for_url(f"**{reverse('account_email_verification_sent')}")
    assert not Membership.objects.filter(user__username="liming").exists()

    [message] = mail.outbox
    confirm = re.search(r"http://[^/\s]+(/accounts/confirm-email/\S+)", message.body).group(1)
    page.goto(f"{live_server.url}{confirm}")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{reverse('login')}**")
    membership = Membership.objects.get(user__username="liming")
    assert (membership.organization, membership.role) == (school, "student")

    page.fill("#id_login", "liming")
    page.fill("#id_password", NEW_PASSWORD)
    page.click("main form.account-form button[type=submit]")
    page.wait_for_url(f"**{reverse('landing')}")


def test_a_school_that_takes_no_sign_ups_says_so(browser_page, live_server, school):
    from playwright.sync_api import expect

    page = browser_page
    response = page.goto(f"{live_server.url}{reverse('account_signup')}?school={school.code}")
    assert response.status == 403
    expect(page.locator("main [role=alert]")).to_contain_text("does not take student sign-ups")
    page.click("main a:has-text('Sign up as a social trainee')")
    expect(page.locator("#id_username")).to_be_visible()


def test_a_name_change_is_asked_approved_notified_and_shown(
    browser_page, live_server, student, school_admin
):
    from playwright.sync_api import expect

    page = browser_page
    profile = reverse("account_profile")
    log_in(page, live_server, student.username, profile)
    page.fill("#id_name_native", "张伟明")
    page.fill("#id_name_latin", "Zhang Weiming")
    page.fill("#id_reason", "Name changed at the police station")
    page.click("button:has-text('Send the request')")
    expect(page.locator(".profile-pending")).to_contain_text("张伟明 / Zhang Weiming")
    log_out(page)

    queue = reverse("organizations:name_changes")
    log_in(page, live_server, school_admin.username, queue)
    row = page.locator("tr[data-testid^=name-change-]")
    expect(row).to_contain_text("Zhang Weiming")
    row.locator("textarea").fill("Seen the new identity card.")
    row.locator("button:has-text('Approve')").click()
    expect(page.locator(".messages")).to_contain_text("Name change approved")
    expect(page.locator("tbody")).to_contain_text("No requests are waiting")
    log_out(page)

    log_in(page, live_server, student.username, profile)
    expect(page.locator("[data-testid=name-native]")).to_have_text("张伟明")
    expect(page.locator("[data-testid=name-latin]")).to_have_text("Zhang Weiming")

    # The decision is in the inbox; reading it clears the badge.
    page.goto(f"{live_server.url}{reverse('organizations:inbox')}")
    entry = page.locator("[data-testid=inbox] li").first
    expect(entry).to_contain_text("Seen the new identity card.")
    expect(entry.locator(".badge")).to_have_text("New")
    entry.locator("button:has-text('Mark read')").click()
    expect(page.locator("[data-testid=inbox] .badge")).to_have_count(0)

    # Notification choices: no more emails about name changes; the choice is kept.
    page.click("main a:has-text('Notification choices')")
    email_box = page.locator("input[name='name_change_decided-email']")
    expect(email_box).to_be_checked()
    email_box.uncheck()
    page.click("main button:has-text('Save')")
    expect(page.locator(".messages")).to_contain_text("Your notification choices are saved")
    expect(page.locator("input[name='name_change_decided-email']")).not_to_be_checked()
    expect(page.locator("input[name='name_change_decided-inbox']")).to_be_checked()
    choice = NotificationPreference.objects.get(user=student, kind="name_change_decided")
    assert (choice.email, choice.inbox) == (False, True)


def test_a_student_downloads_a_zip_of_their_data(browser_page, live_server, student, tmp_path):
    page = browser_page
    log_in(page, live_server, student.username, reverse("privacy:home"))
    with page.expect_download() as download_info:
        page.click("button:has-text('Download my data (ZIP)')")
    download = download_info.value
    assert re.fullmatch(r"cbec-academy-my-data-.+\.zip", download.suggested_filename)
    path = tmp_path / "mine.zip"
    download.save_as(path)
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("data.json"))
    text = json.dumps(data, ensure_ascii=False)
    assert "student@example.org" in text and "张伟" in text and "Zhang Wei" in text


def test_an_administrator_grants_a_role_on_the_members_page(
    browser_page, live_server, school, school_admin, student
):
    from playwright.sync_api import expect

    page = browser_page
    log_in(page, live_server, school_admin.username, f"/organizations/{school.pk}/members/")
    row = page.locator("tr", has_text="student@example.org")
    row.locator("select[name=role]").select_option("teacher")
    row.locator("button:has-text('Give')").click()
    expect(page.locator(".messages")).to_contain_text("student is now Teacher")
    row = page.locator("tr", has_text="student@example.org")
    expect(row.locator(".badge")).to_have_count(2)
    assert set(
        Membership.objects.filter(user=student, organization=school, is_active=True).values_list(
            "role", flat=True
        )
    ) == {"student", "teacher"}
