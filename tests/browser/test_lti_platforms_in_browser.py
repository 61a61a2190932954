"""A school's LTI platforms in a real browser: its administrator goes from the workspace to the
platforms page, reads the tool's addresses to paste, registers a platform through the page's
form (a mistake is shown next to its field first), finds it in the list and the database,
names one of its deployments, deactivates it; the pages pass axe, and the list is Chinese
after the site's language switch."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from lti.models import Platform
from tests import factories
from tests.browser.artefacts import axe_violations, screenshot
from tests.browser.test_exam_in_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEST = "lti-platforms"
MOODLE = "https://moodle.school.example"


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    # The staff second factor has its own browser test (test_accounts_in_browser); here the
    # administrator goes straight to work, as in the other staff tests.
    settings.STAFF_MFA_REQUIRED = False


@pytest.fixture
def school_admin(school):
    return factories.person("school_admin", school, "admin")


def accessible(page, where: str) -> None:
    found = axe_violations(page)
    assert found == [], (where, found)


def listed(page) -> dict[str, list[str]]:
    """The list's platforms: name -> [issuer, client id, deployments, status]."""
    rows = page.locator("table.platforms-table tbody tr").filter(has=page.locator("td a"))
    return {
        rows.nth(i).locator("td").nth(0).inner_text(): [
            rows.nth(i).locator("td").nth(n).inner_text().strip() for n in (1, 2, 3, 5)
        ]
        for i in range(rows.count())
    }


