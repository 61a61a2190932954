"""An exam sitting under load, side by side: papers drawn in advance vs drawn on start.

gunicorn runs 2 × cores + 1 sync workers (BENCH_WEB_WORKERS to change) on PostgreSQL
with the Redis cache. For each variant one headless locust process starts
EXAM_LOAD_USERS students (default 1,000) at EXAM_LOAD_RATE per second (default 100, so
all start within 10 s; locust sends each second's 100 at once); each starts the level-1
exam (its answer carries the paper), autosaves one answer every 10 s, the first after a
random part of those 10 s, for EXAM_LOAD_SECONDS (default 300) and submits. Afterwards
every acknowledged save is compared with the database: the stored seq must be at least the
acknowledged one, and an equal seq must hold the acknowledged response.

The variants (EXAM_LOAD_VARIANTS, default both, in this order):
- on_start: today's path, an exam without sittings; each start draws its paper.
- pre_drawn: the students' cohort is admitted to a sitting whose papers one Celery worker
  (-c 1, as bin/serve runs it) draws in advance (exams.tasks.draw_sitting_papers); the
  sitting's start time then arrives and the same load runs: a start only opens the paper.
Each variant has its own students (and gunicorn); the exam is the same.

gunicorn starts with --preload, as bin/serve runs it: the app is imported and warmed once
(lms/warmup.py) before the workers fork, so the storm does not begin with each worker
paying its imports on its first request. A real sitting's servers are warm too: they have
been up (and answering) long before its start time.
"""

import csv
import json
import math
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import timedelta

from bench import stack
from bench.common import Row, setup_django
from bench.cpu_split import CpuSampler, describe

USERS = int(os.environ.get("EXAM_LOAD_USERS", "1000"))
RATE = int(os.environ.get("EXAM_LOAD_RATE", "100"))
SECONDS = int(os.environ.get("EXAM_LOAD_SECONDS", "300"))
VARIANTS = os.environ.get("EXAM_LOAD_VARIANTS", "on_start,pre_drawn").split(",")
SAVE_EVERY = 10
DRAW_TARGET_SECONDS = 60.0


@dataclass
class Outcome:
    """One variant's figures."""

    name: str
    stats: dict
    load: str
    requests: int
    failures: int
    checked: int
    missing: int
    submitted: int
    draw: str = ""  # pre_drawn: how the advance drawing went
    storm_cpu: str = ""  # cores used by each group of processes while the students arrive
    save_cpu: str = ""  # CPU per save by group once every student is in (steady saves)

    def pct(self, request: str, p: str) -> float:
        row = self.stats.get(request)
        return float(row[p]) if row and row[p] not in ("", "N/A") else float("inf")

    def count(self, request: str) -> int:
        row = self.stats.get(request)
        return int(row["Request Count"]) if row else 0

    @property
    def error_rate(self) -> float:
        return self.failures / self.requests * 100 if self.requests else 100.0


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


def _run_time() -> int:
    # + 90 s: starts queue behind each other when the server is saturated; each student
    # saves for SECONDS from its own start, then submits. Locust quits earlier once every
    # student has submitted.
    return math.ceil(USERS / RATE) + SECONDS + 2 * SAVE_EVERY + 90


