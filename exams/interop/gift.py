"""Moodle GIFT text format (https://docs.moodle.org/en/GIFT_format), read and written.

Reading follows Moodle's own importer (question/format/gift/format.php): a blank line ends a
question, ::title:: names it, $CATEGORY: sets the competency (its last path segment) for the
questions after it, and the answer block {...} decides the kind:

- ``{}`` essay; ``{#...}`` numeric (``#12.5:0.1``, ``#10..15``; the first 100% answer is kept);
- ``~`` present: choice.  With a ``=`` answer it is single choice; with only ``~%w%`` weights it
  is multiple choice, partial credit, penalty = sum of negative weights / 100 (capped at 1);
- ``=a -> b`` matching (``= -> x`` adds a distractor choice);
- ``T``/``F``/``TRUE``/``FALSE`` true/false;
- otherwise short answer, which becomes fill_blanks with one blank (100% answers accepted).

Text after the block makes a "missing word" question: the gap becomes ``[[1]]`` in fill_blanks
and ``_____`` elsewhere.  ``[html]``/``[markdown]``/``[plain]``/``[moodle]`` prefixes are
dropped and the text is kept as written (HTML stays HTML; the renderer sanitises it).
Whole-line // comments are not question text, but as in Moodle's importer
(extract_idnumber_and_tags_from_comment) each ``[tag:name]`` in the comment lines of a
question's paragraph becomes one of its tags (``\\]`` stands for ``]`` in a name; a name holding
< > ` or a control character is not a tag token, for Moodle either); exams.tags.sort_out keeps
the names we can use and the others are listed in the question's "not kept" warning.
The first ``[id:…]`` there is the question's ID number, read as Moodle reads it (trimmed, ``\\]``
for ``]``, no control characters); one longer than ours (100 characters) is named in the
"not kept" warning.
Per-answer feedback and partial credit on wrong answers have no place in QuestionData: they
are listed in a warning per question.  A short answer accepted through Moodle's wildcard *
(``=*manually*``) is refused: fill-in answers match text exactly, not patterns.  A literal
asterisk is written ``\\*``, as Moodle reads it.

Writing uses ``[markdown]`` question text on one line (newlines escaped as ``\\n``).  A
question's ID number and tags go in a comment line after the ``// question N`` one,
``// [id:X] [tag:a] [tag:b]``, as Moodle's write_idnumber_and_tags writes them (``]`` written
``\\]``, nothing else escaped: comment lines never go through GIFT's escapes).  A tag Moodle's
reader cannot read back (one holding < > ` or a control character, which Moodle's PARAM_TAG
strips anyway) is left out and named in the export's warnings, as is an ID number holding a
control character.
GIFT cannot hold ordering or practical questions, nor fill_blanks with more than one blank.
"""

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from .. import idnumbers, tags
from .common import (
    HUNDRED,
    MISSING_WORD,
    add_checked,
    category_competency,
    common_losses,
    decimal_text,
    decode_text,
    entries,
    has_wildcard,
    letter_id,
    literal_answer,
    make_question,
    moodle_answer,
    multiple_key,
    multiple_weights,
    note_losses,
    parse_decimal,
    pick,
    select_exportable,
    split_lines,
    texts_of,
    unknown_kind,
    wildcard_refused,
)
from .report import ExportResult, ImportReport, at_line

# Escaped control characters become private-use placeholders while the block is taken apart.
_ESCAPABLE = {c: chr(0xE000 + i) for i, c in enumerate(":#={}~")}
_NEWLINE = chr(0xE010)
_BACKSLASH = chr(0xE011)
_RESTORE = {v: k for k, v in _ESCAPABLE.items()} | {_NEWLINE: "\n", _BACKSLASH: "\\"}
_ESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)
_WEIGHT_RE = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_FORMAT_RE = re.compile(r"^\[(html|moodle|plain|markdown)\]")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_END_MARKS = ("", ".", "?", "!", ",", ";", ":", "。", "？", "！", "，", "；", "：")
# Moodle's tag token: [tag:name], a ] in the name escaped \], no < > ` or control characters
# (PCRE's [:cntrl:] without the u flag: bytes 0-31 and 127).
_TAG_RE = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])*)\]")
_UNWRITABLE_TAG_RE = re.compile(r"[<>`\x00-\x1f\x7f]")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
# Moodle's id token: [id:number], a ] in it escaped \], no control characters; the first counts.
_ID_RE = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")


