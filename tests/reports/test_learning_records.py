"""Learning records: a statement for every event, written with it, forwarded to an LRS with
retries, exported by period to the people whose scope it is."""

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from certificates import issuance
from certificates.models import Certificate
from certificates.revocation import certificate_revoke
from courses import services as course_services
from exams import services as exam_services
from exams.grading import key_response
from reports import lrs, tasks, xapi
from reports.models import Learner, Statement
from tests import factories
from tests.reports.lrs_sim import LiveLRS, SimulatedLRS, validate

JOURNEY = ["registered", "completed", "attempted", "passed", "issued", "revoked"]


@pytest.fixture
def no_renders(monkeypatch):
    monkeypatch.setattr(issuance.render_certificate, "delay", lambda *a, **k: None)


@pytest.fixture
def live_lrs(settings):
    sim = SimulatedLRS()
    with LiveLRS(sim) as served:
        settings.XAPI_LRS_ENDPOINT = served.url
        settings.XAPI_LRS_USERNAME = "lrs-user"
        settings.XAPI_LRS_PASSWORD = "lrs-secret"
        yield sim


def sit(student, exam, *, correct=True):
    attempt = exam_services.attempt_start(student=student, exam=exam)
    for question in attempt.questions.select_related("version__question"):
        version = question.version
        response = (
            key_response(version.question.kind, version.content, version.key)
            if correct
            else {"choice": "a"}
        )
        exam_services.answer_save(
            attempt=attempt, position=question.position, response=response, seq=1
        )
    return exam_services.attempt_submit(attempt=attempt)


def journey(student, course, exam, regulator, callbacks) -> Certificate:
    """Enrol, complete the course, sit and pass the exam (a certificate), then revoke it."""
    course_services.enrollment_create(student=student, course=course)
    factories.spend_time(student, course, minutes=course.min_lesson_minutes)
    for lesson in course.lessons():
        course_services.lesson_complete(student=student, lesson=lesson)
    with callbacks(execute=True):
        sit(student, exam)
    certificate = Certificate.objects.get(attempt__student=student)
    certificate_revoke(certificate=certificate, reason="misconduct", by=regulator)
    return certificate


def _verb(statement: dict) -> str:
    """The verb's last path segment: passed, issued…"""
    return statement["verb"]["id"].rstrip("/").rsplit("/", 1)[1]


def verbs(**filters) -> list[str]:
    return list(
        Statement.objects.filter(**filters).order_by("stored_at").values_list("verb", flat=True)
    )


# --- Written with each event --------------------------------------------------------------------


def test_the_whole_journey_leaves_one_statement_per_event(
    student, course, theory_exam, regulator, django_capture_on_commit_callbacks, no_renders
):
    journey(student, course, theory_exam, regulator, django_capture_on_commit_callbacks)

    assert verbs() == JOURNEY
    learner = str(Learner.objects.get(person=student).id)
    for statement in Statement.objects.all():
        validate(statement.data)
        assert statement.person == student
        assert statement.data["actor"]["account"]["name"] == learner
    passed = Statement.objects.get(verb="passed")
    assert passed.data["result"]["success"] is True
    assert passed.data["result"]["score"]["scaled"] == 1.0
    assert passed.owner_id == theory_exam.skill_level.standard.owner_id
    attempted = Statement.objects.get(verb="attempted")
    # The attempt's statements share its registration; the certificate's points to the exam.
    registration = passed.data["context"]["registration"]
    assert attempted.data["context"]["registration"] == registration
    issued = Statement.objects.get(verb="issued")
    assert issued.data["context"]["registration"] == registration
    certificate = Certificate.objects.get()
    assert issued.data["object"]["id"].endswith(f"/verify/{certificate.serial}/")
    assert issued.data["context"]["contextActivities"]["parent"][0]["id"].endswith(
        f"/exams/{theory_exam.pk}/"
    )
    enrolled = Statement.objects.get(verb="registered")
    assert enrolled.data["object"]["definition"]["name"] == {
        "en-US": "SEO Marketing",
        "zh-CN": "搜索引擎优化营销",
    }


def test_statements_name_no_one(
    student, course, theory_exam, regulator, django_capture_on_commit_callbacks, no_renders
):
    journey(student, course, theory_exam, regulator, django_capture_on_commit_callbacks)

    exported = json.dumps(
        list(Statement.objects.values_list("data", flat=True)), ensure_ascii=False
    )
    for personal in ("student", "student@example.org", "张伟", "Zhang Wei"):
        assert personal not in exported


