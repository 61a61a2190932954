"""Pure grading core: graders per question kind, validation, response cleaning and pass rules.

Nothing here touches the database: every function takes plain values (the neutral
QuestionData dicts) and returns plain values, so it is tested and reused without Django models.
"""

import math
import random
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
)
MANUAL_KINDS = frozenset({"essay", "practical"})
LANGUAGES = ("en", "zh-hans")
SCORINGS = ("all_or_nothing", "partial")
TOLERANCE_MODES = ("absolute", "relative")
MAX_TEXT_CHARS = 50_000
MAX_BLANK_CHARS = 500
MAX_ID_CHARS = 32
MAX_FILE_NAME_CHARS = 255

# No exponents, underscores, NaN or Infinity: people type plain decimals, and an exponent
# like 1e999999999 would make exact Fraction arithmetic explode.
_DECIMAL_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_GAP_RE = re.compile(r"\[\[(\d+)\]\]")
_FILE_TYPE_RE = re.compile(r"[a-z0-9]{1,10}")


@dataclass(frozen=True)
class Grade:
    """The score of one answer; points None means it waits for a human."""

    points: Decimal | None
    max_points: Decimal
    correct: bool | None


# --- numbers ---------------------------------------------------------------------------------


def parse_decimal(value: object, *, comma: bool = False) -> Decimal | None:
    """Read a plain finite decimal from a str, int, float or Decimal; None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value) if abs(value) < 10**30 else None
    if isinstance(value, float):
        # JSON numbers arrive as floats; repr gives the shortest decimal that round-trips.
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() and abs(value.adjusted()) < 30 else None
    if not isinstance(value, str) or len(value) > 64:
        return None
    # NFKC turns full-width digits and punctuation typed with a Chinese IME into ASCII.
    text = unicodedata.normalize("NFKC", value).strip()
    if comma and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")
    return Decimal(text) if _DECIMAL_RE.fullmatch(text) else None


def _round_cents(value: Fraction) -> Decimal:
    """Round half up to 0.01 exactly, without a Decimal context in the way."""
    return Decimal(math.floor(value * 100 + Fraction(1, 2))).scaleb(-2)


def _award(fraction: Fraction, max_points: Decimal, correct: bool | None = None) -> Grade:
    """Turn a fraction of the item into points, clamped to [0, max_points] and quantized."""
    fraction = min(max(fraction, Fraction(0)), Fraction(1))
    maximum = parse_decimal(max_points) or Decimal(0)
    ceiling = Fraction(max(maximum, Decimal(0)))
    # Round down the ceiling so an odd max like 1.005 can never be exceeded after rounding.
    points = min(_round_cents(ceiling * fraction), Decimal(math.floor(ceiling * 100)).scaleb(-2))
    return Grade(points, max_points, fraction == 1 if correct is None else correct)


def _zero(max_points: Decimal) -> Grade:
    """The grade of a missing or malformed answer."""
    return _award(Fraction(0), max_points)


# --- reading content, keys and responses -----------------------------------------------------


def _dict(value: object) -> dict:
    """The value if it is a dict, else an empty one."""
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list:
    """The value if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def _ids(entries: object) -> list[str]:
    """Ids of a list of {"id": ...} entries, skipping malformed ones."""
    return [e["id"] for e in _list(entries) if isinstance(e, dict) and isinstance(e.get("id"), str)]


def _known_ids(value: object, allowed: frozenset[str] | list[str]) -> list[str] | None:
    """The value as a list of known ids, or None if it is anything else."""
    if isinstance(value, list) and all(isinstance(v, str) and v in allowed for v in value):
        return value
    return None


def _normalise_blank(text: str, *, case_sensitive: bool, whitespace: bool) -> str:
    """Normalise a blank's answer the way the key asks."""
    text = unicodedata.normalize("NFKC", text)
    if whitespace:
        text = " ".join(text.split())
    return text if case_sensitive else text.casefold()


# --- graders ---------------------------------------------------------------------------------


def grade_single_choice(
    content: dict, key: dict, response: dict | None, max_points: Decimal
) -> Grade:
    """Full marks for the correct option, else 0."""
    choice = _dict(response).get("choice")
    right = isinstance(choice, str) and choice in _ids(content.get("options"))
    return _award(Fraction(int(right and choice == key.get("correct"))), max_points)


