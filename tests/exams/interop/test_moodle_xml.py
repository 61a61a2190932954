"""Moodle XML import and export, including refusal of entity attacks."""

import base64
import hashlib
import html
import json
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from courses.markup import render_markdown
from exams.interop import moodle_xml
from exams.interop.common import plain_markdown
from exams.interop.media import MediaFile

from . import images

SAMPLES = Path(__file__).parent / "samples"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<quiz><question type="truefalse"><questiontext><text>&lol4;</text></questiontext>
<answer fraction="100"><text>true</text></answer></question></quiz>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="truefalse"><questiontext><text>&secret;</text></questiontext>
<answer fraction="100"><text>true</text></answer></question></quiz>
"""


def test_good_sample_reads_every_supported_type_and_skips_the_rest_with_warnings():
    report = moodle_xml.parse((SAMPLES / "good.moodle.xml").read_bytes())

    assert report.ok
    assert [q["kind"] for q in report.questions] == [
        "single_choice",
        "multiple_choice",
        "true_false",
        "fill_blanks",
        "numeric",
        "matching",
        "essay",
        "ordering",
        "cloze",
    ]
    assert [str(w) for w in report.warnings] == [
        "question 11: a description is not a question; skipped",
    ]
    by_kind = {q["kind"]: q for q in report.questions}
    assert by_kind["single_choice"]["points"] == "2"
    assert by_kind["single_choice"]["competency"] == "logistics"
    assert by_kind["matching"]["competency"] == "platform"
    assert by_kind["multiple_choice"]["key"] == {
        "correct": ["a", "c"],
        "scoring": "partial",
        "penalty": "1",
    }
    assert by_kind["true_false"]["key"] == {"correct": False}
    assert by_kind["fill_blanks"]["text"] == {"en": "The largest CBEC platform is [[1]]."}
    assert by_kind["numeric"]["content"] == {"unit": "kg"}
    assert by_kind["essay"]["content"] == {"min_words": 100, "max_words": 400}
    assert by_kind["essay"]["key"]["guidance"] == {"en": "Covers time limits, costs and refunds."}
    assert by_kind["ordering"]["key"]["scoring"] == "partial"


def test_html_text_is_kept_as_raw_html_for_the_renderer_to_sanitise():
    report = moodle_xml.parse((SAMPLES / "good.moodle.xml").read_bytes())

    assert report.questions[0]["text"] == {
        "en": "<p>Under <b>FOB</b>, who pays the main freight?</p>"
    }


def test_bad_sample_imports_nothing_and_names_each_question():
    report = moodle_xml.parse((SAMPLES / "bad.moodle.xml").read_bytes())

    assert report.questions == []
    assert [e.location for e in report.errors] == [f"question {n}" for n in range(1, 6)]


@pytest.mark.parametrize("attack", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "xxe"])
def test_entity_attacks_are_refused_with_a_clear_error_and_nothing_imported(attack):
    report = moodle_xml.parse(attack)

    assert report.questions == []
    assert [str(e) for e in report.errors] == [
        "file: the XML declares a DTD or entities, which are refused for safety"
    ]


def test_malformed_xml_is_reported_at_its_line():
    report = moodle_xml.parse(b"<quiz>\n<question type='truefalse'>\n</quiz>")

    assert report.errors[0].location == "line 3"
    assert "not well-formed" in report.errors[0].message


def test_a_file_that_is_not_a_quiz_is_refused():
    report = moodle_xml.parse(b"<html><body/></html>")

    assert not report.ok and report.questions == []


def test_export_writes_markdown_text_and_a_category_per_competency():
    questions = [
        {
            "kind": "true_false",
            "text": {"en": "Parcels **can** fly?"},
            "points": "1.5",
            "competency": "logistics",
            "difficulty": 1,
            "content": {},
            "key": {"correct": False},
        }
    ]

    xml = moodle_xml.export(questions).data.decode()

    assert "<text>$course$/top/logistics</text>" in xml
    assert '<questiontext format="markdown">' in xml
    assert "<text>Parcels **can** fly?</text>" in xml
    assert "<defaultgrade>1.5</defaultgrade>" in xml
    assert moodle_xml.parse(xml.encode()).questions[0]["key"] == {"correct": False}


def test_export_drops_characters_xml_cannot_hold():
    question = {
        "kind": "essay",
        "text": {"en": "Bell\x07 and tab\t"},
        "points": "1",
        "difficulty": 1,
        "content": {},
        "key": {},
    }

    report = moodle_xml.parse(moodle_xml.export([question]).data)

    assert report.questions[0]["text"] == {"en": "Bell and tab"}


FIXTURES = {
    # name: (questions, errors, warnings)
    "moodle-qtype-match-testquestion.xml": (1, 0, 0),
    "moodle-qtype-multichoice-multi-testquestion.xml": (1, 0, 1),  # hints are not kept
    "moodle-qtype-shortanswer-testquestion.xml": (1, 0, 1),  # 80% and * answers dropped
    # Moodle refuses each of these five: so do we, each with its reason.
    "moodle-tests-broken-cloze-questions.xml": (0, 5, 0),
    "moodle-tests-nested-categories-with-questions.xml": (5, 0, 0),
    "moodletools-cloze-multianswer.xml": (5, 0, 3),  # three with per-answer feedback
    "moodletools-numerical-tolerance.xml": (2, 0, 2),  # the 50% answers are dropped
}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_real_world_fixture_parses_as_expected(shared_fixtures, name):
    report = moodle_xml.parse((shared_fixtures / "moodle-xml" / name).read_bytes())

    assert (len(report.questions), len(report.errors), len(report.warnings)) == FIXTURES[name]


def test_nested_categories_give_the_innermost_name_as_competency(shared_fixtures):
    data = shared_fixtures / "moodle-xml" / "moodle-tests-nested-categories-with-questions.xml"

    report = moodle_xml.parse(data.read_bytes())

    assert [q["competency"] for q in report.questions] == ["Iota", "Kappa", "Kappa", "Lambda", "Mu"]
    assert report.questions[1]["kind"] == "essay"


def test_matching_fixture_keeps_the_empty_subquestion_as_a_distractor(shared_fixtures):
    data = (shared_fixtures / "moodle-xml" / "moodle-qtype-match-testquestion.xml").read_bytes()

    question = moodle_xml.parse(data).questions[0]

    assert [c["text"]["en"] for c in question["content"]["choices"]] == [
        "amphibian",
        "mammal",
        "insect",
    ]
    assert question["key"]["pairs"] == {"p1": "c1", "p2": "c2", "p3": "c1"}


# --- plain text, wildcards and files --------------------------------------------------------


def quiz(*questions: str) -> bytes:
    return ("<quiz>" + "".join(questions) + "</quiz>").encode()


def essay(text: str, fmt: str) -> str:
    return (
        f'<question type="essay"><name><text>E</text></name>'
        f'<questiontext format="{fmt}"><text><![CDATA[{text}]]></text></questiontext>'
        "</question>"
    )


def shown(markdown: str) -> str:
    """The text a reader sees of rendered Markdown (line breaks as newlines)."""
    rendered = re.sub(r"<br\s*/?>\n?", "\n", str(render_markdown(markdown)))
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


def test_plain_text_shows_as_typed_not_as_markdown():
    typed = "**Not bold** and 2*3*4 = 24\n# not a heading\n1. not a list\n<b>not bold</b> &amp;"

    question = moodle_xml.parse(quiz(essay(typed, "plain_text"))).questions[0]

    assert "<strong>" not in str(render_markdown(question["text"]["en"]))
    assert shown(question["text"]["en"]) == typed


def test_auto_format_keeps_its_html_but_shows_markdown_characters_as_typed():
    typed = 'Use <a href="https://example.com/a_b*c">the _list_</a> for *all* items'

    question = moodle_xml.parse(quiz(essay(typed, "moodle_auto_format"))).questions[0]
    rendered = str(render_markdown(question["text"]["en"]))

    assert 'href="https://example.com/a_b*c"' in rendered
    assert "<em>" not in rendered
    assert shown(question["text"]["en"]) == "Use the _list_ for *all* items"


def test_markdown_and_html_text_are_kept_as_written():
    report = moodle_xml.parse(quiz(essay("**bold**", "markdown"), essay("<b>bold</b>", "html")))

    assert [q["text"]["en"] for q in report.questions] == ["**bold**", "<b>bold</b>"]


TYPED = st.lists(
    st.sampled_from(
        [*"abc xyz019.#>-+*_=:~|`[](){}!<&;\\/\n\t", "&amp;", "1. ", "- ", "    ", "```", "中文"]
    ),
    min_size=1,
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(typed=TYPED)
# A numeric reference needs no ";" in HTML5: typed "&#65" once showed as "A", "&#0" as "\ufffd".
@example(typed="&#0")
@example(typed="&#65 and &#x41")
def test_any_plain_text_renders_as_exactly_what_was_typed(typed):
    assert " ".join(shown(plain_markdown(typed)).split()) == " ".join(typed.split())


def short_answer(*answers: tuple[str, str], fmt: str = "moodle_auto_format") -> str:
    rows = "".join(
        f'<answer fraction="{fraction}" format="{fmt}"><text>{text}</text></answer>'
        for fraction, text in answers
    )
    return (
        '<question type="shortanswer"><name><text>S</text></name><questiontext format="html">'
        "<text>How is the essay marked? ____</text></questiontext>"
        f"<usecase>0</usecase>{rows}</question>"
    )


def test_a_wildcard_short_answer_is_refused_with_a_clear_message():
    report = moodle_xml.parse(quiz(short_answer(("100", "*manually*"))))

    assert report.questions == []
    assert [str(e) for e in report.errors] == [
        "question 1: the answer '*manually*' uses Moodle's wildcard *, which our fill-in answers "
        "cannot match: write out the answers it should accept (or \\* for a real asterisk), or "
        "leave the question out"
    ]


def test_an_escaped_asterisk_is_a_real_one_and_is_written_back_escaped():
    report = moodle_xml.parse(quiz(short_answer(("100", "5\\*3"), ("0", "*"))))

    question = report.questions[0]
    assert question["key"]["blanks"] == [{"accepted": ["5*3"]}]
    xml = moodle_xml.export([question]).data.decode()
    assert "<text>5\\*3</text>" in xml
    assert moodle_xml.parse(xml.encode()).questions[0]["key"] == question["key"]


RED, BLUE = images.image("PNG", (200, 30, 30)), images.image("GIF", (30, 30, 200))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def with_files(question: str, *files: str) -> str:
    """A question with <file> elements added to its question text."""
    return question.replace("</questiontext>", "".join(files) + "</questiontext>")


def file(name: str, data: bytes, path: str = "/") -> str:
    return f'<file name="{name}" path="{path}" encoding="base64">{b64(data)}</file>'


# As Moodle writes it: files beside the text that names them, names URL-encoded in the text.
PICTURE = (
    '<question type="multichoice"><name><text>Sign</text></name>'
    '<questiontext format="html"><text><![CDATA[<p>What does '
    '<img src="@@PLUGINFILE@@/sign%20one.png" alt="the sign" width="100"> say? See '
    '<a href="@@PLUGINFILE@@/rules.pdf">the rules</a>.</p>]]></text>'
    f"{file('sign one.png', RED)}"
    '<file name="rules.pdf" path="/" encoding="base64">JVBERi0=</file></questiontext>'
    "<single>true</single>"
    '<answer fraction="100" format="html"><text>Stop</text></answer>'
    '<answer fraction="0" format="html"><text><![CDATA[<img src="@@PLUGINFILE@@/go.gif">]]>'
    f'</text><file name="go.gif" encoding="base64">{b64(BLUE)}</file></answer></question>'
)
RED_SHA, BLUE_SHA = hashlib.sha256(RED).hexdigest(), hashlib.sha256(BLUE).hexdigest()


def test_images_the_file_holds_become_question_media_and_other_files_are_dropped():
    report = moodle_xml.parse(quiz(PICTURE))

    assert report.ok, report.errors
    question = report.questions[0]
    assert question["text"]["en"] == (
        f'<p>What does <img src="media-pending:{RED_SHA}" alt="the sign" width="100"> say? '
        "See the rules.</p>"
    )
    assert question["content"]["options"][1]["text"]["en"] == (
        f'<img src="media-pending:{BLUE_SHA}">'
    )
    assert {k: (f.name, f.content_type, f.data) for k, f in report.media.items()} == {
        RED_SHA: ("sign one.png", "image/png", RED),
        BLUE_SHA: ("go.gif", "image/gif", BLUE),
    }
    assert "@@PLUGINFILE@@" not in json.dumps(question)
    assert [str(w) for w in report.warnings] == [
        "question 1: not imported: rules.pdf (only images in the file itself are imported); "
        "the text says [image: …] or [file: …] where each one was"
    ]


def test_a_markdown_image_in_a_folder_is_found_by_its_path():
    text = "See ![the map](@@PLUGINFILE@@/maps/port%20map.png)"
    question = with_files(
        essay(text, "markdown"),
        file("port map.png", BLUE, "/other/"),
        file("port map.png", RED, "/maps/"),
    )

    report = moodle_xml.parse(quiz(question))

    assert report.questions[0]["text"]["en"] == f"See ![the map](media-pending:{RED_SHA})"
    assert list(report.media) == [RED_SHA]


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (images.SVG, "logo.svg",
         "logo.svg is an SVG image, which can hold scripts; SVG is refused"),
        (b"%PDF-1.7", "scan.png", "scan.png is not a PNG, JPEG, GIF or WebP image"),
        (b"\x89PNG\r\n\x1a\n" + bytes(3 * 1024 * 1024), "huge.png",
         "huge.png is 3.0 MB; images of at most 2.0 MB are accepted"),
    ],
)  # fmt: skip
def test_an_image_of_a_refused_type_or_size_is_dropped_naming_why(data, name, reason):
    text = f'<p>Logo: <img src="@@PLUGINFILE@@/{name}" alt="our logo"></p>'

    report = moodle_xml.parse(quiz(with_files(essay(text, "html"), file(name, data))))

    assert report.ok and report.media == {}
    assert report.questions[0]["text"]["en"] == "<p>Logo: [image: our logo]</p>"
    assert [w.message for w in report.warnings] == [
        f"not kept: {reason}",
        f"not imported: {name} (only images in the file itself are imported); the text says "
        "[image: …] or [file: …] where each one was",
    ]


def test_the_image_size_limit_comes_from_the_settings(settings):
    settings.EXAMS_MEDIA_MAX_MB = 0.0001
    text = '<img src="@@PLUGINFILE@@/red.png">'

    report = moodle_xml.parse(quiz(with_files(essay(text, "html"), file("red.png", RED * 20))))

    assert report.media == {}
    assert "red.png is 0.0 MB; images of at most 0.0 MB" in report.warnings[0].message


def test_an_image_inlined_as_a_data_uri_becomes_question_media():
    text = f'<p>Look: <img alt="" src="data:image/png;base64,{b64(RED)}"></p>'

    report = moodle_xml.parse(quiz(essay(text, "html")))

    expected = f'<p>Look: <img alt="" src="media-pending:{RED_SHA}"></p>'
    assert report.questions[0]["text"]["en"] == expected
    assert report.media[RED_SHA].name == "image.png"
    assert report.warnings == []


def test_a_data_uri_that_is_no_image_is_dropped_with_a_warning_and_a_marker():
    text = '<p>Look: <img alt="" src="data:image/png;base64,bm90IGFuIGltYWdl"></p>'

    report = moodle_xml.parse(quiz(essay(text, "html")))

    assert report.questions[0]["text"]["en"] == "<p>Look: [image: data:image/png]</p>"
    assert "not kept: image.png is not a PNG" in report.warnings[0].message
    assert "not imported: data:image/png" in report.warnings[1].message


def test_images_in_plain_text_are_not_looked_for():
    text = "Type <img src=@@PLUGINFILE@@/red.png> here"

    report = moodle_xml.parse(quiz(with_files(essay(text, "plain_text"), file("red.png", RED))))

    assert report.media == {}
    assert report.questions[0]["text"]["en"] == "Type \\[file: red.png\\] here"


def test_export_writes_each_image_beside_the_text_that_shows_it_and_reads_it_back():
    url = "/exams/media/AbCdEfGhIjKlMnOp/map.png"
    other = "/exams/media/QrStUvWxYz012345/map.png"  # another image with the same name
    question = {
        "kind": "single_choice",
        "text": {"en": f"Which port? ![the map]({url})"},
        "points": "1",
        "competency": "",
        "difficulty": 1,
        "content": {
            "options": [
                {"id": "a", "text": {"en": f"![a]({other})"}},
                {"id": "b", "text": {"en": "Shenzhen"}},
            ]
        },
        "key": {"correct": "b"},
        "feedback": {"en": f"It is ![here]({url})."},
    }
    media = {
        url: MediaFile("map.png", RED, "image/png"),
        other: MediaFile("map.png", BLUE, "image/gif"),
    }

    result = moodle_xml.export([question], media=media)

    xml = result.data.decode()
    assert "/exams/media/" not in xml and result.warnings == []
    assert xml.count(file("map.png", RED)) == 2  # question text and general feedback
    assert file("2-map.png", BLUE) in xml
    assert "![the map](@@PLUGINFILE@@/map.png)" in xml
    report = moodle_xml.parse(result.data)
    back = report.questions[0]
    assert back["text"]["en"] == f"Which port? ![the map](media-pending:{RED_SHA})"
    assert back["content"]["options"][0]["text"]["en"] == f"![a](media-pending:{BLUE_SHA})"
    assert back["feedback"]["en"] == f"It is ![here](media-pending:{RED_SHA})."
    assert {d: f.data for d, f in report.media.items()} == {RED_SHA: RED, BLUE_SHA: BLUE}
    assert report.warnings == []


def test_an_image_the_export_was_not_given_is_named_in_a_warning():
    question = {
        "kind": "essay",
        "text": {"en": "Describe ![x](/exams/media/AbCdEfGhIjKlMnOp/gone.png)"},
        "points": "1",
        "competency": "",
        "difficulty": 1,
        "content": {},
        "key": {},
    }

    result = moodle_xml.export([question], media={})

    assert [str(w) for w in result.warnings] == [
        "question 1: image gone.png is not one of this bank's files; the text still links to it"
    ]


# --- cloze (embedded answers) ---------------------------------------------------------------


def cloze(text: str, fmt: str = "html", grade: str = "3", name: str = "Cloze") -> str:
    return (
        f'<question type="cloze"><name><text>{name}</text></name>'
        f'<questiontext format="{fmt}"><text><![CDATA[{text}]]></text></questiontext>'
        f"<defaultgrade>{grade}</defaultgrade></question>"
    )


def test_the_moodle_cloze_fixture_reads_numbers_choices_and_weights(shared_fixtures):
    data = (shared_fixtures / "moodle-xml" / "moodletools-cloze-multianswer.xml").read_bytes()

    report = moodle_xml.parse(data)

    last = report.questions[4]
    assert last["kind"] == "cloze"
    assert last["text"] == {"en": "Fill in the gaps."}
    assert last["content"] == {
        "text": {
            "en": "<p>Enter the correct value: [[g1]].</p>\n<p>This value is known as [[g2]].</p>"
        },
        "gaps": [
            {"id": "g1", "type": "number"},
            {
                "id": "g2",
                "type": "choice",
                "options": [{"id": "a", "text": {"en": "e"}}, {"id": "b", "text": {"en": "pi"}}],
            },
        ],
    }
    assert last["key"] == {
        "gaps": {
            "g1": {"weight": 2, "value": "5.57", "tolerance": "0.01"},
            "g2": {"weight": 1, "correct": ["b"]},
        }
    }
    assert last["feedback"] == {"en": "<p>General feedback</p>"}
    assert [str(w) for w in report.warnings] == [
        f"question {n}: not kept: per-answer feedback" for n in (2, 4, 5)
    ]


def test_moodles_broken_cloze_questions_are_refused_each_with_its_reason(shared_fixtures):
    data = (shared_fixtures / "moodle-xml" / "moodle-tests-broken-cloze-questions.xml").read_bytes()

    report = moodle_xml.parse(data)

    assert report.questions == []
    assert [str(e) for e in report.errors] == [
        "question 1: a cloze question needs at least one embedded answer, such as "
        "{1:SHORTANSWER:=Paris}",
        "question 2: a cloze question needs at least one embedded answer, such as "
        "{1:SHORTANSWER:=Paris}",
        "question 3: gap 1: a choice needs at least two options",
        "question 4: gap 1: no option is worth 100%",
        "question 5: gap 1: 'zero' is not a number (with a tolerance after a colon)",
    ]


def test_a_first_paragraph_without_a_gap_is_the_question_text():
    text = (
        "<p>Read the note.</p><p>The term is {2:SHORTANSWER_C:=DDP~%50%DAP#close~*#no}, "
        "the weight {1:NM:=16:0,5} kg and the carrier {1:MCS:=DHL~%25%Sea \\} freight~Rail}.</p>"
    )

    report = moodle_xml.parse(quiz(cloze(text, grade="4")))

    question = report.questions[0]
    assert question["text"] == {"en": "<p>Read the note.</p>"}
    assert question["content"]["text"] == {
        "en": "<p>The term is [[g1]], the weight [[g2]] kg and the carrier [[g3]].</p>"
    }
    options = [o["text"]["en"] for o in question["content"]["gaps"][2]["options"]]
    assert options == ["DHL", "Sea } freight", "Rail"]
    assert question["key"]["gaps"] == {
        "g1": {"weight": 2, "accepted": ["DDP"], "case_sensitive": True},
        "g2": {"weight": 1, "value": "16", "tolerance": "0.5"},
        "g3": {"weight": 1, "correct": ["a"], "partial": {"b": "0.25"}},
    }
    assert question["points"] == "4"
    assert [w.message for w in report.warnings] == [
        "not kept: per-answer feedback; gap 1: answer 'DAP' worth 50%"
    ]


@pytest.mark.parametrize(
    ("subquestion", "loss"),
    [
        ("{1:MCV:=a~b}", "gap 1: options laid out in a list (shown as a drop-down)"),
        ("{1:MULTIRESPONSE_H:=a~=b~c}", "gap 1: several options to tick (read as one to pick;"),
        ("{1:MC:=a~%-50%b}", "gap 1: negative grades (counted as 0)"),
        ("{1:NUMERICAL:=5:1~%50%6}", "gap 1: partly right numbers"),
        ("{0:SA:=a}", "gap 1: weight 0 (read as 1)"),
    ],
)
def test_what_a_gap_cannot_hold_is_named(subquestion, loss):
    report = moodle_xml.parse(quiz(cloze(f"Pick {subquestion} now.")))

    assert report.ok and report.questions[0]["kind"] == "cloze"
    assert loss in report.warnings[0].message


def test_a_wildcard_in_a_cloze_short_answer_is_refused():
    report = moodle_xml.parse(quiz(cloze("Type {1:SHORTANSWER:=*manual*}")))

    assert report.questions == []
    assert "gap 1: the answer '*manual*' uses Moodle's wildcard *" in report.errors[0].message


def test_an_unknown_embedded_answer_type_is_refused():
    report = moodle_xml.parse(quiz(cloze("Match {1:REGEXP:=a.*}")))

    assert [e.message for e in report.errors] == [
        "gap 1: the embedded answer type REGEXP is not supported"
    ]


def test_plain_text_cloze_shows_its_text_as_typed_around_the_gaps():
    report = moodle_xml.parse(quiz(cloze("Cost *per* [kg]: {1:NM:=2.5}", fmt="plain_text")))

    assert report.questions[0]["content"]["text"] == {"en": "Cost \\*per\\* \\[kg\\]: [[g1]]"}


def test_a_cloze_is_written_as_embedded_answers_and_read_back_the_same():
    question = {
        "kind": "cloze",
        "title": "Note",
        "text": {"en": "Complete the note.", "zh-hans": "补全说明。"},
        "points": "6",
        "competency": "shipping",
        "difficulty": 2,
        "content": {
            "text": {
                "en": "Term [[term]] at [[price]] USD by [[mode]].",
                "zh-hans": "以[[mode]]运输，价格 [[price]] 美元，术语 [[term]]。",
            },
            "gaps": [
                {"id": "term", "type": "short"},
                {"id": "price", "type": "number"},
                {
                    "id": "mode",
                    "type": "choice",
                    "options": [
                        {"id": "a", "text": {"en": "air # fast", "zh-hans": "空运"}},
                        {"id": "b", "text": {"en": "sea ~ {slow}", "zh-hans": "海运"}},
                    ],
                },
            ],
        },
        "key": {
            "gaps": {
                "term": {"weight": 3, "accepted": ["DDP", "2*3"], "case_sensitive": True},
                "price": {"weight": 2, "value": "12.5", "tolerance": "0.1"},
                "mode": {"weight": 1, "correct": ["b"], "partial": {"a": "0.5"}},
            }
        },
        "feedback": {"en": "DDP by sea."},
    }

    result = moodle_xml.export([question])

    xml = result.data.decode()
    assert '<question type="cloze">' in xml
    assert (
        "Complete the note.\n\nTerm {3:SHORTANSWER_C:=DDP~=2\\*3} at {2:NUMERICAL:=12.5:0.1} "
        "USD by {1:MULTICHOICE:%50%air \\# fast~=sea \\~ {slow\\}}." in html.unescape(xml)
    )
    assert [w.message for w in result.warnings] == [
        "not kept: only the en text is exported; the other translation is dropped",
        "not kept: difficulty",
    ]
    back = moodle_xml.parse(result.data).questions[0]
    assert back["text"] == {"en": "Complete the note."}
    assert back["content"]["text"] == {"en": "Term [[g1]] at [[g2]] USD by [[g3]]."}
    assert back["key"]["gaps"] == {
        "g1": {"weight": 3, "accepted": ["DDP", "2*3"], "case_sensitive": True},
        "g2": {"weight": 2, "value": "12.5", "tolerance": "0.1"},
        "g3": {"weight": 1, "correct": ["b"], "partial": {"a": "0.5"}},
    }
    assert [o["text"]["en"] for o in back["content"]["gaps"][2]["options"]] == [
        "air # fast",
        "sea ~ {slow}",
    ]
    assert (back["points"], back["competency"], back["title"]) == ("6", "shipping", "Note")
    assert back["feedback"] == {"en": "DDP by sea."}


def test_a_cloze_question_text_of_several_paragraphs_is_named_in_the_export_warnings():
    question = {
        "kind": "cloze",
        "text": {"en": "Read the note.\n\nThen fill in the gap."},
        "points": "1",
        "competency": "",
        "difficulty": 1,
        "content": {
            "text": {"en": "A context paragraph.\n\nThe answer is [[g1]]."},
            "gaps": [{"id": "g1", "type": "short"}],
        },
        "key": {"gaps": {"g1": {"weight": 1, "accepted": ["x"]}}},
    }

    result = moodle_xml.export([question])

    assert "question text of several paragraphs" in result.warnings[0].message
    back = moodle_xml.parse(result.data).questions[0]
    assert back["text"] == {"en": "Read the note."}
    assert back["content"]["text"] == {
        "en": "Then fill in the gap.\n\nA context paragraph.\n\nThe answer is [[g1]]."
    }
