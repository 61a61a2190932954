"""Numeric: a number, right within an absolute or relative tolerance."""

from decimal import Decimal
from fractions import Fraction

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import TOLERANCE_MODES, Kind, award, parse_decimal, show, zero
from .forms import DecimalTextField, KindEditor, KindForm


class NumericForm(KindForm):
    value = DecimalTextField(label=gettext_lazy("Correct value"))
    tolerance = DecimalTextField(
        label=gettext_lazy("Tolerance"),
        minimum=Decimal(0),
        initial="0",
        help_text=gettext_lazy("How far an answer may be off; a relative 0.01 means 1%."),
    )
    tolerance_mode = forms.ChoiceField(
        label=gettext_lazy("Tolerance is"),
        choices=[("absolute", gettext_lazy("Absolute")), ("relative", gettext_lazy("Relative"))],
        initial="absolute",
        widget=forms.RadioSelect,
    )
    unit = forms.CharField(label=gettext_lazy("Unit"), required=False, max_length=40)
    content_fields = ("unit",)


class Editor(KindEditor):
    form_class = NumericForm

    def initial(self, content, key):
        fields = {
            "value": key.get("value", ""),
            "tolerance": key.get("tolerance", "0"),
            "tolerance_mode": key.get("tolerance_mode", "absolute"),
            "unit": content.get("unit", ""),
        }
        return {name: value for name, value in fields.items() if value is not None}, {}

    def stored(self, fields, rows):
        content = {"unit": fields["unit"]} if fields["unit"] else {}
        key = {
            "value": fields["value"],
            "tolerance": fields["tolerance"],
            "tolerance_mode": fields["tolerance_mode"],
        }
        return content, key


class Numeric(Kind):
    name = "numeric"
    label = gettext_lazy("Numeric")
    editor_class = Editor

    def validate(self, content, key, question=None):
        problems: list[str] = []
        if "unit" in content and not isinstance(content["unit"], str):
            problems.append(_("The unit must be text."))
        if parse_decimal(key.get("value")) is None:
            problems.append(
                _("The correct value must be a decimal number, not '%(value)s'.")
                % {"value": show(key.get("value"))}
            )
        tolerance = parse_decimal(key.get("tolerance", "0"))
        if tolerance is None:
            problems.append(_("The tolerance must be a decimal number."))
        elif tolerance < 0:
            problems.append(_("The tolerance cannot be negative."))
        if key.get("tolerance_mode", "absolute") not in TOLERANCE_MODES:
            problems.append(_("The tolerance mode must be 'absolute' or 'relative'."))
        return problems

    def clean_response(self, content, response):
        """Keep the number as the student typed it, or '' when unanswered."""
        value = response.get("value")
        if value is None or (isinstance(value, str) and not value.strip()):
            return {"value": ""}
        if parse_decimal(value, comma=True) is None:
            raise ValueError(_("Enter a number such as 12.5."))
        return {"value": value.strip() if isinstance(value, str) else str(parse_decimal(value))}

    def grade(self, content, key, response, max_points):
        """Full marks within the key's absolute or relative tolerance."""
        target = parse_decimal(key.get("value"))
        answer = parse_decimal((response or {}).get("value"), comma=True)
        if target is None or answer is None:
            return zero(max_points)
        tolerance = Fraction(
            max(parse_decimal(key.get("tolerance", "0")) or Decimal(0), Decimal(0))
        )
        if key.get("tolerance_mode") == "relative":
            tolerance *= abs(Fraction(target))
        right = abs(Fraction(answer) - Fraction(target)) <= tolerance
        return award(Fraction(int(right)), max_points)

    def key_response(self, content, key):
        return {"value": str(key.get("value", ""))}

    def public_content(self, content):
        return {"unit": content["unit"]} if isinstance(content.get("unit"), str) else {}

    def present(self, item, content, response):
        item.update(value=response.get("value") or "", unit=content.get("unit", ""))

    def describe(self, content, response):
        return f"{response.get('value', '')} {content.get('unit', '')}".strip()

    def describe_key(self, content, key):
        value, unit = f"{key.get('value')}", content.get("unit", "")
        tolerance = parse_decimal(key.get("tolerance", "0")) or 0
        if tolerance and key.get("tolerance_mode") == "relative":
            return f"{value} {unit} ± {(tolerance * 100).normalize():f}%".replace("  ", " ")
        return f"{value} ± {tolerance} {unit}".strip() if tolerance else f"{value} {unit}".strip()


kind = Numeric()
