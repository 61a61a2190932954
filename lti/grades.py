"""Write paths for AGS grade passback: prepare submissions, get a token, post the score."""

import hashlib
import secrets
import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from exams.models import Attempt

from . import outbound, tokens
from .models import GradeSubmission, Platform, ResourceLink, UserLink
from .services import tool_key_current


class RetryLater(Exception):
    """A transient failure: the task retries with backoff."""


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
    GradeSubmission.objects.filter(pk__in=ids).update(held=False)
    return ids


def _token_cache_key(platform: Platform, scopes: list[str]) -> str:
    digest = hashlib.sha256(" ".join(sorted(scopes)).encode()).hexdigest()[:16]
    return f"lti:token:{platform.pk}:{digest}"


def access_token(platform: Platform, *, scopes: list[str], transport=None) -> str:
    """An OAuth2 bearer token from the platform (client credentials, JWT assertion), cached."""
    key = _token_cache_key(platform, scopes)
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
    submission.last_error = error[:2000]
    submission.save(update_fields=["status", "last_error", "tries", "updated_at"])
    return submission


def grade_submission_send(
    *, submission_id: int, final_try: bool = True, transport=None
) -> GradeSubmission:
    """Post the attempt's current score to the line item; idempotent once sent.

    A transient failure raises RetryLater unless this is the final try, which records
    the submission as failed instead.
    """
    with transaction.atomic():
        submission = (
            GradeSubmission.objects.select_for_update()
            .select_related("attempt", "resource_link__platform")
            .get(pk=submission_id)
        )
        if submission.status == GradeSubmission.Status.SENT or submission.held:
            return submission
        submission.tries += 1
        submission.save(update_fields=["tries", "updated_at"])
    attempt, link = submission.attempt, submission.resource_link
    platform = link.platform
    user_link = UserLink.objects.filter(platform=platform, user_id=attempt.student_id).first()
    if attempt.total_percent is None or user_link is None or not platform.auth_token_url:
        return _fail(submission, "nothing to send: no score, platform user or token URL")
    scopes = [tokens.SCORE_SCOPE]
    try:
        token = access_token(platform, scopes=scopes, transport=transport)
        answer = outbound.post_json(
            tokens.scores_url(link.lineitem_url),
            tokens.score(
                user_id=user_link.sub,
                score_given=float(attempt.total_percent),
                timestamp=timezone.now(),
            ),
            content_type=tokens.SCORE_MEDIA_TYPE,
            headers={"Authorization": f"Bearer {token}"},
            transport=transport,
        )
        if answer.status == 401:
            cache.delete(_token_cache_key(platform, scopes))
        if not answer.ok:
            raise outbound.HttpError(answer.status, answer.body)
    except (outbound.HttpError, OSError, ValueError, KeyError, TypeError) as exc:
        transient = not isinstance(exc, outbound.HttpError) or exc.transient
        error = f"{type(exc).__name__}: {exc}"
        if transient and not final_try:
            submission.last_error = error[:2000]
            submission.save(update_fields=["last_error", "updated_at"])
            raise RetryLater(error) from exc
        return _fail(submission, error)
    submission.status = GradeSubmission.Status.SENT
    submission.score_given = attempt.total_percent
    submission.sent_at = timezone.now()
    submission.last_error = ""
    submission.save(update_fields=["status", "score_given", "sent_at", "last_error", "updated_at"])
    return submission
