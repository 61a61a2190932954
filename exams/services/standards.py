"""Skill standards and accreditations: publishing and versioning, accrediting schools."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Organization

from ..models import (
    Accreditation,
    SkillStandard,
)
from .errors import ExamError

# --- Accreditation ------------------------------------------------------------------------


@transaction.atomic
def accreditation_grant(
    *,
    school: Organization,
    standard: SkillStandard,
    level: int,
    valid_from,
    valid_until=None,
    enterprise_partner: Organization | None = None,
    by=None,
    note: str = "",
) -> Accreditation:
    """Accredit a school to assess one level of a standard (of its owner's) for a period."""
    accreditation = Accreditation(
        school=school,
        standard=standard,
        level=level,
        valid_from=valid_from,
        valid_until=valid_until,
        enterprise_partner=enterprise_partner,
        granted_by=by,
        note=note,
    )
    try:
        accreditation.full_clean()
    except ValidationError as exc:
        raise ExamError(exc.messages, code="invalid_accreditation") from exc
    if not standard.levels.filter(level=level).exists():
        raise ExamError(
            _("%(standard)s has no level %(level)s.") % {"standard": standard, "level": level},
            code="no_level",
        )
    accreditation.save()
    return accreditation


@transaction.atomic
def accreditation_set_status(
    *, accreditation: Accreditation, status: str, by=None
) -> Accreditation:
    """Suspend, reinstate or withdraw: a suspension stops new sittings, never certificates."""
    accreditation.status = status
    accreditation.save(update_fields=["status"])
    return accreditation


# --- Standards ----------------------------------------------------------------------------


@transaction.atomic
def standard_publish(*, standard: SkillStandard, by) -> SkillStandard:
    if standard.status != SkillStandard.Status.DRAFT:
        raise ExamError(_("Only a draft standard can be published."), code="not_draft")
    if not standard.levels.exists():
        raise ExamError(_("Add at least one level before publishing."), code="no_levels")
    standard.status = SkillStandard.Status.PUBLISHED
    standard.published_at = timezone.now()
    standard.published_by = by
    standard.save(update_fields=["status", "published_at", "published_by"])
    return standard


@transaction.atomic
def standard_new_version(*, standard: SkillStandard, by=None) -> SkillStandard:
    """A published standard never changes: a change starts a draft copy with the next number."""
    latest = SkillStandard.objects.filter(code=standard.code).aggregate(n=Max("version"))["n"]
    draft = SkillStandard.objects.create(
        code=standard.code,
        version=latest + 1,
        name_en=standard.name_en,
        name_zh=standard.name_zh,
        description_en=standard.description_en,
        description_zh=standard.description_zh,
        owner=standard.owner,
        previous=standard,
    )
    for level in standard.levels.prefetch_related("competencies"):
        competencies = list(level.competencies.all())
        level.pk = None
        level.standard = draft
        level.prerequisite_level = None
        level.save()
        for competency in competencies:
            competency.pk = None
            competency.level = level
            competency.save()
    return draft
