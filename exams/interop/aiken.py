"""Aiken text format: single-choice questions only, read and written.

    Which port handles most CBEC parcels?
    A) Ningbo
    B. Shenzhen
    ANSWER: B

Reading follows Moodle's importer: a line that is not an option ("A)" or "A." then the text)
nor "ANSWER:" starts a question; options run until the ANSWER line.  Unlike Moodle, a stem may
run over several lines before the first option.  Aiken is plain text, so "<" starting a tag
is written as "&lt;" to show it literally (as Moodle does) rather than as HTML.
Aiken holds nothing but the stem, options and the answer letter: no titles, points,
feedback, competency or difficulty, and at most 26 options.
"""

import re

from django.utils.translation import gettext as _

from .common import (
    add_checked,
    common_losses,
    decode_text,
    entries,
    letter_id,
    make_question,
    pick,
    select_exportable,
    split_lines,
    texts_of,
)
from .report import ExportResult, ImportReport, at_line

_OPTION_RE = re.compile(r"^([A-Z])[.)][ \t]*(.*)$")
_ANSWER_RE = re.compile(r"^ANSWER\s*:\s*(.*)$", re.IGNORECASE)
_TAG_RE = re.compile(r"<(?=[A-Za-z/!?])")
_MAX_OPTIONS = 26


def _literal(text: str) -> str:
    """Plain text as Markdown that shows any <tag> literally."""
    return _TAG_RE.sub("&lt;", text)


class _Open:
    """A question being read: where it started, its stem lines and options so far."""

    def __init__(self, line: int, stem: str):
        self.line, self.stem, self.options = line, [stem], []


def _close(report: ImportReport, current: _Open, answer: str, line: int, language: str) -> None:
    """Finish a question at its ANSWER line."""
    if len(current.options) < 2:
        report.error(at_line(current.line), _("a question needs at least two options A), B)"))
        return
    letters = [letter for letter, _text in current.options]
    if answer.upper() not in letters or len(answer) != 1:
        report.error(
            at_line(line),
            _("ANSWER must be one of the option letters %(letters)s, not '%(answer)s'")
            % {"letters": ", ".join(letters), "answer": answer},
        )
        return
    ids = [letter_id(i) for i in range(len(letters))]
    question = make_question(
        "single_choice",
        {language: _literal("\n".join(current.stem))},
        content={"options": entries(({language: _literal(t)} for _l, t in current.options), ids)},
        key={"correct": ids[letters.index(answer.upper())]},
    )
    add_checked(report, at_line(current.line), question)


def parse(data: bytes, *, default_language: str = "en") -> ImportReport:
    """Read an Aiken file; every malformed question is reported at its line."""
    report = ImportReport()
    source = decode_text(data, report)
    if source is None:
        return report
    current: _Open | None = None
    for number, raw in enumerate(split_lines(source), start=1):
        line = raw.strip()
        option, answer = _OPTION_RE.match(line), _ANSWER_RE.match(line)
        if not line:
            continue
        if answer:
            if current is None:
                report.error(at_line(number), _("ANSWER line without a question before it"))
            else:
                _close(report, current, answer.group(1).strip(), number, default_language)
            current = None
        elif option:
            if current is None:
                report.error(at_line(number), _("an option without a question before it"))
            elif any(letter == option.group(1) for letter, _t in current.options):
                report.error(at_line(number), _("option %(l)s appears twice") % {"l": line[0]})
            else:
                current.options.append((option.group(1), option.group(2).strip()))
        elif current is not None and not current.options:
            current.stem.append(line)
        else:
            if current is not None:
                report.error(at_line(current.line), _("the question has no ANSWER line"))
            current = _Open(number, line)
    if current is not None:
        report.error(at_line(current.line), _("the question has no ANSWER line"))
    return report


# --- writing ---------------------------------------------------------------------------------


def _flat(text: str) -> str:
    """One line of plain text: line breaks become spaces, escaped '<' comes back."""
    return " ".join(text.replace("&lt;", "<").split())


def cannot_express(question: dict) -> str | None:
    """Why Aiken cannot hold this question, or None."""
    if question.get("kind") != "single_choice":
        return _("Aiken holds only single-choice questions")
    if len(question["content"]["options"]) > _MAX_OPTIONS:
        return _("Aiken holds at most 26 options")
    stems = [_flat(t) for t in texts_of(question["text"]).values()]
    if any(_OPTION_RE.match(s) or _ANSWER_RE.match(s) for s in stems):
        return _("the question text starts like an option or an ANSWER line")
    return None


def losses(question: dict, language: str = "en") -> list[str]:
    """What an Aiken export of this question drops."""
    found = common_losses(
        question,
        language=language,
        points=False,
        difficulty=False,
        competency=False,
        title=False,
        feedback=False,
        files=False,
    )
    texts = [*texts_of(question["text"]).values()]
    texts += [t for o in question["content"]["options"] for t in texts_of(o["text"]).values()]
    if any("\n" in t for t in texts):
        found.append(_("line breaks (Aiken puts each text on one line)"))
    return found


def _write(question: dict, language: str) -> str:
    """One question in Aiken."""
    options = question["content"]["options"]
    lines = [_flat(pick(question["text"], language))]
    correct = ""
    for index, option in enumerate(options):
        letter = chr(ord("A") + index)
        lines.append(f"{letter}) {_flat(pick(option['text'], language))}")
        correct = letter if option["id"] == question["key"]["correct"] else correct
    lines.append(f"ANSWER: {correct}")
    return "\n".join(lines) + "\n"


def export(questions: list[dict], *, language: str = "en", media=None) -> ExportResult:
    """Write the single-choice questions as Aiken, separated by blank lines.

    Aiken holds no files: images stay links to this site's copies (media is not used).
    """
    chosen, warnings = select_exportable(questions, cannot_express, lambda q: losses(q, language))
    text = "\n".join(_write(question, language) for _number, question in chosen)
    return ExportResult(text.encode("utf-8"), warnings)
