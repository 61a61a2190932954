import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import Membership, Organization, Profile


def role_choices(organization: Organization) -> list[tuple[str, str]]:
    """The roles an organisation of this kind may hold (a mentor belongs to an enterprise…)."""
    return [
        (value, label)
        for value, label in Membership.Role.choices
        if organization.kind in Membership.ALLOWED_KINDS[value]
    ]


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), required=False)

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Every role")), *role_choices(organization)]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(organization)


class NewMemberForm(forms.Form):
    """A new account for the organisation: it gets an invitation link, no password."""

    username = forms.SlugField(label=_("Username"), max_length=150)
    name_native = forms.CharField(
        label=_("Full name (native script)"),
        max_length=Profile._meta.get_field("name_native").max_length,
        required=False,
    )
    name_latin = forms.CharField(
        label=_("Full name (Latin script)"),
        max_length=Profile._meta.get_field("name_latin").max_length,
        required=False,
    )
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(organization)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            # Usernames are one namespace for the whole site: this one says no more.
            raise forms.ValidationError(_("This username is taken; choose another."))
        return username

    def clean(self):
        data = super().clean()
        if not data.get("name_native") and not data.get("name_latin"):
            raise forms.ValidationError(_("Give the name in native or Latin script (or both)."))
        return data


_DOMAIN = re.compile(r"^(?=.{1,100}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")


class StudentSignupForm(forms.Form):
    """Whether students may sign themselves up to the school, and from which email domain."""

    student_signup = forms.BooleanField(label=_("Students may sign up"), required=False)
    student_signup_domain = forms.CharField(
        label=_("Only addresses at"),
        required=False,
        max_length=100,
        help_text=_("e.g. school.edu.cn; empty for any address."),
    )

    def clean_student_signup_domain(self) -> str:
        domain = self.cleaned_data["student_signup_domain"].strip().lstrip("@").casefold()
        if domain and not _DOMAIN.match(domain):
            raise forms.ValidationError(_("Give a domain such as school.edu.cn."))
        return domain
