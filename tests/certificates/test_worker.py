"""A real Celery worker renders certificates, and a worker killed mid-render loses nothing.

The worker is a separate process, so it must see the test's data: the test
commits (transaction=True) to a PostgreSQL test database whose name is passed
to the worker in DATABASE_URL, and shares a temporary MEDIA_ROOT with it.
SQLite test databases live in memory, so on SQLite these tests are skipped;
the PostgreSQL run covers them.
"""

import os
import signal
from pathlib import Path

import pytest
from django.db import connection

from certificates import keys, rendering
from certificates.models import Certificate, IssuerKey
from certificates.pdfsign import inspect_pdf_signature
from tests.certificates.test_issuance import sit
from tests.conftest import require
from tests.exams.conftest import build_exam
from tests.faults.workers import (
    DEFAULT_BROKER_URL,
    Worker,
    redis_reachable,
    sending_to,
    wait_for,
)

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]

BROKER_URL = DEFAULT_BROKER_URL
WAIT_SECONDS = 90
RENDER_DELAY_SECONDS = 8


@pytest.fixture
def broker():
    """Send this test's tasks to Redis (the site runs them eagerly without a broker)."""
    require(redis_reachable(), "Redis is not reachable on 127.0.0.1:6379")
    import redis

    redis.Redis.from_url(BROKER_URL).flushdb()  # db 15 belongs to these tests
    with sending_to(BROKER_URL):
        yield


@pytest.fixture
def on_postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: a worker process cannot see SQLite's in-memory test database "
            "(run with DATABASE_URL=postgres://…; the PostgreSQL run covers this test)"
        )


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_leaves_one_certificate_and_one_pdf(
    on_postgres, broker, media_root, tmp_path, student, school, government
):
    exam = build_exam(school=school, government=government, practicals=0)
    slow = Worker(
        "slow", media_root, tmp_path, **{rendering.RENDER_DELAY_ENV: str(RENDER_DELAY_SECONDS)}
    )
    workers = [slow]
    try:
        # Passing commits, the signal issues the certificate, and its render goes to Redis.
        attempt = sit(student, exam)
        certificate = Certificate.objects.get(attempt=attempt)
        pdf_path = media_root / rendering.pdf_name(certificate.serial)

        # The worker has stored the file and not yet recorded it: the crash window.
        wait_for(
            lambda: (
                pdf_path.exists()
                and Certificate.objects.get(pk=certificate.pk).render_state == "pending"
            ),
            timeout=60,
            what="the slow worker to store the PDF",
            workers=workers,
        )
        children = wait_for(slow.children, timeout=5, what="the pool child", workers=workers)
        for pid in children:
            os.kill(pid, signal.SIGKILL)
        # The parent gives the message back (acks_late + reject_on_worker_lost).
        wait_for(
            lambda: (
                b"WorkerLostError" in slow.log.read_bytes()
                or b"exited with" in slow.log.read_bytes()
            ),
            timeout=20,
            what="the worker to notice its child died",
            workers=workers,
        )
        # Another worker takes over; the first one finishes (or hands back) what it holds.
        fresh = Worker("fresh", media_root, tmp_path)
        workers.append(fresh)
        slow.stop(signal.SIGTERM, timeout=RENDER_DELAY_SECONDS * 3)

        rendered = wait_for(
            lambda: Certificate.objects.filter(pk=certificate.pk, render_state="done").first(),
            timeout=WAIT_SECONDS,
            what="the certificate to be rendered",
            workers=workers,
        )
    finally:
        for worker in workers:
            worker.stop()

    assert Certificate.objects.count() == 1
    assert rendered.render_tries >= 2
    files = sorted(path.name for path in pdf_path.parent.iterdir())
    assert files == [pdf_path.name]
    assert rendering.stored_pdf_sha256(rendered) == rendered.pdf_sha256
    pdf_key = keys.active_key(IssuerKey.Purpose.PDF)
    check = inspect_pdf_signature(
        pdf_path.read_bytes(), trusted_cert_pem=pdf_key.certificate_pem.encode()
    )
    assert check.status == "intact", check.detail
    assert IssuerKey.objects.filter(purpose=IssuerKey.Purpose.PDF).count() == 1
