"""Write paths for AGS grade passback: prepare submissions, get a token, post the score.

Delivery state lives in the GradeSubmission row (see its docstring): a try claims the
row, a transient failure sets when the next try is due (exponential backoff) until
LTI_GRADE_MAX_TRIES, and `grades_due` lists what the sweep must send.
"""

import hashlib
import random
import secrets
import time
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from exams.models import Attempt

from . import outbound, tokens
from .models import GradeSubmission, Platform, ResourceLink, UserLink
from .services import tool_key_current


def max_tries() -> int:
    return int(getattr(settings, "LTI_GRADE_MAX_TRIES", 6))


def retry_seconds() -> float:
    """The first backoff; each later try waits twice as long, up to the maximum."""
    return float(getattr(settings, "LTI_GRADE_RETRY_SECONDS", 30))


def retry_max_seconds() -> float:
    return float(getattr(settings, "LTI_GRADE_RETRY_MAX_SECONDS", 3600))


def claim_seconds() -> float:
    """How long a try in flight holds its row before the sweep may take it over."""
    return float(getattr(settings, "LTI_GRADE_CLAIM_SECONDS", 300))


class RetryLater(Exception):
    """A transient failure: the row is due again in `countdown` seconds."""

    def __init__(self, message: str, *, countdown: float):
        super().__init__(message)
        self.countdown = countdown


def backoff(tries: int) -> float:
    """Seconds to wait after the `tries`-th failed try: doubling, capped, ±10 % jitter."""
    delay = min(retry_seconds() * 2 ** max(tries - 1, 0), retry_max_seconds())
    return delay * random.uniform(0.9, 1.1)  # noqa: S311 - spreading retries, not secrecy


def _results_visible(attempt: Attempt, now=None) -> bool:
    """The same rule the result page follows: released, or the exam has closed."""
    exam = attempt.exam
    return exam.release_results or exam.is_closed(now)


def grade_submissions_prepare(*, attempt: Attempt) -> list[GradeSubmission]:
    """A pending submission per AGS line item the student launched this exam from.

    Returns the ones to send now; results the exam does not release yet are held.
    """
    if attempt.status != Attempt.Status.GRADED or attempt.total_percent is None:
        return []
    links = (
        ResourceLink.objects.filter(
            exam_id=attempt.exam_id,
            platform__is_active=True,
            learners__user_id=attempt.student_id,
        )
        .exclude(lineitem_url="")
        .distinct()
    )
    held = not _results_visible(attempt)
    now = timezone.now()
    ready = []
    for link in links:
        if tokens.SCORE_SCOPE not in (link.scopes or []):
            continue
        submission, _created = GradeSubmission.objects.update_or_create(
            attempt=attempt,
            resource_link=link,
            defaults={
                "status": GradeSubmission.Status.PENDING,
                "held": held,
                "tries": 0,
                "next_try_at": now,
                "last_error": "",
            },
        )
        if not held:
            ready.append(submission)
    return ready


def grades_release_held(*, now=None) -> list[int]:
    """Ids of held submissions whose exam now shows results (they are un-held)."""
    held = GradeSubmission.objects.filter(
        held=True, status=GradeSubmission.Status.PENDING
    ).select_related("attempt__exam")
    ids = [s.pk for s in held if _results_visible(s.attempt, now)]
    GradeSubmission.objects.filter(pk__in=ids).update(held=False, next_try_at=now or timezone.now())
    return ids


def grades_due(*, now=None, limit: int = 1000) -> list[int]:
    """Ids of the submissions whose next try has come, oldest first (for the sweep)."""
    due = GradeSubmission.objects.due(now).order_by("next_try_at", "pk")
    return list(due.values_list("pk", flat=True)[:limit])


def grades_retry(*, submission_ids, now=None) -> list[int]:
    """Make failed or stuck submissions due again with a fresh count of tries (admin)."""
    ids = list(
        GradeSubmission.objects.filter(pk__in=submission_ids, held=False)
        .exclude(status=GradeSubmission.Status.SENT)
        .values_list("pk", flat=True)
    )
    GradeSubmission.objects.filter(pk__in=ids).update(
        status=GradeSubmission.Status.PENDING, tries=0, next_try_at=now or timezone.now()
    )
    return ids


def token_cache_key(platform: Platform, scopes: list[str]) -> str:
    digest = hashlib.sha256(" ".join(sorted(scopes)).encode()).hexdigest()[:16]
    return f"lti:token:{platform.pk}:{digest}"


def access_token(platform: Platform, *, scopes: list[str], transport=None) -> str:
    """An OAuth2 bearer token from the platform (client credentials, JWT assertion), cached."""
    key = token_cache_key(platform, scopes)
    token = cache.get(key)
    if token:
        return token
    tool_key = tool_key_current()
    assertion = tokens.sign(
        tokens.client_assertion(
            client_id=platform.client_id,
            audience=platform.auth_audience or platform.auth_token_url,
            jti=secrets.token_urlsafe(16),
            now=int(time.time()),
        ),
        private_pem=tool_key.private_pem,
        kid=tool_key.kid,
    )
    answer = outbound.post_form(
        platform.auth_token_url,
        {
            "grant_type": "client_credentials",
            "client_assertion_type": tokens.CLIENT_ASSERTION_TYPE,
            "client_assertion": assertion,
            "scope": " ".join(scopes),
        },
        transport=transport,
    )
    if not answer.ok:
        raise outbound.HttpError(answer.status, answer.body)
    body = answer.json()
    token = body["access_token"]
    lifetime = int(body.get("expires_in", 3600))
    cache.set(key, token, max(lifetime - 60, 1))
    return token


