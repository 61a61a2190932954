"""PostgreSQL restarts while students autosave: clean 503s, quick recovery, no lost answer.

A private cluster (initdb in a temporary directory, its own port) stands in for the
database: the shared cluster on 5432 is never restarted. gunicorn serves the site
against it with DEBUG off and persistent connections (CONN_MAX_AGE=60), so the
connection health checks are what notice the restart.
"""

import json
import random
import threading
import time
from dataclasses import dataclass, field

import pytest

from lms.api_errors import RETRY_AFTER_SECONDS
from tests.faults.servers import Gunicorn, PrivatePostgres, fetch, manage, site_env

pytestmark = [pytest.mark.faults, pytest.mark.postgres]

STUDENTS = 10
BEFORE_SECONDS = 3  # saving normally
DOWN_SECONDS = 2  # the database is stopped
AFTER_SECONDS = 5  # saving again after it is back
RECOVERY_SECONDS = 5  # every client is saving again within this after the restart
MESSAGE = "The service is briefly unavailable; try again."


@dataclass
class Outcome:
    at: float
    status: int | None
    headers: dict
    body: bytes


@dataclass
class Client:
    """One student's browser: saves answers with increasing seq, as the exam page does."""

    base: str
    token: str
    attempt: int
    positions: list[int]
    outcomes: list[Outcome] = field(default_factory=list)
    # (attempt, position) -> (seq, response) of the last save acknowledged as applied
    acked: dict[tuple[int, int], tuple[int, dict]] = field(default_factory=dict)

    def run(self, stop: threading.Event) -> None:
        rng = random.Random(self.attempt)
        seq = 0
        while not stop.is_set():
            seq += 1
            position = self.positions[seq % len(self.positions)]
            response = {"choice": rng.choice("abc")}
            status, headers, body = fetch(
                "PUT",
                f"{self.base}/api/v1/attempts/{self.attempt}/answers/{position}/",
                body=json.dumps({"seq": seq, "response": response}).encode(),
                headers={
                    "Authorization": f"Token {self.token}",
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                },
            )
            self.outcomes.append(Outcome(time.monotonic(), status, headers, body))
            if status == 200 and json.loads(body)["applied"]:
                self.acked[(self.attempt, position)] = (seq, response)
            # The exam page saves on change, a few times a second at most.
            time.sleep(0.05 if status == 200 else 0.2)


def browse(base: str, outcomes: list[Outcome], stop: threading.Event) -> None:
    """A visitor reading the catalogue (a page, not the API) through the outage."""
    while not stop.is_set():
        status, headers, body = fetch("GET", f"{base}/courses/", headers={"Accept": "text/html"})
        outcomes.append(Outcome(time.monotonic(), status, headers, body))
        time.sleep(0.1)


@pytest.fixture
def cluster():
    server = PrivatePostgres().init()
    server.start()
    try:
        yield server
    finally:
        server.destroy()


def test_autosave_survives_a_database_restart(cluster, tmp_path, budget):
    with cluster.connect() as conn:
        conn.execute("CREATE DATABASE cbec")
    env = site_env(tmp_path, DATABASE_URL=cluster.url("cbec"))
    web = Gunicorn(env, tmp_path / "gunicorn.log", workers=2)  # boots while we migrate
    try:
        manage(env, "manage.py", "migrate", "--no-input", "-v", "0", timeout=budget.left(90))
        seeded = json.loads(
            manage(
                env, "-m", "tests.faults.seed", "attempts", str(STUDENTS), timeout=budget.left(60)
            )
        )
        web.wait_ready("/readyz", timeout=budget.left(60))
        clients = [
            Client(web.base, s["token"], s["attempt"], s["positions"]) for s in seeded["students"]
        ]
        pages: list[Outcome] = []
        stop = threading.Event()
        threads = [threading.Thread(target=c.run, args=(stop,)) for c in clients]
        threads.append(threading.Thread(target=browse, args=(web.base, pages, stop)))
        for thread in threads:
            thread.start()
        try:
            time.sleep(BEFORE_SECONDS)
            down_at = time.monotonic()
            cluster.stop()  # -m fast: open connections are cut, in-flight work rolled back
            time.sleep(DOWN_SECONDS)
            cluster.start()
            up_at = time.monotonic()
            time.sleep(AFTER_SECONDS)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
    finally:
        web.stop()

    everything = [o for c in clients for o in c.outcomes] + pages
    # Clean failures only: no 500, no traceback, no dropped connection.
    bad = [o for o in everything if o.status not in (200, 503)]
    assert not bad, [(o.status, o.body[:300]) for o in bad[:5]]
    assert not [o for o in everything if b"Traceback" in o.body]

    unavailable = [o for c in clients for o in c.outcomes if o.status == 503]
    assert unavailable, "no save failed while the database was down: nothing was tested"
    for outcome in unavailable:
        assert outcome.headers.get("Content-Type", "").startswith("application/json")
        assert json.loads(outcome.body) == {"detail": MESSAGE}
        assert outcome.headers.get("Retry-After") == str(RETRY_AFTER_SECONDS)
        assert down_at <= outcome.at <= up_at + RECOVERY_SECONDS

    page_failures = [o for o in pages if o.status == 503]
    assert page_failures, "no page request failed while the database was down"
    for outcome in page_failures:
        assert outcome.headers.get("Content-Type", "").startswith("text/html")
        assert MESSAGE.encode() in outcome.body
        assert outcome.headers.get("Retry-After") == str(RETRY_AFTER_SECONDS)

    # Recovered within seconds: every client saved successfully again soon after the restart.
    for client in clients:
        assert any(o.status == 200 for o in client.outcomes if o.at < down_at)
        back = [o.at for o in client.outcomes if o.status == 200 and o.at > up_at]
        assert back and back[0] - up_at < RECOVERY_SECONDS, client.attempt

    # Every acknowledged save is in the database.
    acked = {key: value for c in clients for key, value in c.acked.items()}
    assert len(acked) == STUDENTS * len(clients[0].positions)
    with cluster.connect("cbec") as conn:
        stored = {
            (attempt, position): (seq, response)
            for attempt, position, seq, response in conn.execute(
                "SELECT attempt_id, position, response_seq, response FROM exams_attemptquestion"
                " WHERE attempt_id = ANY(%s)",
                [[c.attempt for c in clients]],
            )
        }
    for key, (seq, response) in acked.items():
        stored_seq, stored_response = stored[key]
        assert stored_seq >= seq, key
        if stored_seq == seq:
            assert stored_response == response, key
