"""Moodle XML question format (https://docs.moodle.org/en/Moodle_XML_format), read and written.

Read: multichoice (single true/false; fraction weights as in GIFT), truefalse, shortanswer
(one blank; a run of ___ in the text marks it, else it goes at the end), numerical (the first
100% answer and its absolute tolerance; a unit with multiplier 1), matching (empty
subquestions are distractor choices), essay (graderinfo becomes guidance, word limits kept),
ordering (Moodle 4.4+), cloze (embedded answers, see exams.interop.cloze: a first paragraph
without a gap is the question text) and category (its last path segment becomes the
competency).  description questions, and any other type, are skipped with a warning.
A question's <tags> and <coursetags> (each <tag><text>name</text></tag>, as Moodle writes
them) become its tags, trimmed and kept once whatever their case; a tag we cannot use (too
long, holding a comma, past the 20th) is left out with a warning naming it.  Its <idnumber>,
trimmed, is its ID number (one longer than 100 characters is left out with a warning).

Text in format "html" (or "markdown") is kept as written; our renderer sanitises HTML with nh3
when it shows Markdown.  Text in "plain_text" or "moodle_auto_format" is not Markdown in
Moodle, so its Markdown characters are escaped and it shows exactly as typed.  Images the
file holds (<file encoding="base64"> named by @@PLUGINFILE@@/name in an <img> or a Markdown
image, or inlined as a data: URI) become question images, checked as exams.interop.media
says; other files, images the file does not hold and refused ones are left out with a
warning naming them, and "[image: …]" marks where each one was.  Parsing goes through
defusedxml with DTDs refused, so entity expansion and external entities cannot run.

Written: every kind but practical and fill_blanks with more than one blank (a cloze is its
question text, a blank line, then its cloze text with Moodle's {weight:TYPE:…}), text in
format "markdown" so Moodle renders it as we do; the bank's images each text shows go in as
<file encoding="base64"> beside it, named by @@PLUGINFILE@@/name.  A question's ID number
goes in <idnumber> after <hidden>, and its tags last, in <tags><tag><text>name</text></tag>…
</tags>, as Moodle's own export writes them.
"""

import base64
import binascii
import posixpath
import re
from decimal import Decimal
from urllib.parse import quote, unquote

# Only for writing: untrusted input is always parsed with defusedxml (common.load_xml).
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from django.utils.translation import gettext as _

from .. import idnumbers, tags
from .cloze import MARKER_RE as CLOZE_MARKER_RE
from .cloze import SUBQUESTION_RE, read_gap, split_stem, write_gap
from .cloze import losses as cloze_losses
from .common import (
    HUNDRED,
    MISSING_WORD,
    add_checked,
    category_competency,
    common_losses,
    decimal_text,
    drop_plugin_files,
    entries,
    has_wildcard,
    letter_id,
    literal_answer,
    load_xml,
    make_question,
    moodle_answer,
    multiple_key,
    multiple_weights,
    note_dropped_files,
    note_losses,
    parse_decimal,
    pick,
    plain_markdown,
    select_exportable,
    unknown_kind,
    wildcard_refused,
    xml_safe,
)
from .media import (
    MEDIA_URL_RE,
    MediaFile,
    UniqueNames,
    checked,
    media_urls,
    missing_images,
    rewrite_images,
)
from .report import ExportResult, ImportReport, Issue, at_file, at_question

_BLANK_RE = re.compile(r"_{3,}")
_MD_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_DATA_URI_RE = re.compile(r"data:([\w.+/-]*);base64,([A-Za-z0-9+/=\s]*)", re.IGNORECASE)


# --- reading ---------------------------------------------------------------------------------