def test_a_school_administrator_registers_and_deactivates_a_platform_on_the_pages(
    browser_page, live_server, school, school_admin
):
    from playwright.sync_api import expect

    page = browser_page
    log_in(page, live_server, school_admin.username, reverse("landing"))

    # From the workspace to the platforms page, through its link.
    page.get_by_role("link", name="LTI platforms", exact=True).click()
    page.wait_for_url(f"**{reverse('lti:platforms')}?org={school.code}")
    expect(page.locator("h1")).to_have_text(f"LTI platforms of {school.name_en}")
    # The tool's addresses, absolute and on this server, to paste into the platform.
    expect(page.get_by_test_id("login-url")).to_have_text(f"{live_server.url}/lti/login/")
    expect(page.get_by_test_id("launch-url")).to_have_text(f"{live_server.url}/lti/launch/")
    expect(page.get_by_test_id("jwks-url")).to_have_text(f"{live_server.url}/lti/jwks.json")
    assert listed(page) == {}
    expect(page.locator("table.platforms-table tbody")).to_contain_text(
        "No platform is registered yet."
    )
    accessible(page, "the empty platforms page")

    # Register: first with a mistake in each of two fields, shown next to each field.
    page.get_by_role("link", name="Register a platform").click()
    page.wait_for_url(f"**{reverse('lti:platform_new')}?org={school.code}")
    expect(page.locator("h1")).to_have_text("Register a platform")
    page.fill("#id_name", "Moodle of the school")
    page.fill("#id_issuer", MOODLE)
    page.fill("#id_client_id", "abc-123")
    page.fill("#id_auth_login_url", "not a url")
    page.fill("#id_jwks_url", f"{MOODLE}/mod/lti/certs.php")
    page.fill("#id_deployment_ids", "1\n1")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("Register a platform")
    login_field = page.locator("div", has=page.locator("#id_auth_login_url")).last
    expect(login_field).to_contain_text("Enter a valid URL.")
    deployments_field = page.locator("div", has=page.locator("#id_deployment_ids")).last
    expect(deployments_field).to_contain_text("The deployment id 1 is listed twice.")
    # Each error is tied to its field for screen readers, and the rest is kept.
    for field in ("#id_auth_login_url", "#id_deployment_ids"):
        expect(page.locator(field)).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_name")).to_have_value("Moodle of the school")
    assert not Platform.objects.exists()
    accessible(page, "the form with its errors")
    screenshot(page, TEST, "form-errors")

    # Then correctly.
    page.fill("#id_auth_login_url", f"{MOODLE}/mod/lti/auth.php")
    page.fill("#id_deployment_ids", "1\n7")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/lti/platforms/*/")
    platform = Platform.objects.get()
    assert page.url == f"{live_server.url}{reverse('lti:platform', args=[platform.pk])}"
    expect(page.locator(".messages")).to_contain_text(
        "The platform Moodle of the school is registered."
    )
    assert (platform.organization, platform.issuer, platform.client_id, platform.is_active) == (
        school,
        MOODLE,
        "abc-123",
        True,
    )
    assert platform.auth_login_url == f"{MOODLE}/mod/lti/auth.php"
    assert sorted(
        platform.deployments.filter(is_active=True).values_list("deployment_id", flat=True)
    ) == ["1", "7"]

    # The list shows it with both deployments.
    page.get_by_role("link", name="LTI platforms", exact=True).click()
    page.wait_for_url(f"**{reverse('lti:platforms')}?org={school.code}")
    # Both deployments, each on its own (not read as one "17").
    assert listed(page) == {"Moodle of the school": [MOODLE, "abc-123", "1 7", "Active"]}
    accessible(page, "the platforms page with a platform")
    screenshot(page, TEST, "list")

    # Open it, name a deployment on its form, and deactivate it.
    page.get_by_role("link", name="Moodle of the school").click()
    page.wait_for_url(f"**{reverse('lti:platform', args=[platform.pk])}")
    expect(page.locator("h1 .badge")).to_have_text("Active")
    expect(page.locator(".tool-urls dd .badge")).to_have_text(["1", "7"])
    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_url(f"**{reverse('lti:platform_edit', args=[platform.pk])}")
    expect(page.locator("#id_deployment_ids")).to_have_value("1\n7")
    page.fill("#id_deployment_ids", "1 | Moodle – Business School\n7")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**{reverse('lti:platform', args=[platform.pk])}")
    expect(page.locator(".messages")).to_contain_text("The platform Moodle of the school is saved.")
    expect(page.locator(".tool-urls dd .badge")).to_have_text(["1", "7"])
    expect(page.locator(".tool-urls .deployment-name")).to_have_text(["Moodle – Business School"])
    assert dict(platform.deployments.values_list("deployment_id", "name")) == {
        "1": "Moodle – Business School",
        "7": "",
    }
    accessible(page, "the platform's page")
    page.get_by_role("button", name="Deactivate").click()
    expect(page.locator(".messages")).to_contain_text(
        "The platform Moodle of the school is deactivated: its launches are refused."
    )
    expect(page.locator("h1 .badge")).to_have_text("Inactive")
    expect(page.get_by_role("button", name="Activate")).to_be_visible()
    platform.refresh_from_db()
    assert platform.is_active is False
    accessible(page, "the inactive platform's page")
    screenshot(page, TEST, "detail-inactive")

    # The list, marked inactive, and in Chinese after the language menu in the site's header.
    page.get_by_role("link", name="LTI platforms", exact=True).click()
    page.wait_for_url(f"**{reverse('lti:platforms')}?org={school.code}")
    assert listed(page)["Moodle of the school"][3] == "Inactive"
    page.select_option("#language", "zh-hans")
    page.wait_for_function("document.documentElement.lang === 'zh-hans'")
    assert page.url == f"{live_server.url}{reverse('lti:platforms')}?org={school.code}"
    english = ["What to paste into the platform", "Platforms", "Register a platform", "Inactive"]
    with translation.override("zh-hans"):
        chinese = {text: gettext(text) for text in english}
        title = gettext("LTI platforms of %(name)s") % {"name": school.name_zh}
    assert all(chinese[text] != text for text in english), chinese  # all translated
    assert title == f"{school.name_zh} 的 LTI 平台"
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("#tool-urls-title")).to_have_text(
        chinese["What to paste into the platform"]
    )
    expect(page.locator("#platforms-title")).to_have_text(chinese["Platforms"])
    expect(page.get_by_role("link", name=chinese["Register a platform"])).to_be_visible()
    assert listed(page)["Moodle of the school"][3] == chinese["Inactive"]
    main = page.locator("main").inner_text()
    assert "What to paste into the platform" not in main and "Register a platform" not in main
    accessible(page, "the platforms page in Chinese")
    screenshot(page, TEST, "list-zh-hans")
