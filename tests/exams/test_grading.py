"""Tests for the pure grading core: graders, validation, cleaning, rubrics and pass rules.

Concrete examples per kind; the properties every kind must have are in test_kinds_registry.
"""

import copy
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exams import grading as grading_module
from exams.grading import (
    KINDS,
    MANUAL_KINDS,
    MAX_TEXT_CHARS,
    Grade,
    PartRule,
    PassRule,
    apply_pass_rule,
    clean_response,
    grade,
    public_content,
    resolve_marks,
    score_rubric,
    shuffle_content,
    validate_question,
)

D = Decimal
OBJECTIVE_KINDS = tuple(k for k in KINDS if k not in MANUAL_KINDS)


def entries(*ids: str) -> list[dict]:
    """Option-like entries with English text."""
    return [{"id": i, "text": {"en": f"Text {i}", "zh-hans": f"文本 {i}"}} for i in ids]


OPTIONS = entries("a", "b", "c", "d", "e")
MATCHING = {"prompts": entries("p1", "p2", "p3"), "choices": entries("c1", "c2", "c3", "c4")}
MATCHING_KEY = {"pairs": {"p1": "c2", "p2": "c1", "p3": "c4"}}
ITEMS = {"items": entries("i1", "i2", "i3", "i4")}
BLANKS_KEY = {
    "blanks": [{"accepted": ["Amazon", "amazon.com"]}, {"accepted": ["FBA"]}],
    "case_sensitive": False,
    "normalise_whitespace": True,
}


def question(kind: str, content: dict, key: dict, **extra: object) -> dict:
    """A complete QuestionData dict around a content and key."""
    return {
        "kind": kind,
        "text": {"en": "Which one?", "zh-hans": "哪一个？"},
        "points": "2",
        "competency": "listing",
        "difficulty": 2,
        "content": content,
        "key": key,
    } | extra


VALID = {
    "single_choice": question("single_choice", {"options": OPTIONS}, {"correct": "b"}),
    "multiple_choice": question(
        "multiple_choice",
        {"options": OPTIONS},
        {"correct": ["a", "c"], "scoring": "partial", "penalty": "0.5"},
    ),
    "true_false": question("true_false", {}, {"correct": True}),
    "fill_blanks": question(
        "fill_blanks",
        {"blanks": 2},
        BLANKS_KEY,
        text={"en": "Sell on [[1]] using [[2]].", "zh-hans": "在 [[1]] 上用 [[2]] 销售。"},
    ),
    "numeric": question(
        "numeric",
        {"unit": "kg"},
        {"value": "12.5", "tolerance": "0.1", "tolerance_mode": "absolute"},
    ),
    "matching": question("matching", MATCHING, MATCHING_KEY),
    "ordering": question(
        "ordering", ITEMS, {"order": ["i3", "i1", "i2", "i4"], "scoring": "partial"}
    ),
    "essay": question(
        "essay", {"min_words": 0, "max_words": 800}, {"guidance": {"en": "Mention duties."}}
    ),
    "practical": question(
        "practical",
        {
            "instructions": {"en": "Build a listing."},
            "allowed_types": ["pdf", "xlsx"],
            "max_size_mb": 10,
        },
        {
            "rubric": [
                {"id": "r1", "criterion": {"en": "Title", "zh-hans": "标题"}, "points": "10"},
                {"id": "r2", "criterion": {"en": "Photos"}, "points": "5.5"},
            ]
        },
        points="15.5",
    ),
}

VALID["listing"] = question(
    "listing",
    {
        "rules": {
            "code": "ebay",
            "version": 1,
            "name": {"en": "eBay", "zh-hans": "eBay（易贝）"},
            "effective_from": None,
            "title_max_chars": 80,
            "title_banned_characters": "",
            "bullets_min": 0,
            "bullets_max": 0,
            "bullet_max_chars": None,
            "search_terms_max_bytes": 0,
            "description_max_chars": 500000,
            "banned_words": ["l@@k"],
        }
    },
    {
        "keywords": [{"variants": ["camera", "相机"], "in_title": True}],
        "forbidden": ["Canon"],
        "points": {
            "title": "1",
            "keywords": "1",
            "forbidden": "1",
            "bullets": "0",
            "search_terms": "0",
            "description": "1",
        },
        "rubric": [{"id": "r1", "criterion": {"en": "Persuasive"}, "points": "6"}],
    },
    points="10",
)
# A calculation: numbers drawn per attempt, shown in the text as {name}.
VALID["calculation"] = question(
    "calculation",
    {"steps": [{"id": "freight", "label": {"en": "Freight", "zh-hans": "运费"}, "unit": "USD"}]},
    {
        "variables": [
            {"name": "kg", "min": "1", "max": "20", "decimals": 1},
            {"name": "rate", "min": "4", "max": "9", "decimals": 2},
        ],
        "steps": [
            {
                "id": "freight",
                "formula": "kg * rate",
                "tolerance": "0.01",
                "tolerance_mode": "absolute",
                "points": "2",
                "carry_error": False,
            }
        ],
    },
    text={"en": "{kg} kg at {rate} USD per kg?", "zh-hans": "{kg} 千克，每千克 {rate} 美元？"},
)


