import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.markup import render_markdown
from courses.models import Enrollment, Lesson
from tests import factories


@pytest.fixture
def as_student(client, student):
    client.force_login(student)
    return client


def test_the_catalogue_lists_published_courses_and_hides_drafts(client, course, school):
    factories.course(school, code="draft-course", published=False)
    page = client.get(reverse("courses:catalogue"))
    assert page.status_code == 200
    assert "SEO Marketing" in page.text
    assert "draft-course" not in page.text


def test_the_catalogue_searches_and_filters_by_track(client, course, school):
    from courses.models import Programme

    other = factories.course(school, code="logistics", title_en="CBEC Logistics")
    micro = Programme.objects.create(
        code="micro", track="micro_major", title_en="Micro", title_zh="微专业", owner=school
    )
    course.programmes.add(micro)
    found = client.get(reverse("courses:catalogue"), {"q": "logistics"})
    assert "CBEC Logistics" in found.text and "SEO Marketing" not in found.text
    by_track = client.get(reverse("courses:catalogue"), {"track": "micro_major"})
    assert "SEO Marketing" in by_track.text and other.title_en not in by_track.text


def test_an_unknown_course_is_404(client, db):
    assert client.get(reverse("courses:course_detail", args=["no-such-course"])).status_code == 404


def test_a_draft_course_is_404_to_students(as_student, school):
    factories.course(school, code="draft-course", published=False)
    url = reverse("courses:course_detail", args=["draft-course"])
    assert as_student.get(url).status_code == 404


def test_a_student_enrols_completes_a_lesson_and_sees_progress_move(as_student, course):
    response = as_student.post(reverse("courses:enrol", args=[course.code]))
    assert response.status_code == 302
    lesson = course.lessons().first()
    page = as_student.get(lesson.get_absolute_url())
    assert (
        '<progress class="progress" aria-label="Course progress" max="100" value="0">' in page.text
    )
    as_student.post(reverse("courses:lesson_complete", args=[course.code, lesson.pk]))
    mine = as_student.get(reverse("courses:my_learning"))
    assert 'max="100" value="25">25%</progress>' in mine.text


def test_enrolling_twice_answers_409_with_a_reason(as_student, course):
    url = reverse("courses:enrol", args=[course.code])
    as_student.post(url)
    response = as_student.post(url)
    assert response.status_code == 409
    assert "already enrolled" in response.text


def test_an_unmet_prerequisite_answers_409(as_student, course, school):
    advanced = factories.course(school, code="advanced")
    advanced.prerequisites.add(course)
    response = as_student.post(reverse("courses:enrol", args=["advanced"]))
    assert response.status_code == 409
    assert "SEO Marketing" in response.text


