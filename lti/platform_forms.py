"""The form a school administrator registers or changes an LTI platform with."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Deployment, Platform
from .platforms import FIELDS

DEPLOYMENT_ID_LENGTH = Deployment._meta.get_field("deployment_id").max_length
DEPLOYMENT_NAME_LENGTH = Deployment._meta.get_field("name").max_length
# Between a deployment's id and its name on one line ("2 | Moodle – Business School").
SEPARATOR = "|"


def deployment_lines(deployments: list[tuple[str, str]]) -> str:
    """The field's text for (deployment id, name) pairs: one line each, the name after a bar."""
    return "\n".join(
        f"{deployment_id} {SEPARATOR} {name}" if name else deployment_id
        for deployment_id, name in deployments
    )


class PlatformForm(forms.ModelForm):
    # Each line: a deployment id, then optionally a bar and the deployment's name.
    deployment_ids = forms.CharField(
        label=_("Deployments"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One deployment id per line, as the platform shows them after adding the tool. "
            "To name one for people, add a bar and the name after its id, e.g. "
            "“2 | Moodle – Business School”. Launches from a deployment not listed here "
            "are refused."
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

    def clean_deployment_ids(self) -> list[tuple[str, str]]:
        """(deployment id, name) pairs; the name is "" where the line gives none."""
        deployments, seen = [], set()
        for line in self.cleaned_data["deployment_ids"].splitlines():
            if not line.strip():
                continue
            deployment_id, _bar, name = (part.strip() for part in line.partition(SEPARATOR))
            if not deployment_id:
                raise forms.ValidationError(
                    _("Each line starts with a deployment id; “%(line)s” does not.")
                    % {"line": line.strip()}
                )
            if len(deployment_id) > DEPLOYMENT_ID_LENGTH:
                raise forms.ValidationError(
                    _("A deployment id has at most %(n)d characters.") % {"n": DEPLOYMENT_ID_LENGTH}
                )
            if len(name) > DEPLOYMENT_NAME_LENGTH:
                raise forms.ValidationError(
                    _("A deployment's name has at most %(n)d characters.")
                    % {"n": DEPLOYMENT_NAME_LENGTH}
                )
            if deployment_id in seen:
                raise forms.ValidationError(
                    _("The deployment id %(id)s is listed twice.") % {"id": deployment_id}
                )
            seen.add(deployment_id)
            deployments.append((deployment_id, name))
        if not deployments:
            raise forms.ValidationError(_("Give at least one deployment id."))
        return deployments
