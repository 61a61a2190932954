"""The statistics filters: one form for the page, the exports and the API."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .definitions import DIMENSION_LABELS, GRANULARITIES, GRANULARITY_LABELS
from .services import MAX_YEARS, StatisticsQuery, period_start, shift_year

BREAKDOWNS = ("region", "school", "cohort", "standard", "level", "partner")


def default_range(today: date | None = None) -> tuple[date, date]:
    """The last twelve months, this one included."""
    today = today or timezone.localdate()
    month = period_start(today, "month")
    if month.month == 12:
        return date(month.year, 1, 1), today
    return date(month.year - 1, month.month + 1, 1), today


class StatisticsFilterForm(forms.Form):
    standard = forms.ChoiceField(label=_("Skill standard"), required=False)
    level = forms.TypedChoiceField(
        label=_("Level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("All levels")),
            (1, _("Level 1 · Junior")),
            (2, _("Level 2 · Intermediate")),
            (3, _("Level 3 · Senior")),
        ],
    )
    school = forms.TypedChoiceField(label=_("School"), required=False, coerce=int, empty_value=None)
    partner = forms.TypedChoiceField(
        label=_("Enterprise partner"), required=False, coerce=int, empty_value=None
    )
    region = forms.ChoiceField(label=_("Region (province)"), required=False)
    granularity = forms.ChoiceField(
        label=_("Periods"),
        required=False,
        choices=[(key, GRANULARITY_LABELS[key]) for key in GRANULARITIES],
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    by = forms.ChoiceField(
        label=_("Split by"),
        required=False,
        choices=[(key, DIMENSION_LABELS[key]) for key in BREAKDOWNS],
    )

    def __init__(self, data=None, *, choices: dict, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["standard"].choices = [("", _("All standards")), *choices["standard"]]
        self.fields["school"].choices = [("", _("All schools")), *choices["school"]]
        self.fields["partner"].choices = [("", _("All partners")), *choices["partner"]]
        self.fields["region"].choices = [("", _("All regions")), *choices["region"]]

    def clean(self):
        data = super().clean()
        start, end = default_range()
        data["start"] = data.get("start") or start
        data["end"] = data.get("end") or end
        data["granularity"] = data.get("granularity") or "month"
        data["by"] = data.get("by") or "region"
        if data["start"] > data["end"]:
            self.add_error("end", _("The end date must not be before the start date."))
        elif data["end"] > shift_year(data["start"], MAX_YEARS):
            self.add_error("start", _("At most %(years)s years at a time.") % {"years": MAX_YEARS})
        if data["by"] == "cohort" and not data.get("school"):
            self.add_error("by", _("Choose a school to split it by cohort."))
        return data

    def query(self) -> StatisticsQuery:
        data = self.cleaned_data
        return StatisticsQuery(
            start=data["start"],
            end=data["end"],
            granularity=data["granularity"],
            by=data["by"],
            standard=data.get("standard") or None,
            level=data.get("level"),
            school=data.get("school"),
            partner=data.get("partner"),
            region=data.get("region") or None,
        )


class LearningRecordsPeriodForm(forms.Form):
    """The period of a learning-records export: from one day to another, both included."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To (included)"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The period must end on or after the day it starts."))
        return cleaned

    def bounds(self):
        """The period as [start, end) instants in the site's time zone."""
        zone = timezone.get_current_timezone()
        start = datetime.combine(self.cleaned_data["start"], time.min, tzinfo=zone)
        end = datetime.combine(self.cleaned_data["end"] + timedelta(days=1), time.min, tzinfo=zone)
        return start, end