VALID["cloze"] = question(
    "cloze",
    {
        "text": {
            "en": "Sell on [[where]] using [[how]]; ship [[kg]] kg.",
            "zh-hans": "用 [[how]] 在 [[where]] 上销售；发 [[kg]] 公斤。",
        },
        "gaps": [
            {"id": "where", "type": "choice", "options": entries("a", "b", "c")},
            {"id": "how", "type": "short"},
            {"id": "kg", "type": "number"},
        ],
    },
    {
        "gaps": {
            "where": {"weight": 1, "correct": ["a"], "partial": {"b": "0.5"}},
            "how": {"weight": 1, "accepted": ["FBA"], "case_sensitive": False},
            "kg": {"weight": 2, "value": "12.5", "tolerance": "0.1"},
        }
    },
)


def grade_of(
    kind: str, response: object, *, key: dict | None = None, max_points: str = "1"
) -> Grade:
    """Grade a response against the VALID question of that kind, or another key."""
    q = VALID[kind]
    return grade(
        kind,
        content=q["content"],
        key=q["key"] if key is None else key,
        response=response,
        max_points=D(max_points),
    )


# --- concrete examples per grader ------------------------------------------------------------


def test_single_choice_gives_full_marks_only_for_the_key() -> None:
    assert grade_of("single_choice", {"choice": "b"}, max_points="2") == Grade(
        D("2.00"), D("2"), True
    )
    assert grade_of("single_choice", {"choice": "a"}, max_points="2") == Grade(
        D("0.00"), D("2"), False
    )


@pytest.mark.parametrize(
    "response",
    [None, {}, {"choice": "zz"}, {"choice": ["b"]}, {"choice": None}, "b", 7, {"choices": ["b"]}],
)
def test_single_choice_scores_garbage_zero(response: object) -> None:
    assert grade_of("single_choice", response).points == D("0.00")


def test_multiple_choice_all_or_nothing_needs_exactly_the_correct_set() -> None:
    key = {"correct": ["a", "c"], "scoring": "all_or_nothing"}
    assert grade_of("multiple_choice", {"choices": ["c", "a"]}, key=key).points == D("1.00")
    assert grade_of("multiple_choice", {"choices": ["a"]}, key=key).points == D("0.00")
    assert grade_of("multiple_choice", {"choices": ["a", "b", "c"]}, key=key).points == D("0.00")


def test_multiple_choice_defaults_to_all_or_nothing() -> None:
    assert grade_of("multiple_choice", {"choices": ["a"]}, key={"correct": ["a", "c"]}).points == 0


def test_partial_credit_subtracts_the_default_full_penalty_per_wrong_pick() -> None:
    # 1 of 2 correct = 1/2, minus 1 * 1 of 3 incorrect options = 1/3, leaves 1/6 of 6 points.
    key = {"correct": ["a", "c"], "scoring": "partial"}
    got = grade_of("multiple_choice", {"choices": ["a", "b"]}, key=key, max_points="6")
    assert got == Grade(D("1.00"), D("6"), False)


def test_partial_credit_uses_the_keys_penalty() -> None:
    # 1/2 - 0.5 * 1/3 = 1/3 of 3 points.
    got = grade_of("multiple_choice", {"choices": ["a", "b"]}, max_points="3")
    assert got.points == D("1.00")
    assert grade_of("multiple_choice", {"choices": ["a"]}, max_points="3").points == D("1.50")


def test_partial_credit_never_goes_below_zero() -> None:
    key = {"correct": ["a", "c"], "scoring": "partial", "penalty": "1"}
    assert grade_of("multiple_choice", {"choices": ["b", "d", "e"]}, key=key).points == D("0.00")
    assert grade_of("multiple_choice", {"choices": list("abcde")}, key=key).points == D("0.00")


