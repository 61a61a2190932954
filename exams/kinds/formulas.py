"""Formulas of calculation questions, read and computed safely (simpleeval, never eval).

A formula is plain arithmetic over named numbers: numbers written as plain decimals,
names, + - * / and ** (exponents of at most MAX_EXPONENT), brackets, and the functions
min, max, round, ceil, floor, abs and sqrt. Everything else (attributes, comparisons,
strings, keywords...) is refused when the formula is read. Arithmetic is Decimal with 28
significant digits; every intermediate result must stay within ±LIMIT.

Pure: values in, values out.
"""

import ast
import functools
from collections.abc import Mapping
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simpleeval import InvalidExpression, NameNotDefined, SimpleEval

from .base import parse_decimal, show

MAX_FORMULA_CHARS = 300
MAX_EXPONENT = 10
MAX_ROUND_DECIMALS = 10
LIMIT = Decimal(10) ** 15
# Emax bounds every result the context computes; the explicit checks give the message.
CONTEXT = Context(prec=28, Emax=18, Emin=-40, traps=[Overflow, DivisionByZero, InvalidOperation])


class FormulaError(ValueError):
    """A formula that cannot be read, or cannot be computed for some values (translated)."""


# --- the functions and operators a formula may use -------------------------------------------


def checked(value: object) -> Decimal:
    """The value if it is a finite Decimal within ±LIMIT, else FormulaError."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise FormulaError(_("the result is not a number"))
    if abs(value) > LIMIT:
        raise FormulaError(_("a result is larger than %(limit)s") % {"limit": "10^15"})
    return value


def _power(base: Decimal, exponent: Decimal) -> Decimal:
    if abs(exponent) > MAX_EXPONENT:
        raise FormulaError(
            _("exponents may be at most %(max)d, not %(n)s") % {"max": MAX_EXPONENT, "n": exponent}
        )
    if base == 0 and exponent < 0:
        raise ZeroDivisionError
    return checked(base**exponent)


def _round(value: Decimal, decimals: Decimal = Decimal(0)) -> Decimal:
    if decimals != decimals.to_integral_value() or not 0 <= decimals <= MAX_ROUND_DECIMALS:
        raise FormulaError(
            _("round() keeps 0 to %(max)d decimal places") % {"max": MAX_ROUND_DECIMALS}
        )
    return checked(value.quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP))


# Each function with its fewest and most arguments (None: no most).
FUNCTIONS = {
    "min": (lambda *values: checked(min(values)), 2, None),
    "max": (lambda *values: checked(max(values)), 2, None),
    "round": (_round, 1, 2),
    "ceil": (lambda value: checked(value.to_integral_value(rounding=ROUND_CEILING)), 1, 1),
    "floor": (lambda value: checked(value.to_integral_value(rounding=ROUND_FLOOR)), 1, 1),
    "abs": (lambda value: checked(abs(value)), 1, 1),
    "sqrt": (lambda value: checked(value.sqrt()), 1, 1),
}
OPERATORS = {
    ast.Add: lambda a, b: checked(a + b),
    ast.Sub: lambda a, b: checked(a - b),
    ast.Mult: lambda a, b: checked(a * b),
    ast.Div: lambda a, b: checked(a / b),
    ast.Pow: _power,
    ast.USub: lambda a: checked(-a),
    ast.UAdd: lambda a: checked(+a),
}
_WORDS = "+ - * / **, ( ), min, max, round, ceil, floor, abs, sqrt"


# --- reading ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def parse(formula: str) -> ast.expr:
    """The checked tree of a formula, numbers already Decimal; FormulaError if refused.

    The tree is shared through the cache: nothing may change it.
    """
    if not isinstance(formula, str) or not formula.strip():
        raise FormulaError(_("the formula is empty"))
    if len(formula) > MAX_FORMULA_CHARS:
        raise FormulaError(
            _("the formula is longer than %(max)d characters") % {"max": MAX_FORMULA_CHARS}
        )
    try:
        tree = ast.parse(formula.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise FormulaError(_("the formula is not well formed")) from None
    _check(tree.body, formula.strip())
    return tree.body


def _check(node: ast.AST, source: str) -> None:
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        _check(node.left, source)
        _check(node.right, source)
    elif isinstance(node, ast.UnaryOp) and type(node.op) in OPERATORS:
        _check(node.operand, source)
    elif isinstance(node, ast.Name):
        return
    elif isinstance(node, ast.Constant):
        text = ast.get_source_segment(source, node) or ""
        number = parse_decimal(text) if isinstance(node.value, int | float) else None
        if number is None or isinstance(node.value, bool):
            raise FormulaError(
                _("'%(text)s' is not a plain number such as 0.5") % {"text": show(text)}
            )
        if abs(number) > LIMIT:
            raise FormulaError(_("the number %(n)s is too large") % {"n": show(text)})
        node.value = number  # simpleeval hands constants back as they are: make them Decimal
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        if name not in FUNCTIONS:
            raise FormulaError(
                _("there is no function '%(name)s': use %(words)s")
                % {"name": show(name), "words": _WORDS}
            )
        _function, fewest, most = FUNCTIONS[name]
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise FormulaError(_("give %(name)s() plain values") % {"name": name})
        if len(node.args) < fewest:
            raise FormulaError(
                ngettext(
                    "%(name)s() needs at least %(n)d value",
                    "%(name)s() needs at least %(n)d values",
                    fewest,
                )
                % {"name": name, "n": fewest}
            )
        if most is not None and len(node.args) > most:
            raise FormulaError(
                ngettext(
                    "%(name)s() takes at most %(n)d value",
                    "%(name)s() takes at most %(n)d values",
                    most,
                )
                % {"name": name, "n": most}
            )
        for argument in node.args:
            _check(argument, source)
    else:
        raise FormulaError(
            _("'%(text)s' is not allowed: use numbers, names and %(words)s")
            % {"text": show(ast.get_source_segment(source, node) or ""), "words": _WORDS}
        )


def names_used(formula: str) -> set[str]:
    """The names a readable formula uses as values (a function's own name is not one)."""
    tree = parse(formula)
    functions = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    return {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and id(node) not in functions
    }


# --- computing -------------------------------------------------------------------------------


class _Evaluator(SimpleEval):
    """simpleeval with only the nodes a formula may hold (the tree is checked already)."""

    def __init__(self):
        super().__init__(
            operators=OPERATORS,
            functions={name: spec[0] for name, spec in FUNCTIONS.items()},
            names={},
        )
        self.nodes = {
            ast.Name: self._eval_name,
            ast.UnaryOp: self._eval_unaryop,
            ast.BinOp: self._eval_binop,
            ast.Call: self._eval_call,
            ast.Constant: self._eval_constant,
        }


def evaluate(formula: str, names: Mapping[str, Decimal]) -> Decimal:
    """The value of a formula for these names; FormulaError saying why when there is none."""
    tree = parse(formula)
    evaluator = _Evaluator()
    evaluator.names = dict(names)
    try:
        with localcontext(CONTEXT):
            return checked(evaluator.eval(formula, previously_parsed=tree))
    except FormulaError:
        raise
    except NameNotDefined as exc:
        raise FormulaError(_("'%(name)s' has no value") % {"name": show(exc.name)}) from None
    except ZeroDivisionError:
        raise FormulaError(_("it divides by zero")) from None
    except Overflow:
        raise FormulaError(_("a result is larger than %(limit)s") % {"limit": "10^15"}) from None
    except (ArithmeticError, TypeError, ValueError):
        # The square root of a negative number, a fractional power of one, 0 ** 0.5...
        raise FormulaError(_("it has no real value")) from None
    except (InvalidExpression, RecursionError, MemoryError):
        raise FormulaError(_("the formula is not well formed")) from None
