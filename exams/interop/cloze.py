"""Moodle's embedded answers (the cloze syntax), read into our cloze kind and written back.

A subquestion is ``{weight:TYPE:alternatives}`` inside the question text (Moodle's
qtype_multianswer): alternatives are separated by ``~``, each an optional grade (``=`` for
100 %, ``%50%`` for a share), the answer, and an optional ``#feedback``; ``\\}``, ``\\#``
and ``\\~`` stand for the characters themselves.  Types and what they become:

    NUMERICAL, NM                          a number gap: the 100 % answer and its tolerance
    SHORTANSWER, SA, MW (_C: case matters) a short gap: the 100 % answers are accepted
    MULTICHOICE, MC and _S (shuffled)      a choice gap: 100 % options correct, a share partial
    MULTICHOICE_V / _H (and _VS / _HS)     a choice gap, shown as a drop-down (warned)
    MULTIRESPONSE, MR and its variants     a choice gap to pick one of (warned)

What a gap cannot hold is a loss the reader names (per-answer feedback, partly right short
or number answers, negative grades); what makes a gap unusable is an error.  Shuffling is
the exam's choice here, so _S is not a loss.
"""

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .common import (
    HUNDRED,
    decimal_text,
    has_wildcard,
    letter_id,
    literal_answer,
    moodle_answer,
    parse_decimal,
    pick,
    wildcard_refused,
)

_TYPES = {
    "NUMERICAL": "number", "NM": "number",
    "SHORTANSWER": "short", "SA": "short", "MW": "short",
    "SHORTANSWER_C": "short_c", "SAC": "short_c", "MWC": "short_c",
    "MULTICHOICE": "choice", "MC": "choice", "MULTICHOICE_S": "choice", "MCS": "choice",
    "MULTICHOICE_V": "layout", "MCV": "layout", "MULTICHOICE_H": "layout", "MCH": "layout",
    "MULTICHOICE_VS": "layout", "MCVS": "layout", "MULTICHOICE_HS": "layout", "MCHS": "layout",
    "MULTIRESPONSE": "multi", "MR": "multi", "MULTIRESPONSE_H": "multi", "MRH": "multi",
    "MULTIRESPONSE_S": "multi", "MRS": "multi", "MULTIRESPONSE_HS": "multi", "MRHS": "multi",
}  # fmt: skip
# Our cloze kind's gap markers (exams.kinds.cloze): [[g1]], [[price]] …
MARKER_RE = re.compile(r"\[\[([A-Za-z][A-Za-z0-9]{0,31})\]\]")
# {weight:TYPE:alternatives}; an unescaped } ends it.
SUBQUESTION_RE = re.compile(r"\{([0-9]*):([A-Z_]+):((?:\\.|[^\\}])*)\}", re.DOTALL)
_ALTERNATIVES_RE = re.compile(r"(?<!\\)~")
# Feedback starts at a # that is not escaped and not part of an HTML entity (&#123;).
_FEEDBACK_RE = re.compile(r"(?<!\\)(?<!&)#")
_GRADE_RE = re.compile(r"^(?:=|%(-?[0-9]+(?:[.,][0-9]*)?)%)")
_NUMBER_RE = re.compile(r"^(-?(?:[0-9]+[.,]?[0-9]*|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?)(?::(.*))?$")
MAX_WEIGHT = 100


def _unescape(text: str) -> str:
    text = html.unescape(text.strip())
    return re.sub(r"\\([}#~])", r"\1", text)


def _escape(text: str) -> str:
    """A text as one alternative of a subquestion: its special characters escaped, on one line."""
    return re.sub(r"([}#~])", r"\\\1", " ".join(text.split()))


@dataclass
class Alternative:
    grade: Decimal  # percent
    answer: str
    feedback: str


@dataclass
class Gap:
    """One subquestion read: the gap and its key, or the problems that make it unusable."""

    number: int
    content: dict = field(default_factory=dict)
    spec: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    losses: list[str] = field(default_factory=list)


