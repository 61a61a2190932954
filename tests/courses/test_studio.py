"""The course studio: pages per role, authoring through forms, order, publishing, preview."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.models import Course, Enrollment, Lesson, Module
from tests import factories


def login(client, user):
    client.force_login(user)
    return client


def outline(course: Course) -> list[list[str]]:
    return [
        [m.title_en, *[lesson.title_en for lesson in m.lessons.order_by("position")]]
        for m in course.modules.order_by("position")
    ]


def page_urls(course: Course) -> dict[str, tuple[str, str]]:
    """Every studio page of `course`: name -> (method, url)."""
    module = course.modules.first()
    lesson = course.lessons().first()
    code = course.code
    return {
        "course": ("get", reverse("courses:studio_course", args=[code])),
        "edit": ("get", reverse("courses:studio_course_edit", args=[code])),
        "publish": ("post", reverse("courses:studio_publish", args=[code])),
        "reorder": ("post", reverse("courses:studio_reorder", args=[code])),
        "module_new": ("get", reverse("courses:studio_module_new", args=[code])),
        "module_edit": ("get", reverse("courses:studio_module_edit", args=[code, module.pk])),
        "module_move": ("post", reverse("courses:studio_module_move", args=[code, module.pk])),
        "module_delete": ("post", reverse("courses:studio_module_delete", args=[code, module.pk])),
        "lesson_new": ("get", reverse("courses:studio_lesson_new", args=[code])),
        "lesson_edit": ("get", reverse("courses:studio_lesson_edit", args=[code, lesson.pk])),
        "lesson_move": ("post", reverse("courses:studio_lesson_move", args=[code, lesson.pk])),
        "lesson_delete": ("post", reverse("courses:studio_lesson_delete", args=[code, lesson.pk])),
    }


GENERAL_PAGES = {
    "list": ("get", "courses:studio_courses"),
    "new": ("get", "courses:studio_course_new"),
    "preview": ("post", "courses:studio_preview"),
}


@pytest.fixture
def enterprise_admin(enterprise):
    return factories.person("ent-admin", enterprise, "admin")


# --- Access: a negative test per role per page ------------------------------------------------


@pytest.mark.parametrize("name", sorted(GENERAL_PAGES))
@pytest.mark.parametrize("role", ["student", "mentor", "enterprise_admin", "regulator", "verifier"])
def test_the_studio_is_forbidden_to_those_who_author_no_course(client, request, role, name):
    method, url_name = GENERAL_PAGES[name]
    login(client, request.getfixturevalue(role))
    response = getattr(client, method)(reverse(url_name))
    assert response.status_code == 403


@pytest.mark.parametrize("name", sorted(GENERAL_PAGES))
def test_the_studio_sends_anonymous_visitors_to_log_in(client, db, name):
    method, url_name = GENERAL_PAGES[name]
    response = getattr(client, method)(reverse(url_name))
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize(
    "name",
    [
        "course", "edit", "publish", "reorder", "module_new", "module_edit", "module_move",
        "module_delete", "lesson_new", "lesson_edit", "lesson_move", "lesson_delete",
    ],
)  # fmt: skip
@pytest.mark.parametrize(
    "role, status",
    [
        ("student", 403),
        ("mentor", 403),
        ("enterprise_admin", 403),
        ("outsider", 404),  # a teacher of another school: the course does not exist for them
    ],
)
def test_a_courses_studio_pages_refuse_every_role_but_its_authors(
    client, request, course, role, status, name
):
    method, url = page_urls(course)[name]
    before = (outline(course), Course.objects.get().is_published)
    login(client, request.getfixturevalue(role))
    response = getattr(client, method)(url, {"direction": "up", "publish": "0"})
    assert response.status_code == status
    assert (outline(course), Course.objects.get().is_published) == before


@pytest.mark.parametrize("name", ["course", "edit", "module_new", "lesson_new", "lesson_edit"])
def test_anonymous_visitors_are_sent_to_log_in_from_a_course(client, course, name):
    method, url = page_urls(course)[name]
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_the_schools_teacher_opens_every_page(client, teacher, course):
    login(client, teacher)
    for name, (method, url) in page_urls(course).items():
        if method == "get":
            assert client.get(url).status_code == 200, name
    assert client.get(reverse("courses:studio_courses")).status_code == 200


def test_the_schools_administrator_authors_its_courses_too(client, school, course):
    admin = factories.person("school-admin", school, "admin")
    login(client, admin)
    assert client.get(reverse("courses:studio_course", args=[course.code])).status_code == 200
    response = client.post(reverse("courses:studio_publish", args=[course.code]), {"publish": "0"})
    assert response.status_code == 302 and not Course.objects.get().is_published


def test_the_list_shows_only_the_courses_the_teacher_authors(client, teacher, course, outsider):
    factories.course(outsider.memberships.get().organization, code="elsewhere-course")
    text = login(client, teacher).get(reverse("courses:studio_courses")).text
    assert "seo-marketing" in text and "elsewhere-course" not in text


# --- Authoring --------------------------------------------------------------------------------


def test_a_teacher_builds_a_course_through_the_forms(client, teacher, school):
    login(client, teacher)
    response = client.post(
        reverse("courses:studio_course_new"),
        {
            "code": "listing-basics",
            "title_en": "Listing basics",
            "title_zh": "商品上架基础",
            "school": school.pk,
            "language": "bilingual",
            "estimated_hours": 4,
            "min_lesson_minutes": 20,
            "self_enrolment": "",
        },
    )
    assert response.status_code == 302
    course = Course.objects.get(code="listing-basics")
    assert not course.is_published and not course.self_enrolment
    assert course.min_lesson_minutes == 20
    for title in ("Module A", "Module B"):
        client.post(
            reverse("courses:studio_module_new", args=[course.code]),
            {"title_en": title, "title_zh": title + "（中）"},
        )
    first, second = course.modules.order_by("position")
    upload = SimpleUploadedFile(
        "sheet.pdf", b"%PDF-1.4 lesson sheet", content_type="application/pdf"
    )
    response = client.post(
        reverse("courses:studio_lesson_new", args=[course.code]),
        {
            "module": first.pk,
            "title_en": "Titles",
            "title_zh": "标题",
            "body_en": "# Titles\n\nKeep them **short**.",
            "body_zh": "标题要**短**。",
            "is_required": "on",
            "attachment": upload,
        },
    )
    assert response.status_code == 302
    lesson = Lesson.objects.get(title_en="Titles")
    assert lesson.module == first and lesson.position == 1 and lesson.attachment
    download = client.get(reverse("courses:lesson_attachment", args=[course.code, lesson.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 lesson sheet"
    assert outline(course) == [["Module A", "Titles"], ["Module B"]]
    published = client.post(reverse("courses:studio_publish", args=[course.code]), {"publish": "1"})
    assert published.status_code == 302
    assert Course.objects.get(pk=course.pk).is_published


def test_a_course_form_without_evidence_is_refused(client, teacher, school):
    login(client, teacher)
    response = client.post(
        reverse("courses:studio_course_new"),
        {"code": "quick", "title_en": "Q", "title_zh": "快", "school": school.pk,
         "language": "en", "estimated_hours": 1, "min_lesson_minutes": 0},
    )  # fmt: skip
    assert response.status_code == 400
    assert "evidence" in response.text
    assert not Course.objects.filter(code="quick").exists()


def test_a_teacher_cannot_put_a_course_in_another_school(client, teacher, outsider):
    other_school = outsider.memberships.get().organization
    login(client, teacher)
    response = client.post(
        reverse("courses:studio_course_new"),
        {"code": "moved", "title_en": "M", "title_zh": "M", "school": other_school.pk,
         "language": "en", "estimated_hours": 1, "min_lesson_minutes": 5},
    )  # fmt: skip
    assert response.status_code == 400
    assert not Course.objects.filter(code="moved").exists()


def test_a_reserved_code_is_refused(client, teacher, school):
    login(client, teacher)
    response = client.post(
        reverse("courses:studio_course_new"),
        {"code": "studio", "title_en": "S", "title_zh": "S", "school": school.pk,
         "language": "en", "estimated_hours": 1, "min_lesson_minutes": 5},
    )  # fmt: skip
    assert response.status_code == 400 and not Course.objects.filter(code="studio").exists()


def test_publishing_an_empty_course_is_refused_with_the_reason(client, teacher, school):
    course = factories.course(school, code="empty", lessons=0, published=False)
    Lesson.objects.filter(module__course=course).delete()
    login(client, teacher)
    response = client.post(
        reverse("courses:studio_publish", args=[course.code]), {"publish": "1"}, follow=True
    )
    assert "Add at least one lesson." in response.text
    assert not Course.objects.get(pk=course.pk).is_published


def test_unpublishing_hides_the_course_from_the_catalogue(client, teacher, course):
    login(client, teacher)
    client.post(reverse("courses:studio_publish", args=[course.code]), {"publish": "0"})
    client.logout()
    assert "SEO Marketing" not in client.get(reverse("courses:catalogue")).text


def test_a_published_course_keeps_a_required_lesson(teacher, course):
    lessons = list(course.lessons())
    for lesson in lessons[:-1]:
        services.lesson_save(module=lesson.module, lesson=lesson, fields={"is_required": False})
    last = lessons[-1]
    with pytest.raises(services.StudioError):
        services.lesson_save(module=last.module, lesson=last, fields={"is_required": False})
    assert Lesson.objects.get(pk=last.pk).is_required


# --- Order --------------------------------------------------------------------------------------


@pytest.fixture
def two_modules(school):
    return factories.course(school, code="ordered", lessons=4, modules=2)


def test_drag_and_drop_posts_the_whole_outline(client, teacher, two_modules):
    course = two_modules
    (m1, (a, b)), (m2, (c, d)) = services.outline(course)
    login(client, teacher)
    response = client.post(
        reverse("courses:studio_reorder", args=[course.code]),
        json.dumps({"modules": [{"id": m2, "lessons": [d, a]}, {"id": m1, "lessons": [c, b]}]}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert services.outline(course) == [(m2, [d, a]), (m1, [c, b])]


def test_a_stale_outline_is_refused_and_nothing_moves(client, teacher, two_modules):
    course = two_modules
    before = services.outline(course)
    (m1, (a, b)), (m2, (c, d)) = before
    login(client, teacher)
    response = client.post(
        reverse("courses:studio_reorder", args=[course.code]),
        json.dumps({"modules": [{"id": m2, "lessons": [d]}, {"id": m1, "lessons": [a, b]}]}),
        content_type="application/json",
    )
    assert response.status_code == 409 and "reload" in response.json()["detail"]
    assert services.outline(course) == before


def test_another_courses_lesson_cannot_be_pulled_in(client, teacher, two_modules, course):
    (m1, (a, b)), (m2, (c, d)) = services.outline(two_modules)
    stranger = course.lessons().first().pk
    login(client, teacher)
    response = client.post(
        reverse("courses:studio_reorder", args=[two_modules.code]),
        json.dumps(
            {"modules": [{"id": m1, "lessons": [a, b, stranger]}, {"id": m2, "lessons": [c, d]}]}
        ),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert Lesson.objects.get(pk=stranger).module.course == course


def test_garbage_is_a_400(client, teacher, two_modules):
    login(client, teacher)
    url = reverse("courses:studio_reorder", args=[two_modules.code])
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    assert (
        client.post(
            url, json.dumps({"modules": [{"id": "x"}]}), content_type="application/json"
        ).status_code
        == 400
    )


def test_up_and_down_buttons_move_lessons_across_modules(client, teacher, two_modules):
    course = two_modules
    (m1, (a, b)), (m2, (c, d)) = services.outline(course)
    login(client, teacher)
    move = lambda pk, direction: client.post(  # noqa: E731
        reverse("courses:studio_lesson_move", args=[course.code, pk]), {"direction": direction}
    )
    assert move(b, "down").status_code == 302
    assert services.outline(course) == [(m1, [a]), (m2, [b, c, d])]
    move(c, "up")
    assert services.outline(course) == [(m1, [a]), (m2, [c, b, d])]
    move(a, "up")  # already first of the course: stays
    assert services.outline(course) == [(m1, [a]), (m2, [c, b, d])]
    client.post(reverse("courses:studio_module_move", args=[course.code, m2]), {"direction": "up"})
    assert services.outline(course) == [(m2, [c, b, d]), (m1, [a])]


def test_a_lesson_with_student_progress_cannot_be_deleted(client, teacher, student, course):
    services.enrollment_create(student=student, course=course)
    lesson = course.lessons().first()
    services.lesson_complete(student=student, lesson=lesson)
    login(client, teacher)
    client.post(reverse("courses:studio_lesson_delete", args=[course.code, lesson.pk]))
    client.post(reverse("courses:studio_module_delete", args=[course.code, lesson.module_id]))
    assert Lesson.objects.filter(pk=lesson.pk).exists()


def test_deleting_a_lesson_renumbers_the_rest(client, teacher, two_modules):
    course = two_modules
    (m1, (a, b)), (m2, (c, d)) = services.outline(course)
    login(client, teacher)
    client.post(reverse("courses:studio_lesson_delete", args=[course.code, a]))
    assert services.outline(course) == [(m1, [b]), (m2, [c, d])]
    assert Lesson.objects.get(pk=b).position == 1


# --- Markdown preview ----------------------------------------------------------------------------


def test_the_preview_is_the_students_sanitised_html(client, teacher):
    login(client, teacher)
    response = client.post(
        reverse("courses:studio_preview"),
        {"text": "**bold** <script>alert(1)</script><img src=x onerror=alert(1)>"},
    )
    assert response.status_code == 200
    assert "<strong>bold</strong>" in response.text
    assert "<script" not in response.text and "onerror" not in response.text


def test_the_preview_refuses_a_huge_text(client, teacher):
    login(client, teacher)
    response = client.post(reverse("courses:studio_preview"), {"text": "x" * 100_001})
    assert response.status_code == 413


def test_the_lesson_editor_has_no_inline_script_or_style(client, teacher, course):
    login(client, teacher)
    lesson = course.lessons().first()
    text = client.get(reverse("courses:studio_lesson_edit", args=[course.code, lesson.pk])).text
    assert "courses/markdown_preview.js" in text and "data-preview-url" in text
    outline_page = client.get(reverse("courses:studio_course", args=[course.code])).text
    for html in (text, outline_page):
        assert "<script>" not in html and " style=" not in html and " onclick=" not in html


# --- Query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("lessons", [10, 100])
def test_studio_query_counts_do_not_grow_with_rows(client, teacher, school, lessons):
    course = factories.course(school, code=f"rows{lessons}", lessons=lessons, modules=5)
    for n in range(lessons // 10):
        factories.course(school, code=f"extra{lessons}-{n}", lessons=1)
    login(client, teacher)
    counts = {}
    for name, url in {
        "list": reverse("courses:studio_courses"),
        "course": reverse("courses:studio_course", args=[course.code]),
        "lesson": reverse(
            "courses:studio_lesson_edit", args=[course.code, course.lessons().first().pk]
        ),
    }.items():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts[name] = len(ctx)
    assert counts == STUDIO_QUERIES


# The same for 10 and 100 lessons (and 1 and 10 other courses in the list).
# (+1 each: the unread-notification count of the nav, one COUNT.)
STUDIO_QUERIES = {"list": 5, "course": 10, "lesson": 8}


# --- Links ---------------------------------------------------------------------------------------


def test_the_course_page_links_its_authors_to_the_studio(client, teacher, student, course):
    studio = reverse("courses:studio_course", args=[course.code])
    assert studio in login(client, teacher).get(course.get_absolute_url()).text
    assert studio not in login(client, student).get(course.get_absolute_url()).text


def test_a_student_sees_the_order_the_teacher_set(client, teacher, student, two_modules):
    course = two_modules
    (m1, (a, b)), (m2, (c, d)) = services.outline(course)
    services.outline_reorder(course=course, order=[(m2, [d, c]), (m1, [b, a])])
    services.enrollment_create(student=student, course=course)
    text = login(client, student).get(course.get_absolute_url()).text
    titles = [Lesson.objects.get(pk=pk).title_en for pk in (d, c, b, a)]
    positions = [text.index(title + "<") for title in titles]
    assert positions == sorted(positions)
    assert Enrollment.objects.count() == 1 and Module.objects.filter(course=course).count() == 2


def test_the_staff_home_links_authors_to_the_studio(client, teacher, mentor):
    studio = reverse("courses:studio_courses")
    assert studio in login(client, teacher).get(reverse("exams:staff_home")).text
    assert studio not in login(client, mentor).get(reverse("exams:staff_home")).text


# --- Attachment size ------------------------------------------------------------------------------


def lesson_post(client, course, size: int):
    module = course.modules.first()
    upload = SimpleUploadedFile("big.bin", b"x" * size, content_type="application/octet-stream")
    return client.post(
        reverse("courses:studio_lesson_new", args=[course.code]),
        {"module": module.pk, "title_en": "Big", "title_zh": "大", "attachment": upload},
    )


def test_an_attachment_over_the_limit_is_a_form_error(client, teacher, course, settings):
    settings.COURSES_ATTACHMENT_MAX_BYTES = 1000
    response = lesson_post(login(client, teacher), course, 2000)
    assert response.status_code == 400 and "larger than" in response.text
    assert not Lesson.objects.filter(title_en="Big").exists()


def test_a_body_far_over_the_limit_is_refused_unread(client, teacher, course, settings):
    settings.COURSES_ATTACHMENT_MAX_BYTES = 1000
    response = lesson_post(login(client, teacher), course, 200_000)
    assert response.status_code == 413
    assert not Lesson.objects.filter(title_en="Big").exists()


def test_the_studio_speaks_chinese(client, teacher, course):
    login(client, teacher)
    text = client.get(
        reverse("courses:studio_course", args=[course.code]), HTTP_ACCEPT_LANGUAGE="zh-Hans"
    ).text
    assert "课程工作室" in text and "完成条件" in text and "添加模块" in text


def test_replacing_or_removing_an_attachment_deletes_the_old_file(
    client, teacher, course, django_capture_on_commit_callbacks
):
    lesson = course.lessons().first()
    url = reverse("courses:studio_lesson_edit", args=[course.code, lesson.pk])
    fields = {"module": lesson.module_id, "title_en": "L", "title_zh": "课", "is_required": "on"}
    login(client, teacher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**fields, "attachment": SimpleUploadedFile("a.pdf", b"first")})
    first = Lesson.objects.get(pk=lesson.pk).attachment
    assert first.storage.exists(first.name)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**fields, "attachment": SimpleUploadedFile("b.pdf", b"second")})
    second = Lesson.objects.get(pk=lesson.pk).attachment
    assert not first.storage.exists(first.name) and second.storage.exists(second.name)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**fields, "remove_attachment": "on"})
    assert not Lesson.objects.get(pk=lesson.pk).attachment
    assert not second.storage.exists(second.name)


def course_fields(school, **extra) -> dict:
    return {
        "code": "follow-up", "title_en": "Follow-up", "title_zh": "进阶", "school": school.pk,
        "language": "bilingual", "estimated_hours": 2, "min_lesson_minutes": 5,
        "self_enrolment": "on", **extra,
    }  # fmt: skip


def test_partners_and_prerequisites_are_chosen_in_the_form(
    client, teacher, school, enterprise, course
):
    login(client, teacher)
    response = client.post(
        reverse("courses:studio_course_new"),
        course_fields(school, partners=[enterprise.pk], prerequisites=[course.pk]),
    )
    assert response.status_code == 302
    follow_up = Course.objects.get(code="follow-up")
    assert list(follow_up.partners.all()) == [enterprise]
    assert list(follow_up.prerequisites.all()) == [course]
    # The other way round would make a loop: refused, nothing changed.
    edit = client.post(
        reverse("courses:studio_course_edit", args=[course.code]),
        {**course_fields(school, prerequisites=[follow_up.pk]), "code": course.code,
         "title_en": course.title_en, "title_zh": course.title_zh},
    )  # fmt: skip
    assert edit.status_code == 400 and "requires it" in edit.text
    assert not course.prerequisites.exists()


def test_another_schools_course_is_not_offered_as_a_prerequisite(client, teacher, school, outsider):
    theirs = factories.course(outsider.memberships.get().organization, code="theirs")
    login(client, teacher)
    response = client.post(
        reverse("courses:studio_course_new"), course_fields(school, prerequisites=[theirs.pk])
    )
    assert response.status_code == 400
    assert not Course.objects.filter(code="follow-up").exists()
