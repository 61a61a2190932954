"""The question kinds registry: every kind has every part, and each part keeps its promises.

Walks exams.kinds.REGISTRY, so a new kind fails here until it has: its methods and widget,
a Hypothesis strategy below (STRATEGIES, and FULL_MARKS / PLAUSIBLE when people do not
mark it), a demo question in lms/demo/exam_content.py, and an authoring form that gives
back what it was given and turns bad input into form errors.
"""

import copy
import json
import math
import random
import re
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser

import pytest
from django.template.loader import get_template, render_to_string
from django.utils.functional import Promise
from hypothesis import given, settings
from hypothesis import strategies as st

from exams import grading, kinds
from exams.kinds import listing
from exams.kinds.base import Kind
from exams.models import Question
from lms.demo.exam_content import LM_QUESTIONS, PO_QUESTIONS
from tests.exams.test_marking import login
from tests.exams.test_staff_pages import admin_url, staff

D = Decimal
REGISTRY = kinds.REGISTRY
MANUAL = sorted(name for name, kind in REGISTRY.items() if kind.manual)
# Manual kinds whose grade already counts automatic criteria (exams.kinds.listing).
PARTLY_AUTOMATIC = {"listing"}
OBJECTIVE = [name for name, kind in REGISTRY.items() if not kind.manual]
EXAMPLES = settings(max_examples=100, deadline=None)
# Per-kind properties run once per kind, so each takes a share of the example budget.
PER_KIND = settings(max_examples=30, deadline=None)

# --- strategies: a valid question of each kind -----------------------------------------------

ids_st = st.lists(
    st.text("abcdefghij", min_size=1, max_size=3), min_size=2, max_size=6, unique=True
)
points_st = st.decimals(min_value=D("0.01"), max_value=D("1000"), places=2)
answers_st = st.text(min_size=1, max_size=10).filter(str.strip)
scoring_st = st.sampled_from(["all_or_nothing", "partial"])
json_st = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5) | st.decimals(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=6,
)
fields_st = st.sampled_from(
    ["choice", "choices", "value", "blanks", "pairs", "order", "text", "file"]
)


def entries(*ids: str) -> list[dict]:
    """Option-like entries with text in both languages."""
    return [{"id": i, "text": {"en": f"Text {i}", "zh-hans": f"文本 {i}"}} for i in ids]


def _single_choice(draw: st.DrawFn) -> tuple[dict, dict, dict]:
    ids = draw(ids_st)
    return {"options": entries(*ids)}, {"correct": draw(st.sampled_from(ids))}, {}


def _multiple_choice(draw: st.DrawFn) -> tuple[dict, dict, dict]:
    ids = draw(ids_st)
    key = {
        "correct": draw(st.lists(st.sampled_from(ids), min_size=1, unique=True)),
        "scoring": draw(scoring_st),
        "penalty": format(draw(st.decimals(min_value=0, max_value=1, places=2)), "f"),
    }
    return {"options": entries(*ids)}, key, {}


def _true_false(draw: st.DrawFn) -> tuple[dict, dict, dict]:
    return {}, {"correct": draw(st.booleans())}, {}


def _fill_blanks(draw: st.DrawFn) -> tuple[dict, dict, dict]:
    count = draw(st.integers(1, 4))
    key = {
        "blanks": [{"accepted": draw(st.lists(answers_st, min_size=1, max_size=3))}] * count,
        "case_sensitive": draw(st.booleans()),
        "normalise_whitespace": draw(st.booleans()),
    }
    text = {"en": " and ".join(f"[[{n}]]" for n in range(1, count + 1))}
    return {"blanks": count}, key, {"text": text}


def _numeric(draw: st.DrawFn) -> tuple[dict, dict, dict]:
    value = draw(st.decimals(min_value=-(10**6), max_value=10**6, places=3))
    key = {
        "value": format(value, "f"),
        "tolerance": format(draw(st.decimals(min_value=0, max_value=10, places=3)), "f"),
        "tolerance_mode": draw(st.sampled_from(["absolute", "relative"])),
    }
    return {}, key, {}


def _matching(draw: st.DrawFn) -> tuple[dict, dict, dict]:
    ids = draw(
        st.lists(st.text("abcdefghij", min_size=1, max_size=3), min_size=3, max_size=8, unique=True)
    )
    split = draw(st.integers(1, len(ids) - 2))
    prompts, choices = ids[:split], ids[split:]
    content = {"prompts": entries(*prompts), "choices": entries(*choices)}
    return content, {"pairs": {p: draw(st.sampled_from(choices)) for p in prompts}}, {}


def _ordering(draw: st.DrawFn) -> tuple[dict, dict, dict]:
    ids = draw(ids_st)
    key = {"order": draw(st.permutations(ids)), "scoring": draw(scoring_st)}
    return {"items": entries(*ids)}, key, {}


