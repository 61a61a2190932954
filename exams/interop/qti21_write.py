"""Writing questions as an IMS QTI 2.1 content package: one assessmentItem per question.

Texts are Markdown rendered and sanitised as our pages show them, written as XHTML of QTI's
profile (see exams.interop.xhtml), so every player shows bold as bold.  The Markdown each
text came from goes in the manifest as well, beside a SHA-256 of its item (our own metadata
element, which other tools ignore), so that our reader gets the texts back exactly as long as
the item is unchanged.  The points are the MAXSCORE outcome.  Multiple choice with partial
credit and matching use map_response; fill_blanks and numeric use their own response
processing (a sum of mapResponse, an <equal> with tolerance); ordering with partial credit
counts the items in their correct position with <index>.  Competency, difficulty, general
feedback and practical tasks have no place in an item.
"""

import hashlib
import io
import re
import zipfile
from decimal import Decimal

# Only for writing: untrusted input is always parsed with defusedxml (common.load_xml).
from xml.etree.ElementTree import Element, SubElement, tostring

from django.utils.translation import gettext as _

from .common import (
    common_losses,
    decimal_text,
    parse_decimal,
    pick,
    select_exportable,
    unknown_kind,
    xml_safe,
)
from .media import MEDIA_URL_RE, MediaFile, UniqueNames, missing_images
from .report import ExportResult, Issue, at_question
from .xhtml import write_markdown

QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_ITEM_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
_CP_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/qtiv2p1_imscpv1p2_v1p0.xsd"
# Our metadata in the manifest: the Markdown of each text of an item, for our own reader.
SOURCE_NS = "https://cbec-academy.org/xmlns/qti-markdown/1"
_TEMPLATES = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/"
_SAFE_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_TRUE_FALSE = {"en": ("True", "False"), "zh-hans": ("正确", "错误")}
_LANG = {"en": "en", "zh-hans": "zh-Hans"}
# A fixed timestamp makes the same questions give the same zip bytes.
_STAMP = (2020, 1, 1, 0, 0, 0)


def cannot_express(question: dict) -> str | None:
    """Why a QTI 2.1 item (as we write it) cannot hold this question, or None."""
    if unknown_kind(question):
        return unknown_kind(question)
    if question.get("kind") == "practical":
        return _("QTI 2.1 has no rubric-graded practical task")
    if question.get("kind") == "cloze":
        return _("cloze questions are not written as QTI yet; export them as Moodle XML")
    return None


def losses(question: dict, language: str = "en") -> list[str]:
    """What a QTI export of this question drops."""
    kind, key, content = question["kind"], question["key"], question["content"]
    found = common_losses(
        question, language=language, difficulty=False, competency=False, feedback=False
    )
    if kind == "fill_blanks" and key.get("normalise_whitespace") is False:
        found.append(_("exact whitespace matching"))
    if kind == "essay" and (content.get("min_words") or content.get("max_words")):
        found.append(_("word limits"))
    return found


# --- text ------------------------------------------------------------------------------------


def qti_id(ident: str) -> str:
    """An id as a QTI identifier, which may not start with a digit."""
    return ident if _SAFE_ID.fullmatch(ident) else "id_" + re.sub(r"[^\w.-]", "_", ident)


class PackageImages:
    """The bank images the items show, written as files of the package under items/media/.

    An item names its images relatively (media/name), in its XHTML and in the Markdown kept
    in the manifest alike, so the package reads back anywhere.
    """

    FOLDER = "media"

    def __init__(self, media: dict[str, MediaFile] | None = None):
        self.media = media or {}
        self.names = UniqueNames()
        self.used: dict[str, str] = {}
        self.missing: list[str] = []

    def start_item(self) -> None:
        self.used, self.missing = {}, []

    def __call__(self, url: str) -> str | None:
        """The address in the package of an image the bank holds, else None."""
        if url not in self.media:
            if MEDIA_URL_RE.fullmatch(url) and url not in self.missing:
                self.missing.append(url)
            return None
        self.used[url] = self.names(url)
        return f"{self.FOLDER}/{self.used[url]}"

    def markdown(self, text: str) -> str:
        """A text's source with the bank's image addresses made those of the package."""
        return MEDIA_URL_RE.sub(lambda m: self(m.group(0)) or m.group(0), text)


