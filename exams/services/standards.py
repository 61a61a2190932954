"""Skill standards and accreditations: drafting, publishing and versioning, accrediting schools.

A standard is written as a draft (its levels and their competencies), published once and
never changed after: a change is a new draft version copied from a published one. An
accreditation lets a school assess one level of a standard (any of its versions) for a
period; its status changes are written into its note with the reason and the day.
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Organization

from ..models import Accreditation, Attempt, Competency, SkillLevel, SkillStandard
from .auditing import audit
from .errors import ExamError

HUNDRED = Decimal(100)
STANDARD_TEXT_FIELDS = ("name_en", "name_zh", "description_en", "description_zh")
LEVEL_FIELDS = (
    "level",
    "name_en",
    "name_zh",
    "description_en",
    "description_zh",
    "theory_weight",
    "theory_minimum",
    "practical_weight",
    "practical_minimum",
    "total_minimum",
    "marking_tolerance",
    "validity_years",
    "prerequisite_level",
    "prerequisite_course",
)
COMPETENCY_FIELDS = ("code", "name_en", "name_zh", "weight")

# --- Accreditation ------------------------------------------------------------------------


def _overlapping(*, school_id: int, standard: SkillStandard, level: int, valid_from, valid_until):
    """Accreditations of the school for this level that share a day with the period."""
    rows = Accreditation.objects.filter(
        school_id=school_id,
        standard__code=standard.code,
        standard__owner_id=standard.owner_id,
        level=level,
    ).exclude(status=Accreditation.Status.WITHDRAWN)
    rows = rows.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
    if valid_until is not None:
        rows = rows.filter(valid_from__lte=valid_until)
    return rows


def accreditation_grant_problems(accreditation: Accreditation) -> list[str]:
    """What stops granting this (new, otherwise valid) accreditation; empty: nothing."""
    standard, level, school = accreditation.standard, accreditation.level, accreditation.school
    if standard.status != SkillStandard.Status.PUBLISHED:
        return [
            _("Only a published standard can be accredited: publish %(standard)s first.")
            % {"standard": standard}
        ]
    if not standard.levels.filter(level=level).exists():
        return [_("%(standard)s has no level %(level)s.") % {"standard": standard, "level": level}]
    overlapping = _overlapping(
        school_id=school.pk,
        standard=standard,
        level=level,
        valid_from=accreditation.valid_from,
        valid_until=accreditation.valid_until,
    )
    if overlapping.exists():
        return [
            _(
                "%(school)s is already accredited for level %(level)s of this standard "
                "during part of that period."
            )
            % {"school": school, "level": level}
        ]
    return []


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
    """Accredit a school to assess one level of a published standard for a period.

    Refused when the school already holds an accreditation (not withdrawn) for that level
    of the standard whose period shares a day with this one: renew after it ends instead.
    """
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
    problems = accreditation_grant_problems(accreditation)
    if problems:
        raise ExamError(problems, code="cannot_accredit")
    accreditation.save()
    audit.record(
        audit.Action.ACCREDITATION_GRANTED,
        obj=accreditation,
        actor=by,
        organization=school,
        authority=standard.owner_id,
        after={
            "status": accreditation.status,
            "standard": standard.code,
            "level": level,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "enterprise_partner": enterprise_partner.code if enterprise_partner else None,
        },
        note=note,
    )
    return accreditation


@transaction.atomic
def accreditations_grant(
    *,
    school: Organization,
    standard: SkillStandard,
    levels: Iterable[int],
    valid_from,
    valid_until=None,
    enterprise_partner: Organization | None = None,
    by=None,
    note: str = "",
) -> list[Accreditation]:
    """Accredit a school for several levels at once (one accreditation per level), all or
    none: if one level is refused, none is granted."""
    levels = sorted(set(levels))
    if not levels:
        raise ExamError(_("Choose at least one level."), code="no_levels")
    return [
        accreditation_grant(
            school=school,
            standard=standard,
            level=level,
            valid_from=valid_from,
            valid_until=valid_until,
            enterprise_partner=enterprise_partner,
            by=by,
            note=note,
        )
        for level in levels
    ]


# Which status each status may change to: a withdrawal is final (certificates sat under a
# withdrawn accreditation are no longer issued), a suspension can be lifted.
STATUS_CHANGES = {
    Accreditation.Status.ACTIVE: {Accreditation.Status.SUSPENDED, Accreditation.Status.WITHDRAWN},
    Accreditation.Status.SUSPENDED: {Accreditation.Status.ACTIVE, Accreditation.Status.WITHDRAWN},
    Accreditation.Status.WITHDRAWN: set(),
}


ACCREDITATION_ACTIONS = {
    Accreditation.Status.ACTIVE: audit.Action.ACCREDITATION_REINSTATED,
    Accreditation.Status.SUSPENDED: audit.Action.ACCREDITATION_SUSPENDED,
    Accreditation.Status.WITHDRAWN: audit.Action.ACCREDITATION_WITHDRAWN,
}


def status_change_problem(current: str, status: str) -> str | None:
    """Why an accreditation may not go from `current` to `status` (None: it may)."""
    if status == current or status in STATUS_CHANGES[current]:
        return None
    return _("A withdrawn accreditation cannot change: grant a new one instead.")


@transaction.atomic
def accreditation_set_status(
    *, accreditation: Accreditation, status: str, by=None, reason: str = ""
) -> Accreditation:
    """Suspend, reinstate or withdraw: a suspension stops new sittings, never certificates.

    A withdrawal is final. The reason, when given, is added to the note with the day and
    the new status (never the name of who changed it).
    """
    if status not in Accreditation.Status.values:
        raise ExamError(_("Unknown status."), code="unknown_status")
    current = (
        Accreditation.objects.select_for_update(of=("self",))
        .select_related("standard")
        .get(pk=accreditation.pk)
    )
    if status == current.status:
        accreditation.status = status
        return accreditation
    problem = status_change_problem(current.status, status)
    if problem:
        raise ExamError(problem, code="withdrawn")
    accreditation.status = status
    fields = ["status"]
    reason = reason.strip()
    if reason:
        # Stored once and read in either language: the status by its code, not its label.
        line = f"{timezone.localdate().isoformat()} · {status}: {reason}"
        accreditation.note = f"{current.note.rstrip()}\n{line}".strip()
        fields.append("note")
    accreditation.save(update_fields=fields)
    audit.record(
        ACCREDITATION_ACTIONS[status],
        obj=accreditation,
        actor=by,
        organization=current.school_id,
        authority=current.standard.owner_id,
        label=str(current),
        before={"status": current.status},
        after={"status": status},
        note=reason,
    )
    return accreditation


def accreditations_for_attempts(attempt_ids: Iterable[int]) -> dict[int, Accreditation]:
    """The accreditation each attempt was sat under (as `attempt_accreditation` finds it, for
    many attempts in two queries); attempts sat under none are left out."""
    attempts = list(
        Attempt.objects.filter(pk__in=set(attempt_ids), exam__skill_level__isnull=False).values(
            "pk",
            "started_at",
            "exam__organization_id",
            "exam__skill_level__level",
            "exam__skill_level__standard__code",
            "exam__skill_level__standard__owner_id",
        )
    )
    if not attempts:
        return {}

    def key_of(row: dict) -> tuple:
        return (
            row["exam__organization_id"],
            row["exam__skill_level__level"],
            row["exam__skill_level__standard__code"],
            row["exam__skill_level__standard__owner_id"],
        )

    wanted = Q()
    for school_id, level, code, owner_id in {key_of(row) for row in attempts}:
        wanted |= Q(
            school_id=school_id, level=level, standard__code=code, standard__owner_id=owner_id
        )
    candidates = defaultdict(list)
    rows = (
        Accreditation.objects.filter(wanted)
        .exclude(status=Accreditation.Status.WITHDRAWN)
        .select_related("school", "enterprise_partner", "standard__owner")
        .order_by("-valid_from", "-pk")
    )
    for accreditation in rows:
        key = (
            accreditation.school_id,
            accreditation.level,
            accreditation.standard.code,
            accreditation.standard.owner_id,
        )
        candidates[key].append(accreditation)
    found = {}
    for row in attempts:
        day = timezone.localdate(row["started_at"])
        for accreditation in candidates.get(key_of(row), ()):
            if accreditation.valid_from <= day and (
                accreditation.valid_until is None or accreditation.valid_until >= day
            ):
                found[row["pk"]] = accreditation
                break
    return found


# --- Standards: drafts ----------------------------------------------------------------------


def _locked_draft(standard: SkillStandard) -> SkillStandard:
    """The standard's row, locked against a concurrent publish; refused unless a draft."""
    locked = SkillStandard.objects.select_for_update().get(pk=standard.pk)
    if not locked.is_editable:
        raise ExamError(
            _("%(standard)s is published and can no longer change: start a new version.")
            % {"standard": locked},
            code="not_draft",
        )
    return locked


