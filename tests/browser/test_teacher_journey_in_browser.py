"""The teacher's whole job in a real browser, in English and in Chinese: a course of two
modules and three lessons built, reordered and published in the studio; a bank of questions of
several kinds written through their forms; an exam built from a blueprint and published; a
student sits it; the teacher and the cohort's mentor mark the practical answer (it is dual
marked); the teacher opens the gradebook and exports it, and the export holds the page's rows.
Axe checks every page on the way; at 390 px the attempt and studio pages do not scroll
sideways and the exam's timer and save state stay in view."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from courses.models import Course, Lesson
from courses.services import enrollment_create
from exams.models import Attempt, BlueprintRule, Exam, QuestionBank
from tests import factories
from tests.browser.artefacts import axe_violations, screenshot
from tests.browser.test_exam_in_browser import log_in
from tests.browser.test_gradebook_in_browser import page_rows
from tests.browser.test_question_kinds_in_browser import answer_everything, fill_the_kinds_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEST = "teacher-journey"
KINDS = ("single_choice", "true_false", "numeric", "practical")


def new_page(chromium, *, width: int = 1280):
    context = chromium.new_context(
        viewport={"width": width, "height": 900}, locale="en-GB", accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return context, page, blocked


def choose_language(page, language: str) -> None:
    """Switch with the language menu in the site's header, as a person would."""
    page.select_option("#language", language)
    page.wait_for_function(f"document.documentElement.lang === '{language}'")


def accessible(page, where: str) -> None:
    found = axe_violations(page)
    assert found == [], (where, page.url, found)


