"""Question tags: typed in the question forms, shared by a school's banks, filtered on the bank
list and bank page, carried through Excel export and import (Moodle XML and GIFT: their own
_tags tests under interop)."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from exams import grading, imports, services, tags
from exams.interop import xlsx
from exams.models import ImportJob, Question, QuestionBank, QuestionTag
from tests.exams.conftest import single_choice
from tests.exams.test_imports import run_import, sheet, upload
from tests.exams.test_kinds_registry import browser_post
from tests.exams.test_marking import login, sit
from tests.exams.test_question_pages import fill_in


@pytest.fixture
def bank(school):
    return QuestionBank.objects.create(organization=school, name="Listing bank")


def tagged(bank, names, n=0):
    return services.question_create(bank=bank, data={**single_choice(n=n), "tags": names})


def names_of(question) -> list[str]:
    return sorted(tag.name for tag in question.tags.all())


# --- the words ----------------------------------------------------------------------------------


def test_tags_are_split_on_commas_of_both_languages_trimmed_and_kept_once():
    assert tags.parse(" Amazon,  listing  titles，amazon、物流;; ") == [
        "Amazon",
        "listing titles",
        "物流",
    ]
    assert tags.parse("") == [] and tags.parse(" , ，") == []


def test_a_question_with_bad_tags_is_refused():
    assert grading.validate_question({**single_choice(), "tags": ["x" * 51]})
    assert grading.validate_question({**single_choice(), "tags": ["a,b"]})
    assert grading.validate_question({**single_choice(), "tags": "amazon"})
    assert grading.validate_question({**single_choice(), "tags": [f"t{n}" for n in range(21)]})
    assert grading.validate_question({**single_choice(), "tags": ["amazon", "物流"]}) == []


# --- the forms ----------------------------------------------------------------------------------


def test_a_teacher_tags_a_question_in_its_form_and_the_school_shares_the_tags(
    client, teacher, bank, school
):
    login(client, teacher)
    url = reverse("exams:question_new", args=[bank.pk])
    page = client.get(url, {"kind": "single_choice"})
    assert 'name="tag_names"' in page.text
    response = client.post(
        url, {**fill_in(page.text, "single_choice"), "tag_names": "Amazon, 标题"}
    )
    assert response.status_code == 302
    question = Question.objects.get(bank=bank)
    assert names_of(question) == ["Amazon", "标题"]
    # Another bank of the school: "amazon" is the same tag, whatever its case.
    other = QuestionBank.objects.create(organization=school, name="Other bank")
    again = tagged(other, ["amazon"])
    assert list(again.tags.all()) == list(QuestionTag.objects.filter(name="Amazon"))
    assert QuestionTag.objects.filter(organization=school).count() == 2
    edit = client.get(reverse("exams:question_edit", args=[question.pk]))
    assert 'value="Amazon, 标题"' in edit.text
    preview = client.get(response["Location"]).text
    tag = QuestionTag.objects.get(name="Amazon")
    assert (
        f'href="{reverse("exams:bank_detail", args=[bank.pk])}?tag={tag.pk}">Amazon</a>' in preview
    )


def test_another_schools_tags_are_its_own(bank, outsider):
    elsewhere = QuestionBank.objects.create(
        organization=outsider.memberships.get().organization, name="Elsewhere"
    )
    ours, theirs = tagged(bank, ["Amazon"]), tagged(elsewhere, ["Amazon"])
    assert ours.tags.get() != theirs.tags.get()


def test_changing_only_the_tags_of_a_question_students_saw_makes_no_new_version(
    client, teacher, exam, student
):
    sit(exam, student)
    question = exam.banks.get().questions.filter(kind="single_choice").first()
    version = question.current_version
    login(client, teacher)
    url = reverse("exams:question_edit", args=[question.pk])
    page = client.get(url)
    assert page.context["form"]["tag_names"].label == "Tags"
    # The page's own fields as they are, with new tags only.
    posted = {**browser_post(page.text), "tag_names": "amazon, hard ones"}
    posted.pop("csrfmiddlewaretoken", None)
    response = client.post(url, posted)
    assert response.status_code == 302, response.context["form"].errors
    question.refresh_from_db()
    assert question.current_version_id == version.pk and question.versions.count() == 1
    assert names_of(question) == ["amazon", "hard ones"]


def test_a_tag_too_long_is_a_form_error(client, teacher, bank):
    login(client, teacher)
    url = reverse("exams:question_new", args=[bank.pk])
    page = client.get(url, {"kind": "single_choice"})
    response = client.post(url, {**fill_in(page.text, "single_choice"), "tag_names": "x" * 51})
    assert response.status_code == 200
    assert "A tag has at most 50 characters" in response.text
    assert not Question.objects.exists()


def test_a_duplicate_keeps_the_tags(client, teacher, bank):
    question = tagged(bank, ["Amazon", "titles"])
    login(client, teacher).post(reverse("exams:question_duplicate", args=[question.pk]))
    copy = Question.objects.exclude(pk=question.pk).get()
    assert names_of(copy) == ["Amazon", "titles"]


# --- the filters --------------------------------------------------------------------------------


def test_the_bank_page_shows_tags_and_filters_by_one(client, teacher, bank, school):
    amazon = tagged(bank, ["Amazon"], n=1)
    both = tagged(bank, ["Amazon", "shipping"], n=2)
    plain = services.question_create(bank=bank, data=single_choice(n=3))
    other = QuestionBank.objects.create(organization=school, name="Other")
    tagged(other, ["only elsewhere"])
    login(client, teacher)
    url = reverse("exams:bank_detail", args=[bank.pk])
    tag = QuestionTag.objects.get(name="Amazon")

    page = client.get(url)
    shown = {q.pk for q, _stats in page.context["rows"]}
    assert shown == {amazon.pk, both.pk, plain.pk}
    assert f'<a class="tag" href="?tag={tag.pk}">Amazon</a>' in page.text
    choices = dict(page.context["filter_form"].fields["tag"].choices)
    assert set(choices.values()) == {"Any tag", "Amazon", "shipping"}  # this bank's tags
    filtered = client.get(url, {"tag": tag.pk})
    assert {q.pk for q, _stats in filtered.context["rows"]} == {amazon.pk, both.pk}


def test_the_bank_list_filters_banks_holding_a_tagged_question(client, teacher, bank, school):
    other = QuestionBank.objects.create(organization=school, name="Shipping bank")
    tagged(bank, ["Amazon"])
    retired = tagged(other, ["Amazon"])
    Question.objects.filter(pk=retired.pk).update(is_active=False)
    tagged(other, ["shipping"], n=2)
    login(client, teacher)
    url = reverse("exams:bank_list")
    amazon, shipping = (QuestionTag.objects.get(name=n) for n in ("Amazon", "shipping"))
    assert [b.pk for b in client.get(url, {"tag": amazon.pk}).context["page"]] == [bank.pk]
    assert [b.pk for b in client.get(url, {"tag": shipping.pk}).context["page"]] == [other.pk]
    assert len(client.get(url).context["page"]) == 2
    assert 'name="tag"' in client.get(url).text


def test_the_bank_list_offers_no_other_schools_tags(client, teacher, outsider, bank):
    elsewhere = QuestionBank.objects.create(
        organization=outsider.memberships.get().organization, name="Elsewhere"
    )
    tagged(elsewhere, ["secret plans"])
    login(client, teacher)
    response = client.get(reverse("exams:bank_list"))
    assert "secret plans" not in response.text
    tag = QuestionTag.objects.get()
    assert list(client.get(reverse("exams:bank_list"), {"tag": tag.pk}).context["page"]) == [bank]


def test_the_bank_page_with_tags_takes_the_same_queries_for_10_and_100_questions(
    client, teacher, bank
):
    login(client, teacher)
    url = reverse("exams:bank_detail", args=[bank.pk])

    def add(start, count):
        for n in range(start, start + count):
            tagged(bank, [f"tag {n % 7}", "common"], n=n)

    def queries(query=""):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url + query).status_code == 200
        return len(captured)

    add(0, 10)
    common = QuestionTag.objects.get(name="common")
    few = queries(), queries(f"?tag={common.pk}")
    add(10, 90)
    assert (queries(), queries(f"?tag={common.pk}")) == few


# --- Excel ------------------------------------------------------------------------------------


ROW = {
    "kind": "single_choice",
    "text_en": "Which is right?",
    "option_a_en": "Alpha",
    "option_b_en": "Bravo",
    "correct": "B",
}


def test_excel_carries_the_tags_out_and_back_in(
    bank, school, teacher, django_capture_on_commit_callbacks
):
    tagged(bank, ["Amazon", "标题"], n=1)
    services.question_create(bank=bank, data=single_choice(n=2))
    result = imports.bank_export(bank=bank, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(result.data))["Questions"]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    column = header.index("tags")
    cells = [row[column].value for row in sheet.iter_rows(min_row=2)]
    assert cells[0] == "Amazon, 标题" and cells[1] in ("", None)

    copy = QuestionBank.objects.create(organization=school, name="Copy")
    job = run_import(
        django_capture_on_commit_callbacks,
        bank=copy,
        fmt="xlsx",
        file=upload(result.data, "bank.xlsx"),
        by=teacher,
    )
    assert job.status == ImportJob.Status.DONE
    assert imports.bank_questions(copy) == imports.bank_questions(bank)
    first = copy.questions.order_by("pk").first()
    assert names_of(first) == ["Amazon", "标题"]


@pytest.mark.parametrize("fmt", ["qti21", "qti30", "aiken"])  # Moodle XML and GIFT hold them
def test_other_formats_say_they_leave_the_tags_out(bank, fmt):
    tagged(bank, ["Amazon"])
    result = imports.bank_export(bank=bank, fmt=fmt)
    assert any("tags" in warning.message for warning in result.warnings), result.warnings


def test_a_sheet_row_with_a_too_long_tag_is_reported():
    report = xlsx.parse(sheet([{**ROW, "tags": "ok, " + "x" * 51}]))
    assert not report.questions and "A tag has at most 50 characters" in str(report.errors)
    good = xlsx.parse(sheet([{**ROW, "tags": "a, b，a"}]))
    assert good.ok and good.questions[0]["tags"] == ["a", "b"]


# --- bulk ---------------------------------------------------------------------------------------


def test_selected_questions_get_a_tag_added_or_removed_on_the_bank_page(client, teacher, bank):
    first = tagged(bank, ["titles"], n=1)
    second = services.question_create(bank=bank, data=single_choice(n=2))
    untouched = services.question_create(bank=bank, data=single_choice(n=3))
    login(client, teacher)
    url = reverse("exams:bank_detail", args=[bank.pk])
    assert 'name="tag"' in client.get(url).text

    data = {"action": "tag", "tag": " Amazon ", "questions": [first.pk, second.pk]}
    response = client.post(url, data, follow=True)
    assert "The tag Amazon is added to 2 questions." in response.text
    assert names_of(first) == ["Amazon", "titles"] and names_of(second) == ["Amazon"]
    assert names_of(untouched) == []
    again = client.post(url, data, follow=True)  # already there: nothing changes
    assert "The tag Amazon is added to 0 questions." in again.text

    removed = client.post(url, {**data, "action": "untag", "tag": "amazon"}, follow=True)
    assert "The tag amazon is removed from 2 questions." in removed.text
    assert names_of(first) == ["titles"] and names_of(second) == []
    refused = client.post(url, {**data, "tag": ""}, follow=True)
    assert "Type the tag to add or remove." in refused.text
    refused = client.post(url, {**data, "tag": "a, b"}, follow=True)
    assert "Give one tag." in refused.text and names_of(second) == []


def test_bulk_tags_touch_only_the_banks_own_questions(bank, school):
    other = QuestionBank.objects.create(organization=school, name="Other")
    theirs = services.question_create(bank=other, data=single_choice(n=1))
    assert services.questions_tag(bank=bank, question_ids=[theirs.pk], name="Amazon") == 0
    assert names_of(theirs) == []
