import pytest
from rest_framework.test import APIClient

from courses import services
from courses.models import Course, Enrollment
from tests import factories


@pytest.fixture
def api():
    return APIClient()


def test_anyone_lists_the_published_catalogue_with_filters(api, course, school):
    factories.course(school, code="hidden-draft", published=False)
    body = api.get("/api/v1/courses/").json()
    assert [c["code"] for c in body["results"]] == ["seo-marketing"]
    assert api.get("/api/v1/courses/", {"q": "nothing-like-this"}).json()["count"] == 0


def test_a_course_shows_its_syllabus(api, course):
    body = api.get(f"/api/v1/courses/{course.code}/").json()
    assert body["title_zh"] == "搜索引擎优化营销"
    assert len(body["modules"][0]["lessons"]) == 4


def test_an_unknown_course_is_404(api, db):
    assert api.get("/api/v1/courses/nope/").status_code == 404


def test_a_student_enrols_and_completes_a_lesson(api, student, course):
    api.force_authenticate(student)
    response = api.post(f"/api/v1/courses/{course.code}/enrol/")
    assert response.status_code == 201 and response.json()["progress_percent"] == 0
    lesson = course.lessons().first()
    done = api.post(f"/api/v1/lessons/{lesson.pk}/complete/").json()
    assert done["progress_percent"] == 25
    mine = api.get("/api/v1/enrollments/").json()["results"]
    assert [e["course"] for e in mine] == ["seo-marketing"]


def test_enrolling_twice_is_a_409_with_a_reason(api, student, course):
    api.force_authenticate(student)
    api.post(f"/api/v1/courses/{course.code}/enrol/")
    response = api.post(f"/api/v1/courses/{course.code}/enrol/")
    assert response.status_code == 409 and response.json()["code"] == "duplicate"


def test_enrolling_needs_authentication(api, course):
    assert api.post(f"/api/v1/courses/{course.code}/enrol/").status_code in (401, 403)
    assert Enrollment.objects.count() == 0


def test_completing_a_lesson_without_enrolment_is_refused(api, student, course):
    api.force_authenticate(student)
    lesson = course.lessons().first()
    assert api.post(f"/api/v1/lessons/{lesson.pk}/complete/").status_code == 403


def test_a_lesson_body_is_closed_to_students_not_enrolled(api, student, course):
    api.force_authenticate(student)
    lesson = course.lessons().first()
    assert api.get(f"/api/v1/lessons/{lesson.pk}/").status_code == 404
    services.enrollment_create(student=student, course=course)
    assert "<strong>1</strong>" in api.get(f"/api/v1/lessons/{lesson.pk}/").json()["body_html"]


def test_a_teacher_creates_and_edits_a_course_of_their_school(api, teacher, school):
    api.force_authenticate(teacher)
    payload = {
        "code": "intl-marketing",
        "title_en": "International Marketing",
        "title_zh": "国际市场营销",
        "school": school.code,
    }
    assert api.post("/api/v1/courses/", payload, format="json").status_code == 201
    response = api.patch("/api/v1/courses/intl-marketing/", {"is_published": True}, format="json")
    assert response.status_code == 200 and Course.objects.get(code="intl-marketing").is_published
    module = api.post(
        "/api/v1/courses/intl-marketing/modules/",
        {"position": 1, "title_en": "Basics", "title_zh": "基础"},
        format="json",
    )
    assert module.status_code == 201
    lesson = api.post(
        f"/api/v1/modules/{module.json()['id']}/lessons/",
        {"title_en": "Intro", "title_zh": "导论", "body_en": "Hi"},
        format="json",
    )
    assert lesson.status_code == 201


def test_a_teacher_of_another_school_cannot_edit(api, outsider, course):
    api.force_authenticate(outsider)
    response = api.patch(f"/api/v1/courses/{course.code}/", {"title_en": "Hacked"}, format="json")
    assert response.status_code in (403, 404)
    assert Course.objects.get(pk=course.pk).title_en == "SEO Marketing"


def test_a_student_cannot_create_courses(api, student, school):
    api.force_authenticate(student)
    payload = {"code": "x", "title_en": "X", "title_zh": "X", "school": school.code}
    assert api.post("/api/v1/courses/", payload, format="json").status_code == 403


def test_a_student_cannot_edit_a_lesson(api, student, course):
    services.enrollment_create(student=student, course=course)
    api.force_authenticate(student)
    lesson = course.lessons().first()
    response = api.patch(f"/api/v1/lessons/{lesson.pk}/", {"title_en": "x"}, format="json")
    assert response.status_code in (403, 404)


def test_token_authentication_works(api, student, course):
    response = api.post(
        "/api/v1/auth/token/", {"username": "student", "password": factories.PASSWORD}
    )
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/enrollments/").status_code == 200


def test_the_schema_and_docs_are_served(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/courses/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