def _essay(draw: st.DrawFn) -> tuple[dict, dict, dict]:
    return {"max_words": draw(st.integers(1, 2000))}, {}, {}


def _practical(draw: st.DrawFn) -> tuple[dict, dict, dict]:
    marks = draw(st.lists(points_st, min_size=1, max_size=4))
    rubric = [
        {"id": f"r{n}", "criterion": {"en": f"Criterion {n}"}, "points": format(m, "f")}
        for n, m in enumerate(marks)
    ]
    return {}, {"rubric": rubric}, {"points": format(sum(marks), "f")}


# Short answers of letters no widget writes, so a key-leak scan cannot find them by chance;
# the full-width Ｑ and the space check that answers are compared NFKC-normalised.
cloze_answers_st = st.text("QXZqxzＱ ", min_size=2, max_size=8).filter(str.strip)
fractions_st = st.decimals(min_value=D("0.01"), max_value=D("0.99"), places=2)


def _cloze(draw: st.DrawFn) -> tuple[dict, dict, dict]:
    types = draw(st.lists(st.sampled_from(["choice", "short", "number"]), min_size=1, max_size=4))
    gaps, specs = [], {}
    for n, kind in enumerate(types, start=1):
        gap, spec = {"id": f"g{n}", "type": kind}, {"weight": draw(st.integers(1, 5))}
        if kind == "choice":
            ids = draw(ids_st)
            correct = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
            wrong = [i for i in ids if i not in correct]
            partial = (
                draw(st.dictionaries(st.sampled_from(wrong), fractions_st.map(str)))
                if wrong
                else {}
            )
            gap["options"] = entries(*ids)
            spec |= {"correct": correct, "partial": partial}
        elif kind == "short":
            accepted = draw(st.lists(cloze_answers_st, min_size=1, max_size=3))
            spec |= {"accepted": accepted, "case_sensitive": draw(st.booleans())}
        else:
            value = draw(st.decimals(min_value=-(10**6), max_value=10**6, places=3))
            tolerance = draw(st.decimals(min_value=0, max_value=10, places=3))
            spec |= {"value": format(value, "f"), "tolerance": format(tolerance, "f")}
        gaps.append(gap)
        specs[gap["id"]] = spec
    names = [gap["id"] for gap in gaps]
    # Chinese word order differs: the markers may come in another order there.
    text = {
        "en": "Fill " + " and ".join(f"[[{name}]]" for name in names) + ".",
        "zh-hans": "填写" + "，".join(f"[[{name}]]" for name in draw(st.permutations(names))),
    }
    return {"text": text, "gaps": gaps}, {"gaps": specs}, {}


# Calculation: formulas over variables of positive ranges, each step using the variables
# and earlier steps, built so that every value in range has a result.
calc_names_st = st.lists(
    st.text("abcdefgh", min_size=1, max_size=3).map(lambda name: f"zq{name}"),
    min_size=1,
    max_size=4,
    unique=True,
)


@st.composite
def _calc_formula(draw: st.DrawFn, names: list[str], earlier: list[str]) -> str:
    constant = st.decimals(min_value=D("0.5"), max_value=D(50), places=1).map(str)
    factor = st.sampled_from(names) | constant
    product = " * ".join(draw(st.lists(factor, min_size=1, max_size=3)))
    term = draw(st.sampled_from([product, *earlier]))
    shape = draw(st.sampled_from(["plain", "sum", "difference", "ratio", "max", "min"]))
    other = draw(st.sampled_from(names + earlier) | constant)
    if shape == "sum":
        return f"{term} + {other}"
    if shape == "difference":
        return f"({term}) - {other}"
    if shape == "ratio":  # variables and constants are positive: never a division by zero
        return f"({term}) / {draw(st.sampled_from(names) | constant)}"
    if shape in ("max", "min"):
        return f"{shape}({term}, {other})"
    return term


def _calculation(draw: st.DrawFn) -> tuple[dict, dict, dict]:
    names = draw(calc_names_st)
    variables = []
    for name in names:
        decimals = draw(st.integers(0, 2))
        low = draw(st.decimals(min_value=1, max_value=100, places=decimals))
        high = draw(st.decimals(min_value=low, max_value=200, places=decimals))
        variables.append(
            {"name": name, "min": format(low, "f"), "max": format(high, "f"), "decimals": decimals}
        )
    steps, formulas, earlier = [], [], []
    for n in range(1, draw(st.integers(1, 4)) + 1):
        ident = f"s{n}"
        tolerance = draw(
            st.sampled_from(
                [
                    ("0", "absolute"),
                    ("0.01", "absolute"),
                    ("0.5", "absolute"),
                    ("0.001", "relative"),
                ]
            )
        )
        steps.append({"id": ident, "label": {"en": f"Step {n}", "zh-hans": f"第 {n} 步"}})
        formulas.append(
            {
                "id": ident,
                "formula": draw(_calc_formula(names, earlier)),
                "tolerance": tolerance[0],
                "tolerance_mode": tolerance[1],
                "points": str(draw(st.integers(1, 3))),
                "carry_error": draw(st.booleans()),
            }
        )
        earlier.append(ident)
    points = sum(int(f["points"]) for f in formulas)
    text = {
        "en": "Given " + ", ".join(f"{{{name}}}" for name in names) + ".",
        "zh-hans": "已知 " + "，".join(f"{{{name}}}" for name in names) + "。",
    }
    key = {"variables": variables, "steps": formulas}
    return {"steps": steps}, key, {"text": text, "points": str(points)}


