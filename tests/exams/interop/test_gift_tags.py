"""Question tags in GIFT: each [tag:name] in a question's // comment lines, read into the
school's tags and written back out in a "// [tag:…] [tag:…]" line as Moodle's own GIFT format
reads and writes them (question/format/gift/format.php, extract_idnumber_and_tags_from_comment
and write_idnumber_and_tags)."""

import pytest

from exams import imports, services
from exams.interop import gift
from exams.models import ImportJob, QuestionBank, QuestionTag
from tests.exams.conftest import essay, single_choice
from tests.exams.test_imports import SAMPLES, run_import, upload

TAGGED = SAMPLES / "tagged.gift"


def names_of(question) -> list[str]:
    return sorted(tag.name for tag in question.tags.all())


def tag_warnings(warnings) -> list:
    return [w for w in warnings if "tag" in w.message]


@pytest.fixture
def bank(school):
    return QuestionBank.objects.create(organization=school, name="Listing bank")


# --- reading ------------------------------------------------------------------------------------


# Moodle's own cases (giftformat_test.php, extract_idnumber_and_tags_from_comment_testcases).
@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("", []),
        ("// A basic comment.", []),
        ("// A comment with [id:frog] <-- an idnumber.", []),
        ("// Look tags: [tag:frog] [tag:toad].", ["frog", "toad"]),
        ("// [tag:add] [tag:basic] [id:four]", ["add", "basic"]),
        (
            "// [tag:  basic] Here is  \n// a [id:   four   ] que[tag:add   ]stion.",
            ["basic", "add"],
        ),
        ("// Ceci n'est pas une [tag:\n\\ frog].", []),
        ("// [tag:t\\]ag].", ["t]ag"]),
    ],
)
def test_tags_are_found_in_comments_as_moodle_finds_them(comment, expected):
    assert gift._comment_tags(comment) == expected


def test_the_shared_moodle_4_fixture_gives_the_essay_its_two_tags(shared_fixtures):
    report = gift.parse((shared_fixtures / "gift" / "pegjs-id-and-tags-essay.gift").read_bytes())

    assert report.ok and not report.warnings
    [question] = report.questions
    assert question["kind"] == "essay" and question["text"] == {"en": "Essay?"}
    assert question["tags"] == ["fred", "barney-wilma"]
    assert question["idnumber"] == "393"


def test_the_sample_gives_each_question_its_tags_and_names_those_it_cannot_use():
    report = gift.parse(TAGGED.read_bytes())

    assert report.ok and len(report.questions) == 4
    first, second, third, untagged = report.questions
    assert first["tags"] == ["Incoterms", "Freight & duty", "物流"]  # "incoterms" is the same
    # Spaces trimmed and collapsed, \] is ], two comment lines, GIFT's marks need no escape.
    assert second["tags"] == ["listing titles", "Term [1]", "C++ {basics}: #1 ~ =x"]
    # [id:MKT\]3] is no tag; "<b>bold</b>" is no tag token, for Moodle either.
    assert third["tags"] == ["ok"] and third["kind"] == "essay"
    # The comment paragraph before it is no question, so its [tag:orphan] is nobody's.
    assert "tags" not in untagged and untagged["kind"] == "numeric"
    assert {q["competency"] for q in report.questions} == {"Incoterms"}
    [warning] = tag_warnings(report.warnings)
    assert warning.location == "line 21" and warning.message.startswith("not kept: ")
    assert "tag 'Amazon, eBay' (a tag cannot hold a comma or a semicolon)" in warning.message
    assert "tag 'A tag typed by a teacher that runs well past fifty…'" in warning.message
    assert "(a tag has at most 50 characters)" in warning.message


def test_more_than_twenty_tags_keep_the_first_twenty_and_name_the_rest():
    tags = " ".join(f"[tag:t{n}]" for n in range(1, 23))
    report = gift.parse(f"// {tags}\nYes?{{TRUE}}\n".encode())

    assert report.ok and report.questions[0]["tags"] == [f"t{n}" for n in range(1, 21)]
    [warning] = report.warnings
    assert "tag 't21' (a question has at most 20 tags)" in warning.message
    assert "tag 't22'" in warning.message


def test_tags_do_not_change_the_rest_of_the_question():
    plain = gift.parse(b"::Q::Which?{=a ~b}\n")
    tagged = gift.parse(b"// question: 7  name: Q\n// [id:7] [tag:x]\n::Q::Which?{=a ~b}\n")

    assert tagged.questions[0].pop("tags") == ["x"]
    assert tagged.questions[0].pop("idnumber") == "7"
    assert tagged.questions == plain.questions and tagged.warnings == plain.warnings


# --- writing ------------------------------------------------------------------------------------


