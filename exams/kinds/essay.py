"""Essay: free text within optional word limits, marked by a person with guidance."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import MAX_TEXT_CHARS, Grade, Kind, as_dict, check_text, pick_language
from .forms import KindEditor, KindForm, TextField, texts


def clean_text(response: dict) -> str:
    """The trimmed free text of a manual answer."""
    text = response.get("text", "")
    text = "" if text is None else text
    if not isinstance(text, str):
        raise ValueError(_("The answer must be text."))
    text = text.strip()
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(
            _("The answer is longer than %(max)d characters.") % {"max": MAX_TEXT_CHARS}
        )
    return text


def word_limit(content: dict, name: str, problems: list[str]) -> int | None:
    """Read an optional word limit, reporting anything but a whole number >= 0."""
    value = content.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        problems.append(_("'%(name)s' must be a whole number of 0 or more.") % {"name": name})
        return None
    return value


class EssayForm(KindForm):
    min_words = forms.IntegerField(
        label=gettext_lazy("At least (words)"), min_value=0, required=False
    )
    max_words = forms.IntegerField(
        label=gettext_lazy("At most (words)"), min_value=1, required=False
    )
    guidance_en = TextField(label=gettext_lazy("Guidance for graders (English)"), required=False)
    guidance_zh = TextField(label=gettext_lazy("Guidance for graders (Chinese)"), required=False)
    content_fields = ("min_words", "max_words")

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_words"), cleaned.get("max_words")
        if low is not None and high is not None and low > high:
            self.add_error("min_words", _("This is above the most words allowed."))
        return cleaned


class Editor(KindEditor):
    form_class = EssayForm

    def initial(self, content, key):
        guidance = as_dict(key.get("guidance"))
        fields = {
            "min_words": content.get("min_words"),
            "max_words": content.get("max_words"),
            "guidance_en": guidance.get("en", ""),
            "guidance_zh": guidance.get("zh-hans", ""),
        }
        return fields, {}

    def stored(self, fields, rows):
        content = {
            name: fields[name] for name in ("min_words", "max_words") if fields[name] is not None
        }
        guidance = texts(fields["guidance_en"], fields["guidance_zh"])
        return content, ({"guidance": guidance} if guidance else {})


class Essay(Kind):
    name = "essay"
    label = gettext_lazy("Essay")
    manual = True
    key_label = gettext_lazy("Marking guidance")
    editor_class = Editor

    def validate(self, content, key, question=None):
        """Check an essay question's word limits and guidance."""
        problems: list[str] = []
        low = word_limit(content, "min_words", problems)
        high = word_limit(content, "max_words", problems)
        if high == 0:
            problems.append(_("'max_words' must be at least 1; leave it out for no limit."))
        elif low is not None and high is not None and low > high:
            problems.append(_("'min_words' is above 'max_words'."))
        check_text(key.get("guidance"), _("The guidance"), problems, required=False)
        return problems

    def clean_response(self, content, response):
        return {"text": clean_text(response)}

    def grade(self, content, key, response, max_points):
        """A person marks it."""
        return Grade(None, max_points, None)

    def key_response(self, content, key):
        return {"text": ""}

    def public_content(self, content):
        return {
            n: content[n] for n in ("min_words", "max_words") if isinstance(content.get(n), int)
        }

    def present(self, item, content, response):
        low, high = content.get("min_words"), content.get("max_words")
        item.update(
            value=response.get("text", ""),
            min_words=low,
            max_words=high,
            at_least=_("at least %(n)s") % {"n": low} if low else "",
            at_most=_("at most %(n)s") % {"n": high} if high else "",
        )

    def describe(self, content, response):
        return response.get("text", "")

    def describe_key(self, content, key):
        return pick_language(key.get("guidance"))


kind = Essay()