def calc_value(formula: str, names: dict) -> Decimal:
    """A formula's value, worked out here apart from the kind (+ - * /, max, min and ceil)."""
    import ast
    import math
    from decimal import localcontext

    def value(node):
        if isinstance(node, ast.Constant):
            return D(str(node.value))
        if isinstance(node, ast.Name):
            return names[node.id]
        if isinstance(node, ast.Call):
            ceil = lambda number: D(math.ceil(number))  # noqa: E731
            return {"max": max, "min": min, "ceil": ceil}[node.func.id](*map(value, node.args))
        left, right = value(node.left), value(node.right)
        return {ast.Add: D.__add__, ast.Sub: D.__sub__, ast.Mult: D.__mul__,
                ast.Div: D.__truediv__}[type(node.op)](left, right)  # fmt: skip

    with localcontext() as context:
        context.prec = 28
        return value(ast.parse(formula, mode="eval").body)


def calc_answers(key: dict, values: dict | None = None) -> dict[str, Decimal]:
    """Every step's exact result; without values, each variable at its lowest (no draw)."""
    names = dict(values or {v["name"]: D(v["min"]) for v in key["variables"]})
    for step in key["steps"]:
        names[step["id"]] = calc_value(step["formula"], names)
    return {step["id"]: names[step["id"]] for step in key["steps"]}


# Listing: keyword forms and forbidden words from disjoint alphabets no widget writes, so a
# keyword is never itself forbidden and a key-leak scan cannot find either by chance.
listing_words_st = st.text("qxzj", min_size=3, max_size=8)
listing_terms_st = st.text("kvwy", min_size=3, max_size=8)
# A marketplace's banned words are public: drawn apart, so a teacher's (secret) forbidden
# word is never found inside one of them.
listing_banned_st = st.text("fghm", min_size=3, max_size=8)
listing_points_st = st.just(D(0)) | st.decimals(min_value=D("0.01"), max_value=D(50), places=2)


def listing_rules(draw: st.DrawFn) -> dict:
    """A snapshot of marketplace rules (exams.models.MarketplaceRules.snapshot)."""
    bullets_max = draw(st.integers(0, 6))
    return {
        "code": draw(st.sampled_from(["amazon", "aliexpress", "shopee", "ebay", "local-1"])),
        "version": draw(st.integers(1, 40)),
        "name": {"en": "Marketplace", "zh-hans": "平台"},
        "effective_from": draw(st.none() | st.just("2025-01-21")),
        "title_max_chars": draw(st.integers(40, 250)),
        "title_banned_characters": draw(st.sampled_from(["", "!$?_{}^¬¦"])),
        "bullets_min": draw(st.integers(0, bullets_max)),
        "bullets_max": bullets_max,
        "bullet_max_chars": draw(st.integers(5, 500)) if bullets_max else None,
        "search_terms_max_bytes": draw(st.sampled_from([0, 249]) | st.integers(5, 500)),
        "description_max_chars": draw(st.none() | st.integers(60, 5000)),
        "banned_words": draw(st.lists(listing_banned_st, max_size=4, unique=True)),
    }


def _listing(draw: st.DrawFn) -> tuple[dict, dict, dict]:
    rules = listing_rules(draw)
    keywords = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "variants": st.lists(listing_words_st, min_size=1, max_size=3, unique=True),
                    "in_title": st.booleans(),
                }
            ),
            max_size=4,
        )
    )
    points = {name: draw(listing_points_st) for name in listing.CRITERIA}
    if not keywords:
        points["keywords"] = D(0)
    if not rules["bullets_max"]:
        points["bullets"] = D(0)
    if not rules["search_terms_max_bytes"]:
        points["search_terms"] = D(0)
    marks = draw(st.lists(points_st, min_size=1, max_size=3))
    key = {
        "keywords": keywords,
        "forbidden": draw(st.lists(listing_terms_st, max_size=4, unique=True)),
        "points": {name: format(value, "f") for name, value in points.items()},
        "rubric": [
            {"id": f"r{n}", "criterion": {"en": f"Criterion {n}"}, "points": format(m, "f")}
            for n, m in enumerate(marks)
        ],
    }
    total = sum(points.values(), D(0)) + sum(marks, D(0))
    return {"rules": rules}, key, {"points": format(total, "f")}