# --- reading ---------------------------------------------------------------------------------


def _protect(text: str) -> str:
    """Replace escapes (\\~ \\= \\# \\{ \\} \\: \\n \\\\) with placeholders, in one pass."""

    def swap(match: re.Match) -> str:
        char = match.group(1)
        if char in _ESCAPABLE:
            return _ESCAPABLE[char]
        if char == "n":
            return _NEWLINE
        if char == "\\":
            return _BACKSLASH
        return match.group(0)

    return _ESCAPE_RE.sub(swap, text)


def _restore(text: str) -> str:
    """Turn placeholders back into the characters they stand for, and trim."""
    return "".join(_RESTORE.get(c, c) for c in text).strip()


def _plain(text: str) -> str:
    """A text part without its [format] prefix, restored."""
    return _restore(_FORMAT_RE.sub("", text.strip()))


def _blocks(source: str) -> list[tuple[int, str, str]]:
    """(first line number, text, comment lines) of each question: blank lines end one, and
    its // lines are set aside (a paragraph of comments alone is no question, as in Moodle)."""
    blocks: list[tuple[int, str, str]] = []
    start, pending, comments = 0, [], []
    for number, line in enumerate(split_lines(source), start=1):
        stripped = line.strip()
        if not stripped:
            if pending:
                blocks.append((start, "\n".join(pending), "\n".join(comments)))
            pending, comments = [], []
        elif stripped.startswith("//"):
            comments.append(stripped)
        else:
            start = start if pending else number
            pending.append(line)
    if pending:
        blocks.append((start, "\n".join(pending), "\n".join(comments)))
    return blocks


def _comment_tags(comments: str) -> list[str]:
    """The names of the [tag:…] tokens in a question's comment lines, as Moodle reads them:
    trimmed, then each \\] made ]."""
    return [raw.strip().replace("\\]", "]") for raw in _TAG_RE.findall(comments)]


def _comment_idnumber(comments: str) -> str:
    """The number of the first [id:…] token in a question's comment lines, as Moodle reads
    it: trimmed, then each \\] made ]; "" when there is none."""
    found = _ID_RE.search(comments)
    return found.group(1).strip().replace("\\]", "]") if found else ""


def _split_answers(body: str, marks: str) -> list[tuple[str, str]]:
    """Split an answer block into (mark, rest) pieces at each = or ~ (marks says which)."""
    pieces = re.split(f"([{re.escape(marks)}])", body)
    answers = []
    if pieces[0].strip():
        answers.append(("", pieces[0].strip()))
    for mark, rest in zip(pieces[1::2], pieces[2::2], strict=True):
        answers.append((mark, rest.strip()))
    return answers


def _weight(mark: str, rest: str, default: Decimal) -> tuple[Decimal, str]:
    """Read an optional %weight% after an answer mark."""
    match = _WEIGHT_RE.match(rest)
    if match:
        return Decimal(match.group(1)), rest[match.end() :].strip()
    return (HUNDRED if mark == "=" else default), rest


def _answer(rest: str) -> tuple[str, str]:
    """(answer text, feedback) of one answer."""
    text, _hash, feedback = rest.partition("#")
    return _plain(text), _plain(feedback)


class _Block:
    """One question block being read: its location, text parts and what could not be kept."""

    def __init__(
        self, report: ImportReport, line: int, competency: str, language: str, comments: str = ""
    ):
        self.report, self.location = report, at_line(line)
        self.competency, self.language = competency, language
        self.tags, refused = tags.sort_out(_comment_tags(comments))
        self.idnumber, too_long = idnumbers.read(_comment_idnumber(comments))
        self.losses: list[str] = list(refused) + ([too_long] if too_long else [])

    def error(self, message: str) -> None:
        self.report.error(self.location, message)

    def add(self, kind: str, text: str, content: dict, key: dict, **extra: object) -> None:
        question = make_question(
            kind,
            {self.language: text},
            content=content,
            key=key,
            competency=self.competency,
            tags=self.tags,
            idnumber=self.idnumber,
            **extra,
        )
        add_checked(self.report, self.location, question)
        note_losses(self.report, self.location, self.losses)


