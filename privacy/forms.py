from django import forms
from django.utils.translation import gettext_lazy as _


class ErasureForm(forms.Form):
    """The person confirms erasure with their password and chooses what becomes of their
    certificates."""

    CERTIFICATES_CHOICES = [
        ("keep", _("Keep them as verifiable records, with my name withheld")),
        ("revoke", _("Revoke them")),
    ]

    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    certificates = forms.ChoiceField(
        label=_("My certificates"),
        choices=CERTIFICATES_CHOICES,
        initial="keep",
        required=False,  # not asked of a person without certificates: keep
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that this cannot be undone and that I will no longer be able to sign in."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="password")
        return password

    @property
    def revoke_certificates(self) -> bool:
        return self.cleaned_data.get("certificates") == "revoke"
