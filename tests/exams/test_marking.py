"""Dual marking end to end: teacher and mentor marks, adjudication, blind marking, pass rules."""

from decimal import Decimal

import pytest
from django.urls import reverse

from courses.models import Enrollment
from exams import services
from exams.models import Attempt, AttemptQuestion, Mark
from tests import factories

# --- helpers other exam test modules import ---------------------------------------------------


def enrol(student, cohort) -> Enrollment:
    return Enrollment.objects.create(student=student, course=cohort.course, cohort=cohort)


def sit(exam, student, *, wrong: int = 0, text: str = "My listing", file=None) -> Attempt:
    """Start, answer and submit: theory right except `wrong` of them, practical as given."""
    attempt = services.attempt_start(student=student, exam=exam)
    theory_left_wrong = wrong
    for question in attempt.questions.select_related("version__question"):
        if question.kind == "practical":
            response = {"text": text, "file": file}
        elif question.kind == "essay":
            response = {"text": text}
        else:
            response = {"choice": "a" if theory_left_wrong else "b"}
            theory_left_wrong = max(0, theory_left_wrong - 1)
        services.answer_save(attempt=attempt, position=question.position, response=response, seq=1)
    return services.attempt_submit(attempt=attempt)


def practical_of(attempt: Attempt) -> AttemptQuestion:
    return attempt.questions.get(part="practical")


def rubric(r1, r2, comment="") -> dict:
    return {"criterion_r1": str(r1), "criterion_r2": str(r2), "comment": comment}


def login(client, user):
    client.force_login(user)
    return client


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def second_teacher(school):
    return factories.person("teacher2", school, "teacher", name_latin="Zhao Min")


@pytest.fixture
def submitted(exam, student, cohort):
    """The student (in the mentor's cohort) has submitted all-correct theory and a task."""
    enrol(student, cohort)
    return sit(exam, student)


def mark_url(question) -> str:
    return reverse("exams:mark_answer", args=[question.pk])


# --- the tests --------------------------------------------------------------------------------


def test_marks_within_tolerance_settle_at_their_mean(client, submitted, teacher, mentor):
    question = practical_of(submitted)
    assert submitted.status == Attempt.Status.SUBMITTED

    response = login(client, teacher).post(mark_url(question), rubric(8, 8, "Good title"))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.needs_marking and question.points is None

    response = login(client, mentor).post(mark_url(question), rubric("7.5", "7.5"))
    assert response.status_code == 302
    question.refresh_from_db()
    assert not question.needs_marking
    assert question.points == Decimal("15.50")
    submitted.refresh_from_db()
    # Theory 100 % × 40 + practical 77.5 % × 60 = 86.5 %.
    assert submitted.status == Attempt.Status.GRADED
    assert submitted.practical_percent == Decimal("77.50")
    assert submitted.total_percent == Decimal("86.50")
    assert submitted.passed is True


def test_marks_too_far_apart_wait_for_a_third_teacher(
    client, submitted, teacher, mentor, second_teacher
):
    question = practical_of(submitted)
    login(client, teacher).post(mark_url(question), rubric(9, 9))
    login(client, mentor).post(mark_url(question), rubric(3, 3))
    question.refresh_from_db()
    assert question.needs_marking and question.needs_adjudication
    submitted.refresh_from_db()
    assert submitted.status == Attempt.Status.SUBMITTED

    # The first teacher cannot adjudicate their own disagreement.
    assert login(client, teacher).post(mark_url(question), rubric(5, 5)).status_code == 403

    response = login(client, second_teacher).get(mark_url(question))
    assert response.status_code == 200
    assert "Adjudicator" in response.content.decode()
    response = client.post(mark_url(question), rubric(6, 5))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.points == Decimal("11.00")
    assert not question.needs_adjudication
    roles = dict(question.marks.values_list("role", "grader__username"))
    assert roles == {"teacher": "teacher", "mentor": "mentor", "adjudicator": "teacher2"}
    submitted.refresh_from_db()
    assert submitted.status == Attempt.Status.GRADED
    # 11/20 = 55 % is below the practical minimum of 60 %.
    assert submitted.passed is False


def test_a_grader_cannot_mark_twice(client, submitted, teacher):
    question = practical_of(submitted)
    assert login(client, teacher).post(mark_url(question), rubric(8, 8)).status_code == 302
    assert client.post(mark_url(question), rubric(9, 9)).status_code == 403
    assert question.marks.count() == 1
    # Nor through the service, in another role.
    with pytest.raises(services.ExamError, match="already marked"):
        services.mark_record(
            attempt_question=question,
            grader=teacher,
            role=Mark.Role.MENTOR,
            rubric_marks={"r1": 8, "r2": 8},
        )