class _Texts:
    """The Markdown source of each text written into an item, by the part it fills."""

    def __init__(self, language: str, images: PackageImages | None = None):
        self.language = language
        self.images = images or PackageImages()
        self.sources: dict[str, str] = {}

    def write(self, parent: Element, part: str, text: str, **options) -> None:
        """Render a text into parent and keep its source under its part name."""
        self.sources[part] = xml_safe(self.images.markdown(text))
        write_markdown(parent, text, images=self.images, **options)

    def choices(self, parent: Element, tag: str, entries: list[dict], **attrs) -> None:
        """One choice element per {"id", "text"} entry."""
        for entry in entries:
            ident = qti_id(entry["id"])
            choice = SubElement(parent, tag, {"identifier": ident, **attrs})
            self.write(choice, f"choice:{ident}", pick(entry["text"], self.language), inline=True)


def _gap(parent: Element, number: int) -> None:
    """A text entry in place of the gap [[number]]."""
    attrs = {"responseIdentifier": f"RESPONSE_{number}", "expectedLength": "20"}
    SubElement(parent, "textEntryInteraction", attrs)


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


def _share(points: str, count: int) -> Decimal:
    """Each of `count` equal parts of the question's points, as a mapped value."""
    return (parse_decimal(points) or Decimal(1)) / count


def _all_or_nothing(question: dict):
    """match_correct scores 1; for other points, a match sets SCORE to MAXSCORE."""
    if parse_decimal(question["points"]) == 1:
        return "match_correct"
    processing = Element("responseProcessing")
    branch = SubElement(SubElement(processing, "responseCondition"), "responseIf")
    match = SubElement(branch, "match")
    SubElement(match, "variable", {"identifier": "RESPONSE"})
    SubElement(match, "correct", {"identifier": "RESPONSE"})
    score = SubElement(branch, "setOutcomeValue", {"identifier": "SCORE"})
    SubElement(score, "variable", {"identifier": "MAXSCORE"})
    return processing


def _choice(item: Element, question: dict, texts: _Texts):
    """Single choice, multiple choice and true/false as a choiceInteraction."""
    kind, key, language = question["kind"], question["key"], texts.language
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
        points = question["points"]
        wrong = [o["id"] for o in options if o["id"] not in correct]
        penalty = parse_decimal(key.get("penalty", "1")) or Decimal(0)
        entries = [(qti_id(c), _share(points, len(correct))) for c in correct]
        if penalty and wrong:
            entries += [(qti_id(w), -penalty * _share(points, len(wrong))) for w in wrong]
        _mapping(decl, entries, lowerBound="0", upperBound=points)

    def body(parent: Element) -> None:
        attrs = {"responseIdentifier": "RESPONSE", "shuffle": "false"}
        interaction = SubElement(parent, "choiceInteraction", attrs)
        interaction.set("maxChoices", "1" if single else "0")
        texts.choices(interaction, "simpleChoice", options)

    return body, "map_response" if partial else _all_or_nothing(question)


def _fill_blanks(item: Element, question: dict, texts: _Texts):
    """One string textEntryInteraction per gap, each worth its share, scored by their sum."""
    sensitive = "true" if question["key"].get("case_sensitive") else "false"
    blanks = question["key"]["blanks"]
    share = decimal_text(_share(question["points"], len(blanks)), 6)
    sum_ = Element("sum")
    for number, blank in enumerate(blanks, start=1):
        ident = f"RESPONSE_{number}"
        decl = _declare(item, ident, "single", "string", blank["accepted"][:1])
        mapping = _mapping(decl, [], upperBound=share)
        for accepted in blank["accepted"]:
            attrs = {"mapKey": xml_safe(accepted), "mappedValue": share, "caseSensitive": sensitive}
            SubElement(mapping, "mapEntry", attrs)
        SubElement(sum_, "mapResponse", {"identifier": ident})
    processing = Element("responseProcessing")
    SubElement(processing, "setOutcomeValue", {"identifier": "SCORE"}).append(sum_)
    return None, processing


