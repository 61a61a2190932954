"""The attempt page, the attempt API and submit cost the same queries for 10 or 100 questions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exams import services

from .conftest import build_exam


@pytest.fixture
def as_student(client, student):
    client.force_login(student)
    return client


def _attempt_with_answers(student, *, school, government, questions: int):
    exam = build_exam(school=school, government=government, theory=questions, practicals=0)
    attempt = services.attempt_start(student=student, exam=exam)
    for question in attempt.questions.all()[::2]:
        services.answer_save(
            attempt=attempt,
            position=question.position,
            response={"choice": question.content["options"][0]["id"]},
            seq=1,
            flagged=question.position % 3 == 0,
        )
    return attempt


def _queries(client, method: str, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        response = getattr(client, method)(url)
    assert response.status_code in (200, 302)
    return [q["sql"] for q in context.captured_queries]


def test_the_attempt_page_api_and_submit_cost_the_same_for_10_and_100_questions(
    as_student, student, school, government
):
    counts = {}
    for size in (10, 100):
        attempt = _attempt_with_answers(
            student, school=school, government=government, questions=size
        )
        as_student.get(attempt.get_absolute_url())  # warm the session and caches
        counts[size] = {
            "page": len(_queries(as_student, "get", attempt.get_absolute_url())),
            "api": len(
                _queries(as_student, "get", reverse("exams_api:attempt", args=[attempt.pk]))
            ),
            "submit": len(
                _queries(as_student, "post", reverse("exams_api:submit", args=[attempt.pk]))
            ),
        }
    assert counts[10] == counts[100], counts


def test_the_attempt_page_never_loads_the_answer_key(as_student, student, school, government):
    attempt = _attempt_with_answers(student, school=school, government=government, questions=10)
    for sql in _queries(as_student, "get", attempt.get_absolute_url()) + _queries(
        as_student, "get", reverse("exams_api:attempt", args=[attempt.pk])
    ):
        assert '"key"' not in sql and '"feedback"' not in sql, sql


def test_starting_costs_the_same_for_10_and_100_questions(student, school, government):
    counts = {}
    for size in (10, 100):
        exam = build_exam(school=school, government=government, theory=size, practicals=0)
        with CaptureQueriesContext(connection) as context:
            attempt = services.attempt_start(student=student, exam=exam)
        assert attempt.questions.count() == size
        counts[size] = len(context.captured_queries)
    assert counts[10] == counts[100], counts


def test_an_applied_autosave_does_not_read_its_row_back(student, school, government):
    exam = build_exam(school=school, government=government, theory=4, practicals=0)
    attempt = services.attempt_start(student=student, exam=exam)
    with CaptureQueriesContext(connection) as context:
        question, applied = services.answer_save(
            attempt=attempt, position=1, response={"choice": "b"}, seq=1
        )
    stored = attempt.questions.get(position=1)
    assert applied and (question.response, question.response_seq) == (stored.response, 1)
    assert question.saved_at == stored.saved_at
    assert len(context.captured_queries) == 2  # the question, then the conditional UPDATE
