from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Programme


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    track = forms.ChoiceField(
        label=_("Programme track"),
        required=False,
        choices=[("", _("All tracks")), *Programme.Track.choices],
    )


# The largest class list accepted (the site also refuses a larger request before reading it).
MAX_CSV_BYTES = 1024 * 1024


class EnrollmentCsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("One student of this school per line: username or email in the first column."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Upload a .csv file."))
        return upload
