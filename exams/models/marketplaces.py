"""Marketplace rules (title and bullet limits, search-term bytes, banned words), versioned.

Editing a marketplace's rules makes a new version, never changes an old one. A listing
question keeps a snapshot of the version it was written against (exams.kinds.listing),
so grading reads no table and old attempts keep the rules they were marked with.
"""

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from organizations.models import localized


class MarketplaceRulesQuerySet(models.QuerySet):
    def current(self) -> "MarketplaceRulesQuerySet":
        """The latest version of each marketplace's rules, by marketplace code."""
        latest = (
            MarketplaceRules.objects.filter(code=OuterRef("code"))
            .order_by("-version")
            .values("pk")[:1]
        )
        return self.filter(pk=Subquery(latest)).order_by("code")

    def of(self, code: str) -> "MarketplaceRulesQuerySet":
        """Every version of one marketplace's rules, the latest first."""
        return self.filter(code=code).order_by("-version")


class MarketplaceRules(models.Model):
    """One version of what a marketplace allows in a listing; the latest version is current."""

    code = models.SlugField(_("marketplace code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    title_max_chars = models.PositiveIntegerField(_("title: most characters"))
    title_banned_characters = models.CharField(
        _("title: characters not allowed"), max_length=100, blank=True
    )
    bullets_min = models.PositiveSmallIntegerField(_("bullet points: at least"), default=0)
    bullets_max = models.PositiveSmallIntegerField(
        _("bullet points: at most"), default=0, help_text=_("0: the marketplace has none.")
    )
    bullet_max_chars = models.PositiveIntegerField(
        _("bullet point: most characters"), null=True, blank=True
    )
    search_terms_max_bytes = models.PositiveIntegerField(
        _("search terms: most bytes (UTF-8)"),
        default=0,
        help_text=_("0: the marketplace has no search-terms field."),
    )
    description_max_chars = models.PositiveIntegerField(
        _("description: most characters"),
        null=True,
        blank=True,
        help_text=_("Empty: no published limit."),
    )
    banned_words = models.JSONField(_("banned words and phrases"), default=list, blank=True)
    effective_from = models.DateField(
        _("in force from"), null=True, blank=True, help_text=_("Empty: no date was published.")
    )
    sources = models.TextField(
        _("sources"), help_text=_("Where each limit is published: page, address and date.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MarketplaceRulesQuerySet.as_manager()

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("marketplace rules")
        verbose_name_plural = _("marketplace rules")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="marketplace_rules_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def choice_value(self) -> str:
        """How a listing question's form names this version: code:version."""
        return f"{self.code}:{self.version}"

    def snapshot(self) -> dict:
        """What a listing question keeps of these rules (plain JSON values)."""
        return {
            "code": self.code,
            "version": self.version,
            "name": {"en": self.name_en, "zh-hans": self.name_zh},
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "title_max_chars": self.title_max_chars,
            "title_banned_characters": self.title_banned_characters,
            "bullets_min": self.bullets_min,
            "bullets_max": self.bullets_max,
            "bullet_max_chars": self.bullet_max_chars,
            "search_terms_max_bytes": self.search_terms_max_bytes,
            "description_max_chars": self.description_max_chars,
            "banned_words": list(self.banned_words),
        }
