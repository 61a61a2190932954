"""The form a school administrator registers or changes an LTI platform with."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Deployment, Platform
from .platforms import FIELDS

DEPLOYMENT_ID_LENGTH = Deployment._meta.get_field("deployment_id").max_length


class PlatformForm(forms.ModelForm):
    deployment_ids = forms.CharField(
        label=_("Deployment ids"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line, as the platform shows them after adding the tool. Launches "
            "from a deployment not listed here are refused."
        ),
    )

    class Meta:
        model = Platform
        fields = list(FIELDS)  # what the audit trail compares, too
        help_texts = {
            "issuer": _("The platform's 'iss', e.g. https://moodle.example.edu."),
            "client_id": _("The client id the platform gave CBEC Academy."),
            "auth_token_url": _("Needed to send grades back and to sync rosters."),
        }

    def clean_deployment_ids(self) -> list[str]:
        ids, seen = [], set()
        for line in self.cleaned_data["deployment_ids"].splitlines():
            value = line.strip()
            if not value:
                continue
            if len(value) > DEPLOYMENT_ID_LENGTH:
                raise forms.ValidationError(
                    _("A deployment id has at most %(n)d characters.") % {"n": DEPLOYMENT_ID_LENGTH}
                )
            if value in seen:
                raise forms.ValidationError(
                    _("The deployment id %(id)s is listed twice.") % {"id": value}
                )
            seen.add(value)
            ids.append(value)
        if not ids:
            raise forms.ValidationError(_("Give at least one deployment id."))
        return ids
