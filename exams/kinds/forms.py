"""Authoring forms of the question kinds: one form of single fields plus formsets of rows.

A kind's editor is built from a stored content and key (the form's initial values) or from
posted data, and cleans into a content and key again, so nobody types JSON. With
``key_only`` (correcting the key of a version students have seen) every field that belongs
to the content is disabled and rows that are content can be neither added nor deleted.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django import forms
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .base import MAX_ID_CHARS, as_dict, parse_decimal

# --- fields ----------------------------------------------------------------------------------


class TextField(forms.CharField):
    """A textarea whose line ends are stored as \\n whatever the browser sent."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class DecimalTextField(forms.CharField):
    """A plain decimal kept as the text typed (the neutral format stores numbers as text)."""

    def __init__(self, *, minimum=None, maximum=None, above=None, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 8}))
        super().__init__(**kwargs)
        self.minimum, self.maximum, self.above = minimum, maximum, above

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        number = parse_decimal(value)
        if number is None:
            raise forms.ValidationError(_("Enter a number such as 12.5."), code="invalid")
        if self.above is not None and number <= self.above:
            raise forms.ValidationError(
                _("Enter a number above %(n)s.") % {"n": self.above}, code="min_value"
            )
        if self.minimum is not None and number < self.minimum:
            raise forms.ValidationError(
                _("Enter a number of at least %(n)s.") % {"n": self.minimum}, code="min_value"
            )
        if self.maximum is not None and number > self.maximum:
            raise forms.ValidationError(
                _("Enter a number of at most %(n)s.") % {"n": self.maximum}, code="max_value"
            )
        return format(number, "f")


def texts(en: str | None, zh: str | None) -> dict[str, str]:
    """A bilingual text from two fields, leaving out an empty language."""
    return {lang: text for lang, text in (("en", en), ("zh-hans", zh)) if text}


# --- forms -----------------------------------------------------------------------------------


class KindForm(forms.Form):
    """A form whose `content_fields` are disabled when only the key may change."""

    content_fields: tuple[str, ...] = ()
    is_row = False  # one row of a formset, shown in a table without labels of its own

    def __init__(self, *args, key_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if key_only and name in self.content_fields:
                field.disabled = True
            if self.is_row and not isinstance(field.widget, forms.HiddenInput):
                # Rows show their labels once, as column heads; screen readers get them here.
                field.widget.attrs.setdefault("aria-label", str(field.label))


class EntryForm(KindForm):
    """One row of entries: its hidden id and its text in both languages."""

    id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=MAX_ID_CHARS)
    text_en = forms.CharField(label=_("Text (English)"), required=False, max_length=2000)
    text_zh = forms.CharField(label=_("Text (Chinese)"), required=False, max_length=2000)
    content_fields = ("id", "text_en", "text_zh")
    is_row = True

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("text_en") and not cleaned.get("text_zh"):
            self.add_error("text_en", _("Give the text in English or Chinese."))
        return cleaned


class RowsFormSet(forms.BaseFormSet):
    """Rows of one part of an editor, e.g. the options of a choice question."""

    minimum = 1
    minimum_message = _("Give at least %(n)d rows.")

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The delete box comes after the form's own fields: it needs its column's name too.
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs.setdefault(
                "aria-label", str(form.fields["DELETE"].label)
            )

    def clean(self):
        if any(self.errors):
            return
        kept = self.kept()
        if len(kept) < self.minimum:
            raise forms.ValidationError(self.minimum_message % {"n": self.minimum})

    def kept(self) -> list[forms.Form]:
        """The rows to store: filled in and not deleted."""
        return [form for _n, form in self._kept()]

    def _kept(self) -> list[tuple[int, forms.Form]]:
        return [
            (n, form)
            for n, form in enumerate(self.forms)
            if n < self.initial_form_count() or form.has_changed()
            if not (self.can_delete and self._should_delete_form(form))
        ]

    def rows(self) -> list[dict]:
        """Cleaned rows, each with `_index`, its position among all rows on the page."""
        return [{**form.cleaned_data, "_index": n} for n, form in self._kept()]


@dataclass(frozen=True)
class Rows:
    """A formset part of an editor."""

    form: type[KindForm]
    title: str | Promise
    help: str | Promise = ""
    formset: type[RowsFormSet] = RowsFormSet
    is_content: bool = True  # rows are content: fixed in number when only the key changes
    id_prefix: str = ""  # new rows get ids prefix1, prefix2…; "" gives a, b, c…


def new_id(prefix: str, used: set[str]) -> str:
    """The first free id of the form prefix1, prefix2… (or a, b, c… without a prefix)."""
    if not prefix:
        for letter in "abcdefghijklmnopqrstuvwxyz":
            if letter not in used:
                used.add(letter)
                return letter
        prefix = "o"
    n = 1
    while f"{prefix}{n}" in used:
        n += 1
    used.add(f"{prefix}{n}")
    return f"{prefix}{n}"


# --- the editor ------------------------------------------------------------------------------


