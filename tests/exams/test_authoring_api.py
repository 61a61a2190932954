"""The authoring API: banks, questions with keys, imports, exports and exams, for authors only."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from exams import services
from exams.interop import FORMATS
from exams.models import BlueprintRule, Exam, ImportJob, Question, QuestionBank
from tests import factories
from tests.exams.conftest import essay, practical, single_choice

SAMPLES = Path(__file__).parent / "interop" / "samples"
API = "/api/v1"


@pytest.fixture
def bank(school):
    return QuestionBank.objects.create(organization=school, name="Platform operation")


@pytest.fixture
def other_bank(outsider):
    school = outsider.memberships.get().organization
    return QuestionBank.objects.create(organization=school, name="Elsewhere")


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def exam_body(**extra) -> dict:
    return {
        "title_en": "Level 1 exam",
        "title_zh": "一级考试",
        "organization": "school",
        "time_limit_minutes": 45,
        "attempts_allowed": 2,
        "review": "after_close",
        "is_published": False,
        "sections": [
            {
                "part": "theory",
                "rules": [
                    {"competency": "listing", "difficulty": 1, "kind": "objective", "count": 2},
                    {"competency": "listing", "difficulty": 2, "kind": "", "count": 1},
                ],
            },
            {
                "part": "practical",
                "rules": [
                    {"competency": "listing", "difficulty": 1, "kind": "practical", "count": 1}
                ],
            },
        ],
        **extra,
    }


# --- who gets in ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["student", "mentor", "regulator", "verifier"])
def test_people_who_do_not_author_are_refused_everywhere(persona, request, bank):
    client = api(request.getfixturevalue(persona))
    question = services.question_create(bank=bank, data=single_choice())

    for url in (
        "/banks/",
        f"/banks/{bank.pk}/",
        f"/banks/{bank.pk}/questions/",
        f"/questions/{question.pk}/",
        f"/banks/{bank.pk}/export/?fmt=gift",
        "/imports/",
        "/exams/",
    ):
        assert client.get(API + url).status_code == 403, url
    assert client.post(f"{API}/banks/", {"name": "x", "organization": "school"}).status_code == 403
    body = single_choice()
    response = client.post(f"{API}/banks/{bank.pk}/questions/", body, format="json")
    assert response.status_code == 403
    assert (
        client.patch(f"{API}/questions/{question.pk}/", {"title": "x"}, format="json").status_code
        == 403
    )
    assert client.post(f"{API}/exams/", exam_body(), format="json").status_code == 403
    assert Question.objects.count() == 1 and not Exam.objects.exists()


def test_anonymous_callers_are_refused(bank):
    assert api().get(f"{API}/banks/").status_code in (401, 403)


def test_a_teacher_elsewhere_sees_nothing_of_this_school(outsider, bank, other_bank):
    question = services.question_create(bank=bank, data=single_choice())
    client = api(outsider)

    banks = client.get(f"{API}/banks/").json()
    assert [b["name"] for b in banks["results"]] == ["Elsewhere"]
    assert client.get(f"{API}/banks/{bank.pk}/").status_code == 404
    assert client.get(f"{API}/banks/{bank.pk}/questions/").status_code == 404
    body = single_choice()
    assert client.post(f"{API}/banks/{bank.pk}/questions/", body, format="json").status_code == 404
    assert client.get(f"{API}/questions/{question.pk}/").status_code == 404
    patch = client.patch(f"{API}/questions/{question.pk}/", {"title": "x"}, format="json")
    assert patch.status_code == 404
    assert client.get(f"{API}/banks/{bank.pk}/export/?fmt=gift").status_code == 404
    upload = SimpleUploadedFile("good.gift", (SAMPLES / "good.gift").read_bytes())
    response = client.post(f"{API}/banks/{bank.pk}/import/", {"format": "gift", "file": upload})
    assert response.status_code == 404
    assert bank.questions.count() == 1 and not ImportJob.objects.exists()


# --- banks ----------------------------------------------------------------------------------


def test_a_teacher_lists_and_creates_banks_of_their_school(teacher, bank, government):
    client = api(teacher)

    created = client.post(
        f"{API}/banks/", {"name": "Logistics", "organization": "school"}, format="json"
    )
    listing = client.get(f"{API}/banks/", {"q": "logis"}).json()

    assert created.status_code == 201
    assert created.json()["organization"] == "school" and created.json()["question_count"] == 0
    assert listing["count"] == 1 and listing["results"][0]["name"] == "Logistics"


def test_a_teacher_cannot_create_a_bank_for_another_organisation(teacher, outsider):
    elsewhere = outsider.memberships.get().organization.code
    response = api(teacher).post(
        f"{API}/banks/", {"name": "Theirs", "organization": elsewhere}, format="json"
    )
    assert response.status_code == 403
    assert not QuestionBank.objects.filter(name="Theirs").exists()


# --- questions ------------------------------------------------------------------------------


def test_a_teacher_adds_a_question_in_the_neutral_format_and_reads_its_key(teacher, bank):
    client = api(teacher)

    created = client.post(f"{API}/banks/{bank.pk}/questions/", single_choice(), format="json")
    fetched = client.get(f"{API}/questions/{created.json()['id']}/")

    assert created.status_code == 201
    body = fetched.json()
    assert body["version"] == 1 and body["kind"] == "single_choice"
    assert body["key"] == {"correct": "b"}
    assert body["text"]["zh-hans"] == "哪个正确？(0)"
    assert Question.objects.get().created_by == teacher


def test_an_invalid_question_is_refused_with_every_problem(teacher, bank):
    body = single_choice() | {"points": "0", "difficulty": 7, "key": {"correct": "z"}}

    response = api(teacher).post(f"{API}/banks/{bank.pk}/questions/", body, format="json")

    assert response.status_code == 400
    problems = response.json()["errors"]
    assert len(problems) >= 3
    assert "Points must be a number greater than 0." in problems
    assert "Difficulty must be 1, 2 or 3." in problems
    assert not bank.questions.exists()


def test_a_body_that_is_not_an_object_is_refused(teacher, bank):
    response = api(teacher).post(f"{API}/banks/{bank.pk}/questions/", [1, 2], format="json")
    assert response.status_code == 400


def test_questions_are_paginated_and_filtered(teacher, bank):
    for n in range(3):
        services.question_create(bank=bank, data=single_choice(n=n, difficulty=1 + n % 2))
    services.question_create(bank=bank, data=essay())
    client = api(teacher)

    everything = client.get(f"{API}/banks/{bank.pk}/questions/").json()
    choices = client.get(f"{API}/banks/{bank.pk}/questions/", {"kind": "single_choice"}).json()
    hard = client.get(f"{API}/banks/{bank.pk}/questions/", {"difficulty": 2}).json()

    assert everything["count"] == 4 and "next" in everything
    assert choices["count"] == 3
    assert hard["count"] == 1


def test_patching_an_unused_question_edits_its_version(teacher, bank):
    question = services.question_create(bank=bank, data=single_choice())

    response = api(teacher).patch(
        f"{API}/questions/{question.pk}/", {"title": "Renamed", "difficulty": 2}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["version"], body["title"], body["difficulty"]) == (1, "Renamed", 2)
    assert body["key"] == {"correct": "b"}  # what the patch left out is kept


def test_patching_a_used_question_makes_a_new_version(teacher, student, theory_exam):
    services.attempt_start(student=student, exam=theory_exam)
    used = Question.objects.filter(current_version__attempt_questions__isnull=False).first()

    response = api(teacher).patch(
        f"{API}/questions/{used.pk}/", {"key": {"correct": "c"}}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.json()["key"] == {"correct": "c"}
    assert used.versions.get(number=1).key == {"correct": "b"}  # what the attempt saw


def test_a_patch_cannot_change_the_kind_or_break_the_question(teacher, bank):
    question = services.question_create(bank=bank, data=single_choice())
    client = api(teacher)

    kind = client.patch(f"{API}/questions/{question.pk}/", {"kind": "essay"}, format="json")
    broken = client.patch(f"{API}/questions/{question.pk}/", {"key": {}}, format="json")

    assert kind.status_code == broken.status_code == 400
    assert broken.json()["errors"]
    question.current_version.refresh_from_db()
    assert question.current_version.key == {"correct": "b"}


def test_a_question_gets_its_id_number_through_the_api_and_a_taken_one_is_refused(teacher, bank):
    client = api(teacher)
    url = f"{API}/banks/{bank.pk}/questions/"

    created = client.post(url, single_choice() | {"idnumber": " SEO-01 "}, format="json")
    clash = client.post(url, single_choice(n=1) | {"idnumber": "SEO-01"}, format="json")
    too_long = client.post(url, single_choice(n=2) | {"idnumber": "x" * 101}, format="json")

    assert created.status_code == 201 and created.json()["idnumber"] == "SEO-01"
    assert clash.status_code == too_long.status_code == 400
    assert "SEO-01" in clash.json()["detail"]
    assert too_long.json()["errors"] == ["The ID number has at most 100 characters."]
    not_text = client.post(url, single_choice(n=3) | {"idnumber": 7}, format="json")
    assert not_text.status_code == 400
    assert not_text.json()["errors"] == ["The ID number must be text."]
    assert bank.questions.count() == 1  # nothing half-written


def test_patching_only_the_id_number_makes_no_new_version(teacher, student, theory_exam):
    services.attempt_start(student=student, exam=theory_exam)
    used = Question.objects.filter(current_version__attempt_questions__isnull=False).first()
    client = api(teacher)

    renamed = client.patch(f"{API}/questions/{used.pk}/", {"idnumber": "L1-07"}, format="json")
    cleared = client.patch(f"{API}/questions/{used.pk}/", {"idnumber": None}, format="json")

    assert renamed.status_code == cleared.status_code == 200
    assert renamed.json()["idnumber"] == "L1-07" and renamed.json()["version"] == 1
    assert cleared.json()["idnumber"] == ""
    wrong = client.patch(f"{API}/questions/{used.pk}/", {"idnumber": ["x"]}, format="json")
    assert wrong.status_code == 400 and wrong.json()["errors"] == ["The ID number must be text."]


def test_a_patch_with_a_taken_id_number_changes_nothing(teacher, bank):
    first = services.question_create(bank=bank, data=single_choice() | {"idnumber": "A"})
    second = services.question_create(bank=bank, data=single_choice(n=1))

    response = api(teacher).patch(
        f"{API}/questions/{second.pk}/", {"title": "Renamed", "idnumber": "A"}, format="json"
    )

    assert response.status_code == 400
    assert f"#{first.pk}" in response.json()["detail"]
    stored = Question.objects.select_related("current_version").get(pk=second.pk)
    assert stored.idnumber == ""
    assert stored.current_version.title != "Renamed"  # the version's edit rolled back too


# --- imports and exports --------------------------------------------------------------------


def test_an_upload_is_accepted_and_its_job_reports_progress(
    teacher, bank, django_capture_on_commit_callbacks
):
    client = api(teacher)
    upload = SimpleUploadedFile("good.gift", (SAMPLES / "good.gift").read_bytes())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}/banks/{bank.pk}/import/", {"format": "gift", "file": upload})

    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    job = client.get(response["Location"]).json()
    assert job["status"] == "done"
    assert job["done"] == job["total"] == bank.questions.count() > 0
    assert job["report"] == {"errors": [], "warnings": job["report"]["warnings"]}
    assert job["page_url"].endswith(f"/exams/staff/imports/{job['id']}/")


def test_a_bad_upload_reports_where_and_imports_nothing(
    teacher, bank, django_capture_on_commit_callbacks
):
    client = api(teacher)
    upload = SimpleUploadedFile("bad.aiken.txt", (SAMPLES / "bad.aiken.txt").read_bytes())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{API}/banks/{bank.pk}/import/", {"format": "aiken", "file": upload}
        )

    job = client.get(response.json()["url"]).json()
    assert job["status"] == "failed"
    assert all(e["location"].startswith("line ") for e in job["report"]["errors"])
    assert not bank.questions.exists()


def test_an_upload_over_the_limit_or_of_no_known_format_is_refused(teacher, bank, settings):
    settings.EXAMS_IMPORT_MAX_BYTES = 5
    client = api(teacher)

    big = client.post(
        f"{API}/banks/{bank.pk}/import/",
        {"format": "gift", "file": SimpleUploadedFile("a.gift", b"123456")},
    )
    unknown = client.post(
        f"{API}/banks/{bank.pk}/import/",
        {"format": "csv", "file": SimpleUploadedFile("a.csv", b"1")},
    )

    assert big.status_code == unknown.status_code == 400
    assert "at most" in big.json()["detail"]
    assert not ImportJob.objects.exists()


def test_import_jobs_of_other_schools_are_hidden(
    teacher, outsider, bank, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("good.gift", (SAMPLES / "good.gift").read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        job_id = (
            api(teacher)
            .post(f"{API}/banks/{bank.pk}/import/", {"format": "gift", "file": upload})
            .json()["id"]
        )

    assert api(outsider).get(f"{API}/imports/{job_id}/").status_code == 404
    assert api(outsider).get(f"{API}/imports/").json()["count"] == 0
    assert api(teacher).get(f"{API}/imports/", {"status": "done"}).json()["count"] == 1


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_export_then_import_through_the_api_gives_the_same_questions(
    fmt, teacher, bank, school, django_capture_on_commit_callbacks
):
    client = api(teacher)
    kinds = {"single_choice"} if fmt == "aiken" else {"single_choice", "essay"}
    for data in (single_choice(n=1), single_choice(n=2, correct="c"), essay()):
        if data["kind"] in kinds:
            assert (
                client.post(f"{API}/banks/{bank.pk}/questions/", data, format="json").status_code
                == 201
            )
    copy = QuestionBank.objects.create(organization=school, name="Copy")

    exported = client.get(f"{API}/banks/{bank.pk}/export/", {"fmt": fmt, "lang": "en"})
    assert exported.status_code == 200
    assert exported["Content-Type"] == FORMATS[fmt].media_type
    assert exported["X-Export-Warnings"].isdigit()
    upload = SimpleUploadedFile(f"bank{FORMATS[fmt].extensions[0]}", exported.content)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{API}/banks/{copy.pk}/import/", {"format": fmt, "file": upload, "language": "en"}
        )
    assert client.get(response["Location"]).json()["status"] == "done"

    def summary(b):
        return sorted(
            (q.kind, q.current_version.text["en"], str(q.current_version.key.get("correct")))
            for q in b.questions.select_related("current_version")
        )

    assert summary(copy) == summary(bank)


def test_export_of_an_unknown_format_is_refused(teacher, bank):
    response = api(teacher).get(f"{API}/banks/{bank.pk}/export/", {"fmt": "pdf"})
    assert response.status_code == 400


# --- exams ----------------------------------------------------------------------------------


def test_a_teacher_creates_an_exam_with_its_blueprint(teacher, bank, course):
    body = exam_body(banks=[bank.pk], course=course.code)

    response = api(teacher).post(f"{API}/exams/", body, format="json")

    assert response.status_code == 201, response.json()
    exam = Exam.objects.get()
    assert exam.created_by == teacher and list(exam.banks.all()) == [bank]
    assert [(s.part, s.position) for s in exam.sections.all()] == [
        ("theory", 1),
        ("practical", 2),
    ]
    assert BlueprintRule.objects.filter(section__exam=exam).count() == 3
    assert response.json()["sections"][0]["rules"][0]["kind"] == "objective"


def test_a_patch_with_sections_replaces_the_blueprint_and_other_fields_stay(teacher, bank):
    for n in range(10):  # five questions for each of the two attempts allowed
        services.question_create(bank=bank, data=single_choice(n=n))
    client = api(teacher)
    exam_id = client.post(f"{API}/exams/", exam_body(banks=[bank.pk]), format="json").json()["id"]
    sections = [{"part": "theory", "rules": [{"difficulty": 1, "count": 5}]}]

    response = client.patch(
        f"{API}/exams/{exam_id}/", {"sections": sections, "is_published": True}, format="json"
    )

    assert response.status_code == 200
    exam = Exam.objects.get(pk=exam_id)
    assert exam.is_published and exam.time_limit_minutes == 45
    rules = list(BlueprintRule.objects.filter(section__exam=exam))
    assert [(r.competency, r.kind, r.count) for r in rules] == [("", "", 5)]


def test_publishing_is_refused_while_the_banks_cannot_fill_every_attempt(teacher, bank):
    for n in range(9):  # one short of five unseen questions for each of two attempts
        services.question_create(bank=bank, data=single_choice(n=n))
    client = api(teacher)
    exam_id = client.post(f"{API}/exams/", exam_body(banks=[bank.pk]), format="json").json()["id"]
    sections = [{"part": "theory", "rules": [{"difficulty": 1, "count": 5}]}]

    response = client.patch(
        f"{API}/exams/{exam_id}/", {"sections": sections, "is_published": True}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["is_published"] == [
        "A Theory row (any competency, difficulty 1) needs 10 questions for 2 attempts; "
        "the banks have 9."
    ]
    assert not Exam.objects.get(pk=exam_id).is_published


def test_a_bad_blueprint_changes_nothing(teacher, bank):
    client = api(teacher)
    exam_id = client.post(f"{API}/exams/", exam_body(banks=[bank.pk]), format="json").json()["id"]
    bad = [
        {"part": "theory", "rules": [{"difficulty": 1, "count": 2}]},
        {"part": "theory", "rules": [{"difficulty": 9, "count": 1, "kind": "poem"}]},
    ]

    response = api(teacher).patch(
        f"{API}/exams/{exam_id}/", {"sections": bad, "title_en": "Changed"}, format="json"
    )

    assert response.status_code == 400
    exam = Exam.objects.get(pk=exam_id)
    assert exam.title_en == "Level 1 exam"
    assert BlueprintRule.objects.filter(section__exam=exam).count() == 3


def test_an_exam_window_must_close_after_it_opens(teacher):
    body = exam_body(opens_at="2030-01-02T09:00:00Z", closes_at="2030-01-01T09:00:00Z")
    response = api(teacher).post(f"{API}/exams/", body, format="json")
    assert response.status_code == 400 and "closes_at" in response.json()


def test_a_teacher_cannot_use_another_schools_bank_or_organisation(teacher, other_bank, outsider):
    client = api(teacher)
    elsewhere = outsider.memberships.get().organization.code

    foreign_bank = client.post(f"{API}/exams/", exam_body(banks=[other_bank.pk]), format="json")
    foreign_org = client.post(f"{API}/exams/", exam_body(organization=elsewhere), format="json")

    assert foreign_bank.status_code == foreign_org.status_code == 400
    assert "banks" in foreign_bank.json() and "organization" in foreign_org.json()
    assert not Exam.objects.exists()


def test_a_course_of_another_school_cannot_gate_the_exam(teacher, outsider):
    other = factories.course(outsider.memberships.get().organization, code="their-course")
    response = api(teacher).post(f"{API}/exams/", exam_body(course=other.code), format="json")
    assert response.status_code == 400 and "course" in response.json()


def test_a_teacher_elsewhere_cannot_read_or_change_the_exam(outsider, exam):
    client = api(outsider)

    assert client.get(f"{API}/exams/").json()["count"] == 0
    assert client.get(f"{API}/exams/{exam.pk}/").status_code == 404
    assert client.get(f"{API}/exams/{exam.pk}/depth/").status_code == 404
    patch = client.patch(f"{API}/exams/{exam.pk}/", {"title_en": "Mine"}, format="json")
    assert patch.status_code == 404
    exam.refresh_from_db()
    assert exam.title_en == "Level 1 exam"


def test_exams_are_listed_and_filtered(teacher, exam):
    client = api(teacher)
    assert client.get(f"{API}/exams/", {"is_published": "true"}).json()["count"] == 1
    assert client.get(f"{API}/exams/", {"is_published": "false"}).json()["count"] == 0


def test_depth_says_how_many_questions_each_rule_can_draw(teacher, exam):
    bank = exam.banks.get()
    services.question_create(bank=bank, data=practical())

    rows = api(teacher).get(f"{API}/exams/{exam.pk}/depth/").json()

    assert rows == [
        {
            "part": "theory",
            "competency": "listing",
            "difficulty": 1,
            "wanted": 4,
            "available": 6,
            "enough": True,
            "spare": 2,
        },
        {
            "part": "practical",
            "competency": "listing",
            "difficulty": 1,
            "wanted": 1,
            "available": 3,
            "enough": True,
            "spare": 2,
        },
    ]


# --- query counts ---------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lists_cost_the_same_few_queries_however_long(teacher, bank, school):
    client = api(teacher)
    services.question_create(bank=bank, data=single_choice(n=0))
    client.post(f"{API}/exams/", exam_body(banks=[bank.pk]), format="json")
    urls = [f"{API}/banks/", f"{API}/banks/{bank.pk}/questions/", f"{API}/exams/"]
    few = [count_queries(client, url) for url in urls]

    for n in range(1, 6):
        services.question_create(bank=bank, data=single_choice(n=n))
        QuestionBank.objects.create(organization=school, name=f"Bank {n}")
        client.post(f"{API}/exams/", exam_body(banks=[bank.pk]), format="json")

    assert [count_queries(client, url) for url in urls] == few


def test_a_code_with_a_nul_character_is_refused_as_unknown(teacher, theory_exam):
    # PostgreSQL cannot compare text holding NUL: the lookup must not reach the database.
    client = api(teacher)
    exam = client.patch(
        f"{API}/exams/{theory_exam.pk}/", {"course": "\x00", "organization": "a\x00"}, format="json"
    )
    assert exam.status_code == 400
    assert set(exam.json()) >= {"course", "organization"}
