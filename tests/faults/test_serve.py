"""`make serve`'s stack (bin/serve: gunicorn, Celery worker and beat) serves and renders.

It runs against a fresh database on the shared PostgreSQL cluster (created and
dropped here) and a private Redis, on a free port; a small cohort passes through
the services in that database and the stack's worker renders every certificate.
SIGTERM stops the whole stack cleanly.
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.test import override_settings

from tests.conftest import ROOT
from tests.faults.certs import stored_file
from tests.faults.servers import (
    create_database,
    drop_database,
    fetch,
    free_port,
    manage,
    site_env,
    wait_until,
)
from tests.faults.workers import process_group

pytestmark = [pytest.mark.faults, pytest.mark.celery_worker, pytest.mark.postgres]

COHORT = 10


def shared_cluster() -> dict:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": int(db.get("PORT") or 5432),
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
    }


def database_url(cluster: dict, name: str) -> str:
    password = f":{cluster['password']}" if cluster["password"] else ""
    return f"postgres://{cluster['user']}{password}@{cluster['host']}:{cluster['port']}/{name}"


@pytest.fixture
def fresh_database():
    cluster = shared_cluster()
    name = f"cbec_faults_serve_{os.getpid()}"
    create_database(cluster, name)
    try:
        yield cluster, name
    finally:
        drop_database(cluster, name)


def test_the_served_stack_renders_a_cohorts_certificates(
    fresh_database, private_redis, tmp_path, budget
):
    import psycopg

    cluster, name = fresh_database
    port = free_port()
    env = site_env(
        tmp_path,
        PY=sys.executable,
        DATABASE_URL=database_url(cluster, name),
        CELERY_BROKER_URL=private_redis.url(0),
        REDIS_URL=private_redis.url(1),
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_WORKERS="2",
        TASK_WORKERS="2",
        SKIP_DB_CREATE="1",
        SKIP_COLLECTSTATIC="1",  # half a minute of compression; not what this test is about
    )
    log = tmp_path / "serve.log"
    stack = subprocess.Popen(
        [str(ROOT / "bin" / "serve")],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def tail() -> str:
        return log.read_text(errors="replace")[-4000:]

    try:
        base = f"http://127.0.0.1:{port}"

        def ready() -> bool:
            if stack.poll() is not None:
                pytest.fail(f"bin/serve exited with {stack.returncode}:\n{tail()}")
            return fetch("GET", f"{base}/readyz", timeout=5)[0] == 200

        wait_until(ready, timeout=budget.left(90), what="/readyz to answer 200", step=0.5)
        status, _, body = fetch("GET", f"{base}/readyz")
        assert json.loads(body)["ready"] is True

        seeded = json.loads(
            manage(env, "-m", "tests.faults.seed", "passed", str(COHORT), timeout=budget.left(60))
        )
        issued = dict(seeded["certificates"])
        assert len(issued) == COHORT

        with psycopg.connect(**cluster, dbname=name, autocommit=True) as conn:

            def rendered() -> bool:
                if stack.poll() is not None:
                    pytest.fail(f"bin/serve exited with {stack.returncode}:\n{tail()}")
                (done,) = conn.execute(
                    "SELECT count(*) FROM certificates_certificate"
                    " WHERE render_state = 'done' AND id = ANY(%s)",
                    [list(issued)],
                ).fetchone()
                return done == COHORT

            wait_until(
                rendered, timeout=budget.left(90), what="the stack to render the cohort", step=1
            )

        # The web processes serve what the worker produced.
        serial = next(iter(issued.values()))
        status, _, body = fetch("GET", f"{base}/verify/{serial}/")
        assert status == 200 and serial.encode() in body
        pdfs = sorted(p.name for p in (tmp_path / "media" / "certificates" / "pdf").iterdir())
        with override_settings(SECRET_KEY=env["SECRET_KEY"]):  # the stack's key names its files
            assert pdfs == sorted(stored_file(s) for s in issued.values())

        # A clean stop: SIGTERM to the script stops gunicorn, the worker and beat; exit 0.
        stack.send_signal(signal.SIGTERM)
        assert stack.wait(timeout=max(budget.left(), 30)) == 0, tail()
        wait_until(lambda: not process_group(stack.pid), timeout=15, what="every process to stop")
    finally:
        if stack.poll() is None or process_group(stack.pid):
            os.killpg(stack.pid, signal.SIGKILL)
            stack.wait(timeout=10)
            time.sleep(0.5)
