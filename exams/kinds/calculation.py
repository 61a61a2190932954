"""Calculation: numbers drawn for each attempt, and answer steps computed by formulas over them.

After Moodle's calculated question and LON-CAPA. The question text shows each variable as
{name}; every attempt draws its own values within the variables' ranges, reproducibly from
a seed kept with them in the attempt's content. Each step (volumetric weight, chargeable
weight, freight...) has a formula over the variables and the earlier steps, a tolerance, a
unit and points. With carry_error a step is also right when it follows from the student's
own earlier answers (error carried forward). Formulas are read and computed by .formulas
(simpleeval, never eval); one that fails for some values in range is refused at saving.

The content holds the steps' ids, labels and units (public); the key holds the variables'
ranges and the steps' formulas. An attempt's content adds "seed" and "values" (what this
student sees). Without drawn values (a question outside an attempt) every variable takes
its lowest value.
"""

import random
from decimal import Decimal
from fractions import Fraction

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .base import (
    KeyView,
    Kind,
    as_dict,
    as_list,
    award,
    parse_decimal,
    pick_language,
    public_text,
    show,
    zero,
)
from .calculation_rules import (
    MAX_DECIMALS,
    MAX_UNIT_CHARS,
    bad_name,
    expected_values,
    problems,
    shown_values,
    step_marks,
    steps_of,
    typed,
    values_from_seed,
    values_of,
    variables_of,
    with_values,
)
from .forms import (
    DecimalTextField,
    KindEditor,
    KindForm,
    Rows,
    RowsFormSet,
    assign_ids,
    texts,
)

# --- the authoring form ----------------------------------------------------------------------


class NameField(forms.CharField):
    """A name used in formulas: letters, digits and _, starting with a letter."""

    def clean(self, value):
        value = super().clean(value)
        if value and bad_name(value):
            raise forms.ValidationError(
                _("Use letters, digits and _, starting with a letter (not a function's name).")
            )
        return value


class VariableForm(KindForm):
    is_row = True
    name = NameField(label=gettext_lazy("Variable"), max_length=32)
    minimum = DecimalTextField(label=gettext_lazy("Lowest"))
    maximum = DecimalTextField(label=gettext_lazy("Highest"))
    decimals = forms.IntegerField(
        label=gettext_lazy("Decimal places"),
        min_value=0,
        max_value=MAX_DECIMALS,
        initial=0,
        widget=forms.NumberInput(attrs={"size": 3}),
    )
    content_fields = ("name",)  # the text shows it

    def clean(self):
        cleaned = super().clean()
        low, high = parse_decimal(cleaned.get("minimum")), parse_decimal(cleaned.get("maximum"))
        if low is not None and high is not None and low > high:
            self.add_error("maximum", _("This is below the lowest value."))
        return cleaned


class StepForm(KindForm):
    is_row = True
    name = NameField(
        label=gettext_lazy("Name"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"size": 10}),
    )
    label_en = forms.CharField(label=gettext_lazy("Step (English)"), required=False, max_length=200)
    label_zh = forms.CharField(label=gettext_lazy("Step (Chinese)"), required=False, max_length=200)
    formula = forms.CharField(
        label=gettext_lazy("Formula"),
        max_length=300,
        widget=forms.TextInput(attrs={"size": 30, "spellcheck": "false"}),
    )
    unit = forms.CharField(
        label=gettext_lazy("Unit"),
        required=False,
        max_length=MAX_UNIT_CHARS,
        widget=forms.TextInput(attrs={"size": 5}),
    )
    tolerance = DecimalTextField(
        label=gettext_lazy("Tolerance"), minimum=Decimal(0), initial="0.01"
    )
    tolerance_mode = forms.ChoiceField(
        label=gettext_lazy("Tolerance is"),
        choices=[("absolute", gettext_lazy("Absolute")), ("relative", gettext_lazy("Relative"))],
        initial="absolute",
    )
    points = DecimalTextField(label=gettext_lazy("Points"), above=Decimal(0), initial="1")
    carry_error = forms.BooleanField(label=gettext_lazy("Carry errors"), required=False)
    content_fields = ("name", "label_en", "label_zh", "unit")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("label_en") and not cleaned.get("label_zh"):
            self.add_error("label_en", _("Give the text in English or Chinese."))
        return cleaned


