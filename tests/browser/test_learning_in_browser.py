"""A student finds SEO Marketing, enrols, completes a lesson and sees progress move."""

import pytest

from tests.browser.test_exam_in_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_student_enrols_and_progress_moves_in_english(browser_page, live_server, student, course):
    from playwright.sync_api import expect

    page = browser_page
    log_in(page, live_server, student.username, "/courses/")
    page.fill("#id_q", "SEO")
    page.click("text=Filter")
    page.click("text=SEO Marketing")
    page.click("button:has-text('Enrol')")
    expect(page.locator(".messages")).to_contain_text("You are enrolled")
    page.click(".syllabus a >> nth=0")
    page.click("button:has-text('Mark complete')")
    page.goto(f"{live_server.url}/courses/my/")
    expect(page.get_by_role("progressbar").first).to_have_js_property("value", 25)


def test_the_same_journey_works_in_chinese(chromium, live_server, student, course):
    from playwright.sync_api import expect

    context = chromium.new_context(
        locale="zh-CN", extra_http_headers={"Accept-Language": "zh-Hans"}
    )
    page = context.new_page()
    try:
        log_in(page, live_server, student.username, "/courses/")
        expect(page.locator("h1")).to_have_text("课程目录")
        page.click("text=搜索引擎优化营销")
        page.click("button:has-text('选课')")
        page.click(".syllabus a >> nth=0")
        page.click("button:has-text('标记为已完成')")
        page.goto(f"{live_server.url}/courses/my/")
        expect(page.locator("h1")).to_have_text("我的学习")
        expect(page.get_by_role("progressbar").first).to_have_js_property("value", 25)
    finally:
        context.close()