@transaction.atomic
def standard_create(
    *,
    owner: Organization,
    code: str,
    name_en: str,
    name_zh: str,
    description_en: str = "",
    description_zh: str = "",
    by=None,
) -> SkillStandard:
    """A new standard: version 1, a draft without levels yet."""
    if owner.kind != Organization.Kind.GOVERNMENT:
        raise ExamError(_("Only a government body owns skill standards."), code="not_government")
    if SkillStandard.objects.filter(code=code).exists():
        raise ExamError(
            _("A standard with the code %(code)s exists: start a new version of it instead.")
            % {"code": code},
            code="code_taken",
        )
    standard = SkillStandard(
        code=code,
        version=1,
        owner=owner,
        name_en=name_en,
        name_zh=name_zh,
        description_en=description_en,
        description_zh=description_zh,
    )
    try:
        standard.full_clean()
    except ValidationError as exc:
        raise ExamError(exc.messages, code="invalid_standard") from exc
    standard.save()
    return standard


@transaction.atomic
def standard_update(
    *,
    standard: SkillStandard,
    name_en: str,
    name_zh: str,
    description_en: str = "",
    description_zh: str = "",
    by=None,
) -> SkillStandard:
    """Change a draft's names and descriptions."""
    _locked_draft(standard)
    standard.name_en, standard.name_zh = name_en, name_zh
    standard.description_en, standard.description_zh = description_en, description_zh
    standard.save(update_fields=list(STANDARD_TEXT_FIELDS))
    return standard


