from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from . import completion, conf
from .models import Course, Module, Programme


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


# --- Studio -------------------------------------------------------------------------------------


# Course codes that name pages of the site under /courses/.
RESERVED_CODES = {"studio", "my", "cohorts", "new", "preview"}


class CourseForm(forms.ModelForm):
    """A course's settings and completion criteria; the school among those the author teaches at."""

    class Meta:
        model = Course
        fields = [
            "code", "title_en", "title_zh", "summary_en", "summary_zh", "school", "language",
            "estimated_hours", "partners", "prerequisites", "self_enrolment",
            "min_lesson_minutes", "requires_assessment",
        ]  # fmt: skip
        widgets = {
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "summary_zh": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, schools, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["school"].empty_label = None
        self.fields["partners"].queryset = Organization.objects.filter(
            kind=Organization.Kind.ENTERPRISE, is_active=True
        ).order_by("name_en")
        self.fields["partners"].help_text = _("Enterprises that co-teach the course.")
        if self.instance.pk:
            # Keep prerequisites set elsewhere (another school's course) choosable.
            courses = (courses | self.instance.prerequisites.all()).exclude(pk=self.instance.pk)
        self.fields["prerequisites"].queryset = courses.distinct().order_by("code")
        self.fields["prerequisites"].help_text = _(
            "Courses a student completes before enrolling in this one."
        )
        if not completion.can_require_assessment():
            del self.fields["requires_assessment"]

    def clean_code(self):
        code = self.cleaned_data["code"]
        if code in RESERVED_CODES:
            raise forms.ValidationError(_("This code is reserved; choose another."))
        return code

    def clean(self):
        data = super().clean()
        minutes = data.get("min_lesson_minutes")
        if minutes == 0 and not data.get("requires_assessment"):
            self.add_error(
                "min_lesson_minutes",
                _(
                    "Set a minimum time on lessons or require an exam or quiz: ticking every "
                    "lesson is not evidence that a student did the course."
                ),
            )
        return data


class ModuleForm(forms.Form):
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)


class MarkdownTextarea(forms.Textarea):
    """A Markdown field with a live preview beside it (courses/static/courses/markdown.js)."""

    def __init__(self, *, preview_url: str = "", attrs=None):
        attrs = {"rows": 14, "class": "markdown-source", **(attrs or {})}
        super().__init__(attrs=attrs)
        self.preview_url = preview_url


class LessonForm(forms.Form):
    module = forms.ModelChoiceField(label=_("Module"), queryset=Module.objects.none())
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    body_en = forms.CharField(
        label=_("Text (English, Markdown)"), required=False, widget=MarkdownTextarea()
    )
    body_zh = forms.CharField(
        label=_("Text (Chinese, Markdown)"), required=False, widget=MarkdownTextarea()
    )
    video_url = forms.URLField(label=_("Video URL"), required=False, assume_scheme="https")
    attachment = forms.FileField(label=_("Attachment"), required=False)
    remove_attachment = forms.BooleanField(label=_("Remove the attachment"), required=False)
    is_required = forms.BooleanField(
        label=_("Required"),
        required=False,
        initial=True,
        help_text=_("Required lessons count towards completion."),
    )

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = course.modules.order_by("position")
        self.fields["module"].empty_label = None

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload and upload.size > conf.attachment_max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(size)s.")
                % {"size": filesizeformat(conf.attachment_max_bytes())}
            )
        return upload

    def service_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in {"module", "attachment"}}
        data.pop("remove_attachment", None)
        if self.cleaned_data.get("attachment"):
            data["attachment"] = self.cleaned_data["attachment"]
        elif self.cleaned_data.get("remove_attachment"):
            data["attachment"] = False
        return data
