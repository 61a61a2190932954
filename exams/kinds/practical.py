"""Practical task: instructions, an uploaded file and notes, marked by people against a rubric."""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.markup import render_markdown

from .. import uploads
from .base import (
    MAX_FILE_NAME_CHARS,
    Grade,
    KeyView,
    Kind,
    as_dict,
    as_list,
    check_rubric,
    check_text,
    parse_decimal,
    pick_language,
    public_text,
    show,
)
from .essay import clean_text
from .forms import (
    DecimalTextField,
    EntryForm,
    KindEditor,
    KindForm,
    Rows,
    RowsFormSet,
    TextField,
    assign_ids,
    texts,
)

FILE_TYPE_RE = re.compile(r"[a-z0-9]{1,10}")


class TaskForm(KindForm):
    instructions_en = TextField(
        label=gettext_lazy("Instructions (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    instructions_zh = TextField(
        label=gettext_lazy("Instructions (Chinese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    allowed_types = forms.CharField(
        label=gettext_lazy("Allowed file types"),
        required=False,
        help_text=gettext_lazy("Extensions separated by commas, e.g. pdf, xlsx; empty for any."),
    )
    max_size_mb = forms.IntegerField(
        label=gettext_lazy("Largest file (MB)"), min_value=1, required=False
    )
    content_fields = ("instructions_en", "instructions_zh", "allowed_types", "max_size_mb")

    def clean_allowed_types(self):
        types = [
            t.strip().lstrip(".").lower()
            for t in re.split(r"[,\s]+", self.cleaned_data["allowed_types"])
        ]
        types = [t for t in types if t]
        for kind in types:
            if not FILE_TYPE_RE.fullmatch(kind):
                raise forms.ValidationError(
                    _("File type '%(type)s' is not a plain extension like 'pdf'.")
                    % {"type": show(kind)}
                )
        return types


class CriterionForm(EntryForm):
    text_en = forms.CharField(
        label=gettext_lazy("Criterion (English)"), required=False, max_length=2000
    )
    text_zh = forms.CharField(
        label=gettext_lazy("Criterion (Chinese)"), required=False, max_length=2000
    )
    points = DecimalTextField(label=gettext_lazy("Points"), above=Decimal(0))
    content_fields = ()  # the rubric is key: it may be corrected


class RubricFormSet(RowsFormSet):
    minimum_message = gettext_lazy("Give at least %(n)d criterion.")


class Editor(KindEditor):
    form_class = TaskForm
    rows = {
        "rubric": Rows(
            CriterionForm,
            gettext_lazy("Rubric"),
            gettext_lazy(
                "Graders mark each criterion; the points add up to the question's points."
            ),
            formset=RubricFormSet,
            is_content=False,
            id_prefix="r",
        )
    }

    def initial(self, content, key):
        instructions = as_dict(content.get("instructions"))
        fields = {
            "instructions_en": instructions.get("en", ""),
            "instructions_zh": instructions.get("zh-hans", ""),
            "allowed_types": ", ".join(
                t for t in as_list(content.get("allowed_types")) if isinstance(t, str)
            ),
            "max_size_mb": content.get("max_size_mb"),
        }
        rubric = [
            {
                "id": c.get("id", ""),
                "text_en": as_dict(c.get("criterion")).get("en", ""),
                "text_zh": as_dict(c.get("criterion")).get("zh-hans", ""),
                "points": c.get("points", ""),
            }
            for c in as_list(key.get("rubric"))
            if isinstance(c, dict)
        ]
        return fields, {"rubric": rubric}

    def stored(self, fields, rows):
        content: dict = {}
        instructions = texts(fields["instructions_en"], fields["instructions_zh"])
        if instructions:
            content["instructions"] = instructions
        if fields["allowed_types"]:
            content["allowed_types"] = fields["allowed_types"]
        if fields["max_size_mb"] is not None:
            content["max_size_mb"] = fields["max_size_mb"]
        rubric = rows["rubric"]
        assign_ids((rubric, "r"))
        key = {
            "rubric": [
                {
                    "id": row["id"],
                    "criterion": texts(row["text_en"], row["text_zh"]),
                    "points": row["points"],
                }
                for row in rubric
            ]
        }
        return content, key


class Practical(Kind):
    name = "practical"
    label = gettext_lazy("Practical task")
    manual = True
    takes_file = True
    key_label = gettext_lazy("Marking criteria")
    editor_class = Editor

    def validate(self, content, key, question=None):
        """Check the upload rules and rubric, which must total the question's points."""
        problems: list[str] = []
        check_text(content.get("instructions"), _("The instructions"), problems, required=False)
        types = content.get("allowed_types")
        if types is not None and (not isinstance(types, list) or not types):
            problems.append(_("'allowed_types' must list at least one file type."))
        for kind in as_list(types):
            if not isinstance(kind, str) or not FILE_TYPE_RE.fullmatch(kind):
                problems.append(
                    _("File type '%(type)s' is not a plain extension like 'pdf'.")
                    % {"type": show(kind)}
                )
        size = content.get("max_size_mb")
        if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
            problems.append(_("'max_size_mb' must be a whole number of megabytes, 1 or more."))
        total = check_rubric(key.get("rubric"), problems)
        points = parse_decimal(as_dict(question).get("points"))
        if points is not None and points > 0 and total > 0 and points != total:
            problems.append(
                _("The question is worth %(points)s points but its rubric totals %(total)s.")
                % {"points": points, "total": total}
            )
        return problems

    def clean_response(self, content, response):
        """Keep the text and a plausible stored file name; the caller checks the file is theirs."""
        name = response.get("file")
        name = None if name == "" else name
        if name is not None:
            parts = name.replace("\\", "/").split("/") if isinstance(name, str) else [""]
            if (
                not isinstance(name, str)
                or len(name) > MAX_FILE_NAME_CHARS
                or "\x00" in name
                or any(part in ("", ".", "..") for part in parts)
            ):
                raise ValueError(_("The file name is not valid."))
            extension = name.rsplit(".", 1)[-1].lower() if "." in parts[-1] else ""
            allowed = content.get("allowed_types")
            if isinstance(allowed, list) and extension not in allowed:
                raise ValueError(
                    _("Files of type '%(type)s' are not accepted here.") % {"type": show(extension)}
                )
        return {"text": clean_text(response), "file": name}

    def grade(self, content, key, response, max_points):
        """People mark it against the rubric."""
        return Grade(None, max_points, None)

    def key_response(self, content, key):
        return {"text": ""}

    def public_content(self, content):
        public: dict = {
            "instructions": public_text(content.get("instructions")),
            "allowed_types": [
                t for t in as_list(content.get("allowed_types")) if isinstance(t, str)
            ],
        }
        if isinstance(content.get("max_size_mb"), int):
            public["max_size_mb"] = content["max_size_mb"]
        return public

    def present(self, item, content, response):
        allowed = content.get("allowed_types") or []
        max_size_mb = content.get("max_size_mb") or uploads.DEFAULT_MAX_SIZE_MB
        item.update(
            value=response.get("text", ""),
            file=response.get("file") or "",
            file_name=uploads.display_name(response.get("file")),
            instructions=render_markdown(pick_language(content.get("instructions"))),
            allowed_types=allowed,
            accept=",".join(f".{t}" for t in allowed),
            max_size_mb=max_size_mb,
            allowed_hint=_("Allowed: %(types)s · at most %(size)s MB")
            % {"types": ", ".join(map(str, allowed)), "size": max_size_mb},
        )

    def describe(self, content, response):
        text = response.get("text", "")
        if response.get("file"):
            text = f"{text}\n[{uploads.display_name(response['file'])}]".strip()
        return text

    def describe_key(self, content, key):
        return "; ".join(
            f"{pick_language(c.get('criterion'))} ({c.get('points')})"
            for c in key.get("rubric") or []
        )

    def key_view(self, content, key):
        return KeyView(
            lines=[
                _("%(criterion)s: %(points)s points")
                % {"criterion": pick_language(c.get("criterion")), "points": c.get("points")}
                for c in as_list(key.get("rubric"))
                if isinstance(c, dict)
            ]
        )


kind = Practical()
