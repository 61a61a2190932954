"""Sitting pages: scheduling (teachers, administrators) and the invigilator console."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import access
from ..models import Exam, ExamOverride, Sitting
from ..services import notices, overrides
from ..services import sittings as service
from ..services.errors import ExamError
from ..sitting_forms import (
    AccommodationForm,
    AddTimeForm,
    OverrideForm,
    RedrawForm,
    SittingForm,
    person_label,
)


def _schedulable_exam(user, exam_id: int) -> Exam:
    exam = get_object_or_404(Exam.objects.select_related("organization"), pk=exam_id)
    if not access.can_schedule_sittings(user, exam):
        raise Http404(_("No such exam."))
    return exam


def _sitting(user, sitting_id: int) -> Sitting:
    sitting = get_object_or_404(Sitting.objects.select_related("exam__organization"), pk=sitting_id)
    if not access.can_invigilate(user, sitting):
        raise Http404(_("No such sitting."))
    return sitting


@login_required
def sitting_list(request):
    """The sittings the user runs, and the exams they may schedule sittings of."""
    user = request.user
    if not access.is_exam_staff(user):
        raise PermissionDenied(_("These pages are for teachers, mentors and administrators."))
    sittings = (
        access.invigilated_sittings(user).select_related("exam").order_by("ended_at", "starts_at")
    )
    exam_id = request.GET.get("exam")
    exam = None
    if exam_id and exam_id.isdigit():
        exam = _schedulable_exam(user, int(exam_id))
        sittings = sittings.filter(exam=exam)
    return render(
        request,
        "exams/staff/sitting_list.html",
        {"sittings": sittings, "exam": exam, "exams": access.authored_exams(user)},
    )


@login_required
def sitting_new(request, exam_id: int):
    exam = _schedulable_exam(request.user, exam_id)
    form = SittingForm(request.POST or None, exam=exam)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            sitting = form.save()
            notices.sitting_scheduled(sitting)  # the candidates hear when and where
        service.queue_paper_drawing(sitting)
        messages.success(request, _("Sitting scheduled; the papers are being drawn."))
        return redirect("exams:sitting_console", sitting_id=sitting.pk)
    return render(
        request,
        "exams/staff/sitting_form.html",
        {"form": form, "exam": exam, "sitting": None},
        status=400 if form.errors else 200,
    )


@login_required
def sitting_edit(request, sitting_id: int):
    sitting = get_object_or_404(Sitting.objects.select_related("exam"), pk=sitting_id)
    exam = _schedulable_exam(request.user, sitting.exam_id)
    form = SittingForm(request.POST or None, instance=sitting, exam=exam)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            if not sitting.is_ended and {"starts_at", "mode", "place"} & set(form.changed_data):
                notices.sitting_scheduled(sitting)  # moved: the candidates hear again
        if not sitting.is_ended:
            service.queue_paper_drawing(sitting)  # new candidates get their papers
        messages.success(request, _("Sitting saved."))
        return redirect("exams:sitting_console", sitting_id=sitting.pk)
    return render(
        request,
        "exams/staff/sitting_form.html",
        {"form": form, "exam": exam, "sitting": sitting},
        status=400 if form.errors else 200,
    )


STATE_LABELS = {
    "not_arrived": gettext_lazy("Not arrived"),
    "started": gettext_lazy("Started"),
    "answering": gettext_lazy("Answering"),
    "connection_lost": gettext_lazy("Connection lost"),
    "submitted": gettext_lazy("Submitted"),
}

END_STATUS_LABELS = {
    "": "",
    "queued": gettext_lazy("Waiting for a worker"),
    "running": gettext_lazy("Submitting (if this stays, end the sitting again)"),
    "done": gettext_lazy("Done"),
}


PAPER_STATUS_LABELS = {
    "": gettext_lazy("Not drawn yet"),
    "queued": gettext_lazy("Waiting for a worker"),
    "running": gettext_lazy("Drawing (if this stays, draw the missing papers again)"),
    "done": gettext_lazy("Done"),
    "failed": gettext_lazy("Failed"),
}


def _json_rows(rows) -> list[dict]:
    return [
        {
            "student": row["student"].pk,
            "state": row["state"],
            "state_label": str(STATE_LABELS[row["state"]]),
            "seconds_left": row["seconds_left"],
            "last_save_seconds": row["last_save_seconds"],
            "last_heard_seconds": row["last_heard_seconds"],
            "paper_ready": row["paper_ready"],
        }
        for row in rows
    ]


@login_required
def sitting_console(request, sitting_id: int):
    sitting = _sitting(request.user, sitting_id)
    rows = service.console_rows(sitting)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "now": timezone.now().isoformat(),
                "released": sitting.effective_start is not None,
                "ended": sitting.is_ended,
                "papers": {
                    "drawn": sitting.papers_drawn,
                    "total": sitting.papers_total,
                    "status": sitting.papers_status,
                    "status_label": str(PAPER_STATUS_LABELS.get(sitting.papers_status, "")),
                },
                "ending": {
                    "done": sitting.end_done,
                    "total": sitting.end_total,
                    "status": sitting.end_status,
                    "status_label": str(END_STATUS_LABELS.get(sitting.end_status, "")),
                },
                "rows": _json_rows(rows),
            }
        )
    for row in rows:
        row["name"] = person_label(row["student"])
        row["state_label"] = STATE_LABELS[row["state"]]
    roster = service.roster(sitting)
    return render(
        request,
        "exams/staff/sitting_console.html",
        {
            "sitting": sitting,
            "exam": sitting.exam,
            "rows": rows,
            "can_schedule": access.can_schedule_sittings(request.user, sitting.exam),
            "papers_status": PAPER_STATUS_LABELS.get(sitting.papers_status, ""),
            "end_status": END_STATUS_LABELS.get(sitting.end_status, ""),
            "lost_after": int(service.connection_lost_after().total_seconds()),
            "redraw_form": RedrawForm(),
            "accommodation_form": AccommodationForm(roster=roster),
            "add_time_form": AddTimeForm(),
        },
    )


def _back(sitting: Sitting):
    return redirect("exams:sitting_console", sitting_id=sitting.pk)


@login_required
@require_POST
def sitting_release(request, sitting_id: int):
    sitting = _sitting(request.user, sitting_id)
    try:
        service.release_start(sitting=sitting, actor=request.user)
    except ExamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The start is released: candidates may begin."))
    return _back(sitting)


@login_required
@require_POST
def sitting_end(request, sitting_id: int):
    sitting = _sitting(request.user, sitting_id)
    service.end_sitting(sitting=sitting, actor=request.user)
    messages.success(request, _("The sitting has ended; its open attempts are being submitted."))
    return _back(sitting)


@login_required
@require_POST
def sitting_add_time(request, sitting_id: int):
    sitting = _sitting(request.user, sitting_id)
    form = AddTimeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the minutes (1–240) and a reason."))
        return _back(sitting)
    student = get_user_model().objects.filter(pk=form.cleaned_data["student"]).first()
    if student is None or not service.is_admitted(sitting, student):
        raise Http404(_("No such candidate in this sitting."))
    try:
        service.add_time(
            sitting=sitting,
            student=student,
            minutes=form.cleaned_data["minutes"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except ExamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(n)d minutes added for %(who)s.")
            % {"n": form.cleaned_data["minutes"], "who": person_label(student)},
        )
    return _back(sitting)


@login_required
@require_POST
def sitting_accommodation(request, sitting_id: int):
    sitting = _sitting(request.user, sitting_id)
    if not access.can_schedule_sittings(request.user, sitting.exam):
        raise Http404(_("No such sitting."))
    form = AccommodationForm(request.POST, roster=service.roster(sitting))
    if form.is_valid():
        service.accommodation_set(sitting=sitting, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Accommodation saved."))
    else:
        messages.error(request, _("Choose a candidate, the extra time and a reason."))
    return _back(sitting)


@login_required
@require_POST
def sitting_draw(request, sitting_id: int):
    sitting = _sitting(request.user, sitting_id)
    if not access.can_schedule_sittings(request.user, sitting.exam):
        raise Http404(_("No such sitting."))
    service.queue_paper_drawing(sitting)
    messages.success(request, _("The papers are being drawn."))
    return _back(sitting)


@login_required
@require_POST
def sitting_redraw(request, sitting_id: int):
    """Redraw the papers of candidates who have not started (after a question bank change)."""
    sitting = _sitting(request.user, sitting_id)
    if not access.can_schedule_sittings(request.user, sitting.exam):
        raise Http404(_("No such sitting."))
    form = RedrawForm(request.POST)
    form.is_valid()  # the reason is optional and short: nothing to refuse but its length
    try:
        count = service.redraw_papers(
            sitting=sitting, actor=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except ExamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(n)d papers of candidates who have not started are being drawn again.")
            % {"n": count},
        )
    return _back(sitting)


# --- Overrides ------------------------------------------------------------------------------


@login_required
def exam_overrides(request, exam_id: int):
    """Per cohort and per candidate dates, time limit and attempts of an exam."""
    exam = _schedulable_exam(request.user, exam_id)
    form = OverrideForm(request.POST or None, exam=exam)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            overrides.override_set(exam=exam, actor=request.user, **data)
        except ExamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Override saved."))
            return redirect("exams:exam_overrides", exam_id=exam.pk)
    return render(
        request,
        "exams/staff/overrides.html",
        {
            "exam": exam,
            "form": form,
            "overrides": exam.overrides.select_related("cohort__course", "student__profile"),
            "sittings": exam.sittings.order_by("starts_at"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def exam_override_delete(request, exam_id: int, override_id: int):
    exam = _schedulable_exam(request.user, exam_id)
    override = get_object_or_404(ExamOverride, pk=override_id, exam=exam)
    overrides.override_remove(override=override, actor=request.user)
    messages.success(request, _("Override removed."))
    return redirect("exams:exam_overrides", exam_id=exam.pk)
