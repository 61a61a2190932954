"""Forwarding learning records to a Learning Record Store (xAPI 2.0), in batches, with retries.

`forward_pending()` (the beat task reports.tasks.forward_statements, every minute) POSTs the
statements not yet forwarded to <XAPI_LRS_ENDPOINT>/statements, a batch at a time, with the
header X-Experience-API-Version: 2.0.0 and basic authentication.

Idempotent by statement id: an LRS stores a statement id once. A batch the LRS refuses
with 409 Conflict (some id it already holds) is sent again statement by statement with
PUT ?statementId=…, where 204 means stored (or already held, the same) and 409 means the
LRS holds a different statement under that id: that one is given up on and its error kept.
Any other failure (network, 5xx, 429) leaves the batch for a later sweep after a back-off
that doubles with each attempt (1 minute, 2, 4, … up to 6 hours); a 4xx other than 409
means the LRS judged the batch invalid, and the statements are retried one by one so that
one bad statement does not hold back the rest.
"""

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from . import conf
from .models import Statement

VERSION_HEADER = "X-Experience-API-Version"
MAX_BACKOFF = timedelta(hours=6)
# A sweep stops after this many batches; the next sweep goes on.
MAX_BATCHES_PER_SWEEP = 50


@dataclass
class Answer:
    status: int  # 0: no answer (network error, timeout)
    body: str = ""


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    conflicts: int = 0


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return min(timedelta(minutes=2 ** max(0, attempts - 1)), MAX_BACKOFF)


def _request(method: str, url: str, body: bytes) -> Answer:
    headers = {
        "Content-Type": "application/json",
        VERSION_HEADER: "2.0.0",
    }
    credentials = conf.lrs_credentials()
    if credentials is not None:
        token = base64.b64encode(":".join(credentials).encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    # The endpoint's scheme is http(s) only (reports.conf.lrs_endpoint refuses others).
    request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=conf.timeout_seconds()) as response:  # noqa: S310
            return Answer(response.status, response.read(2000).decode("utf-8", "replace"))
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, exc.read(2000).decode("utf-8", "replace"))
    except (urllib.error.URLError, OSError) as exc:
        return Answer(0, str(getattr(exc, "reason", exc)))


def _body(statements: list[Statement]) -> bytes:
    return json.dumps([s.data for s in statements], ensure_ascii=False).encode("utf-8")


def _mark_sent(statements: list[Statement], now) -> None:
    Statement.objects.filter(pk__in=[s.pk for s in statements]).update(
        forwarded_at=now, attempts=F("attempts") + 1, last_error="", next_attempt_at=None
    )


def _mark_failed(statements: list[Statement], now, answer: Answer, *, give_up=False) -> None:
    error = f"HTTP {answer.status}: {answer.body}" if answer.status else answer.body
    for statement in statements:
        attempts = Statement.MAX_ATTEMPTS if give_up else statement.attempts + 1
        Statement.objects.filter(pk=statement.pk).update(
            attempts=attempts, last_error=error[:2000], next_attempt_at=now + backoff(attempts)
        )


def _put_one(endpoint: str, statement: Statement, now, outcome: Outcome) -> None:
    query = urllib.parse.urlencode({"statementId": str(statement.pk)})
    answer = _request("PUT", f"{endpoint}/statements?{query}", _body([statement])[1:-1])
    if answer.status in (200, 204):
        _mark_sent([statement], now)
        outcome.sent += 1
    elif answer.status == 409:
        _mark_failed([statement], now, answer, give_up=True)
        outcome.conflicts += 1
    else:
        _mark_failed([statement], now, answer)
        outcome.failed += 1


def forward_pending(*, now=None) -> Outcome:
    """Forward what is due; returns how many were sent, failed (retried later) or conflicted."""
    endpoint = conf.lrs_endpoint()
    outcome = Outcome()
    if not endpoint:
        return outcome
    now = now or timezone.now()
    for _batch in range(MAX_BATCHES_PER_SWEEP):
        batch = list(Statement.objects.pending(now).order_by("stored_at")[: conf.batch_size()])
        if not batch:
            break
        answer = _request("POST", f"{endpoint}/statements", _body(batch))
        if answer.status == 200:
            _mark_sent(batch, now)
            outcome.sent += len(batch)
        elif 400 <= answer.status < 500 and answer.status != 429:
            sent_before = outcome.sent
            for statement in batch:
                _put_one(endpoint, statement, now, outcome)
            if outcome.sent == sent_before:
                break  # nothing got through one by one either (credentials?): stop here
        else:
            _mark_failed(batch, now, answer)
            outcome.failed += len(batch)
            break  # the LRS is unwell: leave the rest for the next sweep
    return outcome


def retry_given_up() -> int:
    """Put the statements given up on (conflicts, too many failures) back in the queue, once
    whatever refused them is sorted out; returns how many."""
    return Statement.objects.filter(
        forwarded_at__isnull=True, attempts__gte=Statement.MAX_ATTEMPTS
    ).update(attempts=0, next_attempt_at=None)