def test_partial_credit_without_penalty_is_full_but_not_correct_with_extra_picks() -> None:
    key = {"correct": ["a", "c"], "scoring": "partial", "penalty": "0"}
    assert grade_of("multiple_choice", {"choices": ["a", "b", "c"]}, key=key) == Grade(
        D("1.00"), D("1"), False
    )


def test_partial_credit_has_no_penalty_term_when_every_option_is_correct() -> None:
    key = {"correct": list("abcde"), "scoring": "partial"}
    assert grade_of("multiple_choice", {"choices": ["a", "b"]}, key=key, max_points="5").points == 2


@pytest.mark.parametrize(
    "response", [{"choices": ["a", "zz"]}, {"choices": "ac"}, {"choices": [1]}, {"choices": []}]
)
def test_multiple_choice_scores_unknown_ids_and_garbage_zero(response: object) -> None:
    assert grade_of("multiple_choice", response).points == D("0.00")


def test_true_false_wants_a_real_boolean() -> None:
    assert grade_of("true_false", {"value": True}).points == D("1.00")
    assert grade_of("true_false", {"value": False}).points == D("0.00")
    assert grade_of("true_false", {"value": "true"}).points == D("0.00")
    assert grade_of("true_false", {"value": 1}).points == D("0.00")


def test_fill_blanks_accepts_alternatives_ignoring_case_and_extra_spaces() -> None:
    assert grade_of("fill_blanks", {"blanks": ["AMAZON.COM", "  fba "]}).points == D("1.00")
    assert grade_of("fill_blanks", {"blanks": ["amazon", "Fba"]}).correct is True


def test_fill_blanks_gives_each_blank_an_equal_share() -> None:
    got = grade_of("fill_blanks", {"blanks": ["ebay", "FBA"]}, max_points="3")
    assert got == Grade(D("1.50"), D("3"), False)


def test_fill_blanks_counts_missing_blanks_as_wrong() -> None:
    assert grade_of("fill_blanks", {"blanks": ["Amazon"]}).points == D("0.50")
    assert grade_of("fill_blanks", {"blanks": [None, "FBA"]}).points == D("0.50")


def test_fill_blanks_respects_case_sensitivity() -> None:
    key = BLANKS_KEY | {"case_sensitive": True}
    assert grade_of("fill_blanks", {"blanks": ["amazon", "FBA"]}, key=key).points == D("0.50")
    assert grade_of("fill_blanks", {"blanks": ["Amazon", "FBA"]}, key=key).points == D("1.00")


def test_fill_blanks_collapses_inner_whitespace_only_when_asked() -> None:
    key = {"blanks": [{"accepted": ["cross border"]}], "normalise_whitespace": True}
    assert grade_of("fill_blanks", {"blanks": [" cross \t border "]}, key=key).points == 1
    strict = key | {"normalise_whitespace": False}
    assert grade_of("fill_blanks", {"blanks": [" cross  border"]}, key=strict).points == 0
    assert grade_of("fill_blanks", {"blanks": ["cross border"]}, key=strict).points == 1


def test_fill_blanks_accepts_full_width_input_from_a_chinese_ime() -> None:
    assert grade_of("fill_blanks", {"blanks": ["ＡＭＡＺＯＮ", "ＦＢＡ"]}).points == D("1.00")


@pytest.mark.parametrize(
    "response",
    [{"blanks": "Amazon"}, {"blanks": [1, "FBA"]}, {"blanks": ["Amazon", "FBA", "x"]}, {"x": 1}],
)
def test_fill_blanks_scores_garbage_zero(response: object) -> None:
    assert grade_of("fill_blanks", response).points == D("0.00")


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("12.45", 1), ("12.4", 1), ("12.6", 1), ("12.39", 0), ("12.61", 0), ("12,45", 1), (12.5, 1)],
)
def test_numeric_absolute_tolerance_is_inclusive(answer: object, expected: int) -> None:
    assert grade_of("numeric", {"value": answer}).points == expected


@pytest.mark.parametrize(
    ("answer", "expected"), [("190", 1), ("210", 1), ("189.99", 0), ("-200", 0)]
)
def test_numeric_relative_tolerance_scales_with_the_value(answer: str, expected: int) -> None:
    key = {"value": "200", "tolerance": "0.05", "tolerance_mode": "relative"}
    assert grade_of("numeric", {"value": answer}, key=key).points == expected