def _numeric(item: Element, question: dict, texts: _Texts):
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
            entry[-1].tail = " " + xml_safe(question["content"]["unit"])

    return body, processing


def _matching(item: Element, question: dict, texts: _Texts):
    """A matchInteraction: prompts in the first set, choices in the second."""
    content, pairs = question["content"], question["key"]["pairs"]
    values = [f"{qti_id(p)} {qti_id(c)}" for p, c in pairs.items()]
    decl = _declare(item, "RESPONSE", "multiple", "directedPair", values)
    share = _share(question["points"], len(values))
    _mapping(decl, [(v, share) for v in values], upperBound=question["points"])

    def body(parent: Element) -> None:
        count = str(len(content["prompts"]))
        attrs = {"responseIdentifier": "RESPONSE", "shuffle": "true", "maxAssociations": count}
        interaction = SubElement(parent, "matchInteraction", attrs)
        tag = "simpleAssociableChoice"
        for entries, most in ((content["prompts"], "1"), (content["choices"], count)):
            match_set = SubElement(interaction, "simpleMatchSet")
            texts.choices(match_set, tag, entries, matchMax=most)

    return body, "map_response"


def position_scoring(count: int) -> Element:
    """Partial ordering: SCORE = MAXSCORE x (items in their correct position) / count."""
    processing = Element("responseProcessing")
    start = SubElement(processing, "setOutcomeValue", {"identifier": "SCORE"})
    SubElement(start, "baseValue", {"baseType": "float"}).text = "0"
    for position in range(1, count + 1):
        branch = SubElement(SubElement(processing, "responseCondition"), "responseIf")
        match = SubElement(branch, "match")
        for source in ("variable", "correct"):
            index = SubElement(match, "index", {"n": str(position)})
            SubElement(index, source, {"identifier": "RESPONSE"})
        add = SubElement(SubElement(branch, "setOutcomeValue", {"identifier": "SCORE"}), "sum")
        SubElement(add, "variable", {"identifier": "SCORE"})
        SubElement(add, "baseValue", {"baseType": "float"}).text = "1"
    scale = SubElement(processing, "setOutcomeValue", {"identifier": "SCORE"})
    product = SubElement(scale, "product")
    divide = SubElement(product, "divide")
    SubElement(divide, "variable", {"identifier": "SCORE"})
    SubElement(divide, "baseValue", {"baseType": "float"}).text = str(count)
    SubElement(product, "variable", {"identifier": "MAXSCORE"})
    return processing


def _ordering(item: Element, question: dict, texts: _Texts):
    """An orderInteraction, all-or-nothing or scored by the items in their correct position."""
    order = [qti_id(i) for i in question["key"]["order"]]
    _declare(item, "RESPONSE", "ordered", "identifier", order)

    def body(parent: Element) -> None:
        attrs = {"responseIdentifier": "RESPONSE", "shuffle": "true"}
        interaction = SubElement(parent, "orderInteraction", attrs)
        texts.choices(interaction, "simpleChoice", question["content"]["items"])

    if question["key"].get("scoring") == "partial":
        return body, position_scoring(len(order))
    return body, _all_or_nothing(question)


def _essay(item: Element, question: dict, texts: _Texts):
    """An extendedTextInteraction; the guidance goes in a rubricBlock for scorers."""
    _declare(item, "RESPONSE", "single", "string", [])
    guidance = pick(question["key"].get("guidance"), texts.language)

    def body(parent: Element) -> None:
        if guidance:
            block = SubElement(parent, "rubricBlock", {"view": "scorer"})
            texts.write(block, "guidance", guidance)
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