def grade_multiple_choice(
    content: dict, key: dict, response: dict | None, max_points: Decimal
) -> Grade:
    """All-or-nothing, or partial credit minus a penalty share per wrong pick."""
    options = frozenset(_ids(content.get("options")))
    correct = frozenset(_known_ids(key.get("correct"), options) or ())
    picked = _known_ids(_dict(response).get("choices"), options)
    if not picked or not correct:
        return _zero(max_points)
    chosen = frozenset(picked)
    exact = chosen == correct
    if key.get("scoring") != "partial":
        return _award(Fraction(int(exact)), max_points, exact)
    fraction = Fraction(len(chosen & correct), len(correct))
    incorrect = len(options - correct)
    if incorrect:
        penalty = parse_decimal(key.get("penalty", "1"))
        penalty = Decimal(1) if penalty is None else min(max(penalty, Decimal(0)), Decimal(1))
        fraction -= Fraction(penalty) * Fraction(len(chosen - correct), incorrect)
    return _award(fraction, max_points, exact)


def grade_true_false(content: dict, key: dict, response: dict | None, max_points: Decimal) -> Grade:
    """Full marks when the boolean matches the key."""
    value = _dict(response).get("value")
    right = isinstance(value, bool) and value is key.get("correct")
    return _award(Fraction(int(right)), max_points)


def grade_fill_blanks(
    content: dict, key: dict, response: dict | None, max_points: Decimal
) -> Grade:
    """An equal share for each blank whose answer is one of its accepted answers."""
    specs = _list(key.get("blanks"))
    answers = _dict(response).get("blanks")
    if (
        not specs
        or not isinstance(answers, list)
        or len(answers) > len(specs)
        or not all(a is None or isinstance(a, str) for a in answers)
    ):
        return _zero(max_points)
    options = {
        "case_sensitive": key.get("case_sensitive") is True,
        "whitespace": key.get("normalise_whitespace") is not False,
    }
    hits = 0
    for spec, answer in zip(specs, answers, strict=False):
        accepted = {
            _normalise_blank(a, **options)
            for a in _list(_dict(spec).get("accepted"))
            if isinstance(a, str)
        }
        hits += isinstance(answer, str) and _normalise_blank(answer, **options) in accepted
    return _award(Fraction(hits, len(specs)), max_points)


def grade_numeric(content: dict, key: dict, response: dict | None, max_points: Decimal) -> Grade:
    """Full marks within the key's absolute or relative tolerance."""
    target = parse_decimal(key.get("value"))
    answer = parse_decimal(_dict(response).get("value"), comma=True)
    if target is None or answer is None:
        return _zero(max_points)
    tolerance = Fraction(max(parse_decimal(key.get("tolerance", "0")) or Decimal(0), Decimal(0)))
    if key.get("tolerance_mode") == "relative":
        tolerance *= abs(Fraction(target))
    right = abs(Fraction(answer) - Fraction(target)) <= tolerance
    return _award(Fraction(int(right)), max_points)


def grade_matching(content: dict, key: dict, response: dict | None, max_points: Decimal) -> Grade:
    """An equal share for each prompt matched to its key choice."""
    prompts = frozenset(_ids(content.get("prompts")))
    choices = frozenset(_ids(content.get("choices")))
    pairs = _dict(key.get("pairs"))
    answer = _dict(response).get("pairs")
    if not pairs or not isinstance(answer, dict):
        return _zero(max_points)
    for prompt, choice in answer.items():
        if prompt not in prompts or not (
            choice is None or (isinstance(choice, str) and choice in choices)
        ):
            return _zero(max_points)
    hits = sum(answer.get(prompt) == choice for prompt, choice in pairs.items())
    return _award(Fraction(hits, len(pairs)), max_points)


def grade_ordering(content: dict, key: dict, response: dict | None, max_points: Decimal) -> Grade:
    """All-or-nothing, or the share of items in their correct position."""
    items = _ids(content.get("items"))
    order = _list(key.get("order"))
    answer = _known_ids(_dict(response).get("order"), items)
    # Only a permutation of the items is an answer; duplicates or gaps are garbage.
    if not order or answer is None or sorted(answer) != sorted(items):
        return _zero(max_points)
    exact = answer == order
    if key.get("scoring") != "partial":
        return _award(Fraction(int(exact)), max_points)
    hits = sum(a == b for a, b in zip(answer, order, strict=False))
    return _award(Fraction(hits, len(order)), max_points)


def grade_manually(content: dict, key: dict, response: dict | None, max_points: Decimal) -> Grade:
    """Essays and practical work wait for a human grader."""
    return Grade(None, max_points, None)


GRADERS: dict[str, Callable[[dict, dict, dict | None, Decimal], Grade]] = {
    "single_choice": grade_single_choice,
    "multiple_choice": grade_multiple_choice,
    "true_false": grade_true_false,
    "fill_blanks": grade_fill_blanks,
    "numeric": grade_numeric,
    "matching": grade_matching,
    "ordering": grade_ordering,
    "essay": grade_manually,
    "practical": grade_manually,
}