def test_a_mentor_of_another_cohort_can_neither_see_nor_mark(client, submitted, course, teacher):
    stranger = factories.person(
        "mentor2", factories.organization(kind="enterprise", code="e2"), "mentor"
    )
    factories.cohort(course, teacher=teacher, mentor=stranger, name="Class 2")
    question = practical_of(submitted)
    login(client, stranger)
    queue = client.get(reverse("exams:grading_queue")).content.decode()
    assert mark_url(question) not in queue
    assert client.get(mark_url(question)).status_code == 404
    assert client.post(mark_url(question), rubric(8, 8)).status_code == 404
    assert client.get(reverse("exams:answer_file", args=[question.pk])).status_code == 404
    assert not question.marks.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"criterion_r1": "11", "criterion_r2": "5"},  # above the criterion's 10 points
        {"criterion_r1": "-1", "criterion_r2": "5"},
        {"criterion_r1": "ten", "criterion_r2": "5"},
        {"criterion_r1": "5"},  # a criterion left out
    ],
)
def test_marks_out_of_range_are_form_errors(client, submitted, teacher, data):
    question = practical_of(submitted)
    response = login(client, teacher).post(mark_url(question), data)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not question.marks.exists()


def test_the_other_graders_mark_stays_hidden_until_settled(client, submitted, teacher, mentor):
    question = practical_of(submitted)
    login(client, teacher).post(mark_url(question), rubric(8, 8, "TEACHER-COMMENT"))

    page = login(client, mentor).get(mark_url(question)).content.decode()
    assert "TEACHER-COMMENT" not in page
    assert "16.00" not in page
    client.post(mark_url(question), rubric(7, 8, "MENTOR-COMMENT"))

    page = login(client, teacher).get(mark_url(question)).content.decode()
    assert "TEACHER-COMMENT" in page and "MENTOR-COMMENT" in page
    assert "15.50" in page  # the settled mean


def test_the_student_name_is_not_shown_to_graders(client, submitted, teacher):
    login(client, teacher)
    queue = client.get(reverse("exams:grading_queue")).content.decode()
    page = client.get(mark_url(practical_of(submitted))).content.decode()
    for text in (queue, page):
        assert "Zhang Wei" not in text and "张伟" not in text


def test_a_part_below_its_minimum_fails_even_with_a_high_total(
    exam, student, other_student, cohort, teacher, mentor
):
    enrol(student, cohort)
    enrol(other_student, cohort)
    # Theory 50 % (below 60 %) but a perfect practical: 20 + 60 = 80 % in total.
    weak_theory = sit(exam, student, wrong=2)
    # Theory 100 %, practical 100 %: passes.
    strong = sit(exam, other_student)
    for attempt in (weak_theory, strong):
        question = practical_of(attempt)
        for grader, role in ((teacher, Mark.Role.TEACHER), (mentor, Mark.Role.MENTOR)):
            services.mark_record(
                attempt_question=question,
                grader=grader,
                role=role,
                rubric_marks={"r1": 10, "r2": 10},
            )
    weak_theory.refresh_from_db()
    strong.refresh_from_db()
    assert weak_theory.theory_percent == Decimal("50.00")
    assert weak_theory.total_percent == Decimal("80.00")
    assert weak_theory.passed is False
    assert strong.total_percent == Decimal("100.00") and strong.passed is True


def test_the_result_waits_until_every_answer_is_marked(exam, student, cohort, teacher):
    enrol(student, cohort)
    attempt = sit(exam, student)
    services.mark_record(
        attempt_question=practical_of(attempt),
        grader=teacher,
        role=Mark.Role.TEACHER,
        rubric_marks={"r1": 10, "r2": 10},
    )
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    assert attempt.passed is None and attempt.total_percent is None


def test_marking_is_refused_once_settled(client, submitted, teacher, mentor, second_teacher):
    question = practical_of(submitted)
    login(client, teacher).post(mark_url(question), rubric(8, 8))
    login(client, mentor).post(mark_url(question), rubric(8, 8))
    response = login(client, second_teacher).get(mark_url(question))
    assert response.status_code == 200  # a teacher of the school may review it
    assert "Save my mark" not in response.content.decode()
    assert client.post(mark_url(question), rubric(8, 8)).status_code == 403
