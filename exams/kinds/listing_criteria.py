"""The automatic criteria of a product listing (exams.kinds.listing): counting, matching and
the checks of a question's rules and key. Pure: values in, values out.

Words match case-insensitively after NFKC (full-width forms typed with a Chinese IME read
as ASCII); a Latin word matches whole ("best" is not in "bestow"), Chinese text anywhere.
Characters are Unicode code points, search terms are counted in UTF-8 bytes as typed.
"""

import functools
import re
import unicodedata
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .base import as_dict, as_list, check_text, parse_decimal

CRITERIA = ("title", "keywords", "forbidden", "bullets", "search_terms", "description")
RULE_FIELDS = (
    "code",
    "version",
    "name",
    "effective_from",
    "title_max_chars",
    "title_banned_characters",
    "bullets_min",
    "bullets_max",
    "bullet_max_chars",
    "search_terms_max_bytes",
    "description_max_chars",
    "banned_words",
)
MAX_KEYWORDS = 50
MAX_TERMS = 500
MAX_TERM_CHARS = 100

# Claims no listing may make on any marketplace: absolute words, medical claims and "100%"
# claims, in English and Chinese (China's Advertising Law, art. 9 and 17, bans the Chinese
# absolute terms and medical claims for ordinary goods). A question adds its own list and
# the marketplace's banned words to these.
BUILT_IN_FORBIDDEN = (
    "best",
    "#1",
    "no.1",
    "no. 1",
    "number one",
    "perfect",
    "guaranteed",
    "100%",
    "100 percent",
    "cure",
    "cures",
    "heals",
    "fda approved",
    "clinically proven",
    "最好",
    "最佳",
    "最强",
    "最高级",
    "最便宜",
    "第一",
    "国家级",
    "世界级",
    "顶级",
    "绝对",
    "万能",
    "百分之百",
    "治疗",
    "治愈",
    "根治",
    "疗效",
)

_SPACE_RE = re.compile(r"\s+")
_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


# --- counting and matching ---------------------------------------------------------------


def count_chars(text: str) -> int:
    """Characters as people count them: Unicode code points."""
    return len(text)


def count_bytes(text: str) -> int:
    """Bytes in UTF-8, as Amazon counts search terms (a Chinese character is 3)."""
    return len(text.encode("utf-8"))


def normalise(text: str) -> str:
    """Text for matching: NFKC, case folded, runs of spaces as one."""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


@functools.lru_cache(maxsize=4096)
def _pattern(term: str) -> re.Pattern | None:
    word = normalise(term)
    if not word:
        return None
    # A Latin word or number matches whole; Chinese has no spaces, so it matches anywhere.
    left = r"(?<![0-9a-z])" if word[0] in _ASCII_WORD else ""
    right = r"(?![0-9a-z])" if word[-1] in _ASCII_WORD else ""
    return re.compile(left + re.escape(word).replace(r"\ ", r"\s+") + right)


def contains(normalised_text: str, term: str) -> bool:
    """Whether a term appears in text already passed through normalise()."""
    pattern = _pattern(term)
    return bool(pattern and pattern.search(normalised_text))


# --- reading rules, keys and responses -----------------------------------------------------


def _count(value: object, default: int = 0) -> int:
    return (
        value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else default
    )


def rules_of(content: dict) -> dict:
    """The marketplace rules of a question's content, each limit read safely."""
    rules = as_dict(content.get("rules"))
    description = rules.get("description_max_chars")
    return {
        "code": rules.get("code") if isinstance(rules.get("code"), str) else "",
        "version": _count(rules.get("version")),
        "name": as_dict(rules.get("name")),
        "effective_from": rules.get("effective_from")
        if isinstance(rules.get("effective_from"), str)
        else None,
        "title_max_chars": _count(rules.get("title_max_chars")),
        "title_banned_characters": rules.get("title_banned_characters")
        if isinstance(rules.get("title_banned_characters"), str)
        else "",
        "bullets_min": _count(rules.get("bullets_min")),
        "bullets_max": _count(rules.get("bullets_max")),
        "bullet_max_chars": _count(rules.get("bullet_max_chars")),
        "search_terms_max_bytes": _count(rules.get("search_terms_max_bytes")),
        "description_max_chars": _count(description) if description is not None else None,
        "banned_words": [w for w in as_list(rules.get("banned_words")) if isinstance(w, str)],
    }


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def listing_of(response: object) -> dict:
    """A response's four fields, trimmed; anything malformed reads as empty."""
    response = as_dict(response)
    return {
        "title": _text(response.get("title")),
        "bullets": [_text(b) for b in as_list(response.get("bullets"))],
        "search_terms": _text(response.get("search_terms")),
        "description": _text(response.get("description")),
    }