def grade(kind: str, *, content: dict, key: dict, response: object, max_points: Decimal) -> Grade:
    """Grade one response; malformed responses score 0 and never raise."""
    try:
        grader = GRADERS[kind]
    except KeyError:
        raise ValueError(_("Unknown question kind '%(kind)s'.") % {"kind": _show(kind)}) from None
    response = response if isinstance(response, dict) else None
    return grader(_dict(content), _dict(key), response, max_points)


# --- validation of questions -----------------------------------------------------------------


def _show(value: object) -> str:
    """A short printable form of a user-supplied value for messages."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _check_text(value: object, field: str, problems: list[str], *, required: bool) -> None:
    """Check a bilingual {"en": ..., "zh-hans": ...} string."""
    if value is None and not required:
        return
    if not isinstance(value, dict):
        problems.append(_("%(field)s must map language codes to text.") % {"field": field})
        return
    for lang, text in value.items():
        if lang not in LANGUAGES:
            problems.append(
                _("%(field)s has an unknown language '%(lang)s'.")
                % {"field": field, "lang": _show(lang)}
            )
        elif not isinstance(text, str):
            problems.append(
                _("%(field)s in '%(lang)s' must be text.") % {"field": field, "lang": lang}
            )
    if required and not any(isinstance(t, str) and t.strip() for t in value.values()):
        problems.append(
            _("%(field)s is missing: give it in English or Chinese.") % {"field": field}
        )


def _check_entries(
    entries: object, *, plural: str, one: str, minimum: int, seen: set[str], problems: list[str]
) -> list[str]:
    """Check a list of {"id", "text"} entries and return their ids."""
    if not isinstance(entries, list):
        problems.append(_("The %(what)s must be a list.") % {"what": plural})
        return []
    if len(entries) < minimum:
        problems.append(_("Give at least %(n)d of the %(what)s.") % {"n": minimum, "what": plural})
    ids = []
    for entry in entries:
        ident = _dict(entry).get("id")
        if not isinstance(ident, str) or not 0 < len(ident) <= MAX_ID_CHARS:
            problems.append(
                _("Each of the %(what)s needs a short text id (at most %(max)d characters).")
                % {"what": plural, "max": MAX_ID_CHARS}
            )
            continue
        if ident in seen:
            problems.append(_("The id '%(id)s' is used more than once.") % {"id": _show(ident)})
        seen.add(ident)
        ids.append(ident)
        _check_text(entry.get("text"), one % {"id": _show(ident)}, problems, required=True)
    return ids


def _check_scoring(key: dict, problems: list[str]) -> None:
    """Check the optional scoring mode of a key."""
    if key.get("scoring", "all_or_nothing") not in SCORINGS:
        problems.append(_("Scoring must be 'all_or_nothing' or 'partial'."))


def _check_flag(key: dict, name: str, problems: list[str]) -> None:
    """Check an optional boolean switch of a key."""
    if name in key and not isinstance(key[name], bool):
        problems.append(_("'%(name)s' must be true or false.") % {"name": name})


def _check_options(content: dict, problems: list[str]) -> list[str]:
    """Check the options of a choice question."""
    return _check_entries(
        content.get("options"),
        plural=_("options"),
        one=_("Option '%(id)s'"),
        minimum=2,
        seen=set(),
        problems=problems,
    )


def _validate_single_choice(data: dict, content: dict, key: dict, problems: list[str]) -> None:
    """Check a single-choice question."""
    options = _check_options(content, problems)
    correct = key.get("correct")
    if not isinstance(correct, str):
        problems.append(_("The key must name the correct option."))
    elif correct not in options:
        problems.append(
            _("Option '%(id)s' in the key is not one of the options.") % {"id": _show(correct)}
        )


def _validate_multiple_choice(data: dict, content: dict, key: dict, problems: list[str]) -> None:
    """Check a multiple-choice question."""
    options = _check_options(content, problems)
    correct = key.get("correct")
    if not isinstance(correct, list) or not correct:
        problems.append(_("The key must list at least one correct option."))
        correct = []
    seen: set[object] = set()
    for ident in correct:
        if not isinstance(ident, str) or ident not in options:
            problems.append(
                _("Option '%(id)s' in the key is not one of the options.") % {"id": _show(ident)}
            )
        elif ident in seen:
            problems.append(
                _("Option '%(id)s' appears more than once in the key.") % {"id": _show(ident)}
            )
        if isinstance(ident, str):
            seen.add(ident)
    _check_scoring(key, problems)
    penalty = parse_decimal(key.get("penalty", "1"))
    if penalty is None or not 0 <= penalty <= 1:
        problems.append(_("The penalty must be a number from 0 to 1."))


def _validate_true_false(data: dict, content: dict, key: dict, problems: list[str]) -> None:
    """Check a true/false question."""
    if not isinstance(key.get("correct"), bool):
        problems.append(_("The key must say whether the statement is true or false."))


def _validate_fill_blanks(data: dict, content: dict, key: dict, problems: list[str]) -> None:
    """Check that gaps in the text, the blank count and the key agree."""
    count = content.get("blanks")
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        problems.append(_("Give the number of blanks (1 or more)."))
        return
    for lang, text in _dict(data.get("text")).items():
        # An empty translation is allowed (the other language carries the question).
        if not isinstance(text, str) or lang not in LANGUAGES or not text.strip():
            continue
        gaps = sorted(int(n) for n in _GAP_RE.findall(text))
        if gaps != list(range(1, count + 1)):
            found = ", ".join(f"[[{n}]]" for n in gaps) or _("none")
            problems.append(
                ngettext(
                    "The gaps in the '%(lang)s' text (%(found)s) do not match the %(count)d blank:"
                    " write [[1]] once.",
                    "The gaps in the '%(lang)s' text (%(found)s) do not match the %(count)d blanks:"
                    " number them [[1]] to [[%(count)d]], each once.",
                    count,
                )
                % {"lang": lang, "found": found, "count": count}
            )
    specs = key.get("blanks")
    if not isinstance(specs, list) or len(specs) != count:
        problems.append(
            ngettext(
                "The key must list accepted answers for exactly %(count)d blank.",
                "The key must list accepted answers for exactly %(count)d blanks.",
                count,
            )
            % {"count": count}
        )
        specs = _list(specs)
    for number, spec in enumerate(specs, start=1):
        accepted = _dict(spec).get("accepted")
        if (
            not isinstance(accepted, list)
            or not accepted
            or not all(isinstance(a, str) and a.strip() for a in accepted)
        ):
            problems.append(
                _("Blank %(n)d needs a list of accepted answers, none of them empty.")
                % {"n": number}
            )
    _check_flag(key, "case_sensitive", problems)
    _check_flag(key, "normalise_whitespace", problems)


def _validate_numeric(data: dict, content: dict, key: dict, problems: list[str]) -> None:
    """Check a numeric question."""
    if "unit" in content and not isinstance(content["unit"], str):
        problems.append(_("The unit must be text."))
    if parse_decimal(key.get("value")) is None:
        problems.append(
            _("The correct value must be a decimal number, not '%(value)s'.")
            % {"value": _show(key.get("value"))}
        )
    tolerance = parse_decimal(key.get("tolerance", "0"))
    if tolerance is None:
        problems.append(_("The tolerance must be a decimal number."))
    elif tolerance < 0:
        problems.append(_("The tolerance cannot be negative."))
    if key.get("tolerance_mode", "absolute") not in TOLERANCE_MODES:
        problems.append(_("The tolerance mode must be 'absolute' or 'relative'."))


def _validate_matching(data: dict, content: dict, key: dict, problems: list[str]) -> None:
    """Check that every prompt has exactly one known choice in the key."""
    seen: set[str] = set()
    prompts = _check_entries(
        content.get("prompts"),
        plural=_("prompts"),
        one=_("Prompt '%(id)s'"),
        minimum=1,
        seen=seen,
        problems=problems,
    )
    choices = _check_entries(
        content.get("choices"),
        plural=_("choices"),
        one=_("Choice '%(id)s'"),
        minimum=2,
        seen=seen,
        problems=problems,
    )
    pairs = key.get("pairs")
    if not isinstance(pairs, dict):
        problems.append(_("The key must map each prompt to its choice."))
        return
    for prompt in prompts:
        if prompt not in pairs:
            problems.append(_("Prompt '%(id)s' has no match in the key.") % {"id": _show(prompt)})
    for prompt, choice in pairs.items():
        if prompt not in prompts:
            problems.append(
                _("Prompt '%(id)s' in the key is not one of the prompts.") % {"id": _show(prompt)}
            )
        if not isinstance(choice, str) or choice not in choices:
            problems.append(
                _("Choice '%(id)s' in the key is not one of the choices.") % {"id": _show(choice)}
            )


def _validate_ordering(data: dict, content: dict, key: dict, problems: list[str]) -> None:
    """Check that the key order is a permutation of the items."""
    items = _check_entries(
        content.get("items"),
        plural=_("items"),
        one=_("Item '%(id)s'"),
        minimum=2,
        seen=set(),
        problems=problems,
    )
    order = key.get("order")
    if not isinstance(order, list):
        problems.append(_("The key must list the items in their correct order."))
        return
    seen: set[object] = set()
    for ident in order:
        if not isinstance(ident, str) or ident not in items:
            problems.append(
                _("Item '%(id)s' in the key is not one of the items.") % {"id": _show(ident)}
            )
        elif ident in seen:
            problems.append(
                _("Item '%(id)s' appears more than once in the key order.") % {"id": _show(ident)}
            )
        if isinstance(ident, str):
            seen.add(ident)
    for ident in items:
        if ident not in order:
            problems.append(
                _("Item '%(id)s' is missing from the key order.") % {"id": _show(ident)}
            )
    _check_scoring(key, problems)


def _word_limit(content: dict, name: str, problems: list[str]) -> int | None:
    """Read an optional word limit, reporting anything but a whole number >= 0."""
    value = content.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        problems.append(_("'%(name)s' must be a whole number of 0 or more.") % {"name": name})
        return None
    return value


def _validate_essay(data: dict, content: dict, key: dict, problems: list[str]) -> None:
    """Check an essay question's word limits and guidance."""
    low = _word_limit(content, "min_words", problems)
    high = _word_limit(content, "max_words", problems)
    if high == 0:
        problems.append(_("'max_words' must be at least 1; leave it out for no limit."))
    elif low is not None and high is not None and low > high:
        problems.append(_("'min_words' is above 'max_words'."))
    _check_text(key.get("guidance"), _("The guidance"), problems, required=False)