class KindEditor:
    """A kind's authoring form: `form` (single fields) and `formsets` (rows), cleaned as one.

    Subclasses say which form and rows they have, how a stored content and key become
    initial values (`initial`), and how cleaned values become a content and key (`stored`).
    """

    form_class: type[KindForm] = KindForm
    rows: dict[str, Rows] = {}
    template_name = "exams/kinds/_editor.html"
    extra_rows = 2

    def __init__(
        self,
        data: Mapping | None = None,
        *,
        content: dict | None,
        key: dict | None,
        key_only: bool = False,
        prefix: str = "kind",
        kind,
    ):
        self.kind, self.key_only, self.prefix = kind, key_only, prefix
        self.content, self.key = as_dict(content), as_dict(key)
        self.data = data
        form_initial, rows_initial = self.initial(self.content, self.key)
        self.form = self.form_class(data, initial=form_initial, prefix=prefix, key_only=key_only)
        self.formsets: dict[str, RowsFormSet] = {}
        for name in self.build_order():
            self.formsets[name] = self.make_formset(name, rows_initial.get(name, []))
        self.formsets = {name: self.formsets[name] for name in self.rows}
        self._stored: tuple[dict, dict] | None = None
        self._failed = False

    # What subclasses provide.

    def initial(self, content: dict, key: dict) -> tuple[dict, dict[str, list[dict]]]:
        """Initial values of the form and of each formset's rows."""
        return {}, {}

    def stored(self, fields: dict, rows: dict[str, list[dict]]) -> tuple[dict, dict]:
        """The content and key of cleaned values; row_error() or ValidationError refuses."""
        raise NotImplementedError

    def build_order(self) -> list[str]:
        """The order to build the formsets in (a later one may list an earlier one's rows)."""
        return list(self.rows)

    def form_kwargs(self, name: str) -> dict:
        """Extra keyword arguments of every row form of one formset."""
        return {}

    # Building.

    def make_formset(self, name: str, initial: list[dict]) -> RowsFormSet:
        spec = self.rows[name]
        fixed = self.key_only and spec.is_content
        formset_class = forms.formset_factory(
            spec.form,
            formset=spec.formset,
            extra=0 if fixed else self.extra_rows,
            can_delete=not fixed,
            min_num=len(initial) if fixed else 0,
            max_num=len(initial) if fixed else 1000,
            validate_min=fixed,
            validate_max=True,
        )
        return formset_class(
            self.data,
            initial=initial,
            prefix=f"{self.prefix}-{name}",
            form_kwargs={"key_only": self.key_only, **self.form_kwargs(name)},
        )

    @property
    def parts(self) -> list[dict]:
        """The formsets with their titles, for templates."""
        return [
            {"name": name, "title": spec.title, "help": spec.help, "formset": self.formsets[name]}
            for name, spec in self.rows.items()
        ]

    # Cleaning.

    @property
    def is_bound(self) -> bool:
        return self.data is not None

    def row_error(self, row: dict, field: str | None, message: str) -> None:
        """Refuse the editor with an error on one field of one cleaned row."""
        self.formsets[row["_part"]].forms[row["_index"]].add_error(field, message)
        self._failed = True

    def is_valid(self) -> bool:
        if not self.is_bound:
            return False
        if self._stored is not None:
            return True
        valid = self.form.is_valid()
        for formset in self.formsets.values():  # every part, so that each shows its errors
            valid = formset.is_valid() and valid
        if not valid:
            return False
        rows = {
            name: [{**row, "_part": name} for row in formset.rows()]
            for name, formset in self.formsets.items()
        }
        self._failed = False
        try:
            content, key = self.stored(self.form.cleaned_data, rows)
        except forms.ValidationError as exc:
            self.form.add_error(None, exc)
            return False
        if self._failed:
            return False
        if self.key_only:
            content = self.content
        problems = self.kind.validate(content, key, None)
        if problems:
            self.form.add_error(None, problems)
            return False
        self._stored = (content, key)
        return True

    def cleaned(self) -> tuple[dict, dict]:
        """The content and key of a valid editor."""
        if not self.is_valid():
            raise ValueError("The editor is not valid.")
        return self._stored

    @property
    def errors(self) -> list:
        """Every error of the editor (empty when valid or unbound)."""
        found = []
        if self.is_bound and not self.is_valid():
            found += [self.form.errors] if self.form.errors else []
            for formset in self.formsets.values():
                found += [e for e in formset.errors if e] + list(formset.non_form_errors())
        return found

    # Showing.

    def render(self) -> SafeString:
        return render_to_string(self.template_name, {"editor": self})

    __str__ = render

    def __html__(self) -> str:
        return self.render()

    def as_post_data(self) -> dict[str, str | list[str]]:
        """What a browser posts for the editor as shown: tests fill forms with it."""
        data: dict[str, str | list[str]] = {}
        forms_shown = [self.form]
        for formset in self.formsets.values():
            forms_shown += [formset.management_form, *formset.forms]
        for form in forms_shown:
            for bound in form:
                if bound.field.disabled:
                    continue
                value = bound.value()
                if isinstance(bound.field.widget, forms.CheckboxInput):
                    if bound.field.widget.check_test(value):
                        data[bound.html_name] = "on"
                elif isinstance(value, list | tuple):
                    data[bound.html_name] = [str(v) for v in value]
                else:
                    data[bound.html_name] = "" if value is None else str(value)
        return data


# --- entries: rows with an id and a bilingual text -------------------------------------------


class OptionForm(EntryForm):
    """An option row with its "correct" mark (the mark is key, the text content)."""

    correct = forms.BooleanField(label=_("Correct"), required=False)


def entry_initial(entry: object) -> dict:
    """The initial values of an entry's row."""
    entry = as_dict(entry)
    text = as_dict(entry.get("text"))
    return {
        "id": entry.get("id", ""),
        "text_en": text.get("en", ""),
        "text_zh": text.get("zh-hans", ""),
    }


def assign_ids(*parts: tuple[list[dict], str]) -> None:
    """Give every row without an id a fresh one; `parts` share one id space."""
    used = {row["id"] for rows, _prefix in parts for row in rows if row.get("id")}
    for rows, prefix in parts:
        for row in rows:
            if not row.get("id"):
                row["id"] = new_id(prefix, used)


def entries(rows: list[dict]) -> list[dict]:
    """The stored entries of rows that have their ids."""
    return [{"id": row["id"], "text": texts(row["text_en"], row["text_zh"])} for row in rows]