def _alternatives(body: str) -> list[Alternative]:
    found = []
    for part in _ALTERNATIVES_RE.split(body):
        grade, rest = Decimal(0), part.strip()
        match = _GRADE_RE.match(rest)
        if match:
            value = match.group(1)
            grade = HUNDRED if value is None else parse_decimal(value.replace(",", ".")) or 0
            rest = rest[match.end() :]
        pieces = _FEEDBACK_RE.split(rest, maxsplit=1)
        answer, feedback = pieces[0], (pieces[1] if len(pieces) > 1 else "")
        found.append(Alternative(Decimal(grade), _unescape(answer), _unescape(feedback)))
    return [a for a in found if a.answer or a.feedback]


def read_gap(match: re.Match, number: int, language: str) -> Gap:
    """One {weight:TYPE:…} as a gap named g<number>."""
    weight_text, type_name, body = match.groups()
    gap = Gap(number)
    where = _("gap %(n)d") % {"n": number}
    kind = _TYPES.get(type_name)
    if kind is None:
        gap.errors.append(
            _("%(where)s: the embedded answer type %(type)s is not supported")
            % {"where": where, "type": type_name}
        )
        return gap
    weight = int(weight_text) if weight_text else 1
    if not 1 <= weight <= MAX_WEIGHT:
        gap.losses.append(
            _("%(where)s: weight %(w)d (read as %(r)d)")
            % {"where": where, "w": weight, "r": min(max(weight, 1), MAX_WEIGHT)}
        )
        weight = min(max(weight, 1), MAX_WEIGHT)
    alternatives = _alternatives(body)
    if any(a.feedback for a in alternatives):
        gap.losses.append(_("per-answer feedback"))
    ident = f"g{number}"
    gap.spec["weight"] = weight
    if kind == "number":
        _number(gap, ident, alternatives, where)
    elif kind.startswith("short"):
        _short(gap, ident, alternatives, where, case_sensitive=kind == "short_c")
    else:
        if kind == "layout":
            gap.losses.append(_("%(where)s: options laid out in a list (shown as a drop-down)")
                              % {"where": where})  # fmt: skip
        if kind == "multi":
            gap.losses.append(
                _("%(where)s: several options to tick (read as one to pick; any correct one "
                  "earns the gap)") % {"where": where}
            )  # fmt: skip
        _choice(gap, ident, alternatives, where, language)
    return gap


def _number(gap: Gap, ident: str, alternatives: list[Alternative], where: str) -> None:
    gap.content = {"id": ident, "type": "number"}
    if any(0 < a.grade < HUNDRED for a in alternatives):
        gap.losses.append(_("%(where)s: partly right numbers") % {"where": where})
    for alternative in alternatives:
        if alternative.grade != HUNDRED:
            continue
        found = _NUMBER_RE.match(alternative.answer.replace(" ", ""))
        value = parse_decimal(found.group(1).replace(",", ".")) if found else None
        tolerance = parse_decimal((found.group(2) or "0").replace(",", ".")) if found else None
        if value is None or tolerance is None:
            gap.errors.append(
                _("%(where)s: '%(a)s' is not a number (with a tolerance after a colon)")
                % {"where": where, "a": alternative.answer}
            )
            return
        gap.spec |= {"value": decimal_text(value), "tolerance": decimal_text(abs(tolerance))}
        return
    gap.errors.append(_("%(where)s: no number is worth 100%%") % {"where": where})


def _short(gap, ident, alternatives, where, *, case_sensitive: bool) -> None:
    gap.content = {"id": ident, "type": "short"}
    accepted = []
    for alternative in alternatives:
        if alternative.grade != HUNDRED:
            if alternative.grade > 0:
                gap.losses.append(
                    _("%(where)s: answer '%(a)s' worth %(g)s%%")
                    % {
                        "where": where,
                        "a": alternative.answer,
                        "g": decimal_text(alternative.grade),
                    }
                )
            continue
        if has_wildcard(alternative.answer):
            gap.errors.append(f"{where}: {wildcard_refused(alternative.answer)}")
            return
        accepted.append(literal_answer(alternative.answer))
    if not accepted:
        gap.errors.append(_("%(where)s: no answer is worth 100%%") % {"where": where})
        return
    gap.spec |= {"accepted": list(dict.fromkeys(accepted)), "case_sensitive": case_sensitive}


