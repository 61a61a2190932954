"""QTI 3.0 items and packages: read by the QTI 2.1 reader after renaming, written as QTI 2.1."""

import hashlib
import io
import re
import zipfile
from xml.etree.ElementTree import Element, SubElement, fromstring, tostring

import pytest

from exams.interop import FORMATS, qti30
from exams.interop.xhtml import QTI_TAGS

from . import images
from .test_round_trip import QUESTIONS

NS = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
TEMPLATES = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/"


def item(body: str, declarations: str, processing: str = "", extra: str = "", **attrs) -> bytes:
    """A qti-assessment-item as the QTI 3.0 specification writes one."""
    more = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-item xmlns="{NS}" identifier="item-1" title="Sample" adaptive="false"
    time-dependent="false" xml:lang="en"{more}>
  {declarations}
  <qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"/>
  <qti-item-body>{body}</qti-item-body>
  {processing}
  {extra}
</qti-assessment-item>""".encode()


def template(name: str) -> str:
    return f'<qti-response-processing template="{TEMPLATES}{name}.xml"/>'


def declaration(cardinality: str, base: str, *values: str, mapping: str = "") -> str:
    correct = "".join(f"<qti-value>{v}</qti-value>" for v in values)
    correct = f"<qti-correct-response>{correct}</qti-correct-response>" if values else ""
    return (
        f'<qti-response-declaration identifier="RESPONSE" cardinality="{cardinality}" '
        f'base-type="{base}">{correct}{mapping}</qti-response-declaration>'
    )


def maxscore(points: str) -> str:
    return (
        '<qti-outcome-declaration identifier="MAXSCORE" cardinality="single" base-type="float">'
        f"<qti-default-value><qti-value>{points}</qti-value></qti-default-value>"
        "</qti-outcome-declaration>"
    )


CHOICE = """<p>Which port handles most <strong>CBEC</strong> parcels?</p>
<qti-choice-interaction response-identifier="RESPONSE" max-choices="{most}" shuffle="true">
  <qti-simple-choice identifier="A">Ningbo</qti-simple-choice>
  <qti-simple-choice identifier="B">Shenzhen</qti-simple-choice>
  <qti-simple-choice identifier="C">Hangzhou</qti-simple-choice>
