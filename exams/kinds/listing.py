"""Product listing: a title, bullet points, search terms and a description for a marketplace.

Part of the mark comes from automatic criteria, part from people marking a rubric
(persuasiveness, localisation…); the kind is manual, so its answers go to the marking
queue with the automatic points already computed (AttemptQuestion.auto_points), and the
final mark is those points plus the resolved human rubric marks. Stored as::

    content = {"rules": {...}}   # a snapshot of MarketplaceRules.snapshot(): the limits
                                 # this question was written against, kept for good
    key = {
        "keywords": [{"variants": ["waterproof", "防水"], "in_title": True}, ...],
        "forbidden": ["JBL", "Bose"],       # the teacher's extra claims and brands
        "points": {"title": "2", "keywords": "4", "forbidden": "2", "bullets": "2",
                   "search_terms": "1", "description": "1"},   # 0: criterion not used
        "rubric": [{"id": "r1", "criterion": {"en": ...}, "points": "4"}, ...],
    }
    response = {"title": "...", "bullets": ["...", ...], "search_terms": "...",
                "description": "..."}

The criteria themselves (counting, matching, checks) are in listing_criteria. Grading is
pure: the rules come from the content, never from the database.
"""

import copy
from decimal import Decimal
from fractions import Fraction
from html import escape

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .base import (
    MAX_TEXT_CHARS,
    Grade,
    KeyView,
    Kind,
    as_dict,
    as_list,
    award,
    check_rubric,
    parse_decimal,
    pick_language,
    public_text,
    round_cents,
    show,
)
from .forms import (
    DecimalTextField,
    KindEditor,
    KindForm,
    Rows,
    RowsFormSet,
    TextField,
    assign_ids,
    texts,
)
from .listing_criteria import (
    BUILT_IN_FORBIDDEN,
    CRITERIA,
    MAX_KEYWORDS,
    MAX_TERM_CHARS,
    MAX_TERMS,
    RULE_FIELDS,
    check_rules,
    check_terms,
    contains,
    count_bytes,
    count_chars,
    evaluate,
    forbidden_terms,
    keywords_of,
    listing_of,
    normalise,
    points_of,
    rubric_total,
    rules_of,
    variants_of,
)
from .practical import CriterionForm, RubricFormSet

__all__ = [
    "BUILT_IN_FORBIDDEN",
    "CRITERIA",
    "MAX_TERMS",
    "MAX_TERM_CHARS",
    "check_rules",
    "count_bytes",
    "count_chars",
    "evaluate",
    "kind",
    "points_of",
]


# --- the authoring form --------------------------------------------------------------------


class ListingForm(KindForm):
    rules = forms.ChoiceField(
        label=gettext_lazy("Marketplace rules"),
        help_text=gettext_lazy(
            "The question keeps the limits of this version: later edits to the marketplace's "
            "rules make new versions and leave it as it is."
        ),
    )
    forbidden = TextField(
        label=gettext_lazy("Forbidden claims and brands, one per line"),
        required=False,
        help_text=gettext_lazy(
            "On top of the marketplace's banned words and the built-in absolute, medical and "
            "“100%” claims; e.g. competitors' brands."
        ),
    )
    points_title = DecimalTextField(
        label=gettext_lazy("Points: title within the limit"), minimum=Decimal(0), initial="0"
    )
    points_keywords = DecimalTextField(
        label=gettext_lazy("Points: required keywords"), minimum=Decimal(0), initial="0"
    )
    points_forbidden = DecimalTextField(
        label=gettext_lazy("Points: no forbidden claims"), minimum=Decimal(0), initial="0"
    )
    points_bullets = DecimalTextField(
        label=gettext_lazy("Points: bullet points"), minimum=Decimal(0), initial="0"
    )
    points_search_terms = DecimalTextField(
        label=gettext_lazy("Points: search terms within the byte limit"),
        minimum=Decimal(0),
        initial="0",
    )
    points_description = DecimalTextField(
        label=gettext_lazy("Points: description within the limit"),
        minimum=Decimal(0),
        initial="0",
    )
    content_fields = ("rules",)

    def clean_forbidden(self):
        terms = [line.strip() for line in self.cleaned_data["forbidden"].split("\n")]
        terms = list(dict.fromkeys(t for t in terms if t))
        if any(len(t) > MAX_TERM_CHARS for t in terms):
            raise forms.ValidationError(
                _("Each line holds at most %(n)d characters.") % {"n": MAX_TERM_CHARS}
            )
        return terms


