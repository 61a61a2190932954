"""Helpers shared by the formats: decimals, ids, languages, text decoding and structural checks.

The checks here are only what the parsers need to refuse a malformed question; the full rules
live in exams.grading.validate_question, which the caller runs on every imported question.
"""

import codecs
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.utils.translation import gettext as _

from .. import tags
from .media import images_stay_links
from .report import ImportReport, Issue, at_file, at_line, at_question

KINDS = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "fill_blanks",
    "numeric",
    "matching",
    "ordering",
    "essay",
    "practical",
    "cloze",
)
LANGUAGES = ("en", "zh-hans")
GAP_RE = re.compile(r"\[\[(\d+)\]\]")
# Moodle's marker for where a missing word goes; single-choice text keeps it as plain text.
MISSING_WORD = "_____"
MAX_TITLE = 200
MAX_ID = 32
# Plain decimals only: exponents and NaN are refused like the grading core refuses them.
_DECIMAL_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


# --- numbers and ids -------------------------------------------------------------------------


def parse_decimal(value: object) -> Decimal | None:
    """A plain finite decimal from text or a number; None if it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        text = str(value)
    elif isinstance(value, float):
        text = repr(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        return None
    if not _DECIMAL_RE.fullmatch(text) or len(text) > 40:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def decimal_text(value: Decimal, places: int | None = None) -> str:
    """A decimal as plain text without trailing zeros or exponent ("1.0000" -> "1")."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def letter_id(index: int) -> str:
    """Option ids a, b, c ... z, then o27, o28 ... (ids stay short and unique)."""
    return chr(ord("a") + index) if index < 26 else f"o{index + 1}"


def entries(texts: Iterable[dict], ids: Iterable[str]) -> list[dict]:
    """Pair bilingual texts with ids as [{"id": ..., "text": ...}]."""
    return [{"id": ident, "text": text} for ident, text in zip(ids, texts, strict=True)]


def make_question(
    kind: str,
    text: dict,
    *,
    content: dict,
    key: dict,
    points: str = "1",
    competency: str = "",
    difficulty: int = 1,
    title: str = "",
    feedback: dict | None = None,
    tags: list[str] | None = None,
    idnumber: str = "",
) -> dict:
    """Assemble a QuestionData dict, leaving out empty optional parts."""
    question = {
        "kind": kind,
        "text": text,
        "points": points,
        "competency": competency,
        "difficulty": difficulty,
        "content": content,
        "key": key,
    }
    if title:
        question["title"] = title[:MAX_TITLE]
    if texts_of(feedback):
        question["feedback"] = texts_of(feedback)
    if tags:
        question["tags"] = tags
    if idnumber:
        question["idnumber"] = idnumber
    return question


HUNDRED = Decimal(100)


def multiple_key(ids: list[str], weights: list[Decimal]) -> tuple[dict, list[str]]:
    """A partial-credit multiple-choice key from Moodle percent weights, and what is lost.

    The grader deducts penalty x (wrong picks / wrong options), so the negative weights,
    summed, are the penalty as a share of the question.
    """
    losses = []
    if len({w for w in weights if w > 0}) > 1:
        losses.append(_("unequal weights of the correct options"))
    penalty = sum((-w for w in weights if w < 0), Decimal(0)) / HUNDRED
    if penalty > 1:
        losses.append(_("penalties above the whole question (capped at 1)"))
    key = {
        "correct": [i for i, w in zip(ids, weights, strict=True) if w > 0],
        "scoring": "partial",
        "penalty": decimal_text(min(penalty, Decimal(1)), 4),
    }
    return key, losses


def multiple_weights(question: dict) -> list[Decimal]:
    """Moodle percent weights for a multiple-choice question (the inverse of multiple_key)."""
    options, key = question["content"]["options"], question["key"]
    correct = set(key["correct"])
    wrong = len(options) - len(correct)
    penalty = parse_decimal(key.get("penalty", "1"))
    if key.get("scoring") != "partial" or penalty is None or not wrong:
        penalty = Decimal(0)
    return [
        (HUNDRED / len(correct) if o["id"] in correct else -penalty * HUNDRED / wrong)
        for o in options
    ]