def competency_problems(competencies: list[dict]) -> list[str]:
    """What is wrong with a level's competencies: the rule is that codes are unique and,
    when a level lists any, their weights add up to 100."""
    problems = []
    codes = [row["code"] for row in competencies]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        problems.append(
            _("Each competency needs its own code: %(codes)s repeated.")
            % {"codes": ", ".join(repeated)}
        )
    total = sum((Decimal(row["weight"]) for row in competencies), Decimal(0))
    if competencies and total != HUNDRED:
        problems.append(
            _("The competencies' weights must add up to 100 (they add up to %(total)s).")
            % {"total": format(total.normalize(), "f")}
        )
    return problems


@transaction.atomic
def level_save(
    *,
    standard: SkillStandard,
    level: SkillLevel | None,
    fields: dict,
    competencies: list[dict],
    by=None,
) -> SkillLevel:
    """Create or change one level of a draft with all its competencies, all or nothing.

    `fields` holds LEVEL_FIELDS; `competencies` is the level's whole list
    ([{"code", "name_en", "name_zh", "weight"}]): competencies not in it are removed.
    """
    _locked_draft(standard)
    if level is None:
        level = SkillLevel(standard=standard)
    elif level.standard_id != standard.pk:
        raise ExamError(_("That level belongs to another standard."), code="wrong_standard")
    for name in LEVEL_FIELDS:
        if name in fields:
            setattr(level, name, fields[name])
    problems = []
    taken = standard.levels.exclude(pk=level.pk).filter(level=level.level)
    if taken.exists():
        problems.append(_("This standard already has level %(level)s.") % {"level": level.level})
    prerequisite = level.prerequisite_level
    if prerequisite is not None and (
        prerequisite.standard_id != standard.pk or prerequisite.level >= level.level
    ):
        problems.append(_("A level can only require a lower level of the same standard version."))
    problems += competency_problems(competencies)
    try:
        level.full_clean(exclude=["standard"])
    except ValidationError as exc:
        problems += exc.messages
    if problems:
        raise ExamError(problems, code="invalid_level")
    level.save()
    kept = {row["code"] for row in competencies}
    level.competencies.exclude(code__in=kept).delete()
    existing = {competency.code: competency for competency in level.competencies.all()}
    for row in competencies:
        competency = existing.get(row["code"]) or Competency(level=level, code=row["code"])
        for name in COMPETENCY_FIELDS:
            setattr(competency, name, row[name])
        try:
            competency.full_clean(exclude=["level"])
        except ValidationError as exc:
            raise ExamError(exc.messages, code="invalid_competency") from exc
        competency.save()
    return level


