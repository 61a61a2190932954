"""Teacher and mentor pages: banks, blueprints, statistics, blind marking and key corrections."""

import random
from collections import defaultdict
from fractions import Fraction

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet, prefetch_related_objects
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from courses import access as course_access
from courses.markup import render_markdown

from .. import access, kinds, services, uploads
from ..forms import GradingQueueFilterForm, KeyCorrectionForm, MarkForm
from ..kinds import KeyView
from ..kinds.base import pick_language
from ..models import (
    Attempt,
    AttemptQuestion,
    Exam,
    ExamSection,
    Mark,
    Question,
    QuestionVersion,
    RegradeJob,
)
from ..papers import bank_depth, draw_paper
from ..statistics import ItemStats, item_statistics

PAGE_SIZE = 50


def _require_staff(user) -> None:
    if not access.is_exam_staff(user):
        raise PermissionDenied(_("These pages are for teachers, mentors and administrators."))


def _person_name(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.display_name if profile else user.get_username()


# --- Item statistics (bulk: one query for every question shown) -------------------------------


def item_statistics_by_question(answers: QuerySet[AttemptQuestion]) -> dict[int, ItemStats]:
    """Facility and discrimination per question, from the graded attempts among `answers`."""
    rows: dict[int, list] = defaultdict(list)
    graded = answers.filter(
        attempt__status=Attempt.Status.GRADED,
        attempt__total_percent__isnull=False,
        points__isnull=False,
        max_points__gt=0,
    ).values_list("version__question_id", "points", "max_points", "attempt__total_percent")
    for question_id, points, max_points, total in graded:
        fraction = min(max(Fraction(points) / Fraction(max_points), Fraction(0)), Fraction(1))
        rows[question_id].append((fraction, total))
    return {question_id: item_statistics(values) for question_id, values in rows.items()}


def stat_bars(stats: ItemStats | None) -> dict:
    """Bar widths (percent) for the facility (0..1) and discrimination (-1..1) of one item."""
    if stats is None:
        return {"attempts": 0, "facility": None, "discrimination": None}
    bars = {"attempts": stats.attempts, "facility": None, "discrimination": None}
    if stats.facility is not None:
        bars["facility"] = {"value": stats.facility, "width": int(stats.facility * 100)}
    if stats.discrimination is not None:
        r = stats.discrimination
        bars["discrimination"] = {"value": r, "width": int(abs(r) * 100), "negative": r < 0}
    return bars


# --- Home ---------------------------------------------------------------------------------------


@login_required
def staff_home(request):
    user = request.user
    _require_staff(user)
    banks = (
        access.authored_banks(user)
        .select_related("organization", "standard")
        .annotate(active_questions=Count("questions", filter=Q(questions__is_active=True)))
        .order_by("organization__name_en", "name")
    )
    exams = (
        access.authored_exams(user)
        .select_related("organization", "skill_level__standard")
        .annotate(
            submitted=Count("attempts", filter=~Q(attempts__status=Attempt.Status.IN_PROGRESS)),
            graded=Count("attempts", filter=Q(attempts__status=Attempt.Status.GRADED)),
        )
    )
    queue = access.grading_queue(user).aggregate(
        total=Count("pk"), adjudication=Count("pk", filter=Q(needs_adjudication=True))
    )
    return render(
        request,
        "exams/staff/home.html",
        {
            "banks": banks,
            "exams": exams,
            "queue": queue,
            "edits_marketplace_rules": access.can_edit_marketplace_rules(user),
            "can_author": access.can_author_any(user),
            "authors_courses": course_access.can_use_studio(user),
        },
    )


# --- Blueprint ------------------------------------------------------------------------------


def key_view(kind: str, content: dict, key: dict) -> KeyView:
    """The key of one question laid out for teachers, by its kind."""
    return kinds.get(kind).key_view(content or {}, key or {})


def _depth_warning(rule, exam: Exam) -> str:
    if not rule.enough:
        return "missing"
    if rule.spare == 0:
        return "no_spare"
    if exam.attempts_allowed > 1 and rule.spare < rule.wanted:
        return "few_spare"
    return ""


@login_required
def exam_blueprint(request, exam_id: int):
    exam = get_object_or_404(Exam.objects.select_related("organization"), pk=exam_id)
    if not access.can_author_exam(request.user, exam):
        raise Http404(_("No such exam."))
    parts = dict(ExamSection.Part.choices)
    depth = [
        (rule, parts.get(rule.part, rule.part), _depth_warning(rule, exam), max(0, -rule.spare))
        for rule in bank_depth(exam)
    ]
    try:
        seed = int(request.GET.get("seed", ""))
    except ValueError:
        seed = random.SystemRandom().randrange(1, 10**6)
    try:
        drawn = draw_paper(exam, rng=random.Random(seed))
    except LookupError:
        drawn = None
    sample = []
    if drawn:
        prefetch_related_objects([item.version for item in drawn], "question")
        for position, item in enumerate(drawn, start=1):
            version = item.version
            sample.append(
                {
                    "position": position,
                    "part": parts.get(item.part, item.part),
                    "version": version,
                    "text": render_markdown(pick_language(version.text)),
                    "key": key_view(version.question.kind, version.content, version.key),
                }
            )
    return render(
        request,
        "exams/staff/blueprint.html",
        {
            "exam": exam,
            "depth": depth,
            "problems": sum(1 for row in depth if row[2] == "missing"),
            "sample": sample,
            "cannot_draw": drawn is None,
            "seed": seed,
            "next_seed": random.Random(seed).randrange(1, 10**6),
        },
    )


# --- Statistics -----------------------------------------------------------------------------


def _histogram(totals: list, buckets: int = 10) -> list[dict]:
    counts = [0] * buckets
    for total in totals:
        counts[min(int(total) * buckets // 100, buckets - 1)] += 1
    top = max(counts) or 1
    width = 100 // buckets
    return [
        {
            "low": i * width,
            "high": (i + 1) * width,
            "count": n,
            "x": i * width,
            "y": 100 - round(n * 100 / top),
            "height": round(n * 100 / top),
        }
        for i, n in enumerate(counts)
    ]


@login_required
def exam_statistics(request, exam_id: int):
    exam = get_object_or_404(Exam.objects.select_related("skill_level__standard"), pk=exam_id)
    if not access.can_author_exam(request.user, exam):
        raise Http404(_("No such exam."))
    graded = exam.attempts.filter(status=Attempt.Status.GRADED)
    summary = graded.aggregate(attempts=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
    summary["pass_rate"] = (
        round(summary["passed"] * 100 / summary["attempts"], 1) if summary["attempts"] else None
    )
    stats = item_statistics_by_question(AttemptQuestion.objects.filter(attempt__exam=exam))
    questions = Question.objects.filter(pk__in=stats).select_related("current_version")
    ordered = sorted(
        questions, key=lambda q: (stats[q.pk].facility is None, stats[q.pk].facility or 0, q.pk)
    )
    rows = [(question, stat_bars(stats[question.pk])) for question in ordered]
    totals = list(graded.values_list("total_percent", flat=True))
    return render(
        request,
        "exams/staff/statistics.html",
        {"exam": exam, "summary": summary, "rows": rows, "histogram": _histogram(totals)},
    )


# --- Grading --------------------------------------------------------------------------------


@login_required
def grading_queue(request):
    user = request.user
    _require_staff(user)
    # ?exam=, ?cohort= (a mentor's workspace links each cohort so) and ?state= narrow the
    # user's own queue; they never widen it.
    form = GradingQueueFilterForm(request.GET or None, user=user)
    queue = form.narrow(access.grading_queue(user))
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(question, Mark.Role(access.queue_role(user, question)).label) for question in page]
    filters = _filters(request)
    return render(
        request,
        "exams/staff/grading_queue.html",
        {
            "page": page,
            "rows": rows,
            "form": form,
            "cohort": form.cleaned_data.get("cohort")
            if form.is_bound and form.is_valid()
            else None,
            "filters": f"?{filters}" if filters else "",
        },
        status=400 if form.errors else 200,
    )


def _filters(request) -> str:
    """The queue's filters as a query string (no page), carried from answer to answer."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _neighbours(request, question: AttemptQuestion) -> tuple[int | None, int | None]:
    """The answers before and after this one in the user's (filtered) queue, by id."""
    form = GradingQueueFilterForm(request.GET or None, user=request.user)
    return access.queue_neighbours(form.narrow(access.grading_queue(request.user)), question)


def _mark_url(answer_id: int, filters: str) -> str:
    url = reverse("exams:mark_answer", args=[answer_id])
    return f"{url}?{filters}" if filters else url


def _answer(question_id: int) -> AttemptQuestion:
    return get_object_or_404(
        AttemptQuestion.objects.select_related(
            "attempt__exam__skill_level", "version__question"
        ).prefetch_related("marks__grader__profile"),
        pk=question_id,
    )


@login_required
def mark_answer(request, question_id: int):
    user = request.user
    question = _answer(question_id)
    role = access.marking_role(user, question)
    if role is None and not access.can_view_answer(user, question):
        raise Http404(_("No such answer."))
    version = question.version
    rubric = version.key.get("rubric") or []
    filters = _filters(request)
    previous, following = _neighbours(request, question)
    form, status = None, 200
    if role is not None:
        form = MarkForm(request.POST or None, rubric=rubric, max_points=question.max_points)
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.mark_record(
                        attempt_question=question,
                        grader=user,
                        role=role,
                        rubric_marks=form.rubric_marks(),
                        points=form.cleaned_data.get("points"),
                        comment=form.cleaned_data["comment"],
                    )
                except services.ExamError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, _("Your mark is saved."))
                    # On to the next answer of the same (filtered) queue, if there is one.
                    if following is not None:
                        return redirect(_mark_url(following, filters))
                    queue = reverse("exams:grading_queue")
                    return redirect(f"{queue}?{filters}" if filters else queue)
            status = 400
    elif request.method == "POST":
        raise PermissionDenied(_("You cannot mark this answer."))
    marks = list(question.marks.all())
    settled = not question.needs_marking
    # Blind marking: until the answer is settled, each grader sees only their own mark.
    shown = marks if settled else [m for m in marks if m.grader_id == user.pk]
    response = question.response or {}
    question_kind = kinds.get(version.question.kind)
    context = {
        "question": question,
        "attempt": question.attempt,
        "version": version,
        "text": render_markdown(pick_language(version.text)),
        "instructions": pick_language(version.content.get("instructions")),
        "guidance": pick_language(version.key.get("guidance")),
        # Free text as typed; a kind without one (a listing) says its answer in words.
        "answer_text": response.get("text", "")
        if "text" in response
        else question_kind.describe(version.content or {}, response),
        # What the automatic criteria gave, beside the rubric people mark.
        "automatic": question_kind.criteria(version.content or {}, version.key or {}, response),
        "answer_file": uploads.display_name(response.get("file")),
        "preview": uploads.preview_kind(response.get("file")),
        "filters": f"?{filters}" if filters else "",
        "previous_url": _mark_url(previous, filters) if previous else "",
        "next_url": _mark_url(following, filters) if following else "",
        "rubric": [(pick_language(c.get("criterion")), c.get("points")) for c in rubric],
        "role": Mark.Role(role).label if role else None,
        "form": form,
        "settled": settled,
        "marks": [
            (mark, _person_name(mark.grader), _named_marks(rubric, mark.rubric_marks))
            for mark in shown
        ],
    }
    return render(request, "exams/staff/mark_answer.html", context, status=status)


def _named_marks(rubric: list[dict], marks: dict | None) -> list[tuple[str, str]]:
    """A mark's points per rubric criterion, by the criterion's name, in rubric order."""
    marks = marks if isinstance(marks, dict) else {}
    names = {c.get("id"): pick_language(c.get("criterion")) for c in rubric if isinstance(c, dict)}
    named = [(names[i] or i, marks[i]) for i in names if i in marks]
    # A criterion a later key correction removed: its id would mean nothing to people.
    return named + [
        (_("Criterion no longer in the rubric"), marks[i]) for i in marks if i not in names
    ]


# The inline preview is framed by the marking page of this site, and a PDF is drawn by the
# browser's viewer (an embedded object): only such a response widens the policy, so.
PREVIEW_CSP = {**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF], "object-src": [CSP.SELF]}


@login_required
@xframe_options_sameorigin
def answer_file(request, question_id: int):
    """The uploaded file of a practical answer, for those who may mark or review it: a
    download, or with ?inline=1 a PDF or image shown beside the rubric."""
    question = _answer(question_id)
    if not access.can_view_answer(request.user, question):
        raise Http404(_("No such answer."))
    name = (question.response or {}).get("file")
    # Only a file stored under this answer's own folder, never another path the row may name.
    if not uploads.belongs_to(name, attempt_id=question.attempt_id, position=question.position):
        raise Http404(_("This answer has no file."))
    try:
        handle = default_storage.open(name, "rb")
    except (OSError, SuspiciousFileOperation) as exc:
        raise Http404(_("The file is missing.")) from exc
    filename = uploads.display_name(name)
    if request.GET.get("inline") == "1":
        head = handle.read(16)
        handle.seek(0)
        if uploads.previewable(name, head):
            content_type = uploads.PREVIEW_TYPES[uploads.extension(name)]
            response = FileResponse(handle, filename=filename, content_type=content_type)
            response._csp_config = PREVIEW_CSP
            return response
    return FileResponse(handle, as_attachment=True, filename=filename)


# --- Key corrections and regrades -----------------------------------------------------------


@login_required
def correct_key(request, version_id: int):
    version = get_object_or_404(
        QuestionVersion.objects.select_related("question__bank"), pk=version_id
    )
    if not access.can_author_bank(request.user, version.question.bank):
        raise Http404(_("No such question."))
    form, status = KeyCorrectionForm(request.POST or None, version=version), 200
    if request.method == "POST":
        if form.is_valid():
            try:
                job = services.question_correct_key(
                    version=version, key=form.cleaned_data["key"], by=request.user
                )
            except services.ExamError as exc:
                form.add_error(None, exc)
            else:
                return redirect("exams:regrade_progress", job_id=job.pk)
        status = 400
    affected = version.attempt_questions.exclude(attempt__status=Attempt.Status.IN_PROGRESS)
    return render(
        request,
        "exams/staff/correct_key.html",
        {
            "version": version,
            "question": version.question,
            "text": render_markdown(pick_language(version.text)),
            "form": form,
            "affected": affected.count(),
            "jobs": version.regrade_jobs.all()[:10],
        },
        status=status,
    )


@login_required
def regrade_progress(request, job_id: int):
    job = get_object_or_404(
        RegradeJob.objects.select_related("version__question__bank", "requested_by"), pk=job_id
    )
    if not access.can_author_bank(request.user, job.version.question.bank):
        raise Http404(_("No such regrade."))
    if request.GET.get("format") == "json":
        return JsonResponse({"done": job.done, "total": job.total, "status": job.status})
    records = job.records.select_related("attempt__exam", "attempt__student__profile").order_by(
        "attempt_id"
    )
    page = Paginator(records, 100).get_page(request.GET.get("page"))
    rows = [(record, _person_name(record.attempt.student)) for record in page]
    changed = job.records.filter(
        Q(old_passed=True, new_passed=False) | Q(old_passed=False, new_passed=True)
    ).count()
    return render(
        request,
        "exams/staff/regrade_progress.html",
        {"job": job, "page": page, "rows": rows, "changed": changed},
    )