def sign_in(page, live_server, username: str, language: str, next_url: str) -> None:
    log_in(page, live_server, username, next_url)
    choose_language(page, language)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_teacher_builds_a_course_and_an_exam_marks_it_and_exports_the_gradebook(
    chromium, live_server, teacher, student, mentor, school, enterprise, language
):
    from playwright.sync_api import expect

    local = (lambda en, zh: zh) if language == "zh-hans" else (lambda en, zh: en)
    with translation.override(language):
        words = {
            "saved": gettext("The exam is saved."),
            "published": gettext("Published"),
            "mark_saved": gettext("Your mark is saved."),
            "saved_answers": gettext("All answers saved"),
        }
    name = f"{TEST}-{language}"

    # --- The course, in the studio -------------------------------------------------------
    context, page, blocked = new_page(chromium)
    sign_in(page, live_server, teacher.username, language, reverse("landing"))
    accessible(page, "workspace")
    page.click(f"main a[href='{reverse('courses:studio_courses')}']")
    accessible(page, "my courses")
    page.click(f"a[href='{reverse('courses:studio_course_new')}']")
    accessible(page, "new course")
    page.fill("#id_code", "listing-basics")
    page.fill("#id_title_en", "Listing basics")
    page.fill("#id_title_zh", "商品上架基础")
    page.click("form.studio-form button.primary")
    expect(page.locator("h1")).to_have_text(local("Listing basics", "商品上架基础"))
    course = Course.objects.get(code="listing-basics")
    for title, title_zh in (("Research", "选品"), ("Writing", "撰写")):
        page.fill(".add-module #id_title_en", title)
        page.fill(".add-module #id_title_zh", title_zh)
        page.click(".add-module button[type=submit]")
        expect(page.locator(f"li.module h3:has-text('{local(title, title_zh)}')")).to_be_visible()
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
        page.fill("#id_body_zh", f"{title_zh}要**认真**")
        expect(page.locator(".markdown-preview").nth(1).locator("strong")).to_have_text("认真")
        if title == "Titles":
            accessible(page, "lesson form")
        page.click("form.studio-form button.primary")
        expect(page.locator(f"li.lesson:has-text('{local(title, title_zh)}')")).to_be_visible()
    keywords, competitors, titles = (
        Lesson.objects.get(title_en=t).pk for t in ("Keywords", "Competitors", "Titles")
    )
    # Reorder with the keyboard: "Competitors" moves down into the second module, then that
    # module moves up to be the first.
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
    accessible(page, "course studio")
    screenshot(page, name, "1-course-published")
    course.refresh_from_db()
    assert course.is_published
    assert [m.pk for m in course.modules.order_by("position")] == [writing.pk, research.pk]
    assert list(writing.lessons.order_by("position").values_list("pk", flat=True)) == [
        competitors,
        titles,
    ]
    assert list(research.lessons.values_list("pk", flat=True)) == [keywords]

    # The school puts the student in a class of the course, with an enterprise mentor.
    course.partners.add(enterprise)
    cohort = factories.cohort(course, teacher=teacher, mentor=mentor, name="Listing class")
    enrollment_create(student=student, course=course, cohort=cohort, by_teacher=True)

    # --- A bank, its questions written through each kind's form --------------------------
    page.goto(f"{live_server.url}{reverse('landing')}")
    page.click(f"main a[href='{reverse('exams:bank_list')}']")
    accessible(page, "bank list")
    page.fill("#id_name", "Listing bank")
    page.click("#new-bank button[type=submit]")
    expect(page.locator("h1")).to_have_text("Listing bank")
    bank = QuestionBank.objects.get(name="Listing bank")
    for kind in KINDS:
        page.click(f"main a[href='{reverse('exams:question_new', args=[bank.pk])}']")
        page.click(f"a[href$='?kind={kind}']")
        fill_the_kinds_form(page, kind)
        if kind == "practical":
            accessible(page, "question form")
        page.click("form.question-form button[type=submit]")
        expect(page.locator("h1")).to_contain_text(f"{kind} in the browser")
        page.click(f"nav.breadcrumbs a[href='{reverse('exams:bank_detail', args=[bank.pk])}']")
    expect(page.locator("input[name=questions]")).to_have_count(len(KINDS))
    accessible(page, "bank")
    screenshot(page, name, "2-bank")

    # --- The exam, from a blueprint ------------------------------------------------------
    page.goto(f"{live_server.url}{reverse('landing')}")
    page.click(f"main a[href='{reverse('exams:exam_new')}']")
    page.fill("#id_exam-title_en", "Listing exam")
    page.fill("#id_exam-title_zh", "上架考试")
    page.select_option("#id_exam-course", str(course.pk))
    page.check(f"input[name='exam-banks'][value='{bank.pk}']")
    page.select_option("#id_sections-0-part", "theory")
    page.fill("#id_rules-0-competency", "all")
    page.select_option("#id_rules-0-kind", BlueprintRule.OBJECTIVE)
    page.fill("#id_rules-0-count", "3")
    accessible(page, "new exam")
    page.click("#exam-builder button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(words["saved"])
    # Saved: the builder offers one more section and one more row, for the practical part.
    page.select_option("#id_sections-1-part", "practical")
    page.select_option("#id_rules-1-part", "practical")
    page.fill("#id_rules-1-competency", "all")
    page.select_option("#id_rules-1-kind", "practical")
    page.fill("#id_rules-1-count", "1")
    page.click("#exam-builder button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(words["saved"])
    accessible(page, "exam builder")
    page.click(".publish-box form button[type=submit]")
    expect(page.locator("h1 .badge")).to_have_text(words["published"])
    screenshot(page, name, "3-exam-published")
    exam = Exam.objects.get(title_en="Listing exam")
    assert exam.is_published and exam.course == course
    assert [s.part for s in exam.sections.order_by("position")] == ["theory", "practical"]
    context.close()
    assert not blocked, blocked

    # --- The student sits it -------------------------------------------------------------
    context, page, blocked = new_page(chromium)
    sign_in(page, live_server, student.username, language, exam.get_absolute_url())
    page.click("form[action$='/start/'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/exams/attempts/\d+/$"))
    expect(page.locator("section.question")).to_have_count(4)
    answer_everything(page)
    page.locator("section.question textarea.text").fill("My listing: AQUORA 750 ml bottle")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved", timeout=20_000)
    expect(page.locator("#save-state")).to_have_text(words["saved_answers"])
    accessible(page, "attempt")
    screenshot(page, name, "4-attempt")
    page.locator("#submit-open").click()
    page.locator("#submit-confirm").click()
    page.wait_for_url("**/result/")
    context.close()
    assert not blocked, blocked
    attempt = Attempt.objects.get(exam=exam, student=student)
    assert attempt.status == Attempt.Status.SUBMITTED  # the practical waits for its marks
    practical = attempt.questions.get(part="practical")
    assert practical.needs_marking and practical.is_dual_marked

    # --- The teacher marks, then the mentor ----------------------------------------------
    for person in (teacher, mentor):
        context, page, blocked = new_page(chromium)
        sign_in(page, live_server, person.username, language, reverse("landing"))
        page.click(f"main a[href^='{reverse('exams:grading_queue')}']")
        accessible(page, "grading queue")
        page.click(f"a[href^='{reverse('exams:mark_answer', args=[practical.pk])}']")
        expect(page.locator(".answer-text")).to_contain_text("AQUORA")
        for box in page.locator("input[name^=criterion_]").all():
            box.fill("2")
        page.fill("textarea[name=comment]", f"Marked by {person.username}")
        accessible(page, "marking")
        screenshot(page, name, f"5-marking-{person.username}")
        page.click("form:has(textarea[name=comment]) button[type=submit]")
        expect(page.locator(".messages")).to_contain_text(words["mark_saved"])
        context.close()
        assert not blocked, blocked
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    practical.refresh_from_db()
    assert not practical.needs_marking and practical.marks.count() == 2

    # --- The gradebook and its export ----------------------------------------------------
    context, page, blocked = new_page(chromium)
    sign_in(page, live_server, teacher.username, language, reverse("landing"))
    gradebook = reverse("gradebook:cohort_gradebook", args=[cohort.pk])
    page.click(f"#teaching a[href='{gradebook}']")
    page.wait_for_url(f"**{gradebook}*")
    expect(page.locator("table.gradebook tbody tr")).to_have_count(1)
    shown = page_rows(page)
    head, row = shown[0], dict(zip(shown[0], shown[1], strict=True))
    assert shown[1][0] in ("Zhang Wei", "张伟")
    # The lessons in the order the teacher set; the exam's parts as graded after both marks.
    lessons = [local(*pair) for pair in (("Competitors", "竞品"), ("Titles", "标题"))]
    lessons.append(local("Keywords", "关键词"))
    assert [title for title in head if title in lessons] == lessons
    exam_title = local("Listing exam", "上架考试")
    with translation.override(language):
        columns = {
            part: gettext(f"%(exam)s: {part} (%%)") % {"exam": exam_title}
            for part in ("theory", "practical", "total")
        }
    for part, column in columns.items():
        assert float(row[column]) == float(getattr(attempt, f"{part}_percent")), column
    accessible(page, "gradebook")
    screenshot(page, name, "6-gradebook")
    with page.expect_download() as download:
        page.click("a[href*='export.csv']")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == shown
    context.close()
    assert not blocked, blocked


PHONE = {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def in_view(page, selector: str) -> bool:
    return page.locator(selector).evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }"
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_at_390_px_the_attempt_keeps_its_timer_and_save_state_in_view_and_nothing_scrolls_sideways(
    chromium, live_server, student, theory_exam, language
):
    from playwright.sync_api import expect

    context, page, blocked = new_page(chromium, width=PHONE["width"])
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, student.username, language, theory_exam.get_absolute_url())
    page.click("form[action$='/start/'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/exams/attempts/\d+/$"))
    assert page.evaluate(NO_SIDEWAYS_SCROLL), page.evaluate("document.documentElement.scrollWidth")
    # Down to the last question: the timer and the save state are still on screen.
    last = page.locator("section.question").last
    last.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert page.evaluate("window.scrollY") > 300  # the page did scroll
    last.locator("input[type=radio]").first.check()
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")
    assert in_view(page, "#countdown") and in_view(page, "#save-state")
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^\d+:\d\d$"))
    accessible(page, "attempt at 390 px")
    screenshot(page, f"{TEST}-phone-{language}", "attempt-scrolled", full_page=False)
    context.close()
    assert not blocked, blocked