class _Reader:
    """One <question> element being read, with where it is and what could not be kept."""

    def __init__(self, element, report: ImportReport, number: int, competency: str, lang: str):
        self.element, self.report, self.location = element, report, at_question(number)
        self.competency, self.language = competency, lang
        self.losses: list[str] = []
        self.files: list[str] = []
        self.imported: set[str] = set()

    def error(self, message: str) -> None:
        self.report.error(self.location, message)

    def plain(self, path: str) -> str:
        """The trimmed text of <path>/text (or of <path> itself)."""
        found = self.element.find(path)
        if found is not None and found.find("text") is not None:
            found = found.find("text")
        return (found.text or "").strip() if found is not None else ""

    def rich(self, element, *, gap: bool = False) -> str:
        """The text of a formatted element, as Markdown that shows what Moodle shows.

        plain_text and moodle_auto_format are not Markdown: their Markdown characters are
        escaped (auto-format keeps its HTML tags).  Images the file holds become question
        images; other files it names (@@PLUGINFILE@@) are dropped and their places marked.
        gap: the first run of ___ becomes the gap [[1]] (at the end when there is none).
        """
        text = (element.findtext("text") or "").strip() if element is not None else ""
        fmt = element.get("format") if element is not None else None
        if fmt != "plain_text":  # plain text shows no images, only what was typed
            text = self.images(element, text)
        text, files = drop_plugin_files(text)
        self.files += files
        found = _BLANK_RE.search(text) if gap else None
        if found:
            return _shown(fmt, text[: found.start()]) + "[[1]]" + _shown(fmt, text[found.end() :])
        return _shown(fmt, text) + (" [[1]]" if gap else "")

    def raw(self, element) -> tuple[str, str | None]:
        """(text, format) of a formatted element, its images kept and other files dropped."""
        text = (element.findtext("text") or "").strip() if element is not None else ""
        fmt = element.get("format") if element is not None else None
        if fmt != "plain_text":
            text = self.images(element, text)
        text, files = drop_plugin_files(text)
        self.files += files
        return text, fmt

    def images(self, element, text: str) -> str:
        """The text with each image the file holds named by its pending address."""
        return rewrite_images(text, lambda reference: self.image(element, reference))

    def image(self, element, reference: str) -> str | None:
        """The pending address of the image a reference names, if the file holds it."""
        inline = _DATA_URI_RE.fullmatch(reference.strip())
        if inline:
            name = "image." + inline.group(1).rsplit("/", 1)[-1].lower()
            data = _base64(inline.group(2))
        elif reference.startswith("@@PLUGINFILE@@/"):
            path = unquote(reference.removeprefix("@@PLUGINFILE@@/").split("?", 1)[0])
            found = self.embedded(element, "/" + path)
            if found is None:
                return None
            name, data = found.get("name") or path, _base64(found.text or "")
        else:
            return None
        if data is None:
            self.losses.append(_("%(name)s (not valid base64)") % {"name": name})
            return None
        image, problem = checked(data, name)
        if problem:
            self.losses.append(problem)
            return None
        self.imported.add(name)
        return self.report.add_media(image)

    def embedded(self, element, path: str):
        """The <file> at a path like /dir/name: this text's own, else any of the question's."""
        own = [] if element is None else element.findall("file")
        every = list(self.element.iter("file"))
        for found in own + every:
            folder = "/" + (found.get("path") or "/").strip("/")
            if posixpath.join(folder, found.get("name") or "") == path:
                return found
        return None

    def tags(self) -> list[str]:
        """The names in <tags> and <coursetags> we can use; the others are noted as lost."""
        names = [
            tag.findtext("text") or ""
            for holder in ("tags", "coursetags")
            for tag in self.element.findall(f"{holder}/tag")
        ]
        kept, refused = tags.sort_out(names)
        self.losses += refused
        return kept

    def idnumber(self) -> str:
        """The <idnumber>, trimmed ("" when empty or absent); one too long is noted as lost."""
        idnumber, too_long = idnumbers.read(self.element.findtext("idnumber"))
        if too_long:
            self.losses.append(too_long)
        return idnumber

    def answers(self) -> list[tuple[Decimal, object]]:
        """(fraction in percent, element) of each <answer>."""
        found = []
        for answer in self.element.findall("answer"):
            fraction = parse_decimal(answer.get("fraction", "0"))
            if fraction is None:
                self.error(
                    _("answer fraction '%(f)s' is not a number") % {"f": answer.get("fraction")}
                )
                fraction = Decimal(0)
            if self.rich(answer.find("feedback")):
                self.losses.append(_("per-answer feedback"))
            found.append((fraction, answer))
        return found

    def add(self, kind: str, content: dict, key: dict, text: str | None = None) -> None:
        """Finish the question with its shared fields."""
        points = parse_decimal(self.plain("defaultgrade") or "1")
        question = make_question(
            kind,
            {self.language: self.rich(self.element.find("questiontext")) if text is None else text},
            content=content,
            key=key,
            points=decimal_text(points) if points is not None else self.plain("defaultgrade"),
            competency=self.competency,
            title=self.plain("name"),
            feedback={self.language: self.rich(self.element.find("generalfeedback"))},
            tags=self.tags(),
            idnumber=self.idnumber(),
        )
        if any(self.rich(h) for h in self.element.findall("hint")):
            self.losses.append(_("hints"))
        embedded = [f.get("name") or "" for f in self.element.iter("file")]
        embedded = [name for name in embedded if name not in self.imported]
        add_checked(self.report, self.location, question)
        note_losses(self.report, self.location, self.losses)
        note_dropped_files(self.report, self.location, embedded + self.files)