def _fail(submission: GradeSubmission, error: str) -> GradeSubmission:
    submission.status = GradeSubmission.Status.FAILED
    submission.next_try_at = None
    submission.last_error = error[:2000]
    submission.save(update_fields=["status", "next_try_at", "last_error", "updated_at"])
    return submission


def _claim(submission_id: int, now) -> tuple[GradeSubmission, bool]:
    """Lock the row and, when it is due, count a try and hold it while the try runs."""
    with transaction.atomic():
        submission = (
            GradeSubmission.objects.select_for_update()
            .select_related("attempt", "resource_link__platform")
            .get(pk=submission_id)
        )
        # A second's slack: a timer set for the due time may fire a hair early.
        due = submission.next_try_at is None or submission.next_try_at <= now + timedelta(seconds=1)
        if submission.status != GradeSubmission.Status.PENDING or submission.held or not due:
            return submission, False
        submission.tries += 1
        submission.next_try_at = now + timedelta(seconds=claim_seconds())
        submission.save(update_fields=["tries", "next_try_at", "updated_at"])
    return submission, True


def _scopes(link: ResourceLink) -> list[str]:
    """The score scope, and a line item scope to read its maximum when the launch granted one."""
    granted = set(link.scopes or [])
    readable = [s for s in (tokens.LINEITEM_READONLY_SCOPE, tokens.LINEITEM_SCOPE) if s in granted]
    return [tokens.SCORE_SCOPE, *readable[:1]]


def _line_item_maximum(link: ResourceLink, *, token: str, readable: bool, transport) -> Decimal:
    """The line item's scoreMaximum, read from the platform when the scopes allow.

    Falls back to the last one read, then to the resource's own maximum (percent): a
    platform that will not tell still gets a consistent score it can scale.
    """
    if readable:
        try:
            answer = outbound.request(
                "GET",
                link.lineitem_url,
                headers={
                    "Accept": tokens.LINEITEM_MEDIA_TYPE,
                    "Authorization": f"Bearer {token}",
                },
                transport=transport,
            )
            found = tokens.score_maximum_of(answer.json()) if answer.ok else None
        except (OSError, ValueError):
            found = None
        if found is not None:
            maximum = Decimal(str(found))
            if link.score_maximum != maximum:
                ResourceLink.objects.filter(pk=link.pk).update(score_maximum=maximum)
                link.score_maximum = maximum
            return maximum
    return link.score_maximum or Decimal(tokens.PERCENT_MAXIMUM)


def grade_submission_send(*, submission_id: int, transport=None, now=None) -> GradeSubmission:
    """Post the attempt's current score to the line item, if the row is due; idempotent.

    A transient failure (5xx, 401, 408, 429, network) before the last allowed try keeps
    the row pending, sets its next try after a backoff and raises RetryLater; the last
    try, or a permanent failure, marks it failed with the reason.
    """
    now = now or timezone.now()
    submission, claimed = _claim(submission_id, now)
    if not claimed:
        return submission
    attempt, link = submission.attempt, submission.resource_link
    platform = link.platform
    user_link = UserLink.objects.filter(platform=platform, user_id=attempt.student_id).first()
    if attempt.total_percent is None or user_link is None or not platform.auth_token_url:
        return _fail(submission, "nothing to send: no score, platform user or token URL")
    scopes = _scopes(link)
    try:
        token = access_token(platform, scopes=scopes, transport=transport)
        maximum = _line_item_maximum(
            link, token=token, readable=len(scopes) > 1, transport=transport
        )
        given = (attempt.total_percent * maximum / tokens.PERCENT_MAXIMUM).quantize(
            Decimal("0.0001")
        )
        answer = outbound.post_json(
            tokens.scores_url(link.lineitem_url),
            tokens.score(
                user_id=user_link.sub,
                score_given=float(given),
                score_maximum=float(maximum),
                timestamp=timezone.now(),
            ),
            content_type=tokens.SCORE_MEDIA_TYPE,
            headers={"Authorization": f"Bearer {token}"},
            transport=transport,
        )
        if answer.status == 401:
            cache.delete(token_cache_key(platform, scopes))
        if not answer.ok:
            raise outbound.HttpError(answer.status, answer.body)
    except (outbound.HttpError, OSError, ValueError, KeyError, TypeError) as exc:
        transient = not isinstance(exc, outbound.HttpError) or exc.transient
        error = f"{type(exc).__name__}: {exc}"
        if not transient:
            return _fail(submission, error)
        if submission.tries >= max_tries():
            return _fail(submission, f"gave up after {submission.tries} tries: {error}")
        delay = backoff(submission.tries)
        submission.next_try_at = timezone.now() + timedelta(seconds=delay)
        submission.last_error = error[:2000]
        submission.save(update_fields=["next_try_at", "last_error", "updated_at"])
        raise RetryLater(error, countdown=delay) from exc
    submission.status = GradeSubmission.Status.SENT
    submission.score_given = given
    submission.score_maximum = maximum
    submission.sent_at = timezone.now()
    submission.next_try_at = None
    submission.last_error = ""
    submission.save(
        update_fields=[
            "status",
            "score_given",
            "score_maximum",
            "sent_at",
            "next_try_at",
            "last_error",
            "updated_at",
        ]
    )
    return submission
