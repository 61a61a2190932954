"""Fill in the blanks: gaps [[1]], [[2]]… in the question text, each with accepted answers."""

import re
import unicodedata
from fractions import Fraction

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .base import (
    GAP_RE,
    LANGUAGES,
    MAX_BLANK_CHARS,
    KeyView,
    Kind,
    as_dict,
    as_list,
    award,
    check_flag,
    zero,
)
from .forms import KindEditor, KindForm, Rows, RowsFormSet, TextField

_TAG_RE = re.compile(r"(<[^>]*>)")


def normalise(text: str, *, case_sensitive: bool, whitespace: bool) -> str:
    """Normalise a blank's answer the way the key asks."""
    text = unicodedata.normalize("NFKC", text)
    if whitespace:
        text = " ".join(text.split())
    return text if case_sensitive else text.casefold()


def with_gaps(html: str, blanks: list[str]) -> tuple[str, list[int]]:
    """Turn the [[n]] gaps of rendered text into inputs; returns the blanks without a gap."""
    used: set[int] = set()

    def gap(match: re.Match) -> str:
        number = int(match.group(1))
        if not 1 <= number <= len(blanks) or number in used:
            return match.group(0)
        used.add(number)
        return format_html(
            '<input type="text" class="blank" data-blank="{}" value="{}" aria-label="{}"'
            ' maxlength="500" autocomplete="off" spellcheck="false">',
            number - 1,
            blanks[number - 1],
            _("Blank %(n)d") % {"n": number},
        )

    # Substitute in text only, never inside a tag.
    parts = [p if p.startswith("<") else GAP_RE.sub(gap, p) for p in _TAG_RE.split(html)]
    missing = [n for n in range(1, len(blanks) + 1) if n not in used]
    return mark_safe("".join(parts)), missing  # noqa: S308 - sanitised HTML plus format_html


class BlankForm(KindForm):
    is_row = True
    accepted = TextField(
        label=gettext_lazy("Accepted answers, one per line"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 40}),
    )

    def clean_accepted(self):
        answers = [line.strip() for line in self.cleaned_data["accepted"].split("\n")]
        answers = [answer for answer in answers if answer]
        if not answers:
            raise forms.ValidationError(_("Give at least one accepted answer."))
        return answers


class BlanksFormSet(RowsFormSet):
    minimum_message = gettext_lazy("Give at least %(n)d blank.")


class AnswerRulesForm(KindForm):
    case_sensitive = forms.BooleanField(label=gettext_lazy("Case sensitive"), required=False)
    normalise_whitespace = forms.BooleanField(
        label=gettext_lazy("Ignore extra spaces"), required=False, initial=True
    )


class Editor(KindEditor):
    form_class = AnswerRulesForm
    rows = {
        "blanks": Rows(
            BlankForm,
            gettext_lazy("Blanks"),
            gettext_lazy(
                "Row 1 is the gap written [[1]] in the question text, row 2 the gap [[2]], and "
                "so on."
            ),
            formset=BlanksFormSet,
        )
    }

    def initial(self, content, key):
        fields = {
            "case_sensitive": key.get("case_sensitive") is True,
            "normalise_whitespace": key.get("normalise_whitespace") is not False,
        }
        blanks = [
            {
                "accepted": "\n".join(
                    a for a in as_list(as_dict(b).get("accepted")) if isinstance(a, str)
                )
            }
            for b in as_list(key.get("blanks"))
        ]
        return fields, {"blanks": blanks}

    def stored(self, fields, rows):
        blanks = [{"accepted": row["accepted"]} for row in rows["blanks"]]
        key = {
            "blanks": blanks,
            "case_sensitive": fields["case_sensitive"],
            "normalise_whitespace": fields["normalise_whitespace"],
        }
        return {"blanks": len(blanks)}, key


