"""The attempt page, the attempt API and submit cost the same queries for 10 or 100 questions."""

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exams import grading, kinds, services
from exams.models import BlueprintRule, Exam, ExamSection, QuestionBank
from lms.demo.exam_content import LM_QUESTIONS, PO_QUESTIONS

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


def _exam_of_every_kind(*, bank, school, size: int) -> Exam:
    """`size` questions drawn from a bank of every kind, one of them a practical task."""
    exam = Exam.objects.create(
        title_en=f"Every kind, {size} questions",
        title_zh=f"全题型（{size} 题）",
        organization=school,
        attempts_allowed=10,
        is_published=True,
    )
    exam.banks.add(bank)
    section = ExamSection.objects.create(exam=exam, part="theory", position=1)
    BlueprintRule.objects.create(
        section=section, competency="mixed", difficulty=1, kind="practical", count=1
    )
    BlueprintRule.objects.create(
        section=section, competency="mixed", difficulty=1, kind="", count=size - 1
    )
    return exam


def _bank_of_every_kind(*, school, teacher, questions: int) -> QuestionBank:
    """The demo's question of each of the twelve kinds, in turn, `questions` times."""
    by_kind = {}
    for data in PO_QUESTIONS + LM_QUESTIONS:
        by_kind.setdefault(data["kind"], data)
    assert set(by_kind) >= set(kinds.REGISTRY)
    bank = QuestionBank.objects.create(organization=school, name="Every kind")
    for n in range(questions):
        data = copy.deepcopy(by_kind[list(kinds.REGISTRY)[n % len(kinds.REGISTRY)]])
        data.update(competency="mixed", difficulty=1, title=f"{data['title']} #{n}")
        services.question_create(bank=bank, data=data, by=teacher)
    return bank


def _answer_everything(attempt) -> None:
    """The key's answer to each question; a written answer to each task people mark."""
    for question in attempt.questions.select_related("version__question"):
        kind = question.kind
        response = grading.key_response(kind, question.content, question.version.key)
        if kind in grading.MANUAL_KINDS and not grading.is_answered(response):
            response = {"text": "A written answer for the markers."}
        services.answer_save(attempt=attempt, position=question.position, response=response, seq=1)


@pytest.mark.usefixtures("marketplace_rules")
def test_starting_and_submitting_every_kind_costs_the_same_for_10_and_100_questions(
    as_student, student, teacher, school
):
    bank = _bank_of_every_kind(school=school, teacher=teacher, questions=110)
    counts = {}
    for size in (10, 100, 10):
        exam = _exam_of_every_kind(bank=bank, school=school, size=size)
        url = reverse("exams_api:start", args=[exam.pk])
        with CaptureQueriesContext(connection) as start:
            response = as_student.post(url)
        assert response.status_code == 201, response.content
        attempt = exam.attempts.get(student=student)
        assert len(response.json()["questions"]) == attempt.questions.count() == size
        assert len({q.kind for q in attempt.questions.all()}) > 1
        _answer_everything(attempt)
        submit = _queries(as_student, "post", reverse("exams_api:submit", args=[attempt.pk]))
        attempt.refresh_from_db()
        assert attempt.status == attempt.Status.SUBMITTED  # people mark the written tasks
        counts.setdefault(size, set()).add((len(start.captured_queries), len(submit)))
    assert counts[10] == counts[100] and len(counts[10]) == 1, counts


def test_submit_reads_the_student_and_the_exam_with_the_locked_attempt(student, school, government):
    """Grading and the listeners (learning records, notices) read the student, the exam, its
    level and standard: they come with the attempt, not one query each (a sitting's
    candidates submit together)."""
    attempt = _attempt_with_answers(student, school=school, government=government, questions=10)
    attempt = type(attempt).objects.get(pk=attempt.pk)  # nothing cached
    with CaptureQueriesContext(connection) as context:
        submitted = services.attempt_submit(attempt=attempt)
    assert submitted.status == "graded" and submitted.submitted_at is not None
    alone = [
        q["sql"]
        for q in context.captured_queries
        if q["sql"].startswith("SELECT")
        and any(
            f'FROM "{table}"' in q["sql"]
            for table in ("auth_user", "exams_exam", "exams_skilllevel", "exams_skillstandard")
        )
    ]
    assert alone == [], alone
    reread = type(attempt).objects.get(pk=attempt.pk)
    assert (reread.status, reread.submitted_at) == (submitted.status, submitted.submitted_at)
