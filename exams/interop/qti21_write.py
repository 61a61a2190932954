"""Writing questions as an IMS QTI 2.1 content package: one assessmentItem per question.

Text is written as plain <p> paragraphs with <br/> line breaks, so qti21.parse reads it back
exactly; other players show the Markdown source as it is.  The points are the MAXSCORE
outcome.  Multiple choice with partial credit and matching use map_response, fill_blanks and
numeric use their own response processing (a sum of mapResponse, an <equal> with tolerance).
Competency, difficulty, general feedback and practical tasks have no place in an item.
"""

import io
import re
import zipfile
from decimal import Decimal

# Only for writing: untrusted input is always parsed with defusedxml (common.load_xml).
from xml.etree.ElementTree import Element, SubElement, tostring

from django.utils.translation import gettext as _

from .common import (
    GAP_RE,
    common_losses,
    decimal_text,
    parse_decimal,
    pick,
    select_exportable,
    xml_safe,
)
from .report import ExportResult

QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_ITEM_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
_CP_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/qtiv2p1_imscpv1p2_v1p0.xsd"
_TEMPLATES = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/"
_SAFE_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_TRUE_FALSE = {"en": ("True", "False"), "zh-hans": ("正确", "错误")}
_LANG = {"en": "en", "zh-hans": "zh-Hans"}
# A fixed timestamp makes the same questions give the same zip bytes.
_STAMP = (2020, 1, 1, 0, 0, 0)


def cannot_express(question: dict) -> str | None:
    """Why a QTI 2.1 item (as we write it) cannot hold this question, or None."""
    if question.get("kind") == "practical":
        return _("QTI 2.1 has no rubric-graded practical task")
    return None


def losses(question: dict, language: str = "en") -> list[str]:
    """What a QTI export of this question drops."""
    kind, key, content = question["kind"], question["key"], question["content"]
    found = common_losses(
        question, language=language, difficulty=False, competency=False, feedback=False
    )
    if kind == "ordering" and key.get("scoring") == "partial":
        found.append(_("partial credit for ordering (written as all-or-nothing)"))
    if kind == "fill_blanks" and key.get("normalise_whitespace") is False:
        found.append(_("exact whitespace matching"))
    if kind == "essay" and (content.get("min_words") or content.get("max_words")):
        found.append(_("word limits"))
    return found


# --- text ------------------------------------------------------------------------------------


def qti_id(ident: str) -> str:
    """An id as a QTI identifier, which may not start with a digit."""
    return ident if _SAFE_ID.fullmatch(ident) else "id_" + re.sub(r"[^\w.-]", "_", ident)


def _add_text(parent: Element, text: str) -> None:
    """Append text after the last child of an element, or as its text."""
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _inline(parent: Element, text: str, gaps: bool = False) -> None:
    """Write text into an element: line breaks as <br/>, [[n]] gaps as text entries."""
    for piece in re.split(r"(\n|\[\[\d+\]\])", xml_safe(text)):
        gap = GAP_RE.fullmatch(piece) if gaps else None
        if piece == "\n":
            SubElement(parent, "br")
        elif gap:
            attrs = {"responseIdentifier": f"RESPONSE_{gap.group(1)}", "expectedLength": "20"}
            SubElement(parent, "textEntryInteraction", attrs)
        elif piece:
            _add_text(parent, piece)


def _paragraphs(parent: Element, text: str, gaps: bool = False) -> None:
    """Write Markdown text as plain paragraphs, which the reader turns back into the text."""
    for paragraph in text.split("\n\n"):
        _inline(SubElement(parent, "p"), paragraph, gaps)


def _choices(parent: Element, tag: str, entries: list[dict], language: str, **attrs) -> None:
    """One choice element per {"id", "text"} entry."""
    for entry in entries:
        choice = SubElement(parent, tag, {"identifier": qti_id(entry["id"]), **attrs})
        _inline(choice, pick(entry["text"], language))


# --- declarations ----------------------------------------------------------------------------


def _declare(item: Element, ident: str, cardinality: str, base: str, correct: list[str]):
    """Add a responseDeclaration with its correct values."""
    attrs = {"identifier": ident, "cardinality": cardinality, "baseType": base}
    decl = SubElement(item, "responseDeclaration", attrs)
    if correct:
        values = SubElement(decl, "correctResponse")
        for value in correct:
            SubElement(values, "value").text = xml_safe(value)
    return decl


def _mapping(decl: Element, entries: list[tuple[str, Decimal]], **extra: str) -> Element:
    """Add a mapping from values to scores."""
    mapping = SubElement(decl, "mapping", {"defaultValue": "0", **extra})
    for key, value in entries:
        SubElement(mapping, "mapEntry", {"mapKey": key, "mappedValue": decimal_text(value, 6)})
    return mapping


