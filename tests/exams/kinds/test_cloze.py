"""The cloze kind: its gaps' grading, its checks, its widget, its key view and its form."""

import copy
import random
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from exams import grading
from exams.kinds import REGISTRY
from exams.models import Attempt
from tests.exams.conftest import exam_of_kinds

D = Decimal
CLOZE = REGISTRY["cloze"]


def question() -> dict:
    """A cloze of each gap type, with a partly right option and weights 1, 1 and 2."""
    return {
        "kind": "cloze",
        "text": {"en": "Complete the note.", "zh-hans": "补全说明。"},
        "points": "4",
        "competency": "shipping",
        "difficulty": 1,
        "content": {
            "text": {
                "en": "Send it by [[mode]] under [[term]]; it weighs [[kg]] kg.",
                "zh-hans": "按 [[term]] 用 [[mode]] 发货，重 [[kg]] 公斤。",
            },
            "gaps": [
                {
                    "id": "mode",
                    "type": "choice",
                    "options": [
                        {"id": "a", "text": {"en": "air", "zh-hans": "空运"}},
                        {"id": "b", "text": {"en": "sea", "zh-hans": "海运"}},
                        {"id": "c", "text": {"en": "ocean", "zh-hans": "远洋"}},
                        {"id": "d", "text": {"en": "rail", "zh-hans": "铁路"}},
                    ],
                },
                {"id": "term", "type": "short"},
                {"id": "kg", "type": "number"},
            ],
        },
        "key": {
            "gaps": {
                "mode": {"weight": 1, "correct": ["b", "c"], "partial": {"d": "0.5"}},
                "term": {
                    "weight": 1,
                    "accepted": ["DDP", "Delivered Duty Paid"],
                    "case_sensitive": False,
                },
                "kg": {"weight": 2, "value": "12.5", "tolerance": "0.1"},
            }
        },
    }


def points(response: object, q: dict | None = None) -> Decimal:
    q = q or question()
    return grading.grade(
        "cloze", content=q["content"], key=q["key"], response=response, max_points=D(q["points"])
    ).points


def gaps(**answers) -> dict:
    return {"gaps": answers}


# --- grading ---------------------------------------------------------------------------------


def test_each_gap_earns_its_weight_share_of_the_points():
    assert points(gaps(mode="b", term="DDP", kg="12.5")) == D("4.00")
    assert points(gaps(mode="b")) == D("1.00")
    assert points(gaps(kg="12.5")) == D("2.00")
    assert points(gaps(term="DDP", kg="12.5")) == D("3.00")
    assert points(gaps()) == D("0.00")


def test_any_correct_option_earns_the_whole_gap_and_a_partial_one_its_fraction():
    assert points(gaps(mode="c")) == D("1.00")
    assert points(gaps(mode="d")) == D("0.50")
    assert points(gaps(mode="a")) == D("0.00")
    q = question()
    partly = gaps(mode="d", term="DDP", kg="12.5")
    got = grading.grade(
        "cloze", content=q["content"], key=q["key"], response=partly, max_points=D(4)
    )
    assert got == grading.Grade(D("3.50"), D(4), False)


def test_short_answers_compare_nfkc_normalised_with_single_spaces_and_any_case():
    for typed in ("DDP", "ddp", "  ddp ", "ＤＤＰ", "delivered   duty\tpaid"):
        assert points(gaps(term=typed)) == D("1.00"), typed
    assert points(gaps(term="DAP")) == D("0.00")


def test_a_case_sensitive_gap_wants_the_case_of_an_accepted_answer():
    q = question()
    q["key"]["gaps"]["term"]["case_sensitive"] = True
    assert points(gaps(term="DDP"), q) == D("1.00")
    assert points(gaps(term="ＤＤＰ"), q) == D("1.00")  # full-width letters are the same letters
    assert points(gaps(term="ddp"), q) == D("0.00")


def test_numbers_read_full_width_digits_and_decimal_commas_within_the_tolerance():
    for typed in ("12.5", "12,5", "１２．５", "１２,４", " 12.6 ", "12.40"):
        assert points(gaps(kg=typed)) == D("2.00"), typed
    for typed in ("12.61", "12,39", "1.25e1", "twelve", "12.5 kg", "1,250.0"):
        assert points(gaps(kg=typed)) == D("0.00"), typed


