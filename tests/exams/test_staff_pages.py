"""Staff pages and the exams admin: who gets in, what they show, and how many queries."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exams import kinds, services, uploads
from exams.models import Mark, Question, QuestionBank, SkillStandard
from tests import factories
from tests.exams.conftest import build_exam, single_choice
from tests.exams.test_marking import enrol, login, practical_of, sit
from tests.exams.test_regrade import key_form


def page(client, name, *args, **kwargs):
    return client.get(reverse(f"exams:{name}", args=args), **kwargs)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def other_mentor(course, teacher):
    firm = factories.organization(kind="enterprise", code="other-firm")
    person = factories.person("mentor2", firm, "mentor")
    factories.cohort(course, teacher=teacher, mentor=person, name="Class 2")
    return person


# --- home -----------------------------------------------------------------------------------


def test_home_lists_banks_exams_and_the_queue(client, exam, student, cohort, teacher):
    enrol(student, cohort)
    sit(exam, student)
    response = page(login(client, teacher), "staff_home")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Bank" in text and "Level 1 exam" in text
    assert "1 answer is waiting for your mark." in text
    assert reverse("exams:bank_detail", args=[exam.banks.get().pk]) in text
    assert reverse("exams:exam_blueprint", args=[exam.pk]) in text


def test_home_shows_a_mentor_their_queue_only(client, exam, student, cohort, mentor):
    enrol(student, cohort)
    sit(exam, student)
    text = page(login(client, mentor), "staff_home").content.decode()
    assert "1 answer is waiting for your mark." in text
    assert "Level 1 exam" not in text  # mentors do not author the school's exams


def test_home_refuses_people_without_a_staff_role(client, student, regulator, verifier):
    for user in (student, regulator, verifier):
        assert page(login(client, user), "staff_home").status_code == 403
        assert page(client, "grading_queue").status_code == 403


def test_home_sends_anonymous_visitors_to_log_in(client, db):
    response = page(client, "staff_home")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_home_hides_other_schools_banks_and_exams(client, exam, outsider):
    text = page(login(client, outsider), "staff_home").content.decode()
    assert "Level 1 exam" not in text
    assert reverse("exams:bank_detail", args=[exam.banks.get().pk]) not in text


def test_home_takes_a_constant_number_of_queries(client, school, government, teacher):
    build_exam(school=school, government=government)
    login(client, teacher)
    url = reverse("exams:staff_home")
    few = queries(client, url)
    for _ in range(3):
        build_exam(school=school, government=government)
    assert queries(client, url) == few


# --- bank -----------------------------------------------------------------------------------


@pytest.fixture
def paper(school, government):
    """Four single-choice questions, all of them drawn into every paper."""
    return build_exam(school=school, government=government, practicals=0, bank_extra=0)


def test_bank_page_lists_questions_with_their_statistics(
    client, paper, student, other_student, teacher
):
    sit(paper, student)  # all right
    sit(paper, other_student, wrong=4)  # all wrong
    bank = paper.banks.get()
    text = page(login(client, teacher), "bank_detail", bank.pk).content.decode()
    assert "SC 0" in text and "Single choice" in text and "v1" in text
    used = Question.objects.filter(versions__attempt_questions__isnull=False).distinct()
    assert used.count() == 4
    # Each used question: half the candidates right, perfectly correlated with the total.
    assert text.count('<span class="value">0.500</span>') == 4
    assert text.count('<span class="value">1.000</span>') == 4
    for question in used:
        assert reverse("exams:correct_key", args=[question.current_version_id]) in text


def test_bank_page_is_for_the_schools_authors_only(client, exam, outsider, mentor, student):
    bank = exam.banks.get()
    # A teacher of another school: no such bank; people who write no questions: forbidden.
    assert page(login(client, outsider), "bank_detail", bank.pk).status_code == 404
    for user in (mentor, student):
        assert page(login(client, user), "bank_detail", bank.pk).status_code == 403


def test_bank_page_takes_a_constant_number_of_queries(
    client, theory_exam, student, other_student, teacher
):
    bank = theory_exam.banks.get()
    login(client, teacher)
    url = reverse("exams:bank_detail", args=[bank.pk])
    sit(theory_exam, student)
    few = queries(client, url)
    for n in range(10, 15):
        services.question_create(bank=bank, data=single_choice(n=n))
    sit(theory_exam, other_student, wrong=1)
    assert queries(client, url) == few


# --- blueprint ------------------------------------------------------------------------------


def test_blueprint_shows_depth_and_a_sample_paper_with_keys(client, exam, teacher):
    text = page(login(client, teacher), "exam_blueprint", exam.pk, data={"seed": 7}).content
    text = text.decode()
    assert "Rules and bank depth" in text
    assert "Bravo ✓" in text  # the key, staff only
    assert "Which is right?" in text
    assert "Title quality: 10 points" in text  # the practical task's rubric
    # 6 single-choice for 4 drawn: 2 spare, fine for one attempt.
    assert "Cannot be filled" not in text and "No spare questions" not in text


def test_blueprint_warns_when_a_rule_cannot_be_filled(client, exam, teacher):
    rule = exam.sections.get(part="theory").rules.get()
    rule.count = 9
    rule.save()
    text = page(login(client, teacher), "exam_blueprint", exam.pk).content.decode()
    assert "Cannot be filled" in text
    assert "3 questions missing." in text
    assert "No paper can be drawn" in text


def test_blueprint_warns_when_a_rule_has_no_spare_questions(client, school, government, teacher):
    exam = build_exam(school=school, government=government, bank_extra=0, attempts_allowed=2)
    text = page(login(client, teacher), "exam_blueprint", exam.pk).content.decode()
    assert "No spare questions" in text
    assert "repeat attempts will see repeats" in text


def test_blueprint_warns_when_repeat_attempts_will_see_repeats(client, school, government, teacher):
    exam = build_exam(school=school, government=government, bank_extra=2, attempts_allowed=3)
    text = page(login(client, teacher), "exam_blueprint", exam.pk).content.decode()
    assert "Few spare questions" in text


def test_blueprint_is_for_the_schools_authors_only(client, exam, outsider, mentor, student):
    for user in (outsider, mentor, student):
        assert page(login(client, user), "exam_blueprint", exam.pk).status_code == 404


# --- statistics -----------------------------------------------------------------------------


def test_statistics_show_pass_rate_items_and_a_chart(
    client, paper, student, other_student, teacher
):
    sit(paper, student)
    sit(paper, other_student, wrong=4)
    text = page(login(client, teacher), "exam_statistics", paper.pk).content.decode()
    assert "50.0%" in text  # one of two passed
    assert "<svg" in text and text.count("<rect") == 10
    assert text.count('<span class="value">0.500</span>') == 4
    assert "cdn" not in text.lower()


def test_statistics_are_for_the_schools_authors_only(client, exam, outsider, mentor):
    for user in (outsider, mentor):
        assert page(login(client, user), "exam_statistics", exam.pk).status_code == 404


def test_statistics_take_a_constant_number_of_queries(
    client, school, government, student, other_student, teacher
):
    exam = build_exam(school=school, government=government, practicals=0)
    login(client, teacher)
    url = reverse("exams:exam_statistics", args=[exam.pk])
    sit(exam, student)
    few = queries(client, url)
    sit(exam, other_student, wrong=2)
    assert queries(client, url) == few


# --- grading queue and marking ----------------------------------------------------------------


def test_the_queue_takes_a_constant_number_of_queries(
    client, exam, student, other_student, cohort, teacher
):
    enrol(student, cohort)
    enrol(other_student, cohort)
    sit(exam, student)
    login(client, teacher)
    url = reverse("exams:grading_queue")
    few = queries(client, url)
    sit(exam, other_student)
    assert queries(client, url) == few


def test_the_queue_shows_exam_and_attempt_but_no_marks(client, exam, student, cohort, teacher):
    enrol(student, cohort)
    question = practical_of(sit(exam, student))
    mentor = cohort.mentor
    services.mark_record(
        attempt_question=question,
        grader=mentor,
        role=Mark.Role.MENTOR,
        rubric_marks={"r1": "3.25", "r2": "4"},
    )
    text = page(login(client, teacher), "grading_queue").content.decode()
    assert "Level 1 exam" in text and "#1" in text
    assert "7.25" not in text and "3.25" not in text


def test_the_mark_page_shows_question_answer_and_rubric(client, exam, student, cohort, teacher):
    enrol(student, cohort)
    question = practical_of(sit(exam, student, text="My ANSWER-TEXT"))
    text = page(login(client, teacher), "mark_answer", question.pk).content.decode()
    assert "Write an Amazon listing." in text
    assert "ANSWER-TEXT" in text
    assert "Title quality" in text and "Bullet points" in text
    assert 'name="criterion_r1"' in text and 'max="10"' in text


def test_marks_show_criterion_names_never_ids(client, exam, student, cohort, teacher):
    enrol(student, cohort)
    question = practical_of(sit(exam, student))
    services.mark_record(
        attempt_question=question,
        grader=teacher,
        role=Mark.Role.TEACHER,
        rubric_marks={"r1": "3.25", "r2": "4"},
    )
    text = page(login(client, teacher), "mark_answer", question.pk).content.decode()
    assert "Title quality: 3.25; Bullet points: 4" in text
    assert "<code>r1</code>" not in text and ">r1<" not in text


@pytest.fixture
def answer_with_file(exam, student, cohort, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    enrol(student, cohort)
    attempt = services.attempt_start(student=student, exam=exam)
    question = attempt.questions.get(part="practical")
    upload = SimpleUploadedFile("listing.pdf", b"%PDF-1.4 LISTING", "application/pdf")
    name = uploads.store(upload, attempt_id=attempt.pk, position=question.position)
    services.answer_save(
        attempt=attempt, position=question.position, response={"text": "", "file": name}, seq=1
    )
    services.attempt_submit(attempt=attempt)
    return question


def test_graders_download_the_uploaded_file(client, answer_with_file, teacher, mentor):
    url = reverse("exams:answer_file", args=[answer_with_file.pk])
    for user in (teacher, mentor):
        login(client, user)
        assert url in page(client, "mark_answer", answer_with_file.pk).content.decode()
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 LISTING"
        assert 'filename="listing.pdf"' in response["Content-Disposition"]


def test_nobody_else_downloads_the_file(
    client, answer_with_file, outsider, other_mentor, student, other_student
):
    url = reverse("exams:answer_file", args=[answer_with_file.pk])
    for user in (outsider, other_mentor, other_student):
        assert login(client, user).get(url).status_code == 404


def test_a_file_outside_the_answers_folder_is_not_served(client, answer_with_file, teacher):
    answer_with_file.response = {"text": "", "file": "organizations/logos/secret.png"}
    answer_with_file.save(update_fields=["response"])
    url = reverse("exams:answer_file", args=[answer_with_file.pk])
    assert login(client, teacher).get(url).status_code == 404


# --- key correction -------------------------------------------------------------------------


def test_correct_key_shows_the_kinds_form_and_refuses_bad_keys(client, theory_exam, teacher):
    version = theory_exam.banks.get().questions.first().current_version
    url = reverse("exams:correct_key", args=[version.pk])
    login(client, teacher)
    text = client.get(url).content.decode()
    assert 'name="kind-options-1-correct"' in text and "Content (JSON)" not in text
    unchanged = key_form(version, version.key)
    two_marked = {**unchanged, "kind-options-0-correct": "on"}
    none_marked = {k: v for k, v in unchanged.items() if not k.endswith("-correct")}
    for data in (unchanged, two_marked, none_marked, {"confirm": "on"}):
        response = client.post(url, data)
        assert response.status_code == 400, data
    assert "Mark exactly one option as correct." in client.post(url, two_marked).content.decode()
    version.refresh_from_db()
    assert version.key == {"correct": "b"}
    assert not version.regrade_jobs.exists()


def test_correct_key_is_for_the_banks_authors_only(client, theory_exam, outsider, mentor):
    version = theory_exam.banks.get().questions.first().current_version
    url = reverse("exams:correct_key", args=[version.pk])
    for user in (outsider, mentor):
        login(client, user)
        assert client.get(url).status_code == 404
        assert client.post(url, key_form(version, {"correct": "a"})).status_code == 404
    version.refresh_from_db()
    assert version.key == {"correct": "b"}


# --- admin ----------------------------------------------------------------------------------


def staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def admin_url(model: str, action: str, *args) -> str:
    return reverse(f"admin:exams_{model}_{action}", args=args)


SEATTLE = {"options": [{"id": "a", "text": {"en": "Amazon"}}, {"id": "b", "text": {"en": "Ozon"}}]}


def question_form(bank, *, content=SEATTLE, key=None, **overrides) -> dict:
    """The admin's question form as a teacher fills it in, answers in the kind's form."""
    editor = kinds.get("single_choice").editor(content=content, key=key or {"correct": "a"})
    data = {
        **editor.as_post_data(),
        "bank": bank.pk,
        "kind": "single_choice",
        "competency": "listing",
        "difficulty": "1",
        "is_active": "on",
        "title": "Admin question",
        "text_en": "Which marketplace is in Seattle?",
        "text_zh": "哪个平台在西雅图？",
        "feedback_en": "",
        "feedback_zh": "",
        "points": "2",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
    }
    return {**data, **overrides}


def test_admin_creates_a_question_through_the_service(client, exam, teacher):
    bank = exam.banks.get()
    login(client, staff(teacher))
    response = client.post(admin_url("question", "add"), question_form(bank))
    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get(current_version__title="Admin question")
    assert question.created_by == teacher
    assert question.current_version.number == 1
    assert question.current_version.text == {
        "en": "Which marketplace is in Seattle?",
        "zh-hans": "哪个平台在西雅图？",
    }


def test_admin_refuses_an_invalid_question(client, exam, teacher):
    bank = exam.banks.get()
    login(client, staff(teacher))
    two_marked = {"kind-options-1-correct": "on"}
    no_text = {"kind-options-0-text_en": ""}
    for bad in (two_marked, no_text):
        response = client.post(admin_url("question", "add"), question_form(bank, **bad))
        assert response.status_code == 200  # the admin re-shows the form with its errors
        assert "errornote" in response.content.decode()
    assert "Give the text in English or Chinese." in response.content.decode()
    assert not Question.objects.filter(current_version__title="Admin question").exists()


def test_admin_edit_of_a_used_question_makes_a_new_version(
    client, school, government, student, teacher
):
    exam = build_exam(school=school, government=government, practicals=0, bank_extra=0)
    attempt = sit(exam, student)
    seen = attempt.questions.first()
    question = seen.version.question
    login(client, staff(teacher))
    url = admin_url("question", "change", question.pk)
    assert client.get(url).status_code == 200
    data = question_form(
        question.bank,
        title="Edited",
        content=question.current_version.content,
        key={"correct": "c"},
        text_en="Edited text",
        versions_TOTAL_FORMS="1",
    )
    data["versions-TOTAL_FORMS"] = data["versions-INITIAL_FORMS"] = "1"
    data["versions-0-id"] = str(question.current_version_id)
    data["versions-0-question"] = str(question.pk)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    question.refresh_from_db()
    assert question.current_version.number == 2
    assert question.current_version.key == {"correct": "c"}
    seen.refresh_from_db()
    assert seen.version.number == 1 and seen.version.key == {"correct": "b"}


def test_admin_edit_of_an_unused_question_edits_in_place(client, exam, teacher):
    question = exam.banks.get().questions.filter(kind="single_choice").first()
    login(client, staff(teacher))
    data = question_form(
        question.bank, content=question.current_version.content, key={"correct": "b"}
    )
    data["title"] = "Renamed"
    data["versions-TOTAL_FORMS"] = data["versions-INITIAL_FORMS"] = "1"
    data["versions-0-id"] = str(question.current_version_id)
    data["versions-0-question"] = str(question.pk)
    response = client.post(admin_url("question", "change", question.pk), data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.current_version.number == 1
    assert question.current_version.title == "Renamed"
    assert question.versions.count() == 1


def test_admin_scopes_banks_and_questions_to_the_users_school(client, exam, outsider):
    bank = exam.banks.get()
    question = bank.questions.first()
    login(client, staff(outsider))
    assert client.get(admin_url("question", "change", question.pk)).status_code == 302
    text = client.get(admin_url("questionbank", "changelist")).content.decode()
    assert admin_url("questionbank", "change", bank.pk) not in text
    response = client.post(admin_url("question", "add"), question_form(bank))
    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert QuestionBank.objects.get().questions.count() == bank.questions.count()


def test_admin_attempts_are_read_only(client, theory_exam, student, teacher):
    attempt = sit(theory_exam, student)
    login(client, staff(teacher))
    text = client.get(reverse("admin:exams_attempt_change", args=[attempt.pk])).content.decode()
    assert "Save" not in re.sub(r"<title>.*?</title>", "", text)
    assert client.post(reverse("admin:exams_attempt_delete", args=[attempt.pk])).status_code == 403


@pytest.fixture
def draft_standard(government):
    standard = SkillStandard.objects.create(
        code="logistics", name_en="CBEC Logistics", name_zh="跨境物流", owner=government
    )
    standard.levels.create(level=1, name_en="Junior", name_zh="初级")
    return standard


def test_a_regulator_publishes_a_standard_in_the_admin(client, draft_standard, regulator):
    login(client, staff(regulator))
    response = client.post(
        admin_url("skillstandard", "changelist"),
        {"action": "publish", "_selected_action": [draft_standard.pk]},
    )
    assert response.status_code == 302
    draft_standard.refresh_from_db()
    assert draft_standard.status == SkillStandard.Status.PUBLISHED
    assert draft_standard.published_by == regulator


def test_a_published_standard_is_read_only_and_changes_by_new_version(
    client, draft_standard, regulator
):
    services.standard_publish(standard=draft_standard, by=regulator)
    level = draft_standard.levels.get()
    level.competencies.create(code="customs", name_en="Customs", name_zh="报关", weight=100)
    login(client, staff(regulator))
    url = admin_url("skillstandard", "change", draft_standard.pk)
    text = client.get(url).content.decode()
    assert 'name="name_en"' not in text  # shown read-only
    response = client.post(url, {"name_en": "Changed"})
    assert response.status_code == 403
    response = client.post(
        admin_url("skillstandard", "changelist"),
        {"action": "new_version", "_selected_action": [draft_standard.pk]},
    )
    assert response.status_code == 302
    draft = SkillStandard.objects.get(code="logistics", version=2)
    assert draft.status == SkillStandard.Status.DRAFT and draft.previous == draft_standard
    assert list(draft.levels.values_list("level", "name_en")) == [(1, "Junior")]
    assert list(draft.levels.get().competencies.values_list("code", flat=True)) == ["customs"]
    draft_standard.refresh_from_db()
    assert draft_standard.name_en == "CBEC Logistics"
    assert (
        'name="name_en"'
        in client.get(admin_url("skillstandard", "change", draft.pk)).content.decode()
    )


def test_only_the_owners_regulators_publish_in_the_admin(client, draft_standard, teacher):
    other_bureau = factories.organization(kind="government", code="other-bureau")
    other_regulator = factories.person("regulator2", other_bureau, "regulator")
    login(client, staff(other_regulator))
    client.post(
        admin_url("skillstandard", "changelist"),
        {"action": "publish", "_selected_action": [draft_standard.pk]},
    )
    login(client, staff(teacher))
    assert client.get(admin_url("skillstandard", "changelist")).status_code == 403
    draft_standard.refresh_from_db()
    assert draft_standard.status == SkillStandard.Status.DRAFT


def test_admin_pages_open_for_teachers(client, exam, student, teacher):
    attempt = sit(exam, student)
    section = exam.sections.first()
    question = exam.banks.get().questions.first()
    login(client, staff(teacher))
    urls = [
        reverse("admin:index"),
        admin_url("exam", "changelist"),
        admin_url("exam", "add"),
        admin_url("exam", "change", exam.pk),
        admin_url("examsection", "change", section.pk),
        admin_url("questionbank", "changelist"),
        admin_url("questionbank", "change", exam.banks.get().pk),
        admin_url("question", "changelist"),
        admin_url("question", "add"),
        admin_url("question", "change", question.pk),
        admin_url("attempt", "changelist"),
        admin_url("attempt", "change", attempt.pk),
        admin_url("regradejob", "changelist"),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert client.get(admin_url("skillstandard", "changelist")).status_code == 403


def test_admin_pages_open_for_regulators(client, draft_standard, regulator, exam):
    level = draft_standard.levels.get()
    login(client, staff(regulator))
    for url in (
        admin_url("skillstandard", "changelist"),
        admin_url("skillstandard", "add"),
        admin_url("skillstandard", "change", draft_standard.pk),
        admin_url("skilllevel", "change", level.pk),
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(admin_url("exam", "changelist")).status_code == 403


def test_admin_keeps_another_bodys_standards_out_of_reach(client, draft_standard):
    other_bureau = factories.organization(kind="government", code="other-bureau")
    other_regulator = factories.person("regulator2", other_bureau, "regulator")
    login(client, staff(other_regulator))
    url = admin_url("skillstandard", "change", draft_standard.pk)
    assert client.get(url).status_code == 302  # "does not exist", back to the index
    text = client.get(admin_url("skillstandard", "changelist")).content.decode()
    assert "CBEC Logistics" not in text


@pytest.mark.parametrize("name", ["staff_home", "grading_queue"])
def test_pages_render_in_chinese(client, exam, teacher, name):
    login(client, teacher)
    response = page(client, name, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()


def test_object_pages_render_in_chinese(client, paper, student, teacher):
    attempt = sit(paper, student)
    login(client, teacher)
    version = attempt.questions.first().version
    for name, arg in (
        ("bank_detail", paper.banks.get().pk),
        ("exam_blueprint", paper.pk),
        ("exam_statistics", paper.pk),
        ("correct_key", version.pk),
    ):
        response = page(client, name, arg, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, name
        assert "一级考试" in response.content.decode() or name in ("bank_detail", "correct_key")
