"""Ordering: items to put in their correct order; all-or-nothing or a share per item in place."""

import random
from fractions import Fraction

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import (
    KeyView,
    Kind,
    as_dict,
    as_list,
    award,
    check_entries,
    check_scoring,
    ids,
    known_ids,
    labels,
    pick_language,
    public_entries,
    show,
    zero,
)
from .forms import (
    EntryForm,
    KindEditor,
    KindForm,
    Rows,
    RowsFormSet,
    assign_ids,
    entries,
    entry_initial,
)
from .multiple_choice import SCORING_CHOICES


class ItemForm(EntryForm):
    position = forms.IntegerField(label=gettext_lazy("Correct position"), min_value=1)


class ItemsFormSet(RowsFormSet):
    minimum = 2
    minimum_message = gettext_lazy("Give at least %(n)d items.")

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = self.kept()
        seen: set[int] = set()
        for form in kept:
            position = form.cleaned_data["position"]
            if position > len(kept):
                form.add_error("position", _("Number the items 1 to %(n)d.") % {"n": len(kept)})
            elif position in seen:
                form.add_error("position", _("Another item has this position."))
            seen.add(position)


class ScoringForm(KindForm):
    scoring = forms.ChoiceField(
        label=gettext_lazy("Scoring"),
        choices=SCORING_CHOICES,
        initial="all_or_nothing",
        widget=forms.RadioSelect,
        help_text=gettext_lazy("Partial credit: a share for each item in its right place."),
    )


class Editor(KindEditor):
    form_class = ScoringForm
    rows = {
        "items": Rows(
            ItemForm,
            gettext_lazy("Items"),
            gettext_lazy(
                "Students see the items shuffled; give each its position in the correct order."
            ),
            formset=ItemsFormSet,
            id_prefix="i",
        )
    }

    def initial(self, content, key):
        order = as_list(key.get("order"))
        items = [
            entry_initial(item)
            | {"position": order.index(item.get("id")) + 1 if item.get("id") in order else None}
            for item in content.get("items") or []
            if isinstance(item, dict)
        ]
        return {"scoring": key.get("scoring", "all_or_nothing")}, {"items": items}

    def stored(self, fields, rows):
        items = rows["items"]
        assign_ids((items, "i"))
        order = [row["id"] for row in sorted(items, key=lambda row: row["position"])]
        return {"items": entries(items)}, {"order": order, "scoring": fields["scoring"]}


def shuffle_items(items: list[dict], rng: random.Random, key_order: list | None) -> list[dict]:
    """Shuffle items away from the key order, and from the authored order when possible."""
    authored = [item["id"] for item in items]
    avoid = [order for order in (key_order, authored) if order]
    shuffled = list(items)
    for _attempt in range(10):
        rng.shuffle(shuffled)
        if [item["id"] for item in shuffled] not in avoid:
            return shuffled
    # Two items cannot dodge two orders; rotating by one at least dodges the most telling one.
    if [item["id"] for item in shuffled] == avoid[0]:
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled


class Ordering(Kind):
    name = "ordering"
    label = gettext_lazy("Ordering")
    editor_class = Editor

    def validate(self, content, key, question=None):
        """Check that the key order is a permutation of the items."""
        problems: list[str] = []
        items = check_entries(
            content.get("items"),
            plural=_("items"),
            one=_("Item '%(id)s'"),
            minimum=2,
            seen=set(),
            problems=problems,
        )
        order = key.get("order")
        if not isinstance(order, list):
            problems.append(_("The key must list the items in their correct order."))
            return problems
        seen: set[object] = set()
        for ident in order:
            if not isinstance(ident, str) or ident not in items:
                problems.append(
                    _("Item '%(id)s' in the key is not one of the items.") % {"id": show(ident)}
                )
            elif ident in seen:
                problems.append(
                    _("Item '%(id)s' appears more than once in the key order.")
                    % {"id": show(ident)}
                )
            if isinstance(ident, str):
                seen.add(ident)
        for ident in items:
            if ident not in order:
                problems.append(
                    _("Item '%(id)s' is missing from the key order.") % {"id": show(ident)}
                )
        check_scoring(key, problems)
        return problems

    def clean_response(self, content, response):
        """Keep a permutation of the items, or [] when unanswered."""
        items = ids(content.get("items"))
        order = response.get("order", [])
        order = [] if order is None else order
        if order != [] and (known_ids(order, items) is None or sorted(order) != sorted(items)):
            raise ValueError(_("The order must list every item exactly once."))
        return {"order": list(order)}

    def grade(self, content, key, response, max_points):
        """All-or-nothing, or the share of items in their correct position."""
        items = ids(content.get("items"))
        order = as_list(key.get("order"))
        answer = known_ids((response or {}).get("order"), items)
        # Only a permutation of the items is an answer; duplicates or gaps are garbage.
        if not order or answer is None or sorted(answer) != sorted(items):
            return zero(max_points)
        exact = answer == order
        if key.get("scoring") != "partial":
            return award(Fraction(int(exact)), max_points)
        hits = sum(a == b for a, b in zip(answer, order, strict=False))
        return award(Fraction(hits, len(order)), max_points)

    def key_response(self, content, key):
        return {"order": list(key.get("order") or [])}

    def public_content(self, content):
        return {"items": public_entries(content.get("items"))}

    def shuffle(self, public, rng, key):
        if len(public["items"]) >= 2:
            order = as_dict(key).get("order")
            public["items"] = shuffle_items(
                public["items"], rng, order if isinstance(order, list) else None
            )
        return public

    def present(self, item, content, response):
        texts = {i["id"]: pick_language(i.get("text")) for i in content.get("items", [])}
        order = response.get("order") or list(texts)
        item["items"] = [{"id": i, "text": texts.get(i, "")} for i in order if i in texts]

    def describe(self, content, response):
        names = labels(content.get("items"))
        return " → ".join(names.get(i, i) for i in response.get("order") or [])

    def describe_key(self, content, key):
        return self.describe(content, {"order": key.get("order")})

    def key_view(self, content, key):
        names = labels(content.get("items"))
        return KeyView(lines=[names.get(i, i) for i in as_list(key.get("order"))])


kind = Ordering()
