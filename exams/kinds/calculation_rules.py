"""The rules of calculation questions: reading the key, drawing numbers, marking steps, checks.

Pure: values in, values out (the kind and its form are in .calculation). Values are Decimal;
formulas are read and computed by .formulas (simpleeval, never eval).
"""

import itertools
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .base import (
    LANGUAGES,
    TOLERANCE_MODES,
    as_dict,
    as_list,
    check_text,
    parse_decimal,
    show,
)
from .formulas import CONTEXT, FUNCTIONS, FormulaError, evaluate, names_used

NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")
PLACEHOLDER_RE = re.compile(r"\{([A-Za-z][A-Za-z0-9_]{0,31})\}")
_TAG_RE = re.compile(r"(<[^>]*>)")
MAX_VARIABLES = 12
MAX_STEPS = 12
MAX_DECIMALS = 6
MAX_UNIT_CHARS = 40
VARIABLE_LIMIT = Decimal(10) ** 9
SAMPLE_POINTS = 40  # random points checked at saving, besides the corners of the ranges
SAMPLE_SEED = 10
DRAW_TRIES = 20  # redraws when a draw would leave a step without a value


@dataclass(frozen=True)
class Variable:
    name: str
    low: Decimal
    high: Decimal
    decimals: int


@dataclass(frozen=True)
class Step:
    id: str
    formula: str
    tolerance: Decimal
    relative: bool
    points: Decimal
    carry: bool


@dataclass(frozen=True)
class StepMark:
    """One step of one answer: the value expected, the answer, and whether it earns points."""

    step: Step
    expected: Decimal | None
    answer: Decimal | None
    right: bool
    carried: bool  # right only because it follows from the student's own earlier answers


# --- reading the key -------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def variables_of(key: dict) -> list[Variable]:
    """The well-formed variables of a key, their bounds on their decimal places."""
    found = []
    for entry in as_list(key.get("variables")):
        entry = as_dict(entry)
        name, decimals = entry.get("name"), entry.get("decimals", 0)
        low, high = parse_decimal(entry.get("min")), parse_decimal(entry.get("max"))
        if (
            not isinstance(name, str)
            or low is None
            or high is None
            or not _is_int(decimals)
            or not 0 <= decimals <= MAX_DECIMALS
            or max(abs(low), abs(high)) > VARIABLE_LIMIT
        ):
            continue
        unit = Decimal(1).scaleb(-decimals)
        low, high = low.quantize(unit, ROUND_CEILING), high.quantize(unit, ROUND_FLOOR)
        if low <= high:
            found.append(Variable(name, low, high, decimals))
    return found


def steps_of(key: dict) -> list[Step]:
    """The well-formed steps of a key, in order."""
    found = []
    for entry in as_list(key.get("steps")):
        entry = as_dict(entry)
        ident, formula = entry.get("id"), entry.get("formula")
        if not isinstance(ident, str) or not isinstance(formula, str):
            continue
        tolerance = parse_decimal(entry.get("tolerance", "0")) or Decimal(0)
        points = parse_decimal(entry.get("points")) or Decimal(0)
        found.append(
            Step(
                ident,
                formula,
                max(tolerance, Decimal(0)),
                entry.get("tolerance_mode") == "relative",
                max(points, Decimal(0)),
                entry.get("carry_error") is True,
            )
        )
    return found


# --- drawing and computing -------------------------------------------------------------------


def draw_values(variables: list[Variable], rng: random.Random) -> dict[str, Decimal]:
    """One value of every variable, on the grid of its decimal places."""
    values = {}
    with localcontext(CONTEXT):
        for variable in variables:
            unit = Decimal(1).scaleb(-variable.decimals)
            count = int((variable.high - variable.low) / unit)
            values[variable.name] = variable.low + unit * rng.randint(0, count)
    return values


def expected_values(steps: list[Step], values: Mapping[str, Decimal]) -> dict[str, Decimal | None]:
    """Each step's value for these variables (None when its formula has none)."""
    names, found = dict(values), {}
    for step in steps:
        try:
            found[step.id] = names[step.id] = evaluate(step.formula, names)
        except FormulaError:
            found[step.id] = None
            names.pop(step.id, None)
    return found


