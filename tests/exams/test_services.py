"""Attempts through the services: eligibility, frozen papers, versions, saves, deadlines."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from courses.models import Enrollment
from exams import services
from exams.models import Attempt, AttemptQuestion, BlueprintRule, Mark, SkillStandard
from exams.services import attempts as attempts_module
from tests.exams.conftest import build_exam, essay, single_choice
from tests.exams.test_marking import sit

# --- eligibility ----------------------------------------------------------------------------


def refusal(student, exam, **kwargs) -> str:
    with pytest.raises(services.ExamError) as caught:
        services.attempt_start(student=student, exam=exam, **kwargs)
    return " ".join(caught.value.messages)


def test_a_student_starts_a_published_open_exam(exam, student):
    attempt = services.attempt_start(student=student, exam=exam)
    assert attempt.is_open and attempt.number == 1
    assert attempt.deadline == attempt.started_at + timedelta(minutes=60)
    assert attempt.questions.count() == 5


def test_an_unpublished_exam_cannot_be_started(exam, student):
    exam.is_published = False
    exam.save()
    assert "not open" in refusal(student, exam)


def test_an_exam_cannot_be_started_before_it_opens_or_after_it_closes(exam, student):
    now = timezone.now()
    exam.opens_at = now + timedelta(hours=1)
    exam.save()
    assert "opens at" in refusal(student, exam)
    exam.opens_at, exam.closes_at = now - timedelta(hours=2), now - timedelta(hours=1)
    exam.save()
    assert "closed at" in refusal(student, exam)


def test_a_course_exam_needs_an_active_enrolment(exam, course, student):
    exam.course = course
    exam.save()
    assert "Enrol in" in refusal(student, exam)
    enrollment = Enrollment.objects.create(student=student, course=course)
    assert services.attempt_start(student=student, exam=exam).is_open
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.save()
    assert services.eligibility_problems(student=student, exam=exam)


def test_a_level_needs_a_pass_at_its_prerequisite_level(school, government, student):
    junior = build_exam(school=school, government=government, practicals=0)
    senior = build_exam(school=school, government=government, practicals=0)
    senior.skill_level.prerequisite_level = junior.skill_level
    senior.skill_level.save()
    assert "First pass or complete" in refusal(student, senior)
    assert sit(junior, student).passed
    assert services.attempt_start(student=student, exam=senior).is_open


def test_attempts_run_out_and_wait_for_the_delay(theory_exam, student):
    theory_exam.attempts_allowed, theory_exam.attempt_delay_minutes = 2, 30
    theory_exam.save()
    sit(theory_exam, student, wrong=4)
    assert "next attempt" in refusal(student, theory_exam)
    later = timezone.now() + timedelta(minutes=31)
    second = services.attempt_start(student=student, exam=theory_exam, now=later)
    assert second.number == 2
    services.attempt_submit(attempt=second, now=later)
    assert "used all 2" in refusal(student, theory_exam, now=later + timedelta(hours=1))


# --- starting once ----------------------------------------------------------------------------


def test_twenty_starts_make_one_attempt(exam, student):
    attempts = {services.attempt_start(student=student, exam=exam).pk for _ in range(20)}
    assert len(attempts) == 1
    assert Attempt.objects.filter(exam=exam, student=student).count() == 1
    assert AttemptQuestion.objects.filter(attempt__student=student).count() == 5


def test_a_start_that_loses_the_race_returns_the_winners_attempt(exam, student, monkeypatch):
    check = services.eligibility_problems
    winners = []

    def racing(**kwargs):
        # Another request inserts its attempt after our "is one open?" check, before our insert.
        winners.append(
            attempts_module._create_attempt(student=student, exam=exam, now=timezone.now())
        )
        return check(**kwargs)

    monkeypatch.setattr(attempts_module, "eligibility_problems", racing)
    attempt = services.attempt_start(student=student, exam=exam)
    assert attempt.pk == winners[0].pk
    assert Attempt.objects.filter(exam=exam, student=student).count() == 1
    assert AttemptQuestion.objects.filter(attempt__student=student).count() == 5


def test_the_database_refuses_a_second_open_attempt(exam, student):
    services.attempt_start(student=student, exam=exam)
    with pytest.raises(IntegrityError):
        Attempt.objects.create(
            exam=exam, student=student, number=2, deadline=timezone.now() + timedelta(hours=1)
        )


def test_an_empty_bank_refuses_the_start(exam, student):
    rule = exam.sections.get(part="theory").rules.get()
    rule.count = 50
    rule.save()
    assert "cannot fill" in refusal(student, exam)
    assert not Attempt.objects.exists()


# --- the frozen paper and question versions ----------------------------------------------------


def test_the_paper_is_frozen_without_keys(exam, student):
    attempt = services.attempt_start(student=student, exam=exam)
    parts = list(attempt.questions.values_list("part", flat=True))
    assert parts == ["theory"] * 4 + ["practical"]
    for question in attempt.questions.select_related("version"):
        assert "correct" not in question.content and "rubric" not in question.content
        assert question.max_points == question.version.points


def test_repeat_attempts_prefer_questions_not_seen_before(theory_exam, student):
    theory_exam.attempts_allowed = 2
    theory_exam.save()
    first = sit(theory_exam, student)
    second = services.attempt_start(student=student, exam=theory_exam)
    seen = set(first.questions.values_list("version__question_id", flat=True))
    again = set(second.questions.values_list("version__question_id", flat=True))
    # Six questions for four places: two fresh ones, then two repeats.
    assert len(again - seen) == 2


def test_editing_a_used_question_makes_a_new_version(exam, student, other_student):
    attempt = services.attempt_start(student=student, exam=exam)
    shown = attempt.questions.select_related("version__question").get(position=1)
    question = shown.version.question
    data = {**single_choice(n=99), "title": "Edited", "key": {"correct": "a"}}
    version = services.question_update(question=question, data=data)
    assert version.number == 2 and question.current_version == version
    shown.refresh_from_db()
    assert shown.version.number == 1 and shown.version.key == {"correct": "b"}
    # The student's paper keeps what it showed; later papers get the new version.
    assert shown.content["options"][0]["text"]
    later = services.attempt_start(student=other_student, exam=exam)
    versions = set(later.questions.values_list("version__question_id", "version__number"))
    assert (question.pk, 1) not in versions


def test_editing_an_unused_question_edits_it_in_place(exam):
    question = exam.banks.get().questions.first()
    version = services.question_update(
        question=question, data={**single_choice(n=1), "title": "Renamed"}
    )
    assert version.pk == question.current_version_id and version.number == 1
    assert question.versions.count() == 1 and version.title == "Renamed"


def test_a_question_kind_never_changes(exam):
    question = exam.banks.get().questions.filter(kind="single_choice").first()
    with pytest.raises(services.ExamError):
        services.question_update(question=question, data={**single_choice(), "kind": "essay"})


# --- saving answers ---------------------------------------------------------------------------


def test_an_older_save_arriving_late_does_not_overwrite_a_newer_one(exam, student):
    attempt = services.attempt_start(student=student, exam=exam)
    saved, applied = services.answer_save(
        attempt=attempt, position=1, response={"choice": "c"}, seq=2
    )
    assert applied and saved.response == {"choice": "c"}
    saved, applied = services.answer_save(
        attempt=attempt, position=1, response={"choice": "a"}, seq=1
    )
    assert not applied and saved.response == {"choice": "c"} and saved.response_seq == 2


def test_a_malformed_answer_is_refused(exam, student):
    attempt = services.attempt_start(student=student, exam=exam)
    with pytest.raises(ValueError):
        services.answer_save(attempt=attempt, position=1, response={"choice": "zz"}, seq=1)
    with pytest.raises(services.ExamError):
        services.answer_save(attempt=attempt, position=99, response={"choice": "a"}, seq=1)


def test_saves_within_the_grace_period_count_and_later_ones_close_the_attempt(
    exam, student, settings
):
    settings.EXAMS_DEADLINE_GRACE_SECONDS = 30
    attempt = services.attempt_start(student=student, exam=exam)
    grace = attempt.deadline + timedelta(seconds=20)
    _saved, applied = services.answer_save(
        attempt=attempt, position=1, response={"choice": "b"}, seq=1, now=grace
    )
    assert applied
    late = attempt.deadline + timedelta(seconds=31)
    with pytest.raises(services.AttemptClosed):
        services.answer_save(attempt=attempt, position=2, response={"choice": "b"}, seq=1, now=late)
    attempt.refresh_from_db()
    assert not attempt.is_open and attempt.auto_submitted
    assert attempt.questions.get(position=1).points == Decimal("2.00")


def test_the_sweep_submits_overdue_attempts(exam, student, other_student):
    overdue = services.attempt_start(student=student, exam=exam)
    fresh = services.attempt_start(student=other_student, exam=exam)
    later = overdue.deadline + timedelta(minutes=5)
    Attempt.objects.filter(pk=fresh.pk).update(deadline=later + timedelta(hours=1))
    assert services.expire_overdue_attempts(now=later) == 1
    overdue.refresh_from_db()
    fresh.refresh_from_db()
    assert not overdue.is_open and overdue.auto_submitted and fresh.is_open


def test_the_deadline_never_passes_the_exams_closing_time(exam, student):
    exam.closes_at = timezone.now() + timedelta(minutes=10)
    exam.save()
    attempt = services.attempt_start(student=student, exam=exam)
    assert attempt.deadline == exam.closes_at


# --- submitting ------------------------------------------------------------------------------


def test_a_second_submit_changes_nothing(theory_exam, student):
    attempt = services.attempt_start(student=student, exam=theory_exam)
    first = services.attempt_submit(attempt=attempt)
    again = services.attempt_submit(attempt=attempt, now=timezone.now() + timedelta(minutes=5))
    assert first.submitted_at == again.submitted_at
    assert again.status == Attempt.Status.GRADED and again.total_percent == Decimal("0.00")
    with pytest.raises(services.AttemptClosed):
        services.answer_save(attempt=again, position=1, response={"choice": "b"}, seq=9)


def test_a_theory_only_exam_grades_itself_at_submission(theory_exam, student):
    attempt = sit(theory_exam, student, wrong=1)
    assert attempt.status == Attempt.Status.GRADED
    assert (attempt.theory_percent, attempt.total_percent) == (Decimal("75.00"), Decimal("75.00"))
    assert attempt.passed is True


def test_an_unanswered_practical_scores_zero_without_a_grader(exam, student):
    attempt = services.attempt_start(student=student, exam=exam)
    for position in range(1, 5):
        services.answer_save(attempt=attempt, position=position, response={"choice": "b"}, seq=1)
    attempt = services.attempt_submit(attempt=attempt)
    practical = attempt.questions.get(part="practical")
    assert not practical.needs_marking and practical.points == Decimal(0)
    assert attempt.status == Attempt.Status.GRADED and attempt.passed is False


def test_submit_writes_each_questions_own_grade(school, government, student):
    """Right, wrong, unanswered and a manual question in one paper: every row its own grade."""
    exam = build_exam(school=school, government=government, theory=4, practicals=1)
    attempt = services.attempt_start(student=student, exam=exam)
    theory = list(attempt.questions.filter(part="theory").order_by("position"))
    answers = {theory[0].position: "b", theory[1].position: "b", theory[2].position: "a"}
    for position, choice in answers.items():
        services.answer_save(attempt=attempt, position=position, response={"choice": choice}, seq=1)
    practical = attempt.questions.get(part="practical")
    services.answer_save(
        attempt=attempt, position=practical.position, response={"text": "My listing"}, seq=1
    )

    services.attempt_submit(attempt=attempt)

    rows = {
        q.position: (q.auto_points, q.points, q.is_correct, q.needs_marking)
        for q in attempt.questions.all()
    }
    right, wrong = (Decimal(2), Decimal(2), True, False), (Decimal(0), Decimal(0), False, False)
    assert rows[theory[0].position] == right and rows[theory[1].position] == right
    assert rows[theory[2].position] == wrong and rows[theory[3].position] == wrong
    assert rows[practical.position] == (None, None, None, True)


def test_an_essay_needs_a_single_teacher_mark(school, government, student, teacher):
    exam = build_exam(school=school, government=government, practicals=0)
    services.question_create(bank=exam.banks.get(), data=essay(competency="writing"))
    BlueprintRule.objects.create(
        section=exam.sections.get(), competency="writing", difficulty=1, count=1
    )
    attempt = sit(exam, student)
    question = attempt.questions.get(version__question__kind="essay")
    services.mark_record(
        attempt_question=question, grader=teacher, role=Mark.Role.TEACHER, points=Decimal(8)
    )
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    assert attempt.questions.get(pk=question.pk).points == Decimal("8.00")


# --- standards ------------------------------------------------------------------------------


def test_a_published_standard_changes_only_by_a_new_version(school, government, regulator):
    exam = build_exam(school=school, government=government)
    standard = exam.skill_level.standard
    with pytest.raises(services.ExamError):
        services.standard_publish(standard=standard, by=regulator)
    draft = services.standard_new_version(standard=standard, by=regulator)
    assert (draft.version, draft.status, draft.previous) == (2, "draft", standard)
    level = draft.levels.get()
    assert level.pk != exam.skill_level_id
    assert list(level.competencies.values_list("code", flat=True)) == ["listing"]
    assert services.standard_publish(standard=draft, by=regulator).status == "published"
    assert SkillStandard.objects.filter(code=standard.code).count() == 2


def test_a_standard_without_levels_cannot_be_published(government, regulator):
    standard = SkillStandard.objects.create(
        code="empty", name_en="Empty", name_zh="空", owner=government
    )
    with pytest.raises(services.ExamError):
        services.standard_publish(standard=standard, by=regulator)
