from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Enrollment

from .book import BELOW_MEDIAN, DEFAULT_INACTIVE_DAYS, INACTIVE

# Rows per page of the gradebook; exports always hold every row the filters match.
PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50


class GradebookFilterForm(forms.Form):
    q = forms.CharField(label=_("Search students"), required=False, max_length=100)
    risk = forms.ChoiceField(
        label=_("At risk"),
        required=False,
        choices=[
            ("", _("Every student")),
            ("any", _("At risk for any reason")),
            (INACTIVE, _("No recent activity")),
            (BELOW_MEDIAN, _("Progress below the cohort median")),
        ],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            (Enrollment.Status.ACTIVE, _("Studying")),
            (Enrollment.Status.COMPLETED, _("Completed")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("-progress", _("Progress, highest first")),
            ("progress", _("Progress, lowest first")),
            ("activity", _("Last activity, longest ago first")),
            ("-activity", _("Last activity, most recent first")),
            ("-risk", _("Most at risk first")),
        ],
    )
    inactive_days = forms.IntegerField(
        label=_("Inactive after (days)"),
        required=False,
        min_value=1,
        max_value=365,
        initial=DEFAULT_INACTIVE_DAYS,
    )

    per_page = forms.TypedChoiceField(
        label=_("Rows per page"),
        required=False,
        choices=[(n, str(n)) for n in PAGE_SIZES],
        coerce=int,
        empty_value=None,
        initial=DEFAULT_PAGE_SIZE,
    )

    def options(self) -> dict:
        """The validated choices, with defaults for what was left out."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": data.get("q") or "",
            "risk": data.get("risk") or "",
            "status": data.get("status") or "",
            "sort": data.get("sort") or "name",
            "inactive_days": data.get("inactive_days") or DEFAULT_INACTIVE_DAYS,
            "per_page": data.get("per_page") or DEFAULT_PAGE_SIZE,
        }
