"""True or false: a statement and whether it holds."""

from fractions import Fraction

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import Kind, award
from .forms import KindEditor, KindForm


def yes_no(value: object) -> str:
    return {True: _("True"), False: _("False")}.get(value, "—")


class TrueFalseForm(KindForm):
    correct = forms.TypedChoiceField(
        label=gettext_lazy("The statement is"),
        choices=[("true", gettext_lazy("True")), ("false", gettext_lazy("False"))],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )


class Editor(KindEditor):
    form_class = TrueFalseForm

    def initial(self, content, key):
        correct = key.get("correct")
        return (
            {"correct": "true" if correct else "false"} if isinstance(correct, bool) else {}
        ), {}

    def stored(self, fields, rows):
        return {}, {"correct": fields["correct"]}


class TrueFalse(Kind):
    name = "true_false"
    label = gettext_lazy("True / false")
    editor_class = Editor

    def validate(self, content, key, question=None):
        if not isinstance(key.get("correct"), bool):
            return [_("The key must say whether the statement is true or false.")]
        return []

    def clean_response(self, content, response):
        value = response.get("value")
        if value is not None and not isinstance(value, bool):
            raise ValueError(_("Answer true or false."))
        return {"value": value}

    def grade(self, content, key, response, max_points):
        """Full marks when the boolean matches the key."""
        value = (response or {}).get("value")
        right = isinstance(value, bool) and value is key.get("correct")
        return award(Fraction(int(right)), max_points)

    def key_response(self, content, key):
        return {"value": key.get("correct")}

    def public_content(self, content):
        return {}

    def present(self, item, content, response):
        item["value"] = response.get("value")

    def describe(self, content, response):
        return yes_no(response.get("value"))

    def describe_key(self, content, key):
        return yes_no(key.get("correct"))


kind = TrueFalse()