def values_from_seed(key: dict, seed: int) -> dict[str, Decimal]:
    """The values drawn from a seed: the same seed always gives the same values.

    A draw that leaves a step without a value (a case the checks at saving missed) is
    drawn again, a few times, from the same generator.
    """
    rng = random.Random(seed)
    variables, steps = variables_of(key), steps_of(key)
    for _try in range(DRAW_TRIES):
        values = draw_values(variables, rng)
        if None not in expected_values(steps, values).values():
            break
    return values


def values_of(content: dict, key: dict) -> dict[str, Decimal]:
    """The variables' values of this content: those drawn for the attempt, else the lowest."""
    variables = variables_of(key)
    shown = as_dict(content.get("values"))
    # What the student saw wins, even if the key's ranges were corrected since.
    values = {v.name: parse_decimal(shown.get(v.name)) for v in variables}
    if None in values.values():
        seed = content.get("seed")
        if _is_int(seed):
            fallback = values_from_seed(key, seed)
        else:
            fallback = {v.name: v.low for v in variables}
        values = {
            name: fallback[name] if value is None else value for name, value in values.items()
        }
    return values


def _within(answer: Decimal, target: Decimal, step: Step) -> bool:
    tolerance = Fraction(step.tolerance)
    if step.relative:
        tolerance *= abs(Fraction(target))
    return abs(Fraction(answer) - Fraction(target)) <= tolerance


def step_marks(content: dict, key: dict, response: dict | None) -> list[StepMark]:
    """Mark every step of a response (pure; malformed answers are simply wrong)."""
    steps = steps_of(key)
    values = values_of(content, key)
    expected = expected_values(steps, values)
    answers = as_dict(as_dict(response).get("steps"))
    own = dict(values)  # the variables, then the student's own answers to the steps so far
    marks = []
    for step in steps:
        answer = parse_decimal(answers.get(step.id), comma=True)
        target = expected[step.id]
        right = answer is not None and target is not None and _within(answer, target, step)
        carried = False
        if not right and step.carry and answer is not None:
            try:
                carried = _within(answer, evaluate(step.formula, own), step)
            except FormulaError:
                carried = False
        marks.append(StepMark(step, target, answer, right or carried, carried))
        # Later steps carry this answer forward, or the right value when there is none.
        mine = answer if answer is not None else target
        if mine is None:
            own.pop(step.id, None)
        else:
            own[step.id] = mine
    return marks


def typed(value: Decimal | None, step: Step) -> str:
    """The value as a person would type it: rounded, but well within the step's tolerance."""
    if value is None:
        return ""
    with localcontext() as context:
        context.prec = 80
        exponent = value.as_tuple().exponent
        if step.tolerance > 0 and value != 0:
            if step.relative:
                digits = min(28, max(1, 1 - step.tolerance.adjusted()))
                exponent = value.adjusted() - digits + 1
            else:
                exponent = min(0, step.tolerance.adjusted() - 1)
        if isinstance(exponent, int) and exponent > value.as_tuple().exponent:
            value = value.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)
        return format(value.normalize() if value else Decimal(0), "f")


def with_values(html: str, values: Mapping[str, str]) -> str:
    """Rendered text with each {name} of a drawn variable replaced by its value."""

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        return format_html('<span class="drawn">{}</span>', values[name])

    # Substitute in text only, never inside a tag.
    parts = [p if p.startswith("<") else PLACEHOLDER_RE.sub(value, p) for p in _TAG_RE.split(html)]
    return mark_safe("".join(parts))  # noqa: S308 - sanitised HTML plus format_html


def shown_values(content: dict) -> dict[str, str]:
    """The drawn values a student sees, as stored (numbers only)."""
    return {
        name: value
        for name, value in as_dict(content.get("values")).items()
        if isinstance(name, str) and isinstance(value, str) and parse_decimal(value) is not None
    }


# --- checks ----------------------------------------------------------------------------------


def bad_name(name: object) -> bool:
    return not isinstance(name, str) or not NAME_RE.fullmatch(name) or name in FUNCTIONS