class VariablesFormSet(RowsFormSet):
    minimum_message = gettext_lazy("Give at least %(n)d variable.")


class StepsFormSet(RowsFormSet):
    minimum_message = gettext_lazy("Give at least %(n)d answer step.")


class Editor(KindEditor):
    form_class = KindForm
    template_name = "exams/kinds/_calculation_editor.html"
    rows = {
        "variables": Rows(
            VariableForm,
            gettext_lazy("Variables"),
            gettext_lazy(
                "Each attempt draws every variable between its lowest and highest value; write "
                "{name} in the question text where the student sees it."
            ),
            formset=VariablesFormSet,
        ),
        "steps": Rows(
            StepForm,
            gettext_lazy("Answer steps"),
            gettext_lazy(
                "Formulas use the variables and earlier steps by name, numbers, + - * / **, "
                "brackets and min, max, round, ceil, floor, abs, sqrt. A step that carries "
                "errors is also right when it follows from the student's own earlier answers."
            ),
            formset=StepsFormSet,
            id_prefix="s",
        ),
    }

    def initial(self, content, key):
        variables = [
            {
                "name": v.get("name", ""),
                "minimum": v.get("min", ""),
                "maximum": v.get("max", ""),
                "decimals": v.get("decimals", 0),
            }
            for v in map(as_dict, as_list(key.get("variables")))
        ]
        formulas = {as_dict(s).get("id"): as_dict(s) for s in as_list(key.get("steps"))}
        steps = []
        for entry in map(as_dict, as_list(content.get("steps"))):
            label, formula = as_dict(entry.get("label")), formulas.get(entry.get("id"), {})
            steps.append(
                {
                    "name": entry.get("id", ""),
                    "label_en": label.get("en", ""),
                    "label_zh": label.get("zh-hans", ""),
                    "unit": entry.get("unit", ""),
                    "formula": formula.get("formula", ""),
                    "tolerance": formula.get("tolerance", "0"),
                    "tolerance_mode": formula.get("tolerance_mode", "absolute"),
                    "points": formula.get("points", ""),
                    "carry_error": formula.get("carry_error") is True,
                }
            )
        return {}, {"variables": variables, "steps": steps}

    def stored(self, fields, rows):
        variables = rows["variables"]
        steps = [{**row, "id": row["name"]} for row in rows["steps"]]
        # Unnamed steps get s1, s2...: never a name a variable has.
        assign_ids(([{"id": row["name"]} for row in variables], ""), (steps, "s"))
        content_steps = []
        for row in steps:
            entry = {"id": row["id"], "label": texts(row["label_en"], row["label_zh"])}
            if row["unit"]:
                entry["unit"] = row["unit"]
            content_steps.append(entry)
        content = {"steps": content_steps}
        key = {
            "variables": [
                {
                    "name": row["name"],
                    "min": row["minimum"],
                    "max": row["maximum"],
                    "decimals": row["decimals"],
                }
                for row in variables
            ],
            "steps": [
                {
                    "id": row["id"],
                    "formula": row["formula"],
                    "tolerance": row["tolerance"] or "0",
                    "tolerance_mode": row["tolerance_mode"],
                    "points": row["points"],
                    "carry_error": row["carry_error"],
                }
                for row in steps
            ],
        }
        # Problems about one variable or step show on its row.
        rows_by_name = {row["name"]: ("minimum", row) for row in variables}
        rows_by_name |= {row["id"]: ("formula", row) for row in steps}
        for about, message in problems(content if not self.key_only else self.content, key):
            if about in rows_by_name:
                field, row = rows_by_name[about]
                self.row_error(row, field, message)
        return content, key

    def sample(self) -> list[str]:
        """One draw of the question as the form holds it, for its author to check."""
        if self.is_bound:
            if not self.is_valid():
                return []
            content, key = self.cleaned()
        else:
            content, key = self.content, self.key
        if not key or problems(content, key):
            return []
        drawn = self.kind.draw(self.kind.public_content(content), key, random.SystemRandom())
        return self.kind.key_view(drawn, key, formulas=False).lines


