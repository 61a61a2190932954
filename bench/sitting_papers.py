"""Papers drawn in advance: one sitting of N candidates, drawn by one Celery worker.

The site's task (exams.tasks.draw_sitting_papers) on one prefork worker (-c 1, prefetch 1,
as bin/serve runs it), the level-1 exam of the demo. End to end: from queueing the task
until the sitting records every candidate's paper drawn (the progress the sitting page
shows). N defaults to 1,000 (SITTING_PAPERS_COUNT to change it; the row says which N).
"""

import os
import time
from datetime import timedelta

from bench import stack
from bench.common import Row, setup_django

COUNT = int(os.environ.get("SITTING_PAPERS_COUNT", "1000"))
TARGET_SECONDS = 60.0


def _sitting(users):
    from django.utils import timezone

    from bench import seed
    from exams.models import Sitting

    sitting = Sitting.objects.create(
        exam=seed.level1_exam(),
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=90,
        place="Bench hall",
    )
    through = Sitting.candidates.through
    through.objects.bulk_create(
        [through(sitting_id=sitting.pk, user_id=user.pk) for user in users], batch_size=500
    )
    return sitting


def _draw(sitting, timeout: float) -> tuple[float, int, int, str]:
    """Queue the drawing; (seconds until done, papers drawn, progress reads seen, status)."""
    from exams.models import Sitting, SittingPaper
    from exams.tasks import draw_sitting_papers

    SittingPaper.objects.filter(sitting=sitting).delete()
    started = time.perf_counter()
    draw_sitting_papers.delay(sitting.pk)
    progress = set()
    status = ""
    while time.perf_counter() - started < timeout:
        status, drawn = Sitting.objects.filter(pk=sitting.pk).values_list(
            "papers_status", "papers_drawn"
        )[0]
        progress.add(drawn)
        if status in ("done", "failed"):
            break
        time.sleep(0.25)
    elapsed = time.perf_counter() - started
    return elapsed, SittingPaper.objects.filter(sitting=sitting).count(), len(progress), status


def run() -> list[Row]:
    stack.ensure_database()
    setup_django()
    from bench import seed

    sitting = _sitting(seed.students(COUNT, prefix="bench-sitter"))
    load = []
    with stack.celery_worker(concurrency=1):
        load.append(stack.load_average())
        seconds, drawn, steps, status = _draw(sitting, timeout=max(300.0, COUNT * 0.5))
        load.append(stack.load_average())
    per_second = drawn / seconds if seconds else 0.0
    return [
        Row(
            f"sitting of {COUNT:,} candidates, papers drawn in advance by 1 worker -c 1 "
            f"prefork, end to end (load {' / '.join(load)})",
            f"{seconds:.1f} s, {drawn} drawn ({per_second:.0f}/s, {status}), "
            f"{steps} progress values seen",
            f"< {TARGET_SECONDS:.0f} s, all {COUNT} drawn",
            status == "done" and drawn == COUNT and seconds < TARGET_SECONDS,
        )
    ]


if __name__ == "__main__":
    from bench.common import print_rows

    stack.apply_env()
    print_rows(run())
