"""The question editor outside the admin: choose a kind, write it in the kind's form, and
see it as a student does, in English and in Chinese side by side.

Writes go through exams.services (question_create / question_update, which make a new
version once an attempt has used the current one); access is exams.access.can_author_bank.
"""

import random

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import access, kinds, services, tags
from ..forms import QuestionAdminForm
from ..models import AttemptQuestion, Exam, Question, QuestionBank
from ..services.attempts import _student_content
from .student import _present, _question_labels


class QuestionForm(QuestionAdminForm):
    """The admin's question form without the bank, which the page's address fixes, and with
    the question's tags."""

    tag_names = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=1000,
        help_text=_("Separated by commas, e.g. amazon, titles. Shared by your school's banks."),
    )

    # Filing, like the tags: changing only these saves no new version.
    FILING_FIELDS = ("tag_names", "idnumber")

    class Meta(QuestionAdminForm.Meta):
        fields = ["kind", "idnumber", "competency", "difficulty", "is_active"]

    def __init__(self, *args, bank: QuestionBank, **kwargs):
        super().__init__(*args, **kwargs)
        self.bank = bank
        # The kind is chosen first (a new question) or fixed for good (an existing one).
        self.fields["kind"].disabled = bool(self.instance.pk)
        if self.instance.pk:
            self.initial["tag_names"] = ", ".join(t.name for t in self.instance.tags.all())

    def clean_idnumber(self) -> str:
        idnumber = self.cleaned_data.get("idnumber", "").strip()
        holder = services.idnumber_holder(
            bank=self.bank, idnumber=idnumber, exclude=self.instance if self.instance.pk else None
        )
        if holder is not None:
            raise forms.ValidationError(
                _(
                    "Question #%(pk)s of this bank already has the ID number '%(id)s'; "
                    "give this one another or none."
                )
                % {"pk": holder.pk, "id": idnumber},
                code="idnumber_taken",
            )
        return idnumber

    def clean_tag_names(self) -> list[str]:
        names = tags.parse(self.cleaned_data["tag_names"])
        problems = tags.problems(names)
        if problems:
            raise forms.ValidationError(problems)
        return names

    def only_filing_changed(self) -> bool:
        """Only the tags or the ID number changed: they file the question, and are no part
        of what students saw."""
        changed = set(self.changed_data)
        return bool(changed) and changed <= set(self.FILING_FIELDS) and not self.version_changed()

    def question_data(self) -> dict:
        return {
            **super().question_data(),
            "tags": self.cleaned_data["tag_names"],
            "idnumber": self.cleaned_data.get("idnumber", ""),
        }


_FILING_SAVED = {
    ("tag_names",): gettext_lazy("The tags are saved."),
    ("idnumber",): gettext_lazy("The ID number is saved."),
    ("idnumber", "tag_names"): gettext_lazy("The tags and the ID number are saved."),
}


def _bank_for(user, bank_id: int) -> QuestionBank:
    bank = get_object_or_404(QuestionBank.objects.select_related("organization"), pk=bank_id)
    if not access.can_author_bank(user, bank):
        raise Http404(_("No such question bank."))
    return bank


def _question_for(user, question_id: int) -> Question:
    question = get_object_or_404(
        Question.objects.select_related("bank__organization", "current_version"), pk=question_id
    )
    if not access.can_author_bank(user, question.bank):
        raise Http404(_("No such question."))
    return question


@login_required
def question_new(request, bank_id: int):
    bank = _bank_for(request.user, bank_id)
    kind = request.POST.get("kind") or request.GET.get("kind")
    if kind not in kinds.REGISTRY:
        choices = [(name, k.label) for name, k in kinds.REGISTRY.items()]
        return render(request, "exams/studio/question_kind.html", {"bank": bank, "kinds": choices})
    form = QuestionForm(request.POST or None, initial={"kind": kind, "difficulty": 1}, bank=bank)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_create(
                bank=bank, data=form.question_data(), by=request.user
            )
        except services.ExamError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("exams:question_preview", question.pk)
    context = {"bank": bank, "form": form, "kind_label": kinds.get(kind).label}
    return render(request, "exams/studio/question_form.html", context)


@login_required
def question_edit(request, question_id: int):
    question = _question_for(request.user, question_id)
    form = QuestionForm(request.POST or None, instance=question, bank=question.bank)
    if request.method == "POST" and form.is_valid():
        if not form.version_changed() and not form.has_changed():
            return redirect("exams:question_preview", question.pk)
        try:
            if form.only_filing_changed():
                # Tags and the ID number file the question; students never saw them: no new
                # version.
                changed = form.changed_data
                services.question_filing_set(
                    question=question,
                    tags=form.cleaned_data["tag_names"] if "tag_names" in changed else None,
                    idnumber=form.cleaned_data["idnumber"] if "idnumber" in changed else None,
                )
                messages.success(request, _FILING_SAVED[tuple(sorted(changed))])
            else:
                version = services.question_update(
                    question=question, data=form.question_data(), by=request.user
                )
                messages.success(request, _("Saved as version %(n)s.") % {"n": version.number})
        except services.ExamError as exc:
            form.add_error(None, exc.messages)
        else:
            return redirect("exams:question_preview", question.pk)
    context = {
        "bank": question.bank,
        "question": question,
        "form": form,
        "kind_label": kinds.get(question.kind).label,
    }
    return render(request, "exams/studio/question_form.html", context)


@login_required
def question_preview(request, question_id: int):
    """The question as a student sees it, in both languages (options in the stored order)."""
    question = _question_for(request.user, question_id)
    version = question.current_version
    if version is None:
        raise Http404(_("No such question."))
    version.question = question
    kind = kinds.get(question.kind)
    # The paper a student would get, drawn once with a fixed seed so the two columns agree.
    content = _student_content(version, Exam(shuffle_options=False), random.Random(0))
    sample = AttemptQuestion(
        position=1, part="", version=version, content=content, max_points=version.points
    )
    columns = []
    for language, name in (("en", "English"), ("zh-hans", "中文")):
        with translation.override(language):
            # Rendered now, in this column's language: labels and widget hints alike.
            html = render_to_string(
                "exams/student/_question.html",
                {"q": _present(sample), "labels": _question_labels()},
                request=request,
            )
            columns.append({"language": language, "name": name, "html": html})
    context = {
        "bank": question.bank,
        "question": question,
        "version": version,
        "columns": columns,
        # A kind that draws numbers per attempt shows the results for the numbers previewed.
        "key": kind.key_view(content if kind.per_attempt else version.content or {}, version.key),
    }
    return render(request, "exams/studio/question_preview.html", context)