def _validate_practical(data: dict, content: dict, key: dict, problems: list[str]) -> None:
    """Check a practical task's upload rules and rubric, which must total the question's points."""
    _check_text(content.get("instructions"), _("The instructions"), problems, required=False)
    types = content.get("allowed_types")
    if types is not None and (not isinstance(types, list) or not types):
        problems.append(_("'allowed_types' must list at least one file type."))
    for kind in _list(types):
        if not isinstance(kind, str) or not _FILE_TYPE_RE.fullmatch(kind):
            problems.append(
                _("File type '%(type)s' is not a plain extension like 'pdf'.")
                % {"type": _show(kind)}
            )
    size = content.get("max_size_mb")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
        problems.append(_("'max_size_mb' must be a whole number of megabytes, 1 or more."))
    rubric = key.get("rubric")
    if not isinstance(rubric, list) or not rubric:
        problems.append(_("The rubric needs at least one criterion."))
        return
    seen: set[str] = set()
    total = Decimal(0)
    for criterion in rubric:
        ident = _dict(criterion).get("id")
        if not isinstance(ident, str) or not 0 < len(ident) <= MAX_ID_CHARS:
            problems.append(_("Each rubric criterion needs a short text id."))
            continue
        if ident in seen:
            problems.append(_("The id '%(id)s' is used more than once.") % {"id": _show(ident)})
        seen.add(ident)
        label = _("Criterion '%(id)s'") % {"id": _show(ident)}
        _check_text(criterion.get("criterion"), label, problems, required=True)
        points = parse_decimal(criterion.get("points"))
        if points is None or points <= 0:
            problems.append(
                _("Criterion '%(id)s' must be worth more than 0 points.") % {"id": _show(ident)}
            )
        else:
            total += points
    points = parse_decimal(data.get("points"))
    if points is not None and points > 0 and total > 0 and points != total:
        problems.append(
            _("The question is worth %(points)s points but its rubric totals %(total)s.")
            % {"points": points, "total": total}
        )


