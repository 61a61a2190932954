"""The enforcing Content-Security-Policy blocks nothing the pages need (finding 14).

Chromium reports every blocked script, style or form as a console error ("... violates the
following Content Security Policy directive ..."): each page here must load without one and
still behave (the language menu, Swagger UI, the admin).
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.browser.test_exam_in_browser import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch_csp(page) -> list[str]:
    """Collect the CSP violations the browser reports on this page."""
    violations = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", on_console)
    return violations


def test_the_language_menu_switches_language_without_an_inline_handler(
    browser_page, live_server, course
):
    from playwright.sync_api import expect

    page = browser_page
    violations = _watch_csp(page)
    response = page.goto(f"{live_server.url}{reverse('courses:catalogue')}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("h1")).to_have_text("Course catalogue")
    page.select_option("#language", "zh-hans")  # site.js sends the form on change
    expect(page.locator("h1")).to_have_text("课程目录")
    assert violations == []


def test_swagger_ui_renders_under_the_policy(browser_page, live_server, db):
    from playwright.sync_api import expect

    page = browser_page
    violations = _watch_csp(page)
    page.goto(f"{live_server.url}{reverse('api_docs')}")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("CBEC Academy API")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    assert violations == []


def test_student_and_admin_pages_load_without_a_violation(
    browser_page, live_server, student, course
):
    from playwright.sync_api import expect

    page = browser_page
    violations = _watch_csp(page)
    log_in(page, live_server, student.username, reverse("certificates:mine"))
    expect(page.locator("h1")).to_have_text("My certificates")
    page.goto(f"{live_server.url}{reverse('courses:course_detail', args=[course.code])}")
    expect(page.locator("h1")).to_contain_text("SEO Marketing")
    assert violations == []

    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    page.context.clear_cookies()
    log_in(page, live_server, "root", reverse("admin:courses_course_changelist"))
    expect(page.locator("#result_list")).to_be_visible()
    page.goto(f"{live_server.url}{reverse('admin:courses_course_change', args=[course.pk])}")
    expect(page.locator("#course_form")).to_be_visible()
    assert violations == []


def test_the_statistics_charts_draw_under_the_policy(browser_page, live_server, regulator, cohort):
    """The reports page draws its charts with ECharts (a static file) and its JSON data block."""
    from playwright.sync_api import expect

    page = browser_page
    violations = _watch_csp(page)
    log_in(page, live_server, regulator.username, reverse("reports:statistics_home"))
    expect(page.locator("h1")).to_be_visible()
    page.wait_for_timeout(1500)  # ECharts draws after load
    canvases = page.locator("canvas")
    expect(canvases.first).to_be_visible()
    canvases.first.hover()  # a tooltip, drawn as HTML
    page.wait_for_timeout(500)
    assert violations == []
