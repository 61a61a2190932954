"""GIFT import and export: Moodle's grammar, our samples and the real-world fixtures."""

from pathlib import Path

import pytest

from exams.interop import gift

SAMPLES = Path(__file__).parent / "samples"


def parse_text(text: str, **kwargs) -> gift.ImportReport:
    return gift.parse(text.encode("utf-8"), **kwargs)


def only(text: str) -> dict:
    report = parse_text(text)
    assert report.ok, report.errors
    assert len(report.questions) == 1
    return report.questions[0]


def test_good_sample_gives_one_question_per_block_with_categories_as_competency():
    report = gift.parse((SAMPLES / "good.gift").read_bytes())

    assert report.ok
    kinds = [q["kind"] for q in report.questions]
    assert kinds == [
        "single_choice",
        "multiple_choice",
        "true_false",
        "fill_blanks",
        "numeric",
        "numeric",
        "matching",
        "essay",
        "single_choice",
        "single_choice",
    ]
    assert [q["competency"] for q in report.questions[:6]] == ["logistics"] * 6
    assert {q["competency"] for q in report.questions[6:]} == {"platform"}
    assert report.questions[0]["title"] == "Incoterms"
    assert report.questions[0]["feedback"] == {"en": "FOB = Free On Board."}
    assert [str(w) for w in report.warnings] == ["line 4: not kept: per-answer feedback"]


def test_bad_sample_imports_nothing_and_names_the_line_of_every_broken_question():
    report = gift.parse((SAMPLES / "bad.gift").read_bytes())

    assert report.questions == []
    assert [e.location for e in report.errors] == [f"line {n}" for n in (2, 4, 6, 8, 10, 12)]
    assert "title" in report.errors[1].message
    assert "braces" in report.errors[2].message
    assert "'three'" in report.errors[3].message


def test_a_single_equals_answer_makes_single_choice():
    question = only("Who pays freight under FOB?{~the seller =the buyer ~the carrier}")

    assert question["kind"] == "single_choice"
    assert [o["text"]["en"] for o in question["content"]["options"]] == [
        "the seller",
        "the buyer",
        "the carrier",
    ]
    assert question["key"] == {"correct": "b"}


def test_weights_without_equals_make_partial_multiple_choice_with_summed_penalty():
    question = only("Pick the marketplaces.{~%50%Amazon ~%-25%DHL ~%50%Shopee ~%-25%UPS}")

    assert question["kind"] == "multiple_choice"
    assert question["key"] == {"correct": ["a", "c"], "scoring": "partial", "penalty": "0.5"}


def test_penalties_above_the_whole_question_are_capped_with_a_warning():
    report = parse_text("Pick.{~%50%a ~%-100%b ~%50%c ~%-100%d}")

    assert report.questions[0]["key"]["penalty"] == "1"
    assert "capped" in report.warnings[0].message


def test_missing_word_multiple_choice_keeps_a_gap_in_the_text():
    question = only("Grant is {~buried =entombed ~living} in Grant's tomb.")

    assert question["text"] == {"en": "Grant is _____ in Grant's tomb."}


def test_short_answer_becomes_one_blank_where_the_braces_were():
    middle = only("Two plus two equals {=four =4}.")
    end = only("Who is buried in Grant's tomb?{=no one =nobody}")

    assert middle["text"] == {"en": "Two plus two equals [[1]]."}
    assert middle["key"]["blanks"] == [{"accepted": ["four", "4"]}]
    assert middle["key"]["case_sensitive"] is False
    assert end["text"] == {"en": "Who is buried in Grant's tomb? [[1]]"}


def test_partly_correct_short_answers_are_dropped_with_a_warning():
    report = parse_text("Where?{=Nazareth =%75%Nazereth#close}")

    assert report.questions[0]["key"]["blanks"] == [{"accepted": ["Nazareth"]}]
    assert "Nazereth" in report.warnings[0].message


@pytest.mark.parametrize(
    ("answer", "value", "tolerance"),
    [
        ("#1822", "1822", "0"),
        ("#3.1415:0.0005", "3.1415", "0.0005"),
        ("#3.141..3.142", "3.1415", "0.0005"),
        ("#-3.142..-3.141", "-3.1415", "0.0005"),
        ("#\n=1822:0\n=%50%1822:2", "1822", "0"),
    ],
)
def test_numeric_answers_become_value_and_absolute_tolerance(answer, value, tolerance):
    question = only(f"When?{{{answer}}}")

    assert question["key"] == {"value": value, "tolerance": tolerance, "tolerance_mode": "absolute"}


def test_matching_dedupes_answers_and_keeps_distractors():
    question = only("Classify.{=frog -> amphibian =cat -> mammal =newt -> amphibian = -> insect}")

    assert [c["text"]["en"] for c in question["content"]["choices"]] == [
        "amphibian",
        "mammal",
        "insect",
    ]
    assert question["key"]["pairs"] == {"p1": "c1", "p2": "c2", "p3": "c1"}


@pytest.mark.parametrize(("mark", "correct"), [("T", True), ("TRUE", True), ("F", False)])
def test_true_false_answers(mark, correct):
    assert only(f"The sun rises in the east.{{{mark}}}")["key"] == {"correct": correct}


