"""Cloze (Moodle's embedded answers): a text with inline gaps of choice, short answer or number.

The gaps are written into the cloze text as ``[[g1]]``, ``[[price]]``… (a letter first, so a
marker never reads as one of fill in the blanks' ``[[1]]``), each exactly once in every
language the text is given in, in any order (Chinese word order differs). Stored as::

    content = {
        "text": {"en": "Incoterm [[g1]] … [[g2]] kg", "zh-hans": "…"},   # Markdown
        "gaps": [
            {"id": "g1", "type": "choice",
             "options": [{"id": "a", "text": {"en": "FOB", "zh-hans": "FOB"}}, …]},
            {"id": "g2", "type": "short"},
            {"id": "g3", "type": "number"},
        ],
    }
    key = {
        "gaps": {
            "g1": {"weight": 1, "correct": ["a"], "partial": {"b": "0.5"}},
            "g2": {"weight": 1, "accepted": ["FBA", "Fulfilment by Amazon"],
                   "case_sensitive": False},
            "g3": {"weight": 2, "value": "12.5", "tolerance": "0.1"},
        }
    }

A gap earns its weight's share of the question's points times its credit: a choice gap the
credit of the option picked (1 for a correct one, its partial fraction, else 0), a short
gap 1 for an accepted answer, a number gap 1 within the absolute tolerance. These map onto
Moodle's subquestions: MULTICHOICE (one or more answers at 100 %, others at a fraction),
SHORTANSWER / SHORTANSWER_C, NUMERICAL value:tolerance, and the weight is the ``{weight:…}``.
"""

import re
import unicodedata
from fractions import Fraction

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.markup import render_markdown

from .base import (
    MAX_BLANK_CHARS,
    KeyView,
    Kind,
    as_dict,
    as_list,
    award,
    check_entries,
    check_text,
    labels,
    parse_decimal,
    pick_language,
    public_entries,
    public_text,
    show,
    zero,
)
from .forms import (
    DecimalTextField,
    KindEditor,
    KindForm,
    OptionForm,
    Rows,
    RowsFormSet,
    TextField,
    assign_ids,
    entries,
    entry_initial,
    texts,
)

GAP_TYPES = ("choice", "short", "number")
GAP_ID_RE = re.compile(r"[A-Za-z][A-Za-z0-9]{0,31}")
MARKER_RE = re.compile(r"\[\[([A-Za-z][A-Za-z0-9]{0,31})\]\]")
MAX_GAPS = 100
MAX_WEIGHT = 100
MAX_NUMBER_CHARS = 64
_TAG_RE = re.compile(r"(<[^>]*>)")


def normalise(text: str, *, case_sensitive: bool) -> str:
    """A short answer as compared: NFKC (full-width letters), single spaces, maybe casefolded."""
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    return text if case_sensitive else text.casefold()


def markers(text: str) -> list[str]:
    """The gap names written into a text, in order, repeats included."""
    return MARKER_RE.findall(text)


def gaps_of(content: dict) -> list[dict]:
    """The well-formed gaps of a content (an id and a known type)."""
    return [
        g
        for g in as_list(content.get("gaps"))
        if isinstance(g, dict) and isinstance(g.get("id"), str) and g.get("type") in GAP_TYPES
    ]


def weight_of(spec: dict) -> int:
    """A gap's weight (1 when missing or malformed)."""
    weight = spec.get("weight", 1)
    ok = isinstance(weight, int) and not isinstance(weight, bool) and 1 <= weight <= MAX_WEIGHT
    return weight if ok else 1


