"""Downloading a stored certificate PDF against rendering it in the request.

One gunicorn (2 × cores + 1 sync workers), the holder's session cookie, wrk at
8 connections: GET /certificates/<serial>/pdf/ (the stored, signed file) and
the bench-only /bench/render/<serial>/pdf/ (render, sign and return per request).
"""

import os

from bench import stack
from bench.common import Row, setup_django

SECONDS = int(os.environ.get("DOWNLOAD_SECONDS", "15"))


def run() -> list[Row]:
    stack.ensure_database()
    setup_django()
    from bench import seed
    from certificates.models import Certificate
    from certificates.rendering import certificate_render

    [certificate_id] = seed.passed_certificates(1, prefix="bench-download")
    certificate = certificate_render(certificate_id=certificate_id)
    holder = Certificate.objects.get(pk=certificate_id).holder
    headers = {"Cookie": seed.session_cookie(holder)}
    stored = f"/certificates/{certificate.serial}/pdf/"
    rendered = f"/bench/render/{certificate.serial}/pdf/"
    with stack.gunicorn():
        for path in (stored, rendered):
            status, kind, size = stack.fetch(path, headers)
            assert status == 200 and kind == "application/pdf" and size > 1000, (path, status)
        # Warm the workers on the cheap path only: a queue of renders would outlive wrk.
        stack.wrk(stored, seconds=3, headers=headers)
        load = stack.load_average()
        d_rps, d_p99, d_bad, d_n = stack.wrk(stored, seconds=SECONDS, headers=headers)
        r_rps, r_p99, r_bad, r_n = stack.wrk(rendered, seconds=SECONDS, headers=headers)
    ratio = d_rps / r_rps if r_rps else 0.0
    return [
        Row(
            f"stored PDF download vs render per request, wrk -c 8 {SECONDS} s each, "
            f"{stack.web_workers()} gunicorn workers (load {load})",
            f"{d_rps:.0f} vs {r_rps:.1f} req/s = {ratio:.0f} × (p99 {d_p99:.0f} vs "
            f"{r_p99:.0f} ms; errors {d_bad}/{d_n}, {r_bad}/{r_n})",
            "≥ 100 ×",
            ratio >= 100 and d_n > 0 and r_n > 0 and not d_bad and not r_bad,
        )
    ]


if __name__ == "__main__":
    from bench.common import print_rows

    stack.apply_env()
    print_rows(run())
