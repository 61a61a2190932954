"""Private servers for fault tests: a Redis and a PostgreSQL cluster the test may stop at will.

The shared services on 6379 and 5432 are never restarted: other tests and other
people use them. Each private server lives in a temporary directory, listens on a
free port of 127.0.0.1 and is stopped (and its files removed) by the test.
"""

import base64
import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import require


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until(condition, *, timeout: float, what: str, step: float = 0.1, detail=None):
    """Poll `condition` until it returns something true; fail saying what (and `detail()`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    more = f"\n{detail()}" if detail else ""
    pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}.{more}")


class Budget:
    """A test's whole time allowance: every wait takes at most what is left of it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def left(self, cap: float | None = None) -> float:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            pytest.fail(f"the test's budget of {self.seconds:.0f} s is spent")
        return min(remaining, cap) if cap is not None else remaining


# --- Redis -----------------------------------------------------------------------------------


class PrivateRedis:
    """A redis-server without persistence: stopping it loses everything queued in it."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.binary = shutil.which("redis-server")
        require(self.binary is not None, "redis-server is not installed (Debian package redis)")
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.log = directory / f"redis-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> "PrivateRedis":
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
                "--logfile",
                str(self.log),
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(self.ping, timeout=10, what=f"the private redis-server on {self.port}")
        return self

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def client(self, db: int = 0):
        import redis

        return redis.Redis(port=self.port, db=db, socket_timeout=5)

    def queue_length(self, queue: str = "celery", db: int = 0) -> int:
        return int(self.client(db).llen(queue))

    def stop(self) -> None:
        """Stop the server (SIGTERM; nothing is saved: the queue is gone)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        wait_until(lambda: not port_open(self.port), timeout=10, what="redis to close its port")


# --- PostgreSQL -------------------------------------------------------------------------------


def postgres_bindir() -> Path | None:
    for candidate in [
        os.environ.get("PG_BINDIR", ""),
        *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True),
    ]:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PrivatePostgres:
    """A throwaway PostgreSQL cluster (initdb, trust auth) owned by a non-root user."""

    def __init__(self, port: int | None = None) -> None:
        bindir = postgres_bindir()
        require(bindir is not None, "PostgreSQL server binaries (initdb, pg_ctl) are not installed")
        self.bindir = bindir
        self.port = port or free_port()
        self.root = Path(tempfile.mkdtemp(prefix="cbec-faults-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.run_as: list[str] = []
        if os.geteuid() == 0:
            # initdb refuses root: the cluster belongs to the postgres user.
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root and there is no postgres user to own the cluster")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self.run_as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [*self.run_as, *args], capture_output=True, text=True, timeout=timeout, check=False
        )
        if result.returncode != 0:
            pytest.fail(
                f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}\n{self.tail()}"
            )
        return result

    def tail(self) -> str:
        with contextlib.suppress(OSError):
            return self.log.read_text(errors="replace")[-2000:]
        return ""

    def init(self) -> "PrivatePostgres":
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        return self

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
            "-o", options, "-w", "-t", "30", *extra, action,
        )  # fmt: skip

    def start(self) -> None:
        self._pg_ctl("start")

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "fast")

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres"):
        import psycopg

        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database, autocommit=True
        )

    def destroy(self) -> None:
        if self.running():
            with contextlib.suppress(Exception):
                self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def create_database(url_base: dict, name: str) -> None:
    """CREATE DATABASE on a server named by psycopg keyword arguments."""
    import psycopg

    with psycopg.connect(**url_base, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url_base: dict, name: str) -> None:
    import psycopg

    with psycopg.connect(**url_base, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- The site in its own processes ---------------------------------------------------------


def site_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The environment of a production-like site process: DEBUG off, no broker, no Redis."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "CELERY_BROKER_URL",
            "REDIS_URL",
            "DEBUG",
            "DATABASE_URL",
            "CERTIFICATES_RENDER_DELAY_SECONDS",
            # Set for the test process by the browser tests' conftest; never in production
            # (Django's deploy check, which bin/serve runs, refuses it).
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "lms.settings",
        "SECRET_KEY": "faults-" + os.urandom(24).hex(),
        "CERTIFICATES_KEY_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "CONN_MAX_AGE": "60",
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(tmp / "static"),
        "VAR_DIR": str(tmp / "var"),
        "LOG_LEVEL": "WARNING",
        # These processes serve on 127.0.0.1: the certificates' address is this machine.
        "SILENCED_SYSTEM_CHECKS": "lms.E004",
        # Production refuses to start without a mail backend that delivers (lms.E001).
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        **extra,
    }
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    from tests.conftest import ROOT

    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


class Gunicorn:
    """`gunicorn lms.wsgi` with sync workers on a free port."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 2) -> None:
        from tests.conftest import ROOT
        from tests.faults.workers import venv_script

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process = subprocess.Popen(
            [
                *venv_script("gunicorn"),
                "lms.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
                "--no-control-socket",
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, path: str = "/healthz", timeout: float = 60) -> None:
        def answers() -> bool:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited:\n{self.tail()}")
            return fetch("GET", self.base + path, timeout=2)[0] == 200

        wait_until(answers, timeout=timeout, what=f"gunicorn to answer {path}", step=0.3)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(timeout=10)


def fetch(method: str, url: str, *, body: bytes | None = None, headers=None, timeout: float = 10):
    """(status, headers, body) — or (None, {}, error text) when no HTTP answer came."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, parts.path or "/", body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    except (OSError, http.client.HTTPException) as exc:
        return None, {}, repr(exc).encode()
    finally:
        conn.close()
