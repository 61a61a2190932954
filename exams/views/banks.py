"""Question banks in the teacher's studio: the list (and a new bank), a bank's questions with
search, filters and bulk edits, duplicating a question, and a question's version history.

Writes go through exams.services (bank_create, questions_set_active, questions_move,
question_duplicate); access is exams.access (can_author_any, can_author_bank).
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import (
    Avg,
    Count,
    Exists,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .. import access, services
from ..kinds.base import pick_language
from ..models import (
    Attempt,
    AttemptQuestion,
    Question,
    QuestionBank,
    QuestionTag,
    QuestionVersion,
)
from ..studio_forms import (
    NO_COMPETENCY,
    BankForm,
    BulkForm,
    QuestionFilterForm,
    TagMergeForm,
    TagRenameForm,
)
from .staff import item_statistics_by_question, stat_bars

PAGE_SIZE = 100


def require_author(user) -> None:
    """The studio is for those who write questions and exams: teachers and administrators
    of a school (mentors, students, enterprise administrators and regulators get 403)."""
    if not access.can_author_any(user):
        raise PermissionDenied(_("Question banks and exams are written by a school's teachers."))


def authored_bank(user, bank_id: int) -> QuestionBank:
    require_author(user)
    bank = get_object_or_404(
        QuestionBank.objects.select_related("organization", "standard"), pk=bank_id
    )
    if not access.can_author_bank(user, bank):
        raise Http404(_("No such question bank."))
    return bank


# --- The list ---------------------------------------------------------------------------------


@login_required
def bank_list(request):
    user = request.user
    require_author(user)
    form = BankForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                bank = services.bank_create(
                    organization=data["organization"],
                    name=data["name"],
                    standard=data["standard"],
                    by=user,
                )
            except services.ExamError as exc:
                form.add_error("name", exc.messages)
            else:
                messages.success(request, _("The bank %(name)s is created.") % {"name": bank.name})
                return redirect("exams:bank_detail", bank.pk)
        status = 400
    banks = (
        access.authored_banks(user)
        .select_related("organization", "standard")
        .annotate(
            active_questions=Count("questions", filter=Q(questions__is_active=True)),
            retired_questions=Count("questions", filter=Q(questions__is_active=False)),
        )
        .order_by("organization__name_en", "name")
    )
    search = request.GET.get("q", "").strip()[:100]
    if search:
        banks = banks.filter(name__icontains=search)
    # ?tag=<id>: the banks holding an active question with that tag (one of the user's
    # schools' tags; any other id finds nothing).
    tags = list(
        QuestionTag.objects.filter(
            organization_id__in=access.authored_banks(user).values("organization_id")
        ).order_by("name", "pk")
    )
    tag = next((t for t in tags if str(t.pk) == request.GET.get("tag", "")), None)
    if tag is not None:
        banks = banks.filter(
            Exists(Question.objects.filter(bank=OuterRef("pk"), is_active=True, tags=tag))
        )
    page = Paginator(banks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "exams/staff/bank_list.html",
        {"page": page, "form": form, "search": search, "tags": tags, "tag": tag},
        status=status,
    )


# --- One bank ---------------------------------------------------------------------------------


def _facility():
    """Mean share of the marks scored on the question in graded attempts (a subquery)."""
    graded = (
        AttemptQuestion.objects.filter(
            version__question=OuterRef("pk"),
            attempt__status=Attempt.Status.GRADED,
            points__isnull=False,
            max_points__gt=0,
        )
        .values("version__question")
        .annotate(
            f=Avg(Cast("points", FloatField()) / Cast("max_points", FloatField())),
        )
        .values("f")
    )
    return Subquery(graded, output_field=FloatField())


def _answers():
    answered = (
        AttemptQuestion.objects.filter(version__question=OuterRef("pk"))
        .values("version__question")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(answered, output_field=IntegerField()), Value(0))


def filtered_questions(bank: QuestionBank, filters: dict):
    questions = bank.questions.select_related("current_version").annotate(
        answers=_answers(), facility=_facility()
    )
    status = filters.get("status") or "active"
    if status != "all":
        questions = questions.filter(is_active=status == "active")
    search = (filters.get("q") or "").strip()
    if search:
        found = (
            Q(current_version__title__icontains=search)
            | Q(competency__icontains=search)
            | Q(idnumber__icontains=search)
            | Q(text_json__icontains=search)
        )
        if search.lstrip("#").isdigit():
            found |= Q(pk=int(search.lstrip("#")))
        questions = questions.annotate(text_json=Cast("current_version__text", TextField())).filter(
            found
        )
    if filters.get("kind"):
        questions = questions.filter(kind=filters["kind"])
    if filters.get("competency"):
        code = filters["competency"]
        questions = questions.filter(competency="" if code == NO_COMPETENCY else code)
    if filters.get("difficulty"):
        questions = questions.filter(difficulty=filters["difficulty"])
    if filters.get("tag"):
        questions = questions.filter(tags=filters["tag"])
    usage = filters.get("usage")
    if usage == "used":
        questions = questions.filter(answers__gt=0)
    elif usage == "unused":
        questions = questions.filter(answers=0)
    facility = filters.get("facility")
    if facility == "none":
        questions = questions.filter(facility__isnull=True)
    elif facility == "hard":
        questions = questions.filter(facility__lt=0.3)
    elif facility == "medium":
        questions = questions.filter(facility__gte=0.3, facility__lte=0.7)
    elif facility == "easy":
        questions = questions.filter(facility__gt=0.7)
    return questions.order_by("competency", "difficulty", "pk")


@login_required
def bank_detail(request, bank_id: int):
    bank = authored_bank(request.user, bank_id)
    if request.method == "POST":
        return _bulk(request, bank)
    competencies = list(
        bank.questions.order_by("competency").values_list("competency", flat=True).distinct()
    )
    bank_tags = QuestionTag.objects.filter(questions__bank=bank).distinct().order_by("name")
    filter_form = QuestionFilterForm(request.GET or None, competencies=competencies, tags=bank_tags)
    filters = filter_form.filters()
    questions = filtered_questions(bank, filters).prefetch_related("tags")
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    stats = item_statistics_by_question(
        AttemptQuestion.objects.filter(version__question__in=[q.pk for q in page])
    )
    rows = [(question, stat_bars(stats.get(question.pk))) for question in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "exams/staff/bank_detail.html",
        {
            "bank": bank,
            "page": page,
            "rows": rows,
            "filter_form": filter_form,
            "filtered": any(v for k, v in filters.items() if k != "status")
            or (filters["status"] != "active"),
            "bulk_form": BulkForm(bank=bank, question_ids=[]),
            "query": query.urlencode(),
        },
    )


def _bulk(request, bank: QuestionBank):
    ids = [value for value in request.POST.getlist("questions") if value.isdigit()]
    form = BulkForm(request.POST, bank=bank, question_ids=[int(pk) for pk in ids])
    back = reverse("exams:bank_detail", args=[bank.pk])
    # Back to the filters the teacher was looking at (parsed again: never a raw string).
    filters = QueryDict(request.POST.get("next", "").removeprefix("?")).urlencode()
    if filters:
        back += f"?{filters}"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    try:
        if data["action"] in ("tag", "untag"):
            added = data["action"] == "tag"
            n = services.questions_tag(
                bank=bank, question_ids=data["questions"], name=data["tag"], add=added
            )
            if added:
                message = ngettext(
                    "The tag %(tag)s is added to %(n)s question.",
                    "The tag %(tag)s is added to %(n)s questions.",
                    n,
                )
            else:
                message = ngettext(
                    "The tag %(tag)s is removed from %(n)s question.",
                    "The tag %(tag)s is removed from %(n)s questions.",
                    n,
                )
            message %= {"tag": data["tag"].strip(), "n": n}
        elif data["action"] == "move":
            n = services.questions_move(
                bank=bank, question_ids=data["questions"], target=data["target"]
            )
            message = ngettext(
                "%(n)s question moved to %(bank)s.", "%(n)s questions moved to %(bank)s.", n
            ) % {"n": n, "bank": data["target"].name}
        else:
            active = data["action"] == "restore"
            n = services.questions_set_active(
                bank=bank, question_ids=data["questions"], active=active
            )
            if active:
                message = ngettext("%(n)s question restored.", "%(n)s questions restored.", n)
            else:
                message = ngettext("%(n)s question retired.", "%(n)s questions retired.", n)
            message %= {"n": n}
    except services.ExamError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect(back)


# --- One question ---------------------------------------------------------------------------


def _authored_question(user, question_id: int) -> Question:
    require_author(user)
    question = get_object_or_404(
        Question.objects.select_related("bank__organization", "current_version"), pk=question_id
    )
    if not access.can_author_bank(user, question.bank):
        raise Http404(_("No such question."))
    return question


@login_required
@require_POST
def question_duplicate(request, question_id: int):
    question = _authored_question(request.user, question_id)
    try:
        copy = services.question_duplicate(question=question, by=request.user)
    except services.ExamError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect("exams:bank_detail", question.bank_id)
    messages.success(
        request,
        _("Question #%(copy)s is a copy of #%(original)s; edit it here.")
        % {"copy": copy.pk, "original": question.pk},
    )
    return redirect("exams:question_edit", copy.pk)


HISTORY_FIELDS = ("title", "text", "content", "key", "feedback", "points")


def _shown(value) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    return str(value)


def version_changes(previous: QuestionVersion | None, version: QuestionVersion) -> list[dict]:
    """What `version` changed from `previous`: each field that differs, before and after."""
    labels = {
        "title": _("Title"),
        "text": _("Text"),
        "content": _("Options and settings"),
        "key": _("Answer key"),
        "feedback": _("Feedback"),
        "points": _("Points"),
    }
    if previous is None:
        return []
    changes = []
    for name in HISTORY_FIELDS:
        before, after = getattr(previous, name), getattr(version, name)
        if before != after:
            changes.append(
                {"field": labels[name], "before": _shown(before), "after": _shown(after)}
            )
    return changes


@login_required
def question_history(request, question_id: int):
    question = _authored_question(request.user, question_id)
    versions = list(
        question.versions.annotate(answers=Count("attempt_questions")).order_by("number")
    )
    history = []
    previous = None
    for version in versions:
        history.append(
            {
                "version": version,
                "title": version.title or pick_language(version.text)[:80],
                "current": version.pk == question.current_version_id,
                "changes": version_changes(previous, version),
            }
        )
        previous = version
    history.reverse()
    return render(
        request,
        "exams/staff/question_history.html",
        {"bank": question.bank, "question": question, "history": history},
    )


# --- The schools' tags ----------------------------------------------------------------------


@login_required
def question_tags(request):
    """Rename a tag, or merge one into another, for the schools whose questions one writes."""
    user = request.user
    require_author(user)
    tags = access.authored_tags(user).select_related("organization").order_by("name", "pk")
    action = request.POST.get("action") if request.method == "POST" else None
    rename = TagRenameForm(request.POST if action == "rename" else None, tags=tags)
    merge = TagMergeForm(request.POST if action == "merge" else None, tags=tags)
    form = {"rename": rename, "merge": merge}.get(action)
    status = 200
    if form is not None:
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "rename":
                    before = data["tag"].name
                    tag = services.question_tag_rename(tag=data["tag"], name=data["name"], by=user)
                    message = _("The tag %(old)s is now %(new)s.") % {
                        "old": before,
                        "new": tag.name,
                    }
                else:
                    n = services.question_tag_merge(
                        source=data["source"], target=data["target"], by=user
                    )
                    message = ngettext(
                        "The tag %(source)s is merged into %(target)s (%(n)s question).",
                        "The tag %(source)s is merged into %(target)s (%(n)s questions).",
                        n,
                    ) % {"source": data["source"].name, "target": data["target"].name, "n": n}
            except services.ExamError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, message)
                return redirect("exams:question_tags")
        status = 400
    rows = tags.annotate(question_count=Count("questions"))
    return render(
        request,
        "exams/staff/question_tags.html",
        {
            "rows": rows,
            "rename": rename,
            "merge": merge,
            "several_schools": len({tag.organization_id for tag in rows}) > 1,
        },
        status=status,
    )