def _name_problem(what: str) -> str:
    return _(
        "Each %(what)s needs a name of letters, digits and _ that starts with a letter and is "
        "not a function's name, such as 'weight_kg' (at most 32 characters)."
    ) % {"what": what}


def _variable_problems(key: dict, add) -> list[str]:
    variables = key.get("variables")
    if not isinstance(variables, list) or not variables:
        add(_("Give at least one variable."))
    elif len(variables) > MAX_VARIABLES:
        add(_("Give at most %(n)d variables.") % {"n": MAX_VARIABLES})
    names: list[str] = []
    for entry in as_list(variables):
        entry = as_dict(entry)
        name = entry.get("name")
        if bad_name(name):
            add(_name_problem(_("variable")))
            continue
        if name in names:
            add(_("The name '%(name)s' is used more than once.") % {"name": name}, name)
        names.append(name)
        decimals = entry.get("decimals", 0)
        if not _is_int(decimals) or not 0 <= decimals <= MAX_DECIMALS:
            add(
                _("Variable '%(name)s' keeps 0 to %(max)d decimal places.")
                % {"name": name, "max": MAX_DECIMALS},
                name,
            )
            decimals = None
        low, high = parse_decimal(entry.get("min")), parse_decimal(entry.get("max"))
        if low is None or high is None:
            add(_("Variable '%(name)s' needs a lowest and a highest value.") % {"name": name}, name)
        elif max(abs(low), abs(high)) > VARIABLE_LIMIT:
            add(
                _("The values of '%(name)s' must lie between -%(limit)s and %(limit)s.")
                % {"name": name, "limit": "1000000000"},
                name,
            )
        elif low > high:
            add(_("The lowest value of '%(name)s' is above its highest.") % {"name": name}, name)
        elif decimals is not None:
            unit = Decimal(1).scaleb(-decimals)
            if low != low.quantize(unit) or high != high.quantize(unit):
                add(
                    _("The lowest and highest values of '%(name)s' have more decimal places "
                      "than its %(n)d.") % {"name": name, "n": decimals},
                    name,
                )  # fmt: skip
    return names


def _step_problems(content: dict, key: dict, names: list[str], add) -> tuple[list[str], Decimal]:
    """Check the steps of the content and of the key; return their ids and points."""
    entries = content.get("steps")
    if not isinstance(entries, list) or not entries:
        add(_("Give at least one answer step."))
    elif len(entries) > MAX_STEPS:
        add(_("Give at most %(n)d answer steps.") % {"n": MAX_STEPS})
    ids: list[str] = []
    for entry in as_list(entries):
        entry = as_dict(entry)
        ident = entry.get("id")
        if bad_name(ident):
            add(_name_problem(_("step")))
            continue
        if ident in ids or ident in names:
            add(_("The name '%(name)s' is used more than once.") % {"name": ident}, ident)
        ids.append(ident)
        problems: list[str] = []
        label = _("The label of step '%(id)s'") % {"id": ident}
        check_text(entry.get("label"), label, problems, required=True)
        for problem in problems:
            add(problem, ident)
        unit = entry.get("unit")
        if unit is not None and (not isinstance(unit, str) or len(unit) > MAX_UNIT_CHARS):
            add(
                _("The unit of step '%(id)s' must be text of at most %(max)d characters.")
                % {"id": ident, "max": MAX_UNIT_CHARS},
                ident,
            )
    formulas = key.get("steps")
    key_ids = [as_dict(s).get("id") for s in as_list(formulas)]
    if key_ids != ids:
        add(
            _("The key's steps (%(key)s) must be the question's steps (%(steps)s), in order.")
            % {"key": ", ".join(map(show, key_ids)), "steps": ", ".join(ids)}
        )
    total, earlier = Decimal(0), []
    for entry in as_list(formulas):
        entry = as_dict(entry)
        ident = entry.get("id")
        if not isinstance(ident, str):
            continue
        try:
            used = names_used(entry.get("formula"))
        except FormulaError as exc:
            add(
                _("The formula of step '%(id)s': %(problem)s.") % {"id": ident, "problem": exc},
                ident,
            )
            used = set()
        for name in sorted(used - set(names) - set(earlier)):
            if name == ident:
                message = _("Step '%(id)s' uses its own result.")
            elif name in ids:
                message = _(
                    "Step '%(id)s' uses step '%(name)s', which comes after it: a formula may "
                    "use only the variables and the steps before it."
                )
            else:
                message = _("Step '%(id)s' uses '%(name)s', which is neither a variable nor an "
                            "earlier step.")  # fmt: skip
            add(message % {"id": ident, "name": show(name)}, ident)
        earlier.append(ident)
        tolerance = parse_decimal(entry.get("tolerance", "0"))
        if tolerance is None or tolerance < 0:
            add(_("The tolerance of step '%(id)s' must be 0 or more.") % {"id": ident}, ident)
        if entry.get("tolerance_mode", "absolute") not in TOLERANCE_MODES:
            add(_("The tolerance mode must be 'absolute' or 'relative'."), ident)
        points = parse_decimal(entry.get("points"))
        if points is None or points <= 0:
            add(_("Step '%(id)s' must be worth more than 0 points.") % {"id": ident}, ident)
        else:
            total += points
        if "carry_error" in entry and not isinstance(entry["carry_error"], bool):
            add(_("'%(name)s' must be true or false.") % {"name": "carry_error"}, ident)
    return ids, total