def points_of(key: dict) -> dict[str, Decimal]:
    """The points of each automatic criterion (0 when missing or malformed)."""
    given = as_dict(key.get("points"))
    points = {}
    for name in CRITERIA:
        value = parse_decimal(given.get(name, "0"))
        points[name] = value if value is not None and value > 0 else Decimal(0)
    return points


def variants_of(keyword: object) -> list[str]:
    return [
        v for v in as_list(as_dict(keyword).get("variants")) if isinstance(v, str) and v.strip()
    ]


def keywords_of(key: dict) -> list[dict]:
    return [
        {"variants": variants_of(k), "in_title": as_dict(k).get("in_title") is True}
        for k in as_list(key.get("keywords"))
        if variants_of(k)
    ]


def forbidden_terms(rules: dict, key: dict) -> list[str]:
    """Every term the listing must not contain: built in, the marketplace's, the teacher's."""
    extra = [t for t in as_list(key.get("forbidden")) if isinstance(t, str) and t.strip()]
    return list(dict.fromkeys([*BUILT_IN_FORBIDDEN, *rules["banned_words"], *extra]))


def rubric_total(key: dict) -> Decimal:
    total = Decimal(0)
    for criterion in as_list(key.get("rubric")):
        points = parse_decimal(as_dict(criterion).get("points"))
        total += points if points is not None and points > 0 else 0
    return total


# --- the automatic criteria ----------------------------------------------------------------


def evaluate(content: dict, key: dict, response: object) -> list[dict]:
    """Each automatic criterion worth points: its fraction met (0..1) and what was found."""
    rules, listing, points = rules_of(content), listing_of(response), points_of(key)
    title, bullets = listing["title"], [b for b in listing["bullets"] if b]
    whole = "\n".join([title, *bullets, listing["search_terms"], listing["description"]])
    found_text, title_text = normalise(whole), normalise(title)
    results = []

    def add(name: str, label: str, fraction: Fraction, detail: str) -> None:
        if points[name] > 0:
            results.append({"name": name, "label": label, "fraction": fraction, "detail": detail})

    limit = rules["title_max_chars"]
    not_allowed = unicodedata.normalize("NFKC", rules["title_banned_characters"])
    banned = sorted({c for c in unicodedata.normalize("NFKC", title) if c in not_allowed})
    detail = _("%(n)d of %(max)d characters") % {"n": count_chars(title), "max": limit}
    if banned:
        detail += "; " + _("characters not allowed: %(chars)s") % {"chars": " ".join(banned)}
    title_ok = bool(title) and count_chars(title) <= limit and not banned
    add("title", _("Title within the marketplace's rules"), Fraction(int(title_ok)), detail)

    keywords = keywords_of(key)
    hits = sum(
        any(contains(title_text if k["in_title"] else found_text, v) for v in k["variants"])
        for k in keywords
    )
    add(
        "keywords",
        _("Required keywords present"),
        Fraction(hits, len(keywords)) if keywords else Fraction(0),
        _("%(n)d of %(total)d required keywords") % {"n": hits, "total": len(keywords)},
    )

    used = [t for t in forbidden_terms(rules, key) if contains(found_text, t)]
    clean = bool(whole.strip()) and not used
    detail = (
        _("Found: %(terms)s") % {"terms": ", ".join(f"“{t}”" for t in used)}
        if used
        else (_("None found") if whole.strip() else _("The listing is empty"))
    )
    add("forbidden", _("No forbidden claims, brands or banned words"), Fraction(int(clean)), detail)

    low, high, most = rules["bullets_min"], rules["bullets_max"], rules["bullet_max_chars"]
    longest = max((count_chars(b) for b in bullets), default=0)
    bullets_ok = max(low, 1) <= len(bullets) <= high and longest <= most
    add(
        "bullets",
        _("Bullet points: count and length"),
        Fraction(int(bullets_ok)),
        ngettext(
            "%(n)d bullet point (%(low)d to %(high)d allowed), the longest %(long)d of "
            "%(most)d characters",
            "%(n)d bullet points (%(low)d to %(high)d allowed), the longest %(long)d of "
            "%(most)d characters",
            len(bullets),
        )
        % {"n": len(bullets), "low": max(low, 1), "high": high, "long": longest, "most": most},
    )

    terms, most_bytes = listing["search_terms"], rules["search_terms_max_bytes"]
    add(
        "search_terms",
        _("Search terms within the byte limit"),
        Fraction(int(bool(terms) and count_bytes(terms) <= most_bytes)),
        _("%(n)d of %(max)d bytes") % {"n": count_bytes(terms), "max": most_bytes},
    )

    description, most = listing["description"], rules["description_max_chars"]
    add(
        "description",
        _("Description within the limit"),
        Fraction(int(bool(description) and (most is None or count_chars(description) <= most))),
        _("%(n)d of %(max)d characters") % {"n": count_chars(description), "max": most}
        if most is not None
        else _("%(n)d characters") % {"n": count_chars(description)},
    )
    for result in results:
        result["max_points"] = points[result["name"]]
    return results


