"""Student pages: the exam list, an exam's rules, the attempt itself and its result.

The attempt page shows only the frozen public content of each question and the student's
own answers: the answer key and feedback are deferred so they are never even loaded.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from courses.markup import render_markdown
from courses.models import Enrollment

from .. import access, kinds, services
from ..api.views import paper
from ..grading import is_answered
from ..kinds.base import pick_language
from ..models import Attempt, AttemptQuestion, Exam
from ..services import overrides as override_service
from ..services import sittings as sitting_service

# --- fetching with access checks -------------------------------------------------------------


def _visible_exam(request, exam_id: int) -> Exam:
    exam = get_object_or_404(
        Exam.objects.select_related("skill_level__standard", "course"), pk=exam_id
    )
    if not exam.is_published and not access.can_author_exam(request.user, exam):
        raise Http404(_("No such exam."))
    return exam


def _own_attempt(request, attempt_id: int) -> Attempt:
    """The attempt if it is the user's own; 404 for everyone else, teachers included."""
    return get_object_or_404(
        Attempt.objects.select_related("exam__skill_level__standard"),
        pk=attempt_id,
        student=request.user,
    )


# --- pages -----------------------------------------------------------------------------------


@login_required
def exam_list(request):
    enrolled = Enrollment.objects.filter(student=request.user).values("course_id")
    exams = list(
        Exam.objects.published()
        .filter(Q(course__isnull=True) | Q(course_id__in=enrolled))
        .select_related("skill_level__standard", "course")
    )
    latest: dict[int, Attempt] = {}
    for attempt in Attempt.objects.filter(student=request.user, exam__in=exams).order_by("-number"):
        latest.setdefault(attempt.exam_id, attempt)
    rows = [{"exam": exam, "attempt": latest.get(exam.pk)} for exam in exams]
    sittings = list(sitting_service.sittings_of_student(request.user))
    return render(request, "exams/student/exam_list.html", {"rows": rows, "sittings": sittings})


@login_required
def exam_detail(request, exam_id: int):
    exam = _visible_exam(request, exam_id)
    attempts = list(Attempt.objects.filter(exam=exam, student=request.user).order_by("number"))
    current = next((a for a in attempts if a.is_open), None)
    if current is not None:
        current = services.attempt_expire_if_overdue(current)
        if not current.is_open:
            return redirect("exams:exam_detail", exam.pk)
    problems = [] if current else services.eligibility_problems(student=request.user, exam=exam)
    level = exam.skill_level
    context = {
        "exam": exam,
        "level": level,
        "pass_rule": level.pass_rule if level else None,
        "instructions": render_markdown(exam.instructions),
        "attempts": attempts,
        "used": sum(not a.is_open for a in attempts),
        "current": current,
        "problems": problems,
        "sitting": sitting_service.sitting_for(student=request.user, exam=exam),
        # The exam's terms as they apply to this student (their cohort's or own override).
        "terms": override_service.terms_for(exam=exam, student=request.user),
    }
    return render(request, "exams/student/exam_detail.html", context)


