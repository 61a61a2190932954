"""No lost answers when the network drops: a student keeps answering offline, reloads while
the server is unreachable, and every answer typed meanwhile reaches the server afterwards."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.models import Attempt
from tests.browser.test_exam_in_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWER_SAVES = re.compile(r".*/attempts/\d+/answers/\d+/$")
KEPT = "() => Object.keys(localStorage).filter(k => k.startsWith('cbec-attempt:')).sort()"


@pytest.fixture
def exam_with_notes(school, government):
    """Four single-choice questions and a practical task with a text answer."""
    from tests.exams.conftest import build_exam

    return build_exam(school=school, government=government)


def start(page, live_server, student, exam) -> Attempt:
    log_in(page, live_server, student.username, exam.get_absolute_url())
    page.click("text=Start the exam")
    page.wait_for_url(re.compile(r".*/exams/attempts/\d+/$"))
    return Attempt.objects.get(student=student)


def choices(attempt: Attempt) -> dict[int, str]:
    """The correct option of every single-choice question, by position."""
    return {
        q.position: q.version.key["correct"]
        for q in attempt.questions.select_related("version__question")
        if q.kind == "single_choice"
    }


def test_answers_typed_offline_reach_the_server_when_the_connection_returns(
    browser_page, live_server, student, exam_with_notes
):
    from playwright.sync_api import expect

    page = browser_page
    attempt = start(page, live_server, student, exam_with_notes)
    # Four minutes left by the server's clock: offline now, the student must be told.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(minutes=4))
    page.reload()
    keys = choices(attempt)
    notes = attempt.questions.get(part="practical").position
    first, *rest = sorted(keys)
    save_state = page.locator("#save-state")
    warning = page.locator("#offline-warning")

    page.locator(f"#q{first} input[value='{keys[first]}']").click()
    expect(save_state).to_have_attribute("data-state", "saved")
    expect(warning).to_be_hidden()

    page.context.set_offline(True)
    for position in rest:
        page.locator(f"#q{position} input[value='{keys[position]}']").click()
    page.locator(f"#q{notes} textarea.text").fill("Typed while the network was down: 断网时输入")
    expect(save_state).to_have_attribute("data-state", "on_device")
    expect(save_state).to_have_text(re.compile(r"^Saved on this device, not yet on the server"))
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Reconnect now")
    kept = page.evaluate(KEPT)
    assert kept == sorted(f"cbec-attempt:{attempt.pk}:{p}" for p in [*rest, notes])
    # Offline for half a minute: the retries back off meanwhile (1, 2, 4, 8, 16 s).
    page.wait_for_timeout(28_000)
    expect(save_state).to_have_attribute("data-state", "on_device")
    stored = {q.position: q.response for q in attempt.questions.all()}
    assert stored[first] == {"choice": keys[first]}
    assert all(stored[p] is None for p in [*rest, notes])

    page.context.set_offline(False)
    # Back online: sent at once rather than after the current back-off.
    expect(save_state).to_have_attribute("data-state", "saved", timeout=8_000)
    expect(save_state).to_have_text("All answers saved")
    expect(warning).to_be_hidden()
    stored = {q.position: q.response for q in attempt.questions.all()}
    assert {p: stored[p] for p in keys} == {p: {"choice": c} for p, c in keys.items()}
    assert stored[notes]["text"] == "Typed while the network was down: 断网时输入"
    assert page.evaluate(KEPT) == []  # acknowledged: nothing left on the device


def test_a_reload_while_the_server_is_unreachable_keeps_the_answers(
    browser_page, live_server, student, exam_with_notes
):
    """Playwright cannot load a page with the network off, so the server is made unreachable
    for the answer saves only: the page reloads, the saves fail as they would offline."""
    from playwright.sync_api import expect

    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())  # "leave with unsaved answers?"
    attempt = start(page, live_server, student, exam_with_notes)
    keys = choices(attempt)
    notes = attempt.questions.get(part="practical").position
    first, second, *_ = sorted(keys)
    page.locator(f"#q{first} input[value='{keys[first]}']").click()
    save_state = page.locator("#save-state")
    expect(save_state).to_have_attribute("data-state", "saved")

    page.route(ANSWER_SAVES, lambda route: route.abort("internetdisconnected"))
    page.locator(f"#q{second} input[value='{keys[second]}']").click()
    page.locator(f"#q{notes} textarea.text").fill("Kept through a reload")
    expect(save_state).to_have_attribute("data-state", "on_device")

    page.reload()
    expect(page.locator(f"#q{second} input[value='{keys[second]}']")).to_be_checked()
    expect(page.locator(f"#q{notes} textarea.text")).to_have_value("Kept through a reload")
    expect(page.locator(f"#nav-{second}")).to_have_class(re.compile(r"\banswered\b"))
    expect(save_state).to_have_attribute("data-state", "on_device")
    assert attempt.questions.get(position=second).response is None

    page.unroute(ANSWER_SAVES)
    expect(save_state).to_have_attribute("data-state", "saved", timeout=20_000)
    stored = {q.position: q.response for q in attempt.questions.all()}
    assert stored[first] == {"choice": keys[first]}
    assert stored[second] == {"choice": keys[second]}
    assert stored[notes]["text"] == "Kept through a reload"
    assert page.evaluate(KEPT) == []

    # Submitting clears whatever this device still kept for the attempt.
    page.evaluate(
        "([key]) => localStorage.setItem(key, JSON.stringify({seq: 99, response: {}}))",
        [f"cbec-attempt:{attempt.pk}:{first}"],
    )
    page.locator("#submit-open").click()
    page.locator("#submit-confirm").click()
    page.wait_for_url(f"**{reverse('exams:attempt_result', args=[attempt.pk])}")
    assert page.evaluate(KEPT) == []


def test_a_save_that_gets_through_clears_the_offline_warning_a_failed_heartbeat_raised(
    browser_page, live_server, student, exam_with_notes
):
    """A heartbeat the server could not answer (503) near the end raises the warning; a save
    the server then acknowledges shows the connection works, before the next heartbeat."""
    from playwright.sync_api import expect

    page = browser_page
    attempt = start(page, live_server, student, exam_with_notes)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(minutes=4))
    beats = []

    def unavailable(route):
        beats.append(route.request.url)
        route.fulfill(status=503, json={"detail": "Database unavailable"})

    page.route(re.compile(r".*/heartbeat/$"), unavailable)
    page.reload()
    warning = page.locator("#offline-warning")
    expect(warning).to_be_visible()
    assert beats, "the page's first heartbeat was answered 503"

    keys = choices(attempt)
    first = min(keys)
    page.locator(f"#q{first} input[value='{keys[first]}']").click()
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")
    expect(warning).to_be_hidden()
    assert len(beats) == 1  # no heartbeat in between: the save itself cleared it