def _outcomes(item: Element, points: str) -> None:
    """SCORE, and MAXSCORE holding the question's points."""
    for ident, value in (("SCORE", "0"), ("MAXSCORE", points)):
        attrs = {"identifier": ident, "cardinality": "single", "baseType": "float"}
        outcome = SubElement(item, "outcomeDeclaration", attrs)
        SubElement(SubElement(outcome, "defaultValue"), "value").text = value


# --- one writer per kind: add declarations, return (body builder, processing) ----------------


def _choice(item: Element, question: dict, language: str):
    """Single choice, multiple choice and true/false as a choiceInteraction."""
    kind, key = question["kind"], question["key"]
    if kind == "true_false":
        labels = _TRUE_FALSE.get(language, _TRUE_FALSE["en"])
        options = [
            {"id": "true", "text": {language: labels[0]}},
            {"id": "false", "text": {language: labels[1]}},
        ]
        correct = ["true" if key["correct"] else "false"]
    else:
        options = question["content"]["options"]
        correct = [key["correct"]] if kind == "single_choice" else list(key["correct"])
    single = kind != "multiple_choice"
    cardinality = "single" if single else "multiple"
    decl = _declare(item, "RESPONSE", cardinality, "identifier", [qti_id(c) for c in correct])
    partial = not single and key.get("scoring") == "partial"
    if partial:
        wrong = [o["id"] for o in options if o["id"] not in correct]
        penalty = parse_decimal(key.get("penalty", "1")) or Decimal(0)
        entries = [(qti_id(c), Decimal(1) / len(correct)) for c in correct]
        entries += [(qti_id(w), -penalty / len(wrong)) for w in wrong if penalty]
        _mapping(decl, entries, lowerBound="0", upperBound="1")

    def body(parent: Element) -> None:
        attrs = {"responseIdentifier": "RESPONSE", "shuffle": "false"}
        interaction = SubElement(parent, "choiceInteraction", attrs)
        interaction.set("maxChoices", "1" if single else "0")
        _choices(interaction, "simpleChoice", options, language)

    return body, "map_response" if partial else "match_correct"


def _fill_blanks(item: Element, question: dict, language: str):
    """One string textEntryInteraction per gap, scored by the sum of their mappings."""
    sensitive = "true" if question["key"].get("case_sensitive") else "false"
    sum_ = Element("sum")
    for number, blank in enumerate(question["key"]["blanks"], start=1):
        ident = f"RESPONSE_{number}"
        decl = _declare(item, ident, "single", "string", blank["accepted"][:1])
        mapping = _mapping(decl, [], upperBound="1")
        for accepted in blank["accepted"]:
            attrs = {"mapKey": xml_safe(accepted), "mappedValue": "1", "caseSensitive": sensitive}
            SubElement(mapping, "mapEntry", attrs)
        SubElement(sum_, "mapResponse", {"identifier": ident})
    processing = Element("responseProcessing")
    SubElement(processing, "setOutcomeValue", {"identifier": "SCORE"}).append(sum_)
    return None, processing


def _numeric(item: Element, question: dict, language: str):
    """A float textEntryInteraction compared with <equal> and the key's tolerance."""
    key = question["key"]
    _declare(item, "RESPONSE", "single", "float", [key["value"]])
    tolerance = parse_decimal(key.get("tolerance", "0")) or Decimal(0)
    relative = key.get("tolerance_mode") == "relative"
    equal = Element("equal", {"toleranceMode": "relative" if relative else "absolute"})
    equal.set("tolerance", decimal_text(tolerance * 100 if relative else tolerance))
    SubElement(equal, "variable", {"identifier": "RESPONSE"})
    SubElement(equal, "correct", {"identifier": "RESPONSE"})
    processing = Element("responseProcessing")
    branch = SubElement(SubElement(processing, "responseCondition"), "responseIf")
    branch.append(equal)
    score = SubElement(branch, "setOutcomeValue", {"identifier": "SCORE"})
    SubElement(score, "variable", {"identifier": "MAXSCORE"})

    def body(parent: Element) -> None:
        entry = SubElement(parent, "p")
        SubElement(entry, "textEntryInteraction", {"responseIdentifier": "RESPONSE"})
        if question["content"].get("unit"):
            _add_text(entry, " " + xml_safe(question["content"]["unit"]))

    return body, processing


