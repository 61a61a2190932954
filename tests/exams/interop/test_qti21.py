"""QTI 2.1 items and content packages: interactions, real items and zip safety."""

import hashlib
import io
import struct
import zipfile
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring

from exams.interop import qti21
from exams.interop.media import MediaFile
from exams.interop.xhtml import QTI_TAGS
from organizations import safezip

from . import images

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
    # name: (kind, points, key, warnings)
    "ims-choice.xml": ("single_choice", "1", {"correct": "ChoiceA"}, 1),  # the image is dropped
    "ims-choice_multiple.xml": (
        "multiple_choice",
        "2",  # the most its mapping gives (upper bound 2)
        {"correct": ["H", "O"], "scoring": "partial", "penalty": "1"},
        1,  # per-choice penalties (-1, and -2 by default) are summed and capped
    ),
    "ims-text_entry.xml": (
        "fill_blanks",
        "1",
        {"blanks": [{"accepted": ["York"]}], "case_sensitive": True, "normalise_whitespace": True},
        1,  # 'york' for half marks is dropped
    ),
    "ims-extended_text.xml": ("essay", "1", {}, 1),  # the postcard image is dropped
    "ims-order.xml": (
        "ordering",
        "1",
        {"order": ["DriverC", "DriverA", "DriverB"], "scoring": "all_or_nothing"},
        0,
    ),
    # Pairs worth 1, 0.5, 0.5 and 1: the points are their sum, each prompt now counts the same.
    "ims-match.xml": ("matching", "3", {"pairs": {"C": "R", "D": "M", "L": "M", "P": "T"}}, 1),
    "ims-associate.xml": ("matching", "4", {"pairs": {"A": "P", "C": "M", "D": "L"}}, 1),
}


@pytest.mark.parametrize("name", sorted(IMS_ITEMS))
def test_ims_example_item_parses_as_expected(shared_fixtures, name):
    report = qti21.parse((shared_fixtures / "qti21" / name).read_bytes())

    kind, points, key, warnings = IMS_ITEMS[name]
    assert report.ok
    assert [(q["kind"], q["points"], q["key"]) for q in report.questions] == [(kind, points, key)]
    assert len(report.warnings) == warnings


def test_images_of_the_package_are_dropped_with_a_warning_and_a_marker(shared_fixtures):
    report = qti21.parse((shared_fixtures / "qti21" / "ims-choice.xml").read_bytes())

    assert report.questions[0]["text"]["en"] == (
        "<p>Look at the text in the picture.</p>\n<p>\n"
        "[image: NEVER LEAVE LUGGAGE UNATTENDED]\n</p>"
        "\n\nWhat does it say?"
    )
    assert [str(w) for w in report.warnings] == [
        "item choice: not imported: images/sign.png (only images in the file itself are "
        "imported); the text says [image: …] or [file: …] where each one was"
    ]


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


def test_the_tao_package_with_its_image_imports_it_and_exports_it_again(shared_fixtures):
    folder = shared_fixtures / "qti21" / "tao-package"
    members = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    # The fixture leaves its image out; put one where the item names it.
    sign = images.image("PNG", (250, 200, 0))
    members["i146219207248061213/images/sign.png"] = sign

    report = qti21.parse(package(members))

    digest = hashlib.sha256(sign).hexdigest()
    assert report.ok and list(report.media) == [digest]
    text = report.questions[0]["text"]["en"]
    assert f'<img src="media-pending:{digest}" alt="NEVER LEAVE LUGGAGE UNATTENDED" />' in text
    assert "not imported" not in str(report.warnings)
    # As the bank would hold it: the image at its address, then exported and read back.
    url = "/exams/media/AbCdEfGhIjKlMnOp/sign.png"
    question = report.questions[0] | {"text": {"en": text.replace(f"media-pending:{digest}", url)}}
    result = qti21.export([question], media={url: MediaFile("sign.png", sign, "image/png")})
    again = qti21.parse(result.data)
    assert again.ok and list(again.media) == [digest]
    assert f'src="media-pending:{digest}"' in again.questions[0]["text"]["en"]


def test_a_qti3_item_uploaded_as_qti21_is_read_too(shared_fixtures):
    data = shared_fixtures / "qti30" / "kennisnet-text-entry-match-correct-template.xml"

    report = qti21.parse(data.read_bytes())

    assert report.ok and [q["kind"] for q in report.questions] == ["fill_blanks"]


def test_qti1_is_refused_naming_the_versions_we_read():
    report = qti21.parse(b"<questestinterop><item ident='x'/></questestinterop>")

    assert [e.message for e in report.errors] == ["this is QTI 1.x; only QTI 2.1 and 3.0 are read"]


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