def test_numeric_without_tolerance_needs_the_exact_value() -> None:
    key = {"value": "3"}
    assert grade_of("numeric", {"value": "3.000"}, key=key).points == 1
    assert grade_of("numeric", {"value": "3.001"}, key=key).points == 0


@pytest.mark.parametrize(
    "answer",
    [
        "12.5kg",
        "1e3",
        "NaN",
        "Infinity",
        "1_2.5",
        "12,4.5",
        "1,2,5",
        "",
        True,
        None,
        [12.5],
        "9" * 70,
    ],
)
def test_numeric_scores_garbage_zero(answer: object) -> None:
    assert grade_of("numeric", {"value": answer}).points == D("0.00")


def test_matching_gives_each_correct_pair_an_equal_share() -> None:
    assert grade_of("matching", {"pairs": MATCHING_KEY["pairs"]}).correct is True
    got = grade_of("matching", {"pairs": {"p1": "c2", "p2": "c1", "p3": "c3"}})
    assert got == Grade(D("0.67"), D("1"), False)
    assert grade_of("matching", {"pairs": {"p1": "c2", "p2": None}}).points == D("0.33")


@pytest.mark.parametrize(
    "response",
    [{"pairs": {"p1": "c2", "zz": "c1"}}, {"pairs": {"p1": "zz"}}, {"pairs": [["p1", "c2"]]}],
)
def test_matching_scores_unknown_ids_and_garbage_zero(response: object) -> None:
    assert grade_of("matching", response).points == D("0.00")


def test_ordering_partial_credit_is_the_share_of_items_in_place() -> None:
    got = grade_of("ordering", {"order": ["i3", "i1", "i4", "i2"]}, max_points="2")
    assert got == Grade(D("1.00"), D("2"), False)
    assert grade_of("ordering", {"order": ["i3", "i1", "i2", "i4"]}).correct is True


def test_ordering_all_or_nothing_needs_the_exact_order() -> None:
    key = {"order": ["i3", "i1", "i2", "i4"], "scoring": "all_or_nothing"}
    assert grade_of("ordering", {"order": ["i3", "i1", "i4", "i2"]}, key=key).points == 0
    assert grade_of("ordering", {"order": ["i3", "i1", "i2", "i4"]}, key=key).points == 1


@pytest.mark.parametrize(
    "order", [["i3", "i1", "i2"], ["i3", "i3", "i2", "i4"], ["i3", "i1", "i2", "i4", "zz"], "i3i1"]
)
def test_ordering_scores_anything_but_a_permutation_zero(order: object) -> None:
    assert grade_of("ordering", {"order": order}).points == D("0.00")


@pytest.mark.parametrize("kind", sorted(MANUAL_KINDS - {"listing"}))
def test_manual_kinds_wait_for_a_human(kind: str) -> None:
    assert grade_of(kind, {"text": "My answer"}, max_points="15.5") == Grade(None, D("15.5"), None)


def test_a_listing_scores_its_automatic_criteria_and_waits_for_the_rubric() -> None:
    listing = {"title": "Camera", "description": "A small camera."}
    # Title, keyword, no forbidden word and description: 4 of the 10 points; the rubric's
    # 6 come from people, so correctness stays open.
    assert grade_of("listing", listing, max_points="10") == Grade(D("4.00"), D("10"), None)


def test_points_are_rounded_to_cents() -> None:
    got = grade_of("matching", {"pairs": {"p1": "c2"}}, max_points="1")
    assert got.points == D("0.33")
    assert got.points.as_tuple().exponent == -2


def test_it_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="Unknown question kind"):
        grade("hotspot", content={}, key={}, response={}, max_points=D(1))


# --- properties for every grader: tests/exams/test_kinds_registry.py, kind by kind ----------

ids_st = st.lists(
    st.text("abcdefghij", min_size=1, max_size=3), min_size=2, max_size=6, unique=True
)


# --- validate_question -----------------------------------------------------------------------


def problems_of(kind: str, **changes: object) -> list[str]:
    """Problems of the VALID question of a kind after top-level, content or key changes."""
    q = copy.deepcopy(VALID[kind])
    q["content"].update(changes.pop("content", {}))
    q["key"].update(changes.pop("key", {}))
    return validate_question(q | changes)


@pytest.mark.parametrize("kind", KINDS)
def test_the_example_questions_are_valid(kind: str) -> None:
    assert validate_question(VALID[kind]) == []


