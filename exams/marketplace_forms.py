"""The form of a marketplace's rules (the marketplace rules pages); saving makes a version."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .kinds.forms import TextField
from .kinds.listing_criteria import MAX_TERM_CHARS, MAX_TERMS
from .models import MarketplaceRules


class MarketplaceRulesForm(forms.ModelForm):
    """Every limit of one marketplace; the banned words one per line. A new marketplace also
    gets its code, which never changes."""

    banned_words = TextField(
        label=gettext_lazy("Banned words and phrases, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    class Meta:
        model = MarketplaceRules
        fields = [
            "code",
            "name_en",
            "name_zh",
            "title_max_chars",
            "title_banned_characters",
            "bullets_min",
            "bullets_max",
            "bullet_max_chars",
            "search_terms_max_bytes",
            "description_max_chars",
            "effective_from",
            "sources",
        ]
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "sources": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "code": gettext_lazy(
                "Letters, digits and hyphens, e.g. tiktok-shop. It never changes."
            ),
            "title_banned_characters": gettext_lazy("Written one after another, e.g. !$?"),
        }

    def __init__(self, *args, new: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not new:
            del self.fields["code"]
        if self.instance.pk and not self.is_bound:
            self.initial["banned_words"] = "\n".join(self.instance.banned_words)

    def clean_code(self):
        code = self.cleaned_data["code"]
        if code == "new":  # the address of the page that adds a marketplace
            raise forms.ValidationError(_("Choose another code."), code="code_reserved")
        if MarketplaceRules.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("Rules for this marketplace exist: edit them instead."), code="code_taken"
            )
        return code

    def clean_banned_words(self):
        words = [line.strip() for line in self.cleaned_data["banned_words"].split("\n")]
        words = list(dict.fromkeys(w for w in words if w))
        if len(words) > MAX_TERMS or any(len(w) > MAX_TERM_CHARS for w in words):
            raise forms.ValidationError(
                _("At most %(n)d words of at most %(chars)d characters each.")
                % {"n": MAX_TERMS, "chars": MAX_TERM_CHARS}
            )
        return words

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("bullets_min"), cleaned.get("bullets_max")
        if low is not None and high is not None and low > high:
            self.add_error("bullets_min", _("This is above the most bullet points allowed."))
        if high and not cleaned.get("bullet_max_chars"):
            self.add_error("bullet_max_chars", _("Say how long a bullet point may be."))
        if cleaned.get("title_max_chars") == 0:
            self.add_error("title_max_chars", _("A title needs at least 1 character."))
        if cleaned.get("description_max_chars") == 0:
            self.add_error("description_max_chars", _("Leave it empty for no limit."))
        return cleaned

    def rules_fields(self) -> dict:
        """What the service saves, from a valid form."""
        fields = dict(self.cleaned_data)
        fields.pop("code", None)
        fields["title_banned_characters"] = "".join(
            dict.fromkeys(fields["title_banned_characters"].replace(" ", ""))
        )
        return fields