# --- scores, feedback and processing of other people's items ------------------------------------


def item_xml(declaration: str, body: str, processing: str = "", extra: str = "") -> bytes:
    """An assessmentItem around a response declaration, a body and its processing."""
    return f"""<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="x"
        title="Scored" adaptive="false" timeDependent="false">
      {declaration}
      <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>
      <itemBody>{body}</itemBody>
      {processing}
      {extra}
    </assessmentItem>""".encode()


MAP_RESPONSE = (
    '<responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/'
    'map_response"/>'
)
CHOICES = """<choiceInteraction responseIdentifier="RESPONSE" maxChoices="{most}">
      <prompt>Which ports are in Zhejiang?</prompt>
      <simpleChoice identifier="A">Ningbo</simpleChoice>
      <simpleChoice identifier="B">Wenzhou</simpleChoice>
      <simpleChoice identifier="C">Taizhou</simpleChoice>
      <simpleChoice identifier="D">Shenzhen</simpleChoice>
    </choiceInteraction>"""


def mapping(cardinality: str, entries: dict[str, str], bounds: str = "") -> str:
    rows = "".join(f'<mapEntry mapKey="{k}" mappedValue="{v}"/>' for k, v in entries.items())
    return f"""<responseDeclaration identifier="RESPONSE" cardinality="{cardinality}"
        baseType="identifier"><mapping defaultValue="0" {bounds}>{rows}</mapping>
      </responseDeclaration>"""


def test_a_five_three_one_point_single_choice_keeps_its_points_and_says_what_is_lost():
    data = item_xml(
        mapping("single", {"A": "5", "B": "3", "C": "1"}), CHOICES.format(most=1), MAP_RESPONSE
    )

    report = qti21.parse(data)

    (question,) = report.questions
    assert (question["kind"], question["points"], question["key"]) == (
        "single_choice",
        "5",
        {"correct": "A"},
    )
    assert [str(w) for w in report.warnings] == [
        "item x: not kept: credit for other choices: B (3), C (1) (single choice is all or nothing)"
    ]


def test_equal_mapped_scores_of_a_multiple_choice_become_partial_credit_exactly():
    entries = {"A": "2", "B": "2", "C": "2", "D": "-3"}
    data = item_xml(
        mapping("multiple", entries, 'lowerBound="0"'), CHOICES.format(most=0), MAP_RESPONSE
    )

    report = qti21.parse(data)

    (question,) = report.questions
    assert question["points"] == "6"  # 2 + 2 + 2
    assert question["key"] == {"correct": ["A", "B", "C"], "scoring": "partial", "penalty": "0.5"}
    assert report.warnings == []


def test_unequal_mapped_scores_of_a_multiple_choice_are_warned_about():
    data = item_xml(
        mapping("multiple", {"A": "5", "B": "3", "C": "1"}), CHOICES.format(most=0), MAP_RESPONSE
    )

    report = qti21.parse(data)

    (question,) = report.questions
    assert question["points"] == "9"
    assert question["key"]["scoring"] == "partial"
    assert [w.message for w in report.warnings] == [
        "not kept: unequal scores of the correct choices (5, 3, 1); each now counts the same"
    ]


def test_modal_feedback_and_feedback_blocks_are_warned_about():
    declaration = """<responseDeclaration identifier="RESPONSE" cardinality="single"
        baseType="identifier"><correctResponse><value>A</value></correctResponse>
      </responseDeclaration>"""
    body = CHOICES.format(most=1) + (
        '<feedbackBlock outcomeIdentifier="FEEDBACK" identifier="A" showHide="show">'
        "<p>Yes.</p></feedbackBlock>"
    )
    modal = (
        '<modalFeedback outcomeIdentifier="FEEDBACK" identifier="A" showHide="show">'
        "Ningbo is right.</modalFeedback>"
    )
    template = MAP_RESPONSE.replace("map_response", "match_correct")

    report = qti21.parse(item_xml(declaration, body, template, modal))

    assert len(report.questions) == 1
    assert [w.message for w in report.warnings] == [
        "not kept: feedback shown after answering (modalFeedback); feedback inside the "
        "question (feedbackBlock, feedbackInline)"
    ]


