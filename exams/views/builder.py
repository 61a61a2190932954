"""The exam builder on one page: settings, sections and blueprint rows (each with a live
count of the questions it can draw), publishing, and a sample paper as a student sees it.

Writes go through exams.services (exam_save, exam_set_published), in one transaction each;
access is exams.access (can_author_any, can_author_exam, authored_banks).
"""

import random

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from .. import access, services
from ..models import AttemptQuestion, BlueprintRule, Exam, Question
from ..papers import draw_paper, matching, pool_counts
from ..services.attempts import _student_content
from ..studio_forms import (
    ExamSettingsForm,
    RuleFormSet,
    SectionFormSet,
    kind_choices,
    sections_for_save,
)
from .banks import require_author
from .student import _present, _question_labels


def _authored_exam(user, exam_id: int) -> Exam:
    require_author(user)
    exam = get_object_or_404(
        Exam.objects.select_related("organization", "skill_level__standard"), pk=exam_id
    )
    if not access.can_author_exam(user, exam):
        raise Http404(_("No such exam."))
    return exam


def match_text(available: int, count: int, attempts: int) -> tuple[str, bool]:
    """What a row's live count says, and whether the banks can fill it for every attempt."""
    needed = count * attempts
    text = ngettext("%(n)s question matches", "%(n)s questions match", available) % {"n": available}
    if count:
        need = ngettext(
            "%(needed)s needed for %(attempts)s attempt",
            "%(needed)s needed for %(attempts)s attempts",
            attempts,
        ) % {"needed": needed, "attempts": attempts}
        # Translators: a blueprint row's count: "6 questions match; 8 needed for 2 attempts"
        text = _("%(matches)s; %(needed)s") % {"matches": text, "needed": need}
    return text, available >= needed


def _initial(exam: Exam | None):
    """The formsets' rows from the saved sections and rules (two queries)."""
    if exam is None or exam.pk is None:
        return [{"part": "theory"}], []
    sections = list(exam.sections.prefetch_related("rules").order_by("position"))
    parts = [{"part": section.part} for section in sections]
    rules = [
        {
            "part": section.part,
            "competency": rule.competency,
            "difficulty": rule.difficulty,
            "kind": rule.kind,
            "count": rule.count,
        }
        for section in sections
        for rule in section.rules.all()
    ]
    return parts, rules


def _row_counts(rules_formset, bank_ids, attempts: int) -> list[dict]:
    """The live count of every row, as the page first shows it (one query)."""
    counts = pool_counts(bank_ids)
    shown = []
    for form in rules_formset.forms:
        data = form.cleaned_data if form.is_bound and form.is_valid() else None
        if data is None and not form.is_bound:
            data = {**{n: f.initial for n, f in form.fields.items()}, **form.initial}
        if not data or not data.get("difficulty") or not data.get("count"):
            shown.append({"text": "", "enough": True})
            continue
        rule = BlueprintRule(
            competency=data.get("competency") or "",
            difficulty=int(data["difficulty"]),
            kind=data.get("kind") or "",
            count=int(data.get("count") or 0),
        )
        text, enough = match_text(matching(counts, rule), rule.count, attempts)
        shown.append({"text": text, "enough": enough})
    return shown


def _bank_ids(settings_form, exam: Exam | None) -> list[int]:
    if settings_form.is_bound:
        return [int(pk) for pk in settings_form.data.getlist("banks") if pk.isdigit()]
    return [bank.pk for bank in exam.banks.all()] if exam and exam.pk else []


def _competency_codes(user) -> list[str]:
    """Competency codes of the questions the user may draw, for the rows' suggestions."""
    return list(
        Question.objects.filter(bank__in=access.authored_banks(user))
        .exclude(competency="")
        .order_by("competency")
        .values_list("competency", flat=True)
        .distinct()[:200]
    )


