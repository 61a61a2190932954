from courses import access
from tests import factories


def test_a_teacher_of_the_school_authors_its_courses(teacher, course):
    assert access.can_author(teacher, course)


def test_a_teacher_of_another_school_does_not(outsider, course):
    assert not access.can_author(outsider, course)


def test_a_student_does_not_author(student, course):
    assert not access.can_author(student, course)


def test_a_mentor_does_not_author_even_for_a_partner_course(mentor, course):
    assert not access.can_author(mentor, course)


def test_an_unpublished_course_is_hidden_from_students(student, school):
    draft = factories.course(school, code="draft", published=False)
    assert not access.can_view_course(student, draft)


def test_an_unpublished_course_is_visible_to_its_authors(teacher, school):
    draft = factories.course(school, code="draft", published=False)
    assert access.can_view_course(teacher, draft)


def test_the_cohort_teacher_manages_the_cohort(teacher, cohort):
    assert access.can_manage_cohort(teacher, cohort)


def test_a_student_cannot_manage_a_cohort(student, cohort):
    assert not access.can_manage_cohort(student, cohort)


def test_an_outsider_cannot_manage_a_cohort(outsider, cohort):
    assert not access.can_manage_cohort(outsider, cohort)


def test_authored_courses_lists_only_the_school_courses(teacher, outsider, course):
    assert list(access.authored_courses(teacher)) == [course]
    assert list(access.authored_courses(outsider)) == []
