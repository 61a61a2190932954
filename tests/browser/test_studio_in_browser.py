"""The teacher's studio in a real browser, without the admin: a bank with two questions made
through forms, an exam built from a blueprint (the row's count follows what is typed) and
published, and a student who starts it."""

import pytest
from django.urls import reverse

from exams.models import Attempt, Exam, QuestionBank
from tests.browser.test_exam_in_browser import log_in
from tests.browser.test_question_kinds_in_browser import fill_the_kinds_form, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    # The staff second factor has its own tests; here the teacher goes straight to work.
    settings.STAFF_MFA_REQUIRED = False


def test_a_teacher_builds_a_bank_and_an_exam_and_a_student_starts_it(
    chromium, live_server, teacher, student
):
    from playwright.sync_api import expect

    teaching = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = teaching.new_page()
    page.set_default_timeout(15_000)
    home = reverse("exams:staff_home")
    log_in(page, live_server, teacher.username, home)

    # A bank, through the bank list's form.
    page.click("text=All question banks")
    page.fill("#id_name", "Browser bank")
    page.click("button:has-text('Create the bank')")
    expect(page.locator("h1")).to_have_text("Browser bank")
    bank = QuestionBank.objects.get(name="Browser bank")

    # Two questions, each through the kind's form.
    for n in (1, 2):
        page.click("text=Add a question")
        page.click("a[href$='?kind=single_choice']")
        fill_the_kinds_form(page, "single_choice")
        page.fill("#id_title", f"Question {n}")
        page.click("text=Save and preview")
        expect(page.locator("h1")).to_contain_text(f"Question {n}")
        page.click(f"nav.breadcrumbs a:has-text('{bank.name}')")
    expect(page.locator("input[name=questions]")).to_have_count(2)
    shot(page, "studio-bank")

    # The exam, on one page.
    page.goto(f"{live_server.url}{home}")
    page.click("text=Build an exam")
    page.fill("#id_exam-title_en", "Browser exam")
    page.fill("#id_exam-title_zh", "浏览器考试")
    page.check(f"input[name='exam-banks'][value='{bank.pk}']")
    page.fill("#id_rules-0-competency", "all")
    page.fill("#id_rules-0-count", "3")
    match = page.locator("#exam-builder [data-role=match]").first
    expect(match).to_have_text("2 questions match; 3 needed for 1 attempt")
    expect(match).to_have_class("match short")
    page.fill("#id_rules-0-count", "1")
    expect(match).to_have_text("2 questions match; 1 needed for 1 attempt")
    page.click("button:has-text('Create the exam')")
    expect(page.locator(".messages")).to_contain_text("The exam is saved.")
    expect(page.locator(".publish-box")).to_contain_text("the exam can be published")
    shot(page, "studio-builder")
    page.click(".publish-box button:has-text('Publish')")
    expect(page.locator("h1 .badge")).to_have_text("Published")
    expect(page.locator(".messages")).to_contain_text("The exam is published")
    exam = Exam.objects.get(title_en="Browser exam")
    assert exam.is_published and exam.banks.get() == bank

    page.click("text=Sample paper as a student sees it")
    expect(page.locator("section.question")).to_have_count(1)
    teaching.close()

    # A student starts it.
    sitting = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = sitting.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, student.username, exam.get_absolute_url())
    page.click("form[action$='/start/'] button[type=submit]")
    page.wait_for_url("**/exams/attempts/**")
    expect(page.locator("section.question")).to_have_count(1)
    sitting.close()
    assert Attempt.objects.get(exam=exam, student=student).questions.count() == 1