_VALIDATORS: dict[str, Callable[[dict, dict, dict, list[str]], None]] = {
    "single_choice": _validate_single_choice,
    "multiple_choice": _validate_multiple_choice,
    "true_false": _validate_true_false,
    "fill_blanks": _validate_fill_blanks,
    "numeric": _validate_numeric,
    "matching": _validate_matching,
    "ordering": _validate_ordering,
    "essay": _validate_essay,
    "practical": _validate_practical,
}


def validate_question(data: object) -> list[str]:
    """Every problem with a QuestionData dict, as translated messages; empty means valid."""
    if not isinstance(data, dict):
        return [_("A question must be an object.")]
    problems: list[str] = []
    kind = data.get("kind")
    if kind not in KINDS:
        problems.append(_("Unknown question kind '%(kind)s'.") % {"kind": _show(kind)})
    _check_text(data.get("text"), _("The question text"), problems, required=True)
    points = parse_decimal(data.get("points"))
    if points is None or points <= 0:
        problems.append(_("Points must be a number greater than 0."))
    difficulty = data.get("difficulty")
    if isinstance(difficulty, bool) or not isinstance(difficulty, int) or not 1 <= difficulty <= 3:
        problems.append(_("Difficulty must be 1, 2 or 3."))
    if not isinstance(data.get("competency", ""), str):
        problems.append(_("The competency must be a code (text)."))
    title = data.get("title", "")
    if not isinstance(title, str) or len(title) > 200:
        problems.append(_("The title must be text of at most 200 characters."))
    _check_text(data.get("feedback"), _("The feedback"), problems, required=False)
    content, key = data.get("content"), data.get("key")
    if not isinstance(content, dict):
        problems.append(_("The content must be an object."))
    if not isinstance(key, dict):
        problems.append(_("The key must be an object."))
    if kind in KINDS and isinstance(content, dict) and isinstance(key, dict):
        _VALIDATORS[kind](data, content, key, problems)
    return problems


