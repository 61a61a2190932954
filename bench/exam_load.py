"""An exam sitting under load: locust students against gunicorn, then a check of every save.

gunicorn runs 2 × cores + 1 sync workers on PostgreSQL with the Redis cache. One
headless locust process starts EXAM_LOAD_USERS students (default 1,000) at
EXAM_LOAD_RATE per second (default 100, so all start within 10 s); each starts
the level-1 exam (its answer carries the paper), autosaves one answer every 10 s for
EXAM_LOAD_SECONDS (default 300) and submits. Afterwards every acknowledged save
is compared with the database: the stored seq must be at least the acknowledged
one, and an equal seq must hold the acknowledged response.
"""

import csv
import json
import math
import os
import subprocess

from bench import stack
from bench.common import Row, setup_django

USERS = int(os.environ.get("EXAM_LOAD_USERS", "1000"))
RATE = int(os.environ.get("EXAM_LOAD_RATE", "100"))
SECONDS = int(os.environ.get("EXAM_LOAD_SECONDS", "300"))
SAVE_EVERY = 10


def _stats(path) -> dict[str, dict]:
    with open(path) as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def _missing(acked: dict) -> tuple[int, int]:
    """(acknowledged saves checked, acknowledged saves the database does not hold)."""
    from exams.models import AttemptQuestion

    keys = {tuple(map(int, key.split(":"))): value for key, value in acked.items()}
    stored = {}
    attempt_ids = {attempt for attempt, _ in keys}
    rows = AttemptQuestion.objects.filter(attempt_id__in=attempt_ids).values_list(
        "attempt_id", "position", "response_seq", "response"
    )
    for attempt_id, position, seq, response in rows.iterator(chunk_size=2000):
        stored[(attempt_id, position)] = (seq, response)
    missing = 0
    for key, (seq, response) in keys.items():
        found = stored.get(key)
        if found is None or found[0] < seq or (found[0] == seq and found[1] != response):
            missing += 1
    return len(keys), missing


def run() -> list[Row]:
    stack.ensure_database()
    setup_django()
    from bench import seed
    from exams.models import Attempt

    exam = seed.level1_exam()
    users = seed.students(USERS, prefix="bench-load")
    token_file = stack.VAR / "exam_load_tokens.json"
    acked_file = stack.VAR / "exam_load_acked.json"
    token_file.write_text(json.dumps(list(seed.tokens(users).values())))
    acked_file.unlink(missing_ok=True)
    csv_prefix = stack.VAR / "exam_load"
    # + 90 s: starts queue behind each other when the server is saturated; each student
    # saves for SECONDS from its own start, then submits.
    run_time = math.ceil(USERS / RATE) + SECONDS + 2 * SAVE_EVERY + 90
    env = stack.child_env(
        EXAM_LOAD_EXAM_ID=str(exam.pk),
        EXAM_LOAD_SECONDS=str(SECONDS),
        EXAM_LOAD_SAVE_EVERY=str(SAVE_EVERY),
        EXAM_LOAD_TOKENS=str(token_file),
        EXAM_LOAD_ACKED=str(acked_file),
    )
    with stack.gunicorn():
        load_before = stack.load_average()
        with open(stack.VAR / "locust.log", "w") as log:
            subprocess.run(
                [
                    str(stack.VENV / "locust"),
                    "-f",
                    str(stack.ROOT / "bench" / "locustfile_exam.py"),
                    "--headless",
                    "-u",
                    str(USERS),
                    "-r",
                    str(RATE),
                    "--run-time",
                    f"{run_time}s",
                    "--stop-timeout",
                    "10",
                    "--host",
                    stack.BASE,
                    "--csv",
                    str(csv_prefix),
                    "--only-summary",
                    "--exit-code-on-error",
                    "0",
                ],
                cwd=stack.ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=run_time + 120,
                check=True,
            )
        load_after = stack.load_average()
    stats = _stats(f"{csv_prefix}_stats.csv")
    result = json.loads(acked_file.read_text())
    checked, missing = _missing(result["acked"])
    submitted = Attempt.objects.filter(
        exam=exam, student__in=users, status__in=[Attempt.Status.SUBMITTED, Attempt.Status.GRADED]
    ).count()
    total = stats["Aggregated"]
    requests, failures = int(total["Request Count"]), int(total["Failure Count"])
    error_rate = failures / requests * 100 if requests else 100.0

    def p99(name: str) -> float:
        return float(stats[name]["99%"]) if name in stats else float("inf")

    def count(name: str) -> int:
        return int(stats[name]["Request Count"]) if name in stats else 0

    config = (
        f"{USERS:,} locust students × {SECONDS} s (-r {RATE}), "
        f"{stack.web_workers()} gunicorn workers (load {load_before} → {load_after})"
    )
    return [
        Row(
            f"autosave p99, {config}",
            f"{p99('save'):.0f} ms over {count('save'):,} saves",
            "< 300 ms",
            p99("save") < 300,
        ),
        Row(
            f"exam start p99, {config}",
            f"{p99('start'):.0f} ms over {count('start'):,} starts, the paper in the answer "
            f"(submit p99 {p99('submit'):.0f} ms)",
            "< 2000 ms",
            p99("start") < 2000 and count("start") == USERS,
        ),
        Row(
            f"errors, {config}",
            f"{failures}/{requests:,} = {error_rate:.3f} %; {submitted:,}/{USERS:,} submitted",
            "< 0.1 %",
            error_rate < 0.1 and submitted == USERS,
        ),
        Row(
            f"acknowledged saves missing from the database, {config}",
            f"{missing} of {checked:,} (question, newest acked save) pairs",
            "0",
            missing == 0 and checked > 0,
        ),
    ]


if __name__ == "__main__":
    from bench.common import print_rows

    stack.apply_env()
    print_rows(run())