def test_it_refuses_something_that_is_not_a_question() -> None:
    assert validate_question(["single_choice"]) == ["A question must be an object."]


def test_it_refuses_an_unknown_kind_in_a_question() -> None:
    problems = validate_question(VALID["true_false"] | {"kind": "hotspot"})
    assert problems == ["Unknown question kind 'hotspot'."]


def test_it_refuses_missing_or_malformed_text() -> None:
    assert any("text is missing" in p for p in problems_of("true_false", text={"en": " "}))
    assert any("unknown language 'fr'" in p for p in problems_of("true_false", text={"fr": "Oui"}))
    assert any("must map language codes" in p for p in problems_of("true_false", text="Plain"))


@pytest.mark.parametrize("points", ["0", "-1", "abc", None, True, "1e3"])
def test_it_refuses_points_that_are_not_positive_decimals(points: object) -> None:
    assert "Points must be a number greater than 0." in problems_of("true_false", points=points)


@pytest.mark.parametrize("difficulty", [0, 4, "2", True, 2.0, None])
def test_it_refuses_a_difficulty_outside_one_to_three(difficulty: object) -> None:
    assert "Difficulty must be 1, 2 or 3." in problems_of("true_false", difficulty=difficulty)


@pytest.mark.parametrize(("content", "key"), [(None, None), ([], "yes")])
def test_it_refuses_content_or_key_that_is_not_an_object(content: object, key: object) -> None:
    assert validate_question(VALID["true_false"] | {"content": content, "key": key}) == [
        "The content must be an object.",
        "The key must be an object.",
    ]


def test_it_refuses_a_key_option_that_is_not_an_option() -> None:
    problems = problems_of("single_choice", key={"correct": "x"})
    assert problems == ["Option 'x' in the key is not one of the options."]


def test_it_refuses_duplicate_option_ids() -> None:
    problems = problems_of("single_choice", content={"options": entries("a", "b", "a")})
    assert problems == ["The id 'a' is used more than once."]


def test_it_refuses_fewer_than_two_options() -> None:
    problems = problems_of("single_choice", content={"options": entries("b")})
    assert problems == ["Give at least 2 of the options."]


def test_it_refuses_an_option_without_text() -> None:
    options = [*entries("a"), {"id": "b", "text": {}}]
    problems = problems_of("single_choice", content={"options": options})
    assert problems == ["Option 'b' is missing: give it in English or Chinese."]


def test_it_refuses_a_bad_multiple_choice_key() -> None:
    assert "The key must list at least one correct option." in problems_of(
        "multiple_choice", key={"correct": []}
    )
    assert "Option 'a' appears more than once in the key." in problems_of(
        "multiple_choice", key={"correct": ["a", "a"]}
    )
    assert "The penalty must be a number from 0 to 1." in problems_of(
        "multiple_choice", key={"penalty": "1.5"}
    )
    assert "Scoring must be 'all_or_nothing' or 'partial'." in problems_of(
        "multiple_choice", key={"scoring": "best_effort"}
    )


def test_it_refuses_a_true_false_key_that_is_not_a_boolean() -> None:
    assert problems_of("true_false", key={"correct": "true"}) == [
        "The key must say whether the statement is true or false."
    ]


def test_it_refuses_gaps_that_do_not_match_the_blank_count() -> None:
    problems = problems_of("fill_blanks", text={"en": "Sell on [[1]] and [[3]].", "zh-hans": ""})
    assert problems == [
        "The gaps in the 'en' text ([[1]], [[3]]) do not match the 2 blanks:"
        " number them [[1]] to [[2]], each once."
    ]


def test_it_refuses_a_key_with_a_different_number_of_blanks() -> None:
    problems = problems_of("fill_blanks", key={"blanks": [{"accepted": ["Amazon"]}]})
    assert problems == ["The key must list accepted answers for exactly 2 blanks."]


def test_it_refuses_a_blank_without_accepted_answers() -> None:
    problems = problems_of(
        "fill_blanks", key={"blanks": [{"accepted": ["Amazon"]}, {"accepted": [" "]}]}
    )
    assert problems == ["Blank 2 needs a list of accepted answers, none of them empty."]


def test_it_refuses_a_numeric_value_that_is_not_a_decimal() -> None:
    assert problems_of("numeric", key={"value": "twelve"}) == [
        "The correct value must be a decimal number, not 'twelve'."
    ]


