"""The marking page: files previewed beside the rubric, moving between answers, queue filters."""

import base64

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exams import services, uploads
from exams.models import Mark
from tests import factories
from tests.exams.test_marking import enrol, login, practical_of, rubric, sit

# A real 1 × 1 PNG, so that a browser draws it.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def mark_url(question, **query) -> str:
    url = reverse("exams:mark_answer", args=[question.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def file_url(question) -> str:
    return reverse("exams:answer_file", args=[question.pk])


def with_file(question, name: str, content: bytes) -> str:
    """Store `content` as the answer's file, as an upload to that question would."""
    stored = uploads.store(
        SimpleUploadedFile(name, content),
        attempt_id=question.attempt_id,
        position=question.position,
    )
    question.response = {"text": "", "file": stored}
    question.save(update_fields=["response"])
    return stored


@pytest.fixture
def answer(exam, student, cohort):
    enrol(student, cohort)
    return practical_of(sit(exam, student))


# --- inline previews --------------------------------------------------------------------------


def test_a_pdf_answer_is_framed_beside_the_rubric_from_the_checked_file_view(
    client, answer, teacher
):
    stored = with_file(answer, "listing.pdf", b"%PDF-1.4 LISTING")
    text = login(client, teacher).get(mark_url(answer)).text
    assert f'<iframe class="answer-preview" src="{file_url(answer)}?inline=1"' in text
    assert "Title quality" in text and "Bullet points" in text  # the rubric's criteria, by name
    assert stored not in text and "exam-answers" not in text  # never the storage path

    response = client.get(file_url(answer), {"inline": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 LISTING"
    # Only this site's marking page may frame it; the plain download stays an attachment.
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    download = client.get(file_url(answer))
    assert download["Content-Disposition"].startswith("attachment")


def test_an_image_answer_is_shown_as_an_image(client, answer, mentor):
    with_file(answer, "shop-front.png", PNG)
    text = login(client, mentor).get(mark_url(answer)).text
    assert f'<img src="{file_url(answer)}?inline=1" alt="The student\'s file shop-front.png"' in (
        text
    )
    response = client.get(file_url(answer), {"inline": "1"})
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")


def test_a_file_that_is_not_what_its_name_says_is_only_ever_downloaded(client, answer, teacher):
    with_file(answer, "trick.png", b"<html><script>alert(1)</script></html>")
    response = login(client, teacher).get(file_url(answer), {"inline": "1"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_other_files_get_no_preview_but_a_download(client, answer, teacher):
    with_file(answer, "listing.docx", b"PK\x03\x04 not really")
    text = login(client, teacher).get(mark_url(answer)).text
    assert "answer-preview" not in text
    assert f'href="{file_url(answer)}"' in text and "Download listing.docx" in text


def test_nobody_else_sees_the_preview(client, answer, outsider, other_student):
    with_file(answer, "listing.pdf", b"%PDF-1.4 LISTING")
    for user in (outsider, other_student):
        assert login(client, user).get(file_url(answer), {"inline": "1"}).status_code == 404


def test_the_preview_is_refused_for_a_path_outside_the_answers_folder(client, answer, teacher):
    default_storage.save("organizations/logos/secret.png", ContentFile(PNG))
    answer.response = {"text": "", "file": "organizations/logos/secret.png"}
    answer.save(update_fields=["response"])
    assert login(client, teacher).get(file_url(answer), {"inline": "1"}).status_code == 404


# --- moving between answers -------------------------------------------------------------------


@pytest.fixture
def three_answers(exam, cohort, student, other_student, school):
    third = factories.person("third", school, "student", name_latin="Wang Fang")
    answers = []
    for person in (student, other_student, third):
        enrol(person, cohort)
        answers.append(practical_of(sit(exam, person)))
    return answers


def test_the_page_links_the_previous_and_next_answers_and_explains_the_keys(
    client, three_answers, teacher
):
    first, second, third = three_answers
    login(client, teacher)
    text = client.get(mark_url(second)).text
    assert f'href="{mark_url(first)}" rel="prev" data-shortcut="previous"' in text
    assert f'href="{mark_url(third)}" rel="next" data-shortcut="next"' in text
    assert "J or N next answer, K or P previous answer" in text
    assert "exams/marking.js" in text and "<script>" not in text
    edges = client.get(mark_url(first)).text, client.get(mark_url(third)).text
    assert "No previous answer" in edges[0] and 'data-shortcut="next"' in edges[0]
    assert "No next answer" in edges[1] and 'data-shortcut="previous"' in edges[1]


def test_saving_a_mark_opens_the_next_answer_of_the_same_filtered_queue(
    client, three_answers, teacher, exam
):
    first, second, third = three_answers
    login(client, teacher)
    response = client.post(mark_url(first, exam=exam.pk), rubric(8, 8))
    assert response.status_code == 302
    assert response["Location"] == mark_url(second, exam=exam.pk)
    # The last one goes back to the queue, filters kept.
    client.post(mark_url(second), rubric(8, 8))
    response = client.post(mark_url(third, exam=exam.pk), rubric(8, 8))
    assert response["Location"] == reverse("exams:grading_queue") + f"?exam={exam.pk}"
    assert Mark.objects.filter(grader=teacher).count() == 3


# --- queue filters -----------------------------------------------------------------------------


def test_the_queue_filters_by_exam_cohort_and_state(
    client, three_answers, teacher, mentor, exam, course, school, government
):
    from tests.exams.conftest import build_exam

    first, second, third = three_answers
    other_cohort = factories.cohort(course, teacher=teacher, mentor=mentor, name="Class 2")
    late = factories.person("late", school, "student", name_latin="Late Comer")
    enrol(late, other_cohort)
    other_exam = build_exam(school=school, government=government)
    other_exam.title_en = "Level 1 resit"
    other_exam.save(update_fields=["title_en"])
    elsewhere = practical_of(sit(other_exam, late))
    services.mark_record(
        attempt_question=first,
        grader=mentor,
        role=Mark.Role.MENTOR,
        rubric_marks={"r1": 8, "r2": 8},
    )
    queue = reverse("exams:grading_queue")
    login(client, teacher)

    def shown(**query) -> set[int]:
        response = client.get(queue, query)
        assert response.status_code == 200
        return {question.pk for question, _role in response.context["rows"]}

    everything = {first.pk, second.pk, third.pk, elsewhere.pk}
    assert shown() == everything
    assert shown(exam=other_exam.pk) == {elsewhere.pk}
    assert shown(cohort=other_cohort.pk) == {elsewhere.pk}
    assert shown(exam=exam.pk, state="second") == {first.pk}
    assert shown(state="first") == everything - {first.pk}
    assert shown(state="adjudication") == set()
    text = client.get(queue, {"exam": exam.pk}).text
    assert "Level 1 resit" in text and "Class 2 (" in text  # the filters' choices
    assert f'href="{mark_url(first)}?exam={exam.pk}"' in text  # the filter goes along
    # A filter that is no choice of this user's is refused, never ignored.
    bad = client.get(queue, {"state": "nonsense"})
    assert bad.status_code == 400 and bad.context["rows"] == []


def test_the_queue_offers_only_the_users_own_exams_and_cohorts(client, three_answers, outsider):
    response = login(client, outsider).get(reverse("exams:grading_queue"))
    form = response.context["form"]
    assert list(form.fields["exam"].queryset) == [] and list(form.fields["cohort"].queryset) == []


# --- query counts -------------------------------------------------------------------------------


def _students_sit(exam, cohort, school, start, count):
    for n in range(start, start + count):
        person = factories.person(f"q{n}", school, "student", name_latin=f"Q {n}")
        enrol(person, cohort)
        sit(exam, person)


@pytest.mark.parametrize("query", [{}, {"state": "first", "cohort": "COHORT", "exam": "EXAM"}])
def test_the_queue_and_mark_page_take_the_same_queries_for_10_and_100_answers(
    client, exam, cohort, school, teacher, query
):
    query = {
        key: {"COHORT": cohort.pk, "EXAM": exam.pk}.get(value, value)
        for key, value in query.items()
    }
    _students_sit(exam, cohort, school, 0, 10)
    login(client, teacher)
    queue = reverse("exams:grading_queue")

    def counts() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as on_queue:
            response = client.get(queue, {**query, "page": 1})
            assert response.status_code == 200
        rows = response.context["rows"]
        middle = rows[len(rows) // 2][0]
        with CaptureQueriesContext(connection) as on_mark:
            assert client.get(reverse("exams:mark_answer", args=[middle.pk]), query).status_code
        return len(on_queue), len(on_mark)

    few = counts()
    _students_sit(exam, cohort, school, 10, 90)
    assert client.get(queue, query).context["page"].paginator.count == 100
    assert counts() == few