</qti-choice-interaction>"""


def parse(data: bytes):
    report = qti30.parse(data)
    assert report.ok, report.errors
    return report


def test_a_single_choice_item_with_the_match_correct_template():
    report = parse(
        item(
            CHOICE.format(most=1),
            declaration("single", "identifier", "B"),
            template("match_correct"),
        )
    )

    (question,) = report.questions
    assert question["kind"] == "single_choice"
    assert question["text"] == {
        "en": "<p>Which port handles most <strong>CBEC</strong> parcels?</p>"
    }
    assert [o["text"]["en"] for o in question["content"]["options"]] == [
        "Ningbo",
        "Shenzhen",
        "Hangzhou",
    ]
    assert question["key"] == {"correct": "B"}
    assert (question["points"], question["title"]) == ("1", "Sample")
    assert report.warnings == []


def test_mapped_scores_of_a_multiple_choice_become_partial_credit():
    mapping = (
        '<qti-mapping default-value="0" lower-bound="0">'
        '<qti-map-entry map-key="A" mapped-value="1.5"/>'
        '<qti-map-entry map-key="B" mapped-value="1.5"/>'
        '<qti-map-entry map-key="C" mapped-value="-1"/></qti-mapping>'
    )

    report = parse(
        item(
            CHOICE.format(most=0),
            declaration("multiple", "identifier", "A", "B", mapping=mapping),
            template("map_response"),
        )
    )

    question = report.questions[0]
    assert question["kind"] == "multiple_choice"
    assert question["key"] == {"correct": ["A", "B"], "scoring": "partial", "penalty": "0.3333"}
    assert question["points"] == "3"


def test_a_float_text_entry_is_numeric_with_the_tolerance_of_its_equal():
    body = (
        "<p>What is the gross weight?</p>"
        '<p><qti-text-entry-interaction response-identifier="RESPONSE" expected-length="6"/>'
        " kg</p>"
    )
    processing = """<qti-response-processing><qti-response-condition><qti-response-if>
      <qti-equal tolerance-mode="absolute" tolerance="0.1">
        <qti-variable identifier="RESPONSE"/><qti-correct identifier="RESPONSE"/></qti-equal>
      <qti-set-outcome-value identifier="SCORE"><qti-variable identifier="MAXSCORE"/>
      </qti-set-outcome-value></qti-response-if></qti-response-condition>
    </qti-response-processing>"""

    report = parse(item(body, declaration("single", "float", "12.8") + maxscore("2"), processing))

    question = report.questions[0]
    assert question["kind"] == "numeric"
    assert question["content"] == {"unit": "kg"}
    assert question["key"] == {"value": "12.8", "tolerance": "0.1", "tolerance_mode": "absolute"}
    assert question["points"] == "2"


def test_string_text_entries_with_case_insensitive_mappings_are_fill_in_blanks():
    decls = "".join(
        f'<qti-response-declaration identifier="R{n}" cardinality="single" base-type="string">'
        f"<qti-correct-response><qti-value>{answer}</qti-value></qti-correct-response>"
        f'<qti-mapping default-value="0"><qti-map-entry map-key="{answer}" mapped-value="1" '
        f'case-sensitive="false"/></qti-mapping></qti-response-declaration>'
        for n, answer in ((1, "Amazon"), (2, "DHL"))
    )
    body = (
        '<p><qti-text-entry-interaction response-identifier="R1"/> is a marketplace; '
        '<qti-text-entry-interaction response-identifier="R2"/> is a carrier.</p>'
    )
    processing = """<qti-response-processing><qti-set-outcome-value identifier="SCORE">
      <qti-sum><qti-map-response identifier="R1"/><qti-map-response identifier="R2"/></qti-sum>
      </qti-set-outcome-value></qti-response-processing>"""

    question = parse(item(body, decls, processing)).questions[0]

    assert question["kind"] == "fill_blanks"
    assert question["text"] == {"en": "[[1]] is a marketplace; [[2]] is a carrier."}
    assert question["key"]["blanks"] == [{"accepted": ["Amazon"]}, {"accepted": ["DHL"]}]
    assert question["key"]["case_sensitive"] is False
    assert question["points"] == "2"


def test_an_order_interaction_is_ordering():
    body = """<qti-order-interaction response-identifier="RESPONSE" shuffle="true">
      <qti-prompt>Put the export steps in order.</qti-prompt>
      <qti-simple-choice identifier="pack">Pack</qti-simple-choice>
      <qti-simple-choice identifier="declare">Declare</qti-simple-choice>
      <qti-simple-choice identifier="ship">Ship</qti-simple-choice>
    </qti-order-interaction>"""

    question = parse(
        item(
            body,
            declaration("ordered", "identifier", "pack", "declare", "ship"),
            template("match_correct"),
        )  # fmt: skip
    ).questions[0]

    assert question["kind"] == "ordering"
    assert question["text"] == {"en": "Put the export steps in order."}
    assert question["key"] == {"order": ["pack", "declare", "ship"], "scoring": "all_or_nothing"}


def test_an_extended_text_with_a_scorer_rubric_block_is_an_essay_with_guidance():
    body = """<p>Describe a returns policy.</p>
    <qti-rubric-block use="scoring" view="scorer"><qti-content-body>
      <p>Mentions <em>cost</em> and time.</p></qti-content-body></qti-rubric-block>
    <qti-extended-text-interaction response-identifier="RESPONSE" expected-lines="10"/>"""

    question = parse(item(body, declaration("single", "string"))).questions[0]

    assert question["kind"] == "essay"
    assert question["text"] == {"en": "Describe a returns policy."}
    assert question["key"] == {"guidance": {"en": "<p>Mentions <em>cost</em> and time.</p>"}}


def test_a_match_interaction_scored_by_its_mapping_is_matching():
    def choices(most: int, **names: str) -> str:
        return "".join(
            f'<qti-simple-associable-choice identifier="{ident}" match-max="{most}">{text}'
            "</qti-simple-associable-choice>"
            for ident, text in names.items()
        )

    body = f"""<qti-match-interaction response-identifier="RESPONSE" max-associations="2">
      <qti-prompt>Match the platform to its home market.</qti-prompt>
      <qti-simple-match-set>{choices(1, shopee="Shopee", meli="Mercado Libre")}
      </qti-simple-match-set>
      <qti-simple-match-set>{choices(2, ar="Argentina", sg="Singapore")}</qti-simple-match-set>
    </qti-match-interaction>"""
    mapping = (
        '<qti-mapping default-value="0"><qti-map-entry map-key="shopee sg" mapped-value="1"/>'
        '<qti-map-entry map-key="meli ar" mapped-value="1"/></qti-mapping>'
    )

    question = parse(
        item(
            body,
            declaration("multiple", "directedPair", "shopee sg", "meli ar", mapping=mapping),
            template("map_response"),
        )  # fmt: skip
    ).questions[0]

    assert question["kind"] == "matching"
    assert question["key"] == {"pairs": {"shopee": "sg", "meli": "ar"}}
    assert question["points"] == "2"


def test_what_our_kinds_cannot_hold_is_named_as_the_qti21_reader_names_it():
    modal = (
        '<qti-modal-feedback outcome-identifier="FEEDBACK" identifier="right" show-hide="show">'
        "<qti-content-body>Well done.</qti-content-body></qti-modal-feedback>"
    )
    body = CHOICE.format(most=1).replace(
        "</qti-choice-interaction>",
        '</qti-choice-interaction><qti-feedback-block outcome-identifier="FEEDBACK" '
        'identifier="right" show-hide="show"><qti-content-body>Yes</qti-content-body>'
        "</qti-feedback-block>",
    )

    report = parse(
        item(body, declaration("single", "identifier", "B"), template("match_correct"), modal)
    )

    assert [w.message for w in report.warnings] == [
        "not kept: feedback shown after answering (modalFeedback); feedback inside the question "
        "(feedbackBlock, feedbackInline)"
    ]
    assert "Yes" not in report.questions[0]["text"]["en"]


def test_an_interaction_we_have_no_kind_for_is_skipped_with_a_warning():
    body = '<qti-hotspot-interaction response-identifier="RESPONSE" max-choices="1"/>'

    report = qti30.parse(item(body, declaration("single", "identifier", "A")))

    assert report.questions == [] and report.errors == []
    assert [w.message for w in report.warnings] == [
        "unsupported interactions (hotspotInteraction); skipped"
    ]


def test_own_response_processing_without_a_correct_response_is_refused():
    processing = """<qti-response-processing><qti-response-condition><qti-response-if>
      <qti-member><qti-base-value base-type="identifier">B</qti-base-value>
      <qti-variable identifier="RESPONSE"/></qti-member>
      <qti-set-outcome-value identifier="SCORE"><qti-base-value base-type="float">1
      </qti-base-value></qti-set-outcome-value></qti-response-if></qti-response-condition>
    </qti-response-processing>"""

    report = qti30.parse(
        item(CHOICE.format(most=1), declaration("single", "identifier"), processing)
    )

    assert report.questions == []
    assert "declares no correctResponse" in report.errors[0].message


# --- the shared fixtures (kennisnet/php-qti3) ---------------------------------------------------

FIXTURES = {
    # name: (kind, points, key, warnings)
    "kennisnet-choice-multiple-mapping.xml": (
        "multiple_choice",
        "2",
        {"correct": ["choice1", "choice2", "choice3"], "scoring": "partial", "penalty": "0"},
        ["the item shows no text of its own: its title is the text"],
    ),
    "kennisnet-match-map-response-template.xml": (
        "matching",
        "2",
        {"pairs": {"A1": "B1", "A2": "B2"}},
        [
            "not kept: feedback inside the question (feedbackBlock, feedbackInline)",
            "not imported: resources/38235d2e8e686e7b0cee9a3e716d339b.jpg, "
            "resources/ec2645308fe7bc038ac2c3093e66cbf9.png (only images in the file itself are "
            "imported); the text says [image: …] or [file: …] where each one was",
        ],
    ),
    "kennisnet-text-entry-match-correct-template.xml": (
        "fill_blanks",
        "1",
        {"blanks": [{"accepted": ["Test"]}], "case_sensitive": True, "normalise_whitespace": True},
        [],
    ),
}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_the_shared_qti3_items_read_as_expected(shared_fixtures, name):
    report = qti30.parse((shared_fixtures / "qti30" / name).read_bytes())

    kind, points, key, warnings = FIXTURES[name]
    assert report.ok, report.errors
    assert [(q["kind"], q["points"], q["key"]) for q in report.questions] == [(kind, points, key)]
    assert [w.message for w in report.warnings] == warnings


def test_a_qti3_package_with_the_shared_manifest_imports_its_item_and_images(shared_fixtures):
    folder = shared_fixtures / "qti30"
    match = (folder / "kennisnet-match-map-response-template.xml").read_bytes()
    jpg, png = images.image("JPEG"), images.image("PNG")
    members = {
        "imsmanifest.xml": (folder / "kennisnet-imsmanifest-v3p1.xml").read_bytes(),
        "item.xml": match,
        "resources/38235d2e8e686e7b0cee9a3e716d339b.jpg": jpg,
        "resources/ec2645308fe7bc038ac2c3093e66cbf9.png": png,
    }

    report = qti30.parse(zipped(members))

    assert report.ok, report.errors
    choices = report.questions[0]["content"]["choices"]
    digests = [hashlib.sha256(d).hexdigest() for d in (jpg, png)]
    assert [c["text"]["en"] for c in choices] == [
        f'<img src="media-pending:{d}" alt="" />' for d in digests
    ]
    assert sorted(report.media) == sorted(digests)
    assert [w.message for w in report.warnings] == [
        "not kept: feedback inside the question (feedbackBlock, feedbackInline)"
    ]


def test_a_qti3_test_in_a_package_is_read_for_its_items_only(shared_fixtures):
    manifest = (shared_fixtures / "qti30" / "kennisnet-imsmanifest-v3p1.xml").read_bytes()
    manifest = manifest.replace(
        b"</resources>",
        b'<resource identifier="T" type="imsqti_test_xmlv3p0" href="test.xml"/></resources>',
    )
    item_xml = shared_fixtures / "qti30" / "kennisnet-text-entry-match-correct-template.xml"

    report = qti30.parse(zipped({"imsmanifest.xml": manifest, "item.xml": item_xml.read_bytes()}))

    assert len(report.questions) == 1
    assert [w.message for w in report.warnings] == [
        "the test structure is not imported, only its items"
    ]


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --- the same items in QTI 3.0 read as in QTI 2.1 -------------------------------------------


def kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "-" + m.group(1).lower(), name)


def as_qti3(element: Element) -> Element:
    """A QTI 2.1 element (and its content) renamed as QTI 3.0 writes it."""
    name = element.tag.rsplit("}", 1)[-1]
    if name in QTI_TAGS:
        copy = Element(f"{{{NS}}}{name}", element.attrib)
    else:
        attrs = {(k if k.startswith("{") else kebab(k)): v for k, v in element.attrib.items()}
        copy = Element(f"{{{NS}}}qti-{kebab(name)}", attrs)
    holder = copy
    if name in ("rubricBlock", "modalFeedback"):
        holder = SubElement(copy, f"{{{NS}}}qti-content-body")
    holder.text = element.text
    for child in element:
        converted = as_qti3(child)
        converted.tail = child.tail
        holder.append(converted)
    return copy


def qti3_package(package: bytes) -> bytes:
    """Our QTI 2.1 export with every item rewritten as QTI 3.0."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    for name in list(members):
        if name.startswith("items/") and name.endswith(".xml"):
            members[name] = tostring(as_qti3(fromstring(members[name])), encoding="UTF-8")
    members["imsmanifest.xml"] = members["imsmanifest.xml"].replace(
        b"imsqti_item_xmlv2p1", b"imsqti_item_xmlv3p0"
    )
    return zipped(members)