STRATEGIES: dict[str, Callable[[st.DrawFn], tuple[dict, dict, dict]]] = {
    "single_choice": _single_choice,
    "multiple_choice": _multiple_choice,
    "true_false": _true_false,
    "fill_blanks": _fill_blanks,
    "numeric": _numeric,
    "matching": _matching,
    "ordering": _ordering,
    "essay": _essay,
    "practical": _practical,
    "listing": _listing,
    "calculation": _calculation,
    "cloze": _cloze,
}


@st.composite
def questions(draw: st.DrawFn, kind: str) -> dict:
    """A valid QuestionData dict of the given kind."""
    content, key, extra = STRATEGIES[kind](draw)
    return {
        "kind": kind,
        "text": {"en": "Which one?", "zh-hans": "哪一个？"},
        "points": format(draw(points_st), "f"),
        "competency": "listing",
        "difficulty": 2,
        "content": content,
        "key": key,
    } | extra


# The response the key says is fully correct, written independently of the kinds' own.
FULL_MARKS: dict[str, Callable[[dict], dict]] = {
    "single_choice": lambda key: {"choice": key["correct"]},
    "multiple_choice": lambda key: {"choices": list(key["correct"])},
    "true_false": lambda key: {"value": key["correct"]},
    "fill_blanks": lambda key: {"blanks": [b["accepted"][-1] for b in key["blanks"]]},
    "numeric": lambda key: {"value": key["value"]},
    "matching": lambda key: {"pairs": dict(key["pairs"])},
    "ordering": lambda key: {"order": list(key["order"])},
    "calculation": lambda key: {
        "steps": {name: format(value, "f") for name, value in calc_answers(key).items()}
    },
    "cloze": lambda key: {
        "gaps": {
            name: spec["correct"][-1]
            if "correct" in spec
            else spec["accepted"][-1]
            if "accepted" in spec
            else spec["value"]
            for name, spec in key["gaps"].items()
        }
    },
}


def _ids_of(content: dict, name: str) -> list[str]:
    return [e["id"] for e in content[name]]


# A well-typed response that may be right, partly right or wrong.
PLAUSIBLE: dict[str, Callable[[st.DataObject, dict, dict], dict]] = {
    "single_choice": lambda data, content, key: {
        "choice": data.draw(st.sampled_from(_ids_of(content, "options")))
    },
    "multiple_choice": lambda data, content, key: {
        "choices": data.draw(st.lists(st.sampled_from(_ids_of(content, "options")), unique=True))
    },
    "true_false": lambda data, content, key: {"value": data.draw(st.booleans())},
    "fill_blanks": lambda data, content, key: {
        "blanks": data.draw(
            st.lists(
                st.none()
                | st.sampled_from([a for b in key["blanks"] for a in b["accepted"]])
                | st.text(max_size=6),
                max_size=content["blanks"],
            )
        )
    },
    "numeric": lambda data, content, key: {
        "value": format(
            data.draw(st.decimals(min_value=-(10**7), max_value=10**7, places=4)), "f"
        ).replace(".", data.draw(st.sampled_from(".,")))
    },
    "matching": lambda data, content, key: {
        "pairs": data.draw(
            st.dictionaries(
                st.sampled_from(_ids_of(content, "prompts")),
                st.sampled_from(_ids_of(content, "choices")),
            )
        )
    },
    "ordering": lambda data, content, key: {
        "order": data.draw(st.permutations(_ids_of(content, "items")))
    },
}


def _cloze_answer_st(gap: dict, spec: dict) -> st.SearchStrategy:
    """A plausible answer to one cloze gap: right, partly right, wrong or blank."""
    blank = st.none() | st.just("")
    if gap["type"] == "choice":
        return blank | st.sampled_from([o["id"] for o in gap["options"]])
    if gap["type"] == "short":
        accepted = st.sampled_from(spec["accepted"])
        variants = accepted.map(str.upper) | accepted.map(lambda a: f"  {a} ")
        return blank | accepted | variants | cloze_answers_st
    near = st.decimals(
        min_value=D(spec["value"]) - 20, max_value=D(spec["value"]) + 20, places=4
    ).map(lambda d: format(d, "f"))
    return blank | st.just(spec["value"]) | near | near.map(lambda t: t.replace(".", ","))


PLAUSIBLE["cloze"] = lambda data, content, key: {
    "gaps": data.draw(
        st.fixed_dictionaries(
            {},
            optional={g["id"]: _cloze_answer_st(g, key["gaps"][g["id"]]) for g in content["gaps"]},
        )
    )
}


def _calc_answer_st(exact: Decimal) -> st.SearchStrategy:
    """A plausible answer to one step: exact, a little or far off, comma-decimal or blank."""
    near = st.decimals(min_value=exact - 2, max_value=exact + 2, places=3).map(
        lambda d: format(d, "f")
    )
    text = st.just(format(exact, "f")) | near
    return st.none() | st.just("") | text | text.map(lambda t: t.replace(".", ","))