def test_export_writes_the_tags_line_after_the_question_comment_as_moodle_does():
    question = {**single_choice(), "tags": ["Freight & duty", "物流"]}
    result = gift.export([question, essay()])

    assert not tag_warnings(result.warnings), result.warnings
    text = result.data.decode()
    assert "// question 1\n// [tag:Freight & duty] [tag:物流]\n::SC 0::" in text
    assert "// question 2\n::Explain::" in text  # no tags, no line


def test_gift_marks_in_tags_stay_as_they_are_and_only_the_closing_bracket_is_escaped():
    names = ["C++ {basics}: #1 ~ =x", "a]b", "[draft]", "a\\]z", "ends in \\", "Q\\:A"]
    result = gift.export([{**single_choice(), "tags": names}])

    line = result.data.decode().splitlines()[3]
    assert line == (
        "// [tag:C++ {basics}: #1 ~ =x] [tag:a\\]b] [tag:[draft\\]] [tag:a\\\\]z] "
        "[tag:ends in \\ ] [tag:Q\\:A]"
    )
    assert not tag_warnings(result.warnings)
    assert gift.parse(result.data).questions[0]["tags"] == names


def test_a_tag_moodle_cannot_read_is_left_out_with_a_warning_and_the_question_exported():
    question = {**single_choice(), "tags": ["<b>", "ok", "`code`"]}
    result = gift.export([question])

    assert b"// [tag:ok]\n" in result.data
    assert b"<b>" not in result.data and b"`code`" not in result.data
    messages = [w.message for w in tag_warnings(result.warnings)]
    assert messages == [
        "not kept: tag '<b>' (a GIFT tag cannot hold <, >, ` or control characters)",
        "not kept: tag '`code`' (a GIFT tag cannot hold <, >, ` or control characters)",
    ]
    assert gift.parse(result.data).questions[0]["tags"] == ["ok"]


def test_export_then_import_keeps_the_tags():
    questions = [
        {**single_choice(n=1), "tags": ["Amazon", "标题", "Q&A [1]"]},
        essay(),
        {**single_choice(n=2), "tags": ["shipping & returns"]},
    ]
    report = gift.parse(gift.export(questions).data)

    assert report.ok and not tag_warnings(report.warnings)
    assert [q.get("tags") for q in report.questions] == [
        ["Amazon", "标题", "Q&A [1]"],
        None,
        ["shipping & returns"],
    ]


# --- through the bank ---------------------------------------------------------------------------


def test_a_bank_export_to_gift_no_longer_warns_that_it_leaves_the_tags_out(bank):
    services.question_create(bank=bank, data={**single_choice(), "tags": ["Amazon"]})

    result = imports.bank_export(bank=bank, fmt="gift")

    assert not tag_warnings(result.warnings), result.warnings
    assert b"// [tag:Amazon]\n" in result.data


def test_a_bank_with_tags_goes_out_as_gift_and_back_in_with_the_same_tags(
    bank, school, teacher, django_capture_on_commit_callbacks
):
    data = [
        {**single_choice(n=1), "tags": ["Amazon", "标题"]},
        essay(),
        {**single_choice(n=2), "tags": ["shipping & returns"]},
    ]
    for question in data:
        services.question_create(bank=bank, data=question)
    exported = imports.bank_export(bank=bank, fmt="gift").data
    before = QuestionTag.objects.filter(organization=school).count()

    copy = QuestionBank.objects.create(organization=school, name="Copy")
    job = run_import(
        django_capture_on_commit_callbacks,
        bank=copy,
        fmt="gift",
        file=upload(exported, "bank.gift"),
        by=teacher,
    )

    assert job.status == ImportJob.Status.DONE, job.report
    assert not [w for w in job.report["warnings"] if "tag" in w["message"]]
    assert [names_of(q) for q in copy.questions.order_by("pk")] == [
        ["Amazon", "标题"],
        [],
        ["shipping & returns"],
    ]
    assert QuestionTag.objects.filter(organization=school).count() == before == 3


def test_importing_the_sample_makes_missing_tags_and_reuses_the_schools_whatever_their_case(
    bank, school, teacher, django_capture_on_commit_callbacks
):
    existing = QuestionTag.objects.create(organization=school, name="INCOTERMS")
    job = run_import(
        django_capture_on_commit_callbacks,
        bank=bank,
        fmt="gift",
        file=upload(TAGGED.read_bytes(), "tagged.gift"),
        by=teacher,
    )

    assert job.status == ImportJob.Status.DONE, job.report
    first, second, third, fourth = bank.questions.order_by("pk")
    assert existing in first.tags.all()
    assert names_of(first) == ["Freight & duty", "INCOTERMS", "物流"]
    assert names_of(second) == ["C++ {basics}: #1 ~ =x", "Term [1]", "listing titles"]
    assert names_of(third) == ["ok"] and names_of(fourth) == []
    [warning] = [w for w in job.report["warnings"] if "tag" in w["message"]]
    assert warning["location"] == "line 21" and "Amazon, eBay" in warning["message"]
