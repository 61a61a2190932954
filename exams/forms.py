"""Staff forms: marking an answer, correcting a key, and the question editor in the admin."""

import json
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from . import grading
from .models import Question
from .models.bank import pick_language


class MarkForm(forms.Form):
    """One number per rubric criterion (or one for the whole answer), and a comment."""

    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, rubric: list[dict], max_points: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        fields = {}
        for criterion in rubric:
            top = grading.parse_decimal(criterion.get("points")) or Decimal(0)
            fields[f"criterion_{criterion['id']}"] = forms.DecimalField(
                label=pick_language(criterion.get("criterion")) or criterion["id"],
                min_value=Decimal(0),
                max_value=top,
                decimal_places=2,
                help_text=_("0 to %(max)s points") % {"max": top},
            )
        if not rubric:
            fields["points"] = forms.DecimalField(
                label=_("Points"),
                min_value=Decimal(0),
                max_value=max_points,
                decimal_places=2,
                help_text=_("0 to %(max)s points") % {"max": max_points},
            )
        # Numbers first, the comment last.
        self.fields = {**fields, "comment": self.fields["comment"]}

    def criterion_fields(self):
        return [self[name] for name in self.fields if name != "comment"]

    def rubric_marks(self) -> dict[str, Decimal] | None:
        if not self.rubric:
            return None
        return {c["id"]: self.cleaned_data[f"criterion_{c['id']}"] for c in self.rubric}


class JSONTextField(forms.CharField):
    """A textarea holding a JSON object."""

    widget = forms.Textarea(attrs={"rows": 10, "class": "code", "spellcheck": "false"})

    def prepare_value(self, value):
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False, indent=2)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return {}
        try:
            data = json.loads(value)
        except ValueError as exc:
            raise forms.ValidationError(
                _("This is not valid JSON: %(error)s") % {"error": exc}, code="json"
            ) from exc
        if not isinstance(data, dict):
            raise forms.ValidationError(_("Enter a JSON object {…}."), code="json")
        return data


class KeyCorrectionForm(forms.Form):
    key = JSONTextField(label=_("Answer key (JSON)"))
    confirm = forms.BooleanField(
        label=_("Regrade every submitted attempt that saw this version"), required=True
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["key"].initial = version.key

    def clean_key(self):
        key = self.cleaned_data["key"]
        if key == self.version.key:
            raise forms.ValidationError(_("The key is unchanged."), code="unchanged")
        problems = grading.validate_question({**self.version.as_data(), "key": key})
        if problems:
            raise forms.ValidationError(problems, code="invalid_question")
        return key


class QuestionAdminForm(forms.ModelForm):
    """A question with the fields of its current version; saved through the services."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    text_en = forms.CharField(label=_("Text (English)"), widget=forms.Textarea, required=False)
    text_zh = forms.CharField(label=_("Text (Chinese)"), widget=forms.Textarea, required=False)
    content = JSONTextField(label=_("Content (JSON)"), required=False)
    key = JSONTextField(label=_("Answer key (JSON)"), required=False)
    feedback_en = forms.CharField(
        label=_("Feedback (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    feedback_zh = forms.CharField(
        label=_("Feedback (Chinese)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    points = forms.DecimalField(label=_("Points"), min_value=Decimal("0.01"), initial=1)

    VERSION_FIELDS = (
        "title", "text_en", "text_zh", "content", "key", "feedback_en", "feedback_zh", "points",
    )  # fmt: skip

    class Meta:
        model = Question
        fields = ["bank", "kind", "competency", "difficulty", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = self.instance.current_version if self.instance.pk else None
        if version is not None:
            self.initial.update(
                title=version.title,
                text_en=version.text.get("en", ""),
                text_zh=version.text.get("zh-hans", ""),
                content=version.content,
                key=version.key,
                feedback_en=(version.feedback or {}).get("en", ""),
                feedback_zh=(version.feedback or {}).get("zh-hans", ""),
                points=version.points,
            )

    @staticmethod
    def _texts(en: str, zh: str) -> dict:
        return {lang: text for lang, text in (("en", en), ("zh-hans", zh)) if text}

    def version_changed(self) -> bool:
        return any(name in self.changed_data for name in self.VERSION_FIELDS)

    def question_data(self) -> dict:
        """The neutral question format (see exams.grading) from the cleaned fields."""
        data = self.cleaned_data
        return {
            "kind": data.get("kind") or self.instance.kind,
            "title": data.get("title", ""),
            "text": self._texts(data.get("text_en", ""), data.get("text_zh", "")),
            "points": str(data.get("points") or ""),
            "competency": data.get("competency", self.instance.competency) or "",
            "difficulty": data.get("difficulty") or self.instance.difficulty,
            "content": data.get("content") or {},
            "key": data.get("key") or {},
            "feedback": self._texts(data.get("feedback_en", ""), data.get("feedback_zh", "")),
        }

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            problems = grading.validate_question(self.question_data())
            if problems:
                raise forms.ValidationError(problems, code="invalid_question")
        return cleaned
