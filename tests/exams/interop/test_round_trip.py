"""Export then import gives the same questions, in every format, for what the format holds."""

import copy
import importlib
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exams.interop import FORMATS
from exams.interop.cloze import MARKER_RE
from exams.interop.common import pick
from lms.demo.exam_content import STANDARDS

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
        "cloze",
        "Complete the **shipping** note.",
        {
            "text": {"en": "Volumetric weight: [[g1]] kg, billed by [[g2]].\n\nTerm: [[g3]]."},
            "gaps": [
                {"id": "g1", "type": "number"},
                {
                    "id": "g2",
                    "type": "choice",
                    "options": options("actual weight", "volumetric {weight}", "cost # ~ 2"),
                },
                {"id": "g3", "type": "short"},
            ],
        },
        {
            "gaps": {
                "g1": {"weight": 2, "value": "16", "tolerance": "0.5"},
                "g2": {"weight": 1, "correct": ["b"], "partial": {"c": "0.25"}},
                "g3": {"weight": 3, "accepted": ["DDP", "D*P"], "case_sensitive": True},
            }
        },
        points="6",
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
        | {"ordering", "essay", "cloze"},
        {"competency", "feedback", "points", "unit", "guidance", "newlines"},
    ),
    "qti21": (
        {"single_choice", "multiple_choice", "true_false", "fill_blanks1", "fill_blanks2"}
        | {"numeric", "matching", "ordering", "essay"},
        {"points", "title", "unit", "guidance", "newlines"},
    ),
    "qti30": (  # read as QTI 3.0 or 2.1, written as QTI 2.1
        {"single_choice", "multiple_choice", "true_false", "fill_blanks1", "fill_blanks2"}
        | {"numeric", "matching", "ordering", "essay"},
        {"points", "title", "unit", "guidance", "newlines"},
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
        semantic(q, kept=kept) for q in bilingual if label(q) in EXPRESSIBLE["xlsx"][0]
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


# --- every field each format carries, on the demo banks and on other people's files -----------

MODULES = {name: importlib.import_module(f"exams.interop.{name}") for name in FORMATS}
DEMO = {spec["code"]: spec["questions"] for spec in STANDARDS}
# A changed field must be named by one of the export's warnings for that question.
LOSS_WORDS = {
    "points": "points",
    "difficulty": "difficulty",
    "competency": "competency",
    "title": "title",
    "feedback": "feedback",
    "content.unit": "unit",
    "content.min_words": "word limits",
    "content.max_words": "word limits",
    "key.guidance": "guidance",
    "key.scoring": "scoring",
    "key.case_sensitive": "case-sensitive",
    "key.normalise_whitespace": "whitespace",
    "key.tolerance": "tolerance",
    "key.tolerance_mode": "tolerance",
    "text": "text is exported",
}
DEFAULTS = {
    "multiple_choice": {"scoring": "all_or_nothing", "penalty": "1"},
    "ordering": {"scoring": "all_or_nothing"},
    "numeric": {"tolerance": "0", "tolerance_mode": "absolute"},
    "fill_blanks": {"case_sensitive": False, "normalise_whitespace": True},
}


def in_language(value, language: str | None):
    """A question with each bilingual text cut to one language (None keeps both)."""
    if isinstance(value, list):
        return [in_language(v, language) for v in value]
    if not isinstance(value, dict):
        return value
    if language and value and set(value) <= {"en", "zh-hans"}:
        texts = {k: v for k, v in value.items() if isinstance(v, str) and v.strip()}
        return {language: texts[language]} if language in texts else texts
    return {k: in_language(v, language) for k, v in value.items()}


def comparable(question: dict, language: str | None) -> dict:
    """A question with defaults spelled out and ids replaced by the texts they name."""
    q = in_language(copy.deepcopy(question), language)
    kind, content, key = q["kind"], q["content"], q["key"]
    key.update({k: v for k, v in DEFAULTS.get(kind, {}).items() if k not in key})
    if kind == "multiple_choice" and key["scoring"] != "partial":
        key["penalty"] = "1"
    q["points"] = str(Decimal(q["points"]).normalize())
    for name in ("title", "feedback"):
        if not q.get(name):
            q.pop(name, None)
    q.setdefault("competency", "")
    q.setdefault("difficulty", 1)
    name = {e["id"]: repr(e.get("text")) for part in content.values() if isinstance(part, list)
            for e in part if isinstance(e, dict) and "id" in e}  # fmt: skip
    if kind in ("single_choice", "multiple_choice"):
        content["options"] = [name[o["id"]] for o in content["options"]]
        key["correct"] = (
            sorted(map(name.get, key["correct"]))
            if kind != "single_choice"
            else (name[key["correct"]])
        )
    elif kind == "matching":
        content["prompts"] = [name[p["id"]] for p in content["prompts"]]
        content["choices"] = sorted(name[c["id"]] for c in content["choices"])
        key["pairs"] = sorted((name[p], name[c]) for p, c in key["pairs"].items())
    elif kind == "ordering":
        content["items"] = sorted(name[i["id"]] for i in content["items"])
        key["order"] = [name[i] for i in key["order"]]
    elif kind == "practical":
        key["rubric"] = [(repr(r["criterion"]), r["points"]) for r in key["rubric"]]
    elif kind == "cloze":
        renamed = cloze_in_order(content, key, language or "en")
        q["content"], q["key"] = renamed
    return q


def cloze_in_order(content: dict, key: dict, language: str) -> tuple[dict, dict]:
    """A cloze with its gaps named g1, g2 … in the order the text in `language` shows them."""
    order = MARKER_RE.findall(pick(content["text"], language))
    names = {old: f"g{n}" for n, old in enumerate(order, start=1)}
    text = {
        lang: MARKER_RE.sub(lambda m: f"[[{names.get(m.group(1), m.group(1))}]]", value)
        for lang, value in content["text"].items()
    }
    gaps = sorted(
        ({**gap, "id": names.get(gap["id"], gap["id"])} for gap in content["gaps"]),
        key=lambda gap: gap["id"],
    )
    specs = {names.get(ident, ident): spec_defaults(spec) for ident, spec in key["gaps"].items()}
    return {**content, "text": text, "gaps": gaps}, {"gaps": specs}


def spec_defaults(spec: dict) -> dict:
    """A gap's key with its defaults spelled out (weight 1, no partial credit …)."""
    spec = {"weight": 1, **spec}
    if "accepted" in spec:
        spec.setdefault("case_sensitive", False)
    if "value" in spec:
        spec.setdefault("tolerance", "0")
    if not spec.get("partial", True):
        del spec["partial"]
    return spec


def changed(before: dict, after: dict) -> set[str]:
    """The fields (content.x and key.x one level down) that differ."""
    fields = set()
    for field in set(before) | set(after):
        one, two = before.get(field), after.get(field)
        if isinstance(one, dict) and isinstance(two, dict) and field in ("content", "key"):
            fields |= {f"{field}.{k}" for k in set(one) | set(two) if one.get(k) != two.get(k)}
        elif one != two:
            fields.add(field)
    return fields


def assert_nothing_lost_silently(name: str, questions: list[dict], language: str = "en"):
    """Export then import; every field that changed is one the export warned about."""
    module = MODULES[name]
    kept = None if name == "xlsx" else language
    result = FORMATS[name].export(questions, language=language)
    report = FORMATS[name].parse(result.data, default_language=language)
    assert report.ok, report.errors
    chosen = [q for q in questions if not module.cannot_express(q)]
    assert len(report.questions) == len(chosen)
    silent = []
    for number, (before, after) in enumerate(zip(chosen, report.questions, strict=True), 1):
        warned = " ".join(module.losses(before, language))
        for field in sorted(changed(comparable(before, kept), comparable(after, kept))):
            word = LOSS_WORDS.get(field)
            if word is None or word not in warned:
                silent.append((number, before.get("title"), field))
        if in_language(before["text"], None) != in_language(before["text"], kept):
            assert LOSS_WORDS["text"] in warned, number
    assert silent == []
    return report


@pytest.mark.parametrize("bank", sorted(DEMO))
@pytest.mark.parametrize("name", sorted(FORMATS))
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_demo_bank_loses_nothing_a_format_carries_and_warns_for_the_rest(name, bank, language):
    assert_nothing_lost_silently(name, DEMO[bank], language)


def test_the_excel_round_trip_of_a_demo_bank_is_exact():
    for questions in DEMO.values():
        result = FORMATS["xlsx"].export(questions)

        # Kinds without columns (cloze, and kinds newer than the template) are skipped, each
        # with a warning naming it; everything else comes back exactly.
        kept = [q for q in questions if FORMATS["xlsx"].cannot_express(q) is None]
        assert [w.message.startswith("skipped: ") for w in result.warnings] == [True] * (
            len(questions) - len(kept)
        )
        assert FORMATS["xlsx"].parse(result.data).questions == kept


FIXTURE_FORMATS = {
    "gift": "gift",
    "aiken": "aiken",
    "moodle-xml": "moodle_xml",
    "qti21": "qti21",
    "qti30": "qti30",
}


def fixture_files(shared: Path) -> list[tuple[str, Path]]:
    return [
        (name, path)
        for folder, name in FIXTURE_FORMATS.items()
        for path in sorted((shared / folder).iterdir())
        if path.is_file()
    ]


def test_every_real_world_fixture_survives_our_own_round_trip(shared_fixtures):
    checked = 0
    for name, path in fixture_files(shared_fixtures):
        first = FORMATS[name].parse(path.read_bytes())
        if not first.ok or not first.questions:
            continue
        assert_nothing_lost_silently(name, first.questions)
        checked += 1
    assert checked >= 18


def test_the_qti_package_fixture_survives_our_own_round_trip(shared_fixtures):
    folder = shared_fixtures / "qti21" / "tao-package"
    members = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)

    first = FORMATS["qti21"].parse(buffer.getvalue())

    assert assert_nothing_lost_silently("qti21", first.questions).questions
