"""Exam permissions: every rule with the people it lets in and the people it keeps out."""

import pytest
from django.contrib.auth.models import AnonymousUser

from courses.models import Enrollment
from exams import access, services
from exams.models import BlueprintRule, Mark, SkillStandard
from tests import factories
from tests.exams.conftest import build_exam, essay
from tests.exams.test_marking import enrol, practical_of, sit


@pytest.fixture
def school_admin(school):
    return factories.person("head", school, "admin")


@pytest.fixture
def other_mentor(course, teacher):
    """A mentor from another enterprise, mentoring another cohort of the same course."""
    firm = factories.organization(kind="enterprise", code="other-firm")
    person = factories.person("mentor2", firm, "mentor")
    factories.cohort(course, teacher=teacher, mentor=person, name="Class 2")
    return person


@pytest.fixture
def superuser(db):
    user = factories.person("root", None, None)
    user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def answer(exam, student, cohort):
    enrol(student, cohort)
    return practical_of(sit(exam, student))


def mark(question, grader, role, r1=8, r2=8):
    return services.mark_record(
        attempt_question=question, grader=grader, role=role, rubric_marks={"r1": r1, "r2": r2}
    )


def fresh(user):
    """The same user without the per-request role cache (roles changed during the test)."""
    return type(user).objects.get(pk=user.pk)


# --- authoring ------------------------------------------------------------------------------


def test_teachers_and_admins_of_the_school_author_its_banks_and_exams(
    exam, teacher, school_admin, superuser
):
    bank = exam.banks.get()
    for user in (teacher, school_admin, superuser):
        assert access.can_author_bank(user, bank)
        assert access.can_author_exam(user, exam)


def test_nobody_else_authors_a_schools_banks_or_exams(
    exam, outsider, student, mentor, regulator, other_mentor
):
    bank = exam.banks.get()
    for user in (outsider, student, mentor, regulator, other_mentor, AnonymousUser()):
        assert not access.can_author_bank(user, bank)
        assert not access.can_author_exam(user, exam)


def test_authored_lists_hold_only_the_users_organisations(exam, teacher, outsider, mentor):
    assert list(access.authored_exams(teacher)) == [exam]
    assert list(access.authored_banks(teacher)) == list(exam.banks.all())
    for user in (outsider, mentor):
        assert not access.authored_exams(user).exists()
        assert not access.authored_banks(user).exists()


def test_staff_pages_are_for_teachers_mentors_and_admins(
    teacher, mentor, school_admin, superuser, student, regulator, verifier
):
    for user in (teacher, mentor, school_admin, superuser):
        assert access.is_exam_staff(user)
    for user in (student, regulator, verifier, AnonymousUser()):
        assert not access.is_exam_staff(user)


# --- standards ------------------------------------------------------------------------------


@pytest.fixture
def standard(government):
    return SkillStandard.objects.create(
        code="logistics", name_en="CBEC Logistics", name_zh="跨境物流", owner=government
    )


def test_regulators_and_admins_of_the_owner_publish_its_standard(
    standard, regulator, government, superuser
):
    gov_admin = factories.person("gov-admin", government, "admin")
    for user in (regulator, gov_admin, superuser):
        assert access.can_publish_standard(user, standard)


def test_nobody_else_publishes_a_standard(standard, teacher, mentor, student, outsider):
    other_bureau = factories.organization(kind="government", code="other-bureau")
    other_regulator = factories.person("regulator2", other_bureau, "regulator")
    for user in (teacher, mentor, student, outsider, other_regulator, AnonymousUser()):
        assert not access.can_publish_standard(user, standard)


# --- the grading queue ----------------------------------------------------------------------


def test_a_teacher_of_the_school_sees_answers_waiting_for_a_teacher_mark(answer, teacher):
    assert list(access.grading_queue(teacher)) == [answer]
    assert access.can_mark(teacher, answer, Mark.Role.TEACHER)
    assert access.marking_role(teacher, answer) == Mark.Role.TEACHER


def test_a_teacher_of_another_school_sees_nothing(answer, outsider):
    assert not access.grading_queue(outsider).exists()
    assert not access.can_mark(outsider, answer, Mark.Role.TEACHER)
    assert not access.can_view_answer(outsider, answer)


def test_students_see_no_queue_and_mark_nothing(answer, student, other_student):
    for user in (student, other_student, AnonymousUser()):
        assert not access.grading_queue(user).exists()
        for role in Mark.Role.values:
            assert not access.can_mark(user, answer, role)
        assert not access.can_view_answer(user, answer)


def test_the_cohorts_mentor_sees_its_practical_work(answer, mentor):
    assert list(access.grading_queue(mentor)) == [answer]
    assert access.can_mark(mentor, answer, Mark.Role.MENTOR)
    assert not access.can_mark(mentor, answer, Mark.Role.TEACHER)
    assert access.can_view_answer(mentor, answer)