@login_required
@never_cache
def admission_notice(request, sitting_id: int):
    """The candidate's admission notice for a sitting they are admitted to (404 for anyone else)."""
    from ..admission import render_notice

    sitting = sitting_service.admitted_sitting(request.user, sitting_id)
    if sitting is None:
        raise Http404(_("No such sitting."))
    number = sitting_service.candidate_number(sitting, request.user)
    url = request.build_absolute_uri(
        reverse("exams:exam_detail", args=[sitting.exam_id]) + "#your-sitting"
    )
    pdf = render_notice(sitting, request.user, number=number, url=url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="admission-{sitting.pk}.pdf"'
    return response


@login_required
@require_POST
def attempt_start(request, exam_id: int):
    exam = _visible_exam(request, exam_id)
    try:
        attempt = services.attempt_start(student=request.user, exam=exam)
    except services.ExamError as exc:
        context = {"exam": exam, "reasons": exc.messages}
        return render(request, "exams/student/refused.html", context, status=409)
    return redirect(attempt)


@never_cache  # a reload or Back must show the answers saved since, not a cached page
@login_required
def attempt_page(request, attempt_id: int):
    attempt = services.attempt_expire_if_overdue(_own_attempt(request, attempt_id))
    if not attempt.is_open:
        return redirect("exams:attempt_result", attempt.pk)
    now = timezone.now()
    questions = [_present(question) for question in paper(attempt)]
    api = reverse("exams_api:attempt", args=[attempt.pk])
    context = {
        "attempt": attempt,
        "exam": attempt.exam,
        "questions": questions,
        "unanswered": [q["position"] for q in questions if not q["answered"]],
        "server_time": now.isoformat(),
        "api": api,
        "strings": _script_strings(),
        "labels": _question_labels(),
    }
    return render(request, "exams/student/attempt.html", context)


@login_required
def attempt_result(request, attempt_id: int):
    attempt = services.attempt_expire_if_overdue(_own_attempt(request, attempt_id))
    if attempt.is_open:
        return redirect(attempt)
    exam, now = attempt.exam, timezone.now()
    released = attempt.results_released(now)
    review = attempt.review_allowed(now)
    rows = []
    if review:
        # Only now, with review allowed, is the key loaded at all.
        rows = [_review(q) for q in attempt.questions.select_related("version__question")]
    level = exam.skill_level
    context = {
        "attempt": attempt,
        "exam": exam,
        "level": level,
        "pass_rule": level.pass_rule if level else None,
        "released": released,
        "review": review,
        "rows": rows,
        "parts": _part_rows(attempt) if released else [],
    }
    return render(request, "exams/student/result.html", context)


def _part_rows(attempt: Attempt) -> list[dict]:
    names = {"theory": _("Theory"), "practical": _("Practical")}
    rule = attempt.exam.skill_level.pass_rule if attempt.exam.skill_level else None
    minimums = {p.name: p.minimum for p in rule.parts} if rule else {}
    return [
        {"name": names.get(part, part), "percent": value, "minimum": minimums.get(part)}
        for part, value in attempt.part_percentages().items()
    ]


# --- presenting a question -------------------------------------------------------------------


def _question_labels() -> dict:
    """Words every question repeats: translated once per page rather than once per question."""
    return {
        "flag": _("Flag for review"),
        "answer": _("Your answer"),
        "choose_every": _("Choose every correct option."),
        "true": _("True"),
        "false": _("False"),
        "choose": _("— choose —"),
        "up": _("Move up"),
        "down": _("Move down"),
        # The widgets' fixed texts (exams/templates/exams/kinds/): a {% translate %} costs
        # about four gettext() calls, and a page may show a hundred widgets.
        "words": _("words"),
        "notes": _("Your notes"),
        "file": _("Your file"),
        "uploaded": _("Uploaded:"),
        "blanks_hint": _("Type your answer in each blank."),
        "cloze_hint": _("Fill in or choose an answer in each gap."),
        "ordering_hint": _("Put the items in the right order with the arrows."),
        "keep_order": _("Keep this order"),
        "calculation_hint": _(
            "Work with the numbers in the question and give each result as a number."
        ),
        "listing_title": _("Title"),
        "characters": _("characters"),
        "search_terms": _("Search terms"),
        "bytes": _("bytes (UTF-8: a Chinese character is 3)"),
        "description": _("Description"),
    }


def _present(question: AttemptQuestion) -> dict:
    """What the attempt page shows of one question: its text, widget state and answer."""
    kind, content = question.kind, question.content or {}
    question_kind = kinds.get(kind)
    response = question.response if isinstance(question.response, dict) else {}
    item = {
        # Text, not a number: it is written a dozen times per question into ids and
        # labels, and localising an integer each time was a tenth of the page's cost.
        "position": str(question.position),
        "title": _("Question %(n)s") % {"n": question.position},
        "points_label": _("%(points)s pts") % {"points": floatformat(question.max_points, "-2")},
        "part": question.part,
        "kind": kind,
        "kind_label": question_kind.label,
        "widget": question_kind.widget_template,
        "takes_file": question_kind.takes_file,
        "max_points": question.max_points,
        "seq": str(question.response_seq),
        "flagged": question.flagged,
        "answered": is_answered(response),
        "text": render_markdown(pick_language(question.version.text)),
    }
    question_kind.present(item, content, response)
    return item


def _script_strings() -> dict[str, str]:
    """Every text the page script shows, translated here."""
    return {
        "saving": _("Saving…"),
        "saved": _("All answers saved"),
        "not_saved": _("Not saved yet: retrying…"),
        "on_device": _(
            "Saved on this device, not yet on the server: it will be sent when you are back online."
        ),
        "offline_deadline": _(
            "You are offline and the exam ends in less than 5 minutes. Reconnect now: "
            "answers that have not reached the server by the end do not count."
        ),
        "refused": _("Not saved:"),
        "closed": _("Time is up: your attempt has been submitted."),
        "unanswered": _("You have not answered questions:"),
        "all_answered": _("You have answered every question."),
        "uploading": _("Uploading…"),
        "uploaded": _("Uploaded:"),
        "submitting": _("Submitting…"),
        "submit_failed": _(
            "The attempt could not be submitted; check your connection and try again."
        ),
        "answered": _("answered"),
        "not_answered": _("not answered"),
        "flagged": _("flagged"),
    }


# --- reviewing a graded question -------------------------------------------------------------


def _review(question: AttemptQuestion) -> dict:
    version = question.version
    kind = question.kind
    question_kind = kinds.get(kind)
    # A kind that draws numbers per attempt is reviewed with the numbers this student got.
    content = (question.content if question_kind.per_attempt else version.content) or {}
    response = question.response if isinstance(question.response, dict) else {}
    row = {
        "position": question.position,
        "kind_label": question_kind.label,
        "text": render_markdown(pick_language(version.text)),
        "answer": question_kind.describe(content, response) if is_answered(response) else "",
        "correct": question_kind.describe_key(content, version.key or {}),
        "key_label": question_kind.key_label,
        "points": question.points,
        "max_points": question.max_points,
        "is_correct": question.is_correct,
        # Per-criterion results of a kind marked partly by rules (a listing), [] otherwise.
        "criteria": question_kind.criteria(content, version.key or {}, response),
        "feedback": render_markdown(pick_language(version.feedback)) if version.feedback else "",
    }
    if question_kind.per_attempt:
        question_kind.review(row, content, version.key or {}, response)
    return row
