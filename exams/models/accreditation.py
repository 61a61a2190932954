"""Accredited assessment centres: which school may examine which levels of a standard, when."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from .standards import SkillLevel


class AccreditationQuerySet(models.QuerySet):
    def valid_on(self, on=None) -> "AccreditationQuerySet":
        """Within its period on `on` (a date; today by default), whatever its status."""
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )

    def in_force(self, on=None) -> "AccreditationQuerySet":
        """Active and within its period: new sittings may start under it."""
        return self.valid_on(on).filter(status=Accreditation.Status.ACTIVE)

    def covering(self, level: SkillLevel, *, school_id: int) -> "AccreditationQuerySet":
        """Accreditations of `school_id` for this level of the standard (any of its versions)."""
        return self.filter(
            school_id=school_id,
            standard__code=level.standard.code,
            standard__owner_id=level.standard.owner_id,
            level=level.level,
        )


class Accreditation(models.Model):
    """A government body lets a school (with an enterprise partner) assess one level of its
    standard for a period. The standard is matched by code, so a new version of the
    standard stays covered; suspension stops new sittings, never issued certificates."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    school = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="accreditations",
        limit_choices_to={"kind": Organization.Kind.SCHOOL},
        verbose_name=_("assessment centre (school)"),
    )
    enterprise_partner = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_accreditations",
        limit_choices_to={"kind": Organization.Kind.ENTERPRISE},
        verbose_name=_("enterprise partner"),
    )
    standard = models.ForeignKey(
        "exams.SkillStandard",
        on_delete=models.PROTECT,
        related_name="accreditations",
        verbose_name=_("skill standard"),
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=SkillLevel.Level.choices)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    note = models.TextField(_("note"), blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AccreditationQuerySet.as_manager()

    class Meta:
        ordering = ["school", "standard", "level", "-valid_from"]
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        indexes = [models.Index(fields=["school", "level", "status"])]

    def __str__(self) -> str:
        return f"{self.school} · {self.standard.code} · {self.get_level_display()}"

    def clean(self) -> None:
        if self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The period must end after it starts.")})
        if self.school_id and self.school.kind != Organization.Kind.SCHOOL:
            raise ValidationError({"school": _("Only a school can be an assessment centre.")})