def category_competency(path: str) -> str:
    """The competency code of a Moodle category path: its last real segment."""
    segments = [s.strip() for s in path.split("/") if s.strip()]
    segments = [s for s in segments if not (s.startswith("$") and s.endswith("$"))]
    if segments[:1] == ["top"]:
        segments = segments[1:]
    return segments[-1] if segments else ""


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 cannot hold (control characters, lone surrogates)."""
    return _XML_INVALID.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def load_xml(data: bytes, report: ImportReport, location: str | None = None):
    """Parse untrusted XML with defusedxml; None (and an error) if unsafe or malformed."""
    try:
        # No DTD at all: Moodle XML and QTI never need one, and it is where entity
        # expansion ("billion laughs") and external entities (XXE) come from.
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        report.error(
            location or at_file(),
            _("the XML declares a DTD or entities, which are refused for safety"),
        )
    except ParseError as exc:
        line = exc.position[0] if exc.position else 0
        where = location or at_line(line)
        report.error(where, _("the XML is not well-formed: %(e)s") % {"e": exc.msg})
    return None


# Moodle's short answers: an unescaped * matches anything; \* is a literal asterisk.
_WILDCARD_RE = re.compile(r"(?<!\\)\*")


def has_wildcard(answer: str) -> bool:
    """Whether a Moodle short answer uses the wildcard *, which fill_blanks cannot match."""
    return _WILDCARD_RE.search(answer) is not None


def literal_answer(answer: str) -> str:
    """A Moodle short answer without wildcards as the text it matches (backslash-* is *)."""
    return answer.replace("\\*", "*")


def moodle_answer(answer: str) -> str:
    """An accepted answer as Moodle writes it, so that * is not read as a wildcard."""
    return answer.replace("*", "\\*")


def wildcard_refused(answer: str) -> str:
    """The message refusing a question because of a wildcard answer."""
    return _(
        "the answer '%(a)s' uses Moodle's wildcard *, which our fill-in answers cannot match: "
        "write out the answers it should accept (or \\* for a real asterisk), or leave the "
        "question out"
    ) % {"a": answer}


# --- plain text as Markdown and files left behind ------------------------------------------

# Characters that are Markdown anywhere in a line (Python-Markdown's escapable ones).
_INLINE_RE = re.compile(r"([\\`*_{}\[\]|])")
# Markdown only at the start of a line: headings, quotes, lists, rules, setext underlines,
# definition lists and fences.  Backslash escapes where Markdown allows them, else entities.
_LINE_START_RE = re.compile(r"^([ \t]*)(#|>|-|\+|(\d+)\.|=|:|~)", re.MULTILINE)
# An "&" that would start a character reference. A numeric one needs no ";" in HTML5 (the
# sanitiser's parser reads "&#65" as "A"), a named one does here (Markdown leaves "&copy").
_ENTITY_RE = re.compile(r"&(?=#\d|#[xX][0-9a-fA-F]|[A-Za-z][A-Za-z0-9]*;)")
_TAG_START_RE = re.compile(r"<(?=[A-Za-z/!?])")
_TAG_RE = re.compile(r"(<[A-Za-z/!?][^>]*>)")


def _escape_line_start(match: re.Match) -> str:
    indent, mark, number = match.groups()
    if number is not None:
        return f"{indent}{number}\\."
    if mark in "=:~":
        return f"{indent}&#{ord(mark)};"
    return f"{indent}\\{mark}"


def _escape_markdown(text: str, *, entities: bool) -> str:
    """Text with every Markdown character escaped (as entities inside raw HTML)."""
    if entities:
        text = _INLINE_RE.sub(lambda m: f"&#{ord(m.group(1))};", text)
        return _LINE_START_RE.sub(
            lambda m: m.group(1) + (m.group(3) or "") + f"&#{ord(m.group(0)[-1])};", text
        )
    return _LINE_START_RE.sub(_escape_line_start, _INLINE_RE.sub(r"\\\1", text))


def plain_markdown(text: str, *, html: bool = False) -> str:
    """Plain text as Markdown that shows exactly what was typed, line breaks included.

    html: the text may hold HTML tags (Moodle's auto-format), which are kept as HTML.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if html and _TAG_RE.search(text):
        # Inside raw HTML blocks Markdown leaves backslashes alone, so use entities there.
        parts = _TAG_RE.split(text)
        text = "".join(
            part if n % 2 else _escape_markdown(part, entities=True) for n, part in enumerate(parts)
        )
        return re.sub(r"^[ \t]+", _indent_entities, text, flags=re.MULTILINE)
    if not html:
        text = _TAG_START_RE.sub("&lt;", _ENTITY_RE.sub("&amp;", text))
    text = _escape_markdown(text, entities=False)
    # Indentation as entities, so that four spaces do not start a code block.
    text = re.sub(r"^[ \t]+", _indent_entities, text, flags=re.MULTILINE)
    # A single line break is a break as typed, not a space: end the line with two spaces.
    return re.sub(r"(?<=[^\n])\n(?=[^\n])", "  \n", text)


def _indent_entities(match: re.Match) -> str:
    return "".join(f"&#{ord(c)};" for c in match.group(0))


_PLUGIN_IMG_RE = re.compile(
    r"<img\b[^>]*?\bsrc\s*=\s*([\"'])(?:@@PLUGINFILE@@/|(?=data:))([^\"']*)\1[^>]*>",
    re.IGNORECASE,
)
_PLUGIN_LINK_RE = re.compile(
    r"<a\b[^>]*?\bhref\s*=\s*([\"'])@@PLUGINFILE@@/([^\"']*)\1[^>]*>(.*?)</a\s*>",
    re.IGNORECASE | re.DOTALL,
)
_PLUGIN_TAG_RE = re.compile(r"<[A-Za-z][^>]*?@@PLUGINFILE@@/([^\"'\s>]*)[^>]*>")
_PLUGIN_MD_RE = re.compile(r"(!?)\[([^\]]*)\]\(@@PLUGINFILE@@/([^)\s]*)[^)]*\)")
_PLUGIN_BARE_RE = re.compile(r"@@PLUGINFILE@@/([^\"'\s<>)]*)")
_ALT_RE = re.compile(r"\balt\s*=\s*([\"'])(.*?)\1", re.IGNORECASE | re.DOTALL)


def file_name(reference: str) -> str:
    """A short name for a file reference: its last path segment, or a data URI's media type."""
    if reference.lower().startswith("data:"):
        return reference.split(";", 1)[0].split(",", 1)[0][:40]
    return unquote(reference).rstrip("/").rsplit("/", 1)[-1]


def drop_plugin_files(text: str) -> tuple[str, list[str]]:
    """Moodle's @@PLUGINFILE@@ references replaced by what they showed, and the files named.

    An image becomes "[image: its alt text]", a link its words, any other use "[file: name]",
    so that nothing points at a file that was not imported.  Images inlined as data: URIs go
    the same way: the renderer would drop them without a word.
    """
    names: list[str] = []

    def name(reference: str) -> str:
        names.append(file_name(reference))
        return names[-1]

    def image(match: re.Match) -> str:
        alt = _ALT_RE.search(match.group(0))
        label = name(match.group(2))
        return _("[image: %(name)s]") % {"name": (alt.group(2).strip() if alt else "") or label}

    def link(match: re.Match) -> str:
        name(match.group(2))
        return match.group(3)

    def markdown(match: re.Match) -> str:
        label = name(match.group(3))
        if not match.group(1):
            return match.group(2)
        return _("[image: %(name)s]") % {"name": match.group(2).strip() or label}

    text = _PLUGIN_IMG_RE.sub(image, text)
    text = _PLUGIN_LINK_RE.sub(link, text)
    text = _PLUGIN_MD_RE.sub(markdown, text)
    text = _PLUGIN_TAG_RE.sub(lambda m: _("[file: %(name)s]") % {"name": name(m.group(1))}, text)
    text = _PLUGIN_BARE_RE.sub(lambda m: _("[file: %(name)s]") % {"name": name(m.group(1))}, text)
    return text, names


# --- languages -------------------------------------------------------------------------------


def texts_of(value: object) -> dict[str, str]:
    """The non-empty language texts of a bilingual dict."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(v, str) and v.strip()}


def pick(value: object, language: str) -> str:
    """The text in the wanted language, else in the other one, else ''."""
    texts = texts_of(value)
    if language in texts:
        return texts[language]
    return next(iter(texts.values()), "")


def dropped_language(question: dict, language: str) -> str | None:
    """A loss message when a one-language format drops a translation of the question."""
    found = set(texts_of(question.get("text")))
    if len(found) > 1:
        return _("only the %(lang)s text is exported; the other translation is dropped") % {
            "lang": language if language in found else sorted(found)[0]
        }
    return None


def decode_text(data: bytes, report: ImportReport) -> str | None:
    """Decode a text upload: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            report.error(at_file(), _("The file is not valid UTF-16 text."))
            return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Chinese Windows editors often save text as GBK/GB18030 rather than UTF-8.
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        report.error(at_file(), _("The file is not UTF-8 text."))
        return None
    report.warn(at_file(), _("The file is not UTF-8; it was read as GB18030 (Chinese)."))
    return text


def split_lines(text: str) -> list[str]:
    """Split at line ends only; str.splitlines also splits at U+2028 and friends inside text."""
    return re.split(r"\r\n|\r|\n", text)


# --- structural checks -----------------------------------------------------------------------


def _entry_problems(value: object, what: str, minimum: int) -> list[str]:
    """Problems with a list of {"id", "text"} entries."""
    items = value if isinstance(value, list) else []
    problems = []
    if len(items) < minimum:
        problems.append(_("give at least %(n)d %(what)s") % {"n": minimum, "what": what})
    ids = [e.get("id") for e in items if isinstance(e, dict)]
    if len(set(ids)) != len(ids) or not all(isinstance(i, str) and i for i in ids):
        problems.append(_("the %(what)s need distinct ids") % {"what": what})
    if any(not texts_of(e.get("text")) for e in items if isinstance(e, dict)):
        problems.append(_("one of the %(what)s has no text") % {"what": what})
    return problems


def _ids(value: object) -> list:
    """Ids of a list of entries."""
    return [e.get("id") for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def _check_kind(question: dict) -> list[str]:
    """The kind-specific structural problems of a question."""
    kind, content, key = question["kind"], question["content"], question["key"]
    problems: list[str] = []
    if kind in ("single_choice", "multiple_choice"):
        problems += _entry_problems(content.get("options"), _("options"), 2)
        ids = _ids(content.get("options"))
        correct = key.get("correct")
        if kind == "single_choice" and correct not in ids:
            problems.append(_("the correct option is not one of the options"))
        if kind == "multiple_choice" and (
            not isinstance(correct, list) or not correct or not set(correct) <= set(ids)
        ):
            problems.append(_("the correct options must be some of the options"))
    elif kind == "true_false" and not isinstance(key.get("correct"), bool):
        problems.append(_("the answer must be true or false"))
    elif kind == "fill_blanks":
        count = content.get("blanks", 0)
        for text in texts_of(question["text"]).values():
            if sorted(int(n) for n in GAP_RE.findall(text)) != list(range(1, count + 1)):
                problems.append(_("the gaps [[1]], [[2]] ... in the text do not match the answers"))
                break
        blanks = key.get("blanks", [])
        if count < 1 or len(blanks) != count or not all(b.get("accepted") for b in blanks):
            problems.append(_("every blank needs at least one accepted answer"))
    elif kind == "numeric" and parse_decimal(key.get("value")) is None:
        problems.append(_("the correct value is not a number"))
    elif kind == "matching":
        problems += _entry_problems(content.get("prompts"), _("prompts"), 1)
        problems += _entry_problems(content.get("choices"), _("choices"), 2)
        pairs = key.get("pairs", {})
        if set(pairs) != set(_ids(content.get("prompts"))) or not set(pairs.values()) <= set(
            _ids(content.get("choices"))
        ):
            problems.append(_("every prompt needs exactly one matching choice"))
    elif kind == "ordering":
        problems += _entry_problems(content.get("items"), _("items"), 2)
        order = key.get("order", [])
        if sorted(map(str, order)) != sorted(map(str, _ids(content.get("items")))):
            problems.append(_("the correct order must list every item once"))
    elif kind == "practical":
        rubric = key.get("rubric", [])
        points = [parse_decimal(r.get("points")) for r in rubric]
        if not rubric or any(p is None or p <= 0 for p in points):
            problems.append(_("the rubric needs criteria worth more than 0 points each"))
        elif sum(points) != parse_decimal(question["points"]):
            problems.append(_("the points must equal the rubric total"))
    return problems


def check_question(question: dict) -> list[str]:
    """Structural problems of a parsed question, as translated phrases; empty when sound."""
    if question.get("kind") not in KINDS:
        return [_("unknown kind '%(kind)s'") % {"kind": question.get("kind")}]
    problems = []
    if not texts_of(question.get("text")):
        problems.append(_("the question has no text"))
    points = parse_decimal(question.get("points"))
    if points is None or points <= 0:
        problems.append(_("points must be a number greater than 0"))
    if question.get("difficulty") not in (1, 2, 3):
        problems.append(_("difficulty must be 1, 2 or 3"))
    if "tags" in question:
        problems += tags.problems(question["tags"])
    return problems + _check_kind(question)


def add_checked(report: ImportReport, location: str, question: dict) -> None:
    """Add a parsed question to the report, or an error per structural problem."""
    problems = check_question(question)
    for problem in problems:
        report.error(location, problem)
    if not problems:
        report.questions.append(question)
        report.locations.append(location)


def note_losses(report: ImportReport, location: str, losses: list[str]) -> None:
    """One warning listing what the import could not keep of a question."""
    if losses:
        unique = list(dict.fromkeys(losses))
        report.warn(location, _("not kept: %(losses)s") % {"losses": "; ".join(unique)})


def note_dropped_files(report: ImportReport, location: str, names: list[str]) -> None:
    """One warning naming the images and files of a question that were not imported.

    Images the file holds (and that pass the checks of exams.interop.media) are imported;
    images it only names, other files and links to them are left out, and marked.
    """
    if names:
        report.warn(
            location,
            _(
                "not imported: %(files)s (only images in the file itself are imported); "
                "the text says [image: …] or [file: …] where each one was"
            )
            % {"files": ", ".join(dict.fromkeys(names))},
        )


# --- export ----------------------------------------------------------------------------------


def select_exportable(
    questions: list[dict],
    cannot_express: Callable[[dict], str | None],
    losses: Callable[[dict], list[str]],
) -> tuple[list[tuple[int, dict]], list[Issue]]:
    """The (number, question) pairs a format can write, and warnings for the rest.

    Skipped questions get one warning each; the same loss across many questions is reported
    once, naming the questions, so a 500-question export does not give 500 equal warnings.
    """
    chosen: list[tuple[int, dict]] = []
    warnings: list[Issue] = []
    merged: dict[str, list[int]] = {}
    for number, question in enumerate(questions, start=1):
        reason = cannot_express(question)
        if reason:
            warnings.append(Issue(at_question(number), _("skipped: %(r)s") % {"r": reason}))
            continue
        chosen.append((number, question))
        for loss in losses(question):
            merged.setdefault(loss, []).append(number)
    for loss, numbers in merged.items():
        warnings.append(Issue(_numbers_location(numbers), _("not kept: %(l)s") % {"l": loss}))
    return chosen, warnings


def _numbers_location(numbers: list[int]) -> str:
    """'question 3' or 'questions 1, 2, 5 and 7 more'."""
    if len(numbers) == 1:
        return at_question(numbers[0])
    shown = ", ".join(str(n) for n in numbers[:10])
    if len(numbers) > 10:
        return _("questions %(list)s and %(more)d more") % {
            "list": shown,
            "more": len(numbers) - 10,
        }
    return _("questions %(list)s") % {"list": shown}


def unknown_kind(question: dict, kinds: tuple[str, ...] = KINDS) -> str | None:
    """Why a format skips a question of a kind it was not written for (a newer kind)."""
    kind = question.get("kind")
    if kind not in kinds:
        return _("this format cannot hold questions of the kind '%(kind)s'") % {"kind": kind}
    return None


def common_losses(
    question: dict,
    *,
    language: str | None = None,
    points: bool = True,
    difficulty: bool = True,
    competency: bool = True,
    title: bool = True,
    feedback: bool = True,
    files: bool = True,
    tags: bool = False,
    idnumber: bool = False,
) -> list[str]:
    """Losses of the shared fields a format has no place for (False = the format lacks it).

    files: whether the format carries the images a question shows; tags: our question tags
    (our Excel sheet, Moodle XML and GIFT have a place for them); idnumber: the question's
    ID number (Moodle XML and GIFT have a place for it).
    """
    losses = [] if files else images_stay_links(question)
    if language:
        lost = dropped_language(question, language)
        if lost:
            losses.append(lost)
    if not points and parse_decimal(question.get("points")) != 1:
        losses.append(_("points (the format has no marks; 1 is assumed)"))
    if not difficulty and question.get("difficulty", 1) != 1:
        losses.append(_("difficulty"))
    if not competency and question.get("competency"):
        losses.append(_("competency"))
    if not title and question.get("title"):
        losses.append(_("title"))
    if not feedback and texts_of(question.get("feedback")):
        losses.append(_("general feedback"))
    if not tags and question.get("tags"):
        losses.append(_("tags"))
    if not idnumber and question.get("idnumber"):
        losses.append(_("ID number"))
    return losses
