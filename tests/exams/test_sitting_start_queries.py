"""Starting in a sitting whose papers were drawn in advance only opens the paper: it draws
nothing and its queries are counted (the start storm of a 1,000-candidate sitting)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from exams import tasks
from exams.models import Accommodation, Attempt, Exam, SittingPaper
from exams.services import attempts, overrides, sittings
from tests.exams.test_sittings import in_cohort, make_sitting

pytestmark = pytest.mark.django_db

# exam (with its level and standard, and whether it has overrides); the student's attempts
# at it (open one, attempts used, next number); the sitting; their seat (used? the paper
# drawn); accreditation; [savepoint]; accommodation; insert attempt; insert its questions;
# take the seat (conditional UPDATE); [release]. The answer's paper comes from the rows just
# inserted. An exam with overrides adds one: the candidate's terms.
PRE_DRAWN_START_QUERIES = 11


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


def test_an_exam_with_overrides_reads_the_candidates_terms_at_start(
    drawn_sitting, exam, student, teacher
):
    """Without overrides the start skips the terms query; with one, it reads and applies it."""
    overrides.override_set(
        exam=exam, student=student, time_limit_minutes=120, reason="Slow reader", actor=teacher
    )
    client = APIClient()
    client.force_authenticate(student)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/api/v1/exams/{exam.pk}/start/")
    assert response.status_code == 201, response.content
    assert len(queries) == PRE_DRAWN_START_QUERIES + 1
    attempt = Attempt.objects.get(pk=response.json()["id"])
    assert attempt.deadline == drawn_sitting.starts_at + timedelta(minutes=120)


def test_terms_of_an_exam_flagged_without_overrides_need_no_query(
    exam, student, django_assert_num_queries
):
    flagged = Exam.objects.with_override_flag().get(pk=exam.pk)
    assert flagged.has_overrides is False
    with django_assert_num_queries(0):
        terms = overrides.terms_for(exam=flagged, student=student)
    assert terms == overrides.terms_for(exam=exam, student=student)
    assert not terms.overridden


def test_a_pre_drawn_start_answers_the_paper_as_the_attempt_reads_back(
    drawn_sitting, exam, student
):
    """The start's paper is built from the drawn rows, not read back: it must be exactly
    what GET /attempts/{id}/ shows, and the deadline the sitting's (with extra time)."""
    Accommodation.objects.create(
        sitting=drawn_sitting, student=student, extra_percent=25, reason="Dyslexia"
    )
    client = APIClient()
    client.force_authenticate(student)
    started = client.post(f"/api/v1/exams/{exam.pk}/start/").json()
    again = client.get(f"/api/v1/attempts/{started['id']}/").json()
    assert started["questions"] == again["questions"]
    assert len(started["questions"]) == 5
    assert {q["kind"] for q in started["questions"]} == {"single_choice", "practical"}
    assert all(q["text"] for q in started["questions"])
    attempt = Attempt.objects.get(pk=started["id"])
    expected = drawn_sitting.starts_at + timedelta(minutes=90 * 1.25)
    assert attempt.deadline == expected
    assert started["deadline"] == again["deadline"]
    assert attempt.number == 1
    # A second start resumes the same attempt and does not take another seat.
    resumed = client.post(f"/api/v1/exams/{exam.pk}/start/").json()
    assert resumed["id"] == started["id"]
    assert resumed["questions"] == again["questions"]


def test_a_start_on_a_paper_drawn_before_rows_kept_kind_and_text_reads_the_paper_back(
    drawn_sitting, exam, student
):
    paper = SittingPaper.objects.get(sitting=drawn_sitting, student=student)
    paper.questions = [
        {k: v for k, v in row.items() if k not in ("kind", "text")} for row in paper.questions
    ]
    paper.save(update_fields=["questions"])
    client = APIClient()
    client.force_authenticate(student)
    started = client.post(f"/api/v1/exams/{exam.pk}/start/").json()
    again = client.get(f"/api/v1/attempts/{started['id']}/").json()
    assert started["questions"] == again["questions"]
    assert [q["position"] for q in started["questions"]] == [1, 2, 3, 4, 5]


def test_a_seat_taken_by_a_parallel_start_is_not_taken_twice(drawn_sitting, exam, student):
    stale = sittings.seat(drawn_sitting, student)  # read before the other start took it
    first = attempts.attempt_start(student=student, exam=exam)
    # Submitted: a second attempt could be inserted; only the seat's UPDATE refuses it.
    attempts.attempt_submit(attempt=first)
    with pytest.raises(IntegrityError, match="parallel start"), transaction.atomic():
        sittings.open_paper(
            sitting=drawn_sitting,
            student=student,
            exam=exam,
            now=timezone.now(),
            paper=stale,
            number=2,
        )
    assert SittingPaper.objects.get(pk=stale.pk).attempt_id == first.pk
    assert Attempt.objects.filter(student=student, exam=exam).count() == 1