def test_at_390_px_the_studio_pages_do_not_scroll_sideways_and_axe_finds_nothing(
    chromium, live_server, teacher, student, cohort, theory_exam
):
    enrollment_create(student=student, course=cohort.course, cohort=cohort, by_teacher=True)
    bank = theory_exam.banks.get()
    pages = {
        "workspace": reverse("landing"),
        "courses": reverse("courses:studio_courses"),
        "course": reverse("courses:studio_course", args=[cohort.course.code]),
        "lesson": reverse("courses:studio_lesson_new", args=[cohort.course.code]),
        "banks": reverse("exams:bank_list"),
        "bank": reverse("exams:bank_detail", args=[bank.pk]),
        "question": f"{reverse('exams:question_new', args=[bank.pk])}?kind=practical",
        "builder": reverse("exams:exam_builder", args=[theory_exam.pk]),
        "grading": reverse("exams:grading_queue"),
        "gradebook": reverse("gradebook:cohort_gradebook", args=[cohort.pk]),
    }
    context, page, blocked = new_page(chromium, width=PHONE["width"])
    page.set_viewport_size(PHONE)
    log_in(page, live_server, teacher.username, pages["workspace"])
    wide, violations = {}, {}
    for name, url in pages.items():
        page.goto(f"{live_server.url}{url}")
        if found := axe_violations(page):
            violations[name] = found
        if not page.evaluate(NO_SIDEWAYS_SCROLL):
            wide[name] = page.evaluate(
                "[...document.querySelectorAll('body *')].filter(e =>"
                " e.getBoundingClientRect().right > window.innerWidth + 1 &&"
                " !e.closest('.table-scroll')).map(e => e.tagName + '.' + e.className)"
                ".slice(0, 8)"
            )
            screenshot(page, f"{TEST}-phone", name)
    context.close()
    assert wide == {}, wide
    assert violations == {}, violations
    assert not blocked, blocked
