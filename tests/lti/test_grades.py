"""AGS grade passback: a graded attempt's score reaches the platform's line item."""

from datetime import datetime

import pytest
from celery.exceptions import Retry
from django.test import Client
from joserfc import jwt
from joserfc.jwk import KeySet

from exams import services as exam_services
from exams.grading import key_response
from lti import grades, tasks, tokens
from lti.models import GradeSubmission, UserLink

from .conftest import launch
from .platform import LINEITEM, TOKEN_URL

pytestmark = pytest.mark.django_db

SCORES_URL = LINEITEM.replace("/lineitem?", "/lineitem/scores?")


def _sit(user, exam, *, correct=True):
    attempt = exam_services.attempt_start(student=user, exam=exam)
    for question in attempt.questions.select_related("version__question"):
        version = question.version
        response = key_response(question.kind, version.content, version.key)
        if not correct:
            response = {"choice": "a" if response["choice"] != "a" else "c"}
        exam_services.answer_save(
            attempt=attempt, position=question.position, response=response, seq=1
        )
    return attempt


def _launched_learner(fake, exam, **claims):
    response = launch(Client(), fake, custom={"cbec_exam": str(exam.pk)}, **claims)
    assert response.status_code == 302, response.content
    return UserLink.objects.get(sub=claims.get("sub", "moodle-user-42")).user


def test_a_graded_attempt_is_sent_to_the_line_item(
    fake, registered, theory_exam, django_capture_on_commit_callbacks
):
    user = _launched_learner(fake, theory_exam)
    attempt = _sit(user, theory_exam)
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.attempt_submit(attempt=attempt)

    token_request, score_request = fake.requests
    assert token_request.method == "POST" and token_request.url == TOKEN_URL
    form = token_request.form
    assert form["scope"] == tokens.SCORE_SCOPE
    assertion = jwt.decode(
        form["client_assertion"],
        KeySet.import_key_set(Client().get("/lti/jwks.json").json()),
        algorithms=["RS256"],
    ).claims
    assert assertion["iss"] == fake.client_id and assertion["aud"] == TOKEN_URL

    assert score_request.method == "POST"
    assert score_request.url == SCORES_URL
    assert score_request.headers["Authorization"] == f"Bearer {fake.tokens_issued[0]}"
    assert score_request.headers["Content-Type"] == "application/vnd.ims.lis.v1.score+json"
    body = score_request.json
    assert body["userId"] == "moodle-user-42"
    assert body["scoreGiven"] == 100.0
    assert body["scoreMaximum"] == 100
    assert body["activityProgress"] == "Completed"
    assert body["gradingProgress"] == "FullyGraded"
    assert datetime.fromisoformat(body["timestamp"]).tzinfo is not None

    submission = GradeSubmission.objects.get()
    assert submission.attempt_id == attempt.pk
    assert submission.status == GradeSubmission.Status.SENT
    assert submission.tries == 1 and submission.score_given == 100
    assert submission.sent_at is not None


def test_the_access_token_is_reused(
    fake, registered, theory_exam, django_capture_on_commit_callbacks
):
    theory_exam.attempts_allowed = 2
    theory_exam.save()
    user = _launched_learner(fake, theory_exam)
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.attempt_submit(attempt=_sit(user, theory_exam, correct=False))
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.attempt_submit(attempt=_sit(user, theory_exam))
    assert len(fake.by_path("/token.php")) == 1
    scores = fake.by_path("/scores")
    assert [r.json["scoreGiven"] for r in scores] == [0.0, 100.0]


def test_a_failing_platform_schedules_a_retry_with_backoff(
    fake, registered, theory_exam, django_capture_on_commit_callbacks
):
    fake.score_status = 500
    user = _launched_learner(fake, theory_exam)
    with django_capture_on_commit_callbacks(execute=True):
        # robust on_commit: the retry (raised eagerly here) never breaks the grading.
        attempt = exam_services.attempt_submit(attempt=_sit(user, theory_exam))
    assert attempt.status == "graded"
    submission = GradeSubmission.objects.get()
    assert submission.status == GradeSubmission.Status.PENDING and submission.tries == 1
    assert "500" in submission.last_error
    with pytest.raises(Retry) as retry:
        tasks.grade_send.apply(args=[submission.pk], retries=1, throw=True)
    assert retry.value.when > 0  # a countdown: exponential backoff
    # The last allowed try records the failure instead of retrying again.
    result = tasks.grade_send.apply(args=[submission.pk], retries=tasks.grade_send.max_retries)
    assert result.get() == GradeSubmission.Status.FAILED
    submission.refresh_from_db()
    assert submission.status == GradeSubmission.Status.FAILED and submission.tries == 3
    assert len(fake.by_path("/scores")) == 3