def item_xml(
    question: dict, ident: str, language: str, images: PackageImages | None = None
) -> tuple[bytes, dict[str, str]]:
    """One question as a QTI 2.1 assessmentItem document, and the Markdown of its texts.

    images: the bank's images the package holds (their addresses become relative).
    """
    item = Element(
        "assessmentItem",
        {
            "xmlns": QTI_NS,
            "xmlns:xsi": _XSI,
            "xsi:schemaLocation": f"{QTI_NS} {_ITEM_XSD}",
            "identifier": ident,
            "adaptive": "false",
            "timeDependent": "false",
            "xml:lang": _LANG.get(language, language),
        },
    )
    texts = _Texts(language, images)
    build, processing = _WRITERS[question["kind"]](item, question, texts)
    _outcomes(item, question["points"])
    body = SubElement(item, "itemBody")
    gap = _gap if question["kind"] == "fill_blanks" else None
    texts.write(body, "text", pick(question["text"], language), gap=gap)
    # QTI requires a title: without one, the start of the text as shown (our reader knows).
    texts.sources["title"] = xml_safe(question.get("title", ""))
    shown = " ".join("".join(body.itertext()).split())[:40]
    item.set("title", texts.sources["title"] or shown)
    if build:
        build(body)
    if isinstance(processing, str):
        SubElement(item, "responseProcessing", {"template": _TEMPLATES + processing})
    elif processing is not None:
        item.append(processing)
    return tostring(item, encoding="UTF-8", xml_declaration=True), texts.sources


def _sources(resource: Element, data: bytes, sources: dict[str, str]) -> None:
    """Our metadata of a resource: the Markdown of each text, and the item it belongs to."""
    metadata = SubElement(resource, "metadata")
    attrs = {"xmlns:cbec": SOURCE_NS, "item-sha256": hashlib.sha256(data).hexdigest()}
    holder = SubElement(metadata, "cbec:markdown", attrs)
    for part, text in sources.items():
        SubElement(holder, "cbec:text", {"part": part}).text = text


def _manifest(resources: list[tuple[str, str, bytes, dict[str, str], list[str]]]) -> bytes:
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
    for ident, href, data, sources, files in resources:
        attrs = {"identifier": ident, "type": "imsqti_item_xmlv2p1", "href": href}
        resource = SubElement(listing, "resource", attrs)
        _sources(resource, data, sources)
        for file in [href, *files]:
            SubElement(resource, "file", {"href": file})
    return tostring(manifest, encoding="UTF-8", xml_declaration=True)


def export(
    questions: list[dict], *, language: str = "en", media: dict[str, MediaFile] | None = None
) -> ExportResult:
    """A zip content package: imsmanifest.xml plus items/qNNNN.xml per question.

    media: the bank's images by address; those the items show go in items/media/.
    """
    chosen, warnings = select_exportable(questions, cannot_express, lambda q: losses(q, language))
    buffer, resources, images, written = io.BytesIO(), [], PackageImages(media), set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, question in chosen:
            ident, href = f"q{number:04d}", f"items/q{number:04d}.xml"
            images.start_item()
            data, sources = item_xml(question, ident, language, images)
            files = [f"items/{images.FOLDER}/{name}" for name in images.used.values()]
            resources.append((ident, href, data, sources, files))
            info = zipfile.ZipInfo(href, _STAMP)
            archive.writestr(info, data, zipfile.ZIP_DEFLATED)
            for url, file in zip(images.used, files, strict=True):
                if file not in written:
                    written.add(file)
                    archive.writestr(zipfile.ZipInfo(file, _STAMP), images.media[url].data)
            for message in missing_images(images.missing, {}):
                warnings.append(Issue(at_question(number), message))
        info = zipfile.ZipInfo("imsmanifest.xml", _STAMP)
        archive.writestr(info, _manifest(resources), zipfile.ZIP_DEFLATED)
    return ExportResult(buffer.getvalue(), warnings)