def test_an_answer_that_is_not_an_option_of_its_gap_earns_nothing():
    assert points(gaps(mode="term")) == D("0.00")
    assert points(gaps(mode=["b"])) == D("0.00")
    assert points(gaps(mode="b", nope="DDP")) == D("1.00")


@pytest.mark.parametrize(
    "response",
    [None, [], "b", {"gaps": None}, {"gaps": ["b", "DDP", "12.5"]}, {"gap": {"mode": "b"}}],
)
def test_malformed_responses_score_zero(response):
    assert points(response) == D("0.00")


# --- cleaning an answer ----------------------------------------------------------------------


def test_cleaning_keeps_one_text_per_gap_blank_when_unanswered():
    q = question()
    cleaned = grading.clean_response("cloze", q["content"], gaps(mode="b", kg=12.5))
    assert cleaned == {"gaps": {"mode": "b", "term": "", "kg": "12.5"}}
    assert grading.clean_response("cloze", q["content"], {}) == gaps(mode="", term="", kg="")
    assert grading.clean_response("cloze", q["content"], gaps(mode=None, kg=" ")) == gaps(
        mode="", term="", kg=""
    )


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (gaps(other="x"), "'other' is not one of the gaps"),
        (gaps(mode="z"), "Gap 1: choose one of its options"),
        (gaps(term=5), "Gap 2: the answer must be text"),
        (gaps(term="x" * 501), "Gap 2 holds at most 500 characters"),
        (gaps(kg="twelve"), "Gap 3: enter a number such as 12.5"),
        (gaps(kg=True), "Gap 3: enter a number"),
        ({"gaps": ["b"]}, "map each gap to its answer"),
    ],
)
def test_cleaning_refuses_what_no_gap_can_hold(response, message):
    with pytest.raises(ValueError, match=message):
        grading.clean_response("cloze", question()["content"], response)


# --- checks ----------------------------------------------------------------------------------


def _changed(change) -> dict:
    q = question()
    change(q["content"], q["key"])
    return q


def _text(lang, text):
    return lambda content, key: content["text"].__setitem__(lang, text)


def _gap(n, **fields):
    return lambda content, key: content["gaps"][n].update(fields)


def _spec(name, **fields):
    return lambda content, key: key["gaps"][name].update(fields)


