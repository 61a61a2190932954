"""The teacher's studio in a real browser, without the admin: a bank with two questions made
through forms, an exam built from a blueprint (the row's count follows what is typed) and
published, and a student who starts it. In English and in Chinese: the steps find the
controls by address and id, and the words shown are checked in the browser's language."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from exams.models import Attempt, Exam, QuestionBank
from exams.views.builder import match_text
from tests.browser.test_exam_in_browser import log_in
from tests.browser.test_question_kinds_in_browser import fill_the_kinds_form, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALES = {"en": "en-GB", "zh-hans": "zh-CN"}


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    # The staff second factor has its own tests; here the teacher goes straight to work.
    settings.STAFF_MFA_REQUIRED = False


@pytest.mark.parametrize("language", list(LOCALES))
def test_a_teacher_builds_a_bank_and_an_exam_and_a_student_starts_it(
    chromium, live_server, teacher, student, language
):
    from playwright.sync_api import expect

    with translation.override(language):
        words = {
            "saved": gettext("The exam is saved."),
            "ready": gettext(
                "Every row can be filled for the attempts allowed: the exam can be published."
            ),
            "published": gettext("Published"),
            "short": match_text(2, 3, 1)[0],
            "enough": match_text(2, 1, 1)[0],
        }
    assert language == "en" or words["saved"] != "The exam is saved."  # translated

    teaching = chromium.new_context(
        viewport={"width": 1280, "height": 900}, locale=LOCALES[language]
    )
    page = teaching.new_page()
    page.set_default_timeout(15_000)
    home = reverse("exams:staff_home")
    log_in(page, live_server, teacher.username, home)
    expect(page.locator("html")).to_have_attribute("lang", language)

    # A bank, through the bank list's form.
    page.click(f"main a[href='{reverse('exams:bank_list')}']")
    page.fill("#id_name", "Browser bank")
    page.click("#new-bank button[type=submit]")
    expect(page.locator("h1")).to_have_text("Browser bank")
    bank = QuestionBank.objects.get(name="Browser bank")

    # Two questions, each through the kind's form.
    for n in (1, 2):
        page.click(f"main a[href='{reverse('exams:question_new', args=[bank.pk])}']")
        page.click("a[href$='?kind=single_choice']")
        fill_the_kinds_form(page, "single_choice")
        page.fill("#id_title", f"Question {n}")
        page.click("form.question-form button[type=submit]")
        expect(page.locator("h1")).to_contain_text(f"Question {n}")
        page.click(f"nav.breadcrumbs a[href='{reverse('exams:bank_detail', args=[bank.pk])}']")
    expect(page.locator("input[name=questions]")).to_have_count(2)
    shot(page, f"studio-bank-{language}")

    # The exam, on one page.
    page.goto(f"{live_server.url}{home}")
    page.click(f"main a[href='{reverse('exams:exam_new')}']")
    page.fill("#id_exam-title_en", "Browser exam")
    page.fill("#id_exam-title_zh", "浏览器考试")
    page.check(f"input[name='exam-banks'][value='{bank.pk}']")
    page.fill("#id_rules-0-competency", "all")
    page.fill("#id_rules-0-count", "3")
    match = page.locator("#exam-builder [data-role=match]").first
    expect(match).to_have_text(words["short"])
    expect(match).to_have_class("match short")
    page.fill("#id_rules-0-count", "1")
    expect(match).to_have_text(words["enough"])
    page.click("#exam-builder button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(words["saved"])
    expect(page.locator(".publish-box")).to_contain_text(words["ready"])
    shot(page, f"studio-builder-{language}")
    page.click(".publish-box form button[type=submit]")
    expect(page.locator("h1 .badge")).to_have_text(words["published"])
    exam = Exam.objects.get(title_en="Browser exam")
    assert exam.is_published and exam.banks.get() == bank

    # A phone's width: the builder's and the bank page's content scroll only downwards (wide
    # tables scroll inside their own box). The site's header is the base layout's concern.
    page.set_viewport_size({"width": 390, "height": 844})
    for url in (page.url, f"{live_server.url}{reverse('exams:bank_detail', args=[bank.pk])}"):
        page.goto(url)
        wide = page.evaluate(
            "[...document.querySelectorAll('main *')].filter(e => !e.closest('.table-scroll')"
            " && e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName"
            " + '.' + e.className + ' ' + (e.id || e.name || ''))"
        )
        assert wide == [], (url, wide)
    page.goto(f"{live_server.url}{reverse('exams:exam_builder', args=[exam.pk])}")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click(f"a[href='{reverse('exams:exam_sample', args=[exam.pk])}']")
    expect(page.locator("section.question")).to_have_count(1)
    shot(page, f"studio-sample-{language}")
    teaching.close()

    # A student starts it.
    sitting = chromium.new_context(
        viewport={"width": 1280, "height": 900}, locale=LOCALES[language]
    )
    page = sitting.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, student.username, exam.get_absolute_url())
    page.click("form[action$='/start/'] button[type=submit]")
    page.wait_for_url("**/exams/attempts/**")
    expect(page.locator("section.question")).to_have_count(1)
    sitting.close()
    assert Attempt.objects.get(exam=exam, student=student).questions.count() == 1
