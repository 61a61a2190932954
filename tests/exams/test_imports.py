"""Question imports and exports: the service, the task and the teacher pages, end to end."""

import io
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from exams import imports, services
from exams.interop import FORMATS
from exams.interop.xlsx import COLUMNS
from exams.models import ImportJob, Question, QuestionBank
from exams.services import ExamError
from lms.demo.exam_content import STANDARDS
from tests.exams.conftest import essay, single_choice

SAMPLES = Path(__file__).parent / "interop" / "samples"
GOOD = {
    "gift": "good.gift",
    "aiken": "good.aiken.txt",
    "moodle_xml": "good.moodle.xml",
    "qti21": "good.qti.xml",
    "xlsx": "good.xlsx",
}
BAD = {
    "gift": ("bad.gift", "line "),
    "aiken": ("bad.aiken.txt", "line "),
    "moodle_xml": ("bad.moodle.xml", "question "),
    "xlsx": ("bad.xlsx", "row "),
}


@pytest.fixture
def bank(school):
    return QuestionBank.objects.create(organization=school, name="Logistics 物流")


def upload(data: bytes, name: str = "questions.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def sample(name: str) -> SimpleUploadedFile:
    return upload((SAMPLES / name).read_bytes(), name)


def run_import(capture, *, bank, fmt, file, by, language="en") -> ImportJob:
    """Start an import and run the queued task (eager) as the commit would."""
    with capture(execute=True):
        job = imports.import_start(bank=bank, fmt=fmt, upload=file, by=by, language=language)
    job.refresh_from_db()
    return job


def sheet(rows: list[dict]) -> bytes:
    """A workbook in the template's columns, one dict of cells per question."""
    workbook = Workbook(write_only=True)
    questions = workbook.create_sheet("Questions")
    questions.append(COLUMNS)
    for row in rows:
        questions.append([row.get(column) for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def choice_row(n: int) -> dict:
    return {
        "kind": "single_choice",
        "competency": "logistics",
        "difficulty": 1 + n % 3,
        "points": 1,
        "title": f"Q{n}",
        "text_en": f"Which carrier is fastest for parcel {n}?",
        "option_a_en": "DHL",
        "option_b_en": "Sea freight",
        "option_c_en": "Rail",
        "correct": "A",
    }


def login(client, user):
    client.force_login(user)
    return client


# --- the service ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(GOOD))
def test_it_imports_every_question_of_a_good_file(
    fmt, bank, teacher, django_capture_on_commit_callbacks
):
    expected = FORMATS[fmt].parse((SAMPLES / GOOD[fmt]).read_bytes()).questions

    job = run_import(
        django_capture_on_commit_callbacks, bank=bank, fmt=fmt, file=sample(GOOD[fmt]), by=teacher
    )

    assert job.status == ImportJob.Status.DONE, job.report
    assert job.done == job.total == len(expected) > 0
    assert job.errors == []
    assert job.finished_at is not None
    created = bank.questions.select_related("current_version").order_by("pk")
    assert [q.current_version.as_data()["kind"] for q in created] == [q["kind"] for q in expected]
    assert all(q.created_by == teacher for q in created)


@pytest.mark.parametrize("fmt", list(BAD))
def test_a_bad_file_imports_nothing_and_says_where(
    fmt, bank, teacher, django_capture_on_commit_callbacks
):
    name, where = BAD[fmt]

    job = run_import(
        django_capture_on_commit_callbacks, bank=bank, fmt=fmt, file=sample(name), by=teacher
    )

    assert job.status == ImportJob.Status.FAILED
    assert bank.questions.count() == 0
    assert job.done == 0
    assert job.errors and all(e["location"] and e["message"] for e in job.errors)
    assert any(e["location"].startswith(where) for e in job.errors)


def test_one_bad_question_among_good_ones_imports_nothing(
    bank, teacher, django_capture_on_commit_callbacks
):
    gift = (
        b"Which is a marketplace?{=Amazon ~DHL}\n"
        b"\n"
        b"Who pays freight under FOB?{=The buyer ~The seller}\n"
        b"\n"
        b"What is pi? {#three}\n"  # line 5: not a number
        b"\n"
        b"A parcel can be shipped DDP.{T}\n"
    )

    job = run_import(
        django_capture_on_commit_callbacks,
        bank=bank,
        fmt="gift",
        file=upload(gift, "quiz.gift"),
        by=teacher,
    )

    assert job.status == ImportJob.Status.FAILED
    assert bank.questions.count() == 0
    assert [e["location"] for e in job.errors] == ["line 5"]


def test_one_bad_row_in_a_sheet_names_its_row(bank, teacher, django_capture_on_commit_callbacks):
    rows = [choice_row(n) for n in range(5)]
    rows[2]["correct"] = "F"  # row 4 of the sheet: no option F

    job = run_import(
        django_capture_on_commit_callbacks,
        bank=bank,
        fmt="xlsx",
        file=upload(sheet(rows), "bank.xlsx"),
        by=teacher,
    )

    assert job.status == ImportJob.Status.FAILED
    assert bank.questions.count() == 0
    assert {e["location"] for e in job.errors} == {"row 4"}


def test_a_question_that_parses_but_is_invalid_imports_nothing(
    bank, teacher, django_capture_on_commit_callbacks
):
    rows = [choice_row(1), {"kind": "essay", "text_en": "Explain", "min_words": 500}]
    rows[1]["max_words"] = 100  # the parser reads it; validate_question refuses it

    job = run_import(
        django_capture_on_commit_callbacks,
        bank=bank,
        fmt="xlsx",
        file=upload(sheet(rows), "bank.xlsx"),
        by=teacher,
    )

    assert job.status == ImportJob.Status.FAILED
    assert bank.questions.count() == 0
    assert job.errors == [
        {"location": "question 2", "message": "'min_words' is above 'max_words'."}
    ]


def test_a_file_without_questions_is_refused(bank, teacher, django_capture_on_commit_callbacks):
    job = run_import(
        django_capture_on_commit_callbacks,
        bank=bank,
        fmt="gift",
        file=upload(b"// only a comment\n", "empty.gift"),
        by=teacher,
    )

    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [{"location": "file", "message": "The file holds no questions."}]


def test_it_reads_unmarked_text_in_the_language_chosen(
    bank, teacher, django_capture_on_commit_callbacks
):
    aiken = "哪个城市的跨境包裹最多？\nA. 宁波\nB. 深圳\nANSWER: B\n".encode()

    job = run_import(
        django_capture_on_commit_callbacks,
        bank=bank,
        fmt="aiken",
        file=upload(aiken),
        by=teacher,
        language="zh-hans",
    )

    assert job.status == ImportJob.Status.DONE
    version = bank.questions.get().current_version
    assert version.text == {"zh-hans": "哪个城市的跨境包裹最多？"}


def test_rerunning_a_finished_import_changes_nothing(
    bank, teacher, django_capture_on_commit_callbacks
):
    job = run_import(
        django_capture_on_commit_callbacks,
        bank=bank,
        fmt="gift",
        file=sample("good.gift"),
        by=teacher,
    )
    count = bank.questions.count()

    again = imports.import_run(job_id=job.pk)

    assert again.status == ImportJob.Status.DONE
    assert bank.questions.count() == count
    assert again.finished_at == job.finished_at


def test_a_job_left_running_by_a_lost_worker_runs_again_whole(bank, teacher):
    # No commit callbacks run here: the task was queued but its worker died mid-transaction.
    job = imports.import_start(bank=bank, fmt="gift", upload=sample("good.gift"), by=teacher)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)

    job = imports.import_run(job_id=job.pk)

    assert job.status == ImportJob.Status.DONE
    assert bank.questions.count() == job.total > 0


def test_progress_moves_while_the_questions_are_created(
    bank, teacher, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.EXAMS_IMPORT_PROGRESS_EVERY = 2
    seen = []
    create = services.question_create

    def watching(**kwargs):
        job = ImportJob.objects.get(bank=bank)
        seen.append(imports.import_progress(job))
        return create(**kwargs)

    monkeypatch.setattr(services, "question_create", watching)
    rows = [choice_row(n) for n in range(6)]

    job = run_import(
        django_capture_on_commit_callbacks,
        bank=bank,
        fmt="xlsx",
        file=upload(sheet(rows), "bank.xlsx"),
        by=teacher,
    )

    assert [p["done"] for p in seen] == [0, 0, 2, 2, 4, 4]
    assert all(p["status"] == "running" and p["total"] == 6 for p in seen)
    assert imports.import_progress(job) == {"status": "done", "done": 6, "total": 6}
    assert cache.get(imports.progress_key(job.pk)) is None


def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(bank, teacher, settings):
    settings.EXAMS_IMPORT_MAX_BYTES = 10

    with pytest.raises(ExamError) as refused:
        imports.import_start(
            bank=bank, fmt="gift", upload=upload(b"x" * 11, "big.gift"), by=teacher
        )

    assert "at most" in refused.value.messages[0]
    assert not ImportJob.objects.exists()


def test_an_unknown_format_is_refused(bank, teacher):
    with pytest.raises(ExamError):
        imports.import_start(bank=bank, fmt="csv", upload=upload(b"a,b"), by=teacher)


def test_five_thousand_rows_import_through_the_task(
    bank, teacher, django_capture_on_commit_callbacks
):
    data = sheet([choice_row(n) for n in range(5000)])

    started = time.perf_counter()
    job = run_import(
        django_capture_on_commit_callbacks,
        bank=bank,
        fmt="xlsx",
        file=upload(data, "big.xlsx"),
        by=teacher,
    )
    seconds = time.perf_counter() - started

    assert job.status == ImportJob.Status.DONE, job.errors[:3]
    assert job.done == job.total == 5000
    assert Question.objects.filter(bank=bank).count() == 5000
    print(f"\n5,000-row Excel import: {seconds:.1f} s")  # noqa: T201  (reported, not asserted)


# --- export ---------------------------------------------------------------------------------


def test_export_skips_what_a_format_cannot_hold_and_says_so(bank):
    services.question_create(bank=bank, data=single_choice(n=1))
    services.question_create(bank=bank, data=essay())

    result = imports.bank_export(bank=bank, fmt="aiken")

    assert b"ANSWER: B" in result.data
    assert len(result.warnings) >= 1


def test_export_leaves_out_inactive_questions(bank):
    services.question_create(bank=bank, data=single_choice(n=1))
    retired = services.question_create(bank=bank, data=single_choice(n=2))
    Question.objects.filter(pk=retired.pk).update(is_active=False)

    assert len(imports.bank_questions(bank)) == 1


# --- the pages ------------------------------------------------------------------------------


def import_url(bank):
    return reverse("exams:bank_import", args=[bank.pk])


def test_a_teacher_imports_a_file_through_the_page(
    client, bank, teacher, django_capture_on_commit_callbacks
):
    login(client, teacher)
    assert client.get(import_url(bank)).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            import_url(bank), {"format": "gift", "language": "en", "file": sample("good.gift")}
        )

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exams:import_job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert f"{job.total} questions were added to the bank." in page
    progress = client.get(response["Location"], {"format": "json"}).json()
    assert progress == {"status": "done", "done": job.total, "total": job.total}
    assert progress["total"] == bank.questions.count() > 0


def test_the_job_page_lists_every_problem_with_its_place(
    client, bank, teacher, django_capture_on_commit_callbacks
):
    login(client, teacher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            import_url(bank), {"format": "gift", "language": "en", "file": sample("bad.gift")}
        )

    page = client.get(response["Location"]).content.decode()
    job = ImportJob.objects.get()
    assert "Nothing was imported" in page
    for error in job.errors:
        assert f"<td>{error['location']}</td>" in page
    assert client.get(response["Location"], {"format": "json"}).json()["status"] == "failed"


def test_the_page_explains_the_size_limit(client, bank, teacher, settings):
    settings.EXAMS_IMPORT_MAX_BYTES = 1024 * 1024
    login(client, teacher)
    big = upload(b"x" * (1024 * 1024 + 1), "big.gift")

    response = client.post(import_url(bank), {"format": "gift", "language": "en", "file": big})

    assert response.status_code == 400
    assert "files of at most 1 MB can be imported" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_import_page_is_in_chinese_for_chinese_readers(client, bank, teacher):
    login(client, teacher)
    response = client.get(import_url(bank), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()
    assert "导入试题" in response.content.decode()  # "Import questions"


@pytest.mark.parametrize("persona", ["outsider", "student", "mentor"])
def test_only_the_banks_authors_reach_its_import_pages(
    persona, request, client, bank, teacher, django_capture_on_commit_callbacks
):
    job = run_import(
        django_capture_on_commit_callbacks,
        bank=bank,
        fmt="gift",
        file=sample("good.gift"),
        by=teacher,
    )
    login(client, request.getfixturevalue(persona))
    export = reverse("exams:bank_export", args=[bank.pk])
    warnings = reverse("exams:bank_export_warnings", args=[bank.pk])
    job_page = reverse("exams:import_job", args=[job.pk])

    assert client.get(import_url(bank)).status_code == 404
    assert (
        client.post(import_url(bank), {"format": "gift", "file": sample("good.gift")}).status_code
        == 404
    )
    assert client.get(job_page).status_code == 404
    assert client.get(job_page, {"format": "json"}).status_code == 404
    assert client.get(export, {"fmt": "gift"}).status_code == 404
    assert client.get(warnings, {"fmt": "gift"}).status_code == 404
    assert ImportJob.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, bank):
    response = client.get(import_url(bank))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_teacher_downloads_the_bank_in_every_format(client, bank, teacher, fmt):
    services.question_create(bank=bank, data=single_choice(n=1))
    services.question_create(bank=bank, data=essay())
    login(client, teacher)

    response = client.get(reverse("exams:bank_export", args=[bank.pk]), {"fmt": fmt})

    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[fmt].media_type
    assert "attachment" in response["Content-Disposition"]
    assert FORMATS[fmt].extensions[0] in response["Content-Disposition"]
    assert int(response["X-Export-Warnings"]) >= 0
    again = FORMATS[fmt].parse(response.content)
    assert again.ok and len(again.questions) == (1 if fmt == "aiken" else 2)  # Aiken: no essays


def test_the_export_page_lists_formats_and_what_each_loses(client, bank, teacher):
    services.question_create(bank=bank, data=essay())
    login(client, teacher)

    listing = client.get(reverse("exams:bank_export", args=[bank.pk]))
    lost = client.get(reverse("exams:bank_export_warnings", args=[bank.pk]), {"fmt": "aiken"})

    assert listing.status_code == 200
    for fmt in FORMATS.values():
        assert f"?fmt={fmt.name}" in listing.content.decode()
    assert lost.status_code == 200
    assert "question 1" in lost.content.decode()
    assert (
        client.get(reverse("exams:bank_export", args=[bank.pk]), {"fmt": "pdf"}).status_code == 400
    )


def test_teachers_download_the_excel_template(client, teacher):
    login(client, teacher)

    response = client.get(reverse("exams:import_template"))

    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS["xlsx"].media_type
    assert 'filename="question-template.xlsx"' in response["Content-Disposition"]
    header = next(
        load_workbook(io.BytesIO(response.content))["Questions"].iter_rows(values_only=True)
    )
    assert list(header)[: len(COLUMNS)] == COLUMNS


def test_students_cannot_download_the_template(client, student):
    login(client, student)
    assert client.get(reverse("exams:import_template")).status_code == 403


# --- round trips of the demo banks, and what the API says was lost --------------------------


def demo_bank(school, number: int = 0) -> QuestionBank:
    """A bank holding the questions of demo standard `number`, created as seed_demo does."""
    spec = STANDARDS[number]
    bank = QuestionBank.objects.create(organization=school, name=f"{spec['name_en']} bank")
    for data in spec["questions"]:
        services.question_create(bank=bank, data=data)
    return bank


@pytest.mark.parametrize("number", [0, 1])
def test_a_demo_bank_comes_back_whole_through_excel(
    number, school, teacher, django_capture_on_commit_callbacks
):
    source = demo_bank(school, number)
    copy = QuestionBank.objects.create(organization=school, name="Copy")

    result = imports.bank_export(bank=source, fmt="xlsx")
    job = run_import(
        django_capture_on_commit_callbacks,
        bank=copy,
        fmt="xlsx",
        file=upload(result.data, "bank.xlsx"),
        by=teacher,
    )

    # Kinds without columns (cloze, kinds newer than the template) are skipped with a warning.
    kept = [q for q in imports.bank_questions(source) if FORMATS["xlsx"].cannot_express(q) is None]
    assert [w.message.startswith("skipped: ") for w in result.warnings] == [True] * (
        len(imports.bank_questions(source)) - len(kept)
    )
    assert job.status == ImportJob.Status.DONE and job.warnings == []
    assert imports.bank_questions(copy) == kept
    # The practical task whose instructions hold a Markdown table (cells split by " | ").
    tables = [q for q in imports.bank_questions(copy) if " | " in str(q["content"])]
    assert tables or number == 1


def api(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_the_api_export_points_to_its_warnings_as_messages(teacher, school):
    bank = demo_bank(school)
    client = api(teacher)

    exported = client.get(f"/api/v1/banks/{bank.pk}/export/", {"fmt": "gift", "lang": "en"})
    report = client.get(exported["X-Export-Report"]).json()

    assert exported.status_code == 200
    assert report["format"] == "gift"
    assert len(report["warnings"]) == int(exported["X-Export-Warnings"]) > 0
    assert {"location": "question 15", "message": "skipped: GIFT has no ordering questions"} in (
        report["warnings"]
    )
    assert all(set(w) == {"location", "message"} for w in report["warnings"])


def test_the_export_report_speaks_the_language_asked_for(teacher, school):
    bank = demo_bank(school)

    report = api(teacher).get(
        f"/api/v1/banks/{bank.pk}/export-report/",
        {"fmt": "aiken", "lang": "zh-hans"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert report.status_code == 200
    assert any("跳过" in w["message"] for w in report.json()["warnings"])


def test_the_export_report_of_an_unknown_format_is_refused(teacher, bank):
    response = api(teacher).get(f"/api/v1/banks/{bank.pk}/export-report/", {"fmt": "pdf"})

    assert response.status_code == 400
    assert response.json()["errors"] == ["Unknown format 'pdf'."]


@pytest.mark.parametrize("persona, status", [("outsider", 404), ("student", 403)])
def test_only_the_banks_authors_read_its_export_report(persona, status, request, bank):
    services.question_create(bank=bank, data=essay())
    client = api(request.getfixturevalue(persona))

    response = client.get(f"/api/v1/banks/{bank.pk}/export-report/", {"fmt": "aiken"})

    assert response.status_code == status


def test_the_api_import_report_lists_each_warning_with_its_message(
    teacher, bank, django_capture_on_commit_callbacks
):
    gift = b"How is the parcel marked?{=DDP#Right ~DAP}\n"
    client = api(teacher)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/banks/{bank.pk}/import/",
            {"format": "gift", "file": upload(gift, "quiz.gift"), "language": "en"},
        )
    job = client.get(response["Location"]).json()

    assert job["status"] == "done"
    assert job["report"]["warnings"] == [
        {"location": "line 1", "message": "not kept: per-answer feedback"}
    ]
