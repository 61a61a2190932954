"""A student sits a theory exam in a real browser: autosave, resume, submit, result."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.models import Attempt
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/attempt.png"


def log_in(page, live_server, username: str, next_url: str) -> None:
    page.goto(f"{live_server.url}{reverse('login')}?next={next_url}")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action$='/accounts/login/'] button[type=submit]")
    page.wait_for_url(f"**{next_url}")


def test_a_student_sits_an_exam_saves_resumes_submits_and_sees_the_result(
    browser_page, live_server, student, theory_exam
):
    from playwright.sync_api import expect

    page = browser_page
    log_in(page, live_server, student.username, theory_exam.get_absolute_url())
    expect(page.locator("h1")).to_have_text(theory_exam.title_en)
    page.click("text=Start the exam")
    page.wait_for_url(re.compile(r".*/exams/attempts/\d+/$"))

    attempt = Attempt.objects.get(student=student)
    keys = {
        q.position: q.version.key["correct"]
        for q in attempt.questions.select_related("version__question")
    }
    for position, correct in keys.items():
        page.locator(f"#q{position} input[type=radio][value='{correct}']").click()
        expect(page.locator(f"#nav-{position}")).to_have_class(re.compile(r"\banswered\b"))
    page.locator("#q2 .flag-input").check()
    save_state = page.locator("#save-state")
    expect(save_state).to_have_attribute("data-state", "saving")
    expect(save_state).to_have_attribute("data-state", "saved")
    expect(save_state).to_have_text("All answers saved")
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^(59|60):\d\d$"))

    page.reload()
    for position, correct in keys.items():
        expect(page.locator(f"#q{position} input[value='{correct}']")).to_be_checked()
    expect(page.locator("#q2 .flag-input")).to_be_checked()
    expect(page.locator("#nav-2")).to_have_class(re.compile(r"\bflagged\b"))
    page.screenshot(path=SCREENSHOT, full_page=True)
    stored = {q.position: q.response for q in attempt.questions.all()}
    assert stored == {p: {"choice": c} for p, c in keys.items()}

    page.locator("#submit-open").click()
    dialog = page.locator("#submit-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("You have answered every question.")
    page.locator("#submit-confirm").click()
    page.wait_for_url(f"**{reverse('exams:attempt_result', args=[attempt.pk])}")
    expect(page.locator(".verdict")).to_contain_text("You passed.")
    expect(page.locator(".verdict")).to_contain_text("100.00%")
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.passed


def test_the_submit_dialog_lists_unanswered_questions_and_can_be_cancelled(
    browser_page, live_server, student, theory_exam
):
    from playwright.sync_api import expect

    page = browser_page
    log_in(page, live_server, student.username, theory_exam.get_absolute_url())
    page.click("text=Start the exam")
    page.wait_for_url(re.compile(r".*/exams/attempts/\d+/$"))
    page.locator("#q1 input[type=radio]").first.click()
    page.locator("#submit-open").click()
    expect(page.locator("#submit-unanswered")).to_contain_text("2, 3, 4")
    page.locator("#submit-cancel").click()
    expect(page.locator("#submit-dialog")).to_be_hidden()
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")
    assert Attempt.objects.get(student=student).is_open


def test_the_page_submits_by_itself_when_the_time_runs_out(
    browser_page, live_server, student, theory_exam
):
    from playwright.sync_api import expect

    page = browser_page
    log_in(page, live_server, student.username, theory_exam.get_absolute_url())
    page.click("text=Start the exam")
    page.wait_for_url(re.compile(r".*/exams/attempts/\d+/$"))
    attempt = Attempt.objects.get(student=student)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=4))
    page.reload()
    page.locator("#q1 input[type=radio]").first.click()
    page.wait_for_url(f"**{reverse('exams:attempt_result', args=[attempt.pk])}", timeout=20_000)
    expect(page.locator(".status")).to_contain_text("Graded")
    attempt.refresh_from_db()
    assert not attempt.is_open
    assert attempt.questions.get(position=1).response is not None  # the last answer was saved
