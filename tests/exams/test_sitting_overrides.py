"""Overrides of an exam's terms (per cohort and per candidate), accommodations with rest
breaks, the heartbeat behind "connection lost", and redrawing papers after a bank change."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrollment
from exams import services
from exams.models import Accommodation, Attempt, ExamOverride, Sitting, SittingPaper
from exams.services import overrides, sittings
from exams.services.errors import ExamError
from organizations.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db
Action = AuditEntry.Action
LOST = timedelta(seconds=45)


def make_sitting(exam, **fields) -> Sitting:
    defaults = {
        "starts_at": timezone.now() - timedelta(minutes=5),
        "duration_minutes": 90,
        "place": "Room 101",
        "late_entry_minutes": 30,
    }
    return Sitting.objects.create(exam=exam, **{**defaults, **fields})


def login(client, user):
    client.force_login(user)


# --- Combining terms (pure) -----------------------------------------------------------------

EXAM_TERMS = {"opens_at": None, "closes_at": None, "time_limit_minutes": 60, "attempts_allowed": 1}


def test_the_candidates_own_override_wins_field_by_field():
    terms = overrides.combine(
        EXAM_TERMS,
        [{"time_limit_minutes": 90, "attempts_allowed": 3}],
        {"time_limit_minutes": 75},
    )
    assert terms.time_limit_minutes == 75  # their own, though a cohort's is longer
    assert terms.attempts_allowed == 3  # not in their own: the cohort's
    assert terms.overridden == {"time_limit_minutes", "attempts_allowed"}


def test_between_cohorts_the_most_lenient_value_counts():
    now = timezone.now()
    terms = overrides.combine(
        {**EXAM_TERMS, "opens_at": now, "closes_at": now + timedelta(days=1)},
        [
            {"opens_at": now - timedelta(hours=2), "closes_at": now + timedelta(days=2)},
            {"opens_at": now - timedelta(hours=1), "closes_at": now + timedelta(days=3)},
            {"attempts_allowed": 2},
        ],
        None,
    )
    assert terms.opens_at == now - timedelta(hours=2)
    assert terms.closes_at == now + timedelta(days=3)
    assert (terms.time_limit_minutes, terms.attempts_allowed) == (60, 2)


def test_no_override_leaves_the_exams_terms():
    terms = overrides.combine(EXAM_TERMS, [], None)
    assert (terms.time_limit_minutes, terms.attempts_allowed, terms.overridden) == (
        60,
        1,
        frozenset(),
    )


def test_a_sitting_deadline_adds_percent_minutes_rest_breaks_and_added_time():
    start = timezone.now()
    terms = overrides.combine(EXAM_TERMS, [], None)
    accommodation = Accommodation(
        extra_percent=25, extra_minutes=5, rest_break_minutes=10, added_minutes=3
    )
    deadline = overrides.sitting_deadline(
        start=start, duration_minutes=80, terms=terms, accommodation=accommodation
    )
    assert deadline == start + timedelta(minutes=80 + 20 + 5 + 10 + 3)
    longer = overrides.combine(EXAM_TERMS, [], {"time_limit_minutes": 120})
    assert overrides.sitting_deadline(
        start=start, duration_minutes=80, terms=longer, accommodation=None
    ) == start + timedelta(minutes=120)
    assert (
        overrides.sitting_deadline(start=None, duration_minutes=80, terms=terms, accommodation=None)
        is None
    )


# --- Overrides in force ---------------------------------------------------------------------


def test_a_cohort_override_lets_its_students_start_a_closed_exam_later(
    exam, student, other_student, cohort, teacher
):
    now = timezone.now()
    exam.course = cohort.course
    exam.opens_at = now - timedelta(days=2)
    exam.closes_at = now - timedelta(days=1)
    exam.save()
    Enrollment.objects.create(student=student, course=cohort.course, cohort=cohort)
    Enrollment.objects.create(student=other_student, course=cohort.course)  # another class
    overrides.override_set(
        exam=exam,
        cohort=cohort,
        closes_at=now + timedelta(minutes=30),
        time_limit_minutes=45,
        reason="Class trip on the exam day",
        actor=teacher,
    )
    attempt = services.attempt_start(student=student, exam=exam, now=now)
    # 45 minutes, cut by the cohort's closing 30 minutes from now: one place computes it.
    assert attempt.deadline == now + timedelta(minutes=30)
    with pytest.raises(ExamError, match="closed"):
        services.attempt_start(student=other_student, exam=exam, now=now)


def test_a_candidates_override_gives_more_attempts_and_time(exam, student, teacher):
    overrides.override_set(
        exam=exam,
        student=student,
        attempts_allowed=2,
        time_limit_minutes=100,
        reason="Resit granted",
        actor=teacher,
    )
    now = timezone.now()
    first = services.attempt_start(student=student, exam=exam, now=now)
    assert first.deadline == now + timedelta(minutes=100)
    services.attempt_submit(attempt=first, now=now + timedelta(minutes=1))
    second = services.attempt_start(student=student, exam=exam, now=now + timedelta(minutes=2))
    assert second.number == 2
    services.attempt_submit(attempt=second, now=now + timedelta(minutes=3))
    with pytest.raises(ExamError, match="all 2"):
        services.attempt_start(student=student, exam=exam, now=now + timedelta(minutes=4))


def test_in_a_sitting_an_overridden_time_limit_replaces_the_duration(exam, student, teacher):
    sitting = make_sitting(exam)
    sitting.candidates.add(student)
    overrides.override_set(
        exam=exam, student=student, time_limit_minutes=120, reason="Slow reader", actor=teacher
    )
    Accommodation.objects.create(sitting=sitting, student=student, rest_break_minutes=15)
    attempt = services.attempt_start(student=student, exam=exam)
    assert attempt.deadline == sitting.starts_at + timedelta(minutes=120 + 15)
    rows = {r["student"].pk: r for r in sittings.console_rows(sitting)}
    assert rows[student.pk]["overridden"] and rows[student.pk]["deadline"] == attempt.deadline


def test_override_changes_are_audited_with_before_and_after(exam, student, teacher):
    overrides.override_set(
        exam=exam, student=student, attempts_allowed=2, reason="Resit", actor=teacher
    )
    override = overrides.override_set(
        exam=exam, student=student, attempts_allowed=3, reason="Second resit", actor=teacher
    )
    assert ExamOverride.objects.count() == 1 and override.attempts_allowed == 3
    changed = AuditEntry.objects.filter(action=Action.EXAM_OVERRIDE_SET).order_by("pk").last()
    assert changed.before == {"attempts_allowed": 2}
    assert changed.after == {"attempts_allowed": 3, "for": student.get_username()}
    assert changed.note == "Second resit" and changed.actor == teacher
    assert changed.organization_id == exam.organization_id
    overrides.override_remove(override=override, actor=teacher)
    assert not ExamOverride.objects.exists()
    assert (
        AuditEntry.objects.get(action=Action.EXAM_OVERRIDE_REMOVED).before["attempts_allowed"] == 3
    )


def test_an_override_needs_a_reason_one_target_and_a_term(exam, student, cohort, teacher):
    with pytest.raises(ExamError, match="why"):
        overrides.override_set(
            exam=exam, student=student, attempts_allowed=2, reason=" ", actor=teacher
        )
    with pytest.raises(ExamError, match="not both"):
        overrides.override_set(
            exam=exam, student=student, cohort=cohort, attempts_allowed=2, reason="x", actor=teacher
        )
    with pytest.raises(ExamError, match="at least one"):
        overrides.override_set(exam=exam, student=student, reason="x", actor=teacher)
    now = timezone.now()
    with pytest.raises(ExamError, match="close after"):
        overrides.override_set(
            exam=exam, student=student, opens_at=now, closes_at=now, reason="x", actor=teacher
        )
    assert not ExamOverride.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.EXAM_OVERRIDE_SET).exists()


def test_an_accommodation_with_rest_breaks_is_audited_and_moves_an_open_deadline(
    exam, student, teacher
):
    sitting = make_sitting(exam)
    sitting.candidates.add(student)
    attempt = services.attempt_start(student=student, exam=exam)
    sittings.accommodation_set(
        sitting=sitting,
        student=student,
        extra_minutes=0,
        extra_percent=0,
        rest_break_minutes=20,
        reason="Medical: needs breaks",
        actor=teacher,
    )
    attempt.refresh_from_db()
    assert attempt.deadline == sitting.ends_at + timedelta(minutes=20)
    entry = AuditEntry.objects.get(action=Action.SITTING_ACCOMMODATION_SET)
    assert entry.note == "Medical: needs breaks" and entry.after["rest_break_minutes"] == 20
    assert entry.object_id == str(attempt.pk)
    with pytest.raises(ExamError, match="why"):
        sittings.accommodation_set(
            sitting=sitting,
            student=student,
            extra_minutes=5,
            extra_percent=0,
            reason="",
            actor=teacher,
        )


# --- Override pages -------------------------------------------------------------------------


def test_a_teacher_sets_and_removes_an_override_on_its_page(client, exam, teacher, student, cohort):
    Enrollment.objects.create(student=student, course=cohort.course, cohort=cohort)
    login(client, teacher)
    builder = client.get(reverse("exams:exam_builder", args=[exam.pk])).content.decode()
    url = reverse("exams:exam_overrides", args=[exam.pk])
    assert url in builder
    page = client.get(url)
    assert page.status_code == 200 and "Zhang Wei" in page.content.decode()
    response = client.post(
        url, {"student": student.pk, "time_limit_minutes": 80, "reason": "Injured hand"}
    )
    assert response.status_code == 302
    override = ExamOverride.objects.get()
    assert (override.student, override.time_limit_minutes) == (student, 80)
    listing = client.get(url).content.decode()
    assert "Injured hand" in listing
    assert AuditEntry.objects.filter(action=Action.EXAM_OVERRIDE_SET, actor=teacher).exists()
    client.post(reverse("exams:exam_override_delete", args=[exam.pk, override.pk]))
    assert not ExamOverride.objects.exists()
    assert AuditEntry.objects.filter(action=Action.EXAM_OVERRIDE_REMOVED).exists()


def test_the_override_form_refuses_bad_input(client, exam, teacher, student, cohort):
    Enrollment.objects.create(student=student, course=cohort.course, cohort=cohort)
    login(client, teacher)
    url = reverse("exams:exam_overrides", args=[exam.pk])
    for data in (
        {"student": student.pk, "reason": "nothing overridden"},
        {"student": student.pk, "cohort": cohort.pk, "attempts_allowed": 2, "reason": "x"},
        {"student": student.pk, "attempts_allowed": 2},  # no reason
        {"student": student.pk, "time_limit_minutes": 0, "reason": "x"},
        {
            "student": student.pk,
            "closes_at": "2026-01-01T09:00",
            "opens_at": "2026-01-02T09:00",
            "reason": "x",
        },
    ):
        assert client.post(url, data).status_code == 400, data
    assert not ExamOverride.objects.exists()


def test_outsiders_and_invigilators_cannot_reach_overrides(
    client, exam, student, mentor, outsider, teacher
):
    override = overrides.override_set(
        exam=exam, student=student, attempts_allowed=2, reason="Resit", actor=teacher
    )
    sitting = make_sitting(exam)
    sitting.invigilators.add(mentor)
    for user in (student, mentor, outsider):
        login(client, user)
        assert client.get(reverse("exams:exam_overrides", args=[exam.pk])).status_code in (403, 404)
        response = client.post(reverse("exams:exam_override_delete", args=[exam.pk, override.pk]))
        assert response.status_code in (403, 404)
        # The reason is for staff: the invigilator's console does not show it either.
        if user == mentor:
            console = client.get(reverse("exams:sitting_console", args=[sitting.pk]))
            assert "Resit" not in console.content.decode()
    assert ExamOverride.objects.filter(pk=override.pk).exists()


# --- Heartbeat and "connection lost" --------------------------------------------------------


@pytest.mark.parametrize(
    ("attempt_open", "save_ago", "heard_ago", "state"),
    [
        (None, None, None, "not_arrived"),
        (False, 5, 5, "submitted"),
        (False, None, 600, "submitted"),
        (True, None, 10, "started"),
        (True, 10, 10, "answering"),
        (True, 100, 20, "answering"),  # an old save but a fresh heartbeat: still there
        (True, 100, 46, "connection_lost"),
        (True, None, 46, "connection_lost"),
        (True, None, 45, "started"),
    ],
)
def test_the_console_state_of_a_candidate(attempt_open, save_ago, heard_ago, state):
    now = timezone.now()
    assert (
        sittings.candidate_state(
            attempt_open=attempt_open,
            last_save=now - timedelta(seconds=save_ago) if save_ago is not None else None,
            last_heard=now - timedelta(seconds=heard_ago) if heard_ago is not None else None,
            now=now,
            lost_after=LOST,
        )
        == state
    )


def test_the_heartbeat_keeps_a_candidate_connected_on_the_console(
    client, exam, student, other_student, mentor, settings
):
    settings.EXAMS_CONNECTION_LOST_SECONDS = 45
    now = timezone.now()
    sitting = make_sitting(exam, starts_at=now - timedelta(minutes=5))
    sitting.candidates.add(student, other_student)
    sitting.invigilators.add(mentor)
    attempt = services.attempt_start(student=student, exam=exam, now=now - timedelta(minutes=3))
    Attempt.objects.filter(pk=attempt.pk).update(started_at=now - timedelta(minutes=3))
    rows = {r["student"].pk: r for r in sittings.console_rows(sitting, now=now)}
    assert rows[student.pk]["state"] == "connection_lost"
    assert rows[student.pk]["last_heard_seconds"] == 180

    login(client, student)
    url = reverse("exams_api:heartbeat", args=[attempt.pk])
    response = client.post(url)
    assert response.status_code == 200
    assert response.json()["status"] == "in_progress" and "server_time" in response.json()
    assert response.json()["next_beat_seconds"] == 15  # a third of the 45 s
    attempt.refresh_from_db()
    assert attempt.last_seen_at is not None
    assert client.get(url).status_code == 405

    login(client, mentor)
    data = client.get(reverse("exams:sitting_console", args=[sitting.pk]), {"format": "json"})
    rows = {row["student"]: row for row in data.json()["rows"]}
    assert rows[student.pk]["state"] == "started"
    assert rows[student.pk]["last_save_seconds"] is None  # distinct from "last save"
    assert 0 <= rows[student.pk]["last_heard_seconds"] < 5
    assert rows[other_student.pk]["state"] == "not_arrived"


def test_nobody_else_beats_for_a_candidate(client, exam, student, other_student):
    sitting = make_sitting(exam)
    sitting.candidates.add(student)
    attempt = services.attempt_start(student=student, exam=exam)
    login(client, other_student)
    assert client.post(reverse("exams_api:heartbeat", args=[attempt.pk])).status_code == 404
    client.logout()
    assert client.post(reverse("exams_api:heartbeat", args=[attempt.pk])).status_code in (401, 403)
    attempt.refresh_from_db()
    assert attempt.last_seen_at is None


def test_the_console_page_shows_connection_lost(client, exam, student, mentor):
    sitting = make_sitting(exam)
    sitting.candidates.add(student)
    sitting.invigilators.add(mentor)
    attempt = services.attempt_start(student=student, exam=exam)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - timedelta(minutes=2),
        last_seen_at=timezone.now() - timedelta(minutes=2),
    )
    login(client, mentor)
    page = client.get(reverse("exams:sitting_console", args=[sitting.pk])).content.decode()
    assert "state-connection_lost" in page and "Connection lost" in page


# --- Redrawing papers after a bank change ---------------------------------------------------


def test_redraw_replaces_only_papers_not_yet_started_and_is_audited(
    exam, school, teacher, django_capture_on_commit_callbacks
):
    started, submitted, waiting = (factories.person(f"c{n}", school, "student") for n in range(3))
    sitting = make_sitting(exam)
    sitting.candidates.add(started, submitted, waiting)
    sittings.draw_papers(sitting.pk)
    before = {p.student_id: p.questions for p in SittingPaper.objects.filter(sitting=sitting)}
    open_attempt = services.attempt_start(student=started, exam=exam)
    services.attempt_submit(attempt=services.attempt_start(student=submitted, exam=exam))
    kept = {
        p.student_id: (p.pk, p.attempt_id)
        for p in SittingPaper.objects.filter(student__in=[started, submitted])
    }
    old_waiting = SittingPaper.objects.get(student=waiting).pk
    with django_capture_on_commit_callbacks(execute=True):
        count = sittings.redraw_papers(sitting=sitting, actor=teacher, reason="Key of Q3 fixed")
    assert count == 1
    assert {
        p.student_id: (p.pk, p.attempt_id)
        for p in SittingPaper.objects.filter(student__in=[started, submitted])
    } == kept
    fresh = SittingPaper.objects.get(student=waiting)
    assert fresh.pk != old_waiting and len(fresh.questions) == len(before[waiting.pk])
    open_attempt.refresh_from_db()
    assert open_attempt.is_open
    entry = AuditEntry.objects.get(action=Action.SITTING_PAPERS_REDRAWN)
    assert entry.actor == teacher and entry.after == {"papers_redrawn": 1}
    assert entry.note == "Key of Q3 fixed"
    sitting.refresh_from_db()
    assert (sitting.papers_drawn, sitting.papers_total, sitting.papers_status) == (3, 3, "done")


def test_an_ended_sitting_is_not_redrawn(exam, student, teacher):
    sitting = make_sitting(exam, ended_at=timezone.now())
    sitting.candidates.add(student)
    with pytest.raises(ExamError, match="ended"):
        sittings.redraw_papers(sitting=sitting, actor=teacher)
    assert not AuditEntry.objects.filter(action=Action.SITTING_PAPERS_REDRAWN).exists()


def test_the_redraw_button_is_for_those_who_schedule(
    client, exam, student, teacher, mentor, django_capture_on_commit_callbacks
):
    sitting = make_sitting(exam)
    sitting.candidates.add(student)
    sitting.invigilators.add(mentor)
    sittings.draw_papers(sitting.pk)
    url = reverse("exams:sitting_redraw", args=[sitting.pk])
    login(client, mentor)
    assert (
        url not in client.get(reverse("exams:sitting_console", args=[sitting.pk])).content.decode()
    )
    assert client.post(url).status_code == 404
    login(client, teacher)
    page = client.get(reverse("exams:sitting_console", args=[sitting.pk])).content.decode()
    assert url in page and 'class="confirm' in page
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"reason": "Bank updated"}).status_code == 302
    assert AuditEntry.objects.filter(action=Action.SITTING_PAPERS_REDRAWN, actor=teacher).exists()
    assert SittingPaper.objects.filter(sitting=sitting).count() == 1


def test_the_console_shows_the_ending_progress(
    client, exam, student, mentor, django_capture_on_commit_callbacks
):
    sitting = make_sitting(exam)
    sitting.candidates.add(student)
    sitting.invigilators.add(mentor)
    services.attempt_start(student=student, exam=exam)
    login(client, mentor)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("exams:sitting_end", args=[sitting.pk]))
    data = client.get(reverse("exams:sitting_console", args=[sitting.pk]), {"format": "json"})
    assert data.json()["ended"] and data.json()["ending"]["status"] == "queued"
    page = client.get(reverse("exams:sitting_console", args=[sitting.pk])).content.decode()
    assert 'id="ending"' in page
    # Killed before it ran: "submit the remaining attempts again" queues it once more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exams:sitting_end", args=[sitting.pk]))
    data = client.get(reverse("exams:sitting_console", args=[sitting.pk]), {"format": "json"})
    assert data.json()["ending"] == {
        "done": 1,
        "total": 1,
        "status": "done",
        "status_label": "Done",
    }
    assert get_user_model().objects.filter(pk=student.pk).exists()


def test_the_exam_page_shows_the_students_own_terms(client, exam, student, other_student, teacher):
    overrides.override_set(
        exam=exam,
        student=student,
        attempts_allowed=3,
        time_limit_minutes=77,
        reason="Resit granted",
        actor=teacher,
    )
    login(client, student)
    page = client.get(reverse("exams:exam_detail", args=[exam.pk])).content.decode()
    assert "0 of 3 used" in page and "77 minutes" in page
    assert "Resit granted" not in page  # the reason is for staff only
    login(client, other_student)
    page = client.get(reverse("exams:exam_detail", args=[exam.pk])).content.decode()
    assert "0 of 1 used" in page and "77 minutes" not in page
