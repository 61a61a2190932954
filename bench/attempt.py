"""An attempt with 100 questions against one with 10, every question kind mixed in:
starting (the paper drawn and frozen), the page, the paper API and submit.

In process with Django's test client on the cbec_bench PostgreSQL database:
the same number of queries (CaptureQueriesContext) whatever the paper's
length, and at most 3 × the time (medians, the two sizes interleaved).
"""

import copy
import os
import time

from bench import stack
from bench.common import Row, median_ms, setup_django

RUNS = int(os.environ.get("ATTEMPT_RUNS", "15"))
SIZES = (10, 100)


def _exam(size: int, bank, school):
    from exams.models import BlueprintRule, Exam, ExamSection

    exam = Exam.objects.create(
        title_en=f"Bench exam, {size} questions",
        title_zh=f"基准考试（{size} 题）",
        organization=school,
        time_limit_minutes=120,
        attempts_allowed=1000,
        attempt_delay_minutes=0,
        is_published=True,
    )
    exam.banks.add(bank)
    section = ExamSection.objects.create(exam=exam, part=ExamSection.Part.THEORY, position=1)
    # Any kind: the paper mixes every kind the bank holds, always with one task a person
    # marks (without one, a submit also finalises the result: a different, not a longer, path).
    BlueprintRule.objects.create(
        section=section, competency="bench", difficulty=1, kind="practical", count=1
    )
    BlueprintRule.objects.create(
        section=section, competency="bench", difficulty=1, kind="", count=size - 1
    )
    return exam


def _bank(school, teacher):
    """A bank of 100+ questions of every kind in turn (the demo's question of each kind)."""
    from exams import kinds, services
    from exams.models import QuestionBank
    from lms.demo.exam_content import LM_QUESTIONS, PO_QUESTIONS

    bank = QuestionBank.objects.create(organization=school, name="Bench bank, every kind")
    by_kind = {}
    for question in PO_QUESTIONS + LM_QUESTIONS:
        by_kind.setdefault(question["kind"], question)
    missing = set(kinds.REGISTRY) - set(by_kind)
    assert not missing, f"no demo question of kind {missing}"
    templates = [by_kind[name] for name in kinds.REGISTRY]
    for i in range(max(SIZES) + 10):
        data = copy.deepcopy(templates[i % len(templates)])
        data.update(competency="bench", difficulty=1, title=f"{data['title']} #{i}")
        services.question_create(bank=bank, data=data, by=teacher)
    return bank


WRITTEN = {"text": "A written answer for the markers."}


def _answer(attempt) -> None:
    """The key's answer to every question, and a written answer to every task people mark.

    An essay's or a practical task's key response is empty, and an unanswered task needs
    no marker: a paper that drew no listing would then finalise its result at submit,
    another path with other queries. Answered, every paper takes the marking path.
    """
    from exams import grading, services

    for question in attempt.questions.select_related("version__question"):
        version, kind = question.version, question.version.question.kind
        try:
            response = grading.key_response(kind, question.content, version.key)
        except ValueError:
            continue  # a kind with no automatic answer stays unanswered
        if kind in grading.MANUAL_KINDS and not grading.is_answered(response):
            response = WRITTEN
        services.answer_save(attempt=attempt, position=question.position, response=response, seq=1)


def _measure(client, method: str, url: str) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = getattr(client, method)(url)
        elapsed = time.perf_counter() - started
    return elapsed, len(queries), response.status_code


def run() -> list[Row]:
    stack.ensure_database()
    setup_django()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench import seed
    from exams.models import Exam

    User = get_user_model()
    level1 = seed.level1_exam()
    school = level1.organization
    teacher = User.objects.get(username="teacher")
    bank = _bank(school, teacher)
    exams = {size: _exam(size, bank, school) for size in SIZES}
    [student] = seed.students(1, prefix="bench-attempt")
    client = Client()
    client.force_login(student)
    from exams.models import Attempt

    names = ("start", "page", "paper", "submit")
    results = {name: {size: [] for size in SIZES} for name in names}
    queries = {name: {size: set() for size in SIZES} for name in results}
    statuses = set()
    for _ in range(RUNS + 1):  # the first round warms up and is dropped
        for size in SIZES:
            exam = Exam.objects.get(pk=exams[size].pk)
            elapsed, count, status = _measure(client, "post", f"/api/v1/exams/{exam.pk}/start/")
            results["start"][size].append(elapsed)
            queries["start"][size].add(count)
            statuses.add(status)
            attempt = Attempt.objects.filter(student=student, exam=exam).in_progress().get()
            _answer(attempt)
            for name, method, url in (
                ("page", "get", f"/exams/attempts/{attempt.pk}/"),
                ("paper", "get", f"/api/v1/attempts/{attempt.pk}/"),
                ("submit", "post", f"/api/v1/attempts/{attempt.pk}/submit/"),
            ):
                elapsed, count, status = _measure(client, method, url)
                results[name][size].append(elapsed)
                queries[name][size].add(count)
                statuses.add(status)
    assert statuses <= {200, 201}, statuses
    rows = []
    small, big = SIZES
    labels = {
        "start": "start: draw and freeze the paper (POST API)",
        "page": "attempt page (HTML)",
        "paper": "attempt paper (GET API)",
        "submit": "submit and grade (POST API)",
    }
    for name, label in labels.items():
        t_small = median_ms(results[name][small][1:])
        t_big = median_ms(results[name][big][1:])
        q_small, q_big = queries[name][small], queries[name][big]
        ratio = t_big / t_small
        same = len(q_small) == 1 and q_small == q_big
        rows.append(
            Row(
                f"{label}, {big} vs {small} questions of every kind "
                f"(median of {RUNS}, test client, load {stack.load_average()})",
                f"queries {sorted(q_big)} vs {sorted(q_small)}; "
                f"{t_big:.1f} vs {t_small:.1f} ms = {ratio:.2f} ×",
                "same queries, ≤ 3 ×",
                same and ratio <= 3,
            )
        )
    return rows


if __name__ == "__main__":
    from bench.common import print_rows

    stack.apply_env()
    print_rows(run())
