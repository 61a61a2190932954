"""Single choice: options, one of them correct."""

from fractions import Fraction

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import (
    KeyView,
    Kind,
    award,
    check_entries,
    ids,
    labels,
    pick_language,
    public_entries,
    show,
)
from .forms import KindEditor, OptionForm, Rows, RowsFormSet, assign_ids, entries, entry_initial


def check_options(content: dict, problems: list[str]) -> list[str]:
    """Check the options of a choice question and return their ids."""
    return check_entries(
        content.get("options"),
        plural=_("options"),
        one=_("Option '%(id)s'"),
        minimum=2,
        seen=set(),
        problems=problems,
    )


class OptionsFormSet(RowsFormSet):
    minimum = 2
    minimum_message = gettext_lazy("Give at least %(n)d options.")
    exactly_one = True

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        marked = sum(bool(form.cleaned_data.get("correct")) for form in self.kept())
        if self.exactly_one and marked != 1:
            raise forms.ValidationError(_("Mark exactly one option as correct."))
        if not marked:
            raise forms.ValidationError(_("Mark at least one option as correct."))


class Editor(KindEditor):
    rows = {
        "options": Rows(
            OptionForm,
            gettext_lazy("Options"),
            gettext_lazy("Tick the correct option. Leave a row empty to skip it."),
            formset=OptionsFormSet,
        )
    }

    def initial(self, content, key):
        correct = key.get("correct")
        right = set(correct) if isinstance(correct, list) else {correct}
        options = [
            entry_initial(option) | {"correct": option.get("id") in right}
            for option in content.get("options") or []
            if isinstance(option, dict)
        ]
        return {}, {"options": options}

    def stored(self, fields, rows):
        options = rows["options"]
        assign_ids((options, ""))
        correct = [row["id"] for row in options if row["correct"]]
        return {"options": entries(options)}, self.key_of(fields, correct)

    def key_of(self, fields: dict, correct: list[str]) -> dict:
        return {"correct": correct[0]}


class SingleChoice(Kind):
    name = "single_choice"
    label = gettext_lazy("Single choice")
    editor_class = Editor

    def validate(self, content, key, question=None):
        problems: list[str] = []
        options = check_options(content, problems)
        correct = key.get("correct")
        if not isinstance(correct, str):
            problems.append(_("The key must name the correct option."))
        elif correct not in options:
            problems.append(
                _("Option '%(id)s' in the key is not one of the options.") % {"id": show(correct)}
            )
        return problems

    def clean_response(self, content, response):
        choice = response.get("choice")
        if choice is not None and (
            not isinstance(choice, str) or choice not in ids(content.get("options"))
        ):
            raise ValueError(_("Choose one of the options."))
        return {"choice": choice}

    def grade(self, content, key, response, max_points):
        """Full marks for the correct option, else 0."""
        choice = (response or {}).get("choice")
        right = isinstance(choice, str) and choice in ids(content.get("options"))
        return award(Fraction(int(right and choice == key.get("correct"))), max_points)

    def key_response(self, content, key):
        return {"choice": key.get("correct")}

    def public_content(self, content):
        return {"options": public_entries(content.get("options"))}

    def shuffle(self, public, rng, key):
        rng.shuffle(public["options"])
        return public

    def present(self, item, content, response):
        picked = set(response.get("choices") or []) | {response.get("choice")}
        item["options"] = [
            {"id": o["id"], "text": pick_language(o.get("text")), "checked": o["id"] in picked}
            for o in content.get("options", [])
        ]

    def describe(self, content, response):
        return labels(content.get("options")).get(response.get("choice"), "—")

    def describe_key(self, content, key):
        return self.describe(content, {"choice": key.get("correct")})

    def key_view(self, content, key):
        correct = key.get("correct")
        right = set(correct) if isinstance(correct, list) else {correct}
        return KeyView(
            options=[
                (pick_language(option.get("text")), option.get("id") in right)
                for option in content.get("options", [])
                if isinstance(option, dict)
            ]
        )


kind = SingleChoice()