def test_a_failed_attempt_is_a_failed_statement_with_its_score(student, theory_exam):
    sit(student, theory_exam, correct=False)

    failed = Statement.objects.get(verb="failed")
    assert failed.data["result"]["success"] is False
    assert failed.data["result"]["score"]["raw"] < 60
    validate(failed.data)


def test_an_event_rolled_back_leaves_no_statement(student, course):
    with pytest.raises(RuntimeError), transaction.atomic():
        course_services.enrollment_create(student=student, course=course)
        assert verbs() == ["registered"]
        raise RuntimeError("the request failed after enrolling")

    assert Statement.objects.count() == 0


def test_re_enrolling_after_withdrawing_is_registered_again(student, course):
    enrollment = course_services.enrollment_create(student=student, course=course)
    course_services.enrollment_withdraw(enrollment=enrollment)
    course_services.enrollment_create(student=student, course=course)

    assert verbs() == ["registered", "registered"]
    first, second = Statement.objects.order_by("stored_at")
    assert first.pk != second.pk
    assert first.data["context"]["registration"] == second.data["context"]["registration"]


def test_a_deleted_account_leaves_its_statements_with_the_opaque_id(student, course):
    course_services.enrollment_create(student=student, course=course)
    statement = Statement.objects.get()
    learner = statement.data["actor"]["account"]["name"]

    student.enrollments.all().delete()
    student.delete()

    statement.refresh_from_db()
    assert statement.person is None
    assert statement.data["actor"]["account"]["name"] == learner
    assert not Learner.objects.exists()


# --- Forwarding to an LRS -----------------------------------------------------------------------


def test_the_journey_is_accepted_by_the_simulated_lrs(
    live_lrs,
    student,
    course,
    theory_exam,
    regulator,
    django_capture_on_commit_callbacks,
    no_renders,
):
    journey(student, course, theory_exam, regulator, django_capture_on_commit_callbacks)

    assert tasks.forward_statements.delay().get() == len(JOURNEY)

    assert live_lrs.rejections == []
    assert set(live_lrs.statements) == {
        str(pk) for pk in Statement.objects.values_list("pk", flat=True)
    }
    assert sorted(_verb(s) for s in live_lrs.statements.values()) == sorted(JOURNEY)
    assert not Statement.objects.filter(forwarded_at__isnull=True).exists()
    assert set(Statement.objects.values_list("attempts", flat=True)) == {1}
    # Nothing left: a second sweep sends nothing.
    assert lrs.forward_pending().sent == 0


def test_an_lrs_answering_503_is_retried_after_a_back_off(live_lrs, student, course, settings):
    course_services.enrollment_create(student=student, course=course)
    settings.XAPI_LRS_BATCH_SIZE = 10
    live_lrs.fail_with = [503]
    start = timezone.now()

    first = lrs.forward_pending(now=start)

    assert (first.sent, first.failed) == (0, 1)
    statement = Statement.objects.get()
    assert statement.forwarded_at is None and statement.attempts == 1
    assert statement.last_error.startswith("HTTP 503")
    assert statement.next_attempt_at == start + timedelta(minutes=1)
    # Within the back-off the sweep leaves it alone.
    assert lrs.forward_pending(now=start + timedelta(seconds=30)).sent == 0
    assert live_lrs.requests == [("POST", 503)]

    second = lrs.forward_pending(now=start + timedelta(minutes=1))

    assert second.sent == 1
    statement.refresh_from_db()
    assert statement.forwarded_at is not None and statement.attempts == 2
    assert statement.last_error == ""
    assert live_lrs.requests == [("POST", 503), ("POST", 200)]
    assert str(statement.pk) in live_lrs.statements