def _choice(block: _Block, body: str, stem: str, extra: dict) -> None:
    """A single or multiple choice question from a block containing ~."""
    single = "=" in body
    # Like Moodle, a = answer is fully correct and takes no %weight%.
    pieces = _split_answers(body, "=~")
    answers = [(HUNDRED, r) if m == "=" else _weight(m, r, Decimal(0)) for m, r in pieces]
    options, weights = [], []
    for weight, rest in answers:
        text, feedback = _answer(rest)
        if feedback:
            block.losses.append(_("per-answer feedback"))
        options.append({block.language: text})
        weights.append(weight)
    ids = [letter_id(i) for i in range(len(options))]
    content = {"options": entries(options, ids)}
    if single:
        correct = [i for i, w in zip(ids, weights, strict=True) if w == HUNDRED]
        if len(correct) != 1:
            block.error(_("a single-choice question needs exactly one = (fully correct) answer"))
            return
        if any(0 != w != HUNDRED for w in weights):
            block.losses.append(_("partial credit on wrong options"))
        block.add("single_choice", stem, content, {"correct": correct[0]}, **extra)
        return
    key, lost = multiple_key(ids, weights)
    block.losses += lost
    block.add("multiple_choice", stem, content, key, **extra)


def _matching(block: _Block, body: str, stem: str, extra: dict) -> None:
    """A matching question from =prompt -> choice answers."""
    prompts, choices, pairs = [], [], {}
    for _mark, rest in _split_answers(body, "="):
        if "->" not in rest:
            block.error(_("each matching answer needs the form =prompt -> answer"))
            return
        prompt, _arrow, answer = rest.partition("->")
        answer = _plain(answer)
        if answer not in choices:
            choices.append(answer)
        if _plain(prompt):
            prompts.append(_plain(prompt))
            pairs[f"p{len(prompts)}"] = f"c{choices.index(answer) + 1}"
    content = {
        "prompts": entries(({block.language: p} for p in prompts), pairs),
        "choices": [{"id": f"c{i}", "text": {block.language: c}} for i, c in enumerate(choices, 1)],
    }
    block.add("matching", stem, content, {"pairs": pairs}, **extra)


def _number(value: str) -> tuple[Decimal, Decimal] | None:
    """(value, absolute tolerance) of '12.5', '12.5:0.1' or '10..15'; None if not numbers."""
    low, dots, high = value.partition("..")
    if dots:
        first, last = parse_decimal(low), parse_decimal(high)
        if first is None or last is None:
            return None
        return (first + last) / 2, abs(last - first) / 2
    number, _colon, margin = value.partition(":")
    centre, tolerance = parse_decimal(number), parse_decimal(margin or "0")
    return None if centre is None or tolerance is None else (centre, abs(tolerance))


def _numeric(block: _Block, body: str, stem: str, extra: dict) -> None:
    """A numeric question from #value:tolerance, #min..max or several =%w% answers."""
    body, tilde, _wrong = body[1:].partition("~")
    if tilde:
        block.losses.append(_("feedback for wrong answers"))
    found = None
    for mark, rest in _split_answers(body, "="):
        weight, rest = _weight(mark, rest, HUNDRED)
        value, feedback = _answer(rest)
        if feedback:
            block.losses.append(_("per-answer feedback"))
        number = _number(value)
        if number is None:
            block.error(_("'%(v)s' is not a number, number:tolerance or min..max") % {"v": value})
            return
        if weight != HUNDRED or found:
            block.losses.append(_("the other answer %(v)s") % {"v": value})
        else:
            found = number
    if not found:
        block.error(_("a numeric question needs a fully correct answer"))
        return
    key = {
        "value": decimal_text(found[0]),
        "tolerance": decimal_text(found[1]),
        "tolerance_mode": "absolute",
    }
    block.add("numeric", stem, {}, key, **extra)