PLAUSIBLE["calculation"] = lambda data, content, key: {
    "steps": data.draw(
        st.fixed_dictionaries(
            {}, optional={n: _calc_answer_st(v) for n, v in calc_answers(key).items()}
        )
    )
}


def grade_q(q: dict, response: object, max_points: Decimal | None = None) -> grading.Grade:
    """Grade a response to a generated question at its own points."""
    return grading.grade(
        q["kind"],
        content=q["content"],
        key=q["key"],
        response=response,
        max_points=D(q["points"]) if max_points is None else max_points,
    )


# --- every kind has every part ---------------------------------------------------------------

PARTS = (
    "validate",
    "clean_response",
    "grade",
    "key_response",
    "public_content",
    "present",
    "describe",
    "describe_key",
)
SAMPLES = {}
for _question in PO_QUESTIONS + LM_QUESTIONS:
    SAMPLES.setdefault(_question["kind"], _question)


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_kind_has_every_part(name: str) -> None:
    kind = REGISTRY[name]
    assert kind.name == name
    assert isinstance(kind.label, Promise) and str(kind.label) != str(Kind.label)
    assert isinstance(kind.manual, bool) and isinstance(kind.takes_file, bool)
    missing = [part for part in PARTS if getattr(type(kind), part) is getattr(Kind, part)]
    assert not missing, f"{name} lacks {missing}"
    assert kind.editor_class is not None, f"{name} has no authoring form"
    get_template(kind.widget_template)
    assert name in STRATEGIES, f"give {name} a Hypothesis strategy in STRATEGIES"
    if not kind.manual:
        assert name in FULL_MARKS and name in PLAUSIBLE, f"give {name} FULL_MARKS and PLAUSIBLE"
    assert name in SAMPLES, f"give {name} a question in lms/demo/exam_content.py"


def test_the_facade_and_the_question_model_list_exactly_the_registered_kinds() -> None:
    assert tuple(REGISTRY) == grading.KINDS
    assert tuple(grading.GRADERS) == grading.KINDS
    assert frozenset(MANUAL) == grading.MANUAL_KINDS
    choices = list(Question._meta.get_field("kind").choices)
    assert [name for name, _label in choices] == list(REGISTRY)
    assert len({str(label) for _name, label in choices}) == len(choices)


def test_an_unknown_kind_is_a_value_error_everywhere() -> None:
    with pytest.raises(ValueError, match="Unknown question kind 'hotspot'"):
        kinds.get("hotspot")
    for call in (
        lambda: grading.grade("hotspot", content={}, key={}, response={}, max_points=D(1)),
        lambda: grading.clean_response("hotspot", {}, {}),
        lambda: grading.public_content("hotspot", {}),
        lambda: grading.shuffle_content("hotspot", {}, random.Random(1)),
    ):
        with pytest.raises(ValueError, match="Unknown question kind"):
            call()


@pytest.mark.parametrize("name", list(REGISTRY))
def test_the_demo_question_of_every_kind_is_valid(name: str) -> None:
    assert grading.validate_question(SAMPLES[name]) == []


# --- grader properties -----------------------------------------------------------------------


@EXAMPLES
@given(data=st.data())
def test_generated_questions_are_valid(data: st.DataObject) -> None:
    assert (
        grading.validate_question(
            data.draw(questions(data.draw(st.sampled_from(list(STRATEGIES)))))
        )
        == []
    )


@pytest.mark.parametrize("kind", OBJECTIVE)
@PER_KIND
@given(data=st.data())
def test_the_key_always_earns_full_marks(kind: str, data: st.DataObject) -> None:
    q = data.draw(questions(kind))
    full = grading.Grade(D(q["points"]), D(q["points"]), True)
    assert grade_q(q, FULL_MARKS[kind](q["key"])) == full
    assert grade_q(q, grading.key_response(kind, q["content"], q["key"])) == full


@pytest.mark.parametrize("kind", OBJECTIVE)
@PER_KIND
@given(data=st.data(), max_points=st.decimals(min_value=0, max_value=10**4, places=2))
def test_score_always_lies_between_zero_and_max(
    kind: str, data: st.DataObject, max_points: Decimal
) -> None:
    q = data.draw(questions(kind))
    response = data.draw(
        st.one_of(json_st, st.dictionaries(fields_st, json_st, max_size=3))
        | st.just(PLAUSIBLE[kind](data, q["content"], q["key"]))
    )
    got = grade_q(q, response, max_points)
    assert got.points is not None
    assert D(0) <= got.points <= max_points
    assert got.points.as_tuple().exponent == -2


@pytest.mark.parametrize("kind", MANUAL)
@PER_KIND
@given(data=st.data())
def test_manual_kinds_always_wait_for_a_person(kind: str, data: st.DataObject) -> None:
    q = data.draw(questions(kind))
    response = data.draw(json_st | st.dictionaries(fields_st, json_st, max_size=3))
    got = grade_q(q, response)
    assert got.max_points == D(q["points"]) and got.correct is None
    if kind in PARTLY_AUTOMATIC:
        # Its automatic criteria are scored now; people add the rubric's points.
        assert got.points is not None and D(0) <= got.points <= D(q["points"])
    else:
        assert got.points is None


