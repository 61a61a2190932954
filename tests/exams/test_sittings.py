"""Sittings: admission, start rules, deadlines with accommodations, papers drawn in advance,
and the invigilators' actions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.models import Enrollment
from exams import services, tasks
from exams.models import Accommodation, Attempt, AttemptQuestion, Sitting, SittingPaper
from exams.services import sittings
from exams.services.errors import ExamError
from organizations.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def make_sitting(exam, *, starts_at=None, **fields) -> Sitting:
    defaults = {
        "starts_at": starts_at or timezone.now() - timedelta(minutes=5),
        "duration_minutes": 90,
        "place": "Room 101",
        "late_entry_minutes": 30,
    }
    return Sitting.objects.create(exam=exam, **{**defaults, **fields})


def in_cohort(student, cohort):
    Enrollment.objects.create(student=student, course=cohort.course, cohort=cohort)


def test_a_candidate_starts_in_the_sitting_with_its_deadline(exam, student):
    sitting = make_sitting(exam)
    sitting.candidates.add(student)
    attempt = services.attempt_start(student=student, exam=exam)
    assert attempt.deadline == sitting.starts_at + timedelta(minutes=90)
    assert SittingPaper.objects.get(sitting=sitting, student=student).attempt == attempt
    assert attempt.questions.count() == 5


def test_cohort_members_are_admitted(exam, student, cohort):
    sitting = make_sitting(exam)
    sitting.cohorts.add(cohort)
    in_cohort(student, cohort)
    assert list(sittings.roster(sitting)) == [student]
    assert services.attempt_start(student=student, exam=exam).deadline == sitting.ends_at


def test_an_exam_held_in_sittings_refuses_who_is_not_booked(exam, student, other_student):
    make_sitting(exam).candidates.add(other_student)
    with pytest.raises(ExamError, match="not booked"):
        services.attempt_start(student=student, exam=exam)
    assert not Attempt.objects.filter(student=student).exists()


def test_no_start_before_the_sitting_or_after_late_entry(exam, student):
    now = timezone.now()
    sitting = make_sitting(exam, starts_at=now + timedelta(minutes=10))
    sitting.candidates.add(student)
    with pytest.raises(ExamError, match="starts at"):
        services.attempt_start(student=student, exam=exam, now=now)
    with pytest.raises(ExamError, match="Late entry closed"):
        services.attempt_start(student=student, exam=exam, now=now + timedelta(minutes=41))
    attempt = services.attempt_start(student=student, exam=exam, now=now + timedelta(minutes=39))
    # The deadline counts from the sitting's start, not from the late arrival.
    assert attempt.deadline == sitting.starts_at + timedelta(minutes=90)


def test_a_released_start_waits_for_the_invigilator(exam, student, teacher):
    now = timezone.now()
    sitting = make_sitting(exam, starts_at=now - timedelta(minutes=1), start_rule="released")
    sitting.candidates.add(student)
    with pytest.raises(ExamError, match="release"):
        services.attempt_start(student=student, exam=exam, now=now)
    later = now + timedelta(minutes=3)
    sittings.release_start(sitting=sitting, actor=teacher, now=later)
    attempt = services.attempt_start(student=student, exam=exam, now=later)
    assert attempt.deadline == later + timedelta(minutes=90)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SITTING_RELEASED)
    assert entry.actor == teacher


def test_accommodations_extend_the_deadline(exam, student, other_student):
    sitting = make_sitting(exam)
    sitting.candidates.add(student, other_student)
    Accommodation.objects.create(
        sitting=sitting, student=student, extra_percent=25, reason="Dyslexia"
    )
    Accommodation.objects.create(sitting=sitting, student=other_student, extra_minutes=10)
    first = services.attempt_start(student=student, exam=exam)
    second = services.attempt_start(student=other_student, exam=exam)
    assert first.deadline == sitting.ends_at + timedelta(minutes=22, seconds=30)
    assert second.deadline == sitting.ends_at + timedelta(minutes=10)


def test_the_window_of_the_exam_gives_way_to_the_sitting(school, government, student):
    from tests.exams.conftest import build_exam

    now = timezone.now()
    exam = build_exam(school=school, government=government, closes_at=now - timedelta(days=1))
    make_sitting(exam).candidates.add(student)
    assert services.attempt_start(student=student, exam=exam).is_open


def test_adding_time_moves_an_open_deadline_and_is_audited(exam, student, teacher):
    sitting = make_sitting(exam)
    sitting.candidates.add(student)
    attempt = services.attempt_start(student=student, exam=exam)
    before = attempt.deadline
    sittings.add_time(
        sitting=sitting, student=student, minutes=10, reason="Fire alarm", actor=teacher
    )
    attempt.refresh_from_db()
    assert attempt.deadline == before + timedelta(minutes=10)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SITTING_TIME_ADDED)
    assert entry.note == "Fire alarm" and entry.object_id == str(attempt.pk)
    with pytest.raises(ExamError):
        sittings.add_time(sitting=sitting, student=student, minutes=5, reason=" ", actor=teacher)
    with pytest.raises(ExamError):
        sittings.add_time(sitting=sitting, student=student, minutes=0, reason="x", actor=teacher)
    assert Accommodation.objects.get(student=student).added_minutes == 10


def test_time_added_before_arrival_counts_at_start(exam, student, teacher):
    sitting = make_sitting(exam)
    sitting.candidates.add(student)
    sittings.add_time(sitting=sitting, student=student, minutes=15, reason="Bus", actor=teacher)
    attempt = services.attempt_start(student=student, exam=exam)
    assert attempt.deadline == sitting.ends_at + timedelta(minutes=15)


def test_time_is_not_added_for_who_is_not_admitted(exam, student, other_student, teacher):
    sitting = make_sitting(exam)
    sitting.candidates.add(student)
    with pytest.raises(ExamError):
        sittings.add_time(
            sitting=sitting, student=other_student, minutes=5, reason="x", actor=teacher
        )
    assert not Accommodation.objects.exists()


def test_ending_the_sitting_submits_open_attempts_in_a_task(
    exam, student, other_student, teacher, django_capture_on_commit_callbacks
):
    sitting = make_sitting(exam)
    sitting.candidates.add(student, other_student)
    attempt = services.attempt_start(student=student, exam=exam)
    with django_capture_on_commit_callbacks() as queued:
        ended = sittings.end_sitting(sitting=sitting, actor=teacher)
    # The request only closes the sitting and brings the deadlines to the end.
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.deadline == ended.ended_at
    assert ended.end_status == "queued" and len(queued) == 1
    with pytest.raises(ExamError, match="ended"):
        services.attempt_start(student=other_student, exam=exam)
    queued[0]()  # the task (run in-process here)
    attempt.refresh_from_db()
    assert not attempt.is_open and attempt.auto_submitted
    assert attempt.submitted_at == ended.ended_at
    sitting.refresh_from_db()
    assert (sitting.end_done, sitting.end_total, sitting.end_status) == (1, 1, "done")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SITTING_ENDED).count() == 1
    with django_capture_on_commit_callbacks() as again:
        sittings.end_sitting(sitting=sitting, actor=teacher)
    assert again == []  # ended and done: nothing to do, nothing audited twice
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SITTING_ENDED).count() == 1


def test_a_killed_ending_is_resumed_and_submits_each_attempt_once(
    exam, school, teacher, monkeypatch
):
    students = [factories.person(f"cand{i}", school, "student") for i in range(5)]
    sitting = make_sitting(exam)
    sitting.candidates.add(*students)
    attempts = [services.attempt_start(student=s, exam=exam) for s in students]
    sittings.end_sitting(sitting=sitting, actor=teacher)
    from exams.services import attempts as attempts_module

    submit = attempts_module.attempt_submit
    calls = {"n": 0}

    def dying(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the worker is killed mid-run
        return submit(**kwargs)

    monkeypatch.setattr(attempts_module, "attempt_submit", dying)
    with pytest.raises(KeyboardInterrupt):
        sittings.submit_open_attempts(sitting.pk)
    sitting.refresh_from_db()
    assert (sitting.end_done, sitting.end_status) == (2, "running")
    monkeypatch.setattr(attempts_module, "attempt_submit", submit)
    # The console's "submit the remaining attempts again" queues the task once more.
    sittings.end_sitting(sitting=sitting, actor=teacher)
    assert tasks.submit_sitting_attempts.apply(args=[sitting.pk]).get() == 5
    tasks.submit_sitting_attempts.apply(args=[sitting.pk])  # a duplicate delivery
    for attempt in attempts:
        attempt.refresh_from_db()
        assert attempt.status != Attempt.Status.IN_PROGRESS and attempt.number == 1
    assert Attempt.objects.filter(exam=exam).count() == 5
    sitting.refresh_from_db()
    assert (sitting.end_done, sitting.end_total, sitting.end_status) == (5, 5, "done")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SITTING_ENDED).count() == 1


def test_one_attempt_per_sitting(exam, student):
    exam.attempts_allowed = 3
    exam.save()
    sitting = make_sitting(exam)
    sitting.candidates.add(student)
    services.attempt_submit(attempt=services.attempt_start(student=student, exam=exam))
    with pytest.raises(ExamError, match="already sat"):
        services.attempt_start(student=student, exam=exam)


# --- Papers drawn in advance ----------------------------------------------------------------


def test_the_task_draws_every_paper_and_starting_opens_it(exam, student, other_student, cohort):
    sitting = make_sitting(exam)
    sitting.candidates.add(student)
    sitting.cohorts.add(cohort)
    in_cohort(other_student, cohort)
    assert tasks.draw_sitting_papers.apply(args=[sitting.pk]).get() == 2
    sitting.refresh_from_db()
    assert (sitting.papers_drawn, sitting.papers_total, sitting.papers_status) == (2, 2, "done")
    paper = SittingPaper.objects.get(sitting=sitting, student=student)
    assert len(paper.questions) == 5
    attempt = services.attempt_start(student=student, exam=exam)
    frozen = [(q["position"], q["version"], q["content"]) for q in paper.questions]
    opened = list(attempt.questions.values_list("position", "version_id", "content"))
    assert opened == frozen
    paper.refresh_from_db()
    assert paper.attempt == attempt


def test_a_killed_drawing_resumes_without_duplicates_or_gaps(exam, school, monkeypatch):
    students = [factories.person(f"cand{i}", school, "student") for i in range(6)]
    sitting = make_sitting(exam)
    sitting.candidates.add(*students)
    from exams.services import attempts as attempts_module

    freeze = attempts_module.freeze_paper
    calls = {"n": 0}

    def dying(**kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt  # the worker is killed mid-run
        return freeze(**kwargs)

    monkeypatch.setattr(attempts_module, "freeze_paper", dying)
    with pytest.raises(KeyboardInterrupt):
        sittings.draw_papers(sitting.pk)
    assert SittingPaper.objects.filter(sitting=sitting).count() == 3
    monkeypatch.setattr(attempts_module, "freeze_paper", freeze)
    sittings.draw_papers(sitting.pk)
    sittings.draw_papers(sitting.pk)  # a duplicate delivery changes nothing
    assert SittingPaper.objects.filter(sitting=sitting).count() == 6
    assert set(SittingPaper.objects.values_list("student_id", flat=True)) == {
        s.pk for s in students
    }
    sitting.refresh_from_db()
    assert (sitting.papers_drawn, sitting.papers_status) == (6, "done")


def test_a_candidate_added_late_draws_on_start(exam, student, other_student):
    sitting = make_sitting(exam)
    sitting.candidates.add(student)
    sittings.draw_papers(sitting.pk)
    sitting.candidates.add(other_student)
    attempt = services.attempt_start(student=other_student, exam=exam)
    assert AttemptQuestion.objects.filter(attempt=attempt).count() == 5
    assert SittingPaper.objects.get(student=other_student).attempt == attempt


def test_console_rows_show_each_candidates_state(exam, student, other_student):
    now = timezone.now()
    sitting = make_sitting(exam, starts_at=now - timedelta(minutes=5))
    sitting.candidates.add(student, other_student)
    attempt = services.attempt_start(student=student, exam=exam, now=now)
    services.answer_save(attempt=attempt, position=1, response={"choice": "a"}, seq=1, now=now)
    rows = {
        r["student"].pk: r for r in sittings.console_rows(sitting, now=now + timedelta(seconds=7))
    }
    assert rows[student.pk]["state"] == "answering"
    assert rows[student.pk]["last_save_seconds"] == 7
    assert rows[student.pk]["seconds_left"] == 85 * 60 - 7
    assert rows[other_student.pk]["state"] == "not_arrived"
