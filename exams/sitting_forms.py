"""Forms of the sitting pages: scheduling, accommodations and the invigilators' actions."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from courses.models import Cohort, Enrollment

from . import access
from .models import Exam, ExamOverride, Sitting
from .studio_forms import DateTimeInput


def person_label(user) -> str:
    profile = getattr(user, "profile", None)
    name = profile.display_name if profile else ""
    return f"{name} ({user.get_username()})" if name else user.get_username()


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_label(obj)


class SittingForm(forms.ModelForm):
    """Schedule or edit a sitting: candidates are chosen from the school's cohorts."""

    candidates = PersonChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Admitted candidates"),
        help_text=_("Students of the school's cohorts, one by one (besides whole cohorts)."),
    )
    invigilators = PersonChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Invigilators"),
    )

    class Meta:
        model = Sitting
        fields = [
            "starts_at",
            "duration_minutes",
            "mode",
            "place",
            "what_to_bring",
            "start_rule",
            "late_entry_minutes",
            "cohorts",
            "candidates",
            "invigilators",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "cohorts": forms.CheckboxSelectMultiple,
            "what_to_bring": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, exam: Exam, **kwargs):
        super().__init__(*args, **kwargs)
        self.exam = exam
        cohorts = Cohort.objects.filter(course__school_id=exam.organization_id)
        if exam.course_id:
            cohorts = cohorts.filter(course_id=exam.course_id)
        cohorts = cohorts.select_related("course")
        self.fields["cohorts"].queryset = cohorts
        students = Enrollment.objects.active().filter(cohort__in=cohorts).values("student_id")
        self.fields["candidates"].queryset = (
            get_user_model()
            .objects.filter(pk__in=students)
            .select_related("profile")
            .order_by("username")
        )
        self.fields["invigilators"].queryset = access.invigilator_choices(exam).select_related(
            "profile"
        )
        if not self.instance.pk:
            self.fields["duration_minutes"].initial = exam.time_limit_minutes

    def clean(self):
        data = super().clean()
        if not data.get("cohorts") and not data.get("candidates"):
            raise forms.ValidationError(_("Admit at least one cohort or candidate."))
        return data

    def save(self, commit=True):
        self.instance.exam = self.exam
        return super().save(commit)


class AccommodationForm(forms.Form):
    student = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label=_("Candidate"))
    extra_minutes = forms.IntegerField(
        label=_("Extra minutes"), min_value=0, max_value=600, initial=0
    )
    extra_percent = forms.IntegerField(
        label=_("Extra time (%)"), min_value=0, max_value=200, initial=0
    )
    rest_break_minutes = forms.IntegerField(
        label=_("Rest breaks (minutes)"),
        min_value=0,
        max_value=240,
        initial=0,
        required=False,
        help_text=_("Added to the deadline: the clock does not stop during a break."),
    )
    reason = forms.CharField(label=_("Reason (staff only)"), max_length=300)

    def __init__(self, *args, roster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = roster
        self.fields["student"].label_from_instance = person_label

    def clean_rest_break_minutes(self) -> int:
        return self.cleaned_data.get("rest_break_minutes") or 0


class AddTimeForm(forms.Form):
    student = forms.IntegerField(widget=forms.HiddenInput)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=240, initial=10)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class OverrideForm(forms.ModelForm):
    """Other terms for one cohort or one candidate of an exam (empty fields: the exam's)."""

    student = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, label=_("Candidate")
    )
    time_limit_minutes = forms.IntegerField(
        label=_("Time limit (minutes)"),
        min_value=1,
        max_value=24 * 60,
        required=False,
        help_text=_("In a sitting this replaces the sitting's duration."),
    )
    attempts_allowed = forms.IntegerField(
        label=_("Attempts allowed"), min_value=1, max_value=20, required=False
    )

    class Meta:
        model = ExamOverride
        fields = [
            "cohort",
            "student",
            "opens_at",
            "closes_at",
            "time_limit_minutes",
            "attempts_allowed",
            "reason",
        ]
        widgets = {"opens_at": DateTimeInput(), "closes_at": DateTimeInput()}
        help_texts = {"reason": _("Shown to staff only.")}

    def __init__(self, *args, exam: Exam, **kwargs):
        super().__init__(*args, **kwargs)
        self.exam = exam
        cohorts = Cohort.objects.filter(course__school_id=exam.organization_id)
        if exam.course_id:
            cohorts = cohorts.filter(course_id=exam.course_id)
        self.fields["cohort"].queryset = cohorts.select_related("course")
        self.fields["cohort"].required = False
        students = Enrollment.objects.active().filter(cohort__in=cohorts).values("student_id")
        self.fields["student"].queryset = (
            get_user_model()
            .objects.filter(pk__in=students)
            .select_related("profile")
            .order_by("username")
        )
        self.fields["student"].label_from_instance = person_label

    def clean(self):
        data = super().clean()
        if bool(data.get("cohort")) == bool(data.get("student")):
            raise forms.ValidationError(_("Choose a cohort or a candidate, not both."))
        terms = ("opens_at", "closes_at", "time_limit_minutes", "attempts_allowed")
        if all(data.get(field) in (None, "") for field in terms):
            raise forms.ValidationError(
                _("Override at least one of the dates, time limit or attempts.")
            )
        return data

    def _post_clean(self):
        # The model's one-target rule and uniqueness are the service's (it updates in place).
        pass


class RedrawForm(forms.Form):
    reason = forms.CharField(
        label=_("What changed in the question bank"), max_length=300, required=False
    )