def test_a_mentor_of_another_cohort_sees_nothing(answer, other_mentor):
    assert not access.grading_queue(other_mentor).exists()
    assert not access.can_mark(other_mentor, answer, Mark.Role.MENTOR)
    assert not access.can_view_answer(other_mentor, answer)


def test_a_mentor_sees_no_theory_or_essay_answers(school, government, student, cohort, mentor):
    exam = build_exam(school=school, government=government)
    bank = exam.banks.get()
    services.question_create(bank=bank, data=essay(competency="writing"))
    BlueprintRule.objects.create(
        section=exam.sections.get(part="theory"), competency="writing", difficulty=1, count=1
    )
    enrol(student, cohort)
    attempt = sit(exam, student)
    waiting = set(attempt.questions.filter(needs_marking=True).values_list("pk", flat=True))
    essay_answer = attempt.questions.get(version__question__kind="essay")
    assert essay_answer.pk in waiting
    assert list(access.grading_queue(mentor)) == [practical_of(attempt)]
    assert not access.can_mark(mentor, essay_answer, Mark.Role.MENTOR)
    assert not access.can_view_answer(mentor, essay_answer)


def test_a_mentor_sees_only_exams_of_their_cohorts_course(
    school, government, student, cohort, mentor, teacher
):
    other_course = factories.course(school, code="logistics")
    Enrollment.objects.create(student=student, course=other_course)
    enrol(student, cohort)  # the mentor's cohort is of another course
    exam = build_exam(school=school, government=government, course=other_course)
    answer = practical_of(sit(exam, student))
    assert not access.grading_queue(mentor).exists()
    assert not access.can_view_answer(mentor, answer)
    assert list(access.grading_queue(teacher)) == [answer]


def test_nobody_sees_answers_they_already_marked(answer, teacher, mentor):
    mark(answer, teacher, Mark.Role.TEACHER)
    assert not access.grading_queue(teacher).exists()
    assert access.marking_role(teacher, answer) is None
    assert access.can_view_answer(teacher, answer)
    assert list(access.grading_queue(mentor)) == [answer]
    mark(answer, mentor, Mark.Role.MENTOR, r1=7, r2=8)
    assert not access.grading_queue(mentor).exists()


def test_adjudication_goes_to_a_teacher_who_did_not_mark(answer, school, teacher, mentor):
    second = factories.person("teacher2", school, "teacher")
    mark(answer, teacher, Mark.Role.TEACHER, r1=9, r2=9)
    mark(answer, mentor, Mark.Role.MENTOR, r1=3, r2=3)
    answer.refresh_from_db()
    assert answer.needs_adjudication
    assert not access.grading_queue(teacher).exists()
    assert not access.grading_queue(mentor).exists()
    assert list(access.grading_queue(second)) == [answer]
    assert access.marking_role(second, answer) == Mark.Role.ADJUDICATOR
    assert not access.can_mark(second, answer, Mark.Role.TEACHER)
    assert not access.can_mark(teacher, answer, Mark.Role.ADJUDICATOR)
    assert not access.can_mark(mentor, answer, Mark.Role.ADJUDICATOR)


def test_answers_of_open_attempts_are_not_in_any_queue(exam, student, cohort, teacher, mentor):
    enrol(student, cohort)
    services.attempt_start(student=student, exam=exam)
    assert not access.grading_queue(teacher).exists()
    assert not access.grading_queue(mentor).exists()


def test_a_lapsed_mentor_role_sees_nothing(answer, mentor):
    mentor.memberships.update(is_active=False)
    mentor = fresh(mentor)
    assert not access.grading_queue(mentor).exists()
    assert not access.can_mark(mentor, answer, Mark.Role.MENTOR)


def test_the_queue_takes_a_constant_number_of_queries(
    exam, student, other_student, cohort, teacher, django_assert_max_num_queries
):
    enrol(student, cohort)
    enrol(other_student, cohort)
    sit(exam, student)
    teacher = fresh(teacher)
    with django_assert_max_num_queries(2):
        one = list(access.grading_queue(teacher))
    sit(exam, other_student)
    teacher = fresh(teacher)
    with django_assert_max_num_queries(2):
        two = list(access.grading_queue(teacher))
        for question in two:
            str(question.attempt.exam), question.version.question.kind
    assert len(one) == 1 and len(two) == 2


def test_nobody_marks_their_own_attempt(exam, teacher):
    own = practical_of(sit(exam, teacher))
    assert not access.grading_queue(teacher).exists()
    assert not access.can_mark(teacher, own, Mark.Role.TEACHER)
