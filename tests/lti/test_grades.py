"""AGS grade passback: a graded attempt's score reaches the platform's line item."""

import io
import time
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import KeySet

from exams import services as exam_services
from exams.grading import key_response
from lti import grades, tasks, tokens
from lti.models import GradeSubmission, ResourceLink, UserLink

from .conftest import launch
from .platform import LINEITEM, TOKEN_URL

pytestmark = pytest.mark.django_db

SCORES_URL = LINEITEM.replace("/lineitem?", "/lineitem/scores?")


def _sit(user, exam, *, correct=True, wrong=0):
    """Sit the exam: all right, all wrong (correct=False), or `wrong` questions wrong."""
    attempt = exam_services.attempt_start(student=user, exam=exam)
    questions = attempt.questions.select_related("version__question").order_by("position")
    for index, question in enumerate(questions):
        version = question.version
        response = key_response(question.kind, version.content, version.key)
        if not correct or index < wrong:
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

    token_request, lineitem_request, score_request = fake.requests
    assert token_request.method == "POST" and token_request.url == TOKEN_URL
    form = token_request.form
    assert form["scope"].split() == [tokens.SCORE_SCOPE, tokens.LINEITEM_SCOPE]
    assertion = jwt.decode(
        form["client_assertion"],
        KeySet.import_key_set(Client().get("/lti/jwks.json").json()),
        algorithms=["RS256"],
    ).claims
    assert assertion["iss"] == fake.client_id and assertion["aud"] == TOKEN_URL

    assert lineitem_request.method == "GET" and lineitem_request.url == LINEITEM
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
    assert submission.sent_at is not None and submission.next_try_at is None


def test_the_score_is_scaled_to_the_line_items_maximum(
    fake, registered, theory_exam, django_capture_on_commit_callbacks
):
    fake.lineitem_maximum = 10
    user = _launched_learner(fake, theory_exam)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = exam_services.attempt_submit(attempt=_sit(user, theory_exam, wrong=1))
    assert attempt.total_percent == 75
    [score] = fake.by_path("/scores")
    assert score.json["scoreGiven"] == 7.5
    assert score.json["scoreMaximum"] == 10
    submission = GradeSubmission.objects.get()
    assert submission.score_given == Decimal("7.5") and submission.score_maximum == 10
    assert ResourceLink.objects.get().score_maximum == 10


def test_a_line_item_without_a_maximum_gets_the_resources_own(
    fake, registered, theory_exam, django_capture_on_commit_callbacks
):
    fake.lineitem_maximum = None
    user = _launched_learner(fake, theory_exam)
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.attempt_submit(attempt=_sit(user, theory_exam, wrong=1))
    [score] = fake.by_path("/scores")
    assert (score.json["scoreGiven"], score.json["scoreMaximum"]) == (75.0, 100)


def test_without_a_line_item_scope_the_maximum_is_not_asked_for(
    fake, registered, theory_exam, django_capture_on_commit_callbacks
):
    endpoint = {"scope": [tokens.SCORE_SCOPE], "lineitem": LINEITEM}
    user = _launched_learner(fake, theory_exam, **{tokens.AGS_ENDPOINT: endpoint})
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.attempt_submit(attempt=_sit(user, theory_exam))
    assert [r.method for r in fake.requests] == ["POST", "POST"]  # token, score
    assert fake.requests[0].form["scope"] == tokens.SCORE_SCOPE
    assert fake.by_path("/scores")[0].json["scoreMaximum"] == 100


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


# --- Retries: the row is the truth -----------------------------------------------------------


def _due_now():
    """Time passes: every pending row's next try has come."""
    GradeSubmission.objects.filter(status="pending").update(
        next_try_at=timezone.now() - timedelta(seconds=1)
    )


