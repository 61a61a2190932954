"""A grader moves between answers with the keyboard and sees the student's image inline."""

import pytest
from django.urls import reverse

from tests.browser.test_exam_in_browser import log_in
from tests.exams.conftest import build_exam
from tests.exams.test_marking import enrol, practical_of, sit
from tests.exams.test_marking_page import PNG, with_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A one-page PDF with nothing on it.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def test_j_and_k_move_between_answers_but_not_while_typing_a_comment(
    browser_page,
    live_server,
    settings,
    tmp_path,
    school,
    government,
    cohort,
    student,
    other_student,
    teacher,
):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    exam = build_exam(school=school, government=government)
    answers = []
    for person in (student, other_student):
        enrol(person, cohort)
        answers.append(practical_of(sit(exam, person)))
    with_file(answers[0], "shop-front.png", PNG)
    first, second = (reverse("exams:mark_answer", args=[a.pk]) for a in answers)
    page = browser_page
    log_in(page, live_server, teacher.username, first)

    expect(page.locator(".shortcut-help")).to_contain_text("J or N next answer")
    image = page.locator("figure.answer-preview img")
    expect(image).to_be_visible()
    expect(image).to_have_js_property("naturalWidth", 1)  # drawn: served inline, CSP allowed

    page.locator("textarea[name=comment]").type("jk fine")  # typed, not shortcuts
    expect(page.locator("textarea[name=comment]")).to_have_value("jk fine")
    assert page.url.endswith(first)

    page.locator("h1").click()
    page.keyboard.press("j")
    page.wait_for_url(f"**{second}")
    expect(page.locator("[data-shortcut=previous]")).to_be_visible()
    page.keyboard.press("k")
    page.wait_for_url(f"**{first}")
    page.keyboard.press("g")
    page.wait_for_url(f"**{reverse('exams:grading_queue')}")


def test_a_pdf_answer_is_framed_on_the_marking_page(
    browser_page, live_server, settings, tmp_path, school, government, cohort, student, teacher
):
    settings.MEDIA_ROOT = tmp_path
    exam = build_exam(school=school, government=government)
    enrol(student, cohort)
    answer = practical_of(sit(exam, student))
    with_file(answer, "listing.pdf", PDF)
    refused = []
    page = browser_page
    page.on("console", lambda m: refused.append(m.text) if "Refused" in m.text else None)
    inline = []
    page.on(
        "response",
        lambda r: (
            inline.append((r.status, r.headers.get("content-type")))
            if "inline=1" in r.url
            else None
        ),
    )
    url = reverse("exams:mark_answer", args=[answer.pk])
    log_in(page, live_server, teacher.username, url)
    frame = page.locator("iframe.answer-preview")
    frame.wait_for()
    page.wait_for_timeout(1000)
    assert inline and inline[0] == (200, "application/pdf")
    assert not refused, refused