def _short_answer(block: _Block, body: str, before: str, after: str, extra: dict) -> None:
    """A short-answer question, as fill_blanks with one blank."""
    accepted = []
    for mark, rest in _split_answers(body, "="):
        weight, rest = _weight(mark, rest, HUNDRED)
        answer, feedback = _answer(rest)
        if feedback:
            block.losses.append(_("per-answer feedback"))
        if weight != HUNDRED:
            block.losses.append(
                _("answer '%(a)s' worth %(w)s%%") % {"a": answer, "w": decimal_text(weight)}
            )
        elif has_wildcard(answer):
            block.error(wildcard_refused(answer))
            return
        elif answer:
            accepted.append(literal_answer(answer))
    if not accepted:
        block.error(_("a short-answer question needs a fully correct answer"))
        return
    if after:
        text = f"{before}[[1]]{after}"
    else:
        text = before + ("" if before.endswith((" ", "\n")) else " ") + "[[1]]"
    key = {
        "blanks": [{"accepted": accepted}],
        "case_sensitive": False,
        "normalise_whitespace": True,
    }
    block.add("fill_blanks", _restore(text), {"blanks": 1}, key, **extra)


def _true_false(block: _Block, body: str, stem: str, extra: dict) -> None:
    """A true/false question; its two feedbacks are not kept."""
    answer, *feedbacks = body.split("#")
    if any(_plain(f) for f in feedbacks):
        block.losses.append(_("true/false feedback"))
    block.add("true_false", stem, {}, {"correct": _TRUE_FALSE[answer.strip()]}, **extra)


def _question(block: _Block, text: str) -> None:
    """Read one question block (already free of escapes)."""
    title = ""
    if text.startswith("::"):
        title, found, rest = text[2:].partition("::")
        if not found:
            block.error(_("the title is opened with :: but not closed"))
            return
        title, text = _restore(title), rest.strip()
    start, end = text.find("{"), text.find("}")
    if start < 0 and end < 0:
        block.report.warn(block.location, _("no answer block {…}: a description, skipped"))
        return
    if start < 0 or end < start or "{" in text[end:] or "}" in text[end + 1 :]:
        block.error(_("the braces do not pair: one answer block {…}; write \\{ \\} for braces"))
        return
    body, after = text[start + 1 : end].strip(), text[end + 1 :]
    before = _FORMAT_RE.sub("", text[:start].lstrip())
    body, _sep, general = body.rpartition("####") if "####" in body else (body, "", "")
    body = body.strip()
    extra = {"title": title, "feedback": {block.language: _plain(general)}}
    stem = _restore(before + (MISSING_WORD + after if after.strip() else ""))
    if after.strip() not in _END_MARKS and not any(c.isalnum() for c in after):
        # Moodle reads this as a missing-word question too, but it is usually stray junk.
        block.report.warn(
            block.location,
            _("text after the answer block, '%(t)s', makes a missing-word gap")
            % {"t": _restore(after)},
        )
    if not stem:
        block.error(_("the question has no text"))
        return
    if not body:
        block.add("essay", stem, {}, {}, **extra)
    elif body.startswith("#"):
        _numeric(block, body, stem, extra)
    elif "~" in body:
        _choice(block, body, stem, extra)
    elif "=" in body and "->" in body:
        _matching(block, body, stem, extra)
    elif body.split("#")[0].strip() in _TRUE_FALSE:
        _true_false(block, body, stem, extra)
    else:
        _short_answer(block, body, before, after if after.strip() else "", extra)


def parse(data: bytes, *, default_language: str = "en") -> ImportReport:
    """Read a GIFT file into questions, reporting problems by line."""
    report = ImportReport()
    source = decode_text(data, report)
    if source is None:
        return report
    competency = ""
    for line, raw, comments in _blocks(source):
        text = _protect(raw).strip()
        if text.startswith("$CATEGORY:"):
            competency = category_competency(_restore(text[len("$CATEGORY:") :]))
            continue
        _question(_Block(report, line, competency, default_language, comments), text)
    return report