def test_a_failing_platform_is_retried_five_times_then_marked_failed(
    fake, registered, theory_exam, monkeypatch, django_capture_on_commit_callbacks
):
    # Let eager Celery run the retries in turn, as a worker would after each countdown.
    monkeypatch.setitem(tasks.grade_send.app.conf, "task_eager_propagates", False)
    fake.score_status = 502
    user = _launched_learner(fake, theory_exam)
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.attempt_submit(attempt=_sit(user, theory_exam))
    submission = GradeSubmission.objects.get()
    assert submission.status == GradeSubmission.Status.FAILED
    assert submission.tries == 1 + tasks.grade_send.max_retries == 6
    assert "502" in submission.last_error
    assert len(fake.by_path("/scores")) == 6
    assert len(fake.by_path("/token.php")) == 1  # the token is cached across tries


def test_a_transient_failure_asks_for_a_retry_until_the_last_try(fake, registered, theory_exam):
    fake.score_status = 503
    user = _launched_learner(fake, theory_exam)
    attempt = _sit(user, theory_exam)
    attempt = exam_services.attempt_submit(attempt=attempt)  # no on-commit run: by hand
    [submission] = grades.grade_submissions_prepare(attempt=attempt)
    with pytest.raises(grades.RetryLater):
        grades.grade_submission_send(submission_id=submission.pk, final_try=False)
    submission.refresh_from_db()
    assert submission.status == GradeSubmission.Status.PENDING and submission.tries == 1
    fake.score_status = 200
    grades.grade_submission_send(submission_id=submission.pk, final_try=False)
    submission.refresh_from_db()
    assert submission.status == GradeSubmission.Status.SENT and submission.tries == 2


def test_a_rejected_score_fails_at_once(
    fake, registered, theory_exam, django_capture_on_commit_callbacks
):
    fake.score_status = 400
    user = _launched_learner(fake, theory_exam)
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.attempt_submit(attempt=_sit(user, theory_exam))
    submission = GradeSubmission.objects.get()
    assert submission.status == GradeSubmission.Status.FAILED and submission.tries == 1


def test_a_sent_score_is_not_sent_twice(
    fake, registered, theory_exam, django_capture_on_commit_callbacks
):
    user = _launched_learner(fake, theory_exam)
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.attempt_submit(attempt=_sit(user, theory_exam))
    submission = GradeSubmission.objects.get()
    tasks.grade_send.delay(submission.pk)
    assert len(fake.by_path("/scores")) == 1


def test_unreleased_results_wait_for_the_release(
    fake, registered, theory_exam, django_capture_on_commit_callbacks
):
    theory_exam.release_results = False
    theory_exam.save()
    user = _launched_learner(fake, theory_exam)
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.attempt_submit(attempt=_sit(user, theory_exam))
    assert GradeSubmission.objects.get().held
    assert fake.requests == []
    assert tasks.grades_release_held.delay().get() == 0
    theory_exam.release_results = True
    theory_exam.save()
    assert tasks.grades_release_held.delay().get() == 1
    assert GradeSubmission.objects.get().status == GradeSubmission.Status.SENT


def test_no_passback_without_an_lti_launch(
    fake, registered, theory_exam, student, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.attempt_submit(attempt=_sit(student, theory_exam))
    assert not GradeSubmission.objects.exists()
    assert fake.requests == []


def test_no_passback_without_a_line_item(
    fake, registered, theory_exam, django_capture_on_commit_callbacks
):
    user = _launched_learner(fake, theory_exam, lineitem=None)
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.attempt_submit(attempt=_sit(user, theory_exam))
    assert not GradeSubmission.objects.exists()