# --- the kind --------------------------------------------------------------------------------


class Calculation(Kind):
    name = "calculation"
    label = gettext_lazy("Calculation")
    key_label = gettext_lazy("Correct results for your numbers")
    editor_class = Editor
    per_attempt = True

    def validate(self, content, key, question=None):
        return [message for _about, message in problems(content, key, question)]

    def clean_response(self, content, response):
        """Keep each step's number as typed ('' when unanswered), for the question's steps."""
        steps = response.get("steps")
        steps = {} if steps is None else steps
        if not isinstance(steps, dict):
            raise ValueError(_("The answer must give a number for each step."))
        labels = {
            s["id"]: pick_language(s.get("label")) or s["id"]
            for s in map(as_dict, as_list(content.get("steps")))
            if isinstance(s.get("id"), str)
        }
        for ident in steps:
            if ident not in labels:
                raise ValueError(_("There is no step '%(id)s' here.") % {"id": show(ident)})
        cleaned = {}
        for ident, label in labels.items():
            value = steps.get(ident)
            if value is None or (isinstance(value, str) and not value.strip()):
                cleaned[ident] = ""
                continue
            number = parse_decimal(value, comma=True)
            if number is None:
                raise ValueError(
                    _("Enter a number such as 12.5 for '%(step)s'.") % {"step": show(label)}
                )
            cleaned[ident] = value.strip() if isinstance(value, str) else format(number, "f")
        return {"steps": cleaned}

    def grade(self, content, key, response, max_points):
        """The points of the steps right (or carried forward), as a share of all steps'."""
        marks = step_marks(content, key, response)
        total = sum((m.step.points for m in marks), Decimal(0))
        if total <= 0:
            return zero(max_points)
        got = sum((m.step.points for m in marks if m.right), Decimal(0))
        return award(Fraction(got) / Fraction(total), max_points)

    def key_response(self, content, key):
        steps = steps_of(key)
        expected = expected_values(steps, values_of(content, key))
        return {"steps": {step.id: typed(expected[step.id], step) for step in steps}}

    def public_content(self, content):
        steps = []
        for entry in map(as_dict, as_list(content.get("steps"))):
            if not isinstance(entry.get("id"), str):
                continue
            step = {"id": entry["id"], "label": public_text(entry.get("label"))}
            if isinstance(entry.get("unit"), str) and entry["unit"]:
                step["unit"] = entry["unit"]
            steps.append(step)
        return {"steps": steps}

    def draw(self, public: dict, key: dict, rng: random.Random) -> dict:
        """The public content with this attempt's seed and the values drawn from it."""
        seed = rng.randrange(2**31)
        values = values_from_seed(key, seed)
        return {**public, "seed": seed, "values": {n: format(v, "f") for n, v in values.items()}}

    def present(self, item, content, response):
        item["text"] = with_values(item.get("text", ""), shown_values(content))
        answers = as_dict(response.get("steps"))
        item["steps"] = [
            {**step, "value": _answer(answers, step["id"])} for step in _labelled(content)
        ]

    def describe(self, content, response):
        answers = as_dict(response.get("steps"))
        return "\n".join(
            _line(step, _answer(answers, step["id"]) or "—") for step in _labelled(content)
        )

    def describe_key(self, content, key):
        """Each step's result for the numbers drawn; without numbers, its formula."""
        labels = _labels_by_id(content)
        steps = steps_of(key)
        if not shown_values(content):
            return "\n".join(f"{labels(step.id)['label']} = {step.formula}" for step in steps)
        expected = expected_values(steps, values_of(content, key))
        return "\n".join(
            _line(labels(step.id), typed(expected[step.id], step) or "—") for step in steps
        )

    def key_view(self, content, key, *, formulas: bool = True):
        """Ranges and formulas for teachers, and each step's result when numbers were drawn.

        Without `formulas` it is what an author's sample draw shows: numbers and results.
        """
        labels = _labels_by_id(content)
        drawn = shown_values(content)
        lines = []
        if drawn:
            values = ", ".join(f"{name} = {value}" for name, value in drawn.items())
            lines.append(_("Numbers drawn: %(values)s") % {"values": values})
        if formulas:
            lines += [_range(variable) for variable in variables_of(key)]
        steps = steps_of(key)
        expected = expected_values(steps, values_of(content, key)) if drawn else {}
        for step in steps:
            shown = labels(step.id)
            line = shown["label"] + (f" ({shown['unit']})" if shown["unit"] else "")
            if formulas:
                line += f" = {step.formula}"
            if drawn:
                line += f" = {typed(expected[step.id], step) or '—'}"
            if formulas:
                line += f" [{_marking(step)}]"
            lines.append(line)
        return KeyView(lines=lines)

    def review(self, row: dict, content: dict, key: dict, response: dict) -> None:
        """After release: this student's numbers in the text; each step's result and mark."""
        row["text"] = with_values(row.get("text", ""), shown_values(content))
        labels = _labels_by_id(content)
        answers = as_dict(response.get("steps"))
        answered, results = [], []
        for mark in step_marks(content, key, response):
            shown = labels(mark.step.id)
            if mark.carried:
                verdict = _("right, following from your earlier answers")
            else:
                verdict = _("right") if mark.right else _("wrong")
            answer = _answer(answers, mark.step.id) or "—"
            answered.append(f"{_line(shown, answer)} — {verdict}")
            results.append(_line(shown, typed(mark.expected, mark.step) or "—"))
        row["answer"] = "\n".join(answered) if row.get("answer") else ""
        row["correct"] = "\n".join(results)