def _choice(gap, ident, alternatives, where, language: str) -> None:
    options, correct, partial = [], [], {}
    for index, alternative in enumerate(alternatives):
        option = letter_id(index)
        options.append({"id": option, "text": {language: alternative.answer}})
        if alternative.grade >= HUNDRED:
            correct.append(option)
        elif alternative.grade > 0:
            partial[option] = decimal_text(alternative.grade / HUNDRED, 4)
        elif alternative.grade < 0:
            gap.losses.append(_("%(where)s: negative grades (counted as 0)") % {"where": where})
    gap.content = {"id": ident, "type": "choice", "options": options}
    if len(options) < 2:
        gap.errors.append(_("%(where)s: a choice needs at least two options") % {"where": where})
    if not correct:
        gap.errors.append(_("%(where)s: no option is worth 100%%") % {"where": where})
    gap.spec["correct"] = correct
    if partial:
        gap.spec["partial"] = partial


# --- writing ---------------------------------------------------------------------------------


def write_gap(gap: dict, spec: dict, language: str) -> str:
    """A gap of our cloze kind as Moodle's {weight:TYPE:alternatives}."""
    weight = spec.get("weight", 1)
    if gap["type"] == "number":
        return f"{{{weight}:NUMERICAL:={spec['value']}:{spec.get('tolerance', '0')}}}"
    if gap["type"] == "short":
        kind = "SHORTANSWER_C" if spec.get("case_sensitive") else "SHORTANSWER"
        answers = "~".join(f"={_escape(moodle_answer(a))}" for a in spec["accepted"])
        return f"{{{weight}:{kind}:{answers}}}"
    correct, partial = set(spec.get("correct", [])), spec.get("partial", {})
    parts = []
    for option in gap["options"]:
        text = _escape(pick(option["text"], language))
        if option["id"] in correct:
            parts.append(f"={text}")
        elif option["id"] in partial:
            share = parse_decimal(partial[option["id"]]) or Decimal(0)
            parts.append(f"%{decimal_text(share * HUNDRED, 5)}%{text}")
        else:
            parts.append(text)
    return f"{{{weight}:MULTICHOICE:{'~'.join(parts)}}}"


def split_stem(text: str) -> tuple[str, str]:
    """(question text, cloze text) of a Moodle question text holding gap markers.

    What comes before the first paragraph with a gap is the question text (a Markdown
    paragraph, or an HTML <p>); a text whose first paragraph has a gap is all cloze text,
    and the question text is '' (the caller gives a standard one).
    """
    for pattern in (_FIRST_MARKDOWN_RE, _FIRST_HTML_RE):
        found = pattern.match(text)
        if found and not MARKER_RE.search(found.group(1)) and MARKER_RE.search(found.group(2)):
            return found.group(1).strip(), found.group(2).strip()
    return "", text


_FIRST_MARKDOWN_RE = re.compile(r"\s*(.+?)\n[ \t]*\n(.*)$", re.DOTALL)
_FIRST_HTML_RE = re.compile(r"\s*(<p\b[^>]*>(?:(?!</p>).)*</p>)\s*(.*)$", re.DOTALL | re.IGNORECASE)


def losses(question: dict, language: str) -> list[str]:
    """What Moodle's embedded answers cannot hold of a cloze question."""
    found = []
    gaps = question["content"].get("gaps", [])
    options = [o for g in gaps for o in g.get("options", [])]
    if any("\n" in t for o in options for t in o["text"].values()):
        found.append(_("line breaks in the options of a gap"))
    if len(re.split(r"\n[ \t]*\n", pick(question.get("text"), language).strip())) > 1:
        found.append(
            _("a question text of several paragraphs (all but the first come back as cloze text)")
        )
    return found
