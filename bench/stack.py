"""The measured stack: the cbec_bench database, gunicorn and Celery as subprocesses, wrk.

Every server listens on 127.0.0.1 only and is stopped by its own process id;
every wait below is bounded in time.
"""

import atexit
import contextlib
import os
import re
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bench.common import ROOT

# Two benchmark runs at once on one machine each name their own database, Redis databases
# and port (BENCH_DB_NAME, BENCH_REDIS_DBS "cache,broker", BENCH_PORT).
DB_NAME = os.environ.get("BENCH_DB_NAME", "cbec_bench")
_REDIS_DBS = os.environ.get("BENCH_REDIS_DBS", "11,12").split(",")
PG = "postgres://postgres@127.0.0.1:5432"
HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
START_TIMEOUT = float(os.environ.get("BENCH_START_TIMEOUT", "60"))
# BENCH_KEEP_DB=1 leaves the database in place at exit (dropped by the next run of the same
# name), to study the generated data afterwards with psql or `manage.py shell`.
KEEP_DB = os.environ.get("BENCH_KEEP_DB", "") == "1"
BASE = f"http://{HOST}:{PORT}"
VENV = ROOT / ".venv" / "bin"
PY = str(VENV / "python")
VAR = ROOT / "var" / "bench"

ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": f"{PG}/{DB_NAME}",
    "REDIS_URL": f"redis://127.0.0.1:6379/{_REDIS_DBS[0]}",
    "CELERY_BROKER_URL": f"redis://127.0.0.1:6379/{_REDIS_DBS[1]}",
    "CONN_MAX_AGE": "60",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
    "SECURE_SSL_REDIRECT": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "CERTIFICATES_BASE_URL": BASE,
    "MEDIA_ROOT": str(VAR / "media"),
    "STATIC_ROOT": str(VAR / "static"),
    "VAR_DIR": str(VAR),
    "LOG_LEVEL": "ERROR",
    # Production checks refuse to start without these; the bench sends no mail.
    "CERTIFICATES_KEY_ENCRYPTION_KEY": "YmVuY2gtb25seS1rZXktbm90LWZvci1wcm9kdWN0aW8=",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "DEFAULT_FROM_EMAIL": "CBEC Academy <noreply@bench.example.org>",
}


def apply_env() -> None:
    """Point this process (and its children) at the bench database, Redis and settings."""
    for name, value in ENV.items():
        os.environ[name] = value
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(ENV)
    env.update(extra)
    env["PYTHONPATH"] = str(ROOT)
    return env


def _psql(sql: str) -> str:
    out = subprocess.run(
        ["psql", f"{PG}/postgres", "-tAc", sql], capture_output=True, text=True, timeout=120
    )
    if out.returncode:
        raise RuntimeError(out.stderr)
    return out.stdout.strip()


_READY = False


def ensure_database() -> None:
    """Create cbec_bench afresh once per process (migrated and seeded); dropped at exit
    unless BENCH_KEEP_DB=1."""
    global _READY
    apply_env()
    if _READY:
        return
    VAR.mkdir(parents=True, exist_ok=True)
    drop_database()
    _psql(f'CREATE DATABASE "{DB_NAME}"')
    if not KEEP_DB:
        atexit.register(drop_database)
    for args in (
        ["migrate", "--no-input", "-v", "0"],
        ["collectstatic", "--no-input", "-v", "0"],
        ["seed_demo", "--force"],
    ):
        subprocess.run(
            [PY, "manage.py", *args],
            cwd=ROOT,
            env=child_env(),
            check=True,
            timeout=900,
            stdout=subprocess.DEVNULL,
        )
    _flush_redis()
    _READY = True


def drop_database() -> None:
    from django.db import connections

    with contextlib.suppress(Exception):  # Django may not be set up in this process yet
        connections.close_all()
    _psql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def _flush_redis() -> None:
    import redis

    for url in (ENV["REDIS_URL"], ENV["CELERY_BROKER_URL"]):
        redis.Redis.from_url(url).flushdb()


# --- Servers -------------------------------------------------------------------------------------


class Server:
    """A subprocess in its own process group, stopped by its id."""

    def __init__(self, name: str, args: list[str], *, env: dict, log: Path) -> None:
        self.name = name
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()


