"""Forms for holders (sharing choices) and issuers (batches, status changes)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from exams.models import Exam

from .models import Certificate


class SharingForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["show_full_name", "show_scores"]


class BatchIssueForm(forms.Form):
    exam = forms.ModelChoiceField(
        label=_("Exam sitting"), queryset=Exam.objects.none(), empty_label=None
    )

    def __init__(self, *args, exams=None, **kwargs):
        super().__init__(*args, **kwargs)
        if exams is not None:
            self.fields["exam"].queryset = exams


class StatusChangeForm(forms.Form):
    ACTIONS = [
        ("revoke", _("Revoke")),
        ("suspend", _("Suspend")),
        ("reinstate", _("Reinstate")),
    ]

    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", "—"), *Certificate.RevocationReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "revoke" and not data.get("reason"):
            self.add_error("reason", _("Give the reason for revoking."))
        return data