@EXAMPLES
@given(data=st.data())
def test_multiple_choice_ignores_the_order_of_choices(data: st.DataObject) -> None:
    q = data.draw(questions("multiple_choice"))
    picks = PLAUSIBLE["multiple_choice"](data, q["content"], q["key"])["choices"]
    shuffled = data.draw(st.permutations(picks))
    assert grade_q(q, {"choices": picks}) == grade_q(q, {"choices": list(shuffled)})


@EXAMPLES
@given(data=st.data())
def test_matching_ignores_the_order_of_pairs(data: st.DataObject) -> None:
    q = data.draw(questions("matching"))
    pairs = PLAUSIBLE["matching"](data, q["content"], q["key"])["pairs"]
    reordered = dict(data.draw(st.permutations(list(pairs.items()))))
    assert grade_q(q, {"pairs": pairs}) == grade_q(q, {"pairs": reordered})


@EXAMPLES
@given(data=st.data())
def test_a_cloze_earns_the_weighted_sum_of_its_gaps_credit(data: st.DataObject) -> None:
    q = data.draw(questions("cloze"))
    answers, earned, total = {}, Fraction(0), 0
    for gap in q["content"]["gaps"]:
        spec = q["key"]["gaps"][gap["id"]]
        ways = ["right", "blank"] + (["partly"] if spec.get("partial") else [])
        way = data.draw(st.sampled_from(ways))
        if way == "right":
            answers[gap["id"]] = FULL_MARKS["cloze"]({"gaps": {gap["id"]: spec}})["gaps"][gap["id"]]
            earned += spec["weight"]
        elif way == "partly":
            option = data.draw(st.sampled_from(sorted(spec["partial"])))
            answers[gap["id"]] = option
            earned += spec["weight"] * Fraction(spec["partial"][option])
        total += spec["weight"]
    share = Fraction(D(q["points"])) * earned / total
    cents = D(math.floor(share * 100 + Fraction(1, 2))).scaleb(-2)
    got = grade_q(q, {"gaps": answers})
    assert got == grading.Grade(cents, D(q["points"]), earned == total)
    assert got.points <= D(q["points"])


@pytest.mark.parametrize("kind", OBJECTIVE)
@PER_KIND
@given(data=st.data())
def test_cleaning_a_plausible_response_keeps_its_grade(kind: str, data: st.DataObject) -> None:
    q = data.draw(questions(kind))
    response = data.draw(
        st.just(FULL_MARKS[kind](q["key"])) | st.just(PLAUSIBLE[kind](data, q["content"], q["key"]))
    )
    cleaned = grading.clean_response(kind, q["content"], response)
    assert grade_q(q, cleaned) == grade_q(q, response)


@EXAMPLES
@given(data=st.data())
def test_cleaning_garbage_only_ever_raises_value_error(data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(list(REGISTRY)))
    q = data.draw(questions(kind))
    response = data.draw(json_st | st.dictionaries(fields_st, json_st, max_size=3))
    try:
        cleaned = grading.clean_response(kind, q["content"], response)
    except ValueError:
        return
    assert isinstance(cleaned, dict)


# --- no key material in what a student gets --------------------------------------------------

POISON = "POISON-KEY"


