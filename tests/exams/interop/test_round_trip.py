"""Export then import gives the same questions, in every format, for what the format holds."""

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exams.interop import FORMATS
from exams.interop.common import pick

BASE = {"points": "1", "competency": "", "difficulty": 1}


def question(kind: str, text: str, content: dict, key: dict, **extra) -> dict:
    return {"kind": kind, "text": {"en": text}, "content": content, "key": key} | BASE | extra


def options(*texts: str) -> list[dict]:
    return [{"id": chr(ord("a") + i), "text": {"en": t}} for i, t in enumerate(texts)]


QUESTIONS = [
    question(
        "single_choice",
        "Which port handles most **CBEC** parcels?\n\nPick one: a < b & {c}",
        {"options": options("Ningbo", "Shenzhen = #1", "~Hangzhou")},
        {"correct": "b"},
        title="Ports",
        points="2",
        competency="logistics",
        feedback={"en": "Shenzhen is next to Hong Kong."},
    ),
    question(
        "multiple_choice",
        "Which are marketplaces?",
        {"options": options("Amazon", "DHL", "AliExpress", "FedEx", "UPS")},
        {"correct": ["a", "c"], "scoring": "partial", "penalty": "0.6"},
        competency="listing",
    ),
    question("true_false", "Incoterms say who pays freight.", {}, {"correct": True}),
    question(
        "fill_blanks",
        "The largest CBEC platform is [[1]].",
        {"blanks": 1},
        {
            "blanks": [{"accepted": ["Amazon", "amazon.com"]}],
            "case_sensitive": False,
            "normalise_whitespace": True,
        },
    ),
    question(
        "fill_blanks",
        "[[1]] is a marketplace; [[2]] is a carrier.",
        {"blanks": 2},
        {
            "blanks": [{"accepted": ["Amazon"]}, {"accepted": ["DHL", "FedEx"]}],
            "case_sensitive": True,
            "normalise_whitespace": True,
        },
    ),
    question(
        "numeric",
        "How heavy is the parcel?",
        {"unit": "kg"},
        {"value": "12.5", "tolerance": "0.1", "tolerance_mode": "absolute"},
    ),
    question(
        "matching",
        "Match the platform to its home market.",
        {
            "prompts": [
                {"id": "p1", "text": {"en": "Shopee"}},
                {"id": "p2", "text": {"en": "Mercado Libre"}},
            ],
            "choices": [
                {"id": "c1", "text": {"en": "Argentina"}},
                {"id": "c2", "text": {"en": "Singapore"}},
                {"id": "c3", "text": {"en": "Japan"}},
            ],
        },
        {"pairs": {"p1": "c2", "p2": "c1"}},
    ),
    question(
        "ordering",
        "Put the export steps in order.",
        {"items": options("Declare", "Ship", "Pack")},
        {"order": ["c", "a", "b"], "scoring": "all_or_nothing"},
    ),
    question(
        "essay",
        "Describe a returns policy.",
        {},
        {"guidance": {"en": "Mentions cost and time."}},
        points="5",
    ),
    question(
        "practical",
        "Build a product listing.",
        {"instructions": {"en": "Upload a spreadsheet."}, "allowed_types": ["xlsx"]},
        {
            "rubric": [
                {"id": "r1", "criterion": {"en": "Title"}, "points": "4"},
                {"id": "r2", "criterion": {"en": "Photos"}, "points": "6"},
            ]
        },
        points="10",
        difficulty=3,
    ),
]


def semantic(q: dict, *, kept: frozenset[str]) -> dict:
    """The parts of a question that matter, with ids replaced by the texts they name."""
    kind, content, key = q["kind"], q["content"], q["key"]
    text = pick(q["text"], "en")
    out = {"kind": kind, "text": text if "newlines" in kept else " ".join(text.split())}
    if kind in ("single_choice", "multiple_choice"):
        names = {o["id"]: pick(o["text"], "en") for o in content["options"]}
        correct = key["correct"] if isinstance(key["correct"], list) else [key["correct"]]
        out |= {"options": list(names.values()), "correct": sorted(names[c] for c in correct)}
        if kind == "multiple_choice":
            out |= {"scoring": key["scoring"]}
            out |= {"penalty": key["penalty"]} if key["scoring"] == "partial" else {}
    elif kind == "matching":
        names = {c["id"]: pick(c["text"], "en") for e in ("prompts", "choices") for c in content[e]}
        out |= {
            "pairs": sorted((names[p], names[c]) for p, c in key["pairs"].items()),
            "choices": sorted(pick(c["text"], "en") for c in content["choices"]),
        }
    elif kind == "ordering":
        names = {i["id"]: pick(i["text"], "en") for i in content["items"]}
        out |= {"order": [names[i] for i in key["order"]], "scoring": key["scoring"]}
    elif kind == "numeric":
        out |= {k: key[k] for k in ("value", "tolerance", "tolerance_mode")}
        out |= {"unit": content.get("unit")} if "unit" in kept else {}
    elif kind == "essay":
        out |= {"guidance": key.get("guidance")} if "guidance" in kept else {}
    else:
        out |= {"content": content, "key": key}
    for field in ("points", "competency", "difficulty", "feedback", "title"):
        if field in kept:
            out[field] = q.get(field)
    return out