def _shown(fmt: str | None, part: str) -> str:
    """Text of a Moodle format as Markdown that shows what Moodle shows."""
    if fmt in ("plain_text", "moodle_auto_format"):
        return plain_markdown(part, html=fmt == "moodle_auto_format")
    return part


def _base64(text: str) -> bytes | None:
    """Decoded base64 (whitespace ignored), or None if it is not base64."""
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return None


def _choice(reader: _Reader) -> None:
    """multichoice, single or multiple."""
    answers = reader.answers()
    ids = [letter_id(i) for i in range(len(answers))]
    options = entries(({reader.language: reader.rich(a)} for _f, a in answers), ids)
    weights = [f for f, _a in answers]
    if reader.plain("single").lower() in ("false", "0"):
        key, lost = multiple_key(ids, weights)
        reader.losses += lost
        reader.add("multiple_choice", {"options": options}, key)
        return
    correct = [i for i, w in zip(ids, weights, strict=True) if w == HUNDRED]
    if len(correct) != 1:
        reader.error(_("a single-answer question needs exactly one answer worth 100%"))
        return
    if any(0 != w != HUNDRED for w in weights):
        reader.losses.append(_("partial credit on wrong options"))
    reader.add("single_choice", {"options": options}, {"correct": correct[0]})


def _true_false(reader: _Reader) -> None:
    """truefalse: the answer worth 100% says which."""
    right = [
        (a.findtext("text") or "").strip().lower() for f, a in reader.answers() if f == HUNDRED
    ]
    if len(right) != 1 or right[0] not in ("true", "false"):
        reader.error(_("a true/false question needs one answer 'true' or 'false' worth 100%"))
        return
    reader.add("true_false", {}, {"correct": right[0] == "true"})


def _short_answer(reader: _Reader) -> None:
    """shortanswer, as fill_blanks with one blank."""
    accepted = []
    for fraction, answer in reader.answers():
        text = (answer.findtext("text") or "").strip()
        if fraction != HUNDRED:
            reader.losses.append(_("answer '%(a)s' worth %(w)s%%") % {"a": text, "w": fraction})
        elif has_wildcard(text):
            reader.error(wildcard_refused(text))
            return
        elif text:
            accepted.append(literal_answer(text))
    if not accepted:
        reader.error(_("a short-answer question needs an answer worth 100%"))
        return
    text = reader.rich(reader.element.find("questiontext"), gap=True)
    key = {
        "blanks": [{"accepted": accepted}],
        "case_sensitive": reader.plain("usecase") in ("1", "true"),
        "normalise_whitespace": True,
    }
    reader.add("fill_blanks", {"blanks": 1}, key, text=text)


