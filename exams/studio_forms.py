"""Forms of the teacher's studio: banks (create, filter, bulk edits) and the exam builder
(settings, sections and blueprint rows). Validation of what the data allows stays in
exams.services; these check what a person typed."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.models import Course
from organizations.models import Organization

from . import access, kinds
from .models import (
    BlueprintRule,
    Exam,
    ExamSection,
    QuestionBank,
    QuestionTag,
    SkillLevel,
    SkillStandard,
)

DIFFICULTIES = [(1, "1"), (2, "2"), (3, "3")]
NO_COMPETENCY = "-"  # the filter's value for questions without a competency code


def author_schools(user):
    """The schools whose banks and exams `user` writes."""
    schools = Organization.objects.filter(kind=Organization.Kind.SCHOOL, is_active=True)
    if access.is_platform_admin(user):
        return schools
    return schools.filter(pk__in=access.author_school_ids(user))


def _school_field(form: forms.Form, user) -> None:
    """The school is asked for only when the user writes for more than one."""
    schools = author_schools(user).order_by("name_en")
    field = form.fields["organization"]
    field.queryset = schools
    if len(schools) == 1:
        field.initial = schools[0].pk
        field.widget = forms.HiddenInput()


# --- Banks ----------------------------------------------------------------------------------


class BankForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    organization = forms.ModelChoiceField(label=_("School"), queryset=Organization.objects.none())
    standard = forms.ModelChoiceField(
        label=_("Skill standard"),
        queryset=SkillStandard.objects.published().order_by("code", "-version"),
        required=False,
        help_text=_("Optional: the standard whose competencies the questions are tagged with."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _school_field(self, user)


class QuestionFilterForm(forms.Form):
    """The bank page's search and filters (GET); every field optional."""

    STATUS = [("active", _("Active")), ("retired", _("Retired")), ("all", _("All"))]
    USAGE = [("", _("Any use")), ("used", _("Seen by students")), ("unused", _("Never seen"))]
    FACILITY = [
        ("", _("Any facility")),
        ("hard", _("Hard (below 0.3)")),
        ("medium", _("Medium (0.3 to 0.7)")),
        ("easy", _("Easy (above 0.7)")),
        ("none", _("No graded answers")),
    ]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    competency = forms.ChoiceField(label=_("Competency"), required=False)
    difficulty = forms.TypedChoiceField(
        label=_("Difficulty"),
        choices=[("", _("Any difficulty")), *DIFFICULTIES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    tag = forms.TypedChoiceField(label=_("Tag"), coerce=int, empty_value=None, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS, required=False)
    usage = forms.ChoiceField(label=_("Use"), choices=USAGE, required=False)
    facility = forms.ChoiceField(label=_("Facility"), choices=FACILITY, required=False)

    def __init__(self, *args, competencies: list[str], tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("Any tag"))] + [(tag.pk, tag.name) for tag in tags]
        self.fields["kind"].choices = [("", _("Any kind"))] + [
            (name, kind.label) for name, kind in kinds.REGISTRY.items()
        ]
        self.fields["competency"].choices = [("", _("Any competency"))] + [
            (code or NO_COMPETENCY, code or _("(no competency)")) for code in competencies
        ]

    def filters(self) -> dict:
        """The cleaned filters, defaults for anything invalid (a filter never errors)."""
        if not self.is_valid():
            return {"status": "active"}
        return {**self.cleaned_data, "status": self.cleaned_data["status"] or "active"}


class BulkForm(forms.Form):
    ACTIONS = [
        ("retire", _("Retire")),
        ("restore", _("Restore")),
        ("move", _("Move to bank")),
        ("tag", _("Add the tag")),
        ("untag", _("Remove the tag")),
    ]
    action = forms.ChoiceField(label=_("With the selected questions"), choices=ACTIONS)
    target = forms.ModelChoiceField(
        label=_("Bank"), queryset=QuestionBank.objects.none(), required=False
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=50)
    questions = forms.TypedMultipleChoiceField(coerce=int, error_messages={
        "required": _("Select at least one question."),
    })  # fmt: skip

    def __init__(self, *args, bank: QuestionBank, question_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].choices = [(pk, pk) for pk in question_ids]
        self.fields["target"].queryset = QuestionBank.objects.filter(
            organization_id=bank.organization_id
        ).exclude(pk=bank.pk)

    def clean(self):
        data = super().clean()
        if data.get("action") == "move" and not data.get("target"):
            self.add_error("target", _("Choose the bank to move the questions to."))
        if data.get("action") in ("tag", "untag") and not (data.get("tag") or "").strip():
            self.add_error("tag", _("Type the tag to add or remove."))
        return data


# --- Exam builder ---------------------------------------------------------------------------


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ExamSettingsForm(forms.ModelForm):
    class Meta:
        model = Exam
        fields = [
            "title_en",
            "title_zh",
            "instructions_en",
            "instructions_zh",
            "organization",
            "skill_level",
            "course",
            "banks",
            "time_limit_minutes",
            "attempts_allowed",
            "attempt_delay_minutes",
            "opens_at",
            "closes_at",
            "shuffle_questions",
            "shuffle_options",
            "review",
            "release_results",
        ]
        widgets = {
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "instructions_en": forms.Textarea(attrs={"rows": 3}),
            "instructions_zh": forms.Textarea(attrs={"rows": 3}),
            "banks": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _school_field(self, user)
        schools = self.fields["organization"].queryset
        self.fields["banks"].queryset = (
            QuestionBank.objects.filter(organization__in=schools)
            .select_related("organization")
            .order_by("organization__name_en", "name")
        )
        self.fields["course"].queryset = Course.objects.filter(school__in=schools).order_by("code")
        levels = SkillLevel.objects.select_related("standard").order_by(
            "standard__code", "-standard__version", "level"
        )
        current = self.instance.skill_level_id
        # Published standards, and the level the exam has already (even if since retired).
        self.fields["skill_level"].queryset = levels.filter(
            Q(standard__status=SkillStandard.Status.PUBLISHED) | Q(pk=current)
        )
        self.fields["skill_level"].help_text = _(
            "Empty: a school exam without a standard certificate."
        )
        self.fields["skill_level"].empty_label = _("None: a school exam")
        self.fields["course"].empty_label = _("None: any student may sit it")
        self.fields["banks"].help_text = _("The blueprint rows draw from these banks.")

    def clean(self):
        data = super().clean()
        school = data.get("organization")
        if school is not None:
            if any(bank.organization_id != school.pk for bank in data.get("banks") or []):
                self.add_error("banks", _("Choose banks of the exam's school only."))
            course = data.get("course")
            if course is not None and course.school_id != school.pk:
                self.add_error("course", _("Choose a course of the exam's school."))
        return data

    def fields_to_save(self) -> dict:
        """Everything but the banks (a many-to-many), for exams.services.exam_save."""
        return {name: value for name, value in self.cleaned_data.items() if name != "banks"}


class SectionForm(forms.Form):
    part = forms.ChoiceField(
        label=_("Part"), choices=[("", "—"), *ExamSection.Part.choices], required=True
    )


class _KeptRowsMixin:
    """A row whose `key_field` was filled in is validated even if it equals its initial
    value (an extra row is otherwise skipped when unchanged). Rows sit in a table whose
    header names the columns, so each control carries its name for screen readers."""

    key_field = ""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")
        row = _("new row") if index is None else index + 1
        for field in form.fields.values():
            field.widget.attrs["aria-label"] = f"{field.label} ({row})"

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.is_bound and (self.data.get(form.add_prefix(self.key_field)) or "").strip():
            form.empty_permitted = False
            form.use_required_attribute = False
        return form


class BaseSectionFormSet(_KeptRowsMixin, forms.BaseFormSet):
    key_field = "part"

    def clean(self):
        if any(self.errors):
            return
        parts = self.parts()
        if len(parts) != len(set(parts)):
            raise forms.ValidationError(_("Each part appears once; remove the repeated section."))
        if not parts:
            raise forms.ValidationError(_("Add at least one section."))

    def parts(self) -> list[str]:
        """The sections' parts in the order shown."""
        return [
            f.cleaned_data["part"]
            for f in self.forms
            if f.cleaned_data.get("part") and not self._should_delete_form(f)
        ]


SectionFormSet = forms.formset_factory(
    SectionForm, formset=BaseSectionFormSet, extra=1, max_num=2, can_delete=True
)


def kind_choices() -> list[tuple[str, str]]:
    return [
        ("", _("Any kind")),
        (BlueprintRule.OBJECTIVE, _("Any automatically marked kind")),
        *((name, kind.label) for name, kind in kinds.REGISTRY.items()),
    ]


class RuleForm(forms.Form):
    part = forms.ChoiceField(
        label=_("Part"), choices=ExamSection.Part.choices, initial=ExamSection.Part.THEORY
    )
    competency = forms.SlugField(label=_("Competency"), max_length=40, required=False)
    difficulty = forms.TypedChoiceField(
        label=_("Difficulty"), choices=DIFFICULTIES, coerce=int, initial=1
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=kind_choices, required=False)
    count = forms.IntegerField(label=_("Questions"), min_value=1, max_value=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].widget.attrs["list"] = "competency-codes"
        self.fields["count"].widget.attrs["class"] = "narrow"

    def rule(self) -> BlueprintRule:
        """An unsaved rule of what the row says (for counting matching questions)."""
        data = self.cleaned_data
        return BlueprintRule(
            competency=data.get("competency") or "",
            difficulty=data.get("difficulty") or 1,
            kind=data.get("kind") or "",
            count=data.get("count") or 0,
        )


class BaseRuleFormSet(_KeptRowsMixin, forms.BaseFormSet):
    key_field = "count"

    def rows(self) -> list[dict]:
        return [
            {
                "part": f.cleaned_data["part"],
                "competency": f.cleaned_data.get("competency") or "",
                "difficulty": f.cleaned_data["difficulty"],
                "kind": f.cleaned_data.get("kind") or "",
                "count": f.cleaned_data["count"],
            }
            for f in self.forms
            if f.cleaned_data and not self._should_delete_form(f)
        ]


RuleFormSet = forms.formset_factory(RuleForm, formset=BaseRuleFormSet, extra=1, can_delete=True)


def sections_for_save(parts: list[str], rows: list[dict]) -> tuple[list[dict], list[str]]:
    """exam_save's sections from the two formsets, and what is wrong with them together."""
    problems = []
    labels = dict(ExamSection.Part.choices)
    for row in rows:
        if row["part"] not in parts:
            problems.append(
                _("A row draws into the %(part)s part, which has no section; add the section.")
                % {"part": labels[row["part"]]}
            )
    sections = []
    for part in parts:
        rules = [
            {k: v for k, v in row.items() if k != "part"} for row in rows if row["part"] == part
        ]
        if not rules:
            problems.append(
                _("The %(part)s section has no rows; add a row or remove the section.")
                % {"part": labels[part]}
            )
        sections.append({"part": part, "rules": rules})
    return sections, list(dict.fromkeys(str(p) for p in problems))


class TagRenameForm(forms.Form):
    tag = forms.ModelChoiceField(label=_("Tag"), queryset=QuestionTag.objects.none())
    name = forms.CharField(label=_("New name"), max_length=QuestionTag.MAX_LENGTH)

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = tags


class TagMergeForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Merge the tag"), queryset=QuestionTag.objects.none())
    target = forms.ModelChoiceField(label=_("into"), queryset=QuestionTag.objects.none())

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = self.fields["target"].queryset = tags

    def clean(self):
        data = super().clean()
        source, target = data.get("source"), data.get("target")
        if source and target and source == target:
            self.add_error("target", _("Choose another tag to merge into."))
        elif source and target and source.organization_id != target.organization_id:
            self.add_error("target", _("Tags of different schools cannot be merged."))
        return data