def _builder(request, exam: Exam | None):
    user = request.user
    post = request.POST if request.method == "POST" else None
    initial_parts, initial_rules = _initial(exam)
    # What stops the saved exam from being published, before the form changes the instance.
    publish_problems = services.exam_publish_problems(exam) if exam else []
    settings_form = ExamSettingsForm(post, instance=exam, user=user, prefix="exam")
    sections = SectionFormSet(post, initial=initial_parts, prefix="sections")
    rules = RuleFormSet(post, initial=initial_rules, prefix="rules")
    status, blueprint_problems = 200, []
    if post is not None:
        valid = settings_form.is_valid() & sections.is_valid() & rules.is_valid()
        if valid:
            saved, blueprint_problems = sections_for_save(sections.parts(), rules.rows())
            if not blueprint_problems:
                try:
                    saved_exam = services.exam_save(
                        exam=exam,
                        fields=settings_form.fields_to_save(),
                        banks=settings_form.cleaned_data["banks"],
                        sections=saved,
                        by=user,
                    )
                except services.ExamError as exc:
                    settings_form.add_error(None, exc.messages)
                else:
                    messages.success(request, _("The exam is saved."))
                    return redirect("exams:exam_builder", saved_exam.pk)
        status = 400
    attempts = exam.attempts_allowed if exam else 1
    if settings_form.is_bound:
        value = settings_form.data.get("exam-attempts_allowed", "")
        attempts = int(value) if value.isdigit() and int(value) > 0 else attempts
    counts = _row_counts(rules, _bank_ids(settings_form, exam), attempts)
    context = {
        "exam": exam,
        "settings_form": settings_form,
        "sections": sections,
        "rules": rules,
        "rows": list(zip(rules.forms, counts, strict=True)),
        "codes": _competency_codes(user),
        "problems": publish_problems,
        "blueprint_problems": blueprint_problems,
    }
    return render(request, "exams/staff/exam_builder.html", context, status=status)


@login_required
def exam_new(request):
    require_author(request.user)
    return _builder(request, None)


@login_required
def exam_builder(request, exam_id: int):
    return _builder(request, _authored_exam(request.user, exam_id))


@login_required
@require_GET
def blueprint_count(request):
    """{"count", "needed", "enough", "text"}: what one blueprint row, as typed, can draw from
    the chosen banks (those the user writes only)."""
    require_author(request.user)
    params = request.GET
    try:
        difficulty = int(params.get("difficulty", ""))
        count = int(params.get("count") or 0)
        attempts = max(1, int(params.get("attempts") or 1))
    except ValueError:
        return JsonResponse({"error": _("Difficulty, count and attempts are numbers.")}, status=400)
    kinds = {value for value, _label in kind_choices()}
    kind = params.get("kind", "")
    if kind not in kinds or difficulty not in (1, 2, 3) or count < 0:
        return JsonResponse({"error": _("No such kind or difficulty.")}, status=400)
    wanted = [int(pk) for pk in params.getlist("bank") if pk.isdigit()]
    banks = access.authored_banks(request.user).filter(pk__in=wanted).values_list("pk", flat=True)
    rule = BlueprintRule(
        competency=params.get("competency", "").strip()[:40],
        difficulty=difficulty,
        kind=kind,
        count=count,
    )
    available = matching(pool_counts(banks), rule)
    text, enough = match_text(available, count, attempts)
    return JsonResponse(
        {"count": available, "needed": count * attempts, "enough": enough, "text": text}
    )


@login_required
@require_POST
def exam_publish(request, exam_id: int):
    exam = _authored_exam(request.user, exam_id)
    publish = request.POST.get("action") == "publish"
    try:
        services.exam_set_published(exam=exam, published=publish, by=request.user)
    except services.ExamError as exc:
        messages.error(request, _("The exam cannot be published yet:"))
        for problem in exc.messages:
            messages.error(request, problem)
    else:
        if publish:
            messages.success(request, _("The exam is published: students can start it."))
        else:
            messages.success(
                request,
                _("The exam is unpublished: no new attempt starts; attempts under way go on."),
            )
    return redirect("exams:exam_builder", exam.pk)


@login_required
def exam_sample(request, exam_id: int):
    """A paper drawn the way a student's is, shown as the student sees it; nothing is saved."""
    exam = _authored_exam(request.user, exam_id)
    try:
        seed = int(request.GET.get("seed", ""))
    except ValueError:
        seed = random.SystemRandom().randrange(1, 10**6)
    rng = random.Random(seed)
    try:
        drawn = draw_paper(exam, rng=rng)
    except LookupError:
        drawn = None
    questions = []
    if drawn:
        if exam.shuffle_questions:
            # As attempts do: shuffled within each part, theory before practical.
            order = {part: i for i, part in enumerate(dict.fromkeys(d.part for d in drawn))}
            rng.shuffle(drawn)
            drawn.sort(key=lambda d: order[d.part])
        for position, item in enumerate(drawn, start=1):
            version = item.version
            sample = AttemptQuestion(
                position=position,
                part=item.part,
                version=version,
                content=_student_content(version, exam, rng),
                max_points=version.points,
            )
            questions.append(_present(sample))
    return render(
        request,
        "exams/staff/exam_sample.html",
        {
            "exam": exam,
            "questions": questions,
            "labels": _question_labels(),
            "cannot_draw": drawn is None,
            "seed": seed,
            "next_seed": random.Random(seed).randrange(1, 10**6),
        },
    )