# --- checking a question -------------------------------------------------------------------


def check_rules(rules: object, problems: list[str]) -> None:
    """Check a rules snapshot as MarketplaceRules.snapshot() makes it."""
    if not isinstance(rules, dict):
        problems.append(_("Choose the marketplace rules the listing is written for."))
        return

    def whole(name: str, *, minimum: int, optional: bool = False) -> None:
        value = rules.get(name)
        if optional and value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            problems.append(
                _("The rules' '%(name)s' must be a whole number of at least %(min)d.")
                % {"name": name, "min": minimum}
            )

    code = rules.get("code")
    if not isinstance(code, str) or not re.fullmatch(r"[-a-z0-9_]{1,40}", code):
        problems.append(_("The rules need a marketplace code."))
    whole("version", minimum=1)
    check_text(rules.get("name"), _("The marketplace name"), problems, required=True)
    whole("title_max_chars", minimum=1)
    whole("bullets_min", minimum=0)
    whole("bullets_max", minimum=0)
    whole("search_terms_max_bytes", minimum=0)
    whole("description_max_chars", minimum=1, optional=True)
    if _count(rules.get("bullets_max")) > 0:
        whole("bullet_max_chars", minimum=1)
    if _count(rules.get("bullets_min")) > _count(rules.get("bullets_max")):
        problems.append(_("The rules ask for more bullet points than they allow."))
    if not isinstance(rules.get("title_banned_characters", ""), str):
        problems.append(_("The characters banned from titles must be text."))
    effective = rules.get("effective_from")
    if effective is not None and (
        not isinstance(effective, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", effective)
    ):
        problems.append(_("The rules' date must be written YYYY-MM-DD."))
    check_terms(rules.get("banned_words", []), _("The marketplace's banned words"), problems)


def check_terms(terms: object, what: str, problems: list[str]) -> None:
    if not isinstance(terms, list) or len(terms) > MAX_TERMS:
        problems.append(
            _("%(what)s must be a list of at most %(n)d words.") % {"what": what, "n": MAX_TERMS}
        )
        return
    if not all(isinstance(t, str) and t.strip() and len(t) <= MAX_TERM_CHARS for t in terms):
        problems.append(
            _("%(what)s must each be a word or phrase of at most %(n)d characters.")
            % {"what": what, "n": MAX_TERM_CHARS}
        )
