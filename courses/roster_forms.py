from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from organizations.models import Membership

from .models import Cohort
from .rosters import MAX_ROSTER_BYTES


class RosterForm(forms.Form):
    file = forms.FileField(
        label=_("Roster (CSV or Excel)"),
        help_text=_(
            "First row: student_number, name_native, name_latin, email, cohort. One student a row."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ROSTER_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


def _people(role: str, organizations):
    """Active holders of `role` in `organizations`, with their names for the search list."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role=role,
            memberships__is_active=True,
            memberships__organization__in=organizations,
            memberships__organization__is_active=True,
        )
        .select_related("profile")
        .distinct()
        .order_by("username")
    )


def person_label(user) -> str:
    profile = getattr(user, "profile", None)
    names = [n for n in (profile.name_native, profile.name_latin) if n] if profile else []
    return f"{' · '.join(names)} ({user.get_username()})" if names else user.get_username()


class PersonSearchField(forms.CharField):
    """Type part of a name and pick from the list; the choice is sent as the username."""

    def __init__(self, *, people, **kwargs):
        super().__init__(max_length=150, **kwargs)
        self.people = people

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        username = value.rsplit("(", 1)[-1].rstrip(")").strip() if value.endswith(")") else value
        matches = [p for p in self.people if p.get_username() == username]
        if not matches:
            text = value.casefold()
            matches = [p for p in self.people if text in person_label(p).casefold()]
        if len(matches) != 1:
            raise forms.ValidationError(
                _("Choose one person from the list (type part of their name).")
            )
        return matches[0]


class CohortStaffForm(forms.Form):
    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        teachers = list(_people(Membership.Role.TEACHER, [cohort.course.school_id]))
        mentors = list(_people(Membership.Role.MENTOR, cohort.course.partners.all()))
        self.fields["teacher"] = PersonSearchField(
            label=_("Teacher"),
            people=teachers,
            initial=person_label(cohort.teacher) if cohort.teacher_id else "",
            help_text=_("A teacher of %(school)s.") % {"school": cohort.course.school.name},
        )
        self.fields["mentor"] = PersonSearchField(
            label=_("Enterprise mentor"),
            people=mentors,
            required=False,
            initial=person_label(cohort.mentor) if cohort.mentor_id else "",
            help_text=_(
                "A mentor of one of the course's partner enterprises; leave empty for none."
            ),
        )
        for name in ("teacher", "mentor"):
            self.fields[name].widget.attrs.update(
                {"list": f"{name}-choices", "autocomplete": "off"}
            )
        self.choices = {
            "teacher": [person_label(p) for p in teachers],
            "mentor": [person_label(p) for p in mentors],
        }
