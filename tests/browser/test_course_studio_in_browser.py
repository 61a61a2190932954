"""A teacher builds a course in the studio, reorders it (drag and drop, and the keyboard),
publishes it, and a student sees the order the teacher set."""

from pathlib import Path

import pytest

from courses.models import Course
from tests.browser.test_exam_in_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artefacts"


def test_a_teacher_builds_reorders_and_publishes_a_course_a_student_sees_it(
    chromium, browser_page, live_server, teacher, student, school
):
    from playwright.sync_api import expect

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page = browser_page
    log_in(page, live_server, teacher.username, "/exams/staff/")
    page.click("a:has-text('Course studio')")
    page.click("a:has-text('Create a course')")
    page.fill("#id_code", "listing-basics")
    page.fill("#id_title_en", "Listing basics")
    page.fill("#id_title_zh", "商品上架基础")
    page.fill("#id_min_lesson_minutes", "15")
    page.click("button:has-text('Save')")
    expect(page.locator("h1")).to_have_text("Listing basics")

    for title, title_zh in (("Research", "选品"), ("Writing", "撰写")):
        page.fill(".add-module #id_title_en", title)
        page.fill(".add-module #id_title_zh", title_zh)
        page.click("button:has-text('Add the module')")
        expect(page.locator(".messages")).to_contain_text("The module is saved.")

    lessons = [("Research", "Keywords", "关键词"), ("Research", "Competitors", "竞品"),
               ("Writing", "Titles", "标题")]  # fmt: skip
    for module, title, title_zh in lessons:
        page.locator(f"li.module:has(h3:has-text('{module}')) a:has-text('Add a lesson')").click()
        page.fill("#id_title_en", title)
        page.fill("#id_title_zh", title_zh)
        page.fill("#id_body_en", f"# {title}\n\nWrite **{title.lower()}** carefully.")
        # The live preview is the sanitised HTML students will see.
        expect(page.locator(".markdown-preview").first.locator("strong")).to_have_text(
            title.lower()
        )
        page.fill("#id_body_zh", f"{title_zh}要<script>alert(1)</script>**认真**")
        expect(page.locator(".markdown-preview").nth(1).locator("strong")).to_have_text("认真")
        assert page.locator(".markdown-preview script").count() == 0
        page.click("button[type=submit]:text-is('Save')")
        expect(page.locator(".messages")).to_contain_text("The lesson is saved.")
    page.screenshot(path=str(ARTEFACTS / "course-studio-built.png"), full_page=True)

    # Drag "Titles" above "Keywords" in the first module (SortableJS posts the outline).
    handle = page.locator("li.lesson:has-text('Titles') .handle")
    target = page.locator("li.lesson:has-text('Keywords')")
    handle.drag_to(target, target_position={"x": 20, "y": 2})
    expect(page.locator(".outline-status")).to_have_text("The new order is saved.")
    # The keyboard: "Competitors", last of "Research", moves down into "Writing"; then the
    # module "Writing" moves up. Both are plain form posts.
    page.reload()
    expect(page.locator("li.module").first.locator("li.lesson").first).to_contain_text("Titles")
    page.locator("li.lesson:has-text('Competitors') button[value=down]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("li.module").nth(1).locator("li.lesson").first).to_contain_text(
        "Competitors"
    )
    page.locator("li.module:has(h3:has-text('Writing')) button[value=up]").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("li.module h3").first).to_contain_text("Writing")

    page.click("button:has-text('Publish')")
    expect(page.locator(".messages")).to_contain_text("The course is published.")
    page.screenshot(path=str(ARTEFACTS / "course-studio-published.png"), full_page=True)
    assert Course.objects.get(code="listing-basics").is_published

    context = chromium.new_context(viewport={"width": 390, "height": 800}, locale="en-GB")
    student_page = context.new_page()
    try:
        log_in(student_page, live_server, student.username, "/courses/listing-basics/")
        student_page.click("button:has-text('Enrol')")
        expect(student_page.locator(".messages")).to_contain_text("You are enrolled")
        titles = student_page.locator(".syllabus li").all_inner_texts()
        assert [t.strip() for t in titles] == ["Competitors", "Titles", "Keywords"]
        modules = student_page.locator(".syllabus h3").all_inner_texts()
        assert modules == ["1. Writing", "2. Research"]
        expect(student_page.locator(".criteria")).to_contain_text("15 minutes")
        student_page.screenshot(path=str(ARTEFACTS / "course-studio-student.png"), full_page=True)
    finally:
        context.close()
