"""Starting in a sitting whose papers were drawn in advance only opens the paper: it draws
nothing and its queries are counted (the start storm of a 1,000-candidate sitting)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from exams import tasks
from exams.services import attempts
from tests.exams.test_sittings import in_cohort, make_sitting

pytestmark = pytest.mark.django_db

# exam (with its level and standard); open attempt?; the sitting; the candidate's terms;
# seat used?; accreditation; attempts used; [savepoint]; accommodation; the paper (locked);
# attempt number; insert attempt; insert its questions; link the paper; [release];
# the questions for the answer.
PRE_DRAWN_START_QUERIES = 16


@pytest.fixture
def drawn_sitting(exam, student, cohort):
    sitting = make_sitting(exam)
    sitting.cohorts.add(cohort)
    in_cohort(student, cohort)
    assert tasks.draw_sitting_papers.apply(args=[sitting.pk]).get() == 1
    return sitting


def test_a_start_on_a_paper_drawn_in_advance_draws_nothing(
    drawn_sitting, exam, student, monkeypatch
):
    def no_drawing(**kwargs):
        raise AssertionError("the paper was drawn in advance")

    monkeypatch.setattr(attempts, "freeze_paper", no_drawing)
    client = APIClient()
    client.force_authenticate(student)
    response = client.post(f"/api/v1/exams/{exam.pk}/start/")
    assert response.status_code == 201, response.content
    paper = drawn_sitting.papers.get(student=student)
    assert paper.attempt_id == response.json()["id"]
    assert [q["position"] for q in response.json()["questions"]] == [
        row["position"] for row in paper.questions
    ]


def test_a_start_on_a_paper_drawn_in_advance_makes_a_fixed_number_of_queries(
    drawn_sitting, exam, student
):
    client = APIClient()
    client.force_authenticate(student)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/api/v1/exams/{exam.pk}/start/")
    assert response.status_code == 201, response.content
    assert len(queries) == PRE_DRAWN_START_QUERIES, "\n".join(
        q["sql"][:120] for q in queries.captured_queries
    )
