"""Locust students for bench/exam_load.py: start the level-1 exam, autosave, submit.

Each simulated student uses a pre-created DRF token (no password hashing),
starts the exam (the answer carries the paper), saves one answer every 10 s for
EXAM_LOAD_SECONDS, then submits and idles. Locust's `-r 100` starts 100 users in the
same instant each second (its dispatcher sends floor(rate) users per tick), so the starts
come in bursts of 100, as a sitting's candidates press Start together; each student's first
save then waits a random part of the save period (the next ones follow every 10 s), so that
the students of one burst do not all save in the instant their starts are answered. Every
save the server acknowledges (applied=true) is recorded and written to EXAM_LOAD_ACKED
(JSON) when the run ends.
Once all EXAM_LOAD_USERS students have submitted, locust quits (the idle rest of
--run-time measures nothing).
"""

import itertools
import json
import os
import random
import time

import gevent
from locust import FastHttpUser, constant, events, task

EXAM_ID = int(os.environ["EXAM_LOAD_EXAM_ID"])
DURATION = float(os.environ.get("EXAM_LOAD_SECONDS", "300"))
SAVE_EVERY = float(os.environ.get("EXAM_LOAD_SAVE_EVERY", "10"))
USERS = int(os.environ.get("EXAM_LOAD_USERS", "0"))
with open(os.environ["EXAM_LOAD_TOKENS"]) as handle:
    TOKENS = iter(json.load(handle))
# (attempt id, position) -> [seq, response] of the newest acknowledged save.
ACKED: dict[str, list] = {}
SUBMITTED = itertools.count()


def _response(kind: str, content: dict, n: int):
    """A valid answer for the question, varied by n (None: a kind this client skips)."""
    options = [o["id"] for o in content.get("options", [])]
    if kind == "single_choice" and options:
        return {"choice": options[n % len(options)]}
    if kind == "multiple_choice" and options:
        return {"choices": [options[n % len(options)]]}
    if kind == "true_false":
        return {"value": n % 2 == 0}
    if kind == "essay":
        return {"text": f"Draft {n}: an answer that grows as the student writes."}
    if kind == "practical":
        return {"text": f"Draft {n}: title, five bullets and backend terms.", "file": None}
    return None


class Student(FastHttpUser):
    """geventhttpclient rather than requests: the load generator shares the server's 2 cores."""

    # SAVE_EVERY seconds between a save's answer and the next save. (constant_pacing, which
    # keeps a strict 10 s period, measured every save slower, p50 140 ms against 7 ms at 300
    # students, with the server idle most of the time: not understood, so not used.)
    wait_time = constant(SAVE_EVERY)

    def on_start(self) -> None:
        self.done = True
        self.auth = {"Authorization": f"Token {next(TOKENS)}"}
        with self.client.post(
            f"/api/v1/exams/{EXAM_ID}/start/", name="start", headers=self.auth, catch_response=True
        ) as r:
            if r.status_code != 201:
                r.failure(f"start: {r.status_code}")
                return
            attempt = r.json()  # the attempt with its paper: no second request
            self.attempt = attempt["id"]
            self.questions = [
                (q["position"], q["kind"], q.get("content") or {}) for q in attempt["questions"]
            ]
        self.questions = [q for q in self.questions if _response(q[1], q[2], 0) is not None]
        self.seq = 0
        self.started = time.monotonic()
        self.done = not self.questions
        # A student reads before answering: the first save after a random part of the period
        # (without it, the 100 students a locust tick starts would save in lockstep).
        gevent.sleep(random.uniform(0, SAVE_EVERY))

    @task
    def work(self) -> None:
        if self.done:
            return
        if time.monotonic() - self.started >= DURATION:
            self.done = True
            with self.client.post(
                f"/api/v1/attempts/{self.attempt}/submit/",
                name="submit",
                headers=self.auth,
                catch_response=True,
            ) as r:
                if r.status_code != 200:
                    r.failure(f"submit: {r.status_code}")
                elif next(SUBMITTED) + 1 == USERS:
                    # Quit from outside this user's greenlet, which quitting kills.
                    gevent.spawn_later(1, self.environment.runner.quit)
            return
        self.seq += 1
        position, kind, content = self.questions[self.seq % len(self.questions)]
        body = {"seq": self.seq, "response": _response(kind, content, self.seq)}
        with self.client.put(
            f"/api/v1/attempts/{self.attempt}/answers/{position}/",
            json=body,
            name="save",
            headers=self.auth,
            catch_response=True,
        ) as r:
            if r.status_code != 200:
                r.failure(f"save: {r.status_code}")
                return
            answer = r.json()
            if answer.get("applied"):
                key = f"{self.attempt}:{position}"
                if key not in ACKED or ACKED[key][0] < answer["seq"]:
                    ACKED[key] = [answer["seq"], body["response"]]


@events.quitting.add_listener
def _write_acked(environment, **kwargs) -> None:
    with open(os.environ["EXAM_LOAD_ACKED"], "w") as handle:
        json.dump({"acked": ACKED, "submitted": next(SUBMITTED)}, handle)
