"""Forms of the standards workspace: a standard, a level with its competencies, accrediting a
school and changing an accreditation's status. They validate; the services write."""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Course
from organizations.models import Organization

from .models import Accreditation, SkillLevel, SkillStandard
from .services.standards import LEVEL_FIELDS, competency_problems

SEARCH_LIMIT = 20


class StandardForm(forms.ModelForm):
    """A standard's names and descriptions; its code and owner only when it is created."""

    class Meta:
        model = SkillStandard
        fields = ["code", "owner", "name_en", "name_zh", "description_en", "description_zh"]
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "description_zh": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "code": _(
                "Letters, digits and hyphens, e.g. cbec-platform-operation. It never changes."
            ),
        }

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["code"], self.fields["owner"]
        else:
            self.fields["owner"].queryset = owners
            only = list(owners[:2])
            if len(only) == 1:
                self.fields["owner"].initial = only[0].pk

    def clean_code(self):
        code = self.cleaned_data["code"]
        if SkillStandard.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("A standard with this code exists: start a new version of it instead."),
                code="code_taken",
            )
        return code


class SkillLevelForm(forms.ModelForm):
    """One level: its exam parts and pass rule, eligibility and certificate life."""

    class Meta:
        model = SkillLevel
        fields = list(LEVEL_FIELDS)  # what a new version copies, no more and no less
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "description_zh": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, standard: SkillStandard, **kwargs):
        super().__init__(*args, **kwargs)
        self.standard = standard
        self.instance.standard = standard
        others = standard.levels.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["prerequisite_level"].queryset = others
        self.fields["prerequisite_course"].queryset = Course.objects.published().order_by("code")
        self.fields["theory_weight"].help_text = _(
            "The theory and practical weights add up to 100."
        )

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("level")
        if number and self.standard.levels.exclude(pk=self.instance.pk).filter(level=number):
            self.add_error("level", _("This standard already has this level."))
        prerequisite = cleaned.get("prerequisite_level")
        if number and prerequisite and prerequisite.level >= number:
            self.add_error("prerequisite_level", _("A level can only require a lower level."))
        return cleaned

    def level_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CompetencyForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    weight = forms.DecimalField(
        label=_("Weight (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
    )


class BaseCompetencyFormSet(forms.BaseFormSet):
    """A level's competencies: codes unique and, when there are any, weights adding up to 100."""

    def rows(self) -> list[dict]:
        return [
            {name: form.cleaned_data[name] for name in ("code", "name_en", "name_zh", "weight")}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        if any(self.errors):
            return
        problems = competency_problems(self.rows())
        if problems:
            raise forms.ValidationError(problems, code="competencies")


CompetencyFormSet = forms.formset_factory(
    CompetencyForm, formset=BaseCompetencyFormSet, extra=3, can_delete=True, max_num=50
)


def competency_initial(level: SkillLevel | None) -> list[dict]:
    if level is None:
        return []
    return [
        {"code": c.code, "name_en": c.name_en, "name_zh": c.name_zh, "weight": c.weight}
        for c in level.competencies.all()
    ]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def schools_matching(text: str):
    """Active schools whose name (either language) or code contains `text`."""
    schools = Organization.objects.filter(kind=Organization.Kind.SCHOOL, is_active=True)
    text = text.strip()
    if text:
        schools = schools.filter(
            Q(name_en__icontains=text) | Q(name_zh__icontains=text) | Q(code__icontains=text)
        )
    return schools.order_by("name_en")


def _organisation_label(organization: Organization) -> str:
    region = f" · {organization.region}" if organization.region else ""
    return f"{organization.name} ({organization.code}){region}"


class AccreditForm(forms.Form):
    """Accredit one school for one or more levels of a standard, for a period.

    The school is chosen among the (at most SEARCH_LIMIT) schools the search found; the
    chosen one stays a choice when the form comes back with errors.
    """

    school = forms.ModelChoiceField(
        label=_("School (assessment centre)"),
        queryset=Organization.objects.filter(kind=Organization.Kind.SCHOOL, is_active=True),
        widget=forms.RadioSelect,
        error_messages={"required": _("Search for a school and choose it.")},
    )
    enterprise_partner = forms.ModelChoiceField(
        label=_("Enterprise partner (optional)"),
        queryset=Organization.objects.filter(
            kind=Organization.Kind.ENTERPRISE, is_active=True
        ).order_by("name_en"),
        required=False,
    )
    levels = forms.TypedMultipleChoiceField(
        label=_("Levels"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One accreditation is granted per level chosen."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty for no end date."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, standard: SkillStandard, search: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["levels"].choices = [
            (level.level, level.get_level_display()) for level in standard.levels.all()
        ]
        self.fields["valid_from"].initial = timezone.localdate()
        self.fields["enterprise_partner"].label_from_instance = _organisation_label
        found = list(schools_matching(search)[:SEARCH_LIMIT]) if search.strip() else []
        chosen = self.data.get("school") if self.is_bound else None
        if chosen and str(chosen).isdigit() and all(str(s.pk) != str(chosen) for s in found):
            found += list(schools_matching("").filter(pk=int(chosen)))
        self.found_schools = found
        self.fields["school"].choices = [(s.pk, _organisation_label(s)) for s in found]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The period must end after it starts."))
        return cleaned


class AccreditationStatusForm(forms.Form):
    """Suspend, reinstate or withdraw an accreditation, always with a reason."""

    ACTIONS = {
        "suspend": Accreditation.Status.SUSPENDED,
        "reinstate": Accreditation.Status.ACTIVE,
        "withdraw": Accreditation.Status.WITHDRAWN,
    }

    action = forms.ChoiceField(choices=[(key, key) for key in ACTIONS], widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the accreditation's note with today's date."),
    )

    def new_status(self) -> str:
        return self.ACTIONS[self.cleaned_data["action"]]