def _numeric(reader: _Reader) -> None:
    """numerical: the first answer worth 100% with its tolerance."""
    found = None
    for fraction, answer in reader.answers():
        value = (answer.findtext("text") or "").strip()
        if fraction != HUNDRED or found is not None:
            if value != "*":
                reader.losses.append(_("the other answer %(v)s") % {"v": value})
            continue
        number = parse_decimal(value)
        tolerance = parse_decimal((answer.findtext("tolerance") or "0").strip() or "0")
        if number is None or tolerance is None:
            reader.error(_("'%(v)s' is not a number with a numeric tolerance") % {"v": value})
            return
        found = {"value": decimal_text(number), "tolerance": decimal_text(abs(tolerance))}
    if found is None:
        reader.error(_("a numerical question needs an answer worth 100%"))
        return
    content = {}
    for unit in reader.element.findall("units/unit"):
        if parse_decimal(unit.findtext("multiplier") or "") == 1:
            content["unit"] = (unit.findtext("unit_name") or "").strip()
    if len(reader.element.findall("units/unit")) > 1:
        reader.losses.append(_("alternative units"))
    reader.add("numeric", content, found | {"tolerance_mode": "absolute"})


def _matching(reader: _Reader) -> None:
    """matching: subquestions are prompts; their answers, deduplicated, are the choices."""
    prompts, choices, pairs = [], [], {}
    for sub in reader.element.findall("subquestion"):
        answer = (sub.findtext("answer/text") or "").strip()
        if answer not in choices:
            choices.append(answer)
        prompt = reader.rich(sub)
        if prompt:
            prompts.append({"id": f"p{len(prompts) + 1}", "text": {reader.language: prompt}})
            pairs[prompts[-1]["id"]] = f"c{choices.index(answer) + 1}"
    content = {
        "prompts": prompts,
        "choices": [
            {"id": f"c{i}", "text": {reader.language: c}} for i, c in enumerate(choices, 1)
        ],
    }
    reader.add("matching", content, {"pairs": pairs})


def _essay(reader: _Reader) -> None:
    """essay: grader information becomes the guidance."""
    content = {}
    for name, field in (("minwordlimit", "min_words"), ("maxwordlimit", "max_words")):
        value = reader.plain(name)
        if value.isdigit() and int(value) > 0:
            content[field] = int(value)
    if reader.plain("attachments") not in ("", "0"):
        reader.losses.append(_("file attachments (import the task as a practical question)"))
    guidance = reader.rich(reader.element.find("graderinfo"))
    reader.add("essay", content, {"guidance": {reader.language: guidance}} if guidance else {})


def _ordering(reader: _Reader) -> None:
    """ordering (Moodle 4.4+): answers are the items, listed in their correct order."""
    answers = [a for _f, a in reader.answers()]
    ids = [f"i{n}" for n in range(1, len(answers) + 1)]
    items = entries(({reader.language: reader.rich(a)} for a in answers), ids)
    grading = reader.plain("gradingtype").upper()
    if grading not in ("ALL_OR_NOTHING", "ABSOLUTE_POSITION", ""):
        reader.losses.append(_("grading type %(g)s (read as partial credit)") % {"g": grading})
    if reader.plain("selecttype").upper() not in ("ALL", ""):
        reader.losses.append(_("showing only some of the items"))
    scoring = "all_or_nothing" if grading == "ALL_OR_NOTHING" else "partial"
    reader.add("ordering", {"items": items}, {"order": ids, "scoring": scoring})


