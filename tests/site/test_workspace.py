"""The workspace at /start/: one section per role, linked pages, the student menu for students."""

import pytest
from django.urls import reverse

from tests import factories
from tests.factories import PASSWORD

START = "/start/"


@pytest.fixture
def school_admin(school):
    return factories.person("school-admin", school, "admin")


def sections(response) -> set[str]:
    return {section.key for section in response.context["sections"]}


def test_logging_in_lands_on_the_workspace(client, teacher):
    response = client.post(
        reverse("login"), {"username": teacher.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == START
    assert response.status_code == 200
    assert "<h1>Workspace</h1>" in response.text


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(START)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_teacher_sees_courses_banks_exams_queue_and_cohorts(client, teacher, cohort, student):
    factories_enrol(cohort, student)
    client.force_login(teacher)
    response = client.get(START)

    assert sections(response) == {"teaching"}
    teaching = response.context["sections"][0].data
    assert teaching["courses"] == 1
    assert teaching["queue"]["total"] == 0
    [row] = teaching["cohorts"]
    assert row["cohort"] == cohort and row["students"] == 1
    assert reverse("exams:grading_queue") in response.text
    assert reverse("courses:cohort_enrol_csv", args=[cohort.pk]) in response.text
    assert "1 course" in response.text
    # The student menu is not shown to a teacher.
    assert reverse("courses:my_learning") not in response.text
    assert reverse("certificates:mine") not in response.text


def test_a_mentor_sees_their_cohorts_marking_queue(client, mentor, cohort, student):
    factories_enrol(cohort, student)
    client.force_login(mentor)
    response = client.get(START)

    assert sections(response) == {"mentoring"}
    data = response.context["sections"][0].data
    assert [row["cohort"] for row in data["cohorts"]] == [cohort]
    assert data["waiting"] == 0
    assert f"{reverse('exams:grading_queue')}?cohort={cohort.pk}" in response.text


def test_a_verifier_sees_verification(client, verifier):
    client.force_login(verifier)
    response = client.get(START)
    assert sections(response) == {"verification"}
    assert reverse("certificates:verify_search") in response.text
    assert reverse("exams:staff_home") not in response.text


def test_a_regulator_sees_standards(client, regulator):
    client.force_login(regulator)
    response = client.get(START)
    assert sections(response) == {"standards"}
    assert reverse("exams:standards_home") in response.text
    assert reverse("courses:my_learning") not in response.text


def test_an_organisation_admin_sees_their_organisation_and_its_members(
    client, school_admin, school, student, teacher
):
    client.force_login(school_admin)
    response = client.get(START)

    assert "organisation" in sections(response)
    [row] = next(s for s in response.context["sections"] if s.key == "organisation").data[
        "organizations"
    ]
    assert row["organization"] == school
    counts = {role["label"]: role["count"] for role in row["roles"]}
    assert counts["Student"] == 1 and counts["Teacher"] == 1 and counts["Administrator"] == 1


def test_a_student_sees_their_learning_and_the_student_menu(client, student, cohort):
    factories_enrol(cohort, student)
    client.force_login(student)
    response = client.get(START)

    assert sections(response) == {"learning"}
    [enrollment] = response.context["sections"][0].data["enrollments"]
    assert enrollment.course == cohort.course
    for name in ("courses:my_learning", "exams:exam_list", "certificates:mine"):
        assert reverse(name) in response.text
    assert reverse("exams:staff_home") not in response.text


def test_someone_with_several_roles_sees_each_section(client, school, enterprise, government):
    from organizations.services import membership_grant

    person = factories.person("many-hats", school, "teacher")
    membership_grant(user=person, organization=enterprise, role="verifier")
    membership_grant(user=person, organization=government, role="regulator")
    membership_grant(user=person, organization=school, role="student")
    client.force_login(person)

    response = client.get(START)
    assert sections(response) == {"teaching", "verification", "standards", "learning"}
    # Each section is listed in the page's own table of contents.
    for key in ("teaching", "verification", "standards", "learning"):
        assert f'href="#{key}"' in response.text


def test_a_person_without_any_role_is_a_learner(client, db):
    person = factories.person("walk-in", None, None)
    client.force_login(person)
    response = client.get(START)
    assert sections(response) == {"learning"}
    assert reverse("courses:my_learning") in response.text


def test_missing_pages_are_not_linked(client, teacher, school_admin, verifier, regulator):
    """Names other parts of the site add are reversed with a guard: a missing one is not shown."""
    from lms.workspace import url_or_none

    assert url_or_none("nowhere:page") is None
    for person in (teacher, school_admin, verifier, regulator):
        client.force_login(person)
        assert client.get(START).status_code == 200


def test_the_workspace_query_count_does_not_grow_with_cohorts(
    client, teacher, course, django_assert_max_num_queries
):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(teacher)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(START).status_code == 200
        return len(queries)

    factories.cohort(course, teacher=teacher, name="A")
    few = count()
    for n in range(10):
        factories.cohort(course, teacher=teacher, name=f"B{n}")
    assert count() == few


def factories_enrol(cohort, student):
    from courses.services import enrollment_create

    return enrollment_create(student=student, course=cohort.course, cohort=cohort, by_teacher=True)
