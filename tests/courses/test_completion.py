"""Course completion needs evidence: time on lessons measured by the server, and/or a passed
exam of the course (review finding 7: a certificate in 0.6 s by ticking every lesson)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from courses import completion, conf, services
from courses.models import Enrollment, LessonTime
from exams import services as exam_services
from exams.grading import key_response
from tests import factories
from tests.exams.conftest import build_exam


def tick_every_lesson_through_the_api(student, course) -> APIClient:
    api = APIClient()
    api.force_authenticate(student)
    assert api.post(f"/api/v1/courses/{course.code}/enrol/").status_code == 201
    for lesson in course.lessons():
        assert api.post(f"/api/v1/lessons/{lesson.pk}/complete/").status_code == 200
    return api


def test_finding_7_ticking_every_lesson_through_the_api_completes_nothing(
    student, course, django_capture_on_commit_callbacks
):
    from certificates.models import Certificate

    with django_capture_on_commit_callbacks(execute=True):
        api = tick_every_lesson_through_the_api(student, course)
    body = api.get("/api/v1/enrollments/").json()["results"][0]
    assert body["progress_percent"] == 100
    assert body["status"] == "active" and body["completed_at"] is None
    assert body["seconds_on_lessons"] == 0
    assert not Certificate.objects.exists()


def test_reporting_a_lesson_open_as_fast_as_possible_earns_no_time(student, course):
    api = tick_every_lesson_through_the_api(student, course)
    lesson = course.lessons().first()
    for _ in range(50):
        api.post(f"/api/v1/lessons/{lesson.pk}/time/")
    enrollment = Enrollment.objects.with_progress().get()
    # Fifty reports within the same second or two: only the seconds that really passed.
    assert enrollment.seconds_on_lessons <= 5
    assert enrollment.status == Enrollment.Status.ACTIVE


def test_time_counts_only_by_the_servers_clock_and_is_capped_per_report(student, course):
    enrollment = services.enrollment_create(student=student, course=course)
    lesson = course.lessons().first()
    start = timezone.now()
    services.lesson_opened(enrollment=enrollment, now=start)
    assert (
        services.lesson_heartbeat(student=student, lesson=lesson, now=start + timedelta(seconds=30))
        == 30
    )
    # A page left open overnight earns one report's worth, not the night.
    later = start + timedelta(hours=8)
    assert (
        services.lesson_heartbeat(student=student, lesson=lesson, now=later)
        == conf.max_credit_seconds()
    )
    assert LessonTime.objects.get().seconds == 30 + conf.max_credit_seconds()


def test_several_open_lessons_share_one_clock(student, course):
    enrollment = services.enrollment_create(student=student, course=course)
    first, second = list(course.lessons())[:2]
    start = timezone.now()
    services.lesson_opened(enrollment=enrollment, now=start)
    tick = start + timedelta(seconds=30)
    services.lesson_heartbeat(student=student, lesson=first, now=tick)
    services.lesson_heartbeat(student=student, lesson=second, now=tick)
    assert Enrollment.objects.with_progress().get().seconds_on_lessons == 30


def test_with_the_time_spent_ticking_the_lessons_completes_the_course(
    student, course, django_capture_on_commit_callbacks
):
    from certificates.models import Certificate

    services.enrollment_create(student=student, course=course)
    factories.spend_time(student, course, minutes=course.min_lesson_minutes)
    assert Enrollment.objects.get().status == Enrollment.Status.ACTIVE  # lessons not done yet
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in course.lessons():
            services.lesson_complete(student=student, lesson=lesson)
    assert Enrollment.objects.get().status == Enrollment.Status.COMPLETED
    assert Certificate.objects.filter(enrollment__student=student).count() == 1


def test_time_arriving_after_the_last_lesson_completes_the_course(student, course):
    services.enrollment_create(student=student, course=course)
    for lesson in course.lessons():
        services.lesson_complete(student=student, lesson=lesson)
    assert Enrollment.objects.get().status == Enrollment.Status.ACTIVE
    factories.spend_time(student, course, minutes=course.min_lesson_minutes)
    assert Enrollment.objects.get().status == Enrollment.Status.COMPLETED


def test_a_course_asking_for_no_evidence_is_never_completed(student, course):
    course.min_lesson_minutes = 0
    course.save()
    services.enrollment_create(student=student, course=course)
    for lesson in course.lessons():
        services.lesson_complete(student=student, lesson=lesson)
    assert Enrollment.objects.get().status == Enrollment.Status.ACTIVE


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


@pytest.fixture
def course_exam(school, government, course):
    return build_exam(school=school, government=government, practicals=0, course=course)


def test_exams_registers_as_the_source_of_assessment_evidence():
    assert "exams" in completion.SOURCES and completion.can_require_assessment()


def test_a_course_requiring_an_assessment_completes_on_the_pass(
    student, course, course_exam, django_capture_on_commit_callbacks
):
    course.requires_assessment = True
    course.min_lesson_minutes = 0
    course.save()
    services.enrollment_create(student=student, course=course)
    for lesson in course.lessons():
        services.lesson_complete(student=student, lesson=lesson)
    enrollment = Enrollment.objects.get()
    assert enrollment.status == Enrollment.Status.ACTIVE
    assert not services.completion_status(enrollment).assessment_passed
    with django_capture_on_commit_callbacks(execute=True):
        attempt = sit(student, course_exam)
    attempt.refresh_from_db()
    assert attempt.passed
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert completion.assessments(course) == [(course_exam.title, course_exam.get_absolute_url())]


def test_a_failed_exam_is_not_evidence(
    student, course, course_exam, django_capture_on_commit_callbacks
):
    course.requires_assessment = True
    course.save()
    services.enrollment_create(student=student, course=course)
    factories.spend_time(student, course, minutes=course.min_lesson_minutes)
    for lesson in course.lessons():
        services.lesson_complete(student=student, lesson=lesson)
    with django_capture_on_commit_callbacks(execute=True):
        sit(student, course_exam, correct=False)
    assert Enrollment.objects.get().status == Enrollment.Status.ACTIVE


def test_a_school_can_close_self_enrolment(student, course):
    course.self_enrolment = False
    course.save()
    with pytest.raises(services.EnrollmentError) as refused:
        services.enrollment_create(student=student, course=course)
    assert refused.value.code == "school_enrols"
    api = APIClient()
    api.force_authenticate(student)
    response = api.post(f"/api/v1/courses/{course.code}/enrol/")
    assert response.status_code == 409 and response.json()["code"] == "school_enrols"
    assert not Enrollment.objects.exists()


def test_a_teacher_still_enrols_a_class_into_a_closed_course(student, course, cohort):
    course.self_enrolment = False
    course.save()
    report = services.enrollments_import_csv(cohort=cohort, data=b"student\n")
    assert report.ok and report.imported == 1


def test_the_api_refuses_a_course_that_asks_for_no_evidence(teacher, school):
    api = APIClient()
    api.force_authenticate(teacher)
    response = api.post(
        "/api/v1/courses/",
        {
            "code": "quick",
            "title_en": "Q",
            "title_zh": "快",
            "school": school.code,
            "min_lesson_minutes": 0,
        },
        format="json",
    )
    assert response.status_code == 400 and "min_lesson_minutes" in response.json()


def test_the_lesson_page_reports_itself_and_the_server_credits_it(client, student, course):
    services.enrollment_create(student=student, course=course)
    client.force_login(student)
    lesson = course.lessons().first()
    page = client.get(lesson.get_absolute_url())
    assert "courses/lesson_time.js" in page.text and "data-lesson-time-url" in page.text
    response = client.post(f"/courses/{course.code}/lessons/{lesson.pk}/time/")
    assert response.status_code == 200 and 0 <= response.json()["credited_seconds"] <= 2


def test_reporting_time_needs_an_enrolment(client, other_student, course):
    client.force_login(other_student)
    lesson = course.lessons().first()
    response = client.post(f"/courses/{course.code}/lessons/{lesson.pk}/time/")
    assert response.status_code == 403
    assert not LessonTime.objects.exists()


def test_the_last_lesson_says_what_is_still_missing(client, student, course):
    services.enrollment_create(student=student, course=course)
    client.force_login(student)
    for lesson in course.lessons():
        response = client.post(f"/courses/{course.code}/lessons/{lesson.pk}/complete/", follow=True)
    assert "Every required lesson is done" in response.text
    page = client.get(course.get_absolute_url()).text
    assert "To complete this course" in page and "Spend at least 10 minutes" in page


def test_no_time_counts_while_the_course_is_unpublished(client, student, course):
    services.enrollment_create(student=student, course=course)
    course.is_published = False
    course.save()
    client.force_login(student)
    lesson = course.lessons().first()
    response = client.post(f"/courses/{course.code}/lessons/{lesson.pk}/time/")
    assert response.status_code in (403, 404)
    assert Enrollment.objects.get().last_active_at is None
