"""What every question kind shares: the Kind interface, Grade, numbers and the common checks.

Pure: values in, values out; nothing here touches the database.
"""

import math
import random
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .forms import KindEditor

LANGUAGES = ("en", "zh-hans")
SCORINGS = ("all_or_nothing", "partial")
TOLERANCE_MODES = ("absolute", "relative")
MAX_TEXT_CHARS = 50_000
MAX_BLANK_CHARS = 500
MAX_ID_CHARS = 32
MAX_FILE_NAME_CHARS = 255

# No exponents, underscores, NaN or Infinity: people type plain decimals, and an exponent
# like 1e999999999 would make exact Fraction arithmetic explode.
_DECIMAL_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
GAP_RE = re.compile(r"\[\[(\d+)\]\]")


@dataclass(frozen=True)
class Grade:
    """The score of one answer; points None means it waits for a human."""

    points: Decimal | None
    max_points: Decimal
    correct: bool | None


@dataclass
class KeyView:
    """An answer key laid out for teachers: options ticked, or lines of text."""

    options: list[tuple[str, bool]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


# --- numbers ---------------------------------------------------------------------------------


def parse_decimal(value: object, *, comma: bool = False) -> Decimal | None:
    """Read a plain finite decimal from a str, int, float or Decimal; None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value) if abs(value) < 10**30 else None
    if isinstance(value, float):
        # JSON numbers arrive as floats; repr gives the shortest decimal that round-trips.
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() and abs(value.adjusted()) < 30 else None
    if not isinstance(value, str) or len(value) > 64:
        return None
    # NFKC turns full-width digits and punctuation typed with a Chinese IME into ASCII.
    text = unicodedata.normalize("NFKC", value).strip()
    if comma and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")
    return Decimal(text) if _DECIMAL_RE.fullmatch(text) else None


def round_cents(value: Fraction) -> Decimal:
    """Round half up to 0.01 exactly, without a Decimal context in the way."""
    return Decimal(math.floor(value * 100 + Fraction(1, 2))).scaleb(-2)


def award(fraction: Fraction, max_points: Decimal, correct: bool | None = None) -> Grade:
    """Turn a fraction of the item into points, clamped to [0, max_points] and quantized."""
    fraction = min(max(fraction, Fraction(0)), Fraction(1))
    maximum = parse_decimal(max_points) or Decimal(0)
    ceiling = Fraction(max(maximum, Decimal(0)))
    # Round down the ceiling so an odd max like 1.005 can never be exceeded after rounding.
    points = min(round_cents(ceiling * fraction), Decimal(math.floor(ceiling * 100)).scaleb(-2))
    return Grade(points, max_points, fraction == 1 if correct is None else correct)


def zero(max_points: Decimal) -> Grade:
    """The grade of a missing or malformed answer."""
    return award(Fraction(0), max_points)


# --- reading content, keys and responses -----------------------------------------------------


def as_dict(value: object) -> dict:
    """The value if it is a dict, else an empty one."""
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list:
    """The value if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def ids(entries: object) -> list[str]:
    """Ids of a list of {"id": ...} entries, skipping malformed ones."""
    return [
        e["id"] for e in as_list(entries) if isinstance(e, dict) and isinstance(e.get("id"), str)
    ]


def known_ids(value: object, allowed: frozenset[str] | list[str]) -> list[str] | None:
    """The value as a list of known ids, or None if it is anything else."""
    if isinstance(value, list) and all(isinstance(v, str) and v in allowed for v in value):
        return value
    return None


def show(value: object) -> str:
    """A short printable form of a user-supplied value for messages."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def pick_language(texts: dict | None) -> str:
    """The text of a bilingual dict in the active language, else the other one."""
    texts = texts if isinstance(texts, dict) else {}
    lang = "zh-hans" if (get_language() or "en").lower().startswith("zh") else "en"
    other = "en" if lang == "zh-hans" else "zh-hans"
    return texts.get(lang) or texts.get(other) or ""


def labels(entries: object) -> dict[str, str]:
    """Each entry's text in the active language, by id."""
    return {
        e["id"]: pick_language(e.get("text"))
        for e in as_list(entries)
        if isinstance(e, dict) and "id" in e
    }


def unknown_kind(kind: object) -> ValueError:
    """The error for a kind the registry does not know."""
    return ValueError(_("Unknown question kind '%(kind)s'.") % {"kind": show(kind)})


# --- common checks ---------------------------------------------------------------------------


def check_text(value: object, field: str, problems: list[str], *, required: bool) -> None:
    """Check a bilingual {"en": ..., "zh-hans": ...} string."""
    if value is None and not required:
        return
    if not isinstance(value, dict):
        problems.append(_("%(field)s must map language codes to text.") % {"field": field})
        return
    for lang, text in value.items():
        if lang not in LANGUAGES:
            problems.append(
                _("%(field)s has an unknown language '%(lang)s'.")
                % {"field": field, "lang": show(lang)}
            )
        elif not isinstance(text, str):
            problems.append(
                _("%(field)s in '%(lang)s' must be text.") % {"field": field, "lang": lang}
            )
    if required and not any(isinstance(t, str) and t.strip() for t in value.values()):
        problems.append(
            _("%(field)s is missing: give it in English or Chinese.") % {"field": field}
        )


def check_rubric(rubric: object, problems: list[str]) -> Decimal:
    """Check a human rubric (named criteria with ids and points above 0); its total points."""
    if not isinstance(rubric, list) or not rubric:
        problems.append(_("The rubric needs at least one criterion."))
        return Decimal(0)
    seen: set[str] = set()
    total = Decimal(0)
    for criterion in rubric:
        ident = as_dict(criterion).get("id")
        if not isinstance(ident, str) or not 0 < len(ident) <= MAX_ID_CHARS:
            problems.append(_("Each rubric criterion needs a short text id."))
            continue
        if ident in seen:
            problems.append(_("The id '%(id)s' is used more than once.") % {"id": show(ident)})
        seen.add(ident)
        label = _("Criterion '%(id)s'") % {"id": show(ident)}
        check_text(criterion.get("criterion"), label, problems, required=True)
        points = parse_decimal(criterion.get("points"))
        if points is None or points <= 0:
            problems.append(
                _("Criterion '%(id)s' must be worth more than 0 points.") % {"id": show(ident)}
            )
        else:
            total += points
    return total


def check_entries(
    entries: object, *, plural: str, one: str, minimum: int, seen: set[str], problems: list[str]
) -> list[str]:
    """Check a list of {"id", "text"} entries and return their ids."""
    if not isinstance(entries, list):
        problems.append(_("The %(what)s must be a list.") % {"what": plural})
        return []
    if len(entries) < minimum:
        problems.append(_("Give at least %(n)d of the %(what)s.") % {"n": minimum, "what": plural})
    found = []
    for entry in entries:
        ident = as_dict(entry).get("id")
        if not isinstance(ident, str) or not 0 < len(ident) <= MAX_ID_CHARS:
            problems.append(
                _("Each of the %(what)s needs a short text id (at most %(max)d characters).")
                % {"what": plural, "max": MAX_ID_CHARS}
            )
            continue
        if ident in seen:
            problems.append(_("The id '%(id)s' is used more than once.") % {"id": show(ident)})
        seen.add(ident)
        found.append(ident)
        check_text(entry.get("text"), one % {"id": show(ident)}, problems, required=True)
    return found


def check_scoring(key: dict, problems: list[str]) -> None:
    """Check the optional scoring mode of a key."""
    if key.get("scoring", "all_or_nothing") not in SCORINGS:
        problems.append(_("Scoring must be 'all_or_nothing' or 'partial'."))


def check_flag(key: dict, name: str, problems: list[str]) -> None:
    """Check an optional boolean switch of a key."""
    if name in key and not isinstance(key[name], bool):
        problems.append(_("'%(name)s' must be true or false.") % {"name": name})


# --- what a student sees ---------------------------------------------------------------------


def public_text(value: object) -> dict[str, str]:
    """Only the known languages of a bilingual string."""
    return {
        lang: text
        for lang, text in as_dict(value).items()
        if lang in LANGUAGES and isinstance(text, str)
    }


def public_entries(entries: object) -> list[dict]:
    """Fresh {"id", "text"} copies of well-formed entries."""
    return [
        {"id": e["id"], "text": public_text(e.get("text"))}
        for e in as_list(entries)
        if isinstance(e, dict) and isinstance(e.get("id"), str)
    ]


# --- the interface ---------------------------------------------------------------------------


class Kind:
    """One question kind: its checks, its grader, what students and teachers see, its editor.

    A kind is stateless; the registry (exams.kinds.REGISTRY) holds one instance of each.
    Every method takes the kind's own content, key and response dicts, already known to be
    dicts (the facade in exams.grading makes sure), and never raises on malformed values
    except where it says so.
    """

    name: str = ""
    label = gettext_lazy("Question")
    manual = False  # a human marks it; grade() returns points None
    takes_file = False  # the student may upload a file with the answer
    # Draws its own numbers for each attempt: the kind then has draw(public, key, rng), which
    # freezing the paper calls, and review(row, content, key, response) for the review page;
    # grading and review read the attempt's own content, not the version's.
    per_attempt = False
    key_label = gettext_lazy("Correct answer")  # heading of the key on the review page
    editor_class: type["KindEditor"] | None = None

    @property
    def widget_template(self) -> str:
        """The template of the answer widget on the attempt page."""
        return f"exams/kinds/{self.name}.html"

    # Rules and grading (pure).

    def validate(self, content: dict, key: dict, question: Mapping | None = None) -> list[str]:
        """The problems of this content and key; `question` gives the text and points."""
        raise NotImplementedError

    def clean_response(self, content: dict, response: dict) -> dict:
        """The response normalised, or ValueError with a translated message."""
        raise NotImplementedError

    def grade(self, content: dict, key: dict, response: dict | None, max_points: Decimal) -> Grade:
        """Score a response; malformed ones score 0."""
        raise NotImplementedError

    def key_response(self, content: dict, key: dict) -> dict:
        """The response that earns full marks (demo data, benchmarks and tests use it)."""
        raise NotImplementedError

    # What a student gets.

    def public_content(self, content: dict) -> dict:
        """A fresh copy of the content with only what a student may see."""
        raise NotImplementedError

    def shuffle(self, public: dict, rng: random.Random, key: dict) -> dict:
        """Public content with its options shuffled, when the kind has any."""
        return public

    def present(self, item: dict, content: dict, response: dict) -> None:
        """Add what the widget template needs to the attempt page's item of one question."""
        raise NotImplementedError

    # What people read after the attempt.

    def describe(self, content: dict, response: dict) -> str:
        """A student's answer in words."""
        raise NotImplementedError

    def describe_key(self, content: dict, key: dict) -> str:
        """The correct answer (or the marking guidance) in words."""
        raise NotImplementedError

    def key_view(self, content: dict, key: dict) -> KeyView:
        """The key as a teacher sees it next to the question."""
        return KeyView(lines=[line for line in [self.describe_key(content, key)] if line])

    def criteria(self, content: dict, key: dict, response: dict) -> list[dict]:
        """Per-criterion results of the automatic marking, for markers and released results.

        Each is {"label", "met", "points", "max_points", "detail"}; [] for a kind without
        separately scored criteria. Pure, like grade().
        """
        return []

    # Authoring.

    def editor(
        self,
        data: Mapping | None = None,
        *,
        content: dict | None = None,
        key: dict | None = None,
        key_only: bool = False,
        prefix: str = "kind",
    ) -> "KindEditor":
        """The authoring form of this kind, filled from a stored content and key."""
        if self.editor_class is None:
            raise NotImplementedError
        return self.editor_class(
            data, content=content, key=key, key_only=key_only, prefix=prefix, kind=self
        )