def _cloze(reader: _Reader) -> None:
    """cloze (embedded answers): each {weight:TYPE:…} becomes a gap [[g1]], [[g2]] …"""
    raw, fmt = reader.raw(reader.element.find("questiontext"))
    parts, gaps, position = [], [], 0
    for number, match in enumerate(SUBQUESTION_RE.finditer(raw), start=1):
        parts += [_shown(fmt, raw[position : match.start()]), f"[[g{number}]]"]
        gaps.append(read_gap(match, number, reader.language))
        position = match.end()
    parts.append(_shown(fmt, raw[position:]))
    if not gaps:
        reader.error(
            _("a cloze question needs at least one embedded answer, such as {1:SHORTANSWER:=Paris}")
        )
        return
    errors = [e for gap in gaps for e in gap.errors]
    for error in errors:
        reader.error(error)
    if errors:
        return
    reader.losses += [loss for gap in gaps for loss in gap.losses]
    stem, passage = split_stem("".join(parts).strip())
    content = {"text": {reader.language: passage}, "gaps": [gap.content for gap in gaps]}
    key = {"gaps": {gap.content["id"]: gap.spec for gap in gaps}}
    reader.add("cloze", content, key, text=stem or _("Fill in the gaps."))


_READERS = {
    "cloze": _cloze,
    "multianswer": _cloze,
    "multichoice": _choice,
    "truefalse": _true_false,
    "shortanswer": _short_answer,
    "numerical": _numeric,
    "matching": _matching,
    "essay": _essay,
    "ordering": _ordering,
}


def _skip_reason(kind: str) -> str:
    """Why a question of an unsupported type is skipped."""
    if kind == "description":
        return _("a description is not a question; skipped")
    return _("question type '%(t)s' is not supported; skipped") % {"t": kind}


def parse(data: bytes, *, default_language: str = "en") -> ImportReport:
    """Read a Moodle XML <quiz>, reporting problems by question number."""
    report = ImportReport()
    root = load_xml(data, report)
    if root is None:
        return report
    if root.tag != "quiz":
        report.error(at_file(), _("this is not Moodle XML: the root element must be <quiz>"))
        return report
    competency = ""
    for number, element in enumerate(root.findall("question"), start=1):
        kind = element.get("type", "")
        if kind == "category":
            competency = category_competency(element.findtext("category/text") or "")
        elif kind in _READERS:
            _READERS[kind](_Reader(element, report, number, competency, default_language))
        else:
            report.warn(at_question(number), _skip_reason(kind))
    return report


# --- writing ---------------------------------------------------------------------------------


def cannot_express(question: dict) -> str | None:
    """Why Moodle XML (as we write it) cannot hold this question, or None."""
    if unknown_kind(question):
        return unknown_kind(question)
    if question.get("kind") == "practical":
        return _("Moodle has no rubric-graded practical task question")
    if question.get("kind") == "fill_blanks" and question["content"].get("blanks") != 1:
        return _("more than one blank needs a cloze question, which is not supported")
    return None


def losses(question: dict, language: str = "en") -> list[str]:
    """What a Moodle XML export of this question drops."""
    kind, key = question["kind"], question["key"]
    found = common_losses(question, language=language, difficulty=False, tags=True, idnumber=True)
    if kind == "multiple_choice" and key.get("scoring") != "partial":
        found.append(_("all-or-nothing scoring (Moodle multiple answers are partial credit)"))
    if kind == "fill_blanks" and key.get("normalise_whitespace") is False:
        found.append(_("exact whitespace matching"))
    if kind == "numeric" and key.get("tolerance_mode") == "relative":
        found.append(_("relative tolerance (written as the equivalent absolute one)"))
    if kind == "cloze":
        found += cloze_losses(question, language)
    return found


def _text(parent, tag: str, text: str, fmt: str | None = "markdown") -> None:
    """Add <tag format=...><text>...</text></tag>."""
    element = SubElement(parent, tag, {"format": fmt} if fmt else {})
    SubElement(element, "text").text = xml_safe(text)


def _value(parent, tag: str, text: str) -> None:
    """Add <tag>text</tag>."""
    SubElement(parent, tag).text = xml_safe(text)


def _answer(parent, fraction: Decimal, text: str, fmt: str | None = "markdown"):
    """Add an <answer> with empty feedback."""
    answer = SubElement(parent, "answer", {"fraction": decimal_text(fraction, 5)})
    if fmt:
        answer.set("format", fmt)
    _value(answer, "text", text)
    _text(answer, "feedback", "", "html")
    return answer


