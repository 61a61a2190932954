"""A real Celery worker renders certificates, and a worker killed mid-render loses nothing.

The worker is a separate process, so it must see the test's data: the test
commits (transaction=True) to a PostgreSQL test database whose name is passed
to the worker in DATABASE_URL, and shares a temporary MEDIA_ROOT with it.
SQLite test databases live in memory, so on SQLite these tests are skipped;
the PostgreSQL run covers them.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from certificates import keys, rendering
from certificates.models import Certificate, IssuerKey
from certificates.pdfsign import inspect_pdf_signature
from lms.celery import app as celery_app
from tests.certificates.test_issuance import sit
from tests.conftest import ROOT, require
from tests.exams.conftest import build_exam

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]

BROKER_URL = "redis://127.0.0.1:6379/15"
WAIT_SECONDS = 90
RENDER_DELAY_SECONDS = 8


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{quote(db['USER'], safe='')}{password}@{host}:{port}/{db['NAME']}"


def celery_command() -> list[str]:
    script = Path(sys.executable).with_name("celery")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "celery"]
    return [
        *base,
        "-A",
        "lms",
        "worker",
        "-P",
        "prefork",
        "-c",
        "1",
        "--without-heartbeat",
        "--without-mingle",
        "--without-gossip",
        "-Q",
        "celery",
        "-l",
        "info",
    ]


class Worker:
    """One `celery worker` process with its own log file."""

    def __init__(self, name: str, media_root: Path, log_dir: Path, **extra_env: str) -> None:
        env = {**os.environ}
        env.pop(rendering.RENDER_DELAY_ENV, None)
        env |= {
            "DJANGO_SETTINGS_MODULE": "lms.settings",
            "CELERY_BROKER_URL": BROKER_URL,
            "DATABASE_URL": database_url(),
            "MEDIA_ROOT": str(media_root),
            **extra_env,
        }
        self.log = log_dir / f"{name}.log"
        self.process = subprocess.Popen(
            [*celery_command(), "-n", f"{name}@%h"],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def children(self) -> list[int]:
        found = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        return [int(pid) for pid in found.stdout.split()]

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def stop(self, sig=signal.SIGTERM, timeout: float = 30) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            # Only this worker's own process group (its pool children): never a broad kill.
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def wait_for(condition, *, timeout: float, step: float = 0.2, what: str, workers=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    logs = "\n".join(f"--- {w.log.name}\n{w.tail()}" for w in workers)
    pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}.\n{logs}")


@pytest.fixture
def broker():
    """Send this test's tasks to Redis (the site runs them eagerly without a broker)."""
    require(redis_reachable(), "Redis is not reachable on 127.0.0.1:6379")
    import redis

    redis.Redis.from_url(BROKER_URL).flushdb()  # db 15 belongs to these tests
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = BROKER_URL, False
    _reset_pools()
    yield
    conf.broker_url, conf.task_always_eager = saved
    _reset_pools()


def _reset_pools() -> None:
    celery_app._pool = None
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


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
    assert files == [f"{certificate.serial}.pdf"]
    assert rendering.stored_pdf_sha256(rendered) == rendered.pdf_sha256
    pdf_key = keys.active_key(IssuerKey.Purpose.PDF)
    check = inspect_pdf_signature(
        pdf_path.read_bytes(), trusted_cert_pem=pdf_key.certificate_pem.encode()
    )
    assert check.status == "intact", check.detail
    assert IssuerKey.objects.filter(purpose=IssuerKey.Purpose.PDF).count() == 1
