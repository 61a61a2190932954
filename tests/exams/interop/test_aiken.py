"""Aiken import and export: single choice only, every bad block reported by line."""

from pathlib import Path

from exams.interop import aiken

SAMPLES = Path(__file__).parent / "samples"


def test_good_sample_reads_both_label_styles_and_multi_line_stems():
    report = aiken.parse((SAMPLES / "good.aiken.txt").read_bytes())

    assert report.ok and report.warnings == []
    first, second, third = report.questions
    assert [o["text"]["en"] for o in first["content"]["options"]] == [
        "Ningbo",
        "Shenzhen",
        "Hangzhou",
    ]
    assert first["key"] == {"correct": "b"}
    assert second["text"] == {
        "en": "Under FOB, who pays the main freight\nfrom the port of shipment?"
    }
    assert third["content"]["options"][0]["text"] == {"en": "亚马逊物流"}


def test_bad_sample_imports_nothing_and_names_each_line():
    report = aiken.parse((SAMPLES / "bad.aiken.txt").read_bytes())

    assert report.questions == []
    assert [str(e) for e in report.errors] == [
        "line 1: a question needs at least two options A), B)",
        "line 5: an option without a question before it",
        "line 10: ANSWER must be one of the option letters A, B, not 'C'",
        "line 12: the question has no ANSWER line",
    ]


def test_html_in_plain_text_is_shown_literally():
    report = aiken.parse(b"Is <b>bold</b> & fine?\nA) yes\nB) no\nANSWER: A\n")

    assert report.questions[0]["text"] == {"en": "Is &lt;b>bold&lt;/b> & fine?"}


def test_a_question_interrupted_by_a_new_one_is_reported_at_its_first_line():
    report = aiken.parse(b"First?\nA) a\nB) b\nSecond?\nA) a\nB) b\nANSWER: B\n")

    assert [str(e) for e in report.errors] == ["line 1: the question has no ANSWER line"]
    assert report.questions[0]["text"] == {"en": "Second?"}


def test_export_writes_letters_and_the_answer_line():
    question = {
        "kind": "single_choice",
        "text": {"en": "Which port?\nPick one."},
        "points": "1",
        "difficulty": 1,
        "content": {
            "options": [
                {"id": "x", "text": {"en": "Ningbo"}},
                {"id": "y", "text": {"en": "Shenzhen"}},
            ]
        },
        "key": {"correct": "y"},
    }

    result = aiken.export([question])

    assert result.data.decode() == "Which port? Pick one.\nA) Ningbo\nB) Shenzhen\nANSWER: B\n"
    assert [w.message for w in result.warnings] == [
        "not kept: line breaks (Aiken puts each text on one line)"
    ]


def test_export_skips_everything_but_single_choice():
    true_false = {
        "kind": "true_false",
        "text": {"en": "T?"},
        "points": "1",
        "difficulty": 1,
        "content": {},
        "key": {"correct": True},
    }

    result = aiken.export([true_false])

    assert result.data == b""
    assert (
        str(result.warnings[0]) == "question 1: skipped: Aiken holds only single-choice questions"
    )


def test_moodle_fixture_imports_both_questions(shared_fixtures):
    report = aiken.parse(
        (shared_fixtures / "aiken" / "moodle-tests-questions.aiken.txt").read_bytes()
    )

    assert report.ok and len(report.questions) == 2
    assert report.questions[0]["key"] == {"correct": "b"}
    # Moodle shows the stem's <html class="cool"> literally; so do we.
    assert report.questions[1]["text"]["en"].startswith(
        "Moodle's abilities include handling user input that includes &lt;html"
    )


def test_moodle_malformed_fixture_reports_four_errors_like_moodle(shared_fixtures):
    data = (shared_fixtures / "aiken" / "moodle-tests-aiken-errors-malformed.txt").read_bytes()

    report = aiken.parse(data)

    # Moodle imports the two good questions and reports the rest; the caller refuses the file.
    assert [q["text"]["en"] for q in report.questions] == [
        "A good question",
        "A second good question",
    ]
    assert [e.location for e in report.errors] == ["line 1", "line 5", "line 7", "line 14"]