def _labelled(content: dict) -> list[dict]:
    """The steps of a content with their label in the active language and their unit."""
    return [
        {
            "id": s["id"],
            "label": pick_language(s.get("label")) or s["id"],
            "unit": s["unit"] if isinstance(s.get("unit"), str) else "",
        }
        for s in map(as_dict, as_list(content.get("steps")))
        if isinstance(s.get("id"), str)
    ]


def _labels_by_id(content: dict):
    """A lookup of each step's label and unit, by id (a missing step shows its id)."""
    found = {step["id"]: step for step in _labelled(content)}
    return lambda ident: found.get(ident, {"id": ident, "label": ident, "unit": ""})


def _answer(answers: dict, ident: str) -> str:
    value = answers.get(ident)
    return value.strip() if isinstance(value, str) else ""


def _line(step: dict, value: str) -> str:
    return f"{step['label']}: {value} {step['unit']}".rstrip()


def _range(variable) -> str:
    return ngettext(
        "%(name)s: from %(low)s to %(high)s, %(n)d decimal place",
        "%(name)s: from %(low)s to %(high)s, %(n)d decimal places",
        variable.decimals,
    ) % {"name": variable.name, "low": variable.low, "high": variable.high, "n": variable.decimals}


def _marking(step) -> str:
    """How a step is marked, in words."""
    if not step.tolerance:
        parts = [_("exact")]
    elif step.relative:
        parts = [_("± %(n)s%%") % {"n": f"{(step.tolerance * 100).normalize():f}"}]
    else:
        parts = [_("± %(n)s") % {"n": f"{step.tolerance.normalize():f}"}]
    parts.append(_("%(points)s points") % {"points": f"{step.points.normalize():f}"})
    if step.carry:
        parts.append(_("errors carried forward"))
    return "; ".join(parts)


kind = Calculation()