def _text_problems(question: Mapping | None, names: list[str], add) -> None:
    for lang, text in as_dict(as_dict(question).get("text")).items():
        # An empty translation is allowed (the other language carries the question).
        if not isinstance(text, str) or lang not in LANGUAGES or not text.strip():
            continue
        shown = set(PLACEHOLDER_RE.findall(text))
        for name in sorted(shown - set(names)):
            add(
                _("The '%(lang)s' text shows {%(name)s}, but there is no variable '%(name)s'.")
                % {"lang": lang, "name": name}
            )
        for name in names:
            if name not in shown:
                add(
                    _("The '%(lang)s' text never shows variable '%(name)s': write {%(name)s} "
                      "where students should see its value.") % {"lang": lang, "name": name},
                    name,
                )  # fmt: skip


def sample_points(variables: list[Variable]) -> list[dict[str, Decimal]]:
    """The values checked at saving: the corners of the ranges, then random points (fixed)."""
    lows = {v.name: v.low for v in variables}
    highs = {v.name: v.high for v in variables}
    if len(variables) <= 6:
        points = [
            dict(zip(lows, corner, strict=True))
            for corner in itertools.product(*[(v.low, v.high) for v in variables])
        ]
    else:
        points = [lows, highs]
        points += [{**lows, v.name: v.high} for v in variables]
        points += [{**highs, v.name: v.low} for v in variables]
    rng = random.Random(SAMPLE_SEED)
    return points + [draw_values(variables, rng) for _n in range(SAMPLE_POINTS)]


def _sample_problems(key: dict, add) -> None:
    """Refuse a formula that has no value somewhere in the ranges (as far as sampling sees)."""
    steps, failed = steps_of(key), set()
    for point in sample_points(variables_of(key)):
        names = dict(point)
        for step in steps:
            try:
                names[step.id] = evaluate(step.formula, names)
            except FormulaError as exc:
                if step.id not in failed:
                    failed.add(step.id)
                    values = ", ".join(f"{name} = {value}" for name, value in point.items())
                    add(
                        _("Step '%(id)s' cannot be computed when %(values)s: %(problem)s.")
                        % {"id": step.id, "values": values, "problem": exc},
                        step.id,
                    )
                break


def problems(content: dict, key: dict, question: Mapping | None = None) -> list[tuple[str, str]]:
    """Every problem of a calculation, each with the variable or step it is about ('' if none)."""
    found: list[tuple[str, str]] = []

    def add(message: str, about: str = "") -> None:
        found.append((about, message))

    names = _variable_problems(key, add)
    _ids, total = _step_problems(content, key, names, add)
    points = parse_decimal(as_dict(question).get("points"))
    if points is not None and points > 0 and total > 0 and points != total:
        add(
            _("The question is worth %(points)s points but its steps total %(total)s.")
            % {"points": points, "total": total}
        )
    _text_problems(question, names, add)
    if not found:
        _sample_problems(key, add)
    return found