# --- writing ---------------------------------------------------------------------------------


def _escape(text: str) -> str:
    """Escape GIFT control characters and newlines, as Moodle's exporter does."""
    text = text.replace("\\", "\\\\")
    for char in ":#={}~":
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def _guard(text: str, weight: str = "") -> str:
    """Escape an answer; a weight or [format] goes first if the text would read as one."""
    text = _escape(text)
    text = "[markdown]" + text if _FORMAT_RE.match(text) else text
    return weight + text if text.startswith("%") else text


def _percent(value: Decimal) -> str:
    """A GIFT weight with at most 5 decimals, as Moodle writes 33.33333."""
    return decimal_text(value, 5)


def cannot_express(question: dict) -> str | None:
    """Why GIFT cannot hold this question at all, or None."""
    kind = question.get("kind")
    if unknown_kind(question):
        return unknown_kind(question)
    if kind in ("ordering", "practical"):
        return _("GIFT has no %(kind)s questions") % {"kind": kind.replace("_", " ")}
    if kind == "cloze":
        return _(
            "GIFT has no cloze (embedded answers) questions: a GIFT question holds one answer "
            "block; export them as Moodle XML"
        )
    if kind == "fill_blanks" and question["content"].get("blanks") != 1:
        return _("GIFT holds only one blank per question")
    if kind == "matching" and any(
        "->" in t for p in question["content"]["prompts"] for t in texts_of(p["text"]).values()
    ):
        return _("a matching prompt contains '->', which GIFT cannot escape")
    return None


def losses(question: dict, language: str = "en") -> list[str]:
    """What a GIFT export of this question drops."""
    kind, key, content = question["kind"], question["key"], question["content"]
    found = common_losses(
        question,
        language=language,
        points=False,
        difficulty=False,
        files=False,
        tags=True,
        idnumber=True,
    )
    found += _id_token(question)[1]
    found += _tag_tokens(question)[1]
    if kind == "multiple_choice" and key.get("scoring") != "partial":
        found.append(_("all-or-nothing scoring (GIFT multiple answers are partial credit)"))
    if kind == "fill_blanks" and key.get("case_sensitive"):
        found.append(_("case-sensitive blanks"))
    if kind == "numeric" and key.get("tolerance_mode") == "relative":
        found.append(_("relative tolerance (written as the equivalent absolute one)"))
    if kind == "numeric" and content.get("unit"):
        found.append(_("the unit"))
    if kind == "essay" and (content.get("min_words") or content.get("max_words")):
        found.append(_("word limits"))
    if kind == "essay" and texts_of(key.get("guidance")):
        found.append(_("marking guidance"))
    return found


def _id_token(question: dict) -> tuple[str | None, list[str]]:
    """(the [id:…] token for the question's ID number or None, a phrase if GIFT cannot carry
    it).  Written as Moodle's write_idnumber_and_tags writes it, ] as \\]; an ID number holding
    a control character would not read back, and one ending in \\ gets a space, as a tag does
    (the reader trims it)."""
    idnumber = question.get("idnumber") or ""
    if not idnumber:
        return None, []
    if _CONTROL_RE.search(idnumber):
        return None, [
            _("the ID number '%(id)s' (a GIFT ID number cannot hold control characters)")
            % {"id": idnumber}
        ]
    escaped = idnumber.replace("]", "\\]")
    if escaped.endswith("\\"):
        escaped += " "
    return f"[id:{escaped}]", []


def _tag_tokens(question: dict) -> tuple[list[str], list[str]]:
    """([tag:…] tokens for the question's tags, a phrase for each tag GIFT cannot carry).

    As Moodle's write_idnumber_and_tags: ] is written \\], nothing else is escaped.  Moodle
    would write a name ending in \\ as "[tag:name\\]", which its reader takes for an escaped
    ] and runs on into the next token; a space before the ] keeps it a backslash (the reader
    trims the name).
    """
    written, refused = [], []
    for name in question.get("tags") or []:
        if _UNWRITABLE_TAG_RE.search(name):
            refused.append(
                _("tag '%(tag)s' (a GIFT tag cannot hold <, >, ` or control characters)")
                % {"tag": name}
            )
            continue
        escaped = name.replace("]", "\\]")
        if escaped.endswith("\\"):
            escaped += " "
        written.append(f"[tag:{escaped}]")
    return written, refused