def _write_kind(element, question: dict, language: str) -> None:
    """The type-specific children of a <question>."""
    kind, content, key = question["kind"], question["content"], question["key"]
    if kind in ("single_choice", "multiple_choice"):
        options = content["options"]
        single = kind == "single_choice"
        _value(element, "single", "true" if single else "false")
        _value(element, "shuffleanswers", "true")
        _value(element, "answernumbering", "abc")
        weights = (
            [HUNDRED if o["id"] == key["correct"] else Decimal(0) for o in options]
            if single
            else multiple_weights(question)
        )
        for option, weight in zip(options, weights, strict=True):
            _answer(element, weight, pick(option["text"], language))
    elif kind == "true_false":
        _answer(element, HUNDRED if key["correct"] else Decimal(0), "true", "moodle_auto_format")
        _answer(element, Decimal(0) if key["correct"] else HUNDRED, "false", "moodle_auto_format")
    elif kind == "fill_blanks":
        _value(element, "usecase", "1" if key.get("case_sensitive") else "0")
        for accepted in key["blanks"][0]["accepted"]:
            _answer(element, HUNDRED, moodle_answer(accepted), "moodle_auto_format")
    elif kind == "numeric":
        value = Decimal(key["value"])
        tolerance = parse_decimal(key.get("tolerance", "0")) or Decimal(0)
        if key.get("tolerance_mode") == "relative":
            tolerance *= abs(value)
        answer = _answer(element, HUNDRED, decimal_text(value), "moodle_auto_format")
        _value(answer, "tolerance", decimal_text(tolerance))
        if content.get("unit"):
            unit = SubElement(SubElement(element, "units"), "unit")
            _value(unit, "multiplier", "1")
            _value(unit, "unit_name", content["unit"])
    elif kind == "matching":
        _write_matching(element, question, language)
    elif kind == "ordering":
        _write_ordering(element, question, language)
    elif kind == "essay":
        _write_essay(element, question, language)


def _write_matching(element, question: dict, language: str) -> None:
    """Subquestions for prompts, then empty ones for unused choices."""
    content, pairs = question["content"], question["key"]["pairs"]
    names = {c["id"]: pick(c["text"], language) for c in content["choices"]}
    _value(element, "shuffleanswers", "true")
    rows = [(pick(p["text"], language), names[pairs[p["id"]]]) for p in content["prompts"]]
    rows += [("", n) for i, n in names.items() if i not in set(pairs.values())]
    for prompt, answer in rows:
        sub = SubElement(element, "subquestion", {"format": "markdown"})
        _value(sub, "text", prompt)
        _value(SubElement(sub, "answer"), "text", answer)


def _write_ordering(element, question: dict, language: str) -> None:
    """Moodle 4.4 ordering: answers in the correct order."""
    items = {i["id"]: pick(i["text"], language) for i in question["content"]["items"]}
    partial = question["key"].get("scoring") == "partial"
    for tag, text in (
        ("layouttype", "VERTICAL"),
        ("selecttype", "ALL"),
        ("selectcount", "0"),
        ("gradingtype", "ABSOLUTE_POSITION" if partial else "ALL_OR_NOTHING"),
        ("showgrading", "SHOW"),
        ("numberingstyle", "none"),
    ):
        _value(element, tag, text)
    for position, ident in enumerate(question["key"]["order"], start=1):
        _answer(element, Decimal(position), items[ident])


def _write_essay(element, question: dict, language: str) -> None:
    """Essay settings, word limits and the guidance as grader information."""
    content = question["content"]
    for tag, text in (
        ("responseformat", "editor"),
        ("responserequired", "1"),
        ("responsefieldlines", "15"),
        ("minwordlimit", str(content.get("min_words") or "")),
        ("maxwordlimit", str(content.get("max_words") or "")),
        ("attachments", "0"),
        ("attachmentsrequired", "0"),
    ):
        _value(element, tag, text)
    _text(element, "graderinfo", pick(question["key"].get("guidance"), language))
    _text(element, "responsetemplate", "", "html")


