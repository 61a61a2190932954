"""Multiple choice: options, one or more of them correct; all-or-nothing or partial credit."""

from decimal import Decimal
from fractions import Fraction

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import award, check_scoring, ids, known_ids, labels, parse_decimal, show, zero
from .forms import DecimalTextField, KindForm, OptionForm, Rows
from .single_choice import Editor as SingleChoiceEditor
from .single_choice import OptionsFormSet, SingleChoice, check_options

SCORING_CHOICES = [
    ("all_or_nothing", gettext_lazy("All or nothing")),
    ("partial", gettext_lazy("Partial credit")),
]


class ManyOptionsFormSet(OptionsFormSet):
    exactly_one = False


class ScoringForm(KindForm):
    scoring = forms.ChoiceField(
        label=gettext_lazy("Scoring"),
        choices=SCORING_CHOICES,
        initial="all_or_nothing",
        widget=forms.RadioSelect,
    )
    penalty = DecimalTextField(
        label=gettext_lazy("Penalty per wrong pick"),
        minimum=Decimal(0),
        maximum=Decimal(1),
        initial="1",
        help_text=gettext_lazy(
            "With partial credit: the share of one wrong option's worth taken off for each "
            "wrong pick, from 0 to 1."
        ),
    )


class Editor(SingleChoiceEditor):
    form_class = ScoringForm
    rows = {
        "options": Rows(
            OptionForm,
            gettext_lazy("Options"),
            gettext_lazy("Tick every correct option. Leave a row empty to skip it."),
            formset=ManyOptionsFormSet,
        )
    }

    def initial(self, content, key):
        _fields, rows = super().initial(content, key)
        fields = {
            "scoring": key.get("scoring", "all_or_nothing"),
            "penalty": key.get("penalty", "1"),
        }
        return fields, rows

    def key_of(self, fields, correct):
        return {"correct": correct, "scoring": fields["scoring"], "penalty": fields["penalty"]}


class MultipleChoice(SingleChoice):
    name = "multiple_choice"
    label = gettext_lazy("Multiple choice")
    editor_class = Editor

    def validate(self, content, key, question=None):
        problems: list[str] = []
        options = check_options(content, problems)
        correct = key.get("correct")
        if not isinstance(correct, list) or not correct:
            problems.append(_("The key must list at least one correct option."))
            correct = []
        seen: set[object] = set()
        for ident in correct:
            if not isinstance(ident, str) or ident not in options:
                problems.append(
                    _("Option '%(id)s' in the key is not one of the options.") % {"id": show(ident)}
                )
            elif ident in seen:
                problems.append(
                    _("Option '%(id)s' appears more than once in the key.") % {"id": show(ident)}
                )
            if isinstance(ident, str):
                seen.add(ident)
        check_scoring(key, problems)
        penalty = parse_decimal(key.get("penalty", "1"))
        if penalty is None or not 0 <= penalty <= 1:
            problems.append(_("The penalty must be a number from 0 to 1."))
        return problems

    def clean_response(self, content, response):
        options = ids(content.get("options"))
        choices = response.get("choices", [])
        choices = [] if choices is None else choices
        if not isinstance(choices, list):
            raise ValueError(_("Choices must be a list of option ids."))
        for ident in choices:
            if not isinstance(ident, str) or ident not in options:
                raise ValueError(_("'%(id)s' is not one of the options.") % {"id": show(ident)})
        return {"choices": [o for o in options if o in choices]}

    def grade(self, content, key, response, max_points):
        """All-or-nothing, or partial credit minus a penalty share per wrong pick."""
        options = frozenset(ids(content.get("options")))
        correct = frozenset(known_ids(key.get("correct"), options) or ())
        picked = known_ids((response or {}).get("choices"), options)
        if not picked or not correct:
            return zero(max_points)
        chosen = frozenset(picked)
        exact = chosen == correct
        if key.get("scoring") != "partial":
            return award(Fraction(int(exact)), max_points, exact)
        fraction = Fraction(len(chosen & correct), len(correct))
        incorrect = len(options - correct)
        if incorrect:
            penalty = parse_decimal(key.get("penalty", "1"))
            penalty = Decimal(1) if penalty is None else min(max(penalty, Decimal(0)), Decimal(1))
            fraction -= Fraction(penalty) * Fraction(len(chosen - correct), incorrect)
        return award(fraction, max_points, exact)

    def key_response(self, content, key):
        return {"choices": list(key.get("correct") or [])}

    def describe(self, content, response):
        names = labels(content.get("options"))
        return "; ".join(names.get(c, c) for c in response.get("choices") or [])

    def describe_key(self, content, key):
        return self.describe(content, {"choices": key.get("correct")})


kind = MultipleChoice()
