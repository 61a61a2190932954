"""Question ID numbers through GIFT and Moodle XML: GIFT's "// [id:…]" comment token and Moodle
XML's <idnumber>, read and written as Moodle's own formats do (question/format/gift/format.php,
extract_idnumber_and_tags_from_comment and write_idnumber_and_tags; question/format/xml), and an
ID number the bank already has dropped on import with a warning, the question imported, as
Moodle's importer does (question/format.php, importprocess)."""

import pytest
from defusedxml.ElementTree import fromstring

from exams import imports, services
from exams.interop import gift, moodle_xml
from exams.models import ImportJob, QuestionBank
from tests.exams.conftest import essay, single_choice
from tests.exams.test_imports import SAMPLES, run_import, upload

GIFT_SAMPLE = SAMPLES / "idnumbers.gift"
XML_SAMPLE = SAMPLES / "idnumbers.moodle.xml"
TOO_LONG = "L" * 101


@pytest.fixture
def bank(school):
    return QuestionBank.objects.create(organization=school, name="Incoterms bank")


def idnumbers_of(bank) -> list[str]:
    return list(bank.questions.order_by("pk").values_list("idnumber", flat=True))


def numbered(n: int, idnumber: str = "", **extra) -> dict:
    question = {**single_choice(n=n), **extra}
    return {**question, "idnumber": idnumber} if idnumber else question


def idnumber_warnings(warnings) -> list[dict]:
    return [w for w in warnings if "ID number" in w["message"]]


# --- GIFT: reading ------------------------------------------------------------------------------


# Moodle's own cases (giftformat_test.php, extract_idnumber_and_tags_from_comment_testcases),
# plus the escaped bracket and a token broken by a line end.
@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("", ""),
        ("// A basic comment.", ""),
        ("// A comment with [id:frog] <-- an idnumber.", "frog"),
        ("// Look tags: [tag:frog] [tag:toad].", ""),
        ("// [tag:add] [tag:basic] [id:four]", "four"),
        ("// [tag:  basic] Here is  \n// a [id:   four   ] que[tag:add   ]stion.", "four"),
        ("// [id:id\\]number] [id:second]", "id]number"),  # the first counts
        ("// [id:\nfrog]", ""),  # a control character: no token
    ],
)
def test_the_id_number_is_found_in_comments_as_moodle_finds_it(comment, expected):
    assert gift._comment_idnumber(comment) == expected


def test_the_gift_sample_gives_each_question_its_id_number():
    report = gift.parse(GIFT_SAMPLE.read_bytes())

    assert report.ok and len(report.questions) == 5
    assert [q.get("idnumber") for q in report.questions] == [
        "INC-01",
        "MKT]3",  # trimmed, \] is ]
        None,
        "INC-01",  # twice in the file: the import decides (below)
        None,  # too long: left out, and said
    ]
    assert report.questions[0]["tags"] == ["Incoterms"]
    [warning] = report.warnings
    assert warning.location == "line 24"
    assert warning.message == (
        "not kept: the ID number '" + "L" * 50 + "…' (an ID number has at most 100 characters)"
    )


def test_the_shared_moodle_4_fixture_gives_the_essay_its_id_number(shared_fixtures):
    report = gift.parse((shared_fixtures / "gift" / "pegjs-id-and-tags-essay.gift").read_bytes())

    assert report.ok and not report.warnings
    [question] = report.questions
    assert question["idnumber"] == "393" and question["tags"] == ["fred", "barney-wilma"]


# --- GIFT: writing ------------------------------------------------------------------------------


def test_gift_export_writes_the_id_number_first_in_the_comment_line_as_moodle_does():
    result = gift.export(
        [numbered(1, "INC-01", tags=["Incoterms"]), numbered(2, "A]b"), numbered(3), essay()]
    )

    assert not [w for w in result.warnings if "ID number" in w.message], result.warnings
    text = result.data.decode()
    assert "// question 1\n// [id:INC-01] [tag:Incoterms]\n::SC 1::" in text
    assert "// question 2\n// [id:A\\]b]\n::SC 2::" in text  # only ] is escaped
    assert "// question 3\n::SC 3::" in text and "// question 4\n::Explain::" in text