_TYPES = {
    "single_choice": "multichoice",
    "multiple_choice": "multichoice",
    "true_false": "truefalse",
    "fill_blanks": "shortanswer",
    "numeric": "numerical",
    "matching": "matching",
    "ordering": "ordering",
    "essay": "essay",
    "cloze": "cloze",
}


def _shown_words(text: str) -> str:
    """A text without its images (a Markdown image leaves its alt text), for a name."""
    return MEDIA_URL_RE.sub("", _MD_IMAGE_RE.sub(r"\1", text))


def _embed_images(element, media: dict[str, MediaFile]) -> list[str]:
    """Put the bank images each text of a <question> shows beside it, as Moodle does.

    Each address becomes @@PLUGINFILE@@/name, and the image a <file encoding="base64">
    child of the element holding that <text>.  Returns the addresses it had no file for.
    """
    names, missing = UniqueNames(), []
    for holder in element.iter():
        text = holder.find("text")
        if holder.tag in ("name", "tag") or text is None or not text.text:
            continue
        urls = media_urls({"text": text.text})
        for url in urls:
            if url not in media:
                missing.append(url)
                continue
            name = names(url)
            text.text = text.text.replace(url, f"@@PLUGINFILE@@/{quote(name)}")
            attrs = {"name": name, "path": "/", "encoding": "base64"}
            SubElement(holder, "file", attrs).text = base64.b64encode(media[url].data).decode()
    return missing


def _embedded(question: dict, language: str) -> str:
    """The cloze text with Moodle's {weight:TYPE:…} in place of each gap."""
    gaps = {g["id"]: g for g in question["content"]["gaps"]}
    specs = question["key"]["gaps"]

    def subquestion(match) -> str:
        ident = match.group(1)
        return write_gap(gaps[ident], specs[ident], language) if ident in gaps else match.group(0)

    return CLOZE_MARKER_RE.sub(subquestion, pick(question["content"]["text"], language))


def _write(quiz, question: dict, language: str):
    """One <question> element."""
    element = SubElement(quiz, "question", {"type": _TYPES[question["kind"]]})
    text = pick(question["text"], language)
    if question["kind"] == "fill_blanks":
        text = text.replace("[[1]]", MISSING_WORD)
    name = question.get("title") or " ".join(_shown_words(text).split())[:40]
    if question["kind"] == "cloze":
        text = f"{text}\n\n{_embedded(question, language)}"
    _value(SubElement(element, "name"), "text", name)
    _text(element, "questiontext", text)
    _text(element, "generalfeedback", pick(question.get("feedback"), language))
    _value(element, "defaultgrade", question["points"])
    _value(element, "penalty", "0")
    _value(element, "hidden", "0")
    if question.get("idnumber"):
        _value(element, "idnumber", question["idnumber"])
    _write_kind(element, question, language)
    if question.get("tags"):
        holder = SubElement(element, "tags")
        for name in question["tags"]:
            _value(SubElement(holder, "tag"), "text", name)
    return element


def export(
    questions: list[dict], *, language: str = "en", media: dict[str, MediaFile] | None = None
) -> ExportResult:
    """Write a Moodle XML <quiz>, with a category wherever the competency changes.

    media: the bank's images by address; each question carries those its texts show.
    """
    chosen, warnings = select_exportable(questions, cannot_express, lambda q: losses(q, language))
    quiz, competency = Element("quiz"), None
    for number, question in chosen:
        if question.get("competency", "") != competency:
            competency = question.get("competency", "")
            category = SubElement(quiz, "question", {"type": "category"})
            path = "$course$/top" + (f"/{competency}" if competency else "")
            _value(SubElement(category, "category"), "text", path)
        missing = _embed_images(_write(quiz, question, language), media or {})
        for message in missing_images(missing, {}):
            warnings.append(Issue(at_question(number), message))
    indent(quiz)
    data = tostring(quiz, encoding="UTF-8", xml_declaration=True)
    return ExportResult(data + b"\n", warnings)