# --- cleaning responses received by the API --------------------------------------------------


def _clean_single_choice(content: dict, response: dict) -> dict:
    """Keep one known option id, or None."""
    choice = response.get("choice")
    if choice is not None and (
        not isinstance(choice, str) or choice not in _ids(content.get("options"))
    ):
        raise ValueError(_("Choose one of the options."))
    return {"choice": choice}


def _clean_multiple_choice(content: dict, response: dict) -> dict:
    """Keep known option ids, once each, in option order."""
    options = _ids(content.get("options"))
    choices = response.get("choices", [])
    choices = [] if choices is None else choices
    if not isinstance(choices, list):
        raise ValueError(_("Choices must be a list of option ids."))
    for ident in choices:
        if not isinstance(ident, str) or ident not in options:
            raise ValueError(_("'%(id)s' is not one of the options.") % {"id": _show(ident)})
    return {"choices": [o for o in options if o in choices]}


def _clean_true_false(content: dict, response: dict) -> dict:
    """Keep true, false or None."""
    value = response.get("value")
    if value is not None and not isinstance(value, bool):
        raise ValueError(_("Answer true or false."))
    return {"value": value}


def _clean_fill_blanks(content: dict, response: dict) -> dict:
    """Keep one string per blank, padding unanswered blanks with ''."""
    count = content.get("blanks") if isinstance(content.get("blanks"), int) else 0
    blanks = response.get("blanks", [])
    blanks = [] if blanks is None else blanks
    if not isinstance(blanks, list) or not all(b is None or isinstance(b, str) for b in blanks):
        raise ValueError(_("Blanks must be a list of texts."))
    if len(blanks) > count:
        raise ValueError(
            ngettext(
                "This question has %(count)d blank.", "This question has %(count)d blanks.", count
            )
            % {"count": count}
        )
    if any(b is not None and len(b) > MAX_BLANK_CHARS for b in blanks):
        raise ValueError(
            _("Each blank holds at most %(max)d characters.") % {"max": MAX_BLANK_CHARS}
        )
    return {"blanks": [b or "" for b in blanks] + [""] * (count - len(blanks))}


def _clean_numeric(content: dict, response: dict) -> dict:
    """Keep the number as the student typed it, or '' when unanswered."""
    value = response.get("value")
    if value is None or (isinstance(value, str) and not value.strip()):
        return {"value": ""}
    if parse_decimal(value, comma=True) is None:
        raise ValueError(_("Enter a number such as 12.5."))
    return {"value": value.strip() if isinstance(value, str) else str(parse_decimal(value))}


def _clean_matching(content: dict, response: dict) -> dict:
    """Keep known prompt-to-choice pairs, dropping unmatched prompts."""
    prompts, choices = _ids(content.get("prompts")), _ids(content.get("choices"))
    pairs = response.get("pairs", {})
    pairs = {} if pairs is None else pairs
    if not isinstance(pairs, dict):
        raise ValueError(_("Pairs must map prompts to choices."))
    for prompt, choice in pairs.items():
        if prompt not in prompts:
            raise ValueError(_("'%(id)s' is not one of the prompts.") % {"id": _show(prompt)})
        if choice is not None and (not isinstance(choice, str) or choice not in choices):
            raise ValueError(_("'%(id)s' is not one of the choices.") % {"id": _show(choice)})
    return {"pairs": {p: pairs[p] for p in prompts if pairs.get(p) is not None}}


def _clean_ordering(content: dict, response: dict) -> dict:
    """Keep a permutation of the items, or [] when unanswered."""
    items = _ids(content.get("items"))
    order = response.get("order", [])
    order = [] if order is None else order
    if order != [] and (_known_ids(order, items) is None or sorted(order) != sorted(items)):
        raise ValueError(_("The order must list every item exactly once."))
    return {"order": list(order)}


def _clean_text(response: dict) -> str:
    """The trimmed free text of a manual answer."""
    text = response.get("text", "")
    text = "" if text is None else text
    if not isinstance(text, str):
        raise ValueError(_("The answer must be text."))
    text = text.strip()
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(
            _("The answer is longer than %(max)d characters.") % {"max": MAX_TEXT_CHARS}
        )
    return text


