"""The question editor outside the admin: a teacher writes every kind through its form and
previews it as a student would see it, in English and in Chinese."""

import pytest
from django.urls import reverse

from exams import services
from exams.kinds import REGISTRY
from exams.models import Question, QuestionBank
from tests.exams.conftest import single_choice
from tests.exams.test_kinds_registry import SAMPLES, browser_post


@pytest.fixture
def bank(school):
    return QuestionBank.objects.create(organization=school, name="Platform operation")


def as_user(client, user):
    client.force_login(user)
    return client


def fill_in(page_html: str, name: str) -> dict:
    """What a teacher sends: the page's own fields, with the sample's answers filled in."""
    posted = browser_post(page_html)
    sample = SAMPLES[name]
    editor = REGISTRY[name].editor(content=sample["content"], key=sample["key"])
    posted.pop("csrfmiddlewaretoken", None)
    posted.update(editor.as_post_data())
    text = sample.get("text") or {}
    posted.update(
        title=f"A {name} question",
        text_en=f"Which is right ({name})? {text.get('en', '')}",
        text_zh=f"哪个正确（{name}）？{text.get('zh-hans', '')}",
        points=sample.get("points", "10"),
        competency="listing",
        difficulty="1",
        is_active="on",
    )
    return posted


@pytest.mark.parametrize("name", list(REGISTRY))
def test_a_teacher_writes_each_kind_through_its_form_and_previews_it(client, teacher, bank, name):
    as_user(client, teacher)
    new_url = reverse("exams:question_new", args=[bank.pk])
    page = client.get(new_url, {"kind": name})
    assert page.status_code == 200
    assert 'name="content"' not in page.text and 'name="key"' not in page.text  # no JSON

    response = client.post(new_url, fill_in(page.text, name))

    assert response.status_code == 302, response.context["form"].errors
    question = Question.objects.get(bank=bank)
    assert question.kind == name
    assert (question.current_version.content, question.current_version.key) == (
        SAMPLES[name]["content"],
        SAMPLES[name]["key"],
    )
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert f"Which is right ({name})?" in preview.text and f"哪个正确（{name}）？" in preview.text
    assert 'lang="zh-hans"' in preview.text and str(REGISTRY[name].label) in preview.text


def test_choosing_the_kind_comes_first(client, teacher, bank):
    page = as_user(client, teacher).get(reverse("exams:question_new", args=[bank.pk]))

    assert page.status_code == 200
    for name in REGISTRY:
        assert f"?kind={name}" in page.text


def test_the_bank_page_links_to_adding_editing_and_previewing(client, teacher, bank):
    question = services.question_create(bank=bank, data=single_choice())

    page = as_user(client, teacher).get(reverse("exams:bank_detail", args=[bank.pk]))

    for name, args in (
        ("question_new", [bank.pk]),
        ("question_edit", [question.pk]),
        ("question_preview", [question.pk]),
        ("bank_import", [bank.pk]),
        ("bank_export", [bank.pk]),
    ):
        assert reverse(f"exams:{name}", args=args) in page.text


def test_editing_a_question_students_have_seen_makes_a_new_version(client, teacher, student, exam):
    attempt = services.attempt_start(student=student, exam=exam)
    question = attempt.questions.filter(part="theory").first().version.question
    edit_url = reverse("exams:question_edit", args=[question.pk])
    page = as_user(client, teacher).get(edit_url)
    posted = browser_post(page.text)
    posted.pop("csrfmiddlewaretoken", None)
    posted["title"] = "Reworded"

    response = client.post(edit_url, posted)

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.current_version.number == 2 and question.current_version.title == "Reworded"
    assert attempt.questions.filter(version__question=question, version__number=1).exists()


def test_a_bad_answer_key_is_a_form_error_and_saves_nothing(client, teacher, bank):
    as_user(client, teacher)
    new_url = reverse("exams:question_new", args=[bank.pk])
    posted = fill_in(client.get(new_url, {"kind": "numeric"}).text, "numeric")
    value_fields = [k for k in posted if k.endswith("value")]
    posted.update(dict.fromkeys(value_fields, "not a number"))

    response = client.post(new_url, posted)

    assert response.status_code == 200
    assert not Question.objects.exists()


@pytest.mark.parametrize("persona", ["student", "mentor", "verifier", "regulator", "outsider"])
def test_only_the_banks_authors_reach_the_editor(client, request, bank, persona):
    question = services.question_create(bank=bank, data=single_choice())
    as_user(client, request.getfixturevalue(persona))

    for url in (
        reverse("exams:question_new", args=[bank.pk]),
        reverse("exams:question_new", args=[bank.pk]) + "?kind=essay",
        reverse("exams:question_edit", args=[question.pk]),
        reverse("exams:question_preview", args=[question.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("exams:question_edit", args=[question.pk]), {}).status_code == 404


def test_the_chinese_column_is_all_chinese_even_the_widgets_hints(client, teacher, bank):
    question = services.question_create(
        bank=bank,
        data={**SAMPLES["fill_blanks"], "title": "Blanks", "competency": "", "difficulty": 1},
    )

    page = as_user(client, teacher).get(reverse("exams:question_preview", args=[question.pk]))

    english, chinese = page.text.split('lang="zh-hans"', 1)
    assert "Type your answer in each blank." in english
    assert "Type your answer in each blank." not in chinese
