"""The teacher's studio without the admin: question banks (list, create, filters, bulk edits,
duplicates, history, import defaults) and the exam builder (settings, sections, rows with
live counts, publishing and its refusals, the sample paper)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exams import services
from exams.models import Attempt, Exam, ImportJob, Question, QuestionBank
from tests import factories
from tests.exams.conftest import build_exam, practical, single_choice
from tests.exams.test_marking import login, sit


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    # These tests are about the studio, not the staff second factor (tested on its own).
    settings.STAFF_MFA_REQUIRED = False


@pytest.fixture
def enterprise_admin(enterprise):
    return factories.person("entadmin", enterprise, "admin")


@pytest.fixture
def bank(school):
    return QuestionBank.objects.create(organization=school, name="Listing bank")


def fill(bank, n, **fields):
    for i in range(n):
        services.question_create(bank=bank, data=single_choice(n=i, **fields))


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def builder_data(*, banks, rows, parts=("theory",), **settings) -> dict:
    """A POST of the builder page: settings, the sections formset and the rows formset."""
    data = {
        "exam-title_en": "Listing quiz",
        "exam-title_zh": "上架测验",
        "exam-time_limit_minutes": "30",
        "exam-attempts_allowed": "1",
        "exam-attempt_delay_minutes": "0",
        "exam-review": "after_grading",
        "exam-release_results": "on",
        "exam-shuffle_questions": "on",
        "exam-shuffle_options": "on",
        "exam-organization": str(banks[0].organization_id),
        "exam-banks": [str(b.pk) for b in banks],
        "sections-TOTAL_FORMS": str(len(parts)),
        "sections-INITIAL_FORMS": "0",
        "rules-TOTAL_FORMS": str(len(rows)),
        "rules-INITIAL_FORMS": "0",
    }
    for key, value in settings.items():
        data[f"exam-{key}"] = value
    for i, part in enumerate(parts):
        data[f"sections-{i}-part"] = part
    for i, row in enumerate(rows):
        for key, value in {"part": "theory", "difficulty": "1", "kind": "", **row}.items():
            data[f"rules-{i}-{key}"] = value
    return data


# --- access -----------------------------------------------------------------------------------


def test_people_who_write_no_questions_get_403_on_every_studio_page(
    client, bank, theory_exam, student, mentor, enterprise_admin, regulator, verifier
):
    fill(bank, 1)
    question = bank.questions.get()
    pages = [
        reverse("exams:bank_list"),
        reverse("exams:bank_detail", args=[bank.pk]),
        reverse("exams:question_history", args=[question.pk]),
        reverse("exams:exam_new"),
        reverse("exams:exam_builder", args=[theory_exam.pk]),
        reverse("exams:exam_sample", args=[theory_exam.pk]),
        reverse("exams:blueprint_count") + "?difficulty=1&kind=",
    ]
    posts = [
        reverse("exams:bank_list"),
        reverse("exams:question_duplicate", args=[question.pk]),
        reverse("exams:exam_new"),
        reverse("exams:exam_publish", args=[theory_exam.pk]),
    ]
    for user in (student, mentor, enterprise_admin, regulator, verifier):
        login(client, user)
        for url in pages:
            assert client.get(url).status_code == 403, (user.username, url)
        for url in posts:
            assert client.post(url, {"action": "publish", "name": "X"}).status_code == 403
    assert Question.objects.count() == 1 + 6  # nothing duplicated (theory_exam holds 6)
    assert QuestionBank.objects.filter(name="X").count() == 0


def test_a_teacher_of_another_school_finds_no_such_bank_or_exam(
    client, bank, theory_exam, outsider
):
    login(client, outsider)
    assert client.get(reverse("exams:bank_detail", args=[bank.pk])).status_code == 404
    assert client.get(reverse("exams:exam_builder", args=[theory_exam.pk])).status_code == 404
    assert client.post(reverse("exams:exam_publish", args=[theory_exam.pk])).status_code == 404
    text = client.get(reverse("exams:bank_list")).content.decode()
    assert "Listing bank" not in text


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    for name in ("bank_list", "exam_new"):
        response = client.get(reverse(f"exams:{name}"))
        assert response.status_code == 302 and "login" in response["Location"]


# --- banks ------------------------------------------------------------------------------------


def test_staff_home_links_the_studio_and_no_admin(client, theory_exam, teacher):
    teacher.is_staff = True
    teacher.save()
    text = login(client, teacher).get(reverse("exams:staff_home")).content.decode()
    assert reverse("exams:bank_list") in text
    assert reverse("exams:exam_new") in text
    assert reverse("exams:exam_builder", args=[theory_exam.pk]) in text
    assert "/admin/" not in text


def test_a_teacher_creates_a_bank(client, teacher, school):
    login(client, teacher)
    response = client.post(
        reverse("exams:bank_list"), {"name": "Customs", "organization": school.pk}
    )
    bank = QuestionBank.objects.get(name="Customs")
    assert response.status_code == 302
    assert response["Location"] == reverse("exams:bank_detail", args=[bank.pk])
    assert bank.organization == school
    # The same name again: a clear error, no second bank.
    response = client.post(
        reverse("exams:bank_list"), {"name": "customs", "organization": school.pk}
    )
    assert response.status_code == 400
    assert "already has a bank called customs" in response.content.decode()
    assert QuestionBank.objects.filter(name__iexact="customs").count() == 1


def test_a_teacher_cannot_create_a_bank_for_another_school(client, teacher, outsider):
    other = outsider.memberships.get().organization
    response = login(client, teacher).post(
        reverse("exams:bank_list"), {"name": "Sneaky", "organization": other.pk}
    )
    assert response.status_code == 400
    assert not QuestionBank.objects.filter(name="Sneaky").exists()


def test_the_bank_list_is_in_chinese_too(client, teacher, bank):
    login(client, teacher)
    response = client.get(reverse("exams:bank_list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = response.content.decode()
    assert '<html lang="zh-hans">' in text
    assert "题库" in text and "Create the bank" not in text


def test_bank_page_filters_by_kind_competency_difficulty_and_search(client, teacher, bank):
    fill(bank, 3, competency="listing", difficulty=1)
    fill(bank, 2, competency="customs", difficulty=2)
    services.question_create(bank=bank, data={**practical(), "title": "Write it"})
    login(client, teacher)
    url = reverse("exams:bank_detail", args=[bank.pk])

    def shown(**params):
        text = client.get(url, params).content.decode()
        return text.count('name="questions" value=')

    assert shown() == 6
    assert shown(kind="practical") == 1
    assert shown(competency="customs") == 2
    assert shown(difficulty=2) == 2
    assert shown(q="Write") == 1
    assert shown(q="Which is right? (1)") == 2  # text search: one listing, one customs


def test_bank_page_filters_by_use_and_facility(client, teacher, theory_exam, student):
    sit(theory_exam, student, wrong=4)  # four questions seen, all answered wrong
    bank = theory_exam.banks.get()
    login(client, teacher)
    url = reverse("exams:bank_detail", args=[bank.pk])

    def shown(**params):
        return client.get(url, params).content.decode().count('name="questions" value=')

    assert shown(usage="used") == 4
    assert shown(usage="unused") == 2 + 0  # the spares (no practicals in a theory exam)
    assert shown(facility="hard") == 4
    assert shown(facility="easy") == 0
    assert shown(facility="none") == 2


def test_bulk_retire_restore_and_move(client, teacher, bank, school):
    fill(bank, 4)
    other = QuestionBank.objects.create(organization=school, name="Other")
    ids = list(bank.questions.order_by("pk").values_list("pk", flat=True))
    login(client, teacher)
    url = reverse("exams:bank_detail", args=[bank.pk])

    response = client.post(
        url, {"action": "retire", "questions": ids[:2], "next": "?kind=single_choice"}
    )
    assert response["Location"] == f"{url}?kind=single_choice"
    response = client.get(response["Location"])
    assert "2 questions retired." in response.content.decode()
    assert set(bank.questions.filter(is_active=False).values_list("pk", flat=True)) == set(ids[:2])
    client.post(url, {"action": "restore", "questions": ids[:1]})
    assert bank.questions.filter(is_active=False).count() == 1

    response = client.post(url, {"action": "move", "questions": ids[2:]}, follow=True)
    assert "Choose the bank to move the questions to." in response.content.decode()
    assert other.questions.count() == 0
    client.post(url, {"action": "move", "target": other.pk, "questions": ids[2:]})
    assert set(other.questions.values_list("pk", flat=True)) == set(ids[2:])


def test_bulk_edits_touch_only_this_banks_questions(client, teacher, bank, school):
    elsewhere = QuestionBank.objects.create(organization=school, name="Elsewhere")
    fill(elsewhere, 1)
    foreign = elsewhere.questions.get()
    login(client, teacher)
    client.post(
        reverse("exams:bank_detail", args=[bank.pk]),
        {"action": "retire", "questions": [foreign.pk]},
    )
    foreign.refresh_from_db()
    assert foreign.is_active


def test_questions_move_only_within_the_school(teacher, bank):
    other_school = factories.organization(kind="school", code="second-school")
    far = QuestionBank.objects.create(organization=other_school, name="Far")
    fill(bank, 1)
    with pytest.raises(services.ExamError):
        services.questions_move(bank=bank, question_ids=[bank.questions.get().pk], target=far)
    assert far.questions.count() == 0


def test_duplicate_makes_a_new_question_with_the_same_content(client, teacher, bank):
    fill(bank, 1)
    original = bank.questions.get()
    response = login(client, teacher).post(reverse("exams:question_duplicate", args=[original.pk]))
    copy = bank.questions.exclude(pk=original.pk).get()
    assert response["Location"] == reverse("exams:question_edit", args=[copy.pk])
    assert copy.current_version.text == original.current_version.text
    assert copy.current_version.key == original.current_version.key
    assert (copy.kind, copy.competency, copy.difficulty) == (
        original.kind,
        original.competency,
        original.difficulty,
    )
    assert client.get(reverse("exams:question_duplicate", args=[original.pk])).status_code == 405


def test_version_history_says_what_changed(client, teacher, theory_exam, student):
    sit(theory_exam, student)
    bank = theory_exam.banks.get()
    question = Question.objects.filter(versions__attempt_questions__isnull=False).first()
    data = question.current_version.as_data()
    services.question_update(
        question=question, data={**data, "text": {"en": "Which is CORRECT?"}, "points": "3"}
    )
    text = (
        login(client, teacher)
        .get(reverse("exams:question_history", args=[question.pk]))
        .content.decode()
    )
    assert "Version 2" in text and "Version 1" in text
    assert "Which is CORRECT?" in text
    assert '<th scope="row">Text</th>' in text and '<th scope="row">Points</th>' in text
    assert '<th scope="row">Answer key</th>' not in text
    assert (
        reverse("exams:question_history", args=[question.pk])
        in client.get(reverse("exams:bank_detail", args=[bank.pk])).content.decode()
    )


@pytest.mark.parametrize("page", ["bank_detail", "bank_list"])
def test_bank_pages_take_the_same_queries_for_10_and_100_rows(
    client, teacher, school, student, other_student, page
):
    bank = QuestionBank.objects.create(organization=school, name="Big")
    fill(bank, 10)
    for n in range(9):
        QuestionBank.objects.create(organization=school, name=f"Bank {n}")
    # Some questions used and graded, so that statistics and filters have rows to read.
    exam = Exam.objects.create(title_en="E", title_zh="E", organization=school, is_published=True)
    exam.banks.add(bank)
    section = exam.sections.create(part="theory", position=1)
    section.rules.create(competency="listing", difficulty=1, count=5)
    sit(exam, student)
    login(client, teacher)
    url = reverse(f"exams:{page}", args=[bank.pk] if page == "bank_detail" else [])
    filtered = url + "?facility=easy&usage=used&q=SC&kind=single_choice"
    few, few_filtered = count_queries(client, url), count_queries(client, filtered)
    fill(bank, 90)
    for n in range(9, 99):
        QuestionBank.objects.create(organization=school, name=f"Bank {n}")
    section.rules.update(count=50)
    sit(exam, other_student)
    assert bank.questions.count() == 100 and QuestionBank.objects.count() == 100
    assert count_queries(client, url) == few
    assert count_queries(client, filtered) == few_filtered


# --- import -----------------------------------------------------------------------------------


GIFT = b"::Q1:: Which is right? {=Bravo ~Alpha ~Charlie}\n\n::Q2:: 2+2? {=4 ~3 ~5}\n"


def test_import_applies_the_competency_and_difficulty_chosen(
    client, teacher, bank, django_capture_on_commit_callbacks
):
    login(client, teacher)
    url = reverse("exams:bank_import", args=[bank.pk])
    assert 'name="competency"' in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "format": "gift",
                "language": "en",
                "competency": "customs",
                "difficulty": "3",
                "file": SimpleUploadedFile("q.gift", GIFT),
            },
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE, job.report
    assert list(bank.questions.values_list("competency", "difficulty")) == [("customs", 3)] * 2


def test_import_without_a_choice_keeps_the_files_values(
    client, teacher, bank, django_capture_on_commit_callbacks
):
    login(client, teacher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("exams:bank_import", args=[bank.pk]),
            {"format": "gift", "language": "en", "file": SimpleUploadedFile("q.gift", GIFT)},
        )
    assert list(bank.questions.values_list("competency", "difficulty")) == [("", 1)] * 2


# --- exam builder -----------------------------------------------------------------------------


def test_the_builder_creates_and_publishes_an_exam_a_student_starts(client, teacher, bank, student):
    fill(bank, 6, competency="listing")
    login(client, teacher)
    response = client.post(
        reverse("exams:exam_new"),
        builder_data(banks=[bank], rows=[{"competency": "listing", "count": "4"}]),
    )
    exam = Exam.objects.get(title_en="Listing quiz")
    assert response.status_code == 302
    assert response["Location"] == reverse("exams:exam_builder", args=[exam.pk])
    assert exam.organization == bank.organization and exam.created_by == teacher
    assert not exam.is_published
    rule = exam.sections.get().rules.get()
    assert (rule.competency, rule.difficulty, rule.count) == ("listing", 1, 4)

    page = client.get(response["Location"]).content.decode()
    assert "6 questions match; 4 needed for 1 attempt" in page
    assert "the exam can be published" in page

    response = client.post(
        reverse("exams:exam_publish", args=[exam.pk]), {"action": "publish"}, follow=True
    )
    assert "The exam is published" in response.content.decode()
    exam.refresh_from_db()
    assert exam.is_published

    login(client, student)
    response = client.post(reverse("exams:attempt_start", args=[exam.pk]))
    attempt = Attempt.objects.get(exam=exam, student=student)
    assert response.status_code == 302 and attempt.questions.count() == 4

    login(client, teacher)
    client.post(reverse("exams:exam_publish", args=[exam.pk]), {"action": "unpublish"})
    exam.refresh_from_db()
    assert not exam.is_published


def test_publishing_is_refused_while_a_row_cannot_be_filled_for_every_attempt(
    client, teacher, bank
):
    fill(bank, 6)
    login(client, teacher)
    client.post(
        reverse("exams:exam_new"),
        builder_data(
            banks=[bank], rows=[{"competency": "listing", "count": "4"}], attempts_allowed="2"
        ),
    )
    exam = Exam.objects.get()
    url = reverse("exams:exam_builder", args=[exam.pk])
    page = client.get(url).content.decode()
    assert "6 questions match; 8 needed for 2 attempts" in page
    assert 'class="match short"' in page
    response = client.post(
        reverse("exams:exam_publish", args=[exam.pk]), {"action": "publish"}, follow=True
    )
    text = response.content.decode()
    assert "The exam cannot be published yet:" in text
    assert "needs 8 questions for 2 attempts; the banks have 6." in text
    exam.refresh_from_db()
    assert not exam.is_published


def test_saving_a_published_exam_into_an_unfillable_state_is_refused_whole(client, teacher, bank):
    fill(bank, 6)
    login(client, teacher)
    client.post(reverse("exams:exam_new"), builder_data(banks=[bank], rows=[{"count": "4"}]))
    exam = Exam.objects.get()
    services.exam_set_published(exam=exam, published=True)
    data = builder_data(banks=[bank], rows=[{"count": "9"}], title_en="Renamed")
    data.update({"sections-INITIAL_FORMS": "1", "rules-INITIAL_FORMS": "1"})
    response = client.post(reverse("exams:exam_builder", args=[exam.pk]), data)
    assert response.status_code == 400
    assert "needs 9 questions for 1 attempt; the banks have 6." in response.content.decode()
    exam.refresh_from_db()
    assert exam.title_en == "Listing quiz"
    assert exam.sections.get().rules.get().count == 4


def test_builder_form_errors_are_clear_and_nothing_is_written(client, teacher, bank, school):
    other_school = factories.organization(kind="school", code="far-school")
    far = QuestionBank.objects.create(organization=other_school, name="Far")
    login(client, teacher)
    data = builder_data(
        banks=[bank],
        rows=[{"count": "0"}, {"part": "practical", "count": "1", "kind": "essay"}],
        title_en="",
    )
    response = client.post(reverse("exams:exam_new"), data)
    text = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in text
    assert "Ensure this value is greater than or equal to 1." in text
    # A bank of a school the teacher does not write for is not even a choice.
    data = builder_data(banks=[far], rows=[{"count": "1"}])
    response = client.post(reverse("exams:exam_new"), data)
    assert response.status_code == 400
    # A row drawing into a part without a section.
    data = builder_data(banks=[bank], rows=[{"part": "practical", "count": "1"}])
    response = client.post(reverse("exams:exam_new"), data)
    assert "which has no section; add the section." in response.content.decode()
    assert not Exam.objects.exists()


def test_builder_errors_are_in_chinese_for_chinese_readers(client, teacher, bank):
    login(client, teacher)
    data = builder_data(banks=[bank], rows=[{"part": "practical", "count": "1"}])
    response = client.post(reverse("exams:exam_new"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = response.content.decode()
    assert response.status_code == 400
    assert "which has no section" not in text
    assert "实操" in text


def test_the_builder_edits_an_exam_built_elsewhere(client, teacher, school, government):
    exam = build_exam(school=school, government=government)
    login(client, teacher)
    page = client.get(reverse("exams:exam_builder", args=[exam.pk])).content.decode()
    assert 'value="Level 1 exam"' in page
    assert 'name="rules-1-kind"' in page  # two saved rows, then an empty one
    assert "Published" in page and "Unpublish" in page


def test_blueprint_count_answers_json_for_the_users_banks_only(client, teacher, bank, outsider):
    fill(bank, 5, competency="listing")
    fill(bank, 2, competency="customs", difficulty=2)
    login(client, teacher)
    url = reverse("exams:blueprint_count")
    params = {"bank": [bank.pk], "difficulty": 1, "kind": "", "competency": "listing"}
    data = client.get(url, {**params, "count": 3, "attempts": 2}).json()
    assert data == {
        "count": 5,
        "needed": 6,
        "enough": False,
        "text": "5 questions match; 6 needed for 2 attempts",
    }
    assert client.get(url, {**params, "kind": "objective", "count": 1}).json()["count"] == 5
    assert client.get(url, {**params, "kind": "essay"}).json()["count"] == 0
    assert client.get(url, {**params, "difficulty": "x"}).status_code == 400
    assert client.get(url, {**params, "kind": "nonsense"}).status_code == 400
    login(client, outsider)
    assert client.get(url, params).json()["count"] == 0  # not their bank: counts nothing


def test_the_builder_takes_the_same_queries_for_10_and_100_questions(client, teacher, bank):
    fill(bank, 10)
    login(client, teacher)
    client.post(
        reverse("exams:exam_new"),
        builder_data(banks=[bank], rows=[{"count": "2"}, {"count": "1", "difficulty": "2"}]),
    )
    url = reverse("exams:exam_builder", args=[Exam.objects.get().pk])
    few = count_queries(client, url)
    fill(bank, 90, difficulty=2)
    assert count_queries(client, url) == few


def test_the_sample_paper_shows_the_students_widgets_without_keys(client, teacher, bank):
    fill(bank, 4)
    login(client, teacher)
    client.post(reverse("exams:exam_new"), builder_data(banks=[bank], rows=[{"count": "3"}]))
    exam = Exam.objects.get()
    text = client.get(reverse("exams:exam_sample", args=[exam.pk]), {"seed": 7}).content.decode()
    assert text.count('type="radio"') == 9  # three questions of three options
    assert "Bravo" in text and "Staff only" not in text and "✓" not in text
    assert not Attempt.objects.exists()