def test_custom_processing_without_a_correct_response_is_refused_saying_so():
    declaration = """<responseDeclaration identifier="RESPONSE" cardinality="single"
        baseType="identifier"/>"""
    processing = """<responseProcessing><responseCondition><responseIf>
        <match><variable identifier="RESPONSE"/><baseValue baseType="identifier">A</baseValue>
        </match><setOutcomeValue identifier="SCORE"><baseValue baseType="float">1</baseValue>
        </setOutcomeValue></responseIf></responseCondition></responseProcessing>"""

    report = qti21.parse(item_xml(declaration, CHOICES.format(most=1), processing))

    assert report.questions == []
    assert [str(e) for e in report.errors] == [
        "item x: the item scores answers with its own response processing and declares no "
        "correctResponse, so its correct answer cannot be read; not imported"
    ]


def test_custom_processing_that_sums_a_mapping_is_read_from_the_mapping():
    processing = """<responseProcessing><setOutcomeValue identifier="SCORE">
        <mapResponse identifier="RESPONSE"/></setOutcomeValue></responseProcessing>"""
    data = item_xml(mapping("multiple", {"A": "1", "B": "1"}), CHOICES.format(most=0), processing)

    report = qti21.parse(data)

    assert report.ok
    assert report.questions[0]["key"] == {
        "correct": ["A", "B"],
        "scoring": "partial",
        "penalty": "0",
    }


# --- export: rendered XHTML, scores in points, our own Markdown back ----------------------------

QTI_BODY_ELEMENTS = QTI_TAGS | {
    "choiceInteraction", "simpleChoice", "orderInteraction", "matchInteraction",
    "simpleMatchSet", "simpleAssociableChoice", "textEntryInteraction",
    "extendedTextInteraction", "rubricBlock", "prompt",
}  # fmt: skip