class KeywordForm(KindForm):
    is_row = True
    variants = TextField(
        label=gettext_lazy("Accepted forms, one per line (e.g. English and Chinese)"),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 30}),
    )
    in_title = forms.BooleanField(label=gettext_lazy("Must be in the title"), required=False)

    def clean_variants(self):
        variants = [line.strip() for line in self.cleaned_data["variants"].split("\n")]
        variants = list(dict.fromkeys(v for v in variants if v))
        if not variants:
            raise forms.ValidationError(_("Give at least one form of the keyword."))
        if any(len(v) > MAX_TERM_CHARS for v in variants):
            raise forms.ValidationError(
                _("Each line holds at most %(n)d characters.") % {"n": MAX_TERM_CHARS}
            )
        return variants


class KeywordsFormSet(RowsFormSet):
    minimum = 0


class Editor(KindEditor):
    form_class = ListingForm
    rows = {
        "keywords": Rows(
            KeywordForm,
            gettext_lazy("Required keywords"),
            gettext_lazy(
                "A keyword counts when any of its forms appears anywhere in the listing (or in "
                "the title, when ticked); the student never sees this list."
            ),
            formset=KeywordsFormSet,
            is_content=False,
        ),
        "rubric": Rows(
            CriterionForm,
            gettext_lazy("Rubric for graders"),
            gettext_lazy(
                "What people mark, e.g. persuasiveness and localisation; with the automatic "
                "points above it adds up to the question's points."
            ),
            formset=RubricFormSet,
            is_content=False,
            id_prefix="r",
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["rules"].choices = self.rules_choices()

    def _stored_rules(self) -> dict | None:
        rules = self.content.get("rules")
        return rules if isinstance(rules, dict) and rules.get("code") else None

    @staticmethod
    def _value(rules: dict) -> str:
        return f"{rules.get('code')}:{rules.get('version')}"

    def rules_choices(self) -> list[tuple[str, str]]:
        """The version this question keeps, then the current version of every marketplace."""
        from ..models import MarketplaceRules  # the models import the kinds

        choices = []
        stored = self._stored_rules()
        if stored is not None:
            choices.append(
                (
                    self._value(stored),
                    _("%(name)s, version %(n)s (kept by this question)")
                    % {"name": pick_language(stored.get("name")), "n": stored.get("version")},
                )
            )
        for rules in MarketplaceRules.objects.current():
            if stored is None or rules.choice_value != self._value(stored):
                choices.append(
                    (
                        rules.choice_value,
                        _("%(name)s, version %(n)s (current)")
                        % {"name": rules.name, "n": rules.version},
                    )
                )
        return choices

    def snapshot(self, value: str) -> dict:
        """The rules a chosen value names: the kept snapshot, or a version from the table."""
        from ..models import MarketplaceRules

        stored = self._stored_rules()
        if stored is not None and value == self._value(stored):
            return copy.deepcopy(stored)
        code, _sep, version = value.partition(":")
        rules = MarketplaceRules.objects.filter(
            code=code, version=int(version) if version.isdigit() else 0
        ).first()
        if rules is None:
            raise forms.ValidationError(_("These marketplace rules no longer exist."))
        return rules.snapshot()

    def initial(self, content, key):
        points = as_dict(key.get("points"))
        fields = {
            "forbidden": "\n".join(t for t in as_list(key.get("forbidden")) if isinstance(t, str)),
            **{f"points_{name}": points.get(name, "0") for name in CRITERIA},
        }
        rules = as_dict(content.get("rules"))
        if rules.get("code"):
            fields["rules"] = self._value(rules)
        keywords = [
            {"variants": "\n".join(variants_of(k)), "in_title": as_dict(k).get("in_title") is True}
            for k in as_list(key.get("keywords"))
        ]
        rubric = [
            {
                "id": c.get("id", ""),
                "text_en": as_dict(c.get("criterion")).get("en", ""),
                "text_zh": as_dict(c.get("criterion")).get("zh-hans", ""),
                "points": c.get("points", ""),
            }
            for c in as_list(key.get("rubric"))
            if isinstance(c, dict)
        ]
        return fields, {"keywords": keywords, "rubric": rubric}

    def stored(self, fields, rows):
        content = {"rules": self.snapshot(fields["rules"])}
        rubric = rows["rubric"]
        assign_ids((rubric, "r"))
        key = {
            "keywords": [
                {"variants": row["variants"], "in_title": row["in_title"]}
                for row in rows["keywords"]
            ],
            "forbidden": fields["forbidden"],
            "points": {name: fields[f"points_{name}"] for name in CRITERIA},
            "rubric": [
                {
                    "id": row["id"],
                    "criterion": texts(row["text_en"], row["text_zh"]),
                    "points": row["points"],
                }
                for row in rubric
            ],
        }
        return content, key


# --- the kind ------------------------------------------------------------------------------


class Listing(Kind):
    name = "listing"
    label = gettext_lazy("Product listing")
    manual = True
    key_label = gettext_lazy("Marking criteria")
    editor_class = Editor

    def validate(self, content, key, question=None):
        """Check the rules snapshot, keywords, forbidden list, criterion points and rubric."""
        problems: list[str] = []
        check_rules(content.get("rules"), problems)
        rules = rules_of(content)
        keywords = key.get("keywords", [])
        if not isinstance(keywords, list) or len(keywords) > MAX_KEYWORDS:
            problems.append(
                _("The keywords must be a list of at most %(n)d.") % {"n": MAX_KEYWORDS}
            )
            keywords = []
        for keyword in keywords:
            variants = as_dict(keyword).get("variants")
            if (
                not isinstance(variants, list)
                or not variants
                or not all(isinstance(v, str) and v.strip() for v in variants)
                or any(len(v) > MAX_TERM_CHARS for v in variants)
            ):
                problems.append(_("Each keyword needs one or more forms, none of them empty."))
            if "in_title" in as_dict(keyword) and not isinstance(keyword["in_title"], bool):
                problems.append(_("'in_title' must be true or false."))
        check_terms(key.get("forbidden", []), _("The forbidden claims and brands"), problems)
        if problems:
            return problems
        forbidden = forbidden_terms(rules, key)
        for keyword in keywords_of(key):
            if all(any(contains(normalise(v), t) for t in forbidden) for v in keyword["variants"]):
                problems.append(
                    _(
                        "The keyword “%(word)s” is itself a forbidden claim: no listing can "
                        "meet both."
                    )
                    % {"word": show(keyword["variants"][0])}
                )
        in_title = [min(k["variants"], key=len) for k in keywords_of(key) if k["in_title"]]
        if count_chars(" ".join(in_title)) > rules["title_max_chars"]:
            problems.append(
                _("The keywords that must be in the title do not fit in %(n)d characters.")
                % {"n": rules["title_max_chars"]}
            )

        given = key.get("points")
        if not isinstance(given, dict) or set(given) - set(CRITERIA):
            problems.append(
                _("The points must name only these criteria: %(names)s.")
                % {"names": ", ".join(CRITERIA)}
            )
            given = {}
        for name, value in given.items():
            number = parse_decimal(value)
            if number is None or number < 0:
                problems.append(
                    _("The points of '%(name)s' must be a number of 0 or more.") % {"name": name}
                )
        points = points_of(key)
        if points["keywords"] and not keywords_of(key):
            problems.append(_("Give the required keywords, or 0 points for them."))
        if points["bullets"] and rules["bullets_max"] == 0:
            problems.append(_("This marketplace has no bullet points: give them 0 points."))
        if points["search_terms"] and rules["search_terms_max_bytes"] == 0:
            problems.append(_("This marketplace has no search-terms field: give it 0 points."))
        check_rubric(key.get("rubric"), problems)
        total = sum(points.values(), Decimal(0)) + rubric_total(key)
        wanted = parse_decimal(as_dict(question).get("points"))
        if wanted is not None and wanted > 0 and total > 0 and wanted != total:
            problems.append(
                _(
                    "The question is worth %(points)s points but its criteria and rubric "
                    "total %(total)s."
                )
                % {"points": wanted, "total": total}
            )
        return problems

    def clean_response(self, content, response):
        """Keep the four fields as text; refuse more bullet points than the marketplace has."""
        cleaned = {}
        for name in ("title", "search_terms", "description"):
            value = response.get(name)
            if value is not None and not isinstance(value, str):
                raise ValueError(_("The listing's fields must be text."))
            cleaned[name] = (value or "").strip()
        bullets = response.get("bullets")
        bullets = [] if bullets is None else bullets
        if not isinstance(bullets, list) or not all(
            b is None or isinstance(b, str) for b in bullets
        ):
            raise ValueError(_("The bullet points must be a list of texts."))
        bullets = [(b or "").strip() for b in bullets]
        while bullets and not bullets[-1]:
            bullets.pop()
        most = rules_of(content)["bullets_max"]
        if len(bullets) > most:
            raise ValueError(
                ngettext(
                    "This marketplace takes %(n)d bullet point.",
                    "This marketplace takes at most %(n)d bullet points.",
                    most,
                )
                % {"n": most}
            )
        cleaned["bullets"] = bullets
        if (
            sum(len(v) for v in [*bullets, *cleaned.values()] if isinstance(v, str))
            > MAX_TEXT_CHARS
        ):
            raise ValueError(
                _("The answer is longer than %(max)d characters.") % {"max": MAX_TEXT_CHARS}
            )
        return {k: cleaned[k] for k in ("title", "bullets", "search_terms", "description")}

    def grade(self, content, key, response, max_points):
        """The automatic criteria's points; people add the rubric's (correct stays None)."""
        total = sum(points_of(key).values(), Decimal(0)) + rubric_total(key)
        if total <= 0:
            return Grade(award(Fraction(0), max_points).points, max_points, None)
        earned = sum(
            (r["fraction"] * Fraction(r["max_points"]) for r in evaluate(content, key, response)),
            Fraction(0),
        )
        return Grade(award(earned / Fraction(total), max_points).points, max_points, None)

    def criteria(self, content, key, response):
        return [
            {
                "label": r["label"],
                "met": r["fraction"] == 1,
                "points": round_cents(r["fraction"] * Fraction(r["max_points"])),
                "max_points": r["max_points"],
                "detail": r["detail"],
            }
            for r in evaluate(content, key, response)
        ]

    def key_response(self, content, key):
        """A short listing that meets every automatic criterion the rules allow."""
        rules = rules_of(content)
        keywords = keywords_of(key)
        title = " ".join(min(k["variants"], key=len) for k in keywords if k["in_title"])
        others = " ".join(k["variants"][0] for k in keywords if not k["in_title"])
        count = max(rules["bullets_min"], 1) if rules["bullets_max"] else 0
        return {
            "title": (title or "Listing")[: rules["title_max_chars"]],
            "bullets": [f"Point {n}"[: rules["bullet_max_chars"]] for n in range(1, count + 1)],
            "search_terms": "terms"[: rules["search_terms_max_bytes"]],
            "description": f"{others} details".strip(),
        }

    def public_content(self, content):
        """The marketplace's rules: published, so the student may read every one of them."""
        rules = as_dict(content.get("rules"))
        public: dict = {}
        for name in RULE_FIELDS:
            if name not in rules:
                continue
            value = rules[name]
            if name == "name":
                public[name] = public_text(value)
            elif name == "banned_words":
                public[name] = [w for w in as_list(value) if isinstance(w, str)]
            elif value is None or (isinstance(value, str | int) and not isinstance(value, bool)):
                public[name] = value
        return {"rules": public}

    def present(self, item, content, response):
        rules = rules_of(content)
        listing = listing_of(response)
        bullets = (listing["bullets"] + [""] * rules["bullets_max"])[: rules["bullets_max"]]
        name = pick_language(rules["name"]) or rules["code"]
        banned_characters = " ".join(rules["title_banned_characters"])
        bullets_min = max(rules["bullets_min"], 1) if rules["bullets_max"] else 0
        # The widget's texts that name this question's numbers, translated here: a
        # {% blocktranslate %} per text and per bullet point cost more than the widget.
        texts = {
            "hint": _("Write the listing for %(name)s (rules version %(n)s).")
            % {"name": name, "n": rules["version"]},
            "effective_hint": _("Rules in force from %(date)s.") % {"date": rules["effective_from"]}
            if rules["effective_from"]
            else "",
            "banned_summary": _("Words %(name)s bans in listings") % {"name": name},
            "title_banned_hint": _("Not allowed in the title: %(chars)s")
            % {"chars": banned_characters}
            if banned_characters
            else "",
            "bullets_legend": _(
                "Bullet points (%(low)s to %(high)s, at most %(n)s characters each)"
            )
            % {"low": bullets_min, "high": len(bullets), "n": rules["bullet_max_chars"]},
        }
        # One nested dict: the item's own "title" is the question's heading. Numbers the
        # widget writes go as text (a limit's "" when there is none): localising each
        # integer in the template cost an eighth of the widget.
        item["listing"] = {
            **texts,
            "marketplace": name,
            "version": rules["version"],
            "effective_from": rules["effective_from"] or "",
            "title": listing["title"],
            "title_chars": str(count_chars(listing["title"])),
            "title_max": str(rules["title_max_chars"]),
            "title_banned_characters": banned_characters,
            "banned_words": rules["banned_words"],
            "bullets": [
                {"index": str(n), "number": str(n + 1), "value": b, "chars": str(count_chars(b))}
                for n, b in enumerate(bullets)
            ],
            "bullet_fields": _bullet_fields(item["position"], bullets, rules["bullet_max_chars"]),
            "bullets_min": bullets_min,
            "bullet_max": str(rules["bullet_max_chars"]),
            "search_terms": listing["search_terms"],
            "search_terms_bytes": str(count_bytes(listing["search_terms"])),
            "search_terms_max": str(rules["search_terms_max_bytes"] or ""),
            "description": listing["description"],
            "description_chars": str(count_chars(listing["description"])),
            "description_max": str(rules["description_max_chars"] or ""),
        }

    def describe(self, content, response):
        listing = listing_of(response)
        lines = [_("Title: %(text)s") % {"text": listing["title"] or "—"}]
        lines += [f"• {b}" for b in listing["bullets"] if b]
        if listing["search_terms"]:
            lines.append(_("Search terms: %(text)s") % {"text": listing["search_terms"]})
        if listing["description"]:
            lines += [_("Description:"), listing["description"]]
        return "\n".join(lines)

    def _key_lines(self, content, key) -> list[str]:
        rules, points = rules_of(content), points_of(key)
        name = pick_language(rules["name"]) or rules["code"]
        words = {
            "title": _("Title of at most %(n)d characters") % {"n": rules["title_max_chars"]},
            "keywords": _("Required keywords: %(words)s")
            % {
                "words": "; ".join(
                    " / ".join(k["variants"]) + (" " + _("(in the title)") if k["in_title"] else "")
                    for k in keywords_of(key)
                )
            },
            "forbidden": _(
                "No absolute, medical or “100%%” claims, none of %(name)s's banned words"
            )
            % {"name": name}
            + (
                "; " + _("nor: %(terms)s") % {"terms": ", ".join(key.get("forbidden") or [])}
                if key.get("forbidden")
                else ""
            ),
            "bullets": _("%(low)d to %(high)d bullet points of at most %(n)d characters")
            % {
                "low": max(rules["bullets_min"], 1),
                "high": rules["bullets_max"],
                "n": rules["bullet_max_chars"],
            },
            "search_terms": _("Search terms of at most %(n)d bytes")
            % {"n": rules["search_terms_max_bytes"]},
            "description": _("Description of at most %(n)s characters")
            % {"n": rules["description_max_chars"] or "—"},
        }
        lines = [
            _("%(criterion)s: %(points)s points") % {"criterion": words[n], "points": points[n]}
            for n in CRITERIA
            if points[n] > 0
        ]
        lines += [
            _("%(criterion)s: %(points)s points")
            % {"criterion": pick_language(c.get("criterion")), "points": c.get("points")}
            for c in as_list(key.get("rubric"))
            if isinstance(c, dict)
        ]
        return lines

    def describe_key(self, content, key):
        return "\n".join(self._key_lines(content, key))

    def key_view(self, content, key):
        return KeyView(lines=self._key_lines(content, key))


kind = Listing()


def _bullet_fields(position: str, bullets: list[str], limit: int) -> str:
    """Each bullet point's label, field and counter (the widget's loop, written here).

    In the template, a dozen values per bullet point made this loop half the widget's
    cost; here every value is escaped as the template would.
    """
    characters = escape(_("characters"))
    fields = []
    for n, text in enumerate(bullets):
        ident = f"q{escape(position)}-bullet-{n + 1}"
        label = escape(_("Bullet point %(n)s") % {"n": n + 1})
        fields.append(
            f'<p class="listing-field">\n      <label for="{ident}">{label}</label>\n      '
            f'<textarea id="{ident}" rows="2" data-answer="bullets.{n}" data-count="chars"'
            f' data-limit="{limit}" aria-describedby="{ident}-count">{escape(text)}</textarea>'
            f'\n      <span class="hint counter" id="{ident}-count"><span class="count">'
            f"{count_chars(text)}</span> / {limit} {characters}</span>\n    </p>"
        )
    return mark_safe("\n    ".join(fields))