def test_enrolling_needs_a_login(client, course):
    response = client.post(reverse("courses:enrol", args=[course.code]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Enrollment.objects.count() == 0


def test_enrolling_by_get_is_not_allowed(as_student, course):
    assert as_student.get(reverse("courses:enrol", args=[course.code])).status_code == 405


def test_lessons_are_closed_until_the_student_enrols(as_student, course):
    lesson = course.lessons().first()
    response = as_student.get(lesson.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == course.get_absolute_url()


def test_a_lesson_of_another_course_is_404(as_student, course, school):
    other = factories.course(school, code="other")
    lesson = other.lessons().first()
    url = reverse("courses:lesson_detail", args=[course.code, lesson.pk])
    assert as_student.get(url).status_code == 404


def test_a_student_cannot_record_progress_in_a_course_they_are_not_in(as_student, course):
    lesson = course.lessons().first()
    as_student.post(reverse("courses:lesson_complete", args=[course.code, lesson.pk]))
    assert not Enrollment.objects.exists()


def test_completing_a_lesson_only_touches_your_own_progress(
    as_student, student, other_student, course
):
    theirs = services.enrollment_create(student=other_student, course=course)
    services.enrollment_create(student=student, course=course)
    lesson = course.lessons().first()
    as_student.post(reverse("courses:lesson_complete", args=[course.code, lesson.pk]))
    assert theirs.completions.count() == 0


def test_lesson_page_offers_previous_and_next(as_student, student, course):
    services.enrollment_create(student=student, course=course)
    lessons = list(course.lessons())
    page = as_student.get(lessons[1].get_absolute_url())
    assert lessons[0].get_absolute_url() in page.text
    assert lessons[2].get_absolute_url() in page.text


def test_lesson_markdown_is_rendered_and_scripts_are_removed(as_student, student, course):
    services.enrollment_create(student=student, course=course)
    lesson = course.lessons().first()
    lesson.body_en = "# Title\n\n<script>alert(1)</script><a href='javascript:x()'>x</a> **bold**"
    lesson.save()
    page = as_student.get(lesson.get_absolute_url())
    assert "<strong>bold</strong>" in page.text
    assert "<script>alert(1)" not in page.text and "javascript:" not in page.text


def test_markdown_sanitiser_drops_event_handlers():
    html = render_markdown('<img src="x.png" onerror="alert(1)"> <b onclick="x">b</b>')
    assert "onerror" not in html and "onclick" not in html and "<b>b</b>" in html


def test_chinese_is_served_on_accept_language(client, course):
    page = client.get(reverse("courses:catalogue"), HTTP_ACCEPT_LANGUAGE="zh-Hans")
    assert page.headers["Content-Language"] == "zh-hans"
    assert "搜索引擎优化营销" in page.text


@pytest.mark.parametrize("lessons", [5, 50])
def test_my_learning_and_course_page_query_counts_do_not_grow_with_lessons(
    client, student, school, lessons, django_assert_max_num_queries
):
    course = factories.course(school, code=f"c{lessons}", lessons=lessons, modules=5)
    services.enrollment_create(student=student, course=course)
    for lesson in list(course.lessons())[:3]:
        services.lesson_complete(student=student, lesson=lesson)
    client.force_login(student)
    counts = {}
    for name, url in {
        "mine": reverse("courses:my_learning"),
        "course": course.get_absolute_url(),
        "lesson": course.lessons().first().get_absolute_url(),
    }.items():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts[name] = len(ctx)
    assert counts == EXPECTED_QUERIES


# The same for 5 and 50 lessons: the pages' query shape does not depend on the lesson count.
# The lesson page also starts the enrolment's clock for time on lessons (one UPDATE).
# (+1 each: the unread-notification count of the nav, one COUNT.)
EXPECTED_QUERIES = {"mine": 5, "course": 12, "lesson": 11}


def test_cohort_teacher_uploads_a_csv(client, teacher, cohort, student):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(teacher)
    upload = SimpleUploadedFile("class.csv", b"username\nstudent\n", content_type="text/csv")
    response = client.post(reverse("courses:cohort_enrol_csv", args=[cohort.pk]), {"file": upload})
    assert response.status_code == 200
    assert cohort.enrollments.filter(student=student).exists()


def test_a_malformed_csv_gets_400_and_a_row_report(client, teacher, cohort, student):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(teacher)
    upload = SimpleUploadedFile("class.csv", b"student\nghost\n", content_type="text/csv")
    response = client.post(reverse("courses:cohort_enrol_csv", args=[cohort.pk]), {"file": upload})
    assert response.status_code == 400
    assert "ghost" in response.text and "Nothing was imported" in response.text
    assert cohort.enrollments.count() == 0


def test_a_student_cannot_open_the_csv_upload(as_student, cohort):
    url = reverse("courses:cohort_enrol_csv", args=[cohort.pk])
    assert as_student.get(url).status_code == 403


def test_a_lesson_count_is_what_the_builder_made(course):
    assert Lesson.objects.filter(module__course=course).count() == 4


def test_the_csv_page_answers_alike_for_accounts_elsewhere_admins_and_nobody(
    client, teacher, cohort, school
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    elsewhere = factories.organization(kind="school", code="elsewhere-school")
    factories.person("elsewhere", elsewhere, "student")
    admin = factories.person("root", school, "student")
    admin.is_superuser = True
    admin.save()
    client.force_login(teacher)
    upload = SimpleUploadedFile(
        "class.csv", b"elsewhere@example.org\nroot\nghost\n", content_type="text/csv"
    )
    response = client.post(reverse("courses:cohort_enrol_csv", args=[cohort.pk]), {"file": upload})
    assert response.status_code == 400
    assert response.text.count("No student of this school has this username or email.") == 3
    assert "No user with this" not in response.text
    assert cohort.enrollments.count() == 0