def web_workers() -> int:
    """gunicorn's sync workers: BENCH_WEB_WORKERS, else 2 × cores + 1 as bin/serve starts."""
    return int(os.environ.get("BENCH_WEB_WORKERS") or 2 * (os.cpu_count() or 1) + 1)


@contextmanager
def gunicorn(workers: int | None = None):
    workers = workers or web_workers()
    server = Server(
        "gunicorn",
        [
            str(VENV / "gunicorn"),
            "lms.wsgi",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            str(workers),
            "--backlog",
            "2048",
            "--timeout",
            "120",
            # As bin/serve: the app is loaded and warmed (lms/warmup.py) once in the master,
            # so no worker pays its imports on the first request of a storm.
            "--preload",
            # More gunicorn settings to compare, e.g. "--reuse-port".
            *shlex.split(os.environ.get("BENCH_GUNICORN_ARGS", "")),
        ],
        env=child_env(),
        log=VAR / "gunicorn.log",
    )
    try:
        # A busy shared machine boots workers slowly: BENCH_START_TIMEOUT (seconds) waits longer.
        _wait_http(f"{BASE}/healthz", server, timeout=START_TIMEOUT)
        yield server
    finally:
        server.stop()


@contextmanager
def celery_worker(
    *,
    concurrency: int = 2,
    nice: int = 0,
    max_tasks_per_child: int = 1000,
    broker_url: str | None = None,
    include: tuple[str, ...] = (),
    queues: str | None = None,
    log_name: str = "celery.log",
):
    """One prefork worker, prefetch 1, acks late (as bin/serve runs it), with the bench tasks.

    broker_url (default: ENV's CELERY_BROKER_URL), include (more `-I` task modules) and
    queues (`-Q`; default: Celery's default queue) let a benchmark point it elsewhere.
    """
    args = [
        str(VENV / "celery"),
        "-A",
        "lms",
        "worker",
        "-P",
        "prefork",
        "-c",
        str(concurrency),
        "--prefetch-multiplier",
        "1",
        "--max-tasks-per-child",
        str(max_tasks_per_child),
        "--max-memory-per-child",
        "400000",
        "-I",
        "bench.naive_tasks",
        "-l",
        "WARNING",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    for module in include:
        args += ["-I", module]
    if queues:
        args += ["-Q", queues]
    if nice:
        args = ["nice", "-n", str(nice), *args]
    env = child_env(CELERY_BROKER_URL=broker_url) if broker_url else child_env()
    server = Server("celery", args, env=env, log=VAR / log_name)
    try:
        _wait_celery(server, timeout=60, broker_url=broker_url)
        yield server
    finally:
        server.stop()


def _wait_http(url: str, server: Server, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"{server.name} exited; see {server.log.name}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{server.name} did not answer {url} within {timeout} s")


def _wait_celery(server: Server, *, timeout: float, broker_url: str | None = None) -> None:
    from lms.celery import app

    if broker_url:
        # A separate app: the site app's control mailbox keeps the broker it first used.
        from celery import Celery

        app = Celery("lms", broker=broker_url, set_as_current=False)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if server.proc.poll() is not None:
                raise RuntimeError(f"celery exited; see {server.log.name}")
            replies = app.control.ping(timeout=1.0)
            if replies:
                return
        raise TimeoutError(f"celery did not answer within {timeout} s")
    finally:
        if broker_url:
            app.close()


# --- wrk -----------------------------------------------------------------------------------------

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def wrk(path: str, *, seconds: int = 15, connections: int = 8, headers: dict | None = None):
    """Run wrk against the bench server; return (requests/s, p99 ms, non-2xx + errors, total)."""
    args = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    args += ["--timeout", "10s"]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*args, BASE + path], capture_output=True, text=True, timeout=seconds + 60
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s|m)\b", out).groups()
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = 0
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if match:
        bad += int(match.group(1))
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if match:
        bad += sum(int(n) for n in match.groups())
    return rps, float(value) * _UNITS[unit], bad, total


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def fetch(path: str, headers: dict | None = None) -> tuple[int, str, int]:
    """One request (no redirects followed): status, content type, body length."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(BASE + path, headers=headers or {})
    try:
        with opener.open(request, timeout=60) as response:
            body = response.read()
            return response.status, response.headers.get("Content-Type", ""), len(body)
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), 0


def purge_queue() -> None:
    import redis

    redis.Redis.from_url(ENV["CELERY_BROKER_URL"]).flushdb()