def test_escapes_give_back_the_control_characters():
    question = only("Which is \\{not\\} a control character\\: \\~ \\= \\# \\\\ ?{=\\\\ ~\\~}")

    assert question["text"]["en"] == "Which is {not} a control character: ~ = # \\ ?"
    assert [o["text"]["en"] for o in question["content"]["options"]] == ["\\", "~"]


def test_comments_and_format_prefixes_are_dropped_but_html_is_kept():
    question = only("// a comment\n[html]<b>Bold</b> question?{=yes ~no}")

    assert question["text"] == {"en": "<b>Bold</b> question?"}


def test_default_language_labels_the_text():
    question = parse_text("跨境电商？{T}", default_language="zh-hans").questions[0]

    assert question["text"] == {"zh-hans": "跨境电商？"}


def test_gb18030_files_are_read_with_a_warning():
    report = gift.parse("跨境电商是贸易。{T}".encode("gb18030"), default_language="zh-hans")

    assert report.questions[0]["text"] == {"zh-hans": "跨境电商是贸易。"}
    assert "GB18030" in report.warnings[0].message


def test_export_escapes_control_characters_and_keeps_one_question_per_paragraph():
    question = {
        "kind": "single_choice",
        "text": {"en": "Pick {one}:\n\nthen # stop"},
        "points": "1",
        "competency": "",
        "difficulty": 1,
        "title": "Esc: test",
        "content": {
            "options": [
                {"id": "a", "text": {"en": "a = b"}},
                {"id": "b", "text": {"en": "~tilde"}},
            ]
        },
        "key": {"correct": "a"},
    }

    text = gift.export([question]).data.decode()

    assert "::Esc\\: test::[markdown]Pick \\{one\\}\\:\\n\\nthen \\# stop{" in text
    assert "\t=a \\= b\n\t~\\~tilde\n" in text
    assert "\n\n" not in text.split("{", 1)[1]


def test_export_skips_what_gift_cannot_hold_with_a_warning():
    ordering = {
        "kind": "ordering",
        "text": {"en": "Order"},
        "points": "1",
        "difficulty": 1,
        "content": {"items": []},
        "key": {"order": []},
    }

    result = gift.export([ordering])

    assert result.data == b""
    assert str(result.warnings[0]) == "question 1: skipped: GIFT has no ordering questions"


FIXTURES = {
    # name: (questions, errors, warnings) — warnings list what GIFT has and we do not keep.
    "moodle-examples.gift.txt": (43, 0, 13),
    "moodle-tests-questions-in-category.gift.txt": (4, 0, 1),
    # The two stray '";' after closing braces become missing-word gaps, with a warning each.
    "moodle-tests-questions.gift.txt": (9, 0, 7),
    "pegjs-category-special-char.gift": (0, 0, 0),
    "pegjs-escape-all-control-chars.gift": (1, 0, 1),
    "pegjs-id-and-tags-essay.gift": (1, 0, 0),
    "pegjs-multiline-feedback-html-escapes.gift": (2, 0, 2),
    "pegjs-numerical-tolerance-ranges.gift": (10, 0, 2),
    "pegjs-truefalse-two-feedbacks.gift": (3, 0, 3),
}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_real_world_fixture_parses_as_expected(shared_fixtures, name):
    report = gift.parse((shared_fixtures / "gift" / name).read_bytes())

    expected = FIXTURES[name]
    assert (len(report.questions), len(report.errors), len(report.warnings)) == expected


def test_moodle_fixture_categories_with_colons_become_the_last_path_segment(shared_fixtures):
    text = (shared_fixtures / "gift" / "pegjs-category-special-char.gift").read_text()
    report = parse_text(text + "\nIs this in the category?{T}\n")

    assert report.questions[0]["competency"] == "Default for Unit 1: Topic"


def test_moodle_fixture_multiline_feedback_becomes_general_feedback(shared_fixtures):
    data = (shared_fixtures / "gift" / "pegjs-multiline-feedback-html-escapes.gift").read_bytes()
    first, html = gift.parse(data).questions

    assert first["feedback"] == {"en": "Global feedback split\non multiple lines"}
    assert html["key"]["correct"] == "e"
    assert 'style="margin-left:18.0pt;text-indent:\n-18.0pt' in html["text"]["en"]


def test_a_wildcard_short_answer_is_refused_with_a_clear_message():
    report = parse_text("How is the essay marked?{=*manually* =by hand}")

    assert report.questions == []
    assert [str(e) for e in report.errors] == [
        "line 1: the answer '*manually*' uses Moodle's wildcard *, which our fill-in answers "
        "cannot match: write out the answers it should accept (or \\* for a real asterisk), or "
        "leave the question out"
    ]


def test_a_catch_all_wildcard_worth_nothing_is_only_dropped():
    report = parse_text("Best animal?{=Frog =%0%*#Completely wrong}")

    assert report.questions[0]["key"]["blanks"] == [{"accepted": ["Frog"]}]
    assert "answer '*' worth 0%" in report.warnings[0].message


def test_a_real_asterisk_is_read_and_written_escaped_so_moodle_does_not_match_anything():
    question = only("What is 5\\*3 written as?{=5\\*3}")

    assert question["key"]["blanks"] == [{"accepted": ["5*3"]}]
    exported = gift.export([question]).data.decode()
    assert "=5\\*3}" in exported
    assert gift.parse(exported.encode()).questions[0]["key"] == question["key"]
