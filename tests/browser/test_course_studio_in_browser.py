"""A teacher builds a course in the studio, reorders it (drag and drop, and the keyboard),
publishes it, and a student sees the order the teacher set: in English and in Chinese."""

from pathlib import Path

import pytest

from courses.models import Course, Lesson, Module
from tests.browser.test_exam_in_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artefacts"

LANGUAGES = {
    "en": {"locale": "en-GB", "accept": "en", "saved": "The new order is saved.",
           "enrolled": "You are enrolled", "minutes": "15 minutes"},
    "zh": {"locale": "zh-CN", "accept": "zh-Hans", "saved": "新顺序已保存。",
           "enrolled": "成功选修", "minutes": "15 分钟"},
}  # fmt: skip


def new_page(chromium, language: str, width: int = 1280):
    spec = LANGUAGES[language]
    context = chromium.new_context(
        viewport={"width": width, "height": 900},
        locale=spec["locale"],
        extra_http_headers={"Accept-Language": spec["accept"]},
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_teacher_builds_reorders_and_publishes_a_course_a_student_sees_it(
    chromium, live_server, teacher, student, school, language
):
    from playwright.sync_api import expect

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    spec = LANGUAGES[language]
    local = (lambda en, zh: zh) if language == "zh" else (lambda en, zh: en)
    context, page = new_page(chromium, language)
    try:
        log_in(page, live_server, teacher.username, "/exams/staff/")
        page.click("a[href='/courses/studio/']")
        page.click("a[href='/courses/studio/new/']")
        page.fill("#id_code", "listing-basics")
        page.fill("#id_title_en", "Listing basics")
        page.fill("#id_title_zh", "商品上架基础")
        page.fill("#id_min_lesson_minutes", "15")
        page.click("form.studio-form button.primary")
        expect(page.locator("h1")).to_have_text(local("Listing basics", "商品上架基础"))
        course = Course.objects.get(code="listing-basics")

        for title, title_zh in (("Research", "选品"), ("Writing", "撰写")):
            page.fill(".add-module #id_title_en", title)
            page.fill(".add-module #id_title_zh", title_zh)
            page.click(".add-module button[type=submit]")
            expect(
                page.locator(f"li.module h3:has-text('{local(title, title_zh)}')")
            ).to_be_visible()
        research, writing = course.modules.order_by("position")

        for module, title, title_zh in (
            (research, "Keywords", "关键词"),
            (research, "Competitors", "竞品"),
            (writing, "Titles", "标题"),
        ):
            page.click(f"#module-{module.pk} a.button[href*='lessons/new']")
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
            page.click("form.studio-form button.primary")
            expect(page.locator(f"li.lesson:has-text('{local(title, title_zh)}')")).to_be_visible()
        page.screenshot(path=str(ARTEFACTS / f"course-studio-built-{language}.png"), full_page=True)
        keywords, competitors, titles = (
            Lesson.objects.get(title_en=t).pk for t in ("Keywords", "Competitors", "Titles")
        )

        # Drag "Titles" above "Keywords" in the first module (SortableJS posts the outline).
        page.locator(f"#lesson-{titles} .handle").drag_to(
            page.locator(f"#lesson-{keywords}"), target_position={"x": 20, "y": 2}
        )
        expect(page.locator(".outline-status")).to_have_text(spec["saved"])
        assert list(research.lessons.order_by("position").values_list("pk", flat=True)) == [
            titles,
            keywords,
            competitors,
        ]
        # The keyboard: "Competitors", last of its module, moves down into the next module;
        # then that module moves up. Both are plain form posts.
        page.reload()
        page.locator(f"#lesson-{competitors} button[value=down]").focus()
        page.keyboard.press("Enter")
        expect(page.locator(f"#module-{writing.pk} li.lesson").first).to_have_id(
            f"lesson-{competitors}"
        )
        page.locator(f"#module-{writing.pk} button[value=up]").first.focus()
        page.keyboard.press("Enter")
        expect(page.locator("li.module").first).to_have_id(f"module-{writing.pk}")

        page.click("form[action$='/publish/'] button.primary")
        expect(page.locator(".badge.ok")).to_be_visible()
        page.screenshot(
            path=str(ARTEFACTS / f"course-studio-published-{language}.png"), full_page=True
        )
        assert Course.objects.get(pk=course.pk).is_published
    finally:
        context.close()

    context, page = new_page(chromium, language, width=390)
    try:
        log_in(page, live_server, student.username, "/courses/listing-basics/")
        page.click("form[action$='/enrol/'] button")
        expect(page.locator(".messages")).to_contain_text(spec["enrolled"])
        lessons = [t.strip() for t in page.locator(".syllabus li a").all_inner_texts()]
        order = (("Competitors", "竞品"), ("Titles", "标题"), ("Keywords", "关键词"))
        assert lessons == [local(*pair) for pair in order]
        modules = page.locator(".syllabus h3").all_inner_texts()
        assert modules == [f"1. {local('Writing', '撰写')}", f"2. {local('Research', '选品')}"]
        expect(page.locator(".criteria")).to_contain_text(spec["minutes"])
        # Nothing on the course page is wider than 390 px (the site header is base.html's).
        wide = page.evaluate(
            "[...document.querySelectorAll('main *')]"
            ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
            ".map(e => e.outerHTML.slice(0, 80))"
        )
        assert wide == []
        page.screenshot(
            path=str(ARTEFACTS / f"course-studio-student-{language}.png"), full_page=True
        )
        assert Module.objects.filter(course__code="listing-basics").count() == 2
    finally:
        context.close()