def gap_credit(gap: dict, spec: dict, answer: object) -> Fraction:
    """The credit, from 0 to 1, of one gap's answer."""
    if not isinstance(answer, str) or not answer.strip():
        return Fraction(0)
    if gap["type"] == "choice":
        options = {o.get("id") for o in as_list(gap.get("options")) if isinstance(o, dict)}
        if answer not in options:
            return Fraction(0)
        if answer in as_list(spec.get("correct")):
            return Fraction(1)
        fraction = parse_decimal(as_dict(spec.get("partial")).get(answer))
        return Fraction(fraction) if fraction is not None and 0 < fraction < 1 else Fraction(0)
    if gap["type"] == "short":
        case = spec.get("case_sensitive") is True
        accepted = {
            normalise(a, case_sensitive=case)
            for a in as_list(spec.get("accepted"))
            if isinstance(a, str)
        }
        return Fraction(int(normalise(answer, case_sensitive=case) in accepted))
    target = parse_decimal(spec.get("value"))
    number = parse_decimal(answer, comma=True)
    tolerance = parse_decimal(spec.get("tolerance", "0"))
    if target is None or number is None or tolerance is None or tolerance < 0:
        return Fraction(0)
    return Fraction(int(abs(Fraction(number) - Fraction(target)) <= Fraction(tolerance)))


def gap_label(number: int) -> str:
    return _("Gap %(n)d") % {"n": number}


def _control(gap: dict, number: int, value: str, position: str) -> str:
    """The inline control of one gap, named for the attempt page's script by data-answer."""
    ident, label = gap["id"], gap_label(number)
    control_id = f"q{position}-gap-{ident}"
    if gap["type"] == "choice":
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (o["id"], mark_safe(" selected") if o["id"] == value else "", o["text"])
                for o in gap["options"]
            ),
        )
        return format_html(
            '<select class="gap gap-choice" id="{}" data-answer="gaps.{}" aria-label="{}">'
            '<option value="">{}</option>{}</select>',
            control_id,
            ident,
            label,
            _("— choose —"),
            options,
        )
    if gap["type"] == "number":
        return format_html(
            '<input type="text" inputmode="decimal" class="gap gap-number" id="{}"'
            ' data-answer="gaps.{}" value="{}" aria-label="{}" maxlength="{}" size="8"'
            ' autocomplete="off">',
            control_id,
            ident,
            value,
            label,
            MAX_NUMBER_CHARS,
        )
    return format_html(
        '<input type="text" class="gap gap-short" id="{}" data-answer="gaps.{}" value="{}"'
        ' aria-label="{}" maxlength="{}" size="14" autocomplete="off" spellcheck="false">',
        control_id,
        ident,
        value,
        label,
        MAX_BLANK_CHARS,
    )


def with_controls(html: str, gaps: list[dict], answers: dict, position: str) -> tuple[str, list]:
    """Put each gap's control where its marker is in rendered (sanitised) HTML.

    Returns the HTML and the gaps with no marker in it, each as (label, control), for the
    widget to list after the text. Markers are replaced in text only, never inside a tag.
    """
    numbered = {g["id"]: (n, g) for n, g in enumerate(gaps, start=1)}
    controls = {
        ident: _control(gap, n, _answer(answers, ident), position)
        for ident, (n, gap) in numbered.items()
    }
    used: set[str] = set()

    def place(match: re.Match) -> str:
        ident = match.group(1)
        if ident not in controls or ident in used:
            return match.group(0)
        used.add(ident)
        return controls[ident]

    parts = [p if p.startswith("<") else MARKER_RE.sub(place, p) for p in _TAG_RE.split(html)]
    missing = [
        {"id": f"q{position}-gap-{ident}", "label": gap_label(n), "control": controls[ident]}
        for ident, (n, _gap) in numbered.items()
        if ident not in used
    ]
    return mark_safe("".join(parts)), missing  # noqa: S308 - sanitised HTML plus format_html


def _answer(answers: dict, ident: str) -> str:
    value = answers.get(ident)
    return value if isinstance(value, str) else ""


# --- the authoring form ----------------------------------------------------------------------