def test_gift_id_numbers_survive_export_then_import_whatever_they_hold():
    odd = ["INC-01", "a]b", "[draft]", "ends in \\", "C++ {x}: #1 ~ =y", "编号 7", "x" * 100]
    questions = [numbered(n, idnumber) for n, idnumber in enumerate(odd, start=1)]

    report = gift.parse(gift.export(questions).data)

    assert report.ok and not report.warnings
    assert [q["idnumber"] for q in report.questions] == odd


def test_an_id_number_gift_cannot_carry_is_left_out_with_a_warning():
    result = gift.export([numbered(1, "line\nbreak")])

    assert b"[id:" not in result.data
    [warning] = [w for w in result.warnings if "ID number" in w.message]
    assert "the ID number 'line\nbreak' (a GIFT ID number cannot hold control characters)" in (
        warning.message
    )


# --- Moodle XML ---------------------------------------------------------------------------------


def test_the_moodle_xml_sample_gives_each_question_its_id_number():
    report = moodle_xml.parse(XML_SAMPLE.read_bytes())

    assert report.ok and len(report.questions) == 6  # the category's CAT-1 is no question's
    assert [q.get("idnumber") for q in report.questions] == [
        "INC-01",
        "MKT]3 & <co>",  # trimmed, entities read
        None,  # <idnumber></idnumber>, as Moodle writes "none"
        None,  # no element
        "INC-01",
        None,  # too long
    ]
    [warning] = report.warnings
    assert warning.location == "question 7" and "(an ID number has at most 100" in warning.message


@pytest.mark.parametrize(
    "name",
    ["moodle-tests-nested-categories-with-questions.xml", "moodletools-cloze-multianswer.xml"],
)
def test_the_shared_fixtures_empty_idnumbers_give_no_id_number(shared_fixtures, name):
    data = (shared_fixtures / "moodle-xml" / name).read_bytes()
    assert b"<idnumber></idnumber>" in data

    report = moodle_xml.parse(data)

    assert report.questions and not any("idnumber" in q for q in report.questions)
    assert not [w for w in report.warnings if "ID number" in w.message]


def test_moodle_xml_export_writes_idnumber_after_hidden_and_reads_it_back():
    questions = [numbered(1, "INC-01"), numbered(2), numbered(3, "MKT]3 & <co>")]
    result = moodle_xml.export(questions)

    assert not [w for w in result.warnings if "ID number" in w.message], result.warnings
    quiz = fromstring(result.data)
    written = [q for q in quiz.findall("question") if q.get("type") != "category"]
    assert [q.findtext("idnumber") for q in written] == ["INC-01", None, "MKT]3 & <co>"]
    children = [child.tag for child in written[0]]
    assert children.index("idnumber") == children.index("hidden") + 1
    report = moodle_xml.parse(result.data)
    assert [q.get("idnumber") for q in report.questions] == ["INC-01", None, "MKT]3 & <co>"]


@pytest.mark.parametrize("fmt", ["aiken", "qti21", "xlsx"])
def test_formats_without_a_place_for_it_say_they_leave_the_id_number_out(bank, fmt):
    services.question_create(bank=bank, data=numbered(1, "INC-01"))

    result = imports.bank_export(bank=bank, fmt=fmt)

    assert any("ID number" in warning.message for warning in result.warnings), result.warnings


