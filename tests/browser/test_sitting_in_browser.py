"""A sitting in real browsers: a candidate with 25 % extra time gets a later deadline than
the others, and when the invigilator adds 10 minutes from the console the candidate's
countdown moves without a reload."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.models import Accommodation, Attempt, Sitting
from organizations.models import AuditEntry
from tests.browser.test_exam_in_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_extra_time_and_time_added_by_the_invigilator(
    chromium, live_server, student, other_student, teacher, theory_exam
):
    from playwright.sync_api import expect

    sitting = Sitting.objects.create(
        exam=theory_exam,
        starts_at=timezone.now() - timedelta(seconds=30),
        duration_minutes=60,
        place="Room 101",
        what_to_bring="ID card",
    )
    sitting.candidates.add(student, other_student)
    Accommodation.objects.create(
        sitting=sitting, student=student, extra_percent=25, reason="Dyslexia"
    )

    candidate_context = chromium.new_context(locale="en-GB")
    staff_context = chromium.new_context(locale="en-GB")
    blocked = []  # the enforced Content-Security-Policy must block nothing on either page

    def watch(page):
        page.on(
            "console",
            lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
        )
        return page

    try:
        candidate = watch(candidate_context.new_page())
        log_in(candidate, live_server, student.username, theory_exam.get_absolute_url())
        expect(candidate.locator("#your-sitting")).to_contain_text("Room 101")
        expect(candidate.locator("#your-sitting")).to_contain_text("ID card")
        candidate.click("text=Start the exam")
        candidate.wait_for_url(re.compile(r".*/exams/attempts/\d+/$"))
        # 60 minutes + 25 %, counted from the sitting's start half a minute ago.
        expect(candidate.locator("#countdown")).to_have_text(re.compile(r"^1:1[34]:\d\d$"))

        console_url = reverse("exams:sitting_console", args=[sitting.pk])
        staff = watch(staff_context.new_page())
        log_in(staff, live_server, teacher.username, console_url)
        mine = staff.locator(f'tr[data-student="{student.pk}"]')
        others = staff.locator(f'tr[data-student="{other_student.pk}"]')
        expect(mine.locator("[data-role=state]")).to_have_text("Started")
        expect(others.locator("[data-role=state]")).to_have_text("Not arrived")
        # The cohort's time is the plain hour: the accommodated candidate's is later.
        expect(others.locator("[data-role=time-left]")).to_have_text(re.compile(r"^5[89]:\d\d$"))
        expect(mine.locator("[data-role=time-left]")).to_have_text(re.compile(r"^1:1[34]:\d\d$"))
        # The console follows the candidate without a reload: an answer saved shows.
        candidate.locator("#q1 input[type=radio]").first.click()
        expect(candidate.locator("#save-state")).to_have_attribute("data-state", "saved")
        expect(mine.locator("[data-role=state]")).to_have_text("Answering")
        expect(mine.locator("[data-role=last-save]")).to_have_text(re.compile(r"^\d+ s ago$"))

        mine.locator("input[name=minutes]").fill("10")
        mine.locator("input[name=reason]").fill("Computer restarted")
        mine.locator("button[type=submit]").click()
        staff.wait_for_url(f"**{console_url}")
        expect(
            staff.locator(f'tr[data-student="{student.pk}"] [data-role=time-left]')
        ).to_have_text(re.compile(r"^1:2[34]:\d\d$"))

        # The candidate's page learns the new deadline on its next clock sync (no reload).
        expect(candidate.locator("#countdown")).to_have_text(
            re.compile(r"^1:2[34]:\d\d$"), timeout=45_000
        )
    finally:
        candidate_context.close()
        staff_context.close()

    assert not blocked, blocked
    attempt = Attempt.objects.get(student=student)
    assert attempt.deadline == sitting.starts_at + timedelta(minutes=85)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SITTING_TIME_ADDED)
    assert entry.actor == teacher and entry.note == "Computer restarted"


def test_the_console_shows_a_lost_connection_and_the_ending(
    chromium, live_server, student, teacher, theory_exam, settings
):
    """A candidate who goes offline shows as "connection lost" (no heartbeat), and back
    online as connected again; ending the sitting shows the submission's progress."""
    from playwright.sync_api import expect

    settings.EXAMS_CONNECTION_LOST_SECONDS = 6  # the page then beats every 2 s
    sitting = Sitting.objects.create(
        exam=theory_exam,
        starts_at=timezone.now() - timedelta(seconds=30),
        duration_minutes=60,
        place="Room 101",
    )
    sitting.candidates.add(student)
    candidate_context = chromium.new_context(locale="en-GB")
    staff_context = chromium.new_context(locale="en-GB")
    blocked = []

    def watch(page):
        page.on(
            "console",
            lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
        )
        return page

    try:
        candidate = watch(candidate_context.new_page())
        log_in(candidate, live_server, student.username, theory_exam.get_absolute_url())
        candidate.click("text=Start the exam")
        candidate.wait_for_url(re.compile(r".*/exams/attempts/\d+/$"))

        console_url = reverse("exams:sitting_console", args=[sitting.pk])
        staff = watch(staff_context.new_page())
        log_in(staff, live_server, teacher.username, console_url)
        state = staff.locator(f'tr[data-student="{student.pk}"] [data-role=state]')
        candidate.locator("#q1 input[type=radio]").first.click()
        expect(candidate.locator("#save-state")).to_have_attribute("data-state", "saved")
        expect(state).to_have_text("Answering", timeout=15_000)

        candidate_context.set_offline(True)
        expect(state).to_contain_text("Connection lost", timeout=30_000)
        expect(state).to_contain_text(re.compile(r"not heard from for \d+ s"))
        expect(staff.locator(f'tr[data-student="{student.pk}"]')).to_have_class(
            "state-connection_lost"
        )
        candidate_context.set_offline(False)  # the page beats at once when back online
        expect(state).to_have_text("Answering", timeout=30_000)

        staff.on("dialog", lambda dialog: dialog.accept())
        staff.click("text=End the sitting")
        staff.wait_for_url(f"**{console_url}")
        expect(staff.locator("#ending [data-role=end-status]")).to_have_text("Done")
        expect(staff.locator("#ending [data-role=end-done]")).to_have_text("1")
        expect(state).to_have_text("Submitted", timeout=15_000)
    finally:
        candidate_context.close()
        staff_context.close()

    assert not blocked, blocked
    attempt = Attempt.objects.get(student=student)
    assert attempt.status != Attempt.Status.IN_PROGRESS and attempt.auto_submitted
    assert attempt.last_seen_at is not None
