"""Twenty requests at once: one attempt started, one grading at submission.

Real threads, each with its own database connection, released together by a
barrier, on PostgreSQL: the partial unique constraint settles parallel starts,
the row lock plus the conditional update settles parallel submits.
"""

import threading
from collections import Counter

import pytest
from django.db import connections

from certificates import issuance
from certificates.models import Certificate
from exams import services
from exams.models import Attempt, AttemptQuestion
from exams.services import attempts as attempts_module
from exams.signals import attempt_result_changed
from tests.exams.conftest import build_exam
from tests.faults.seed import correct_response

pytestmark = [pytest.mark.faults, pytest.mark.postgres]

CALLERS = 20


def all_at_once(call, count: int = CALLERS) -> list:
    """Run `call()` in `count` threads released together; their results, or the first error."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a caller is stuck"
    if errors:
        raise errors[0]
    return results


@pytest.fixture
def no_render(monkeypatch) -> list[int]:
    """Renders are not this test's subject: record them instead of rendering in-process."""
    queued: list[int] = []
    monkeypatch.setattr(issuance.render_certificate, "delay", queued.append)
    return queued


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_starts_make_one_attempt(student, school, government, monkeypatch):
    exam = build_exam(school=school, government=government, practicals=0)
    creating = Counter()
    lock = threading.Lock()
    create = attempts_module._create_attempt

    def counting_create(**kwargs):
        with lock:
            creating["calls"] += 1
        return create(**kwargs)

    monkeypatch.setattr(attempts_module, "_create_attempt", counting_create)

    attempts = all_at_once(lambda: services.attempt_start(student=student, exam=exam))

    assert Attempt.objects.filter(student=student, exam=exam).count() == 1
    attempt = Attempt.objects.get(student=student, exam=exam)
    assert {a.pk for a in attempts} == {attempt.pk}
    # The losers' papers were rolled back with their attempts: one paper, no orphans.
    assert AttemptQuestion.objects.count() == attempt.questions.count() == 4
    # The race happened: several callers tried to create it (the losers hit the constraint).
    assert creating["calls"] > 1


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_submits_grade_the_attempt_once(
    student, school, government, monkeypatch, no_render
):
    exam = build_exam(school=school, government=government, practicals=0)
    attempt = services.attempt_start(student=student, exam=exam)
    for question in attempt.questions.select_related("version__question"):
        services.answer_save(
            attempt=attempt, position=question.position, response=correct_response(question), seq=1
        )

    gradings: Counter = Counter()
    lock = threading.Lock()
    finalize = attempts_module._finalize

    def counting_finalize(graded, questions, *, now):
        with lock:
            gradings[graded.pk] += 1
        return finalize(graded, questions, now=now)

    monkeypatch.setattr(attempts_module, "_finalize", counting_finalize)
    results_heard: list[int] = []

    def heard(sender, attempt, **kwargs):
        with lock:
            results_heard.append(attempt.pk)

    attempt_result_changed.connect(heard, dispatch_uid="faults-heard")
    try:
        submitted = all_at_once(lambda: services.attempt_submit(attempt=attempt))
    finally:
        attempt_result_changed.disconnect(dispatch_uid="faults-heard")

    attempt.refresh_from_db()
    assert gradings == Counter({attempt.pk: 1})
    assert results_heard == [attempt.pk]
    assert attempt.status == Attempt.Status.GRADED and attempt.passed
    assert {s.pk for s in submitted} == {attempt.pk}
    assert {s.submitted_at for s in submitted} == {attempt.submitted_at}
    assert Certificate.objects.filter(attempt=attempt).count() == 1
    assert no_render == [Certificate.objects.get(attempt=attempt).pk]