class ClozeTextForm(KindForm):
    text_en = TextField(
        label=gettext_lazy("Cloze text (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Markdown. Write [[g1]], [[g2]]… where the gaps go (a name starting with a "
            "letter); each gap row below names one, and each appears once per language."
        ),
    )
    text_zh = TextField(
        label=gettext_lazy("Cloze text (Chinese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    content_fields = ("text_en", "text_zh")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("text_en") and not cleaned.get("text_zh"):
            self.add_error("text_en", _("Give the cloze text in English or Chinese."))
        return cleaned


class GapForm(KindForm):
    """A gap row: its name and type (content), its weight and answer (key)."""

    is_row = True
    gap = forms.CharField(label=gettext_lazy("Gap"), max_length=32)
    type = forms.ChoiceField(
        label=gettext_lazy("Type"),
        choices=[
            ("choice", gettext_lazy("Choice")),
            ("short", gettext_lazy("Short answer")),
            ("number", gettext_lazy("Number")),
        ],
        initial="choice",
    )
    weight = forms.IntegerField(
        label=gettext_lazy("Weight"), min_value=1, max_value=MAX_WEIGHT, initial=1
    )
    accepted = TextField(
        label=gettext_lazy("Accepted answers, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 24}),
    )
    case_sensitive = forms.BooleanField(label=gettext_lazy("Case sensitive"), required=False)
    value = DecimalTextField(label=gettext_lazy("Correct value"), required=False)
    tolerance = DecimalTextField(label=gettext_lazy("Tolerance"), required=False, minimum=0)
    content_fields = ("gap", "type")

    def clean_gap(self):
        name = self.cleaned_data["gap"].strip().removeprefix("[[").removesuffix("]]")
        if not GAP_ID_RE.fullmatch(name):
            raise forms.ValidationError(
                _("A gap's name is a letter followed by letters or digits, like g1.")
            )
        return name

    def clean_accepted(self):
        answers = [line.strip() for line in self.cleaned_data["accepted"].split("\n")]
        return [answer for answer in answers if answer]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("type")
        if kind == "short" and "accepted" in cleaned and not cleaned["accepted"]:
            self.add_error("accepted", _("Give at least one accepted answer."))
        if kind == "number" and "value" in cleaned and not cleaned["value"]:
            self.add_error("value", _("Give the correct value of this number gap."))
        if kind != "short":
            for name in ("accepted", "case_sensitive"):
                if cleaned.get(name):
                    self.add_error(name, _("Only a short-answer gap takes this."))
        if kind != "number":
            for name in ("value", "tolerance"):
                if cleaned.get(name):
                    self.add_error(name, _("Only a number gap takes this."))
        return cleaned


class GapsFormSet(RowsFormSet):
    minimum_message = gettext_lazy("Give at least %(n)d gap.")


class GapOptionForm(OptionForm):
    """An option of a choice gap: the gap it belongs to, its text, correct or partly so."""

    gap = forms.CharField(label=gettext_lazy("Gap"), max_length=32)
    partial = DecimalTextField(
        label=gettext_lazy("Partial credit"),
        required=False,
        above=0,
        maximum=1,
        help_text=gettext_lazy("A share of the gap's credit below 1, e.g. 0.5."),
    )
    content_fields = ("id", "gap", "text_en", "text_zh")
    field_order = ("id", "gap", "text_en", "text_zh", "correct", "partial")

    def clean_gap(self):
        return self.cleaned_data["gap"].strip().removeprefix("[[").removesuffix("]]")

    def clean(self):
        cleaned = super().clean()
        partial = cleaned.get("partial")
        if partial and parse_decimal(partial) == 1:
            self.add_error("partial", _("Below 1: tick Correct for full credit."))
        elif partial and cleaned.get("correct"):
            self.add_error("partial", _("A correct option earns full credit; leave this empty."))
        return cleaned


class GapOptionsFormSet(RowsFormSet):
    minimum = 0


class Editor(KindEditor):
    form_class = ClozeTextForm
    rows = {
        "gaps": Rows(
            GapForm,
            gettext_lazy("Gaps"),
            gettext_lazy(
                "One row per gap, named as in the text (g1 for [[g1]]). A choice gap takes "
                "its options from the rows below; a short-answer gap its accepted answers; a "
                "number gap its value and tolerance. A gap's weight is its share of the "
                "question's points."
            ),
            formset=GapsFormSet,
        ),
        "options": Rows(
            GapOptionForm,
            gettext_lazy("Options of the choice gaps"),
            gettext_lazy(
                "Each option names its gap. Tick every correct option; give another option "
                "partial credit if it earns part of the gap."
            ),
            formset=GapOptionsFormSet,
        ),
    }

    def initial(self, content, key):
        text = as_dict(content.get("text"))
        fields = {"text_en": text.get("en", ""), "text_zh": text.get("zh-hans", "")}
        specs = as_dict(key.get("gaps"))
        gaps, options = [], []
        for gap in gaps_of(content):
            spec = as_dict(specs.get(gap["id"]))
            row = {"gap": gap["id"], "type": gap["type"], "weight": spec.get("weight", 1)}
            if gap["type"] == "short":
                accepted = [a for a in as_list(spec.get("accepted")) if isinstance(a, str)]
                row |= {
                    "accepted": "\n".join(accepted),
                    "case_sensitive": spec.get("case_sensitive") is True,
                }
            elif gap["type"] == "number":
                row |= {"value": spec.get("value", ""), "tolerance": spec.get("tolerance", "0")}
            else:
                correct = as_list(spec.get("correct"))
                partial = as_dict(spec.get("partial"))
                options += [
                    entry_initial(option)
                    | {
                        "gap": gap["id"],
                        "correct": option.get("id") in correct,
                        "partial": partial.get(option.get("id"), ""),
                    }
                    for option in as_list(gap.get("options"))
                    if isinstance(option, dict)
                ]
            gaps.append(row)
        return fields, {"gaps": gaps, "options": options}

    def stored(self, fields, rows):
        gap_rows: dict[str, dict] = {}
        for row in rows["gaps"]:
            if row["gap"] in gap_rows:
                self.row_error(row, "gap", _("Another row names this gap too."))
            gap_rows.setdefault(row["gap"], row)
        options = rows["options"]
        assign_ids((options, ""))
        options_of: dict[str, list[dict]] = {
            name: [] for name, row in gap_rows.items() if row["type"] == "choice"
        }
        for option in options:
            if option["gap"] in options_of:
                options_of[option["gap"]].append(option)
            else:
                self.row_error(
                    option,
                    "gap",
                    _("No choice gap is named '%(gap)s'.") % {"gap": show(option["gap"])},
                )
        gaps, specs = [], {}
        for name, row in gap_rows.items():
            gap: dict = {"id": name, "type": row["type"]}
            spec: dict = {"weight": row["weight"]}
            if row["type"] == "choice":
                mine = options_of[name]
                correct = [o["id"] for o in mine if o["correct"]]
                if len(mine) < 2:
                    self.row_error(
                        row, "type", _("A choice gap needs at least two option rows naming it.")
                    )
                elif not correct:
                    self.row_error(row, "type", _("Tick at least one option of this gap."))
                gap["options"] = entries(mine)
                spec |= {
                    "correct": correct,
                    "partial": {o["id"]: o["partial"] for o in mine if o["partial"]},
                }
            elif row["type"] == "short":
                spec |= {"accepted": row["accepted"], "case_sensitive": row["case_sensitive"]}
            else:
                spec |= {"value": row["value"], "tolerance": row["tolerance"] or "0"}
            gaps.append(gap)
            specs[name] = spec
        content = {"text": texts(fields["text_en"], fields["text_zh"]), "gaps": gaps}
        return content, {"gaps": specs}


# --- the kind --------------------------------------------------------------------------------


class Cloze(Kind):
    name = "cloze"
    label = gettext_lazy("Cloze (embedded answers)")
    editor_class = Editor

    def validate(self, content, key, question=None):
        problems: list[str] = []
        check_text(content.get("text"), _("The cloze text"), problems, required=True)
        gaps = content.get("gaps")
        if not isinstance(gaps, list) or not gaps:
            problems.append(_("Give at least one gap."))
            gaps = []
        if len(gaps) > MAX_GAPS:
            problems.append(_("A cloze holds at most %(max)d gaps.") % {"max": MAX_GAPS})
        names: list[str] = []
        for gap in gaps:
            gap = as_dict(gap)
            ident = gap.get("id")
            if not isinstance(ident, str) or not GAP_ID_RE.fullmatch(ident):
                problems.append(
                    _("Gap '%(id)s' needs a name of a letter followed by letters or digits.")
                    % {"id": show(ident)}
                )
                continue
            if ident in names:
                problems.append(_("The id '%(id)s' is used more than once.") % {"id": ident})
            names.append(ident)
            if gap.get("type") not in GAP_TYPES:
                problems.append(
                    _("Gap '%(id)s' must be of type 'choice', 'short' or 'number'.") % {"id": ident}
                )
            elif gap["type"] == "choice":
                check_entries(
                    gap.get("options"),
                    plural=_("options of gap '%(id)s'") % {"id": ident},
                    one=_("Option '%(id)s'"),
                    minimum=2,
                    seen=set(),
                    problems=problems,
                )
            elif "options" in gap:
                problems.append(_("Only a choice gap has options ('%(id)s').") % {"id": ident})
        for lang, text in as_dict(content.get("text")).items():
            if isinstance(text, str) and text.strip():
                problems += _marker_problems(text, lang, names)
        problems += self._key_problems(gaps_of(content), key)
        return problems

    def _key_problems(self, gaps: list[dict], key: dict) -> list[str]:
        problems: list[str] = []
        specs = key.get("gaps")
        if not isinstance(specs, dict):
            return [_("The key must give the answer of every gap.")]
        known = {g["id"] for g in gaps}
        for ident in specs:
            if ident not in known:
                problems.append(
                    _("Gap '%(id)s' in the key is not one of the gaps.") % {"id": show(ident)}
                )
        for gap in gaps:
            ident = gap["id"]
            spec = specs.get(ident)
            if not isinstance(spec, dict):
                problems.append(_("The key gives no answer for gap '%(id)s'.") % {"id": ident})
                continue
            weight = spec.get("weight", 1)
            if isinstance(weight, bool) or not isinstance(weight, int):
                weight = 0
            if not 1 <= weight <= MAX_WEIGHT:
                problems.append(
                    _("The weight of gap '%(id)s' must be a whole number from 1 to %(max)d.")
                    % {"id": ident, "max": MAX_WEIGHT}
                )
            if gap["type"] == "choice":
                problems += _choice_problems(gap, spec)
            elif gap["type"] == "short":
                accepted = spec.get("accepted")
                if (
                    not isinstance(accepted, list)
                    or not accepted
                    or not all(
                        isinstance(a, str) and a.strip() and len(a) <= MAX_BLANK_CHARS
                        for a in accepted
                    )
                ):
                    problems.append(
                        _("Gap '%(id)s' needs a list of accepted answers, none of them empty.")
                        % {"id": ident}
                    )
                if not isinstance(spec.get("case_sensitive", False), bool):
                    problems.append(
                        _("'%(name)s' must be true or false.") % {"name": "case_sensitive"}
                    )
            else:
                if parse_decimal(spec.get("value")) is None:
                    problems.append(
                        _("The value of gap '%(id)s' must be a decimal number, not '%(value)s'.")
                        % {"id": ident, "value": show(spec.get("value"))}
                    )
                tolerance = parse_decimal(spec.get("tolerance", "0"))
                if tolerance is None or tolerance < 0:
                    problems.append(
                        _("The tolerance of gap '%(id)s' must be a number of 0 or more.")
                        % {"id": ident}
                    )
        return problems

    def clean_response(self, content, response):
        """One text per gap ('' when unanswered): an option id, an answer or a number."""
        gaps = gaps_of(content)
        answers = response.get("gaps", {})
        answers = {} if answers is None else answers
        if not isinstance(answers, dict):
            raise ValueError(_("The answer must map each gap to its answer."))
        numbered = {g["id"]: (n, g) for n, g in enumerate(gaps, start=1)}
        for ident in answers:
            if ident not in numbered:
                raise ValueError(_("'%(id)s' is not one of the gaps.") % {"id": show(ident)})
        cleaned = {}
        for ident, (number, gap) in numbered.items():
            value = answers.get(ident)
            label = gap_label(number)
            if value is None or (isinstance(value, str) and not value.strip()):
                cleaned[ident] = ""
            elif gap["type"] == "number":
                if parse_decimal(value, comma=True) is None:
                    raise ValueError(_("%(gap)s: enter a number such as 12.5.") % {"gap": label})
                cleaned[ident] = (
                    value.strip() if isinstance(value, str) else str(parse_decimal(value))
                )
            elif not isinstance(value, str):
                raise ValueError(_("%(gap)s: the answer must be text.") % {"gap": label})
            elif gap["type"] == "choice":
                if value not in {o.get("id") for o in as_list(gap.get("options"))}:
                    raise ValueError(_("%(gap)s: choose one of its options.") % {"gap": label})
                cleaned[ident] = value
            else:
                if len(value) > MAX_BLANK_CHARS:
                    raise ValueError(
                        _("%(gap)s holds at most %(max)d characters.")
                        % {"gap": label, "max": MAX_BLANK_CHARS}
                    )
                cleaned[ident] = value
        return {"gaps": cleaned}

    def grade(self, content, key, response, max_points):
        """Each gap's weight share times its credit, added up."""
        gaps = gaps_of(content)
        specs = as_dict(key.get("gaps"))
        answers = (response or {}).get("gaps")
        if not gaps or not isinstance(answers, dict):
            return zero(max_points)
        total = earned = Fraction(0)
        for gap in gaps:
            spec = as_dict(specs.get(gap["id"]))
            weight = weight_of(spec)
            total += weight
            earned += weight * gap_credit(gap, spec, answers.get(gap["id"]))
        return award(earned / total, max_points)

    def key_response(self, content, key):
        specs = as_dict(key.get("gaps"))
        answers = {}
        for gap in gaps_of(content):
            spec = as_dict(specs.get(gap["id"]))
            if gap["type"] == "choice":
                answers[gap["id"]] = (as_list(spec.get("correct")) or [""])[0]
            elif gap["type"] == "short":
                answers[gap["id"]] = (as_list(spec.get("accepted")) or [""])[0]
            else:
                answers[gap["id"]] = str(spec.get("value", ""))
        return {"gaps": answers}

    # What a student gets.

    def public_content(self, content):
        gaps = []
        for gap in gaps_of(content):
            public = {"id": gap["id"], "type": gap["type"]}
            if gap["type"] == "choice":
                public["options"] = public_entries(gap.get("options"))
            gaps.append(public)
        return {"text": public_text(content.get("text")), "gaps": gaps}

    def shuffle(self, public, rng, key):
        for gap in public["gaps"]:
            if gap["type"] == "choice":
                rng.shuffle(gap["options"])
        return public

    def present(self, item, content, response):
        gaps = [
            {
                "id": g["id"],
                "type": g["type"],
                "options": [
                    {"id": o["id"], "text": pick_language(o.get("text"))}
                    for o in public_entries(g.get("options"))
                ],
            }
            for g in gaps_of(content)
        ]
        html = render_markdown(pick_language(content.get("text")))
        item["cloze"], item["extra_gaps"] = with_controls(
            html, gaps, as_dict(response.get("gaps")), item["position"]
        )

    # What people read after the attempt.

    def _lines(self, content: dict, said) -> list[str]:
        return [
            f"{gap_label(n)}: {said(gap) or '—'}" for n, gap in enumerate(gaps_of(content), start=1)
        ]

    def describe(self, content, response):
        answers = as_dict(response.get("gaps"))

        def said(gap):
            value = answers.get(gap["id"])
            if gap["type"] == "choice":
                return labels(gap.get("options")).get(value, "")
            return value.strip() if isinstance(value, str) else ""

        return "; ".join(self._lines(content, said))

    def _key_lines(self, content: dict, key: dict) -> list[str]:
        specs = as_dict(key.get("gaps"))

        def said(gap):
            spec = as_dict(specs.get(gap["id"]))
            if gap["type"] == "choice":
                names = labels(gap.get("options"))
                right = [names.get(i, "") for i in as_list(spec.get("correct"))]
                partly = [
                    _("%(option)s (%(percent)s%% credit)")
                    % {
                        "option": names.get(i, ""),
                        "percent": f"{((parse_decimal(f) or 0) * 100).normalize():f}",
                    }
                    for i, f in as_dict(spec.get("partial")).items()
                ]
                return " / ".join(right + partly)
            if gap["type"] == "short":
                found = " / ".join(a for a in as_list(spec.get("accepted")) if isinstance(a, str))
                if found and spec.get("case_sensitive") is True:
                    found += " " + _("(case sensitive)")
                return found
            value, tolerance = spec.get("value", ""), parse_decimal(spec.get("tolerance", "0"))
            return f"{value} ± {tolerance}" if tolerance else f"{value}"

        return self._lines(content, said)

    def describe_key(self, content, key):
        return "; ".join(self._key_lines(content, key))

    def key_view(self, content, key):
        return KeyView(lines=self._key_lines(content, key))


def _marker_problems(text: str, lang: str, names: list[str]) -> list[str]:
    """Every gap exactly once in a language's text, and no marker without a gap."""
    problems = []
    found = markers(text)
    for ident in names:
        count = found.count(ident)
        if count != 1:
            problems.append(
                _("Gap [[%(id)s]] is in the '%(lang)s' text %(count)d times; write it once.")
                % {"id": ident, "lang": lang, "count": count}
            )
    for ident in dict.fromkeys(found):
        if ident not in names:
            problems.append(
                _("The '%(lang)s' text has [[%(id)s]], but no gap is named '%(id)s'.")
                % {"id": ident, "lang": lang}
            )
    return problems


def _choice_problems(gap: dict, spec: dict) -> list[str]:
    """The correct options and partial credits of a choice gap."""
    ident = gap["id"]
    options = {o.get("id") for o in as_list(gap.get("options")) if isinstance(o, dict)}
    problems = []
    correct = spec.get("correct")
    if (
        not isinstance(correct, list)
        or not correct
        or len(set(map(str, correct))) != len(correct)
        or not all(isinstance(c, str) and c in options for c in correct)
    ):
        problems.append(
            _("The key of gap '%(id)s' must name one or more of its options as correct.")
            % {"id": ident}
        )
        correct = []
    partial = spec.get("partial", {})
    if not isinstance(partial, dict):
        return [
            *problems,
            _("The partial credits of gap '%(id)s' must map options to fractions.") % {"id": ident},
        ]
    for option, fraction in partial.items():
        number = parse_decimal(fraction)
        if option not in options or option in correct:
            problems.append(
                _(
                    "Partial credit in gap '%(id)s' goes to '%(option)s', which is not one of its"
                    " wrong options."
                )
                % {"id": ident, "option": show(option)}
            )
        elif not isinstance(fraction, str) or number is None or not 0 < number < 1:
            problems.append(
                _(
                    "The partial credit of option '%(option)s' in gap '%(id)s' must lie between 0"
                    " and 1."
                )
                % {"id": ident, "option": show(option)}
            )
    return problems


kind = Cloze()
