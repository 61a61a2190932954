"""Staff forms: marking an answer, correcting a key, and the question editor in the admin.

No JSON is typed anywhere: a question's content and key come from its kind's authoring
form (exams.kinds), shown inside these forms as `form.editor`.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from . import access, grading, kinds
from .kinds.base import pick_language
from .models import Question


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


class GradingQueueFilterForm(forms.Form):
    """Narrow a grading queue to one exam, one cohort's students and one state."""

    exam = forms.ModelChoiceField(
        label=_("Exam"), required=False, queryset=None, empty_label=_("Every exam")
    )
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), required=False, queryset=None, empty_label=_("Every cohort")
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("Any state")),
            (access.QUEUE_FIRST_MARK, _("Waiting for a first mark")),
            (access.QUEUE_SECOND_MARK, _("Waiting for a second mark")),
            (access.QUEUE_ADJUDICATION, _("Needs adjudication")),
        ],
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["exam"].queryset = access.queue_exams(user)
        self.fields["cohort"].queryset = access.queue_cohorts(user)
        self.fields["cohort"].label_from_instance = lambda c: f"{c.name} ({c.course.title})"

    def narrow(self, queue):
        """The queue narrowed as asked; nothing at all when the filters are not valid."""
        if not self.is_bound:
            return queue
        if not self.is_valid():
            return queue.none()
        return access.narrow_queue(queue, **self.cleaned_data)


class KeyCorrectionForm(forms.Form):
    """A new key for a version students have seen, in its kind's form (the content stays)."""

    confirm = forms.BooleanField(
        label=_("Regrade every submitted attempt that saw this version"), required=True
    )

    def __init__(self, data=None, *args, version, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.version = version
        self.editor = kinds.get(version.question.kind).editor(
            data, content=version.content, key=version.key, key_only=True
        )

    def clean(self):
        cleaned = super().clean()
        if not self.editor.is_valid():
            raise forms.ValidationError(_("Correct the errors in the key below."), code="key")
        _content, key = self.editor.cleaned()
        if key == self.version.key:
            raise forms.ValidationError(_("The key is unchanged."), code="unchanged")
        problems = grading.validate_question({**self.version.as_data(), "key": key})
        if problems:
            raise forms.ValidationError(problems, code="invalid_question")
        cleaned["key"] = key
        return cleaned


class QuestionAdminForm(forms.ModelForm):
    """A question with the fields of its current version and its kind's authoring form.

    The editor follows the question's kind, or for a new question the kind posted (or
    given as initial data): changing the kind of a new question shows the new kind's
    editor with its errors. Saved through the services.
    """

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    text_en = forms.CharField(label=_("Text (English)"), widget=forms.Textarea, required=False)
    text_zh = forms.CharField(label=_("Text (Chinese)"), widget=forms.Textarea, required=False)
    feedback_en = forms.CharField(
        label=_("Feedback (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    feedback_zh = forms.CharField(
        label=_("Feedback (Chinese)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    points = forms.DecimalField(label=_("Points"), min_value=Decimal("0.01"), initial=1)

    VERSION_FIELDS = (
        "title", "text_en", "text_zh", "feedback_en", "feedback_zh", "points",
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
                feedback_en=(version.feedback or {}).get("en", ""),
                feedback_zh=(version.feedback or {}).get("zh-hans", ""),
                points=version.points,
            )
        if self.instance.pk:
            kind = self.instance.kind
        else:
            kind = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        self.editor = None
        if kind in kinds.REGISTRY:
            self.editor = kinds.REGISTRY[kind].editor(
                self.data if self.is_bound else None,
                content=version.content if version else None,
                key=version.key if version else None,
            )

    @staticmethod
    def _texts(en: str, zh: str) -> dict:
        return {lang: text for lang, text in (("en", en), ("zh-hans", zh)) if text}

    def version_changed(self) -> bool:
        version = self.instance.current_version if self.instance.pk else None
        if version is None or any(name in self.changed_data for name in self.VERSION_FIELDS):
            return True
        return self.editor.cleaned() != (version.content, version.key)

    def question_data(self) -> dict:
        """The neutral question format (see exams.grading) from the cleaned fields."""
        data = self.cleaned_data
        content, key = self.editor.cleaned() if self.editor else ({}, {})
        return {
            "kind": data.get("kind") or self.instance.kind,
            "title": data.get("title", ""),
            "text": self._texts(data.get("text_en", ""), data.get("text_zh", "")),
            "points": str(data.get("points") or ""),
            "competency": data.get("competency", self.instance.competency) or "",
            "difficulty": data.get("difficulty") or self.instance.difficulty,
            "content": content,
            "key": key,
            "feedback": self._texts(data.get("feedback_en", ""), data.get("feedback_zh", "")),
        }

    def clean(self):
        cleaned = super().clean()
        if self.editor is None:
            if not self.errors:
                raise forms.ValidationError(_("Choose the kind of question."), code="kind")
            return cleaned
        if not self.editor.is_valid():
            raise forms.ValidationError(
                _("Correct the errors in the question's answers below."), code="answers"
            )
        if not self.errors:
            problems = grading.validate_question(self.question_data())
            if problems:
                raise forms.ValidationError(problems, code="invalid_question")
        return cleaned
