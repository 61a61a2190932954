"""Pure grading core: the facade over the question kinds, rubrics and pass rules.

Every kind lives in its own module under exams.kinds; these functions keep the names and
signatures other apps and the interop formats call, and delegate to the kind. Nothing here
touches the database: every function takes plain values (the neutral QuestionData dicts)
and returns plain values, so it is tested and reused without Django models.
"""

import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from . import idnumbers, kinds, tags
from .kinds.base import (
    LANGUAGES,
    MAX_BLANK_CHARS,
    MAX_FILE_NAME_CHARS,
    MAX_ID_CHARS,
    MAX_TEXT_CHARS,
    SCORINGS,
    TOLERANCE_MODES,
    Grade,
    as_dict,
    award,
    check_text,
    parse_decimal,
    round_cents,
    show,
    zero,
)

__all__ = [
    "GRADERS",
    "KINDS",
    "LANGUAGES",
    "MANUAL_KINDS",
    "MAX_BLANK_CHARS",
    "MAX_FILE_NAME_CHARS",
    "MAX_ID_CHARS",
    "MAX_TEXT_CHARS",
    "SCORINGS",
    "TOLERANCE_MODES",
    "Grade",
    "Outcome",
    "PartRule",
    "PassRule",
    "apply_pass_rule",
    "clean_response",
    "grade",
    "is_answered",
    "key_response",
    "parse_decimal",
    "public_content",
    "resolve_marks",
    "score_rubric",
    "shuffle_content",
    "validate_question",
]

KINDS: tuple[str, ...] = tuple(kinds.REGISTRY)
MANUAL_KINDS = frozenset(name for name, kind in kinds.REGISTRY.items() if kind.manual)
GRADERS: dict[str, Callable[[dict, dict, dict | None, Decimal], Grade]] = {
    name: kind.grade for name, kind in kinds.REGISTRY.items()
}

# The names this module had before the kinds moved out, for callers that used them.
_award, _zero, _round_cents, _show, _dict = award, zero, round_cents, show, as_dict


def grade(kind: str, *, content: dict, key: dict, response: object, max_points: Decimal) -> Grade:
    """Grade one response; malformed responses score 0 and never raise."""
    grader = kinds.get(kind)
    response = response if isinstance(response, dict) else None
    return grader.grade(as_dict(content), as_dict(key), response, max_points)


def validate_question(data: object) -> list[str]:
    """Every problem with a QuestionData dict, as translated messages; empty means valid."""
    if not isinstance(data, dict):
        return [_("A question must be an object.")]
    problems: list[str] = []
    kind = data.get("kind")
    if kind not in kinds.REGISTRY:
        problems.append(_("Unknown question kind '%(kind)s'.") % {"kind": show(kind)})
    check_text(data.get("text"), _("The question text"), problems, required=True)
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
    check_text(data.get("feedback"), _("The feedback"), problems, required=False)
    if "tags" in data:
        problems += tags.problems(data["tags"])
    if "idnumber" in data:
        problems += idnumbers.problems(data["idnumber"])
    content, key = data.get("content"), data.get("key")
    if not isinstance(content, dict):
        problems.append(_("The content must be an object."))
    if not isinstance(key, dict):
        problems.append(_("The key must be an object."))
    if kind in kinds.REGISTRY and isinstance(content, dict) and isinstance(key, dict):
        problems += kinds.REGISTRY[kind].validate(content, key, data)
    return problems


def clean_response(kind: str, content: dict, response: object) -> dict:
    """Normalise a response from the API, or raise ValueError with a translated message."""
    cleaner = kinds.get(kind)
    if not isinstance(response, dict):
        raise ValueError(_("The answer must be an object."))
    return cleaner.clean_response(as_dict(content), response)


def public_content(kind: str, content: dict) -> dict:
    """A fresh copy of the content with only the fields a student may see."""
    return kinds.get(kind).public_content(as_dict(content))


def shuffle_content(
    kind: str, content: dict, rng: random.Random, *, key: dict | None = None
) -> dict:
    """Public content with options, matching choices or ordering items shuffled.

    Ordering items never come out in the key order (pass key) or, when the key is not
    given or it is possible, in the authored order, which authors usually write correctly.
    """
    found = kinds.get(kind)
    return found.shuffle(found.public_content(as_dict(content)), rng, as_dict(key))


def key_response(kind: str, content: dict, key: dict) -> dict:
    """The response that earns full marks (demo data, benchmarks and tests sit exams with it)."""
    return kinds.get(kind).key_response(as_dict(content), as_dict(key))


# --- manual marking --------------------------------------------------------------------------


def score_rubric(rubric: list[dict], marks: Mapping[str, Decimal | str]) -> Decimal:
    """Sum one mark per rubric criterion, each within [0, its points]; ValueError otherwise."""
    if not isinstance(marks, Mapping):
        raise ValueError(_("Marks must map criteria to points."))
    rubric = [as_dict(criterion) for criterion in rubric]
    ids = [criterion.get("id") for criterion in rubric]
    for ident in marks:
        if ident not in ids:
            raise ValueError(
                _("There is no criterion '%(id)s' in the rubric.") % {"id": show(ident)}
            )
    total = Fraction(0)
    for criterion in rubric:
        ident, maximum = criterion.get("id"), parse_decimal(criterion.get("points"))
        if maximum is None:
            raise ValueError(
                _("Criterion '%(id)s' has no valid points in the rubric.") % {"id": show(ident)}
            )
        if ident not in marks:
            raise ValueError(_("Give a mark for criterion '%(id)s'.") % {"id": show(ident)})
        mark = parse_decimal(marks[ident], comma=True)
        if mark is None or not 0 <= mark <= maximum:
            raise ValueError(
                _("The mark for criterion '%(id)s' must be a number from 0 to %(max)s.")
                % {"id": show(ident), "max": maximum}
            )
        total += Fraction(mark)
    return round_cents(total)


def resolve_marks(
    first: Decimal, second: Decimal, *, tolerance: Decimal, adjudicated: Decimal | None = None
) -> Decimal | None:
    """The final dual mark: the mean when markers agree within tolerance, else the adjudicator's."""
    if abs(Fraction(first) - Fraction(second)) <= Fraction(tolerance):
        return round_cents((Fraction(first) + Fraction(second)) / 2)
    return None if adjudicated is None else round_cents(Fraction(adjudicated))


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


def is_answered(response: object) -> bool:
    """Whether a stored response holds an answer (False for true/false is an answer)."""
    if isinstance(response, dict):
        return any(is_answered(v) for v in response.values())
    if isinstance(response, list):
        return any(is_answered(v) for v in response)
    if isinstance(response, str):
        return bool(response.strip())
    return response is not None
