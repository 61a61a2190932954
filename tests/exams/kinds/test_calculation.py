"""The calculation kind: numbers drawn per attempt, steps with carried error, safe formulas."""

import copy
import io
import json
import random
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from exams import grading, services
from exams.kinds import REGISTRY
from exams.kinds.calculation_rules import step_marks, values_from_seed
from exams.kinds.formulas import FormulaError, evaluate
from exams.models import Attempt, AttemptQuestion, Exam, RegradeJob
from exams.papers import draw_paper
from exams.services.regrading import regrade_run
from lms.demo.exam_content import LM_QUESTIONS
from organizations.services import person_create
from tests.exams.conftest import exam_of_kinds
from tests.exams.test_kinds_registry import calc_answers, calc_value, questions
from tests.exams.test_marking import login

D = Decimal
CALC = REGISTRY["calculation"]
PROPERTIES = settings(max_examples=60, deadline=None)
DEMOS = [q for q in LM_QUESTIONS if q["kind"] == "calculation"]
PARCEL = DEMOS[0]


def parcel() -> dict:
    """The demo's parcel question: volumetric weight, chargeable weight (carried), freight."""
    return copy.deepcopy(PARCEL)


def drawn(question: dict, seed: int) -> dict:
    """The content an attempt freezes for this question, drawn from a seeded generator."""
    return CALC.draw(CALC.public_content(question["content"]), question["key"], random.Random(seed))


def values(content: dict) -> dict[str, Decimal]:
    return {name: D(value) for name, value in content["values"].items()}


def grade(question: dict, content: dict, steps: dict, max_points: str | None = None):
    return grading.grade(
        "calculation",
        content=content,
        key=question["key"],
        response={"steps": steps},
        max_points=D(max_points or question["points"]),
    )


def exact(question: dict, content: dict) -> dict[str, str]:
    """Every step's exact result for the drawn numbers, worked out apart from the kind."""
    names = values(content)
    found = {}
    for step in question["key"]["steps"]:
        # The demo's formulas use only what the registry test's own evaluator reads.
        names[step["id"]] = calc_value(step["formula"], names)
        found[step["id"]] = format(names[step["id"]], "f")
    return found


# --- drawing ---------------------------------------------------------------------------------


@PROPERTIES
@given(seed=st.integers(0, 2**32))
def test_a_draw_lies_in_every_range_on_its_decimal_places_and_comes_back_from_its_seed(seed):
    question = parcel()
    content = drawn(question, seed)
    for variable in question["key"]["variables"]:
        value = D(content["values"][variable["name"]])
        assert D(variable["min"]) <= value <= D(variable["max"])
        assert -value.as_tuple().exponent == variable["decimals"]
    # The seed kept in the content gives the same numbers again, and so does the generator.
    assert values_from_seed(question["key"], content["seed"]) == values(content)
    assert drawn(question, seed) == content


def test_the_drawn_content_shows_numbers_and_labels_but_no_formula_or_range():
    question = parcel()
    content = drawn(question, 1)
    assert set(content) == {"steps", "seed", "values"}
    assert set(content["values"]) == {"length_cm", "width_cm", "height_cm", "actual_kg", "rate_cny"}
    text = json.dumps(content)
    for step in question["key"]["steps"]:
        assert step["formula"] not in text
    assert "formula" not in text and "min" not in text and "tolerance" not in text


# --- grading ---------------------------------------------------------------------------------


@PROPERTIES
@given(seed=st.integers(0, 2**32))
def test_the_exact_results_for_the_drawn_numbers_earn_full_marks(seed):
    for question in DEMOS:
        content = drawn(question, seed)
        full = grading.Grade(D(question["points"]), D(question["points"]), True)
        assert grade(question, content, exact(question, content)) == full
        # And so does the key's own answer (rounded as a person would, within tolerance).
        assert (
            grade(question, content, CALC.key_response(content, question["key"])["steps"]) == full
        )


