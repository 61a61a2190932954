"""Question ID numbers (Moodle's "ID number"): optional, unique within a bank when given, set in
the studio's question form and searched on the bank page (files: interop/test_idnumbers.py)."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from exams import grading, services
from exams.models import Question, QuestionBank
from tests.exams.conftest import single_choice
from tests.exams.test_kinds_registry import browser_post
from tests.exams.test_marking import login, sit
from tests.exams.test_question_pages import fill_in


@pytest.fixture
def bank(school):
    return QuestionBank.objects.create(organization=school, name="Incoterms bank")


def numbered(bank, idnumber: str, n: int = 0) -> Question:
    return services.question_create(bank=bank, data={**single_choice(n=n), "idnumber": idnumber})


# --- the constraint and the services ------------------------------------------------------------


def test_the_database_refuses_a_second_question_with_the_same_id_number_in_a_bank(bank, school):
    Question.objects.create(bank=bank, kind="essay", idnumber="INC-01")
    Question.objects.create(bank=bank, kind="essay", idnumber="inc-01")  # another number
    Question.objects.create(bank=bank, kind="essay")  # blank: as many as you like
    Question.objects.create(bank=bank, kind="essay")
    other = QuestionBank.objects.create(organization=school, name="Other")
    Question.objects.create(bank=other, kind="essay", idnumber="INC-01")  # another bank

    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(bank=bank, kind="essay", idnumber="INC-01")
    assert Question.objects.filter(idnumber="INC-01").count() == 2


def test_creating_a_question_with_a_taken_id_number_is_refused_and_nothing_is_written(bank):
    first = numbered(bank, "INC-01")

    with pytest.raises(services.ExamError) as refused:
        numbered(bank, " INC-01 ", n=1)  # trimmed first

    assert refused.value.messages == [
        f"Question #{first.pk} of this bank already has the ID number 'INC-01'."
    ]
    assert list(bank.questions.all()) == [first]


def test_an_id_number_over_100_characters_is_refused():
    problems = grading.validate_question({**single_choice(), "idnumber": "x" * 101})
    assert problems == ["The ID number has at most 100 characters."]
    assert not grading.validate_question({**single_choice(), "idnumber": "x" * 100})


def test_setting_an_id_number_checks_the_bank_and_makes_no_new_version(bank):
    first, second = numbered(bank, "INC-01"), numbered(bank, "", n=1)
    version = second.current_version

    with pytest.raises(services.ExamError):
        services.question_idnumber_set(question=second, idnumber="INC-01")
    services.question_idnumber_set(question=second, idnumber="  INC-02 ")
    services.question_idnumber_set(question=first, idnumber="INC-01")  # its own: fine

    second.refresh_from_db()
    assert second.idnumber == "INC-02" and second.current_version == version
    services.question_idnumber_set(question=second, idnumber="")
    second.refresh_from_db()
    assert second.idnumber == ""


def test_a_duplicate_does_not_copy_the_id_number(bank):
    question = numbered(bank, "INC-01")
    copy = services.question_duplicate(question=question)
    assert copy.idnumber == "" and question.idnumber == "INC-01"


def test_moving_questions_into_a_bank_holding_their_id_numbers_is_refused_whole(bank, school):
    target = QuestionBank.objects.create(organization=school, name="Target")
    held = numbered(target, "INC-01")
    clashing, free = numbered(bank, "INC-01", n=1), numbered(bank, "INC-02", n=2)

    with pytest.raises(services.ExamError) as refused:
        services.questions_move(bank=bank, question_ids=[clashing.pk, free.pk], target=target)

    assert refused.value.messages == [
        f"Target already has questions with these ID numbers: #{clashing.pk} ('INC-01', which "
        f"#{held.pk} has). Change or clear the ID numbers first."
    ]
    assert set(bank.questions.all()) == {clashing, free}
    assert services.questions_move(bank=bank, question_ids=[free.pk], target=target) == 1


# --- the studio's question form -----------------------------------------------------------------


def test_a_teacher_gives_a_new_question_an_id_number_in_its_form(client, teacher, bank):
    login(client, teacher)
    url = reverse("exams:question_new", args=[bank.pk])
    page = client.get(url, {"kind": "single_choice"})
    assert page.context["form"]["idnumber"].label == "ID number"

    response = client.post(url, {**fill_in(page.text, "single_choice"), "idnumber": " INC-01 "})

    assert response.status_code == 302, response.context["form"].errors
    question = Question.objects.get(bank=bank)
    assert question.idnumber == "INC-01"
    edit = client.get(reverse("exams:question_edit", args=[question.pk]))
    assert 'name="idnumber"' in edit.text and 'value="INC-01"' in edit.text


def test_a_taken_id_number_is_a_clear_form_error_and_nothing_is_saved(client, teacher, bank):
    holder = numbered(bank, "INC-01")
    login(client, teacher)
    url = reverse("exams:question_new", args=[bank.pk])
    page = client.get(url, {"kind": "single_choice"})

    response = client.post(url, {**fill_in(page.text, "single_choice"), "idnumber": "INC-01"})

    assert response.status_code == 200
    message = (
        f"Question #{holder.pk} of this bank already has the ID number 'INC-01'; give this one "
        "another or none."
    )
    assert response.context["form"].errors == {"idnumber": [message]}
    assert "of this bank already has the ID number" in response.text
    assert list(bank.questions.all()) == [holder]


def test_editing_to_a_taken_id_number_is_a_form_error_and_keeping_its_own_is_fine(
    client, teacher, bank
):
    numbered(bank, "INC-01")
    question = numbered(bank, "INC-02", n=1)
    login(client, teacher)
    url = reverse("exams:question_edit", args=[question.pk])
    posted = browser_post(client.get(url).text)
    posted.pop("csrfmiddlewaretoken", None)

    refused = client.post(url, {**posted, "idnumber": "INC-01"})
    assert refused.status_code == 200 and "idnumber" in refused.context["form"].errors
    question.refresh_from_db()
    assert question.idnumber == "INC-02"

    kept = client.post(url, {**posted, "title": "Renamed"})  # its own number: no clash
    assert kept.status_code == 302, kept.context["form"].errors


def test_changing_only_the_id_number_of_a_question_students_saw_makes_no_new_version(
    client, teacher, exam, student
):
    sit(exam, student)
    question = exam.banks.get().questions.filter(kind="single_choice").first()
    version = question.current_version
    login(client, teacher)
    url = reverse("exams:question_edit", args=[question.pk])
    posted = browser_post(client.get(url).text)
    posted.pop("csrfmiddlewaretoken", None)

    response = client.post(url, {**posted, "idnumber": "INC-07"}, follow=True)

    assert response.redirect_chain, response.context["form"].errors
    assert "The ID number is saved." in response.text
    question.refresh_from_db()
    assert question.idnumber == "INC-07"
    assert question.current_version_id == version.pk and question.versions.count() == 1


def test_the_bank_page_shows_the_id_numbers_and_finds_a_question_by_one(client, teacher, bank):
    wanted = numbered(bank, "INC-01", n=1)
    numbered(bank, "MKT-02", n=2)
    login(client, teacher)
    url = reverse("exams:bank_detail", args=[bank.pk])

    every = client.get(url)
    assert "INC-01" in every.text and "MKT-02" in every.text
    found = client.get(url, {"q": "inc-0"})
    assert [question.pk for question, _stats in found.context["rows"]] == [wanted.pk]