def exported_items(questions: list[dict]) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(qti21.export(questions).data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def sample(kind: str, text: str, content: dict, key: dict, points: str = "2") -> dict:
    return {
        "kind": kind,
        "text": {"en": text},
        "points": points,
        "competency": "",
        "difficulty": 1,
        "content": content,
        "key": key,
    }


MARKDOWN = sample(
    "multiple_choice",
    "Which are **marketplaces**? See [the list](https://example.com/a_b).\n\n"
    "| Platform | Home |\n|---|---|\n| Shopee | Singapore |\n\n<del>old</del> a < b & c",
    {
        "options": [
            {"id": "a", "text": {"en": "*Amazon*"}},
            {"id": "b", "text": {"en": "DHL"}},
            {"id": "c", "text": {"en": "`AliExpress`"}},
        ]
    },
    {"correct": ["a", "c"], "scoring": "partial", "penalty": "1"},
)


def test_export_writes_markdown_as_rendered_well_formed_qti_xhtml():
    item = fromstring(exported_items([MARKDOWN])["items/q0001.xml"])

    body = item.find(f"{QTI_NS}itemBody")
    names = {e.tag.removeprefix(QTI_NS) for e in body.iter()} - {"itemBody"}
    assert names <= QTI_BODY_ELEMENTS
    assert {"strong", "table", "a", "em", "code"} <= names
    text = "".join(body.itertext())
    assert "**" not in text and "| Platform |" not in text and "a < b & c" in text
    link = body.find(f".//{QTI_NS}a")
    assert link.attrib == {"href": "https://example.com/a_b"}
    first = body.find(f".//{QTI_NS}simpleChoice")
    assert first.find(f"{QTI_NS}em").text == "Amazon"


def test_exported_markdown_comes_back_exactly_from_our_metadata():
    report = qti21.parse(qti21.export([MARKDOWN]).data)

    assert report.ok and report.warnings == []
    assert report.questions[0]["text"] == MARKDOWN["text"]
    assert report.questions[0]["content"] == MARKDOWN["content"]


def test_an_item_edited_after_export_is_read_from_its_xhtml():
    members = exported_items([MARKDOWN])
    members["items/q0001.xml"] = members["items/q0001.xml"].replace(b"DHL", b"FedEx")

    report = qti21.parse(package(members))

    question = report.questions[0]
    assert question["text"]["en"].startswith("<p>Which are <strong>marketplaces</strong>?")
    assert [o["text"]["en"] for o in question["content"]["options"]] == [
        "<em>Amazon</em>",
        "FedEx",
        "<code>AliExpress</code>",
    ]


def test_mapped_scores_are_written_in_points():
    item = fromstring(exported_items([MARKDOWN])["items/q0001.xml"])

    mapping = item.find(f".//{QTI_NS}mapping")
    values = {e.get("mapKey"): e.get("mappedValue") for e in mapping}
    assert mapping.get("upperBound") == "2"
    assert values == {"a": "1", "c": "1", "b": "-2"}


ORDERING = sample(
    "ordering",
    "Put the steps in order.",
    {"items": [{"id": "i1", "text": {"en": "Ship"}}, {"id": "i2", "text": {"en": "Pack"}}]},
    {"order": ["i2", "i1"], "scoring": "partial"},
)


def test_ordering_partial_credit_is_exported_as_position_scoring_and_read_back():
    result = qti21.export([ORDERING])
    item = fromstring(exported_items([ORDERING])["items/q0001.xml"])

    processing = item.find(f"{QTI_NS}responseProcessing")
    assert processing.get("template") is None
    assert [e.get("n") for e in processing.iter(f"{QTI_NS}index")] == ["1", "1", "2", "2"]
    assert result.warnings == []
    assert qti21.parse(result.data).questions == [ORDERING]


def test_all_or_nothing_items_worth_more_than_one_point_score_maxscore():
    question = dict(ORDERING, key={"order": ["i2", "i1"], "scoring": "all_or_nothing"})

    item = fromstring(exported_items([question])["items/q0001.xml"])

    setter = item.find(f".//{QTI_NS}responseIf/{QTI_NS}setOutcomeValue/{QTI_NS}variable")
    assert setter.get("identifier") == "MAXSCORE"
    assert qti21.parse(qti21.export([question]).data).questions == [question]


def test_numeric_unit_comes_back_from_its_own_paragraph():
    numeric = sample(
        "numeric",
        "How heavy is the **parcel**?",
        {"unit": "kg"},
        {"value": "12.5", "tolerance": "0.1", "tolerance_mode": "absolute"},
    )
    members = exported_items([numeric])
    members.pop("imsmanifest.xml")

    alone = qti21.parse(members["items/q0001.xml"])  # the item without our metadata

    assert alone.questions[0]["content"] == {"unit": "kg"}
    assert alone.questions[0]["text"] == {"en": "<p>How heavy is the <strong>parcel</strong>?</p>"}
    assert qti21.parse(qti21.export([numeric]).data).questions == [numeric]


def test_images_of_a_package_leave_no_reference_behind_and_none_is_exported():
    body = (
        '<p>Which sign? <img src="images/sign.png" alt="Stop sign"/> See '
        '<a href="docs/rules.pdf">the rules</a> or <a href="https://example.com">the web</a>.</p>'
        + CHOICES.format(most=1)
    )
    declaration = """<responseDeclaration identifier="RESPONSE" cardinality="single"
        baseType="identifier"><correctResponse><value>A</value></correctResponse>
      </responseDeclaration>"""
    data = item_xml(declaration, body, MAP_RESPONSE.replace("map_response", "match_correct"))

    report = qti21.parse(package({"imsmanifest.xml": MANIFEST, "items/one.xml": data}))

    text = report.questions[0]["text"]["en"]
    assert "[image: Stop sign]" in text and "the rules" in text
    assert "images/sign.png" not in text and "docs/rules.pdf" not in text
    assert '<a href="https://example.com">the web</a>' in text
    assert "not imported: images/sign.png, docs/rules.pdf (only" in report.warnings[0].message
    exported = b"".join(exported_items(report.questions).values())
    assert b"sign.png" not in exported and b"rules.pdf" not in exported


# --- images of the package ------------------------------------------------------------------

RED, BLUE = images.image("PNG", (200, 30, 30)), images.image("JPEG", (30, 30, 200))
RED_SHA, BLUE_SHA = hashlib.sha256(RED).hexdigest(), hashlib.sha256(BLUE).hexdigest()
PICTURE_BODY = (
    '<p>Which sign? <img src="../images/sign%20red.png" alt="Stop sign" width="40"/></p>'
    + CHOICES.format(most=1).replace(
        '<simpleChoice identifier="D">Shenzhen</simpleChoice>',
        '<simpleChoice identifier="D"><img src="../images/port.jpg" alt="a port"/></simpleChoice>',
    )
)
ANSWER_A = """<responseDeclaration identifier="RESPONSE" cardinality="single"
    baseType="identifier"><correctResponse><value>A</value></correctResponse>
  </responseDeclaration>"""


def picture_package(**extra: bytes) -> bytes:
    data = item_xml(ANSWER_A, PICTURE_BODY, MAP_RESPONSE.replace("map_response", "match_correct"))
    members = {"imsmanifest.xml": MANIFEST, "items/one.xml": data}
    return package(members | {"images/sign red.png": RED, "images/port.jpg": BLUE} | extra)


def test_images_the_package_holds_become_question_media():
    report = qti21.parse(picture_package())

    assert report.ok, report.errors
    question = report.questions[0]
    assert question["text"]["en"] == (
        f'<p>Which sign? <img src="media-pending:{RED_SHA}" alt="Stop sign" width="40" /></p>'
        "\n\nWhich ports are in Zhejiang?"
    )
    assert question["content"]["options"][3]["text"]["en"] == (
        f'<img src="media-pending:{BLUE_SHA}" alt="a port" />'
    )
    assert {d: (f.name, f.content_type) for d, f in report.media.items()} == {
        RED_SHA: ("sign red.png", "image/png"),
        BLUE_SHA: ("port.jpg", "image/jpeg"),
    }
    assert report.warnings == []


def test_a_refused_image_of_the_package_is_dropped_naming_why():
    report = qti21.parse(picture_package(**{"images/port.jpg": images.SVG}))

    assert list(report.media) == [RED_SHA]
    assert report.questions[0]["content"]["options"][3]["text"]["en"] == "[image: a port]"
    assert [w.message for w in report.warnings] == [
        "not kept: port.jpg is an SVG image, which can hold scripts; SVG is refused",
        "not imported: ../images/port.jpg (only images in the file itself are imported); the "
        "text says [image: …] or [file: …] where each one was",
    ]


def test_an_image_outside_the_package_is_never_read():
    body = '<p>Secret <img src="../../../etc/passwd" alt="x"/></p>' + CHOICES.format(most=1)
    data = item_xml(ANSWER_A, body, MAP_RESPONSE.replace("map_response", "match_correct"))

    report = qti21.parse(package({"imsmanifest.xml": MANIFEST, "items/one.xml": data}))

    assert report.media == {}
    assert "[image: x]" in report.questions[0]["text"]["en"]


def bank_image_question(url: str, other: str) -> dict:
    return sample(
        "single_choice",
        f"Which sign is this? ![Stop sign]({url})",
        {
            "options": [
                {"id": "a", "text": {"en": "Stop"}},
                {"id": "b", "text": {"en": f"![Go]({other})"}},
            ]
        },
        {"correct": "a"},
    )


def test_export_puts_the_bank_images_in_the_package_and_reads_them_back():
    url, other = "/exams/media/AbCdEfGhIjKlMnOp/sign.png", "/exams/media/QrStUvWxYz012345/sign.png"
    media = {url: MediaFile("sign.png", RED, "image/png"), other: MediaFile("sign.png", BLUE, "x")}
    questions = [bank_image_question(url, other), bank_image_question(other, url)]

    result = qti21.export(questions, media=media)

    assert result.warnings == []
    with zipfile.ZipFile(io.BytesIO(result.data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    assert members["items/media/sign.png"] == RED and members["items/media/2-sign.png"] == BLUE
    item = fromstring(members["items/q0001.xml"])
    sources = [e.get("src") for e in item.iter(f"{QTI_NS}img")]
    assert sources == ["media/sign.png", "media/2-sign.png"]
    assert b"/exams/media/" not in b"".join(members.values())
    manifest = fromstring(members["imsmanifest.xml"])
    files = [f.get("href") for f in manifest.iter("{http://www.imsglobal.org/xsd/imscp_v1p1}file")]
    assert files.count("items/media/sign.png") == 2 and "items/media/2-sign.png" in files
    report = qti21.parse(result.data)
    assert report.ok and report.warnings == []
    first = report.questions[0]
    assert first["text"]["en"] == f"Which sign is this? ![Stop sign](media-pending:{RED_SHA})"
    assert first["content"]["options"][1]["text"]["en"] == f"![Go](media-pending:{BLUE_SHA})"
    assert {d: f.data for d, f in report.media.items()} == {RED_SHA: RED, BLUE_SHA: BLUE}


def test_a_changed_item_of_our_export_still_gives_its_images_back():
    url, other = "/exams/media/AbCdEfGhIjKlMnOp/sign.png", "/exams/media/QrStUvWxYz012345/go.png"
    media = {url: MediaFile("sign.png", RED, "image/png"), other: MediaFile("go.png", BLUE, "x")}
    data = bytearray(qti21.export([bank_image_question(url, other)], media=media).data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["items/q0001.xml"] = members["items/q0001.xml"].replace(b"Which", b"What")

    report = qti21.parse(package(members))

    text = report.questions[0]["text"]["en"]
    assert f'src="media-pending:{RED_SHA}"' in text and text.startswith("<p>What sign")
    assert set(report.media) == {RED_SHA, BLUE_SHA}


def test_export_warns_for_an_image_it_was_not_given():
    url = "/exams/media/AbCdEfGhIjKlMnOp/sign.png"

    result = qti21.export([bank_image_question(url, url)], media={})

    assert [str(w) for w in result.warnings] == [
        "question 1: image sign.png is not one of this bank's files; the text still links to it"
    ]