def _clean_essay(content: dict, response: dict) -> dict:
    """Keep the trimmed essay text."""
    return {"text": _clean_text(response)}


def _clean_practical(content: dict, response: dict) -> dict:
    """Keep the text and a plausible stored file name; the caller checks the file is theirs."""
    name = response.get("file")
    name = None if name == "" else name
    if name is not None:
        parts = name.replace("\\", "/").split("/") if isinstance(name, str) else [""]
        if (
            not isinstance(name, str)
            or len(name) > MAX_FILE_NAME_CHARS
            or "\x00" in name
            or any(part in ("", ".", "..") for part in parts)
        ):
            raise ValueError(_("The file name is not valid."))
        extension = name.rsplit(".", 1)[-1].lower() if "." in parts[-1] else ""
        allowed = content.get("allowed_types")
        if isinstance(allowed, list) and extension not in allowed:
            raise ValueError(
                _("Files of type '%(type)s' are not accepted here.") % {"type": _show(extension)}
            )
    return {"text": _clean_text(response), "file": name}


_CLEANERS: dict[str, Callable[[dict, dict], dict]] = {
    "single_choice": _clean_single_choice,
    "multiple_choice": _clean_multiple_choice,
    "true_false": _clean_true_false,
    "fill_blanks": _clean_fill_blanks,
    "numeric": _clean_numeric,
    "matching": _clean_matching,
    "ordering": _clean_ordering,
    "essay": _clean_essay,
    "practical": _clean_practical,
}


def clean_response(kind: str, content: dict, response: object) -> dict:
    """Normalise a response from the API, or raise ValueError with a translated message."""
    if kind not in _CLEANERS:
        raise ValueError(_("Unknown question kind '%(kind)s'.") % {"kind": _show(kind)})
    if not isinstance(response, dict):
        raise ValueError(_("The answer must be an object."))
    return _CLEANERS[kind](_dict(content), response)


# --- what a student sees ---------------------------------------------------------------------


def _public_text(value: object) -> dict[str, str]:
    """Only the known languages of a bilingual string."""
    return {
        lang: text
        for lang, text in _dict(value).items()
        if lang in LANGUAGES and isinstance(text, str)
    }


def _public_entries(entries: object) -> list[dict]:
    """Fresh {"id", "text"} copies of well-formed entries."""
    return [
        {"id": e["id"], "text": _public_text(e.get("text"))}
        for e in _list(entries)
        if isinstance(e, dict) and isinstance(e.get("id"), str)
    ]


def public_content(kind: str, content: dict) -> dict:
    """A fresh copy of the content with only the fields a student may see."""
    content = _dict(content)
    if kind in ("single_choice", "multiple_choice"):
        return {"options": _public_entries(content.get("options"))}
    if kind == "matching":
        return {
            "prompts": _public_entries(content.get("prompts")),
            "choices": _public_entries(content.get("choices")),
        }
    if kind == "ordering":
        return {"items": _public_entries(content.get("items"))}
    if kind == "true_false":
        return {}
    public: dict = {}
    if kind == "fill_blanks":
        public["blanks"] = content.get("blanks")
    elif kind == "numeric":
        if isinstance(content.get("unit"), str):
            public["unit"] = content["unit"]
    elif kind == "essay":
        public.update(
            {n: content[n] for n in ("min_words", "max_words") if isinstance(content.get(n), int)}
        )
    elif kind == "practical":
        public["instructions"] = _public_text(content.get("instructions"))
        public["allowed_types"] = [
            t for t in _list(content.get("allowed_types")) if isinstance(t, str)
        ]
        if isinstance(content.get("max_size_mb"), int):
            public["max_size_mb"] = content["max_size_mb"]
    else:
        raise ValueError(_("Unknown question kind '%(kind)s'.") % {"kind": _show(kind)})
    return public


def _shuffle_ordering(items: list[dict], rng: random.Random, key_order: list | None) -> list[dict]:
    """Shuffle items away from the key order, and from the authored order when possible."""
    authored = [item["id"] for item in items]
    avoid = [order for order in (key_order, authored) if order]
    shuffled = list(items)
    for _attempt in range(10):
        rng.shuffle(shuffled)
        if [item["id"] for item in shuffled] not in avoid:
            return shuffled
    # Two items cannot dodge two orders; rotating by one at least dodges the most telling one.
    if [item["id"] for item in shuffled] == avoid[0]:
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled


def shuffle_content(
    kind: str, content: dict, rng: random.Random, *, key: dict | None = None
) -> dict:
    """Public content with options, matching choices or ordering items shuffled.

    Ordering items never come out in the key order (pass key) or, when the key is not
    given or it is possible, in the authored order, which authors usually write correctly.
    """
    public = public_content(kind, content)
    if kind in ("single_choice", "multiple_choice"):
        rng.shuffle(public["options"])
    elif kind == "matching":
        rng.shuffle(public["choices"])
    elif kind == "ordering" and len(public["items"]) >= 2:
        order = _dict(key).get("order")
        public["items"] = _shuffle_ordering(
            public["items"], rng, order if isinstance(order, list) else None
        )
    return public


