"""Marketplace rules: every edit is saved as the marketplace's next version.

Listing questions keep a snapshot of the version they were written against, so a new
version changes no question and no attempt; authors choose it for new questions.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ..kinds.listing_criteria import check_rules
from ..models import MarketplaceRules
from .errors import ExamError

RULE_FIELDS = (
    "name_en",
    "name_zh",
    "title_max_chars",
    "title_banned_characters",
    "bullets_min",
    "bullets_max",
    "bullet_max_chars",
    "search_terms_max_bytes",
    "description_max_chars",
    "banned_words",
    "effective_from",
    "sources",
)


def marketplace_rules_save(*, code: str, fields: dict, by=None) -> MarketplaceRules:
    """Save a marketplace's rules as its next version (a new marketplace starts at 1).

    Refuses rules a listing question could not use (ExamError), and rules identical to the
    current version.
    """
    rules = MarketplaceRules(code=code, created_by=by, **{n: fields[n] for n in RULE_FIELDS})
    if not rules.bullets_max:
        rules.bullet_max_chars = None
    problems: list[str] = []
    check_rules({**rules.snapshot(), "version": 1}, problems)
    if not rules.sources.strip():
        problems.append(_("Say where each limit is published."))
    if problems:
        raise ExamError(problems, code="invalid_rules")
    try:
        with transaction.atomic():
            current = MarketplaceRules.objects.of(code).select_for_update().first()
            if current is not None and _same(current, rules):
                raise ExamError(_("Nothing changed: no new version saved."), code="unchanged")
            latest = MarketplaceRules.objects.filter(code=code).aggregate(n=Max("version"))["n"]
            rules.version = (latest or 0) + 1
            rules.save()
    except IntegrityError as exc:
        # Two people saved the same marketplace at once: the other one got this number.
        raise ExamError(
            _("Someone saved these rules at the same moment; reload and check theirs."),
            code="conflict",
        ) from exc
    return rules


def _same(current: MarketplaceRules, new: MarketplaceRules) -> bool:
    return all(getattr(current, n) == getattr(new, n) for n in RULE_FIELDS)