@PROPERTIES
@given(data=st.data(), seed=st.integers(0, 2**32), max_points=st.decimals(0, 1000, places=2))
def test_a_score_never_exceeds_the_maximum(data, seed, max_points):
    question = data.draw(questions("calculation"))
    content = CALC.draw(
        CALC.public_content(question["content"]), question["key"], random.Random(seed)
    )
    answers = {
        step["id"]: data.draw(st.none() | st.text(max_size=8) | st.decimals(-1e6, 1e6).map(str))
        for step in question["key"]["steps"]
    }
    got = grade(question, content, answers, str(max_points))
    assert D(0) <= got.points <= max_points


@PROPERTIES
@given(data=st.data(), seed=st.integers(0, 2**32))
def test_generated_questions_earn_full_marks_for_the_exact_results_of_any_draw(data, seed):
    question = data.draw(questions("calculation"))
    content = CALC.draw(
        CALC.public_content(question["content"]), question["key"], random.Random(seed)
    )
    answers = calc_answers(question["key"], values(content))
    steps = {name: format(value, "f") for name, value in answers.items()}
    assert grade(question, content, steps).correct is True
    assert grade(question, content, CALC.key_response(content, question["key"])["steps"]).correct


def test_each_step_right_earns_its_own_points():
    question = parcel()
    content = drawn(question, 7)
    right = exact(question, content)
    only_first = {"volumetric": right["volumetric"], "chargeable": "", "freight": "1"}
    assert grade(question, content, only_first).points == D("2.00")
    assert grade(question, content, {}).points == D("0.00")
    assert grade(question, content, {"volumetric": right["volumetric"]}, "12").points == D("4.00")


def test_answers_are_read_with_chinese_punctuation_and_full_width_digits():
    question = parcel()
    content = drawn(question, 7)
    right = exact(question, content)
    typed = {
        name: value.replace(".", "，").translate(
            str.maketrans("0123456789", "０１２３４５６７８９")
        )
        for name, value in right.items()
    }
    assert grade(question, content, typed).correct is True


def test_an_answer_within_tolerance_is_right_and_one_beyond_it_is_wrong():
    question = parcel()  # freight: ± 0.5 CNY
    content = drawn(question, 3)
    right = exact(question, content)
    near = {**right, "freight": format(D(right["freight"]) + D("0.5"), "f")}
    far = {**right, "freight": format(D(right["freight"]) + D("0.51"), "f")}
    assert grade(question, content, near).correct is True
    assert grade(question, content, far).points == D("4.00")


@PROPERTIES
@given(seed=st.integers(0, 2**32), error=st.decimals(D("0.5"), D(20), places=2))
def test_a_carried_error_credits_a_later_step_only_when_it_follows_from_the_students_answer(
    seed, error
):
    question = parcel()
    question["key"]["variables"][3] |= {"min": "0.1", "max": "0.5"}  # light: volume decides
    content = drawn(question, seed)
    numbers = values(content)
    volumetric = calc_value("length_cm * width_cm * height_cm / 5000", numbers)
    wrong = volumetric + error  # a wrong volumetric weight...
    follows = {
        "volumetric": format(wrong, "f"),
        "chargeable": format(max(numbers["actual_kg"], wrong), "f"),  # ...carried correctly
        "freight": format(numbers["rate_cny"] * max(numbers["actual_kg"], wrong), "f"),
    }
    # Each later step follows from the student's own answers: credited as carried.
    assert grade(question, content, follows).points == D("4.00")
    marks = marks_of(question, content, follows)
    assert not marks["volumetric"].right
    assert marks["chargeable"].carried and marks["freight"].carried

    # Without carry_error the same answers earn nothing for those steps.
    strict = copy.deepcopy(question)
    for step in strict["key"]["steps"]:
        step["carry_error"] = False
    assert grade(strict, content, follows).points == D("0.00")

    # A chargeable weight that follows from no answer of the student's is not credited, and
    # the freight, worked out from the earlier wrong volume rather than from that chargeable
    # weight, no longer follows from the student's own answers.
    unrelated = {**follows, "chargeable": format(wrong + 1, "f")}
    marks = marks_of(question, content, unrelated)
    assert not marks["chargeable"].right and not marks["freight"].right


