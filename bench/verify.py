"""Public verification: the API (as implemented) against a plain JsonResponse of the same row.

Both run on one gunicorn (2 × cores + 1 sync workers, bench/settings.py) and are
driven by wrk, 8 connections, 15 s each. Then the API again while a Celery
worker renders a cohort on the same machine, under the CPU split named in the
row (VERIFY_RENDER_CONCURRENCY worker processes at nice VERIFY_RENDER_NICE).
"""

import os
import time

from bench import stack
from bench.common import Row, setup_django

SECONDS = int(os.environ.get("VERIFY_SECONDS", "15"))
CONNECTIONS = 8
RENDER_CONCURRENCY = int(os.environ.get("VERIFY_RENDER_CONCURRENCY", "2"))
RENDER_NICE = int(os.environ.get("VERIFY_RENDER_NICE", "19"))
COHORT = int(os.environ.get("VERIFY_COHORT", "300"))


def run() -> list[Row]:
    stack.ensure_database()
    setup_django()
    from bench import seed
    from certificates.rendering import certificate_render
    from certificates.tasks import render_certificate

    ids = seed.passed_certificates(COHORT + 1, prefix="bench-verify")
    certificate = certificate_render(certificate_id=ids[0])
    serial = certificate.serial
    api, plain = f"/api/v1/verify/{serial}", f"/bench/plain-verify/{serial}"
    rows = []
    with stack.gunicorn() as server:
        for path in (api, plain):
            status, kind, _ = stack.fetch(path)
            assert status == 200 and "json" in kind, (path, status, kind)
        stack.wrk(api, seconds=3), stack.wrk(plain, seconds=3)  # warm every worker
        load = stack.load_average()
        api_rps, api_p99, api_bad, api_n = stack.wrk(api, seconds=SECONDS)
        plain_rps, plain_p99, plain_bad, plain_n = stack.wrk(plain, seconds=SECONDS)
        ratio = api_rps / plain_rps
        rows.append(
            Row(
                f"verification API vs plain JsonResponse of the same row, wrk -c {CONNECTIONS} "
                f"{SECONDS} s each, {stack.web_workers()} gunicorn workers (load {load})",
                f"{api_rps:.0f} vs {plain_rps:.0f} req/s = {ratio:.2f} × "
                f"(errors {api_bad}/{api_n}, {plain_bad}/{plain_n})",
                "≥ 0.8 ×",
                ratio >= 0.8 and not api_bad and not plain_bad,
            )
        )
        rows.append(
            Row(
                "verification API p99 latency, idle machine (same wrk run)",
                f"{api_p99:.1f} ms (plain view {plain_p99:.1f} ms)",
                "≤ 25 ms",
                api_p99 <= 25 and not api_bad,
            )
        )
        split = (
            f"{RENDER_CONCURRENCY} render process(es) at nice {RENDER_NICE} on "
            f"{os.cpu_count()} cores, web at nice 0"
        )
        with stack.celery_worker(concurrency=RENDER_CONCURRENCY, nice=RENDER_NICE):
            for certificate_id in ids[1:]:
                render_certificate.delay(certificate_id)
            time.sleep(3)  # the workers are rendering
            load = stack.load_average()
            busy_rps, busy_p99, busy_bad, busy_n = stack.wrk(api, seconds=SECONDS)
            from certificates.models import Certificate

            rendered = Certificate.objects.filter(
                pk__in=ids[1:], render_state=Certificate.RenderState.DONE
            ).count()
            still_rendering = rendered < COHORT
            stack.purge_queue()
        ratio = busy_p99 / api_p99
        rows.append(
            Row(
                f"verification p99 while a cohort renders ({split}; load {load})",
                f"{busy_p99:.1f} ms vs idle {api_p99:.1f} ms = {ratio:.2f} × "
                f"({busy_rps:.0f} req/s, errors {busy_bad}/{busy_n}, "
                f"{rendered} rendered meanwhile{'' if still_rendering else ', queue ran dry!'})",
                "≤ 2 × idle p99",
                ratio <= 2 and not busy_bad and still_rendering,
            )
        )
    del server
    return rows


if __name__ == "__main__":
    from bench.common import print_rows

    stack.apply_env()
    print_rows(run())