def _matching(item: Element, question: dict, language: str):
    """A matchInteraction: prompts in the first set, choices in the second."""
    content, pairs = question["content"], question["key"]["pairs"]
    values = [f"{qti_id(p)} {qti_id(c)}" for p, c in pairs.items()]
    decl = _declare(item, "RESPONSE", "multiple", "directedPair", values)
    _mapping(decl, [(v, Decimal(1)) for v in values])

    def body(parent: Element) -> None:
        count = str(len(content["prompts"]))
        attrs = {"responseIdentifier": "RESPONSE", "shuffle": "true", "maxAssociations": count}
        interaction = SubElement(parent, "matchInteraction", attrs)
        tag = "simpleAssociableChoice"
        for entries, most in ((content["prompts"], "1"), (content["choices"], count)):
            match_set = SubElement(interaction, "simpleMatchSet")
            _choices(match_set, tag, entries, language, matchMax=most)

    return body, "map_response"


def _ordering(item: Element, question: dict, language: str):
    """An orderInteraction, all-or-nothing."""
    order = [qti_id(i) for i in question["key"]["order"]]
    _declare(item, "RESPONSE", "ordered", "identifier", order)

    def body(parent: Element) -> None:
        attrs = {"responseIdentifier": "RESPONSE", "shuffle": "true"}
        interaction = SubElement(parent, "orderInteraction", attrs)
        _choices(interaction, "simpleChoice", question["content"]["items"], language)

    return body, "match_correct"


def _essay(item: Element, question: dict, language: str):
    """An extendedTextInteraction; the guidance goes in a rubricBlock for scorers."""
    _declare(item, "RESPONSE", "single", "string", [])
    guidance = pick(question["key"].get("guidance"), language)

    def body(parent: Element) -> None:
        if guidance:
            _paragraphs(SubElement(parent, "rubricBlock", {"view": "scorer"}), guidance)
        SubElement(parent, "extendedTextInteraction", {"responseIdentifier": "RESPONSE"})

    return body, None


_WRITERS = {
    "single_choice": _choice,
    "multiple_choice": _choice,
    "true_false": _choice,
    "fill_blanks": _fill_blanks,
    "numeric": _numeric,
    "matching": _matching,
    "ordering": _ordering,
    "essay": _essay,
}


def _short(question: dict, language: str) -> str:
    """The start of the text, for items without a title (QTI requires one)."""
    return " ".join(pick(question["text"], language).split())[:40]


def item_xml(question: dict, ident: str, language: str) -> bytes:
    """One question as a QTI 2.1 assessmentItem document."""
    item = Element(
        "assessmentItem",
        {
            "xmlns": QTI_NS,
            "xmlns:xsi": _XSI,
            "xsi:schemaLocation": f"{QTI_NS} {_ITEM_XSD}",
            "identifier": ident,
            "title": xml_safe(question.get("title") or _short(question, language)),
            "adaptive": "false",
            "timeDependent": "false",
            "xml:lang": _LANG.get(language, language),
        },
    )
    build, processing = _WRITERS[question["kind"]](item, question, language)
    _outcomes(item, question["points"])
    body = SubElement(item, "itemBody")
    _paragraphs(body, pick(question["text"], language), gaps=question["kind"] == "fill_blanks")
    if build:
        build(body)
    if isinstance(processing, str):
        SubElement(item, "responseProcessing", {"template": _TEMPLATES + processing})
    elif processing is not None:
        item.append(processing)
    return tostring(item, encoding="UTF-8", xml_declaration=True)


def _manifest(resources: list[tuple[str, str]]) -> bytes:
    """The imsmanifest.xml listing every item."""
    manifest = Element(
        "manifest",
        {
            "xmlns": CP_NS,
            "xmlns:xsi": _XSI,
            "xsi:schemaLocation": f"{CP_NS} {_CP_XSD}",
            "identifier": "MANIFEST-cbec-academy",
        },
    )
    metadata = SubElement(manifest, "metadata")
    SubElement(metadata, "schema").text = "QTIv2.1 Package"
    SubElement(metadata, "schemaversion").text = "1.0.0"
    SubElement(manifest, "organizations")
    listing = SubElement(manifest, "resources")
    for ident, href in resources:
        attrs = {"identifier": ident, "type": "imsqti_item_xmlv2p1", "href": href}
        SubElement(SubElement(listing, "resource", attrs), "file", {"href": href})
    return tostring(manifest, encoding="UTF-8", xml_declaration=True)


def export(questions: list[dict], *, language: str = "en") -> ExportResult:
    """A zip content package: imsmanifest.xml plus items/qNNNN.xml per question."""
    chosen, warnings = select_exportable(questions, cannot_express, lambda q: losses(q, language))
    buffer, resources = io.BytesIO(), []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, question in chosen:
            ident, href = f"q{number:04d}", f"items/q{number:04d}.xml"
            resources.append((ident, href))
            info = zipfile.ZipInfo(href, _STAMP)
            archive.writestr(info, item_xml(question, ident, language), zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("imsmanifest.xml", _STAMP)
        archive.writestr(info, _manifest(resources), zipfile.ZIP_DEFLATED)
    return ExportResult(buffer.getvalue(), warnings)