def test_it_refuses_a_negative_tolerance_or_unknown_mode() -> None:
    assert problems_of("numeric", key={"tolerance": "-0.1", "tolerance_mode": "percent"}) == [
        "The tolerance cannot be negative.",
        "The tolerance mode must be 'absolute' or 'relative'.",
    ]


def test_it_refuses_a_matching_key_with_unknown_or_missing_prompts() -> None:
    problems = problems_of("matching", key={"pairs": {"p1": "c9", "p2": "c1", "p7": "c1"}})
    assert problems == [
        "Prompt 'p3' has no match in the key.",
        "Choice 'c9' in the key is not one of the choices.",
        "Prompt 'p7' in the key is not one of the prompts.",
    ]


def test_it_refuses_ids_shared_between_prompts_and_choices() -> None:
    content = {"prompts": entries("p1", "p2", "p3"), "choices": entries("c1", "p1", "c2", "c4")}
    assert "The id 'p1' is used more than once." in problems_of("matching", content=content)


def test_it_refuses_an_ordering_key_that_is_not_a_permutation() -> None:
    problems = problems_of("ordering", key={"order": ["i3", "i3", "i9", "i4"]})
    assert problems == [
        "Item 'i3' appears more than once in the key order.",
        "Item 'i9' in the key is not one of the items.",
        "Item 'i1' is missing from the key order.",
        "Item 'i2' is missing from the key order.",
    ]


def test_it_refuses_word_limits_the_wrong_way_round() -> None:
    assert problems_of("essay", content={"min_words": 900}) == ["'min_words' is above 'max_words'."]
    assert problems_of("essay", content={"min_words": -1}) == [
        "'min_words' must be a whole number of 0 or more."
    ]


def test_it_refuses_an_empty_rubric() -> None:
    assert "The rubric needs at least one criterion." in problems_of(
        "practical", key={"rubric": []}
    )


def test_it_refuses_rubric_criteria_without_positive_points() -> None:
    rubric = [{"id": "r1", "criterion": {"en": "Title"}, "points": "0"}]
    assert "Criterion 'r1' must be worth more than 0 points." in problems_of(
        "practical", key={"rubric": rubric}
    )


def test_it_refuses_points_that_differ_from_the_rubric_total() -> None:
    assert problems_of("practical", points="20") == [
        "The question is worth 20 points but its rubric totals 15.5."
    ]


def test_it_refuses_file_types_that_are_not_plain_extensions() -> None:
    problems = problems_of(
        "practical", content={"allowed_types": [".pdf", "xlsx"], "max_size_mb": 0}
    )
    assert problems == [
        "File type '.pdf' is not a plain extension like 'pdf'.",
        "'max_size_mb' must be a whole number of megabytes, 1 or more.",
    ]


# --- clean_response --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "response"),
    [
        ("single_choice", "b"),
        ("single_choice", {"choice": "zz"}),
        ("single_choice", {"choice": 2}),
        ("multiple_choice", {"choices": "ac"}),
        ("multiple_choice", {"choices": ["a", "zz"]}),
        ("true_false", {"value": "yes"}),
        ("true_false", {"value": 0}),
        ("fill_blanks", {"blanks": "Amazon"}),
        ("fill_blanks", {"blanks": [1]}),
        ("fill_blanks", {"blanks": ["a", "b", "c"]}),
        ("fill_blanks", {"blanks": ["x" * 501]}),
        ("numeric", {"value": "twelve"}),
        ("numeric", {"value": True}),
        ("numeric", {"value": [1]}),
        ("matching", {"pairs": [["p1", "c1"]]}),
        ("matching", {"pairs": {"zz": "c1"}}),
        ("matching", {"pairs": {"p1": "zz"}}),
        ("ordering", {"order": ["i1", "i2"]}),
        ("ordering", {"order": ["i1", "i1", "i2", "i3"]}),
        ("ordering", {"order": 0}),
        ("essay", {"text": 5}),
        ("essay", {"text": "x" * (MAX_TEXT_CHARS + 1)}),
        ("practical", {"file": "../../etc/passwd.pdf"}),
        ("practical", {"file": "/etc/report.pdf"}),
        ("practical", {"file": "attempts/7/virus.exe"}),
        ("practical", {"file": 3}),
        ("hotspot", {}),
    ],
)
def test_clean_response_refuses_garbage(kind: str, response: object) -> None:
    content = VALID[kind]["content"] if kind in VALID else {}
    with pytest.raises(ValueError):
        clean_response(kind, content, response)