def marks_of(question: dict, content: dict, steps: dict) -> dict:
    """Each step's mark, by step."""
    return {m.step.id: m for m in step_marks(content, question["key"], {"steps": steps})}


def test_a_right_later_step_is_right_whatever_the_earlier_answers():
    question = parcel()
    content = drawn(question, 11)
    right = exact(question, content)
    answers = {**right, "volumetric": "999"}
    marks = marks_of(question, content, answers)
    assert not marks["volumetric"].right
    assert marks["freight"].right and not marks["freight"].carried


def test_without_drawn_numbers_every_variable_takes_its_lowest_value():
    question = parcel()
    lowest = calc_answers(question["key"])
    response = CALC.key_response(question["content"], question["key"])
    assert {k: D(v) for k, v in response["steps"].items()} == lowest


# --- cleaning answers ------------------------------------------------------------------------


def test_answers_are_kept_as_typed_and_unanswered_steps_are_blank():
    content = drawn(parcel(), 1)
    cleaned = grading.clean_response("calculation", content, {"steps": {"volumetric": " 12,5 "}})
    assert cleaned == {"steps": {"volumetric": "12,5", "chargeable": "", "freight": ""}}
    assert grading.clean_response("calculation", content, {"steps": {"freight": 3.5}}) == {
        "steps": {"volumetric": "", "chargeable": "", "freight": "3.5"}
    }


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ({"volumetric": "twelve"}, "Enter a number such as 12.5 for 'Volumetric weight'."),
        ({"tariff": "1"}, "There is no step 'tariff' here."),
        ({"freight": "1e5"}, "Enter a number such as 12.5 for 'Freight'."),
        (["12"], "The answer must give a number for each step."),
    ],
)
def test_answers_that_are_not_numbers_of_the_questions_steps_are_refused(steps, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        grading.clean_response("calculation", drawn(parcel(), 1), {"steps": steps})


# --- formulas are read safely ----------------------------------------------------------------


@pytest.mark.parametrize(
    "formula",
    [
        "__import__('os').system('true')",
        "(1).__class__",
        "a.real",
        "a if a else 1",
        "a < 2",
        "'text'",
        "[a, 1]",
        "round(a, ndigits=2)",
        "max(*[a, 1])",
        "lambda: 1",
        "a; 1",
        "1e999",
        "0x10",
        "a ** 11",
        "a // 2",
        "a % 2",
        "",
    ],
)
def test_a_formula_may_only_do_arithmetic(formula):
    with pytest.raises(FormulaError):
        evaluate(formula, {"a": D(2)})


def test_formulas_compute_in_decimals_with_their_functions():
    names = {"a": D("7"), "b": D("0.1")}
    assert evaluate("a * b + b * 2", names) == D("0.9")
    assert evaluate("round(a / 3, 2) + ceil(b) + floor(a / 2) + abs(-b)", names) == D("6.43")
    assert evaluate("sqrt(a * a) + min(a, b) - max(a, b, 1) + a ** 2", names) == D("49.1")
    assert evaluate("round(2.5) + round(0.125, 2)", {}) == D("3.13")  # half up, like money


@pytest.mark.parametrize(
    ("formula", "reason"),
    [
        ("a / (a - 7)", "it divides by zero"),
        ("sqrt(0 - a)", "it has no real value"),
        ("a ** 10 * 10 ** 10", "a result is larger than 10^15"),
        ("c + 1", "'c' has no value"),
    ],
)
def test_a_formula_without_a_value_says_why(formula, reason):
    with pytest.raises(FormulaError, match=reason.replace("^", r"\^")):
        evaluate(formula, {"a": D(7)})


# --- checks when a question is saved ---------------------------------------------------------


def problems_of(question: dict) -> list[str]:
    return grading.validate_question(question)


def with_formula(step: int, formula: str) -> dict:
    question = parcel()
    question["key"]["steps"][step]["formula"] = formula
    return question


def test_the_demo_calculations_are_valid():
    assert all(problems_of(question) == [] for question in DEMOS)


def test_a_formula_that_fails_somewhere_in_range_is_refused_naming_the_step_and_the_values():
    question = with_formula(2, "rate_cny * chargeable / (length_cm - 30)")
    assert problems_of(question) == [
        "Step 'freight' cannot be computed when length_cm = 30, width_cm = 20, height_cm = 10, "
        "actual_kg = 2.0, rate_cny = 38.0: it divides by zero."
    ]


def test_a_formula_that_fails_only_inside_the_range_is_found_by_sampling():
    question = with_formula(0, "length_cm * width_cm * height_cm / (width_cm - 33) / 5000")
    (problem,) = problems_of(question)
    assert problem.startswith("Step 'volumetric' cannot be computed when")
    assert "width_cm = 33" in problem and problem.endswith("it divides by zero.")


def test_a_formula_too_large_for_some_values_is_refused():
    question = with_formula(2, "rate_cny ** 10 * chargeable")
    (problem,) = problems_of(question)
    assert "Step 'freight' cannot be computed" in problem and "larger than 10^15" in problem


@pytest.mark.parametrize(
    ("formula", "problem"),
    [
        (
            "rate_cny * weight",
            "Step 'freight' uses 'weight', which is neither a variable nor an earlier step.",
        ),
        ("rate_cny * freight", "Step 'freight' uses its own result."),
        (
            "max(actual_kg, freight)",
            "Step 'chargeable' uses step 'freight', which comes after it: a formula may use only "
            "the variables and the steps before it.",
        ),
        ("rate_cny.real", "The formula of step 'freight': 'rate_cny.real' is not allowed: use "),
        ("rate_cny ** 12", "Step 'freight' cannot be computed when"),
    ],
)
def test_formulas_naming_unknown_or_later_things_are_refused(formula, problem):
    step = 1 if "chargeable" in problem else 2
    found = problems_of(with_formula(step, formula))
    assert any(p.startswith(problem) for p in found), found


def test_names_used_twice_are_refused():
    question = parcel()
    question["key"]["variables"][1]["name"] = "length_cm"
    assert "The name 'length_cm' is used more than once." in problems_of(question)
    question = parcel()
    question["content"]["steps"][1]["id"] = "volumetric"
    question["key"]["steps"][1]["id"] = "volumetric"
    assert "The name 'volumetric' is used more than once." in problems_of(question)
    question = parcel()
    question["content"]["steps"][0]["id"] = question["key"]["steps"][0]["id"] = "rate_cny"
    assert "The name 'rate_cny' is used more than once." in problems_of(question)


def test_the_text_must_show_every_variable_and_only_variables():
    question = parcel()
    question["text"]["en"] = question["text"]["en"].replace("{rate_cny}", "{rate}")
    found = problems_of(question)
    assert "The 'en' text shows {rate}, but there is no variable 'rate'." in found
    assert (
        "The 'en' text never shows variable 'rate_cny': write {rate_cny} where students should "
        "see its value." in found
    )


def test_ranges_and_points_are_checked():
    question = parcel()
    question["key"]["variables"][0] |= {"min": "60", "max": "30"}
    question["key"]["variables"][3] |= {"min": "2.25"}
    question["points"] = "7"
    found = problems_of(question)
    assert "The lowest value of 'length_cm' is above its highest." in found
    assert (
        "The lowest and highest values of 'actual_kg' have more decimal places than its 1." in found
    )
    assert "The question is worth 7 points but its steps total 6." in found


# --- what students and teachers see ----------------------------------------------------------


class _Controls(HTMLParser):
    """The answer controls of a rendered page: data-answer path → value."""

    def __init__(self):
        super().__init__()
        self.controls: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-answer" in attrs:
            self.controls[attrs["data-answer"]] = attrs.get("value") or ""


def from_fields(controls: dict[str, str]) -> dict:
    """What attempt.js fromFields() makes of text controls: a path "steps.x" nests a dict."""
    response: dict = {}
    for path, value in controls.items():
        *parents, last = path.split(".")
        holder = response
        for part in parents:
            holder = holder.setdefault(part, {})
        holder[last] = value
    return response


def test_the_widget_shows_the_numbers_and_one_input_per_step():
    question = parcel()
    content = drawn(question, 5)
    item = {"position": "3", "text": "<p>Carton {length_cm} × {width_cm} cm; {unknown}</p>"}
    CALC.present(item, content, {"steps": {"chargeable": "9.5"}})
    html = render_to_string(CALC.widget_template, {"q": item, "labels": {}})
    numbers = content["values"]
    assert item["text"] == (
        f'<p>Carton <span class="drawn">{numbers["length_cm"]}</span> × '
        f'<span class="drawn">{numbers["width_cm"]}</span> cm; {{unknown}}</p>'
    )
    reader = _Controls()
    reader.feed(html)
    assert reader.controls == {
        "steps.volumetric": "",
        "steps.chargeable": "9.5",
        "steps.freight": "",
    }
    assert "Chargeable weight" in html and "CNY" in html


def test_the_key_view_gives_teachers_the_formulas_and_the_results_for_the_students_numbers():
    question = parcel()
    content = drawn(question, 5)
    lines = CALC.key_view(content, question["key"]).lines
    numbers = values(content)
    assert lines[0].startswith("Numbers drawn: length_cm = ")
    assert "length_cm: from 30 to 60, 0 decimal places" in lines
    assert "actual_kg: from 2.0 to 12.0, 1 decimal place" in lines
    freight = numbers["rate_cny"] * max(
        numbers["actual_kg"],
        numbers["length_cm"] * numbers["width_cm"] * numbers["height_cm"] / 5000,
    )
    last = lines[-1]
    assert last.startswith("Freight (CNY) = rate_cny * chargeable = ")
    assert abs(D(last.split(" = ")[2].split(" [")[0]) - freight) <= D("0.005")
    assert last.endswith("[± 0.5; 2 points; errors carried forward]")
    # Without a draw: ranges and formulas only.
    plain = CALC.key_view(question["content"], question["key"]).lines
    assert (
        "Volumetric weight (kg) = length_cm * width_cm * height_cm / 5000 [± 0.01; 2 points]"
        in plain
    )


def test_the_authoring_form_shows_a_draw_and_puts_a_failing_formula_on_its_row():
    question = parcel()
    editor = CALC.editor(content=question["content"], key=question["key"])
    html = editor.render()
    assert "One draw, as a student might get it" in html and "Numbers drawn: length_cm = " in html
    assert "rate_cny * chargeable" in html  # in its field, for the author
    posted = editor.as_post_data()
    posted["kind-steps-2-formula"] = "rate_cny * chargeable / (height_cm - 10)"
    bound = CALC.editor(posted)
    assert not bound.is_valid()
    row_errors = bound.formsets["steps"].forms[2].errors["formula"]
    assert row_errors[0].startswith("Step 'freight' cannot be computed when")
    posted["kind-steps-2-formula"] = "rate_cny * chargeable"
    posted["kind-steps-2-name"] = ""
    bound = CALC.editor(posted)
    # A step left unnamed gets a fresh name; nothing refers to it here.
    assert bound.is_valid(), bound.errors
    assert bound.cleaned()[0]["steps"][2]["id"] == "s1"


# --- attempts: each student's own numbers, fixed for the attempt -----------------------------


def parcel_of_ten() -> dict:
    """The parcel question worth 10 points, as exam_of_kinds makes every question: 4, 3, 3."""
    question = parcel()
    for step, points in zip(question["key"]["steps"], ("4", "3", "3"), strict=True):
        step["points"] = points
    return question | {"points": "10"}


@pytest.fixture
def calc_exam(school, government):
    question = parcel_of_ten()
    data = {"text": question["text"], "content": question["content"], "key": question["key"]}
    return exam_of_kinds(
        school=school,
        government=government,
        questions={"calculation": ("theory", data)},
        feedback={"en": "Because.", "zh-hans": "因为。"},
        review="after_grading",
        release_results=True,
    )


def paper_question(attempt: Attempt) -> AttemptQuestion:
    return attempt.questions.select_related("version__question").get()


def test_two_students_get_their_own_numbers_and_each_keeps_them(calc_exam, student, other_student):
    first = paper_question(services.attempt_start(student=student, exam=calc_exam))
    second = paper_question(services.attempt_start(student=other_student, exam=calc_exam))
    assert first.content["values"] != second.content["values"]
    assert first.content["seed"] != second.content["seed"]
    # Resuming the attempt and saving answers never draws again.
    again = paper_question(services.attempt_start(student=student, exam=calc_exam))
    services.answer_save(
        attempt=again.attempt, position=1, response={"steps": {"volumetric": "1"}}, seq=1
    )
    assert paper_question(again.attempt).content == first.content


def test_an_attempt_is_graded_and_regraded_on_its_own_numbers(calc_exam, student, teacher):
    attempt = services.attempt_start(student=student, exam=calc_exam)
    question = paper_question(attempt)
    version = question.version
    right = CALC.key_response(question.content, version.key)
    # The answer for the lowest values (no draw) is not this student's answer.
    assert right != CALC.key_response(version.content, version.key)
    services.answer_save(attempt=attempt, position=1, response=right, seq=1)
    attempt = services.attempt_submit(attempt=attempt)
    question = paper_question(attempt)
    assert (question.points, question.is_correct) == (D("10.00"), True)
    assert attempt.theory_percent == D("100.00")
    frozen = question.content

    # A corrected key (a stricter freight tolerance) regrades on the same numbers.
    key = copy.deepcopy(version.key)
    key["steps"][2]["tolerance"] = "0.001"
    job = services.question_correct_key(version=version, key=key, by=teacher)
    regrade_run(job_id=job.pk)
    assert RegradeJob.objects.get(pk=job.pk).status == RegradeJob.Status.DONE
    question = paper_question(attempt)
    assert question.content == frozen
    freight = D(right["steps"]["freight"])
    # Right on the exact numbers, or right on the student's own (rounded) chargeable weight.
    exact_freight = D(exact({"key": key}, frozen)["freight"])
    carried = values(frozen)["rate_cny"] * D(right["steps"]["chargeable"])
    full = any(abs(freight - target) <= D("0.001") for target in (exact_freight, carried))
    assert question.points == (D("10.00") if full else D("7.00"))


def test_the_review_shows_the_students_numbers_each_result_and_what_was_carried(
    client, calc_exam, student
):
    attempt = services.attempt_start(student=student, exam=calc_exam)
    question = paper_question(attempt)
    numbers = values(question.content)
    volumetric = numbers["length_cm"] * numbers["width_cm"] * numbers["height_cm"] / 5000
    wrong = volumetric + 100  # far above the actual weight: it decides the chargeable weight
    answers = {
        "volumetric": format(wrong, "f"),
        "chargeable": format(wrong, "f"),
        "freight": format(numbers["rate_cny"] * wrong, "f"),
    }
    services.answer_save(attempt=attempt, position=1, response={"steps": answers}, seq=1)
    services.attempt_submit(attempt=attempt)
    assert paper_question(attempt).points == D("6.00")  # the two carried steps: 3 + 3

    page = login(client, student).get(reverse("exams:attempt_result", args=[attempt.pk])).text
    for name, value in question.content["values"].items():
        assert f'<span class="drawn">{value}</span>' in page, name
    assert "{length_cm}" not in page
    assert f"Volumetric weight: {answers['volumetric']} kg — wrong" in page
    assert "Chargeable weight: " in page and "— right, following from your earlier answers" in page
    expected = CALC.key_response(question.content, question.version.key)["steps"]
    assert f"Volumetric weight: {expected['volumetric']} kg" in page
    for step in question.version.key["steps"]:
        assert step["formula"] not in page


def test_no_formula_or_range_reaches_a_student_before_or_after_submitting(
    client, calc_exam, student
):
    login(client, student)
    client.post(reverse("exams:attempt_start", args=[calc_exam.pk]))
    attempt = Attempt.objects.get(student=student)
    pages = [
        client.get(attempt.get_absolute_url()).text,
        json.dumps(client.get(reverse("exams_api:attempt", args=[attempt.pk])).json()),
    ]
    controls = _Controls()
    controls.feed(pages[0])
    response = from_fields(controls.controls)
    assert set(response["steps"]) == {"volumetric", "chargeable", "freight"}
    saved = client.put(
        reverse("exams_api:answer", args=[attempt.pk, 1]),
        {"seq": 1, "response": response},
        content_type="application/json",
    )
    assert saved.status_code == 200
    client.post(reverse("exams_api:submit", args=[attempt.pk]))
    pages.append(client.get(reverse("exams:attempt_result", args=[attempt.pk])).text)
    formulas = [s["formula"] for s in PARCEL["key"]["steps"]]
    for page in pages:
        for formula in formulas:
            assert formula not in page
        assert '"formula"' not in page and "carry_error" not in page


def test_the_attempt_page_collects_the_widget_through_data_answer(client, calc_exam, student):
    login(client, student)
    client.post(reverse("exams:attempt_start", args=[calc_exam.pk]))
    attempt = Attempt.objects.get(student=student)
    question = paper_question(attempt)
    page = client.get(attempt.get_absolute_url()).text
    controls = _Controls()
    controls.feed(page)
    assert set(controls.controls) == {"steps.volumetric", "steps.chargeable", "steps.freight"}
    # The student types the right results into the controls the page shows.
    right = CALC.key_response(question.content, question.version.key)["steps"]
    typed = {path: right[path.split(".", 1)[1]] for path in controls.controls}
    saved = client.put(
        reverse("exams_api:answer", args=[attempt.pk, 1]),
        {"seq": 2, "response": from_fields(typed)},
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.json()
    attempt = services.attempt_submit(attempt=attempt)
    assert paper_question(attempt).points == D("10.00")
    page = client.get(reverse("exams:attempt_result", args=[attempt.pk])).text
    assert f"Freight: {right['freight']} CNY — right" in page


def test_the_preview_shows_a_draw_to_its_author_with_the_formulas_in_the_key(
    client, calc_exam, teacher
):
    question = calc_exam.banks.get().questions.get()
    page = login(client, teacher).get(reverse("exams:question_preview", args=[question.pk])).text
    assert "{length_cm}" not in page and '<span class="drawn">' in page
    assert "rate_cny * chargeable" in page  # the staff-only key card


# --- the demo --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_logistics_exams_draw_a_calculation_the_demo_script_answers(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    exams = {
        level: Exam.objects.get(skill_level__standard__code="CBEC-LM", skill_level__level=level)
        for level in (1, 3)
    }
    for exam in exams.values():
        kinds = [item.version.question.kind for item in draw_paper(exam, rng=random.Random(1))]
        assert kinds.count("calculation") == 1
    # A new student sits level 1 the way the demo script answers objective questions.
    newcomer = person_create(username="newcomer", password=None, name_latin="New Comer")
    attempt = services.attempt_start(student=newcomer, exam=exams[1])
    (question,) = [q for q in attempt.questions.select_related("version__question")
                   if q.kind == "calculation"]  # fmt: skip
    response = grading.key_response("calculation", question.content, question.version.key)
    services.answer_save(attempt=attempt, position=question.position, response=response, seq=1)
    services.attempt_submit(attempt=attempt)
    question.refresh_from_db()
    assert question.points == question.max_points
