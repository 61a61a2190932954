"""In-process CPU of one warm start on a paper drawn in advance, and of one autosave.

Not a load test: one process sends the requests of issue 13's storm one after another
through the whole Django stack (middleware, DRF token authentication and throttles, the
view, the serializer) with Django's test client, on the bench's PostgreSQL database and
Redis cache, and reports per request the CPU time of this process (Django) and the wall
time (Django plus PostgreSQL and Redis round trips). PROFILE=1 adds a cProfile of the
starts (var/bench/start_cost.prof, top functions printed).

    BENCH_DB_NAME=cbec_i13s_prof BENCH_REDIS_DBS=15,15 BENCH_KEEP_DB=1 \
        .venv/bin/python -m bench.start_cost

START_COST_USERS (default 200) students; START_COST_REUSE=1 keeps the database a previous
run left (BENCH_KEEP_DB=1) instead of creating it afresh.
"""

import os
import statistics
import sys
import time
from datetime import timedelta

from bench import stack
from bench.common import setup_django

USERS = int(os.environ.get("START_COST_USERS", "200"))


def _prepare(users_prefix: str):
    from django.utils import timezone

    from bench import seed
    from bench.exam_load import _sitting_for_cohort
    from exams.models import Sitting
    from exams.services.sittings import draw_papers

    exam = seed.level1_exam()
    users = seed.students(USERS, prefix=users_prefix)
    sitting = _sitting_for_cohort(exam, users)
    draw_papers(sitting.pk)
    Sitting.objects.filter(pk=sitting.pk).update(starts_at=timezone.now() - timedelta(seconds=5))
    return exam, users, seed.tokens(users)


def _answerable(questions: list[dict], n: int) -> tuple[dict, dict]:
    """A question locust's students answer too (choice or true/false) and an answer to it."""
    for question in questions:
        options = [o["id"] for o in (question.get("content") or {}).get("options", [])]
        if question["kind"] == "single_choice" and options:
            return question, {"choice": options[n % len(options)]}
        if question["kind"] == "true_false":
            return question, {"value": n % 2 == 0}
    raise LookupError("no choice or true/false question in the paper")


def _summary(label: str, cpu: list[float], wall: list[float]) -> str:
    def ms(xs, q):
        xs = sorted(xs)
        return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000

    return (
        f"{label}: n={len(cpu)} CPU median {statistics.median(cpu) * 1000:.1f} ms "
        f"(p90 {ms(cpu, 0.9):.1f}), wall median {statistics.median(wall) * 1000:.1f} ms "
        f"(p90 {ms(wall, 0.9):.1f})"
    )


def run() -> None:
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client

    prefix = f"cost-{int(time.time())}"
    exam, users, tokens = _prepare(prefix)
    client = Client()
    if os.environ.get("WARM") == "1":  # as a gunicorn worker booted from lms.wsgi is
        from lms.wsgi import application  # noqa: F401  (importing it warms this process)
    # The process's first request pays the imports and URL resolver: measured apart.
    first = True
    starts_cpu, starts_wall, attempts = [], [], []
    profile = cProfile.Profile() if os.environ.get("PROFILE") == "1" else None
    for user in users:
        auth = {"HTTP_AUTHORIZATION": f"Token {tokens[user.pk]}"}
        c0, w0 = time.process_time(), time.perf_counter()
        if profile and not first:
            profile.enable()
        response = client.post(f"/api/v1/exams/{exam.pk}/start/", **auth)
        if profile:
            profile.disable()
        c1, w1 = time.process_time(), time.perf_counter()
        assert response.status_code == 201, response.content[:300]
        body = response.json()
        attempts.append((auth, body["id"], body["questions"]))
        if first:
            print(f"first start: CPU {(c1 - c0) * 1000:.0f} ms, wall {(w1 - w0) * 1000:.0f} ms")
            first = False
            continue
        starts_cpu.append(c1 - c0)
        starts_wall.append(w1 - w0)
    print(_summary("start (pre-drawn)", starts_cpu, starts_wall))
    if profile:
        profile.dump_stats(stack.VAR / "start_cost.prof")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
    saves_cpu, saves_wall = [], []
    save_profile = cProfile.Profile() if os.environ.get("PROFILE") == "1" else None
    for seq in (1, 2):
        for auth, attempt_id, questions in attempts:
            question, response = _answerable(questions, seq)
            body = {"seq": seq, "response": response}
            url = f"/api/v1/attempts/{attempt_id}/answers/{question['position']}/"
            c0, w0 = time.process_time(), time.perf_counter()
            if save_profile:
                save_profile.enable()
            response = client.put(url, body, content_type="application/json", **auth)
            if save_profile:
                save_profile.disable()
            c1, w1 = time.process_time(), time.perf_counter()
            assert response.status_code == 200 and response.json()["applied"], response.content
            saves_cpu.append(c1 - c0)
            saves_wall.append(w1 - w0)
    print(_summary("autosave", saves_cpu, saves_wall))
    # The floor under both: a token-authenticated, throttled API call reading one row.
    clock_cpu, clock_wall = [], []
    for auth, attempt_id, _questions in attempts:
        c0, w0 = time.process_time(), time.perf_counter()
        response = client.get(f"/api/v1/attempts/{attempt_id}/clock/", **auth)
        c1, w1 = time.process_time(), time.perf_counter()
        assert response.status_code == 200, response.content
        clock_cpu.append(c1 - c0)
        clock_wall.append(w1 - w0)
    print(_summary("clock (auth, throttle, one query)", clock_cpu, clock_wall))
    if save_profile:
        pstats.Stats(save_profile).sort_stats("cumulative").print_stats(35)
    connection.close()


if __name__ == "__main__":
    if os.environ.get("START_COST_REUSE") == "1":
        stack.apply_env()
    else:
        stack.ensure_database()
    setup_django()
    sys.stdout.reconfigure(line_buffering=True)
    run()
