"""Lesson attachments: stored under unguessable names, served only to those who open the lesson."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from courses import services
from courses.models import Enrollment
from tests import factories

CONTENT = b"%PDF-1.7 lesson notes"


@pytest.fixture
def lesson(course):
    lesson = course.lessons().first()
    lesson.attachment.save("notes.pdf", ContentFile(CONTENT))
    return lesson


@pytest.fixture
def enrolled(student, course):
    services.enrollment_create(student=student, course=course)
    return student


def attachment_url(lesson) -> str:
    return reverse("courses:lesson_attachment", args=[lesson.module.course.code, lesson.pk])


def download(client, lesson, user=None):
    if user is not None:
        client.force_login(user)
    return client.get(attachment_url(lesson))


@pytest.mark.parametrize("persona", ["enrolled", "teacher"])
def test_an_enrolled_student_and_the_courses_teacher_download_the_attachment(
    client, lesson, persona, request
):
    response = download(client, lesson, request.getfixturevalue(persona))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Disposition"] == 'attachment; filename="notes.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("persona", ["outsider", "student", "mentor"])
def test_anyone_not_enrolled_and_not_an_author_gets_404(client, lesson, persona, request):
    assert download(client, lesson, request.getfixturevalue(persona)).status_code == 404


def test_an_anonymous_visitor_gets_404_not_a_login_page(client, lesson):
    assert download(client, lesson).status_code == 404


def test_a_withdrawn_student_gets_404(client, lesson, enrolled, course):
    Enrollment.objects.filter(student=enrolled, course=course).update(
        status=Enrollment.Status.WITHDRAWN
    )
    assert download(client, lesson, enrolled).status_code == 404


def test_an_enrolled_student_of_a_course_taken_back_to_draft_gets_404(
    client, lesson, enrolled, course
):
    course.is_published = False
    course.save()
    assert download(client, lesson, enrolled).status_code == 404


def test_a_lesson_without_an_attachment_or_under_another_course_is_404(
    client, lesson, enrolled, course, school
):
    bare = list(course.lessons())[1]
    other = factories.course(school, code="other-course")
    services.enrollment_create(student=enrolled, course=other)
    client.force_login(enrolled)

    assert client.get(attachment_url(bare)).status_code == 404
    url = reverse("courses:lesson_attachment", args=[other.code, lesson.pk])
    assert client.get(url).status_code == 404


def test_a_missing_file_is_404(client, lesson, enrolled):
    lesson.attachment.storage.delete(lesson.attachment.name)
    assert download(client, lesson, enrolled).status_code == 404


def test_the_lesson_page_links_to_the_checked_view_not_the_file(client, lesson, enrolled):
    client.force_login(enrolled)

    page = client.get(lesson.get_absolute_url())

    assert page.status_code == 200
    assert f'href="{attachment_url(lesson)}"' in page.text
    assert lesson.attachment.name not in page.text


def test_attachments_are_stored_under_a_random_folder(course):
    first, second = list(course.lessons())[:2]
    first.attachment.save("notes.pdf", ContentFile(CONTENT))
    second.attachment.save("notes.pdf", ContentFile(CONTENT))

    names = [lesson.attachment.name for lesson in (first, second)]
    folders = {name.removeprefix("lessons/attachments/").split("/")[0] for name in names}
    assert all(name.startswith("lessons/attachments/") for name in names)
    assert all(name.endswith("/notes.pdf") for name in names)
    assert len(folders) == 2
    assert all(len(folder) >= 20 for folder in folders)