@pytest.mark.parametrize(
    ("kind", "response", "cleaned"),
    [
        ("single_choice", {"choice": "b", "extra": 1}, {"choice": "b"}),
        ("single_choice", {}, {"choice": None}),
        ("multiple_choice", {"choices": ["c", "a", "c"]}, {"choices": ["a", "c"]}),
        ("true_false", {"value": False}, {"value": False}),
        ("fill_blanks", {"blanks": ["Amazon"]}, {"blanks": ["Amazon", ""]}),
        ("fill_blanks", {"blanks": [None, "FBA"]}, {"blanks": ["", "FBA"]}),
        ("numeric", {"value": " 12,5 "}, {"value": "12,5"}),
        ("numeric", {"value": 12.5}, {"value": "12.5"}),
        ("numeric", {"value": None}, {"value": ""}),
        ("matching", {"pairs": {"p2": "c1", "p1": None}}, {"pairs": {"p2": "c1"}}),
        ("ordering", {"order": ["i2", "i1", "i4", "i3"]}, {"order": ["i2", "i1", "i4", "i3"]}),
        ("ordering", {}, {"order": []}),
        ("essay", {"text": "  My essay.\n"}, {"text": "My essay."}),
        (
            "practical",
            {"text": " See file ", "file": "attempts/7/plan.PDF"},
            {"text": "See file", "file": "attempts/7/plan.PDF"},
        ),
        ("practical", {"file": ""}, {"text": "", "file": None}),
    ],
)
def test_clean_response_keeps_good_answers_in_shape(
    kind: str, response: dict, cleaned: dict
) -> None:
    assert clean_response(kind, VALID[kind]["content"], response) == cleaned


def test_clean_response_messages_name_the_bad_id() -> None:
    with pytest.raises(ValueError, match="'zz' is not one of the options."):
        clean_response("multiple_choice", VALID["multiple_choice"]["content"], {"choices": ["zz"]})


# --- public_content and shuffle_content ------------------------------------------------------


def test_public_content_drops_anything_unexpected() -> None:
    content = {
        "options": [{"id": "a", "text": {"en": "A", "xx": "?"}, "correct": True}, {"oops": 1}],
        "answer": "a",
    }
    assert public_content("single_choice", content) == {
        "options": [{"id": "a", "text": {"en": "A"}}]
    }


def test_public_content_is_a_deep_copy() -> None:
    original = copy.deepcopy(VALID["practical"]["content"])
    public = public_content("practical", original)
    public["instructions"]["en"] = "changed"
    public["allowed_types"].append("exe")
    assert original == VALID["practical"]["content"]


@pytest.mark.parametrize("kind", KINDS)
def test_public_content_of_a_valid_question_keeps_its_content(kind: str) -> None:
    assert public_content(kind, VALID[kind]["content"]) == VALID[kind]["content"]


def test_shuffle_content_permutes_options_and_matching_choices_only() -> None:
    rng = random.Random(4)
    shuffled = shuffle_content("matching", MATCHING, rng)
    assert shuffled["prompts"] == MATCHING["prompts"]
    assert sorted(c["id"] for c in shuffled["choices"]) == ["c1", "c2", "c3", "c4"]
    options = shuffle_content("single_choice", {"options": OPTIONS}, rng)["options"]
    assert sorted(options, key=lambda o: o["id"]) == OPTIONS


def test_shuffle_content_is_reproducible_from_the_seed() -> None:
    first = shuffle_content("single_choice", {"options": OPTIONS}, random.Random(7))
    assert first == shuffle_content("single_choice", {"options": OPTIONS}, random.Random(7))


@settings(max_examples=100)
@given(seed=st.integers(), ids=ids_st, data=st.data())
def test_shuffled_ordering_items_are_never_in_key_order(
    seed: int, ids: list[str], data: st.DataObject
) -> None:
    order = list(data.draw(st.permutations(ids)))
    shuffled = shuffle_content(
        "ordering", {"items": entries(*ids)}, random.Random(seed), key={"order": order}
    )
    shown = [i["id"] for i in shuffled["items"]]
    assert sorted(shown) == sorted(ids)
    assert shown != order


@settings(max_examples=100)
@given(seed=st.integers(), ids=ids_st)
def test_shuffled_ordering_items_leave_the_authored_order_without_a_key(
    seed: int, ids: list[str]
) -> None:
    shuffled = shuffle_content("ordering", {"items": entries(*ids)}, random.Random(seed))
    assert [i["id"] for i in shuffled["items"]] != ids