def _strings(value) -> set[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, dict):
        return set(value) | set().union(*(_strings(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(set(), *(_strings(v) for v in value))
    return {value} if isinstance(value, str) else set()


def _poisoned(value, key: dict):
    """The content with the key and a marker slipped into every object, as a careless author
    or importer might leave them."""
    if isinstance(value, dict):
        found = {k: _poisoned(v, key) for k, v in value.items()}
        return found | {"correct": True, "answer": POISON, "key": key, POISON: POISON}
    if isinstance(value, list):
        return [_poisoned(v, key) for v in value]
    return value


def _values(value) -> set[str]:
    """Every string value in a JSON value (not the names of fields)."""
    if isinstance(value, dict | list):
        return set().union(
            set(), *(_values(v) for v in (value.values() if isinstance(value, dict) else value))
        )
    return {value} if isinstance(value, str) else set()


def assert_no_key_material(q: dict, shown: str, where: str, public: dict | None = None) -> None:
    # What only the key says; a scoring mode is a word any page may contain, and numbers
    # drawn for this attempt (a calculation's values, maybe a range's bound) are public.
    drawn = {str(v) for v in (public or {}).get("values", {}).values()}
    secret = (
        _values(q["key"])
        - _strings(q["content"])
        - {"all_or_nothing", "partial", "absolute", "relative"}
        - drawn
    )
    leaked = sorted(s for s in secret if len(s) > 1 and s in shown)
    assert not leaked, f"{where} of {q['kind']} shows key material {leaked}"
    assert POISON not in shown, f"{where} of {q['kind']} passes unknown fields through"


def _shown(kind: str, public: dict) -> str:
    """The student's payload and the widget the attempt page renders from it."""
    item = {"position": "1", "text": "", "answered": False}
    REGISTRY[kind].present(item, public, {})
    html = render_to_string(REGISTRY[kind].widget_template, {"q": item, "labels": {}})
    # Input limits are the template's own constants (maxlength="64"), never the question's:
    # a key that happens to say 64 must not read as leaked through them.
    html = WIDGET_CONSTANTS.sub("", html)
    return json.dumps(public, ensure_ascii=False) + html


WIDGET_CONSTANTS = re.compile(r'\b(?:maxlength|size|rows|cols|step|inputmode)="[^"]*"')


@pytest.mark.parametrize("kind", list(REGISTRY))
@PER_KIND
@given(data=st.data(), seed=st.integers())
def test_public_content_carries_no_key_material(kind: str, data: st.DataObject, seed: int) -> None:
    q = data.draw(st.sampled_from([SAMPLES[kind]]) | questions(kind))
    content = _poisoned(copy.deepcopy(q["content"]), q["key"])
    public = grading.public_content(kind, content)
    assert_no_key_material(q, _shown(kind, public), "the public content", public)
    shuffled = grading.shuffle_content(kind, content, random.Random(seed), key=q["key"])
    assert_no_key_material(q, _shown(kind, shuffled), "the shuffled content", shuffled)


# --- authoring forms -------------------------------------------------------------------------


class _FormReader(HTMLParser):
    """What a browser posts for a rendered form: named, enabled controls and their values."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._in_template = 0  # a <template>'s controls are inert: browsers never post them

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":
            self._in_template += 1
        if self._in_template:
            return
        if tag == "option":
            if self._select and "selected" in a:
                self._add(self._select, a.get("value", ""))
            return
        if "disabled" in a or "name" not in a:
            if tag == "select":
                self._select = None
            return
        if tag == "input":
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(a["name"], a.get("value", "on"))
            else:
                self._add(a["name"], a.get("value") or "")
        elif tag == "select":
            self._select = a["name"]
        elif tag == "textarea":
            self._textarea = a["name"]
            self._add(a["name"], "")

    def handle_endtag(self, tag):
        if tag == "template":
            self._in_template -= 1
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and not self._in_template:
            self.data[self._textarea][-1] += data


def browser_post(html: str) -> dict[str, str | list[str]]:
    reader = _FormReader()
    reader.feed(html)
    # A browser drops the newline right after <textarea>; Django writes one there.
    return {
        name: (values[0].removeprefix("\n") if len(values) == 1 else values)
        for name, values in reader.data.items()
    }


def _field_errors(editor) -> bool:
    """Whether some field of the editor (not only the form as a whole) shows an error."""
    forms_shown = [editor.form] + [f for fs in editor.formsets.values() for f in fs.forms]
    return any(name != "__all__" for form in forms_shown for name in form.errors)


@pytest.mark.django_db
@pytest.mark.parametrize("key_only", [False, True], ids=["question", "key only"])
@pytest.mark.parametrize("name", list(REGISTRY))
def test_the_authoring_form_gives_back_the_stored_content_and_key(
    name: str, key_only: bool
) -> None:
    sample = SAMPLES[name]
    kind = REGISTRY[name]
    shown = kind.editor(content=sample["content"], key=sample["key"], key_only=key_only)
    posted = browser_post(shown.render())
    assert posted == shown.as_post_data()
    bound = kind.editor(posted, content=sample["content"], key=sample["key"], key_only=key_only)
    assert bound.is_valid(), bound.errors
    assert bound.cleaned() == (sample["content"], sample["key"])


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_demo_question_survives_its_authoring_form(name: str) -> None:
    for question in PO_QUESTIONS + LM_QUESTIONS:
        if question["kind"] != name:
            continue
        shown = REGISTRY[name].editor(content=question["content"], key=question["key"])
        bound = REGISTRY[name].editor(shown.as_post_data())
        assert bound.is_valid(), (question["title"], bound.errors)
        assert bound.cleaned() == (question["content"], question["key"]), question["title"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(REGISTRY))
def test_a_new_question_gets_its_content_and_key_from_the_form_alone(name: str) -> None:
    """Blank rows filled in the way a teacher would: ids are made up, never typed."""
    sample = SAMPLES[name]
    kind = REGISTRY[name]
    posted = kind.editor(content=sample["content"], key=sample["key"]).as_post_data()
    fresh = {k: ("" if k.endswith("-id") else v) for k, v in posted.items()}
    bound = kind.editor(fresh)
    assert bound.is_valid(), bound.errors
    content, key = bound.cleaned()
    question = {**sample, "content": content, "key": key}
    assert grading.validate_question(question) == []
    if not kind.manual:
        response = grading.key_response(name, content, key)
        assert grade_q(question, response).correct is True


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(REGISTRY))
def test_bad_input_gives_field_errors_not_exceptions(name: str) -> None:
    sample = SAMPLES[name]
    kind = REGISTRY[name]
    posted = kind.editor(content=sample["content"], key=sample["key"]).as_post_data()
    some_field_error = False
    for field, value in posted.items():
        if field.endswith("_FORMS") or isinstance(value, list):
            continue
        for bad in ("", "☃ not a number", "-5", "9" * 40):
            bound = kind.editor({**posted, field: bad})
            if bound.is_valid():
                continue
            assert bound.errors
            assert "errorlist" in bound.render()
            some_field_error = some_field_error or _field_errors(bound)
    assert some_field_error, f"no bad value gave {name} a field error"


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(REGISTRY))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_tampered_posts_never_raise(name: str, data: st.DataObject) -> None:
    sample = SAMPLES[name]
    kind = REGISTRY[name]
    posted = kind.editor(content=sample["content"], key=sample["key"]).as_post_data()
    names = st.sampled_from(sorted(posted)) | st.text(max_size=12)
    changes = data.draw(st.dictionaries(names, st.text(max_size=8), max_size=4))
    for key_only in (False, True):
        bound = kind.editor(
            {**posted, **changes}, content=sample["content"], key=sample["key"], key_only=key_only
        )
        if bound.is_valid():
            content, key = bound.cleaned()
            assert kind.validate(content, key) == []
            if key_only:
                assert content == sample["content"]
        else:
            assert bound.errors
        bound.render()


def test_correcting_a_key_cannot_touch_what_students_saw() -> None:
    sample = SAMPLES["single_choice"]
    kind = REGISTRY["single_choice"]
    options = [option["id"] for option in sample["content"]["options"]]
    other = next(n for n, ident in enumerate(options) if ident != sample["key"]["correct"])
    posted = kind.editor(content=sample["content"], key=sample["key"], key_only=True).as_post_data()
    assert not [name for name in posted if name.endswith(("-text_en", "-id", "-DELETE"))]
    unmarked = {name: value for name, value in posted.items() if not name.endswith("-correct")}
    changed = {
        **unmarked,
        f"kind-options-{other}-correct": "on",
        "kind-options-0-text_en": "Changed",
        "kind-options-0-id": "zz",
    }
    bound = kind.editor(changed, content=sample["content"], key=sample["key"], key_only=True)
    assert bound.is_valid(), bound.errors
    assert bound.cleaned() == (sample["content"], {"correct": options[other]})
    extra_row = {
        **changed,
        "kind-options-TOTAL_FORMS": str(len(options) + 1),
        f"kind-options-{len(options)}-text_en": "A new option",
    }
    bound = kind.editor(extra_row, content=sample["content"], key=sample["key"], key_only=True)
    assert not bound.is_valid()


# --- authoring in the admin ------------------------------------------------------------------


def test_the_admin_asks_for_the_kind_then_shows_its_form(client, exam, teacher):
    login(client, staff(teacher))
    text = client.get(admin_url("question", "add")).content.decode()
    for name, kind in REGISTRY.items():
        assert f"?kind={name}" in text and str(kind.label) in text
    text = client.get(admin_url("question", "add"), {"kind": "matching"}).content.decode()
    assert 'name="kind-prompts-0-match"' in text and 'name="kind-choices-0-text_en"' in text
    assert "JSON" not in text


def test_the_admin_refuses_the_kind_picker_to_people_who_cannot_author(client, exam, student):
    login(client, staff(student))
    assert client.get(admin_url("question", "add")).status_code == 403


@pytest.mark.parametrize("name", list(REGISTRY))
def test_a_teacher_authors_every_kind_in_the_admin_without_json(client, exam, teacher, name):
    sample = SAMPLES[name]
    login(client, staff(teacher))
    url = f"{admin_url('question', 'add')}?kind={name}"
    shown = client.get(url).content.decode()
    posted = browser_post(shown.split('id="question_form"', 1)[1].split("</form>", 1)[0])
    posted |= {
        "bank": str(exam.banks.get().pk),
        "kind": name,
        "competency": sample["competency"],
        "difficulty": str(sample["difficulty"]),
        "title": "Authored in the admin",
        "text_en": sample["text"]["en"],
        "text_zh": sample["text"]["zh-hans"],
        "points": sample["points"],
    }
    editor = REGISTRY[name].editor(content=sample["content"], key=sample["key"])
    posted |= editor.as_post_data()
    response = client.post(url, posted)
    assert response.status_code == 302, response.content.decode()[:3000]
    version = Question.objects.get(current_version__title="Authored in the admin").current_version
    assert (version.content, version.key) == (sample["content"], sample["key"])
    changed = client.get(admin_url("question", "change", version.question_id)).content.decode()
    assert editor.as_post_data().items() <= browser_post(changed).items()
