"""Student pages (catalogue, course, lesson and its attachment, my learning) and CSV enrolment."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, completion, conf, services
from .forms import CatalogueFilterForm, EnrollmentCsvForm
from .markup import render_markdown
from .models import Cohort, Course, Enrollment, Lesson, LessonCompletion


def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    courses = Course.objects.published().select_related("school").prefetch_related("programmes")
    if form.is_valid():
        courses = courses.search(form.cleaned_data["q"]).in_track(form.cleaned_data["track"])
    page = Paginator(courses.order_by("code"), 24).get_page(request.GET.get("page"))
    return render(request, "courses/catalogue.html", {"form": form, "page": page})


def _visible_course(request, code: str) -> Course:
    course = get_object_or_404(Course.objects.select_related("school"), code=code)
    if not access.can_view_course(request.user, course):
        raise Http404(_("No such course."))
    return course


def _enrollment(user, course: Course) -> Enrollment | None:
    if not user.is_authenticated:
        return None
    return (
        Enrollment.objects.with_progress()
        .select_related("course")
        .filter(student=user, course=course)
        .first()
    )


def course_detail(request, code: str):
    course = _visible_course(request, code)
    enrollment = _enrollment(request.user, course)
    modules = course.modules.prefetch_related("lessons")
    done = _completed_ids(enrollment)
    missing = (
        services.missing_prerequisites(student=request.user, course=course)
        if request.user.is_authenticated
        else list(course.prerequisites.all())
    )
    return render(
        request,
        "courses/course_detail.html",
        {
            "course": course,
            "modules": modules,
            "enrollment": enrollment,
            "completed_ids": done,
            "missing_prerequisites": missing,
            "partners": course.partners.all(),
            "criteria": (
                services.completion_status(enrollment)
                if enrollment is not None and enrollment.is_active
                else None
            ),
            "assessments": completion.assessments(course) if course.requires_assessment else [],
            "is_author": access.can_author(request.user, course),
        },
    )


def _completed_ids(enrollment: Enrollment | None) -> set[int]:
    if enrollment is None:
        return set()
    return set(
        LessonCompletion.objects.filter(enrollment=enrollment).values_list("lesson_id", flat=True)
    )


@login_required
@require_POST
def enrol(request, code: str):
    course = _visible_course(request, code)
    try:
        services.enrollment_create(student=request.user, course=course)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return render(
            request, "courses/refused.html", {"course": course, "reasons": exc.messages}, status=409
        )
    messages.success(request, _("You are enrolled in %(course)s.") % {"course": course.title})
    return redirect(course)


@login_required
@require_POST
def withdraw(request, code: str):
    course = _visible_course(request, code)
    enrollment = get_object_or_404(Enrollment, student=request.user, course=course)
    try:
        services.enrollment_withdraw(enrollment=enrollment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(course)
    messages.success(request, _("You have withdrawn from %(course)s.") % {"course": course.title})
    return redirect("courses:my_learning")


@login_required
def lesson_detail(request, code: str, lesson_id: int):
    course = _visible_course(request, code)
    lesson = get_object_or_404(
        Lesson.objects.select_related("module"), pk=lesson_id, module__course=course
    )
    enrollment = _enrollment(request.user, course)
    if not access.can_open_lessons(request.user, course, enrollment=enrollment):
        messages.info(request, _("Enrol in the course to open its lessons."))
        return redirect(course)
    counts_time = enrollment is not None and enrollment.status == Enrollment.Status.ACTIVE
    if counts_time:
        services.lesson_opened(enrollment=enrollment)
    ordered = list(course.lessons().values_list("pk", flat=True))
    index = ordered.index(lesson.pk)
    previous_pk = ordered[index - 1] if index else None
    next_pk = ordered[index + 1] if index + 1 < len(ordered) else None
    # Their URLs name the course: fetch it with them rather than once per link.
    neighbours = Lesson.objects.select_related("module__course").in_bulk(
        [pk for pk in (previous_pk, next_pk) if pk]
    )
    return render(
        request,
        "courses/lesson_detail.html",
        {
            "course": course,
            "lesson": lesson,
            "body_html": render_markdown(lesson.body),
            "enrollment": enrollment,
            "is_complete": lesson.pk in _completed_ids(enrollment),
            "previous": neighbours.get(previous_pk),
            "next": neighbours.get(next_pk),
            "position": index + 1,
            "total": len(ordered),
            # The page reports itself while open (courses/static/courses/lesson_time.js).
            "time_url": (
                reverse("courses:lesson_time", args=[course.code, lesson.pk]) if counts_time else ""
            ),
            "heartbeat_seconds": conf.heartbeat_seconds(),
        },
    )


@login_required
@require_POST
def lesson_time(request, code: str, lesson_id: int):
    """An open lesson page reports itself; the server credits the time it measured."""
    course = _visible_course(request, code)
    lesson = get_object_or_404(
        Lesson.objects.select_related("module"), pk=lesson_id, module__course=course
    )
    enrollment = _enrollment(request.user, course)
    if not access.can_open_lessons(request.user, course, enrollment=enrollment):
        return JsonResponse({"detail": _("Enrol in the course to open its lessons.")}, status=403)
    try:
        credited = services.lesson_heartbeat(student=request.user, lesson=lesson)
    except ValidationError as exc:
        return JsonResponse({"detail": " ".join(exc.messages)}, status=403)
    return JsonResponse({"credited_seconds": credited})


def lesson_attachment(request, code: str, lesson_id: int):
    """A lesson's file, for those who may open the lesson; to anyone else it does not exist."""
    lesson = (
        Lesson.objects.select_related("module__course")
        .filter(pk=lesson_id, module__course__code=code)
        .first()
    )
    if lesson is None or not lesson.attachment:
        raise Http404(_("No such attachment."))
    course = lesson.module.course
    enrollment = _enrollment(request.user, course)
    if not access.can_open_lessons(request.user, course, enrollment=enrollment):
        raise Http404(_("No such attachment."))
    try:
        handle = lesson.attachment.storage.open(lesson.attachment.name, "rb")
    except (OSError, SuspiciousFileOperation) as error:
        raise Http404(_("No such attachment.")) from error
    response = FileResponse(
        handle, as_attachment=True, filename=os.path.basename(lesson.attachment.name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_POST
def lesson_complete(request, code: str, lesson_id: int):
    course = _visible_course(request, code)
    lesson = get_object_or_404(Lesson, pk=lesson_id, module__course=course)
    try:
        services.lesson_complete(student=request.user, lesson=lesson)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(course)
    messages.success(request, _("Lesson marked complete."))
    enrollment = _enrollment(request.user, course)
    status = services.completion_status(enrollment)
    if enrollment.status == Enrollment.Status.ACTIVE and status.lessons_met and not status.met:
        messages.info(
            request,
            _(
                "Every required lesson is done. The course completes once the rest of its "
                "criteria are met: see the course page."
            ),
        )
    next_url = request.POST.get("next")
    if next_url and next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect(lesson)


@login_required
def my_learning(request):
    enrollments = (
        Enrollment.objects.active()
        .filter(student=request.user)
        .with_progress()
        .select_related("course", "cohort")
        .order_by("-enrolled_at")
    )
    return render(request, "courses/my_learning.html", {"enrollments": enrollments})


@login_required
def cohort_enrol_csv(request, cohort_id: int):
    cohort = get_object_or_404(Cohort.objects.select_related("course__school"), pk=cohort_id)
    if not access.can_manage_cohort(request.user, cohort):
        raise PermissionDenied(_("Only the class's teacher can enrol students."))
    form = EnrollmentCsvForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            report = services.enrollments_import_csv(
                cohort=cohort, data=form.cleaned_data["file"].read(), by=request.user
            )
        except ValidationError as exc:
            form.add_error("file", exc)
            status = 400
        else:
            if report.ok:
                messages.success(request, _("%(n)d students enrolled.") % {"n": report.imported})
            else:
                status = 400
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "courses/cohort_enrol_csv.html",
        {
            "cohort": cohort,
            "form": form,
            "report": report,
            "students": cohort.enrollments.active().select_related("student"),
        },
        status=status,
    )