# --- score_rubric ----------------------------------------------------------------------------

RUBRIC = VALID["practical"]["key"]["rubric"]


def test_score_rubric_sums_the_marks() -> None:
    assert score_rubric(RUBRIC, {"r1": D("7.5"), "r2": "5,5"}) == D("13.00")
    assert score_rubric(RUBRIC, {"r1": "0", "r2": D(0)}) == D("0.00")


@pytest.mark.parametrize(
    ("marks", "message"),
    [
        ({"r1": "11", "r2": "1"}, "criterion 'r1' must be a number from 0 to 10"),
        ({"r1": "-1", "r2": "1"}, "criterion 'r1' must be a number from 0 to 10"),
        ({"r1": "ten", "r2": "1"}, "criterion 'r1' must be a number from 0 to 10"),
        ({"r1": "1"}, "Give a mark for criterion 'r2'."),
        ({"r1": "1", "r2": "1", "r9": "1"}, "There is no criterion 'r9' in the rubric."),
    ],
)
def test_score_rubric_refuses_bad_marks(marks: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        score_rubric(RUBRIC, marks)


# --- resolve_marks ---------------------------------------------------------------------------


def test_close_marks_resolve_to_their_mean() -> None:
    assert resolve_marks(D("7"), D("7.25"), tolerance=D("1")) == D("7.13")
    assert resolve_marks(D("6"), D("8"), tolerance=D("2")) == D("7.00")


def test_distant_marks_wait_for_an_adjudicator() -> None:
    assert resolve_marks(D("4"), D("8"), tolerance=D("2")) is None


def test_the_adjudicators_mark_is_final_when_markers_disagree() -> None:
    assert resolve_marks(D("4"), D("8"), tolerance=D("2"), adjudicated=D("5.5")) == D("5.50")


def test_an_adjudicator_is_not_needed_when_markers_agree() -> None:
    assert resolve_marks(D("6"), D("7"), tolerance=D("2"), adjudicated=D("1")) == D("6.50")


# --- apply_pass_rule -------------------------------------------------------------------------

RULE = PassRule(
    parts=(
        PartRule("theory", weight=D(40), minimum=D(60)),
        PartRule("practical", weight=D(60), minimum=D(60)),
    ),
    total_minimum=D(60),
)


def test_it_passes_when_every_part_and_the_total_meet_their_minimums() -> None:
    outcome = apply_pass_rule(RULE, {"theory": D(70), "practical": D(60)})
    assert (outcome.total, outcome.passed, outcome.failed_parts) == (D("64.00"), True, ())


def test_a_part_below_its_minimum_fails_even_with_a_high_total() -> None:
    outcome = apply_pass_rule(RULE, {"theory": D(100), "practical": D("59.99")})
    assert outcome.total == D("75.99")
    assert outcome.passed is False
    assert outcome.failed_parts == ("practical",)


def test_a_low_total_fails_even_when_every_part_meets_its_minimum() -> None:
    rule = PassRule(parts=RULE.parts, total_minimum=D(80))
    outcome = apply_pass_rule(rule, {"theory": D(90), "practical": D(70)})
    assert (outcome.total, outcome.passed, outcome.failed_parts) == (D("78.00"), False, ())


def test_a_missing_part_counts_as_zero() -> None:
    outcome = apply_pass_rule(RULE, {"theory": D(100)})
    assert (outcome.total, outcome.passed, outcome.failed_parts) == (
        D("40.00"),
        False,
        ("practical",),
    )


def test_the_shown_total_never_rounds_a_fail_up_to_the_pass_mark() -> None:
    rule = PassRule(
        parts=(PartRule("a", D(1), D(0)), PartRule("b", D(1), D(0)), PartRule("c", D(1), D(0))),
        total_minimum=D(60),
    )
    outcome = apply_pass_rule(rule, {"a": D(60), "b": D(60), "c": D("59.99")})
    assert (outcome.total, outcome.passed) == (D("59.99"), False)


@pytest.mark.parametrize("kind", OBJECTIVE_KINDS)
def test_key_response_earns_full_marks_for_every_objective_kind(kind):
    data = VALID[kind]
    response = grading_module.key_response(kind, data["content"], data["key"])
    result = grade(
        kind, content=data["content"], key=data["key"], response=response, max_points=D("3")
    )
    assert result.points == D("3") and result.correct is True
