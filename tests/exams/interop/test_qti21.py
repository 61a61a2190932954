"""QTI 2.1 items and content packages: interactions, real items and zip safety."""

import io
import struct
import zipfile
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring

from exams.interop import qti21, safezip

SAMPLES = Path(__file__).parent / "samples"
QTI_NS = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
MANIFEST = b"""<?xml version="1.0"?>
<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="M">
  <resources>
    <resource identifier="i1" type="imsqti_item_xmlv2p1" href="items/one.xml">
      <file href="items/one.xml"/>
    </resource>
  </resources>
</manifest>"""


def package(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def good_item() -> bytes:
    return (SAMPLES / "good.qti.xml").read_bytes()


def test_numeric_item_reads_value_relative_tolerance_and_points():
    report = qti21.parse(good_item())

    assert report.ok
    (question,) = report.questions
    assert question["kind"] == "numeric"
    assert question["key"] == {"value": "12.8", "tolerance": "0.01", "tolerance_mode": "relative"}
    assert question["points"] == "2"
    assert question["text"] == {
        "en": "A carton weighs 12.5 kg and its box 0.3 kg.\n\nWhat is the gross weight? _____ kg"
    }


def test_inline_choice_item_is_single_choice_in_the_item_language():
    report = qti21.parse((SAMPLES / "good-inline.qti.xml").read_bytes())

    (question,) = report.questions
    assert question["kind"] == "single_choice"
    assert question["text"] == {"zh-hans": "FBA 指的是_____。"}
    assert question["key"] == {"correct": "amazon"}


def test_bad_sample_imports_nothing_and_names_the_item():
    report = qti21.parse((SAMPLES / "bad.qti.xml").read_bytes())

    assert report.questions == []
    assert [str(e) for e in report.errors] == [
        "item badChoice: the correct option is not one of the options"
    ]


IMS_ITEMS = {
    # name: (kind, key, warnings)
    "ims-choice.xml": ("single_choice", {"correct": "ChoiceA"}, 1),  # the image is not imported
    "ims-choice_multiple.xml": (
        "multiple_choice",
        {"correct": ["H", "O"], "scoring": "partial", "penalty": "1"},
        1,  # per-choice penalties (-1, and -2 by default) are summed and capped
    ),
    "ims-text_entry.xml": (
        "fill_blanks",
        {"blanks": [{"accepted": ["York"]}], "case_sensitive": True, "normalise_whitespace": True},
        1,  # 'york' for half marks is dropped
    ),
    "ims-extended_text.xml": ("essay", {}, 1),
    "ims-order.xml": (
        "ordering",
        {"order": ["DriverC", "DriverA", "DriverB"], "scoring": "all_or_nothing"},
        0,
    ),
    "ims-match.xml": ("matching", {"pairs": {"C": "R", "D": "M", "L": "M", "P": "T"}}, 0),
    "ims-associate.xml": ("matching", {"pairs": {"A": "P", "C": "M", "D": "L"}}, 1),
}


@pytest.mark.parametrize("name", sorted(IMS_ITEMS))
def test_ims_example_item_parses_as_expected(shared_fixtures, name):
    report = qti21.parse((shared_fixtures / "qti21" / name).read_bytes())

    kind, key, warnings = IMS_ITEMS[name]
    assert report.ok
    assert [(q["kind"], q["key"]) for q in report.questions] == [(kind, key)]
    assert len(report.warnings) == warnings


def test_rich_item_bodies_stay_xhtml_without_source_indentation(shared_fixtures):
    report = qti21.parse((shared_fixtures / "qti21" / "ims-choice.xml").read_bytes())

    assert report.questions[0]["text"]["en"] == (
        "<p>Look at the text in the picture.</p>\n<p>\n"
        '<img src="images/sign.png" alt="NEVER LEAVE LUGGAGE UNATTENDED" />\n</p>'
        "\n\nWhat does it say?"
    )


def test_tao_content_package_imports_its_item(shared_fixtures):
    folder = shared_fixtures / "qti21" / "tao-package"
    members = {
        str(path.relative_to(folder)): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }

    report = qti21.parse(package(members))

    assert report.ok
    (question,) = report.questions
    assert question["kind"] == "single_choice"
    assert question["key"] == {"correct": "A"}
    assert question["title"] == "Unattended Luggage"


@pytest.mark.parametrize(
    "name",
    [
        "kennisnet-choice-multiple-mapping.xml",
        "kennisnet-match-map-response-template.xml",
        "kennisnet-text-entry-match-correct-template.xml",
    ],
)
def test_qti3_items_are_refused_naming_the_version(shared_fixtures, name):
    report = qti21.parse((shared_fixtures / "qti30" / name).read_bytes())

    assert report.questions == []
    assert [e.message for e in report.errors] == ["this is a QTI 3 item; only QTI 2.1 is supported"]


def test_qti3_package_is_refused(shared_fixtures):
    manifest = (shared_fixtures / "qti30" / "kennisnet-imsmanifest-v3p1.xml").read_bytes()

    report = qti21.parse(package({"imsmanifest.xml": manifest, "item.xml": b"<x/>"}))

    assert report.questions == []
    assert "QTI 3 items are not supported" in report.errors[0].message


def test_a_bare_manifest_asks_for_the_whole_package(shared_fixtures):
    report = qti21.parse(
        (shared_fixtures / "qti21" / "tao-package" / "imsmanifest.xml").read_bytes()
    )

    assert "upload the whole zip package" in report.errors[0].message


# --- zip safety -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../evil.xml", "/etc/passwd", "a/../../evil.xml", "C:/x.xml"])
def test_zip_with_escaping_paths_is_refused_before_reading(name):
    report = qti21.parse(package({"imsmanifest.xml": MANIFEST, name: b"x"}))

    assert report.questions == []
    assert any(f"unsafe path '{name}'" in e.message for e in report.errors)


def test_zip_with_more_than_2000_members_is_refused():
    members = {f"f{n}.txt": b"" for n in range(2001)} | {"imsmanifest.xml": MANIFEST}

    report = qti21.parse(package(members))

    assert report.questions == []
    assert report.errors[0].message == "the zip holds 2002 files; at most 2000 are accepted"


def test_zip_member_over_10_mb_is_refused_from_its_header():
    big = b"\0" * (10 * 1024 * 1024 + 1)

    report = qti21.parse(package({"imsmanifest.xml": MANIFEST, "items/one.xml": big}))

    assert report.questions == []
    assert "at most 10.0 MB per file" in report.errors[0].message


def test_zip_over_the_total_limit_is_refused(monkeypatch):
    monkeypatch.setattr(safezip, "MAX_TOTAL_BYTES", 1000)

    report = qti21.parse(package({"imsmanifest.xml": MANIFEST, "items/one.xml": good_item()}))

    assert report.questions == []
    assert "the zip unpacks to" in report.errors[0].message


def test_zip_member_larger_than_its_header_says_is_not_read_past_it():
    data = bytearray(package({"imsmanifest.xml": MANIFEST, "items/one.xml": good_item()}))
    # Claim in the central directory that the item unpacks to 10 bytes.
    entry = data.rfind(b"PK\x01\x02")
    data[entry + 24 : entry + 28] = struct.pack("<I", 10)

    report = qti21.parse(bytes(data))

    assert report.questions == []
    assert [str(e) for e in report.errors] == [
        "item items/one.xml: this file in the zip is damaged or unreadable"
    ]


def test_zip_without_manifest_is_not_a_package():
    report = qti21.parse(package({"one.xml": good_item()}))

    assert [e.message for e in report.errors] == [
        "no imsmanifest.xml at the top: not an IMS content package"
    ]


def test_manifest_naming_a_missing_item_is_reported_at_that_item():
    report = qti21.parse(package({"imsmanifest.xml": MANIFEST}))

    assert [str(e) for e in report.errors] == [
        "item items/one.xml: listed in the manifest but not in the zip"
    ]


def test_entity_attack_inside_a_package_item_is_refused():
    attack = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><assessmentItem>&e;</assessmentItem>'

    report = qti21.parse(package({"imsmanifest.xml": MANIFEST, "items/one.xml": attack}))

    assert report.questions == []
    assert report.errors[0].location == "item items/one.xml"
    assert "refused for safety" in report.errors[0].message


def test_package_items_are_located_by_their_path():
    report = qti21.parse(package({"imsmanifest.xml": MANIFEST, "items/one.xml": good_item()}))

    assert report.ok and report.questions[0]["kind"] == "numeric"


# --- export -----------------------------------------------------------------------------------


def test_export_writes_a_manifest_and_one_qti21_item_per_question():
    questions = (
        qti21.parse(good_item()).questions
        + qti21.parse((SAMPLES / "good-inline.qti.xml").read_bytes()).questions
    )

    result = qti21.export(questions)

    with zipfile.ZipFile(io.BytesIO(result.data)) as archive:
        names = archive.namelist()
        manifest = fromstring(archive.read("imsmanifest.xml"))
        item = fromstring(archive.read("items/q0001.xml"))
    assert names == ["items/q0001.xml", "items/q0002.xml", "imsmanifest.xml"]
    hrefs = [
        r.get("href") for r in manifest.iter("{http://www.imsglobal.org/xsd/imscp_v1p1}resource")
    ]
    assert hrefs == ["items/q0001.xml", "items/q0002.xml"]
    assert item.tag == f"{QTI_NS}assessmentItem"
    assert item.find(f"{QTI_NS}responseProcessing/{QTI_NS}responseCondition") is not None


def test_export_is_reproducible_byte_for_byte():
    questions = qti21.parse(good_item()).questions

    assert qti21.export(questions).data == qti21.export(questions).data


def test_export_skips_practical_tasks_with_a_warning():
    practical = {
        "kind": "practical",
        "text": {"en": "Build a listing."},
        "points": "4",
        "difficulty": 1,
        "content": {},
        "key": {"rubric": [{"id": "r1", "criterion": {"en": "Title"}, "points": "4"}]},
    }

    result = qti21.export([practical])

    assert [str(w) for w in result.warnings] == [
        "question 1: skipped: QTI 2.1 has no rubric-graded practical task"
    ]


def test_long_identifiers_are_renumbered_and_the_mapping_follows_them():
    long = "choice_with_a_very_long_identifier_number_"
    item = f"""<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="x"
        title="Long ids" adaptive="false" timeDependent="false">
      <responseDeclaration identifier="RESPONSE" cardinality="multiple" baseType="identifier">
        <correctResponse><value>{long}1</value></correctResponse>
        <mapping defaultValue="0">
          <mapEntry mapKey="{long}1" mappedValue="1"/>
          <mapEntry mapKey="{long}2" mappedValue="-0.5"/>
        </mapping>
      </responseDeclaration>
      <itemBody><choiceInteraction responseIdentifier="RESPONSE" maxChoices="0">
        <prompt>Which are marketplaces?</prompt>
        <simpleChoice identifier="{long}1">Amazon</simpleChoice>
        <simpleChoice identifier="{long}2">DHL</simpleChoice>
      </choiceInteraction></itemBody>
      <responseProcessing
        template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/map_response"/>
    </assessmentItem>"""

    (question,) = qti21.parse(item.encode()).questions

    assert [o["id"] for o in question["content"]["options"]] == ["a", "b"]
    assert question["key"] == {"correct": ["a"], "scoring": "partial", "penalty": "0.5"}
