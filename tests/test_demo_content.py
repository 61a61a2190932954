"""Structural checks for the demo course and exam content (no database needed)."""

import re
from collections import Counter
from decimal import Decimal

import pytest

from lms.demo.courses_content import COURSES
from lms.demo.exam_content import STANDARDS

OBJECTIVE_KINDS = {
    "single_choice",
    "multiple_choice",
    "true_false",
    "fill_blanks",
    "numeric",
    "matching",
    "ordering",
}
ALL_KINDS = OBJECTIVE_KINDS | {"listing", "calculation", "essay", "practical", "cloze"}
LANGS = ("en", "zh-hans")
GAP = re.compile(r"\[\[(\d+)\]\]")

ALL_QUESTIONS = [(s["code"], i, q) for s in STANDARDS for i, q in enumerate(s["questions"])]


def _qid(item):
    code, i, q = item
    return f"{code}-{i:02d}-{q['kind']}"


def _bilingual(value):
    return isinstance(value, dict) and all(
        isinstance(value.get(lang), str) and value[lang].strip() for lang in LANGS
    )


# ---------------------------------------------------------------- courses


def test_five_courses_in_order():
    assert [c["code"] for c in COURSES] == [
        "seo-marketing",
        "international-marketing",
        "online-shop-artwork",
        "cbec-logistics",
        "platform-operation",
    ]


@pytest.mark.parametrize("course", COURSES, ids=lambda c: c["code"])
def test_course_shape(course):
    codes = {c["code"] for c in COURSES}
    for field in ("title_en", "title_zh", "summary_en", "summary_zh"):
        assert course[field].strip()
    assert course["hours"] > 0
    assert course["track"] in {"major", "micro_major"}
    assert all(p in codes and p != course["code"] for p in course["prerequisites"])
    assert len(course["modules"]) == 2
    lessons = [lesson for m in course["modules"] for lesson in m["lessons"]]
    assert all(len(m["lessons"]) == 2 for m in course["modules"])
    assert len(lessons) == 4
    for m in course["modules"]:
        assert m["title_en"].strip() and m["title_zh"].strip()
    for lesson in lessons:
        for field in ("title_en", "title_zh", "body_en", "body_zh"):
            assert lesson[field].strip(), (course["code"], lesson["title_en"], field)
        assert len(lesson["body_en"]) > 800
        assert len(lesson["body_zh"]) > 300
        assert re.search(r"[\u4e00-\u9fff]", lesson["body_zh"])


def test_tracks():
    tracks = {c["code"]: c["track"] for c in COURSES}
    assert tracks == {
        "seo-marketing": "micro_major",
        "international-marketing": "major",
        "online-shop-artwork": "micro_major",
        "cbec-logistics": "major",
        "platform-operation": "major",
    }


def test_first_seo_lesson_is_keyword_research():
    first = COURSES[0]["modules"][0]["lessons"][0]
    assert "keyword" in first["title_en"].lower()
    assert "A9" in first["body_en"] and "long-tail" in first["body_en"]


# ---------------------------------------------------------------- standards


def test_two_standards():
    assert [s["code"] for s in STANDARDS] == ["CBEC-PO", "CBEC-LM"]


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s["code"])
def test_standard_shape(standard):
    for field in ("name_en", "name_zh", "description_en", "description_zh"):
        assert standard[field].strip()
    comps = standard["competencies"]
    assert len(comps) == 4
    assert len({c["code"] for c in comps}) == 4
    assert sum(c["weight"] for c in comps) == 100
    assert [lv["level"] for lv in standard["levels"]] == [1, 2, 3]
    for lv in standard["levels"]:
        assert lv["validity_years"] > 0
        assert lv["description_en"].strip() and lv["description_zh"].strip()


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s["code"])
def test_blueprint_coverage(standard):
    questions = standard["questions"]
    assert sum(q["kind"] in OBJECTIVE_KINDS | {"essay", "practical"} for q in questions) == 42
    comp_codes = {c["code"] for c in standard["competencies"]}
    cells = Counter(
        (q["competency"], q["difficulty"]) for q in questions if q["kind"] in OBJECTIVE_KINDS
    )
    assert cells == {(c, d): 3 for c in comp_codes for d in (1, 2, 3)}
    for kind in ("essay", "practical"):
        per_difficulty = Counter(q["difficulty"] for q in questions if q["kind"] == kind)
        assert per_difficulty == {1: 1, 2: 1, 3: 1}, kind
    kinds = Counter(q["kind"] for q in questions)
    for kind in OBJECTIVE_KINDS:
        assert kinds[kind] >= 3, kind
    assert all(q["competency"] in comp_codes for q in questions)
    titles = [q["title"] for q in questions]
    assert len(set(titles)) == len(titles)


def test_single_choice_answers_vary():
    letters = Counter(
        q["key"]["correct"] for _, _, q in ALL_QUESTIONS if q["kind"] == "single_choice"
    )
    assert len(letters) >= 4


# ---------------------------------------------------------------- questions


