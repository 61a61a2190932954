"""The grading API follows the same rules as the staff pages."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from tests import factories
from tests.exams.test_marking import enrol, practical_of, sit


@pytest.fixture
def submitted(exam, student, cohort):
    enrol(student, cohort)
    return sit(exam, student)


def api_as(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_teacher_and_mentor_mark_through_the_api_and_the_attempt_settles(
    submitted, teacher, mentor
):
    question = practical_of(submitted)
    for user, marks in ((teacher, {"r1": "8", "r2": "8"}), (mentor, {"r1": "7", "r2": "8"})):
        api = api_as(user)
        queue = api.get("/api/v1/grading/queue/").json()["results"]
        assert [item["id"] for item in queue] == [question.pk]
        response = api.post(
            f"/api/v1/grading/{question.pk}/marks/",
            {"rubric_marks": marks, "comment": "ok"},
            format="json",
        )
        assert response.status_code == 201, response.json()
    submitted.refresh_from_db()
    question.refresh_from_db()
    assert question.points == Decimal("15.50") and submitted.status == "graded"


def test_the_other_graders_mark_is_hidden_until_settled(submitted, teacher, mentor):
    question = practical_of(submitted)
    api_as(teacher).post(
        f"/api/v1/grading/{question.pk}/marks/",
        {"rubric_marks": {"r1": "9", "r2": "9"}},
        format="json",
    )
    seen_by_mentor = api_as(mentor).get(f"/api/v1/grading/{question.pk}/").json()
    assert seen_by_mentor["marks"] == [] and seen_by_mentor["your_role"] == "mentor"


def test_a_mentor_of_another_cohort_gets_404(submitted, enterprise):
    stranger = factories.person("mentor2", enterprise, "mentor")
    question = practical_of(submitted)
    api = api_as(stranger)
    assert api.get("/api/v1/grading/queue/").json()["results"] == []
    assert api.get(f"/api/v1/grading/{question.pk}/").status_code == 404
    marks = {"rubric_marks": {"r1": "1", "r2": "1"}}
    assert (
        api.post(f"/api/v1/grading/{question.pk}/marks/", marks, format="json").status_code == 404
    )


def test_a_student_cannot_mark_their_own_answer(submitted, student):
    question = practical_of(submitted)
    api = api_as(student)
    assert api.get("/api/v1/grading/queue/").json()["results"] == []
    marks = {"rubric_marks": {"r1": "10", "r2": "10"}}
    assert (
        api.post(f"/api/v1/grading/{question.pk}/marks/", marks, format="json").status_code == 404
    )


def test_a_mark_outside_the_rubric_is_a_400_with_a_reason(submitted, teacher):
    question = practical_of(submitted)
    response = api_as(teacher).post(
        f"/api/v1/grading/{question.pk}/marks/",
        {"rubric_marks": {"r1": "11", "r2": "1"}},
        format="json",
    )
    assert response.status_code == 400 and response.json()["detail"]


def test_marking_twice_is_refused(submitted, teacher):
    question = practical_of(submitted)
    api = api_as(teacher)
    marks = {"rubric_marks": {"r1": "5", "r2": "5"}}
    assert (
        api.post(f"/api/v1/grading/{question.pk}/marks/", marks, format="json").status_code == 201
    )
    assert (
        api.post(f"/api/v1/grading/{question.pk}/marks/", marks, format="json").status_code == 403
    )
