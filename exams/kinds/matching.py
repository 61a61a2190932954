"""Matching: prompts, each matched to one of the choices (choices may be left over)."""

from fractions import Fraction
from html import escape

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import (
    KeyView,
    Kind,
    as_dict,
    award,
    check_entries,
    ids,
    labels,
    pick_language,
    public_entries,
    show,
    zero,
)
from .forms import EntryForm, KindEditor, Rows, RowsFormSet, assign_ids, entries, entry_initial

# How many choice rows beyond those shown a prompt may name (rows added on the page).
SPARE_CHOICE_ROWS = 8


class PromptForm(EntryForm):
    """A prompt row; its match is the number of a choice row."""

    match = forms.ChoiceField(label=gettext_lazy("Matches choice"), choices=[])

    def __init__(self, *args, match_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["match"].choices = [("", _("— choose —")), *match_choices]


class PromptsFormSet(RowsFormSet):
    minimum_message = gettext_lazy("Give at least %(n)d prompt.")


class ChoicesFormSet(RowsFormSet):
    minimum = 2
    minimum_message = gettext_lazy("Give at least %(n)d choices.")


class Editor(KindEditor):
    rows = {
        "prompts": Rows(
            PromptForm,
            gettext_lazy("Prompts"),
            gettext_lazy("Each prompt with the number of its matching choice."),
            formset=PromptsFormSet,
            id_prefix="p",
        ),
        "choices": Rows(
            EntryForm,
            gettext_lazy("Choices"),
            gettext_lazy("The answers to match, and any distractors."),
            formset=ChoicesFormSet,
            id_prefix="c",
        ),
    }

    def build_order(self):
        # A prompt's match lists the choice rows, so the choices come first.
        return ["choices", "prompts"]

    def form_kwargs(self, name):
        if name != "prompts":
            return {}
        rows = self.formsets["choices"].forms
        named = [
            (str(n), f"{n + 1}. {form['text_en'].value() or form['text_zh'].value() or ''}".strip())
            for n, form in enumerate(rows)
        ]
        # Rows a teacher adds on the page ("Add a row") can be matched before saving too.
        named += [(str(n), f"{n + 1}.") for n in range(len(rows), len(rows) + SPARE_CHOICE_ROWS)]
        return {"match_choices": named}

    def initial(self, content, key):
        choices = [entry_initial(c) for c in content.get("choices") or [] if isinstance(c, dict)]
        position = {row["id"]: str(n) for n, row in enumerate(choices)}
        pairs = as_dict(key.get("pairs"))
        prompts = [
            entry_initial(p) | {"match": position.get(pairs.get(as_dict(p).get("id")), "")}
            for p in content.get("prompts") or []
            if isinstance(p, dict)
        ]
        return {}, {"prompts": prompts, "choices": choices}

    def stored(self, fields, rows):
        prompts, choices = rows["prompts"], rows["choices"]
        assign_ids((prompts, "p"), (choices, "c"))
        by_index = {row["_index"]: row for row in choices}
        pairs = {}
        for prompt in prompts:
            choice = by_index.get(int(prompt["match"]))
            if choice is None:
                self.row_error(prompt, "match", _("This choice row is empty or deleted."))
            else:
                pairs[prompt["id"]] = choice["id"]
        return {"prompts": entries(prompts), "choices": entries(choices)}, {"pairs": pairs}


class Matching(Kind):
    name = "matching"
    label = gettext_lazy("Matching")
    editor_class = Editor

    def validate(self, content, key, question=None):
        """Check that every prompt has exactly one known choice in the key."""
        problems: list[str] = []
        seen: set[str] = set()
        prompts = check_entries(
            content.get("prompts"),
            plural=_("prompts"),
            one=_("Prompt '%(id)s'"),
            minimum=1,
            seen=seen,
            problems=problems,
        )
        choices = check_entries(
            content.get("choices"),
            plural=_("choices"),
            one=_("Choice '%(id)s'"),
            minimum=2,
            seen=seen,
            problems=problems,
        )
        pairs = key.get("pairs")
        if not isinstance(pairs, dict):
            problems.append(_("The key must map each prompt to its choice."))
            return problems
        for prompt in prompts:
            if prompt not in pairs:
                problems.append(
                    _("Prompt '%(id)s' has no match in the key.") % {"id": show(prompt)}
                )
        for prompt, choice in pairs.items():
            if prompt not in prompts:
                problems.append(
                    _("Prompt '%(id)s' in the key is not one of the prompts.")
                    % {"id": show(prompt)}
                )
            if not isinstance(choice, str) or choice not in choices:
                problems.append(
                    _("Choice '%(id)s' in the key is not one of the choices.")
                    % {"id": show(choice)}
                )
        return problems

    def clean_response(self, content, response):
        """Keep known prompt-to-choice pairs, dropping unmatched prompts."""
        prompts, choices = ids(content.get("prompts")), ids(content.get("choices"))
        pairs = response.get("pairs", {})
        pairs = {} if pairs is None else pairs
        if not isinstance(pairs, dict):
            raise ValueError(_("Pairs must map prompts to choices."))
        for prompt, choice in pairs.items():
            if prompt not in prompts:
                raise ValueError(_("'%(id)s' is not one of the prompts.") % {"id": show(prompt)})
            if choice is not None and (not isinstance(choice, str) or choice not in choices):
                raise ValueError(_("'%(id)s' is not one of the choices.") % {"id": show(choice)})
        return {"pairs": {p: pairs[p] for p in prompts if pairs.get(p) is not None}}

    def grade(self, content, key, response, max_points):
        """An equal share for each prompt matched to its key choice."""
        prompts = frozenset(ids(content.get("prompts")))
        choices = frozenset(ids(content.get("choices")))
        pairs = as_dict(key.get("pairs"))
        answer = (response or {}).get("pairs")
        if not pairs or not isinstance(answer, dict):
            return zero(max_points)
        for prompt, choice in answer.items():
            if prompt not in prompts or not (
                choice is None or (isinstance(choice, str) and choice in choices)
            ):
                return zero(max_points)
        hits = sum(answer.get(prompt) == choice for prompt, choice in pairs.items())
        return award(Fraction(hits, len(pairs)), max_points)

    def key_response(self, content, key):
        return {"pairs": dict(key.get("pairs") or {})}

    def public_content(self, content):
        return {
            "prompts": public_entries(content.get("prompts")),
            "choices": public_entries(content.get("choices")),
        }

    def shuffle(self, public, rng, key):
        rng.shuffle(public["choices"])
        return public

    def present(self, item, content, response):
        pairs = response.get("pairs") or {}
        # Every prompt lists every choice: the <option>s are written here, each value
        # escaped, because a template loop over prompts × choices cost more than the rest
        # of the page's widgets (and format_html as much again).
        choices = [
            (str(c["id"]), escape(str(c["id"])), escape(pick_language(c.get("text"))))
            for c in content.get("choices", [])
        ]
        item["prompts"] = []
        for p in content.get("prompts", []):
            picked = pairs.get(p["id"])
            options = "".join(
                f'<option value="{value}"{" selected" if ident == picked else ""}>{text}</option>'
                for ident, value, text in choices
            )
            item["prompts"].append(
                {"id": p["id"], "text": pick_language(p.get("text")), "options": mark_safe(options)}
            )

    def describe(self, content, response):
        prompts, choices = labels(content.get("prompts")), labels(content.get("choices"))
        pairs = response.get("pairs") or {}
        return "; ".join(
            f"{prompts[p]} → {choices.get(c, c)}" for p, c in pairs.items() if p in prompts
        )

    def describe_key(self, content, key):
        return self.describe(content, {"pairs": key.get("pairs")})

    def key_view(self, content, key):
        prompts, choices = labels(content.get("prompts")), labels(content.get("choices"))
        pairs = as_dict(key.get("pairs"))
        return KeyView(
            lines=[
                f"{text} → {choices.get(pairs[p], pairs[p])}"
                for p, text in prompts.items()
                if p in pairs
            ]
        )


kind = Matching()