def test_every_kind_reads_the_same_from_qti3_as_from_qti21():
    package = FORMATS["qti21"].export(QUESTIONS).data
    as_21 = FORMATS["qti21"].parse(package)

    as_30 = FORMATS["qti30"].parse(qti3_package(package))

    assert as_30.ok, as_30.errors
    assert b"qti-choice-interaction" in zipfile.ZipFile(io.BytesIO(qti3_package(package))).read(
        "items/q0001.xml"
    )
    # The changed items are read from their XHTML, not from our Markdown in the manifest.
    assert [q["kind"] for q in as_30.questions] == [q["kind"] for q in as_21.questions]
    for three, two in zip(as_30.questions, as_21.questions, strict=True):
        assert (three["key"], three["points"]) == (two["key"], two["points"])
        assert three["content"].keys() == two["content"].keys()
        if two.get("title"):  # without one, the item's title is the start of its text
            assert three["title"] == two["title"]


def test_an_export_in_the_qti30_format_is_a_qti21_package_and_says_so():
    result = FORMATS["qti30"].export(QUESTIONS)

    assert result.data == FORMATS["qti21"].export(QUESTIONS).data
    assert str(result.warnings[0]) == (
        "file: QTI 3.0 is read, not written: this is a QTI 2.1 content package"
    )
    assert result.warnings[1:] == FORMATS["qti21"].export(QUESTIONS).warnings
