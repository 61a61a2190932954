"""Two versions of a skill standard side by side: what changed per field, level and competency.

Pure over model instances: the caller prefetches each standard's levels (with their
competencies, prerequisite level and course), so comparing costs no query.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .models import Competency, SkillLevel, SkillStandard
from .services.standards import COMPETENCY_FIELDS as VERSIONED_COMPETENCY_FIELDS
from .services.standards import LEVEL_FIELDS as VERSIONED_LEVEL_FIELDS
from .services.standards import STANDARD_TEXT_FIELDS

# The fields a version copies, less the keys levels and competencies are matched by.
STANDARD_FIELDS = STANDARD_TEXT_FIELDS
LEVEL_FIELDS = tuple(f for f in VERSIONED_LEVEL_FIELDS if f != "level")
COMPETENCY_FIELDS = tuple(f for f in VERSIONED_COMPETENCY_FIELDS if f != "code")

ADDED, REMOVED, CHANGED, SAME = "added", "removed", "changed", "same"
STATE_LABELS = {
    ADDED: _("Added"),
    REMOVED: _("Removed"),
    CHANGED: _("Changed"),
    SAME: _("Unchanged"),
}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass
class CompetencyDiff:
    code: str
    state: str
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class LevelDiff:
    number: int
    state: str
    fields: list[FieldChange] = field(default_factory=list)
    competencies: list[CompetencyDiff] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class StandardDiff:
    old: SkillStandard
    new: SkillStandard
    fields: list[FieldChange]
    levels: list[LevelDiff]

    @property
    def changed(self) -> bool:
        return any(f.changed for f in self.fields) or any(lv.state != SAME for lv in self.levels)


def show(value) -> str:
    """A field's value as the comparison prints it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, SkillLevel):
        return str(value.get_level_display())
    return str(value)  # text, a number, or a course ("code · title")


def _fields(model, names, old, new) -> list[FieldChange]:
    return [
        FieldChange(
            label=str(model._meta.get_field(name).verbose_name),
            old=show(getattr(old, name)) if old is not None else "—",
            new=show(getattr(new, name)) if new is not None else "—",
        )
        for name in names
    ]


def _state(old, new, fields: list[FieldChange], children=()) -> str:
    if old is None:
        return ADDED
    if new is None:
        return REMOVED
    if any(f.changed for f in fields) or any(child.state != SAME for child in children):
        return CHANGED
    return SAME


def _competencies(old: SkillLevel | None, new: SkillLevel | None) -> list[CompetencyDiff]:
    before = {c.code: c for c in (old.competencies.all() if old else [])}
    after = {c.code: c for c in (new.competencies.all() if new else [])}
    diffs = []
    for code in sorted(before.keys() | after.keys()):
        a, b = before.get(code), after.get(code)
        fields = _fields(Competency, COMPETENCY_FIELDS, a, b)
        diffs.append(CompetencyDiff(code=code, state=_state(a, b, fields), fields=fields))
    return diffs


def compare(old: SkillStandard, new: SkillStandard) -> StandardDiff:
    """What changed from `old` to `new`: levels are matched by number, competencies by code."""
    before = {level.level: level for level in old.levels.all()}
    after = {level.level: level for level in new.levels.all()}
    levels = []
    for number in sorted(before.keys() | after.keys()):
        a, b = before.get(number), after.get(number)
        fields = _fields(SkillLevel, LEVEL_FIELDS, a, b)
        competencies = _competencies(a, b)
        levels.append(
            LevelDiff(
                number=number,
                state=_state(a, b, fields, competencies),
                fields=fields,
                competencies=competencies,
            )
        )
    return StandardDiff(
        old=old, new=new, fields=_fields(SkillStandard, STANDARD_FIELDS, old, new), levels=levels
    )