def _choices_block(question: dict, language: str) -> str:
    """The {…} answer lines of a single or multiple choice question."""
    options, key = question["content"]["options"], question["key"]
    lines = []
    if question["kind"] == "single_choice":
        for option in options:
            text = pick(option["text"], language)
            correct = option["id"] == key["correct"]
            lines.append("=" + _guard(text) if correct else "~" + _guard(text, "%0%"))
        return "\n".join("\t" + line for line in lines)
    for option, weight in zip(options, multiple_weights(question), strict=True):
        text = pick(option["text"], language)
        line = f"~%{_percent(weight)}%{_guard(text)}" if weight else "~" + _guard(text, "%0%")
        lines.append("\t" + line)
    return "\n".join(lines)


def _answer_block(question: dict, language: str) -> str:
    """The inside of the {…} block for a question GIFT can hold."""
    kind, content, key = question["kind"], question["content"], question["key"]
    if kind in ("single_choice", "multiple_choice"):
        return "\n" + _choices_block(question, language) + "\n"
    if kind == "true_false":
        return "TRUE" if key["correct"] else "FALSE"
    if kind == "fill_blanks":
        # After escaping, so that the backslash before * stays single, as Moodle reads it.
        accepted = key["blanks"][0]["accepted"]
        return " ".join("=" + moodle_answer(_guard(a, "%100%")) for a in accepted)
    if kind == "numeric":
        value = Decimal(key["value"])
        tolerance = parse_decimal(key.get("tolerance", "0")) or Decimal(0)
        if key.get("tolerance_mode") == "relative":
            tolerance *= abs(value)
        return f"#{decimal_text(value)}:{decimal_text(tolerance)}"
    if kind == "matching":
        names = {c["id"]: pick(c["text"], language) for c in content["choices"]}
        lines = [
            f"\t={_guard(pick(p['text'], language))} -> {_guard(names[key['pairs'][p['id']]])}"
            for p in content["prompts"]
        ]
        used = set(key["pairs"].values())
        lines += [f"\t= -> {_guard(n)}" for i, n in names.items() if i not in used]
        return "\n" + "\n".join(lines) + "\n"
    return ""  # essay


def _write(question: dict, language: str) -> str:
    """One question in GIFT."""
    text = pick(question["text"], language)
    block = _answer_block(question, language)
    feedback = pick(question.get("feedback"), language)
    if feedback:
        block += "####[markdown]" + _escape(feedback)
    before, after = text, ""
    if question["kind"] == "fill_blanks":
        before, _gap, after = text.partition("[[1]]")
    title = question.get("title", "")
    head = f"::{_escape(title)}::" if title else ""
    return f"{head}[markdown]{_escape(before)}{{{block}}}{_escape(after)}\n"


def export(questions: list[dict], *, language: str = "en", media=None) -> ExportResult:
    """Write the questions GIFT can hold, one [markdown] question per paragraph.

    GIFT holds no files: images stay links to this site's copies (media is not used).
    """
    chosen, warnings = select_exportable(questions, cannot_express, lambda q: losses(q, language))
    parts, competency = [], ""
    for number, question in chosen:
        if question.get("competency", "") != competency:
            competency = question.get("competency", "")
            path = "$course$/top" + (f"/{competency}" if competency else "")
            parts.append(f"$CATEGORY: {path}\n")
        idnumber = _id_token(question)[0]
        tokens = ([idnumber] if idnumber else []) + _tag_tokens(question)[0]
        head = f"// question {number}\n" + (f"// {' '.join(tokens)}\n" if tokens else "")
        parts.append(head + _write(question, language))
    return ExportResult("\n".join(parts).encode("utf-8"), warnings)