def test_the_back_off_doubles_up_to_six_hours():
    assert [lrs.backoff(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (1, 2, 4)]
    assert lrs.backoff(30) == timedelta(hours=6)


def test_sending_again_what_the_lrs_holds_is_harmless(live_lrs, student, course):
    course_services.enrollment_create(student=student, course=course)
    statement = Statement.objects.get()
    live_lrs.statements[str(statement.pk)] = json.loads(json.dumps(statement.data))

    assert lrs.forward_pending().sent == 1
    assert live_lrs.requests == [("POST", 200)]


def test_a_conflicting_id_is_given_up_and_the_rest_of_the_batch_goes_through(
    live_lrs, student, other_student, course
):
    course_services.enrollment_create(student=student, course=course)
    course_services.enrollment_create(student=other_student, course=course)
    clash, fine = Statement.objects.order_by("stored_at")
    live_lrs.statements[str(clash.pk)] = {**clash.data, "verb": {"id": "http://x.example/v"}}

    outcome = lrs.forward_pending()

    assert (outcome.sent, outcome.conflicts) == (1, 1)
    assert live_lrs.requests == [("POST", 409), ("PUT", 409), ("PUT", 204)]
    clash.refresh_from_db()
    fine.refresh_from_db()
    assert fine.forwarded_at is not None
    assert clash.forwarded_at is None and clash.attempts == Statement.MAX_ATTEMPTS
    assert "409" in clash.last_error
    # Given up: later sweeps do not try it again.
    assert lrs.forward_pending(now=timezone.now() + timedelta(days=1)).sent == 0


def test_wrong_credentials_keep_the_statements_for_later(live_lrs, student, course, settings):
    course_services.enrollment_create(student=student, course=course)
    settings.XAPI_LRS_PASSWORD = "wrong"

    outcome = lrs.forward_pending()

    assert outcome.sent == 0
    statement = Statement.objects.get()
    assert statement.forwarded_at is None and statement.attempts == 1
    assert "401" in statement.last_error


def test_an_unreachable_lrs_is_a_failure_to_retry(student, course, settings):
    settings.XAPI_LRS_ENDPOINT = "http://127.0.0.1:9/xapi"  # the discard port: refused
    course_services.enrollment_create(student=student, course=course)

    assert lrs.forward_pending().failed == 1
    assert Statement.objects.get().attempts == 1


def test_forwarding_is_off_without_an_endpoint(student, course, settings):
    settings.XAPI_LRS_ENDPOINT = ""
    course_services.enrollment_create(student=student, course=course)

    assert tasks.forward_statements.delay().get() == 0
    assert Statement.objects.get().attempts == 0


def test_an_endpoint_that_is_not_http_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.XAPI_LRS_ENDPOINT = "file:///etc/passwd"
    with pytest.raises(ImproperlyConfigured):
        lrs.forward_pending()


# --- Export -------------------------------------------------------------------------------------


@pytest.fixture
def school_admin(school):
    return factories.person("school-admin", school, "admin")


@pytest.fixture
def recorded(
    student, course, theory_exam, regulator, django_capture_on_commit_callbacks, no_renders
):
    journey(student, course, theory_exam, regulator, django_capture_on_commit_callbacks)
    # Another school's enrolment: not for this school's administrators, nor (unaccredited)
    # for the regulator.
    elsewhere = factories.organization(kind="school", code="far-school")
    other_course = factories.course(elsewhere, code="far-course")
    learner = factories.person("far-student", elsewhere, "student")
    course_services.enrollment_create(student=learner, course=other_course)


def _lines(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return [json.loads(line) for line in body.splitlines()]


def _export_url(start, end) -> str:
    return reverse("reports:learning_records_export") + f"?start={start}&end={end}"


def test_a_regulator_downloads_the_period_as_json_lines(client, regulator, recorded):
    client.force_login(regulator)
    today = timezone.localdate()

    response = client.get(_export_url(today, today))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    assert response["Content-Disposition"].endswith('.jsonl"')
    lines = _lines(response)
    assert [_verb(line) for line in lines] == JOURNEY
    for line in lines:
        validate(line)


def test_the_period_bounds_the_export(client, regulator, recorded):
    client.force_login(regulator)
    Statement.objects.filter(verb="registered").update(
        timestamp=timezone.now() - timedelta(days=40)
    )
    today = timezone.localdate()

    lines = _lines(client.get(_export_url(today - timedelta(days=7), today)))

    assert "registered" not in [_verb(line) for line in lines]
    older = _lines(client.get(_export_url(today - timedelta(days=41), today - timedelta(days=39))))
    assert [_verb(line) for line in older] == ["registered"]


def test_a_school_administrator_gets_only_their_school(client, school_admin, recorded):
    client.force_login(school_admin)
    today = timezone.localdate()

    lines = _lines(client.get(_export_url(today, today)))

    assert len(lines) == len(JOURNEY)
    assert Statement.objects.count() == len(JOURNEY) + 1


@pytest.mark.parametrize("persona", ["student", "teacher", "mentor", "verifier", "outsider"])
def test_others_may_not_export_learning_records(client, request, persona, recorded):
    client.force_login(request.getfixturevalue(persona))
    today = timezone.localdate()

    assert client.get(reverse("reports:learning_records")).status_code == 403
    assert client.get(_export_url(today, today)).status_code == 403
    api = client.get(reverse("reports_api:learning_records"), {"start": today, "end": today})
    assert api.status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("reports:learning_records"))
    assert response.status_code == 302


def test_a_period_ending_before_it_starts_is_refused_on_the_page(client, regulator):
    client.force_login(regulator)
    today = timezone.localdate()

    response = client.get(_export_url(today, today - timedelta(days=1)))

    assert response.status_code == 400
    assert "The period must end on or after the day it starts." in response.content.decode()
    assert client.get(reverse("reports:learning_records_export")).status_code == 400


def test_the_page_counts_the_records_and_is_linked_from_the_statistics(
    client, regulator, recorded, settings
):
    client.force_login(regulator)

    page = client.get(reverse("reports:learning_records"))
    statistics = client.get(reverse("reports:statistics_home"))

    assert page.status_code == 200
    assert page.context["total"] == len(JOURNEY)
    assert "Forwarding to a Learning Record Store is not configured." in page.content.decode()
    assert reverse("reports:learning_records") in statistics.content.decode()


def test_the_page_speaks_chinese(client, regulator):
    client.force_login(regulator)
    response = client.get(reverse("reports:learning_records"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "学习记录" in response.content.decode()


def test_the_api_streams_the_same_lines(client, regulator, recorded):
    client.force_login(regulator)
    today = timezone.localdate()

    response = client.get(reverse("reports_api:learning_records"), {"start": today, "end": today})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    assert len(_lines(response)) == len(JOURNEY)
    bad = client.get(reverse("reports_api:learning_records"), {"start": "yesterday"})
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/json"


def test_the_sites_own_iris_answer_with_their_definition(client, db):
    own = [iri for iri, _display in xapi.VERBS.values() if iri.startswith("/")]
    own += [iri for iri in xapi.ACTIVITY_TYPES.values() if iri.startswith("/")]
    assert len(own) == 4
    for path in own:
        response = client.get(path)
        assert response.status_code == 200, path
        entry = response.json()
        assert entry["id"] == "http://127.0.0.1:8000" + path
        assert entry["type"] in {"Verb", "ActivityType"}
        assert set(entry["prefLabel"]) == set(entry["definition"]) == {"en-US", "zh-CN"}
    assert reverse("reports:xapi_verb_issued") == xapi.VERBS["issued"][0]


def test_the_command_forwards_now_and_can_retry_what_was_given_up(live_lrs, student, course):
    from io import StringIO

    from django.core.management import call_command

    course_services.enrollment_create(student=student, course=course)
    Statement.objects.update(attempts=Statement.MAX_ATTEMPTS, last_error="HTTP 409: conflict")
    out = StringIO()

    call_command("xapi_forward", stdout=out)
    assert "Sent: 0" in out.getvalue()

    call_command("xapi_forward", "--retry-given-up", stdout=out)
    assert "Queued again: 1" in out.getvalue() and "Sent: 1" in out.getvalue()
    assert Statement.objects.get().forwarded_at is not None


def test_the_command_says_when_forwarding_is_off(settings):
    from django.core.management import CommandError, call_command

    settings.XAPI_LRS_ENDPOINT = ""
    with pytest.raises(CommandError, match="XAPI_LRS_ENDPOINT"):
        call_command("xapi_forward")


def test_the_beat_sweeps_every_minute():
    from django.conf import settings as django_settings

    from lms.celery import app

    (entry,) = [
        entry
        for entry in django_settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "reports.tasks.forward_statements"
    ]
    assert entry["schedule"] == 60
    assert "reports.tasks.forward_statements" in app.tasks


@pytest.mark.parametrize(
    ("endpoint", "debug", "username", "ids"),
    [
        ("", False, "", []),
        ("https://lrs.example/xapi", False, "key", []),
        ("http://127.0.0.1:8080/xapi", True, "key", []),
        ("http://lrs.example/xapi", False, "key", ["reports.E002"]),
        ("ftp://lrs.example/xapi", True, "key", ["reports.E001"]),
        ("https://lrs.example/xapi", False, "", ["reports.W001"]),
    ],
)
def test_the_system_check_refuses_an_unsafe_endpoint(settings, endpoint, debug, username, ids):
    from reports.checks import check_lrs_endpoint

    settings.XAPI_LRS_ENDPOINT, settings.DEBUG, settings.XAPI_LRS_USERNAME = (
        endpoint,
        debug,
        username,
    )
    assert [problem.id for problem in check_lrs_endpoint()] == ids