# format: (kinds it holds, extra parts it keeps beyond kind, text, options and key)
EXPRESSIBLE = {
    "gift": (
        {"single_choice", "multiple_choice", "true_false", "fill_blanks1", "numeric", "matching"}
        | {"essay"},
        {"competency", "feedback", "title", "newlines"},
    ),
    "aiken": ({"single_choice"}, set()),
    "moodle_xml": (
        {"single_choice", "multiple_choice", "true_false", "fill_blanks1", "numeric", "matching"}
        | {"ordering", "essay"},
        {"competency", "feedback", "points", "unit", "guidance", "newlines"},
    ),
    "qti21": (
        {"single_choice", "multiple_choice", "true_false", "fill_blanks1", "fill_blanks2"}
        | {"numeric", "matching", "ordering", "essay"},
        {"points", "unit", "guidance", "newlines"},
    ),
    "xlsx": (
        {"single_choice", "multiple_choice", "true_false", "fill_blanks1", "fill_blanks2"}
        | {"numeric", "matching", "ordering", "essay", "practical"},
        {"competency", "feedback", "points", "difficulty", "title", "unit", "guidance"}
        | {"newlines"},
    ),
}


def label(q: dict) -> str:
    """The kind, with fill_blanks split by its number of blanks."""
    return q["kind"] + (str(q["content"]["blanks"]) if q["kind"] == "fill_blanks" else "")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_kind_the_format_holds_comes_back_the_same(name):
    kinds, extra = EXPRESSIBLE[name]
    kept = frozenset(extra)
    original = copy.deepcopy(QUESTIONS)

    exported = FORMATS[name].export(original)
    report = FORMATS[name].parse(exported.data)

    assert original == QUESTIONS  # export does not touch its input
    assert report.ok, report.errors
    expected = [semantic(q, kept=kept) for q in QUESTIONS if label(q) in kinds]
    assert [semantic(q, kept=kept) for q in report.questions] == expected


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_kinds_the_format_cannot_hold_come_back_as_export_warnings(name):
    kinds, _extra = EXPRESSIBLE[name]

    warnings = FORMATS[name].export(QUESTIONS).warnings

    skipped = [w.location for w in warnings if w.message.startswith("skipped")]
    missing = [f"question {n}" for n, q in enumerate(QUESTIONS, 1) if label(q) not in kinds]
    assert skipped == missing
    for number, q in enumerate(QUESTIONS, 1):
        reason = FORMATS[name].cannot_express(q)
        assert (reason is None) == (label(q) in kinds), (number, reason)


def test_xlsx_keeps_everything_including_both_languages():
    bilingual = copy.deepcopy(QUESTIONS)
    bilingual[0]["text"]["zh-hans"] = "哪个港口处理最多的跨境包裹？"
    bilingual[0]["content"]["options"][0]["text"]["zh-hans"] = "宁波"

    report = FORMATS["xlsx"].parse(FORMATS["xlsx"].export(bilingual).data)

    # Matching choices and ordering items get ids in sheet order, so compare those by text.
    kept = frozenset(EXPRESSIBLE["xlsx"][1])
    assert report.questions[:6] == bilingual[:6]
    assert [semantic(q, kept=kept) for q in report.questions] == [
        semantic(q, kept=kept) for q in bilingual
    ]


def test_one_language_formats_warn_that_a_translation_is_dropped():
    bilingual = copy.deepcopy(QUESTIONS[:1])
    bilingual[0]["text"]["zh-hans"] = "哪个港口？"

    warnings = FORMATS["moodle_xml"].export(bilingual).warnings

    assert any("only the en text is exported" in w.message for w in warnings)


# Text that survives every format: stripped, without control or private-use characters.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")) | st.just("\n"),
    min_size=1,
    max_size=40,
).map(str.strip)


@pytest.mark.parametrize("name", ["gift", "moodle_xml", "qti21", "xlsx"])
@settings(max_examples=60, deadline=None)
@given(stem=TEXT.filter(bool), first=TEXT.filter(bool), second=TEXT.filter(bool))
def test_any_text_survives_a_round_trip(name, stem, first, second):
    single = question("single_choice", stem, {"options": options(first, second)}, {"correct": "b"})

    report = FORMATS[name].parse(FORMATS[name].export([single]).data)

    assert report.ok, report.errors
    kept = frozenset({"newlines"})
    assert semantic(report.questions[0], kept=kept) == semantic(single, kept=kept)
