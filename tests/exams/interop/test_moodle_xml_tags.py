"""Question tags in Moodle XML: each <question>'s <tags> (and <coursetags>), each
<tag><text>name</text></tag>, read into the school's tags and written back out as Moodle's
own export writes them (question/format/xml/format.php, import_question_tags and
writequestion)."""

import re

import pytest
from defusedxml.ElementTree import fromstring

from exams import imports, services
from exams.interop import moodle_xml
from exams.models import ImportJob, QuestionBank, QuestionTag
from tests.exams.conftest import essay, single_choice
from tests.exams.test_imports import SAMPLES, run_import, upload

TAGGED = SAMPLES / "tagged.moodle.xml"


def names_of(question) -> list[str]:
    return sorted(tag.name for tag in question.tags.all())


@pytest.fixture
def bank(school):
    return QuestionBank.objects.create(organization=school, name="Listing bank")


# --- reading ------------------------------------------------------------------------------------


def test_the_sample_gives_each_question_its_tags_and_names_those_it_cannot_use():
    report = moodle_xml.parse(TAGGED.read_bytes())

    assert report.ok and len(report.questions) == 3
    first, second, untagged = report.questions
    # <tags> then <coursetags>; CDATA read as text; "incoterms" is "Incoterms" again.
    assert first["tags"] == ["Incoterms", "Freight & duty", "物流", "Term 1"]
    assert second["tags"] == ["listing titles"]  # spaces trimmed and collapsed
    assert "tags" not in untagged
    [warning] = [w for w in report.warnings if "tag" in w.message]
    assert warning.location == "question 3"
    assert "tag 'Amazon, eBay' (a tag cannot hold a comma or a semicolon)" in warning.message
    assert "(a tag has at most 50 characters)" in warning.message
    assert "tag 'A tag typed by a teacher that runs well past fifty…'" in warning.message


def test_more_than_twenty_tags_keep_the_first_twenty_and_name_the_rest():
    tags = "".join(f"<tag><text>t{n}</text></tag>" for n in range(1, 23))
    xml = (
        '<quiz><question type="truefalse"><name><text>T</text></name>'
        '<questiontext format="html"><text>Yes?</text></questiontext>'
        '<answer fraction="100"><text>true</text></answer>'
        f'<answer fraction="0"><text>false</text></answer><tags>{tags}</tags></question></quiz>'
    )
    report = moodle_xml.parse(xml.encode())

    assert report.ok and report.questions[0]["tags"] == [f"t{n}" for n in range(1, 21)]
    [warning] = report.warnings
    assert "tag 't21' (a question has at most 20 tags)" in warning.message
    assert "tag 't22'" in warning.message


def test_a_real_moodle_file_with_tags_added_as_moodle_writes_them(shared_fixtures):
    """No shared Moodle XML file holds tags, so a real one gets them, read in place and
    changed in memory only, in the layout of Moodle's export."""
    path = shared_fixtures / "moodle-xml" / "moodle-tests-nested-categories-with-questions.xml"
    text = path.read_text(encoding="utf-8")
    tags = (
        "    <tags>\n      <tag><text>Nested</text>\n</tag>\n"
        "      <tag><text><![CDATA[Q&A <draft>]]></text>\n</tag>\n    </tags>\n"
    )
    tagged, count = re.subn(
        r"(<question type=\"(?!category)[^\"]+\">.*?)(  </question>)",
        lambda m: m.group(1) + tags + m.group(2),
        text,
        flags=re.DOTALL,
    )
    assert count == 5

    before, after = moodle_xml.parse(text.encode()), moodle_xml.parse(tagged.encode())

    assert after.ok and len(after.questions) == len(before.questions) == 5
    assert [q["tags"] for q in after.questions] == [["Nested", "Q&A <draft>"]] * 5
    assert [{k: v for k, v in q.items() if k != "tags"} for q in after.questions] == (
        before.questions
    )
    assert after.warnings == before.warnings


# --- writing ------------------------------------------------------------------------------------


def test_export_writes_the_tags_last_in_each_question_as_moodle_does():
    question = {**single_choice(), "tags": ["Freight & duty", "物流", "<b>"]}
    result = moodle_xml.export([question, essay()])

    assert not [w for w in result.warnings if "tags" in w.message], result.warnings
    tagged, untagged = fromstring(result.data).findall("question[@type!='category']")
    assert tagged[-1].tag == "tags"
    assert [t.findtext("text") for t in tagged.findall("tags/tag")] == question["tags"]
    assert untagged.find("tags") is None
    assert b"<text>Freight &amp; duty</text>" in result.data


def test_a_bank_export_to_moodle_xml_no_longer_warns_that_it_leaves_the_tags_out(bank):
    services.question_create(bank=bank, data={**single_choice(), "tags": ["Amazon"]})

    result = imports.bank_export(bank=bank, fmt="moodle_xml")

    assert not any("tags" in w.message for w in result.warnings), result.warnings
    assert b"<text>Amazon</text>" in result.data


# --- through the bank ---------------------------------------------------------------------------


def test_a_bank_with_tags_goes_out_and_back_in_with_the_same_tags(
    bank, school, teacher, outsider, django_capture_on_commit_callbacks
):
    data = [
        {**single_choice(n=1), "tags": ["Amazon", "标题"]},
        essay(),
        {**single_choice(n=2), "tags": ["shipping & returns"]},
    ]
    for question in data:
        services.question_create(bank=bank, data=question)
    exported = imports.bank_export(bank=bank, fmt="moodle_xml").data
    before = QuestionTag.objects.filter(organization=school).count()

    copy = QuestionBank.objects.create(organization=school, name="Copy")
    elsewhere = QuestionBank.objects.create(
        organization=outsider.memberships.get().organization, name="Elsewhere"
    )
    for target in (copy, elsewhere):
        job = run_import(
            django_capture_on_commit_callbacks,
            bank=target,
            fmt="moodle_xml",
            file=upload(exported, "bank.xml"),
            by=teacher,
        )
        assert job.status == ImportJob.Status.DONE, job.report
        assert not [w for w in job.report["warnings"] if "tag" in w["message"]]
        got = [names_of(q) for q in target.questions.order_by("pk")]
        assert got == [["Amazon", "标题"], [], ["shipping & returns"]]

    # The same school's tags are reused; the other school gets its own.
    assert QuestionTag.objects.filter(organization=school).count() == before == 3
    assert set(elsewhere.questions.values_list("tags__organization", flat=True)) - {None} == {
        elsewhere.organization_id
    }


def test_importing_the_sample_makes_missing_tags_and_reuses_the_schools_whatever_their_case(
    bank, school, teacher, django_capture_on_commit_callbacks
):
    existing = QuestionTag.objects.create(organization=school, name="INCOTERMS")
    job = run_import(
        django_capture_on_commit_callbacks,
        bank=bank,
        fmt="moodle_xml",
        file=upload(TAGGED.read_bytes(), "tagged.xml"),
        by=teacher,
    )

    assert job.status == ImportJob.Status.DONE, job.report
    first, second, third = bank.questions.order_by("pk")
    assert existing in first.tags.all()
    assert names_of(first) == ["Freight & duty", "INCOTERMS", "Term 1", "物流"]
    assert names_of(second) == ["listing titles"] and names_of(third) == []
    made = QuestionTag.objects.filter(organization=school).values_list("name", flat=True)
    assert sorted(made) == ["Freight & duty", "INCOTERMS", "Term 1", "listing titles", "物流"]
    [warning] = [w for w in job.report["warnings"] if "tag" in w["message"]]
    assert warning["location"] == "question 3" and "Amazon, eBay" in warning["message"]