# --- importing into a bank ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "sample", "clash", "twice", "first"),
    [
        ("gift", GIFT_SAMPLE, "line 13", "line 20", "line 9"),
        ("moodle_xml", XML_SAMPLE, "question 3", "question 6", "question 2"),
    ],
)
def test_an_id_number_the_bank_or_the_file_already_has_is_dropped_and_the_question_imported(
    bank, teacher, django_capture_on_commit_callbacks, fmt, sample, clash, twice, first
):
    taken = "MKT]3" if fmt == "gift" else "MKT]3 & <co>"
    holder = services.question_create(bank=bank, data=numbered(0, taken))

    job = run_import(
        django_capture_on_commit_callbacks,
        bank=bank,
        fmt=fmt,
        file=upload(sample.read_bytes(), sample.name),
        by=teacher,
    )

    assert job.status == ImportJob.Status.DONE, job.report
    imported = len(gift.parse(sample.read_bytes()).questions) if fmt == "gift" else 6
    assert job.done == job.total == imported
    assert bank.questions.count() == imported + 1
    # The holder keeps its number; the first INC-01 is stored, the clashes are not.
    assert idnumbers_of(bank)[0] == taken and idnumbers_of(bank).count("INC-01") == 1
    assert idnumbers_of(bank)[1] == "INC-01"
    assert set(idnumbers_of(bank)[2:]) == {""}
    assert [(w["location"], w["message"]) for w in idnumber_warnings(job.report["warnings"])][
        -2:
    ] == [
        (
            clash,
            f"the ID number '{taken}' is already used by question #{holder.pk} of this bank: "
            "the question is imported without it",
        ),
        (
            twice,
            f"the ID number 'INC-01' is already given to the question at {first}: "
            "the question is imported without it",
        ),
    ]


def test_the_clash_report_is_written_in_the_language_of_the_file(
    bank, teacher, django_capture_on_commit_callbacks
):
    services.question_create(bank=bank, data=numbered(0, "INC-01"))
    job = run_import(
        django_capture_on_commit_callbacks,
        bank=bank,
        fmt="gift",
        file=upload(b"// [id:INC-01]\n::Q::Yes?{TRUE}\n", "q.gift"),
        by=teacher,
        language="zh-hans",
    )

    assert job.status == ImportJob.Status.DONE
    [warning] = job.report["warnings"]
    assert "INC-01" in warning["message"] and "ID number" not in warning["message"]


def test_a_refused_file_stores_no_id_number_and_reports_no_clash(
    bank, teacher, django_capture_on_commit_callbacks
):
    data = b"// [id:NEW-1]\n::Q::Yes?{TRUE}\n\n// [id:NEW-2]\n::Broken::No answer {=a\n"
    job = run_import(
        django_capture_on_commit_callbacks,
        bank=bank,
        fmt="gift",
        file=upload(data, "q.gift"),
        by=teacher,
    )

    assert job.status == ImportJob.Status.FAILED
    assert not bank.questions.exists()
    assert not idnumber_warnings(job.report["warnings"])


# --- round trips --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["gift", "moodle_xml"])
def test_a_bank_goes_out_and_back_in_with_its_id_numbers(
    bank, school, teacher, django_capture_on_commit_callbacks, fmt
):
    for question in (
        numbered(1, "INC-01", tags=["Incoterms"]),
        numbered(2),
        numbered(3, "MKT]3 & <co>"),
    ):
        services.question_create(bank=bank, data=question)
    exported = imports.bank_export(bank=bank, fmt=fmt)
    assert not idnumber_warnings([{"message": w.message} for w in exported.warnings])

    copy = QuestionBank.objects.create(organization=school, name="Copy")
    job = run_import(
        django_capture_on_commit_callbacks,
        bank=copy,
        fmt=fmt,
        file=upload(exported.data, "bank" + (".gift" if fmt == "gift" else ".xml")),
        by=teacher,
    )

    assert job.status == ImportJob.Status.DONE, job.report
    assert not idnumber_warnings(job.report["warnings"])
    assert idnumbers_of(copy) == idnumbers_of(bank) == ["INC-01", "", "MKT]3 & <co>"]
    assert [q.get("idnumber") for q in imports.bank_questions(copy)] == [
        "INC-01",
        None,
        "MKT]3 & <co>",
    ]

    # Back into the bank it came from: every number is taken, every question still comes in.
    again = run_import(
        django_capture_on_commit_callbacks,
        bank=bank,
        fmt=fmt,
        file=upload(exported.data, "bank" + (".gift" if fmt == "gift" else ".xml")),
        by=teacher,
    )
    assert again.status == ImportJob.Status.DONE and again.done == 3
    assert len(idnumber_warnings(again.report["warnings"])) == 2
    assert idnumbers_of(bank) == ["INC-01", "", "MKT]3 & <co>", "", "", ""]
