"""Cohort issuance: N certificates rendered, signed, hashed and stored by 2 Celery workers.

The tuned path is the site's task (certificates.tasks.render_certificate); the
baseline is bench.naive_tasks.render_certificate_naive, on the same worker
(prefork, -c 2, prefetch 1). End to end: from queueing the first task until the
database records every certificate as rendered. N defaults to 1,000
(ISSUANCE_COUNT to change it; the row says which N was measured).
"""

import os
import time

from bench import stack
from bench.common import Row, setup_django

COUNT = int(os.environ.get("ISSUANCE_COUNT", "1000"))
CONCURRENCY = 2


def _reset(ids: list[int]) -> None:
    from certificates.models import Certificate
    from certificates.rendering import pdf_name, pdf_storage

    storage = pdf_storage()
    for serial in Certificate.objects.filter(pk__in=ids).values_list("serial", flat=True):
        storage.delete(pdf_name(serial))
    Certificate.objects.filter(pk__in=ids).update(
        render_state=Certificate.RenderState.PENDING,
        render_tries=0,
        pdf="",
        pdf_sha256="",
        credential_jwt="",
        rendered_at=None,
    )


def _issue(task, ids: list[int], timeout: float) -> tuple[float, int]:
    """Queue one task per certificate; seconds until all are recorded done, and how many are."""
    from certificates.models import Certificate

    _reset(ids)
    rows = Certificate.objects.filter(pk__in=ids)
    started = time.perf_counter()
    for certificate_id in ids:
        task.delay(certificate_id)
    done = 0
    while time.perf_counter() - started < timeout:
        done = rows.filter(render_state=Certificate.RenderState.DONE).count()
        if done >= len(ids) or rows.filter(render_state=Certificate.RenderState.FAILED).exists():
            break
        time.sleep(0.25)
    return time.perf_counter() - started, done


def run() -> list[Row]:
    stack.ensure_database()
    setup_django()
    from bench import seed
    from bench.naive_tasks import render_certificate_naive
    from certificates.keys import Purpose, active_key
    from certificates.tasks import render_certificate

    ids = seed.passed_certificates(COUNT)
    active_key(Purpose.CREDENTIAL), active_key(Purpose.PDF)
    timeout = max(600.0, COUNT * 1.0)
    load = []
    with stack.celery_worker(concurrency=CONCURRENCY):
        load.append(stack.load_average())
        tuned, tuned_done = _issue(render_certificate, ids, timeout)
        load.append(stack.load_average())
        naive, naive_done = _issue(render_certificate_naive, ids, timeout)
        load.append(stack.load_average())
    per_minute = tuned_done / tuned * 60
    ratio = (naive / naive_done) / (tuned / tuned_done) if tuned_done and naive_done else 0.0
    label = f"cohort issuance of {COUNT:,} certificates, 1 worker -c {CONCURRENCY} prefork"
    complete = tuned_done == COUNT and naive_done == COUNT
    return [
        Row(
            f"{label}, end to end (load {' / '.join(load)})",
            f"{tuned:.1f} s, {tuned_done} done = {per_minute:.0f}/min",
            f"≤ {COUNT * 75 / 1000:.0f} s (≥ 800/min), all {COUNT} done",
            complete and per_minute >= 800,
        ),
        Row(
            f"{label}, tuned task vs naive task (same workers, per certificate)",
            f"naive {naive:.1f} s ({naive_done} done) / tuned {tuned:.1f} s = {ratio:.2f} ×",
            "≥ 1.8 ×",
            complete and ratio >= 1.8,
        ),
    ]


if __name__ == "__main__":
    from bench.common import print_rows

    stack.apply_env()
    print_rows(run())