REFUSALS = {
    "a marker missing in one language": (
        _text("zh-hans", "按 [[term]] 发货，重 [[kg]] 公斤。"),
        "Gap [[mode]] is in the 'zh-hans' text 0 times",
    ),
    "a marker written twice": (
        _text("en", "[[mode]] [[mode]] [[term]] [[kg]]"),
        "Gap [[mode]] is in the 'en' text 2 times",
    ),
    "a marker without a gap": (
        _text("en", "[[mode]] [[term]] [[kg]] [[extra]]"),
        "The 'en' text has [[extra]], but no gap is named 'extra'",
    ),
    "a gap name that is not a name": (_gap(0, id="1st"), "Gap '1st' needs a name"),
    "a gap twice": (_gap(1, id="mode"), "The id 'mode' is used more than once"),
    "an unknown gap type": (_gap(1, type="dropdown"), "must be of type 'choice'"),
    "options on a short gap": (
        _gap(1, options=[{"id": "a", "text": {"en": "A"}}]),
        "Only a choice gap has options ('term')",
    ),
    "a choice of one option": (
        _gap(0, options=[{"id": "b", "text": {"en": "sea"}}]),
        "Give at least 2 of the options of gap 'mode'",
    ),
    "no text": (lambda c, k: c.pop("text"), "The cloze text must map language codes to text"),
    "a blank text": (
        lambda c, k: c.update(text={"en": " "}),
        "The cloze text is missing: give it in English or Chinese",
    ),
    "no gaps": (lambda c, k: c.update(gaps=[]), "Give at least one gap"),
    "a gap without a key": (lambda c, k: k["gaps"].pop("kg"), "gives no answer for gap 'kg'"),
    "a key for no gap": (
        lambda c, k: k["gaps"].update(zz={"weight": 1}),
        "Gap 'zz' in the key is not one of the gaps",
    ),
    "a key that is no map": (lambda c, k: k.update(gaps=[]), "answer of every gap"),
    "a correct option that is not one": (
        _spec("mode", correct=["x"]),
        "must name one or more of its options as correct",
    ),
    "no correct option": (_spec("mode", correct=[]), "one or more of its options as correct"),
    "partial credit for a correct option": (
        _spec("mode", partial={"b": "0.5"}),
        "goes to 'b', which is not one of its wrong options",
    ),
    "partial credit of 1": (_spec("mode", partial={"d": "1"}), "must lie between 0 and 1"),
    "partial credit of 0": (_spec("mode", partial={"d": "0"}), "must lie between 0 and 1"),
    "partial credit as a float": (_spec("mode", partial={"d": 0.5}), "must lie between 0 and 1"),
    "a weight of 0": (_spec("kg", weight=0), "weight of gap 'kg' must be a whole number"),
    "a weight of true": (_spec("kg", weight=True), "weight of gap 'kg'"),
    "a weight as text": (_spec("kg", weight="2"), "weight of gap 'kg'"),
    "no accepted answers": (_spec("term", accepted=[]), "needs a list of accepted answers"),
    "an empty accepted answer": (_spec("term", accepted=[" "]), "none of them empty"),
    "a case flag that is no flag": (_spec("term", case_sensitive="yes"), "true or false"),
    "a value that is no number": (_spec("kg", value="12,5"), "must be a decimal number"),
    "a negative tolerance": (_spec("kg", tolerance="-1"), "tolerance of gap 'kg'"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_the_checks_refuse(case):
    change, message = REFUSALS[case]
    problems = grading.validate_question(_changed(change))
    assert any(message in problem for problem in problems), problems


def test_the_question_as_written_passes_the_checks():
    assert grading.validate_question(question()) == []


def test_a_fill_in_the_blanks_marker_is_plain_text_in_a_cloze():
    q = _changed(_text("en", "Step [[1]]: by [[mode]] under [[term]], [[kg]] kg."))
    assert grading.validate_question(q) == []
    item = _presented(q["content"], {}, lang="en")
    assert "Step [[1]]:" in item["cloze"]


# --- the widget ------------------------------------------------------------------------------


class _Controls(HTMLParser):
    """The controls of a page marked with data-answer, by path (within one section)."""

    def __init__(self, section_kind: str | None = None):
        super().__init__()
        self.section_kind, self.inside = section_kind, section_kind is None
        self.controls: dict[str, dict] = {}
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and self.section_kind:
            self.inside = a.get("data-kind") == self.section_kind
        if not self.inside:
            return
        if "data-answer" in a:
            assert a["data-answer"] not in self.controls, f"two controls for {a['data-answer']}"
            control = {"tag": tag, "attrs": a, "options": [], "selected": None}
            self.controls[a["data-answer"]] = control
            self._select = control if tag == "select" else None
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a["value"])
            if "selected" in a:
                self._select["selected"] = a["value"]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "section" and self.section_kind:
            self.inside = False


def controls_of(html: str, section_kind: str | None = None) -> dict[str, dict]:
    reader = _Controls(section_kind)
    reader.feed(html)
    return reader.controls


def from_fields(values: dict[str, str]) -> dict:
    """What attempt.js's fromFields makes of controls' paths and values."""
    response: dict = {}
    for path, value in values.items():
        *parents, last = path.split(".")
        holder = response
        for part in parents:
            holder = holder.setdefault(part, {})
        holder[last] = value
    return response


def _presented(content: dict, response: dict, *, lang: str) -> dict:
    item = {"position": "7", "text": ""}
    with translation.override(lang):
        CLOZE.present(item, grading.public_content("cloze", content), response)
        item["html"] = render_to_string(CLOZE.widget_template, {"q": item, "labels": {}})
    return item


def test_the_widget_puts_one_control_in_place_of_each_marker():
    item = _presented(question()["content"], gaps(mode="d", kg="12"), lang="en")
    html = item["html"]
    found = controls_of(html)
    assert set(found) == {"gaps.mode", "gaps.term", "gaps.kg"}
    assert found["gaps.mode"]["tag"] == "select"
    assert found["gaps.mode"]["options"] == ["", "a", "b", "c", "d"]
    assert found["gaps.mode"]["selected"] == "d"
    assert found["gaps.kg"]["attrs"]["value"] == "12"
    assert found["gaps.kg"]["attrs"]["inputmode"] == "decimal"
    assert [found[f"gaps.{g}"]["attrs"]["aria-label"] for g in ("mode", "term", "kg")] == [
        "Gap 1",
        "Gap 2",
        "Gap 3",
    ]
    assert "[[" not in html
    assert html.index('data-answer="gaps.mode"') < html.index('data-answer="gaps.term"')
    assert item["extra_gaps"] == []


def test_the_chinese_widget_follows_the_chinese_text_and_labels_gaps_in_chinese():
    html = _presented(question()["content"], {}, lang="zh-hans")["html"]
    assert html.index('data-answer="gaps.term"') < html.index('data-answer="gaps.mode"')
    assert 'aria-label="第 1 空"' in html and ">海运<" in html


def test_the_text_is_sanitised_and_only_markers_in_text_become_controls():
    q = question()
    q["content"]["text"]["en"] = (
        '<script>alert("x")</script><img src="https://x.example/[[term]].png" onerror="bad()">'
        " **Ship** by [[mode]]: [[kg]] kg."
    )
    q["content"]["gaps"][0]["options"][0]["text"]["en"] = '<b>air</b> & "more"'
    item = _presented(q["content"], {}, lang="en")
    html = item["html"]
    assert "<script" not in html and "onerror" not in html
    assert "<strong>Ship</strong>" in html
    assert "&lt;b&gt;air&lt;/b&gt; &amp; &quot;more&quot;" in html
    # The marker inside the image address stays an address; the gap is listed after the text.
    assert [g["label"] for g in item["extra_gaps"]] == ["Gap 2"]
    assert html.count('data-answer="gaps.term"') == 1
    assert '<label for="q7-gap-term">Gap 2</label>' in html


def test_options_shuffle_per_attempt_and_nothing_else_moves():
    q = question()
    orders = set()
    for seed in range(20):
        shuffled = grading.shuffle_content("cloze", q["content"], random.Random(seed), key=q["key"])
        options = shuffled["gaps"][0]["options"]
        assert sorted(options, key=lambda o: o["id"]) == q["content"]["gaps"][0]["options"]
        assert [g["id"] for g in shuffled["gaps"]] == ["mode", "term", "kg"]
        assert shuffled["text"] == q["content"]["text"]
        orders.add(tuple(o["id"] for o in options))
    assert len(orders) > 5
    assert q == question()


def test_a_student_gets_no_key_and_no_unknown_field():
    q = question()
    content = copy.deepcopy(q["content"])
    content["gaps"][0]["correct"] = ["b"]
    content["gaps"][1]["accepted"] = ["DDP"]
    content["gaps"][2]["value"] = "12.5"
    content["gaps"][2]["weight"] = 2
    public = grading.public_content("cloze", content)
    assert public == {
        "text": q["content"]["text"],
        "gaps": [
            {"id": "mode", "type": "choice", "options": q["content"]["gaps"][0]["options"]},
            {"id": "term", "type": "short"},
            {"id": "kg", "type": "number"},
        ],
    }


# --- the key, and a student's answer, in words -----------------------------------------------


def test_the_key_view_gives_every_gaps_answers():
    q = question()
    assert CLOZE.key_view(q["content"], q["key"]).lines == [
        "Gap 1: sea / ocean / rail (50% credit)",
        "Gap 2: DDP / Delivered Duty Paid",
        "Gap 3: 12.5 ± 0.1",
    ]
    q["key"]["gaps"]["term"]["case_sensitive"] = True
    assert "Gap 2: DDP / Delivered Duty Paid (case sensitive)" in CLOZE.describe_key(
        q["content"], q["key"]
    )


def test_a_students_answer_reads_gap_by_gap():
    q = question()
    said = CLOZE.describe(q["content"], gaps(mode="d", term=" ddp ", kg=""))
    assert said == "Gap 1: rail; Gap 2: ddp; Gap 3: —"
    with translation.override("zh-hans"):
        assert CLOZE.describe(q["content"], gaps(mode="b")).startswith("第 1 空: 海运")


# --- sitting one -----------------------------------------------------------------------------


def test_a_student_answers_through_the_widgets_controls_and_earns_the_points(
    client, school, government, student
):
    q = question()
    exam = exam_of_kinds(
        school=school,
        government=government,
        questions={"cloze": ("theory", {"content": q["content"], "key": q["key"]})},
        feedback={"en": "Because."},
    )
    client.force_login(student)
    client.post(reverse("exams:attempt_start", args=[exam.pk]))
    attempt = Attempt.objects.get(student=student)
    page = client.get(attempt.get_absolute_url()).text
    found = controls_of(page, "cloze")
    assert set(found) == {"gaps.mode", "gaps.term", "gaps.kg"}
    # What a student picks and types into the controls, read the way attempt.js reads them.
    typed = {"gaps.mode": "c", "gaps.term": "delivered duty paid", "gaps.kg": "１２,５"}
    assert typed["gaps.mode"] in found["gaps.mode"]["options"]
    position = attempt.questions.get().position
    saved = client.put(
        reverse("exams_api:answer", args=[attempt.pk, position]),
        {"seq": 1, "response": from_fields(typed)},
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.json()
    page = client.get(attempt.get_absolute_url()).text
    again = controls_of(page, "cloze")
    assert again["gaps.mode"]["selected"] == "c"
    assert again["gaps.term"]["attrs"]["value"] == "delivered duty paid"
    assert client.post(reverse("exams_api:submit", args=[attempt.pk])).status_code == 200
    answered = attempt.questions.get()
    assert (answered.points, answered.is_correct) == (answered.max_points, True)


def test_a_number_gap_refuses_a_word_when_saving(client, school, government, student):
    q = question()
    exam = exam_of_kinds(
        school=school,
        government=government,
        questions={"cloze": ("theory", {"content": q["content"], "key": q["key"]})},
        feedback={"en": "Because."},
    )
    client.force_login(student)
    client.post(reverse("exams:attempt_start", args=[exam.pk]))
    attempt = Attempt.objects.get(student=student)
    saved = client.put(
        reverse("exams_api:answer", args=[attempt.pk, attempt.questions.get().position]),
        {"seq": 1, "response": gaps(kg="twelve")},
        content_type="application/json",
    )
    assert saved.status_code == 400
    assert "Gap 3: enter a number" in saved.text


# --- the authoring form ----------------------------------------------------------------------


def posted(q: dict | None = None, **changes) -> dict:
    q = q or question()
    data = CLOZE.editor(content=q["content"], key=q["key"]).as_post_data()
    return {**data, **changes}


def _row(data: dict, part: str, name: str) -> int:
    """The row number of a gap (or of the first option of a gap) in posted data."""
    return next(
        int(field.split("-")[2])
        for field, value in data.items()
        if field.startswith(f"kind-{part}-") and field.endswith("-gap") and value == name
    )


def _errors(editor) -> str:
    return str(editor.errors)


def test_the_form_gives_back_the_question_it_was_given():
    q = question()
    bound = CLOZE.editor(posted())
    assert bound.is_valid(), bound.errors
    assert bound.cleaned() == (q["content"], q["key"])


def test_the_form_refuses_a_marker_without_a_row_and_a_row_without_a_marker():
    data = posted(**{"kind-text_en": "By [[mode]] under [[term]]."})
    bound = CLOZE.editor(data)
    assert not bound.is_valid()
    assert "Gap [[kg]] is in the &#x27;en&#x27; text 0 times" in bound.render()
    data = posted(**{"kind-text_en": "By [[mode]] under [[term]]: [[kg]] [[more]]."})
    bound = CLOZE.editor(data)
    assert not bound.is_valid()
    assert "no gap is named &#x27;more&#x27;" in bound.render()


def test_a_new_gap_row_needs_its_marker_and_its_answer():
    data = posted()
    n = int(data["kind-gaps-TOTAL_FORMS"]) - 2  # the first blank row
    data |= {f"kind-gaps-{n}-gap": "extra", f"kind-gaps-{n}-type": "short"}
    bound = CLOZE.editor(data)
    assert not bound.is_valid()
    assert "Give at least one accepted answer." in _errors(bound)
    data[f"kind-gaps-{n}-accepted"] = "yes"
    bound = CLOZE.editor(data)
    assert not bound.is_valid()
    assert "Gap [[extra]] is in the" in _errors(bound)
    data["kind-text_en"] += " [[extra]]"
    data["kind-text_zh"] += " [[extra]]"
    bound = CLOZE.editor(data)
    assert bound.is_valid(), bound.errors
    content, key = bound.cleaned()
    assert content["gaps"][-1] == {"id": "extra", "type": "short"}
    assert key["gaps"]["extra"] == {"weight": 1, "accepted": ["yes"], "case_sensitive": False}


def test_a_gap_name_may_be_typed_with_its_brackets_but_must_be_a_name():
    data = posted()
    row = _row(data, "gaps", "kg")
    bound = CLOZE.editor({**data, f"kind-gaps-{row}-gap": "[[kg]]"})
    assert bound.is_valid(), bound.errors
    bound = CLOZE.editor({**data, f"kind-gaps-{row}-gap": "2kg"})
    assert not bound.is_valid()
    assert bound.formsets["gaps"].forms[row].errors["gap"]


def test_options_must_name_a_choice_gap_and_a_choice_gap_needs_a_right_one():
    data = posted()
    first = _row(data, "options", "mode")
    bound = CLOZE.editor({**data, f"kind-options-{first}-gap": "term"})
    assert not bound.is_valid()
    assert "No choice gap is named" in str(bound.formsets["options"].forms[first].errors)
    unticked = {k: v for k, v in data.items() if not k.endswith("-correct")}
    bound = CLOZE.editor(unticked)
    assert not bound.is_valid()
    assert "Tick at least one option of this gap." in _errors(bound)


def test_partial_credit_is_below_one_and_only_for_a_wrong_option():
    data = posted()
    options = [k for k, v in data.items() if k.startswith("kind-options-") and v == "mode"]
    rows = sorted(int(k.split("-")[2]) for k in options)
    correct_row = next(r for r in rows if f"kind-options-{r}-correct" in data)
    wrong_row = next(r for r in rows if data.get(f"kind-options-{r}-partial") == "0.5")
    bound = CLOZE.editor({**data, f"kind-options-{correct_row}-partial": "0.25"})
    assert not bound.is_valid()
    assert "A correct option earns full credit" in _errors(bound)
    bound = CLOZE.editor({**data, f"kind-options-{wrong_row}-partial": "1"})
    assert not bound.is_valid()
    assert "tick Correct for full credit" in _errors(bound)


def test_a_field_of_another_gap_type_is_refused_not_dropped():
    data = posted()
    row = _row(data, "gaps", "term")
    bound = CLOZE.editor({**data, f"kind-gaps-{row}-value": "3"})
    assert not bound.is_valid()
    assert "Only a number gap takes this." in _errors(bound)


def test_correcting_the_key_changes_answers_but_never_the_text_or_the_gaps():
    q = question()
    data = CLOZE.editor(content=q["content"], key=q["key"], key_only=True).as_post_data()
    assert "kind-text_en" not in data and not [k for k in data if k.endswith("-gap")]
    row = _row(CLOZE.editor(content=q["content"], key=q["key"]).as_post_data(), "gaps", "term")
    changed = {
        **data,
        f"kind-gaps-{row}-accepted": "DDP\nDAP",
        "kind-text_en": "Something else [[mode]]",
    }
    bound = CLOZE.editor(changed, content=q["content"], key=q["key"], key_only=True)
    assert bound.is_valid(), bound.errors
    content, key = bound.cleaned()
    assert content == q["content"]
    assert key["gaps"]["term"]["accepted"] == ["DDP", "DAP"]