class FillBlanks(Kind):
    name = "fill_blanks"
    label = gettext_lazy("Fill in the blanks")
    editor_class = Editor

    def validate(self, content, key, question=None):
        """Check that gaps in the text, the blank count and the key agree."""
        problems: list[str] = []
        count = content.get("blanks")
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            return [_("Give the number of blanks (1 or more).")]
        for lang, text in as_dict(as_dict(question).get("text")).items():
            # An empty translation is allowed (the other language carries the question).
            if not isinstance(text, str) or lang not in LANGUAGES or not text.strip():
                continue
            gaps = sorted(int(n) for n in GAP_RE.findall(text))
            if gaps != list(range(1, count + 1)):
                found = ", ".join(f"[[{n}]]" for n in gaps) or _("none")
                problems.append(
                    ngettext(
                        "The gaps in the '%(lang)s' text (%(found)s) do not match the %(count)d"
                        " blank: write [[1]] once.",
                        "The gaps in the '%(lang)s' text (%(found)s) do not match the %(count)d"
                        " blanks: number them [[1]] to [[%(count)d]], each once.",
                        count,
                    )
                    % {"lang": lang, "found": found, "count": count}
                )
        specs = key.get("blanks")
        if not isinstance(specs, list) or len(specs) != count:
            problems.append(
                ngettext(
                    "The key must list accepted answers for exactly %(count)d blank.",
                    "The key must list accepted answers for exactly %(count)d blanks.",
                    count,
                )
                % {"count": count}
            )
            specs = as_list(specs)
        for number, spec in enumerate(specs, start=1):
            accepted = as_dict(spec).get("accepted")
            if (
                not isinstance(accepted, list)
                or not accepted
                or not all(isinstance(a, str) and a.strip() for a in accepted)
            ):
                problems.append(
                    _("Blank %(n)d needs a list of accepted answers, none of them empty.")
                    % {"n": number}
                )
        check_flag(key, "case_sensitive", problems)
        check_flag(key, "normalise_whitespace", problems)
        return problems

    def clean_response(self, content, response):
        """Keep one string per blank, padding unanswered blanks with ''."""
        count = content.get("blanks") if isinstance(content.get("blanks"), int) else 0
        blanks = response.get("blanks", [])
        blanks = [] if blanks is None else blanks
        if not isinstance(blanks, list) or not all(b is None or isinstance(b, str) for b in blanks):
            raise ValueError(_("Blanks must be a list of texts."))
        if len(blanks) > count:
            raise ValueError(
                ngettext(
                    "This question has %(count)d blank.",
                    "This question has %(count)d blanks.",
                    count,
                )
                % {"count": count}
            )
        if any(b is not None and len(b) > MAX_BLANK_CHARS for b in blanks):
            raise ValueError(
                _("Each blank holds at most %(max)d characters.") % {"max": MAX_BLANK_CHARS}
            )
        return {"blanks": [b or "" for b in blanks] + [""] * (count - len(blanks))}

    def grade(self, content, key, response, max_points):
        """An equal share for each blank whose answer is one of its accepted answers."""
        specs = as_list(key.get("blanks"))
        answers = (response or {}).get("blanks")
        if (
            not specs
            or not isinstance(answers, list)
            or len(answers) > len(specs)
            or not all(a is None or isinstance(a, str) for a in answers)
        ):
            return zero(max_points)
        options = {
            "case_sensitive": key.get("case_sensitive") is True,
            "whitespace": key.get("normalise_whitespace") is not False,
        }
        hits = 0
        for spec, answer in zip(specs, answers, strict=False):
            accepted = {
                normalise(a, **options)
                for a in as_list(as_dict(spec).get("accepted"))
                if isinstance(a, str)
            }
            hits += isinstance(answer, str) and normalise(answer, **options) in accepted
        return award(Fraction(hits, len(specs)), max_points)

    def key_response(self, content, key):
        return {"blanks": [(b.get("accepted") or [""])[0] for b in key.get("blanks", [])]}

    def public_content(self, content):
        return {"blanks": content.get("blanks")}

    def present(self, item, content, response):
        count = content.get("blanks") if isinstance(content.get("blanks"), int) else 0
        blanks = (list(response.get("blanks") or []) + [""] * count)[:count]
        item["text"], missing = with_gaps(item["text"], blanks)
        item["extra_blanks"] = [
            {
                "index": str(n - 1),  # text: the template would localise an integer
                "number": str(n),
                "value": blanks[n - 1],
                "label": _("Blank %(n)s") % {"n": n},
            }
            for n in missing
        ]

    def describe(self, content, response):
        return " | ".join(b or "—" for b in response.get("blanks") or [])

    def describe_key(self, content, key):
        return " | ".join(" / ".join(b.get("accepted") or []) for b in key.get("blanks") or [])

    def key_view(self, content, key):
        lines = [
            _("Blank %(n)d") % {"n": n} + ": " + " / ".join(as_dict(b).get("accepted") or [])
            for n, b in enumerate(as_list(key.get("blanks")), start=1)
        ]
        return KeyView(lines=lines)


kind = FillBlanks()