# --- manual marking --------------------------------------------------------------------------


def score_rubric(rubric: list[dict], marks: Mapping[str, Decimal | str]) -> Decimal:
    """Sum one mark per rubric criterion, each within [0, its points]; ValueError otherwise."""
    if not isinstance(marks, Mapping):
        raise ValueError(_("Marks must map criteria to points."))
    rubric = [_dict(criterion) for criterion in rubric]
    ids = [criterion.get("id") for criterion in rubric]
    for ident in marks:
        if ident not in ids:
            raise ValueError(
                _("There is no criterion '%(id)s' in the rubric.") % {"id": _show(ident)}
            )
    total = Fraction(0)
    for criterion in rubric:
        ident, maximum = criterion.get("id"), parse_decimal(criterion.get("points"))
        if maximum is None:
            raise ValueError(
                _("Criterion '%(id)s' has no valid points in the rubric.") % {"id": _show(ident)}
            )
        if ident not in marks:
            raise ValueError(_("Give a mark for criterion '%(id)s'.") % {"id": _show(ident)})
        mark = parse_decimal(marks[ident], comma=True)
        if mark is None or not 0 <= mark <= maximum:
            raise ValueError(
                _("The mark for criterion '%(id)s' must be a number from 0 to %(max)s.")
                % {"id": _show(ident), "max": maximum}
            )
        total += Fraction(mark)
    return _round_cents(total)


def resolve_marks(
    first: Decimal, second: Decimal, *, tolerance: Decimal, adjudicated: Decimal | None = None
) -> Decimal | None:
    """The final dual mark: the mean when markers agree within tolerance, else the adjudicator's."""
    if abs(Fraction(first) - Fraction(second)) <= Fraction(tolerance):
        return _round_cents((Fraction(first) + Fraction(second)) / 2)
    return None if adjudicated is None else _round_cents(Fraction(adjudicated))


# --- pass rules ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartRule:
    """One exam part's weight and minimum, both in percent."""

    name: str
    weight: Decimal
    minimum: Decimal


@dataclass(frozen=True)
class PassRule:
    """A level's pass rule: every part's minimum and a minimum weighted total."""

    parts: tuple[PartRule, ...]
    total_minimum: Decimal


@dataclass(frozen=True)
class Outcome:
    """The result of applying a pass rule to an attempt's part percentages."""

    total: Decimal
    passed: bool
    failed_parts: tuple[str, ...]


def apply_pass_rule(rule: PassRule, part_percentages: Mapping[str, Decimal]) -> Outcome:
    """Weighted total and pass/fail; a part missing from the percentages counts as 0."""
    scores = {p.name: Fraction(part_percentages.get(p.name, Decimal(0))) for p in rule.parts}
    weights = sum((Fraction(p.weight) for p in rule.parts), Fraction(0))
    total = sum((Fraction(p.weight) * scores[p.name] for p in rule.parts), Fraction(0))
    total = total / weights if weights else Fraction(0)
    failed = tuple(p.name for p in rule.parts if scores[p.name] < Fraction(p.minimum))
    passed = not failed and total >= Fraction(rule.total_minimum)
    # Truncate rather than round, so a shown 60.00 never belongs to a failed 59.996.
    return Outcome(Decimal(math.floor(total * 100)).scaleb(-2), passed, failed)


def key_response(kind: str, content: dict, key: dict) -> dict:
    """The response that earns full marks (demo data, benchmarks and tests sit exams with it)."""
    match kind:
        case "single_choice":
            return {"choice": key.get("correct")}
        case "multiple_choice":
            return {"choices": list(key.get("correct") or [])}
        case "true_false":
            return {"value": key.get("correct")}
        case "fill_blanks":
            return {"blanks": [(b.get("accepted") or [""])[0] for b in key.get("blanks", [])]}
        case "numeric":
            return {"value": str(key.get("value", ""))}
        case "matching":
            return {"pairs": dict(key.get("pairs") or {})}
        case "ordering":
            return {"order": list(key.get("order") or [])}
        case _:
            return {"text": ""}


def is_answered(response: object) -> bool:
    """Whether a stored response holds an answer (False for true/false is an answer)."""
    if isinstance(response, dict):
        return any(is_answered(v) for v in response.values())
    if isinstance(response, list):
        return any(is_answered(v) for v in response)
    if isinstance(response, str):
        return bool(response.strip())
    return response is not None