@pytest.mark.parametrize("item", ALL_QUESTIONS, ids=_qid)
def test_question(item):
    _, _, q = item
    kind, content, key = q["kind"], q["content"], q["key"]
    assert kind in ALL_KINDS
    assert _bilingual(q["text"]) and _bilingual(q["feedback"])
    assert q["difficulty"] in (1, 2, 3)
    assert q["title"].strip()
    points = Decimal(q["points"])

    if kind in OBJECTIVE_KINDS:
        assert Decimal(1) <= points <= Decimal(3)

    if kind in ("single_choice", "multiple_choice"):
        ids = [o["id"] for o in content["options"]]
        assert 3 <= len(ids) <= 5
        assert ids == list("abcde"[: len(ids)])
        assert all(_bilingual(o["text"]) for o in content["options"])
        if kind == "single_choice":
            assert key["correct"] in ids
        else:
            assert key["correct"] and set(key["correct"]) <= set(ids)
            assert len(set(key["correct"])) == len(key["correct"])
            assert key["scoring"] in ("partial", "all_or_nothing")
            Decimal(key.get("penalty", "0"))
    elif kind == "true_false":
        assert content == {}
        assert isinstance(key["correct"], bool)
    elif kind == "fill_blanks":
        for lang in LANGS:
            gaps = [int(n) for n in GAP.findall(q["text"][lang])]
            assert gaps == list(range(1, content["blanks"] + 1)), lang
        assert len(key["blanks"]) == content["blanks"]
        assert all(b["accepted"] and all(a.strip() for a in b["accepted"]) for b in key["blanks"])
        assert isinstance(key["case_sensitive"], bool)
        assert isinstance(key["normalise_whitespace"], bool)
    elif kind == "numeric":
        assert content["unit"].strip()
        Decimal(key["value"])
        assert Decimal(key["tolerance"]) >= 0
        assert key["tolerance_mode"] in ("absolute", "relative")
    elif kind == "matching":
        prompts = [p["id"] for p in content["prompts"]]
        choices = [c["id"] for c in content["choices"]]
        assert 3 <= len(prompts) <= 4
        assert len(choices) in (len(prompts), len(prompts) + 1)
        assert len(set(prompts)) == len(prompts) and len(set(choices)) == len(choices)
        assert all(_bilingual(x["text"]) for x in content["prompts"] + content["choices"])
        assert set(key["pairs"]) == set(prompts)
        assert set(key["pairs"].values()) <= set(choices)
        assert len(set(key["pairs"].values())) == len(prompts)
    elif kind == "ordering":
        items = [i["id"] for i in content["items"]]
        assert 4 <= len(items) <= 5
        assert len(set(items)) == len(items)
        assert all(_bilingual(i["text"]) for i in content["items"])
        assert sorted(key["order"]) == sorted(items)
        assert key["order"] != items, "correct order should not equal display order"
        assert key["scoring"] in ("partial", "all_or_nothing")
    elif kind == "essay":
        assert points == Decimal(10)
        assert 0 < content["min_words"] < content["max_words"]
        assert _bilingual(key["guidance"])
    elif kind == "cloze":
        assert Decimal(1) <= points <= Decimal(3)
        names = [g["id"] for g in content["gaps"]]
        for lang in LANGS:
            markers = re.findall(r"\[\[([A-Za-z]\w*)\]\]", content["text"][lang])
            assert sorted(markers) == sorted(names), lang
        assert set(key["gaps"]) == set(names)
        assert all(_bilingual(o["text"]) for g in content["gaps"] for o in g.get("options", []))
    elif kind == "calculation":
        names = sorted(v["name"] for v in key["variables"])
        for lang in LANGS:
            assert sorted(set(re.findall(r"\{(\w+)\}", q["text"][lang]))) == names, lang
        assert all(_bilingual(s["label"]) and s["unit"] for s in content["steps"])
        assert [s["id"] for s in content["steps"]] == [s["id"] for s in key["steps"]]
        assert points == sum(Decimal(s["points"]) for s in key["steps"])
    elif kind == "listing":
        assert _bilingual(content["rules"]["name"])
        assert key["keywords"] and all(k["variants"] for k in key["keywords"])
        # Chinese variants of keywords count as well as English ones.
        assert any(re.search(r"[\u4e00-\u9fff]", v) for k in key["keywords"] for v in k["variants"])
        rubric = key["rubric"]
        assert 2 <= len(rubric) <= 4
        assert all(_bilingual(r["criterion"]) for r in rubric)
        automatic = sum(Decimal(p) for p in key["points"].values())
        assert points == automatic + sum(Decimal(r["points"]) for r in rubric)
    elif kind == "practical":
        assert _bilingual(content["instructions"])
        assert content["allowed_types"]
        assert set(content["allowed_types"]) <= {"pdf", "docx", "xlsx", "png", "jpg"}
        assert content["max_size_mb"] > 0
        rubric = key["rubric"]
        assert 3 <= len(rubric) <= 5
        assert len({r["id"] for r in rubric}) == len(rubric)
        assert all(_bilingual(r["criterion"]) for r in rubric)
        assert points == sum(Decimal(r["points"]) for r in rubric)
