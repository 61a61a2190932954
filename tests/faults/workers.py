"""Real Celery workers for fault tests: start, inspect, kill and wait on them.

A worker is a separate process, so it must see the test's data: the test commits
(transaction=True) to a PostgreSQL test database whose name is passed to the worker
in DATABASE_URL, and shares a temporary MEDIA_ROOT with it.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from certificates import rendering
from lms.celery import app as celery_app
from tests.conftest import ROOT
from tests.faults.servers import wait_until

# The shared Redis's db 15 belongs to tests that use the shared server.
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/15"


def redis_reachable(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def database_url() -> str:
    """The test database (test_… on PostgreSQL) as a URL another process can use."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{quote(db['USER'], safe='')}{password}@{host}:{port}/{db['NAME']}"


def venv_script(name: str) -> list[str]:
    """A console script of this interpreter's environment, or `python -m name`."""
    script = Path(sys.executable).with_name(name)
    return [str(script)] if script.exists() else [sys.executable, "-m", name]


def celery_command(concurrency: int = 1) -> list[str]:
    return [
        *venv_script("celery"),
        "-A",
        "lms",
        "worker",
        "-P",
        "prefork",
        "-c",
        str(concurrency),
        "--prefetch-multiplier",
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
    """One `celery worker` process (its own session and process group) with its own log."""

    def __init__(
        self,
        name: str,
        media_root: Path,
        log_dir: Path,
        *,
        broker_url: str = DEFAULT_BROKER_URL,
        concurrency: int = 1,
        **extra_env: str,
    ) -> None:
        env = {**os.environ}
        env.pop(rendering.RENDER_DELAY_ENV, None)
        env |= {
            "DJANGO_SETTINGS_MODULE": "lms.settings",
            "CELERY_BROKER_URL": broker_url,
            "DATABASE_URL": database_url(),
            "MEDIA_ROOT": str(media_root),
            **extra_env,
        }
        self.name = name
        self.log = log_dir / f"{name}.log"
        self.process = subprocess.Popen(
            [*celery_command(concurrency), "-n", f"{name}@%h"],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def children(self) -> list[int]:
        found = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        return [int(pid) for pid in found.stdout.split()]

    def group(self) -> list[int]:
        """Every live process of this worker's process group (main process and pool)."""
        return process_group(self.process.pid)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def _lines(self) -> list[str]:
        return self.log.read_text(errors="replace").splitlines() if self.log.exists() else []

    def received(self, task: str = "certificates.tasks.render_certificate") -> int:
        """How many messages of `task` this worker has taken from the broker."""
        return sum(1 for line in self._lines() if f"Task {task}[" in line and "received" in line)

    def settled(self) -> bool:
        """Every task this worker received has finished (succeeded; none retried or failed)."""
        lines = self._lines()
        received = sum(1 for line in lines if "] received" in line)
        succeeded = sum(1 for line in lines if "] succeeded in" in line)
        return received == succeeded

    def kill(self) -> None:
        """SIGKILL the whole worker at once: main process and pool children."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, sig=signal.SIGTERM, timeout: float = 30) -> None:
        if self.process.poll() is not None:
            _reap_group(self.process.pid)
            return
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            # Only this worker's own process group (its pool children): never a broad kill.
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        _reap_group(self.process.pid)


def process_group(pgid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-g", str(pgid)], capture_output=True, text=True, check=False)
    return [int(pid) for pid in found.stdout.split()]


def _reap_group(pgid: int) -> None:
    """Pool children orphaned by a dead main process die with their group."""
    if process_group(pgid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)


def wait_for(condition, *, timeout: float, step: float = 0.2, what: str, workers=()):
    """Poll `condition` until it returns something true; fail with the workers' logs."""
    return wait_until(
        condition,
        timeout=timeout,
        step=step,
        what=what,
        detail=lambda: "\n".join(f"--- {w.log.name}\n{w.tail()}" for w in workers),
    )


def reset_pools() -> None:
    """Forget pooled broker connections (after the broker URL changed or the broker restarted)."""
    celery_app._pool = None
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@contextlib.contextmanager
def sending_to(broker_url: str):
    """Send this process's tasks to `broker_url` (the site runs them eagerly without one).

    Celery reads CELERY_BROKER_URL from the environment before its own setting, so a
    developer's exported broker would win over the one a test names: both are set.
    """
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager, os.environ.get("CELERY_BROKER_URL")
    conf.broker_url, conf.task_always_eager = broker_url, False
    os.environ["CELERY_BROKER_URL"] = broker_url
    reset_pools()
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager, previous = saved
        if previous is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = previous
        reset_pools()