@transaction.atomic
def level_delete(*, level: SkillLevel, by=None) -> None:
    """Remove a level (and its competencies) from a draft."""
    _locked_draft(level.standard)
    if SkillLevel.objects.filter(prerequisite_level=level).exists():
        raise ExamError(
            _("Another level requires this one: change that level first."), code="required"
        )
    level.delete()


def standard_problems(standard: SkillStandard) -> list[str]:
    """Everything that stops a draft from being published (empty: it may be)."""
    levels = list(standard.levels.prefetch_related("competencies"))
    if not levels:
        return [_("Add at least one level before publishing.")]
    problems = []
    for level in levels:
        if level.theory_weight + level.practical_weight != HUNDRED:
            problems.append(
                _("Level %(level)s: the theory and practical weights must add up to 100.")
                % {"level": level.level}
            )
        rows = [{"code": c.code, "weight": c.weight} for c in level.competencies.all()]
        problems += [
            _("Level %(level)s: %(problem)s") % {"level": level.level, "problem": problem}
            for problem in competency_problems(rows)
        ]
    return problems


# --- Standards: publishing and versions -----------------------------------------------------


@transaction.atomic
def standard_publish(*, standard: SkillStandard, by) -> SkillStandard:
    """Publish a draft: from now on it never changes (a change is a new version)."""
    locked = SkillStandard.objects.select_for_update().get(pk=standard.pk)
    if locked.status != SkillStandard.Status.DRAFT:
        raise ExamError(_("Only a draft standard can be published."), code="not_draft")
    problems = standard_problems(locked)
    if problems:
        code = "no_levels" if not locked.levels.exists() else "invalid_standard"
        raise ExamError(problems, code=code)
    standard.status = SkillStandard.Status.PUBLISHED
    standard.published_at = timezone.now()
    standard.published_by = by
    standard.save(update_fields=["status", "published_at", "published_by"])
    audit.record(
        audit.Action.STANDARD_PUBLISHED,
        obj=standard,
        actor=by,
        organization=locked.owner_id,
        authority=locked.owner_id,
        before={"status": locked.status},
        after={"status": standard.status, "code": locked.code, "version": locked.version},
    )
    return standard


@transaction.atomic
def standard_new_version(*, standard: SkillStandard, by=None) -> SkillStandard:
    """A published standard never changes: a change starts a draft copy with the next number.

    Its levels, their competencies and prerequisites (mapped to the copies) come along.
    Refused from a draft, and while another draft of the same standard is open.
    """
    versions = list(SkillStandard.objects.select_for_update().filter(code=standard.code))
    if standard.status == SkillStandard.Status.DRAFT:
        raise ExamError(
            _("A draft is still being written: publish it before starting another version."),
            code="draft",
        )
    open_drafts = [v for v in versions if v.status == SkillStandard.Status.DRAFT]
    if open_drafts:
        raise ExamError(
            _("Version %(version)s is already a draft: finish or publish it first.")
            % {"version": open_drafts[0].version},
            code="draft_exists",
        )
    latest = max(v.version for v in versions)
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
    copies: dict[int, SkillLevel] = {}
    prerequisites: dict[int, int | None] = {}
    for level in standard.levels.prefetch_related("competencies").order_by("level"):
        old_pk = level.pk
        competencies = list(level.competencies.all())
        prerequisites[old_pk] = level.prerequisite_level_id
        level.pk = None
        level.standard = draft
        level.prerequisite_level = None
        level.save()
        copies[old_pk] = level
        Competency.objects.bulk_create(
            Competency(
                level=level, code=c.code, name_en=c.name_en, name_zh=c.name_zh, weight=c.weight
            )
            for c in competencies
        )
    for old_pk, required in prerequisites.items():
        if required in copies:
            copy = copies[old_pk]
            copy.prerequisite_level = copies[required]
            copy.save(update_fields=["prerequisite_level"])
    return draft