def test_a_503_without_a_broker_is_retried_after_a_backoff(
    fake, registered, theory_exam, timers, django_capture_on_commit_callbacks
):
    # `make run`: no broker, tasks run eagerly inside the request that graded the attempt.
    fake.score_statuses = [503]
    user = _launched_learner(fake, theory_exam)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        attempt = exam_services.attempt_submit(attempt=_sit(user, theory_exam))
    assert attempt.status == "graded"  # the failure never reaches the student
    submission = GradeSubmission.objects.get()
    assert submission.status == GradeSubmission.Status.PENDING and submission.tries == 1
    assert "503" in submission.last_error
    wait = (submission.next_try_at - before).total_seconds()
    assert 27 <= wait <= 34  # the first backoff, 30 s ± 10 %
    [(countdown, submission_id)] = timers  # an in-process timer, since there is no beat
    assert 27 <= countdown <= 33 and submission_id == submission.pk
    assert tasks.grades_sweep() == 0  # not due yet: nothing sent early

    _due_now()
    assert tasks.grade_send(submission_id) == GradeSubmission.Status.SENT
    submission.refresh_from_db()
    assert submission.tries == 2 and submission.last_error == ""
    assert len(fake.by_path("/scores")) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_in_process_timer_sends_the_retry_by_itself(
    fake, registered, theory_exam, monkeypatch, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite test databases are in memory, one connection")
    monkeypatch.setattr(tasks, "start_timer", tasks._timer)  # the real thread, this once
    settings.LTI_GRADE_RETRY_SECONDS = 0.2
    fake.score_statuses = [503]
    user = _launched_learner(fake, theory_exam)
    exam_services.attempt_submit(attempt=_sit(user, theory_exam))  # autocommit: on_commit runs
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        submission = GradeSubmission.objects.get()
        if submission.status != GradeSubmission.Status.PENDING:
            break
        time.sleep(0.1)
    assert submission.status == GradeSubmission.Status.SENT and submission.tries == 2
    assert len(fake.by_path("/scores")) == 2


def test_a_platform_that_keeps_failing_is_given_up_after_the_last_try(
    fake, registered, theory_exam, timers, settings, django_capture_on_commit_callbacks
):
    settings.LTI_GRADE_MAX_TRIES = 4
    fake.score_status = 502
    user = _launched_learner(fake, theory_exam)
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.attempt_submit(attempt=_sit(user, theory_exam))
    for _ in range(3):
        _due_now()
        assert tasks.grades_sweep() == 1
    submission = GradeSubmission.objects.get()
    assert submission.status == GradeSubmission.Status.FAILED and submission.tries == 4
    assert submission.last_error.startswith("gave up after 4 tries: HttpError: HTTP 502")
    assert submission.next_try_at is None
    waits = [countdown for countdown, _id in timers]
    assert len(waits) == 3  # none after the last try
    for wait, expected in zip(waits, (30, 60, 120), strict=True):
        assert expected * 0.9 <= wait <= expected * 1.1  # doubling backoff
    _due_now()
    assert tasks.grades_sweep() == 0  # a failed row is not swept again
    assert len(fake.by_path("/scores")) == 4
    assert len(fake.by_path("/token.php")) == 1  # the token is cached across tries


def test_the_backoff_doubles_up_to_its_cap(settings):
    settings.LTI_GRADE_RETRY_SECONDS = 30
    settings.LTI_GRADE_RETRY_MAX_SECONDS = 100
    for tries, expected in ((1, 30), (2, 60), (3, 100), (4, 100), (20, 100)):
        for _ in range(20):
            assert expected * 0.9 <= grades.backoff(tries) <= expected * 1.1


def test_a_try_in_flight_is_not_sent_twice_and_is_taken_over_after_its_claim(
    fake, registered, theory_exam
):
    user = _launched_learner(fake, theory_exam)
    attempt = exam_services.attempt_submit(attempt=_sit(user, theory_exam))  # not sent yet
    [submission] = grades.grade_submissions_prepare(attempt=attempt)
    # A worker claims the row and dies before it answers.
    claimed, ok = grades._claim(submission.pk, timezone.now())
    assert ok and claimed.tries == 1
    again = grades.grade_submission_send(submission_id=submission.pk)
    assert again.status == GradeSubmission.Status.PENDING and again.tries == 1
    assert tasks.grades_sweep() == 0 and fake.requests == []
    assert 299 <= (claimed.next_try_at - timezone.now()).total_seconds() <= 300  # the claim
    # Once the claim has run out the sweep takes the row over.
    _due_now()
    assert tasks.grades_sweep() == 1
    submission.refresh_from_db()
    assert submission.status == GradeSubmission.Status.SENT and submission.tries == 2


def test_the_sweep_runs_every_minute_in_beat(settings):
    entries = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert entries["lti.tasks.grades_sweep"] <= 60


def test_the_command_sends_due_grades(fake, registered, theory_exam):
    user = _launched_learner(fake, theory_exam)
    attempt = exam_services.attempt_submit(attempt=_sit(user, theory_exam))  # not sent yet
    grades.grade_submissions_prepare(attempt=attempt)
    out = io.StringIO()
    call_command("lti_send_due_grades", stdout=out)
    assert out.getvalue().strip() == "1 due, 1 sent."
    assert GradeSubmission.objects.get().status == GradeSubmission.Status.SENT


def test_staff_can_send_a_failed_score_again(
    fake, registered, theory_exam, admin_client, django_capture_on_commit_callbacks
):
    fake.score_status = 400
    user = _launched_learner(fake, theory_exam)
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.attempt_submit(attempt=_sit(user, theory_exam))
    submission = GradeSubmission.objects.get()
    assert submission.status == GradeSubmission.Status.FAILED
    fake.score_status = 200
    response = admin_client.post(
        reverse("admin:lti_gradesubmission_changelist"),
        {"action": "send_again", "_selected_action": [submission.pk]},
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == GradeSubmission.Status.SENT and submission.tries == 1


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