def _locust(name: str, exam, users) -> Outcome:
    """The load on one variant's students; the figures of the run."""
    from bench import seed
    from exams.models import Attempt

    token_file = stack.VAR / f"exam_load_{name}_tokens.json"
    acked_file = stack.VAR / f"exam_load_{name}_acked.json"
    token_file.write_text(json.dumps(list(seed.tokens(users).values())))
    acked_file.unlink(missing_ok=True)
    csv_prefix = stack.VAR / f"exam_load_{name}"
    run_time = _run_time()
    env = stack.child_env(
        EXAM_LOAD_EXAM_ID=str(exam.pk),
        EXAM_LOAD_USERS=str(len(users)),
        EXAM_LOAD_SECONDS=str(SECONDS),
        EXAM_LOAD_SAVE_EVERY=str(SAVE_EVERY),
        EXAM_LOAD_TOKENS=str(token_file),
        EXAM_LOAD_ACKED=str(acked_file),
    )
    with stack.gunicorn() as server, CpuSampler(server.proc.pid) as sampler:
        load_before = stack.load_average()
        began = time.time()
        with open(stack.VAR / f"locust_{name}.log", "w") as log:
            subprocess.run(
                [
                    str(stack.VENV / "locust"),
                    "-f",
                    str(stack.ROOT / "bench" / "locustfile_exam.py"),
                    "--headless",
                    "-u",
                    str(len(users)),
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
    storm_cpu, save_cpu = _cpu_split(sampler, began, f"{csv_prefix}_stats_history.csv")
    stats = _stats(f"{csv_prefix}_stats.csv")
    checked, missing = _missing(json.loads(acked_file.read_text())["acked"])
    submitted = Attempt.objects.filter(
        exam=exam, student__in=users, status__in=[Attempt.Status.SUBMITTED, Attempt.Status.GRADED]
    ).count()
    total = stats["Aggregated"]
    return Outcome(
        name=name,
        stats=stats,
        load=f"{load_before} → {load_after}",
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        checked=checked,
        missing=missing,
        submitted=submitted,
        storm_cpu=storm_cpu,
        save_cpu=save_cpu,
    )


def _answered(history_path, moment: float) -> int:
    """Requests locust had answered by `moment` (its stats history, one row a second)."""
    answered = 0
    with open(history_path) as handle:
        for row in csv.DictReader(handle):
            try:
                if row["Name"] == "Aggregated" and float(row["Timestamp"]) <= moment:
                    answered = int(row["Total Request Count"])
            except (TypeError, ValueError):  # a row cut short when locust was stopped
                continue
    return answered


def _cpu_split(sampler: CpuSampler, began: float, history_path) -> tuple[str, str]:
    """(cores by group while the students arrive and make their first saves; CPU per save by
    group once every student is in and none submits yet, over the saves answered then)."""
    ramp = math.ceil(USERS / RATE)
    storm_end = began + ramp + SAVE_EVERY
    answered = _answered(history_path, storm_end)
    storm = describe(sampler.cores(began, storm_end))
    storm = f"t = 0–{ramp + SAVE_EVERY} s, {answered:,} requests answered: {storm}"
    # Starts queued behind a saturated server end late: begin two save periods after.
    quiet_from, quiet_to = ramp + 3 * SAVE_EVERY, SECONDS
    if quiet_to - quiet_from < SAVE_EVERY:
        return storm, "(run too short for a steady part)"
    t0, t1 = began + quiet_from, began + quiet_to
    saves = _answered(history_path, t1) - _answered(history_path, t0)
    if saves <= 0:
        return storm, "(no saves answered in the steady part)"
    cores = sampler.cores(t0, t1)
    ms = {g: cores[g] * (t1 - t0) / saves * 1000 for g in ("web", "postgres", "locust")}
    parts = f"web {ms['web']:.1f}, PostgreSQL {ms['postgres']:.1f}, locust {ms['locust']:.1f}"
    return storm, (
        f"t = {quiet_from}–{quiet_to} s, {saves:,} saves: {parts} = "
        f"{sum(ms.values()):.1f} ms per save (other processes {cores['other']:.2f} cores)"
    )


def _on_start(exam) -> Outcome:
    from bench import seed

    return _locust("on_start", exam, seed.students(USERS, prefix="bench-load"))


def _sitting_for_cohort(exam, users):
    """A cohort of `users` (active enrolments) admitted to a sitting of `exam` tomorrow."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from courses.models import Cohort, Course, Enrollment
    from exams.models import Sitting

    course = exam.course or Course.objects.order_by("pk").first()
    teacher = get_user_model().objects.get(username="teacher")
    cohort = Cohort.objects.create(course=course, name="Bench sitting cohort", teacher=teacher)
    Enrollment.objects.bulk_create(
        [Enrollment(student=user, course=course, cohort=cohort) for user in users],
        batch_size=500,
    )
    # Long enough for the run; late entry covers starts queued behind a saturated server.
    sitting = Sitting.objects.create(
        exam=exam,
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=math.ceil(_run_time() / 60) + 30,
        late_entry_minutes=30,
        place="Bench hall",
    )
    sitting.cohorts.add(cohort)
    return sitting


def _draw(sitting, timeout: float) -> tuple[float, int, str]:
    """Queue the site's drawing task; (seconds until the sitting says done, papers, status)."""
    from exams.models import Sitting, SittingPaper
    from exams.tasks import draw_sitting_papers

    started = time.perf_counter()
    draw_sitting_papers.delay(sitting.pk)
    status = ""
    while time.perf_counter() - started < timeout:
        status = Sitting.objects.filter(pk=sitting.pk).values_list("papers_status", flat=True)[0]
        if status in ("done", "failed"):
            break
        time.sleep(0.25)
    elapsed = time.perf_counter() - started
    return (
        elapsed,
        SittingPaper.objects.filter(sitting=sitting).exclude(questions=[]).count(),
        status,
    )


def _pre_drawn(exam) -> tuple[Outcome, float, int, str, int]:
    """(figures, drawing seconds, papers drawn, drawing status, starts opening a drawn paper)."""
    from django.utils import timezone

    from bench import seed
    from exams.models import Sitting, SittingPaper

    users = seed.students(USERS, prefix="bench-sitter")
    sitting = _sitting_for_cohort(exam, users)
    with stack.celery_worker(concurrency=1, log_name="celery_exam_load.log"):
        load = stack.load_average()
        seconds, drawn, status = _draw(sitting, timeout=max(300.0, USERS * 0.5))
        load = f"{load} → {stack.load_average()}"
    # The sitting's time arrives.
    Sitting.objects.filter(pk=sitting.pk).update(starts_at=timezone.now() - timedelta(seconds=5))
    outcome = _locust("pre_drawn", exam, users)
    outcome.draw = f"load {load}"
    opened = SittingPaper.objects.filter(sitting=sitting, attempt__isnull=False).exclude(
        questions=[]
    )
    return outcome, seconds, drawn, status, opened.count()


def _side_by_side(outcomes: list[Outcome]) -> str:
    def ms(o: Outcome, request: str, p: str) -> str:
        return f"{o.pct(request, p):,.0f} ms"

    lines = [
        "| " + " | ".join(["exam load, " + _config()] + [o.name for o in outcomes]) + " |",
        "|---" * (len(outcomes) + 1) + "|",
    ]
    for label, fn in [
        ("start p50", lambda o: ms(o, "start", "50%")),
        ("start p99", lambda o: ms(o, "start", "99%")),
        ("autosave p50", lambda o: ms(o, "save", "50%")),
        ("autosave p99", lambda o: ms(o, "save", "99%")),
        ("submit p99", lambda o: ms(o, "submit", "99%")),
        ("starts / saves", lambda o: f"{o.count('start'):,} / {o.count('save'):,}"),
        ("errors", lambda o: f"{o.failures}/{o.requests:,}"),
        ("acknowledged but missing", lambda o: f"{o.missing} of {o.checked:,}"),
        ("submitted", lambda o: f"{o.submitted:,}/{USERS:,}"),
        ("load average (1/5/15 min) before → after", lambda o: o.load),
        ("CPU while the students arrive (cores by process)", lambda o: o.storm_cpu),
        ("CPU per save once all are in (ms by process)", lambda o: o.save_cpu),
    ]:
        lines.append("| " + " | ".join([label] + [fn(o) for o in outcomes]) + " |")
    return "\n".join(lines)


def _config() -> str:
    workers = stack.web_workers()
    return f"{USERS:,} locust students × {SECONDS} s (-r {RATE}), {workers} gunicorn workers"


def _rows(o: Outcome, *, start_target_ms: float, zero_errors: bool) -> list[Row]:
    config = f"{o.name}: {_config()} (load {o.load})"
    errors_ok = o.failures == 0 if zero_errors else o.error_rate < 0.1
    return [
        Row(
            f"autosave p50 / p99, {config}",
            f"{o.pct('save', '50%'):.0f} / {o.pct('save', '99%'):.0f} ms over "
            f"{o.count('save'):,} saves",
            "p99 < 300 ms",
            o.pct("save", "99%") < 300,
        ),
        Row(
            f"exam start p50 / p99, {o.name}, same run",
            f"{o.pct('start', '50%'):.0f} / {o.pct('start', '99%'):.0f} ms over "
            f"{o.count('start'):,} starts, the paper in the answer "
            f"(submit p99 {o.pct('submit', '99%'):.0f} ms)",
            f"p99 < {start_target_ms:.0f} ms",
            o.pct("start", "99%") < start_target_ms and o.count("start") == USERS,
        ),
        Row(
            f"errors, {o.name}, same run",
            f"{o.failures}/{o.requests:,} = {o.error_rate:.3f} %; "
            f"{o.submitted:,}/{USERS:,} submitted",
            "0" if zero_errors else "< 0.1 %",
            errors_ok and o.submitted == USERS,
        ),
        Row(
            f"acknowledged saves missing from the database, {o.name}, same run",
            f"{o.missing} of {o.checked:,} (question, newest acked save) pairs",
            "0",
            o.missing == 0 and o.checked > 0,
        ),
    ]


def run() -> list[Row]:
    stack.ensure_database()
    setup_django()
    from bench import seed

    exam = seed.level1_exam()
    outcomes, rows = [], []
    # on_start first: once the exam has a sitting, only its candidates may start it.
    if "on_start" in VARIANTS:
        outcome = _on_start(exam)
        outcomes.append(outcome)
        rows += _rows(outcome, start_target_ms=2000, zero_errors=False)
    if "pre_drawn" in VARIANTS:
        outcome, seconds, drawn, status, opened = _pre_drawn(exam)
        outcomes.append(outcome)
        rows.append(
            Row(
                f"pre_drawn: {USERS:,} papers drawn in advance by 1 worker -c 1 prefork, "
                f"queued → sitting done ({outcome.draw})",
                f"{seconds:.1f} s, {drawn:,} drawn ({status}); {opened:,} starts opened a "
                f"drawn paper",
                f"< {DRAW_TARGET_SECONDS:.0f} s, all drawn and opened",
                status == "done"
                and drawn == USERS
                and opened == USERS
                and seconds < DRAW_TARGET_SECONDS,
            )
        )
        rows += _rows(outcome, start_target_ms=1000, zero_errors=True)
    table = _side_by_side(outcomes)
    (stack.VAR / "exam_load_side_by_side.md").write_text(table + "\n")
    print(table, flush=True)
    print(file=sys.stderr)
    return rows


if __name__ == "__main__":
    from bench.common import print_rows

    stack.apply_env()
    print_rows(run())
