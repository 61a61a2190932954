"""The course studio: a teacher's courses, their outline, lessons, order and publishing.

Access comes from courses.access (authors of the course's school); every write goes through
courses.services. A course the user may not author does not exist for them (404).
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, completion, conf, services
from .forms import CourseForm, LessonForm, ModuleForm
from .markup import render_markdown
from .models import Course, Enrollment, Lesson, Module


def _require_studio(user) -> None:
    if not access.can_use_studio(user):
        raise PermissionDenied(_("The course studio is for the teachers of a school."))


def _authored_course(user, code: str) -> Course:
    _require_studio(user)
    course = get_object_or_404(Course.objects.select_related("school"), code=code)
    if not access.can_author(user, course):
        raise Http404(_("No such course."))
    return course


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def studio_courses(request):
    _require_studio(request.user)
    lessons = (
        Lesson.objects.filter(module__course=OuterRef("pk"))
        .order_by()
        .values("module__course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    courses = (
        access.authored_courses(request.user)
        .select_related("school")
        .annotate(
            module_count=Count("modules", distinct=True),
            lesson_count=Coalesce(Subquery(lessons), Value(0)),
            student_count=Count(
                "enrollments",
                filter=~Q(enrollments__status=Enrollment.Status.WITHDRAWN),
                distinct=True,
            ),
        )
        .order_by("school__code", "code")
    )
    return render(request, "courses/studio/courses.html", {"courses": courses})


def _course_form(request, course: Course | None):
    form = CourseForm(
        request.POST or None,
        instance=course,
        schools=access.studio_schools(request.user),
        courses=access.authored_courses(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.course_save(
                course=Course.objects.get(pk=course.pk) if course else None,
                fields=form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The course is saved."))
            return redirect("courses:studio_course", saved.code)
    return render(
        request,
        "courses/studio/course_form.html",
        {"form": form, "course": course},
        status=400 if form.errors else 200,
    )


@login_required
def studio_course_new(request):
    _require_studio(request.user)
    return _course_form(request, None)


@login_required
def studio_course_edit(request, code: str):
    return _course_form(request, _authored_course(request.user, code))


@login_required
def studio_course(request, code: str):
    course = _authored_course(request.user, code)
    modules = list(course.modules.order_by("position", "pk").prefetch_related("lessons"))
    return render(
        request,
        "courses/studio/course.html",
        {
            "course": course,
            "modules": modules,
            "problems": services.publish_problems(course),
            "assessments": completion.assessments(course) if course.requires_assessment else [],
            "module_form": ModuleForm(),
            "students": course.enrollments.active().count(),
        },
    )


@login_required
@require_POST
def studio_course_publish(request, code: str):
    course = _authored_course(request.user, code)
    publish = request.POST.get("publish") == "1"
    try:
        services.course_set_published(course=course, published=publish)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("The course is published.") if publish else _("The course is withdrawn from view."),
        )
    return redirect("courses:studio_course", course.code)


def _authored_module(request, code: str, module_id: int) -> Module:
    course = _authored_course(request.user, code)
    return get_object_or_404(Module.objects.select_related("course"), pk=module_id, course=course)


def _authored_lesson(request, code: str, lesson_id: int) -> Lesson:
    course = _authored_course(request.user, code)
    return get_object_or_404(
        Lesson.objects.select_related("module__course"), pk=lesson_id, module__course=course
    )


@login_required
def studio_module_form(request, code: str, module_id: int | None = None):
    if module_id is None:
        course, module = _authored_course(request.user, code), None
    else:
        module = _authored_module(request, code, module_id)
        course = module.course
    initial = {"title_en": module.title_en, "title_zh": module.title_zh} if module else None
    form = ModuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.module_save(course=course, module=module, fields=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The module is saved."))
            return redirect("courses:studio_course", course.code)
    return render(
        request,
        "courses/studio/module_form.html",
        {"form": form, "course": course, "module": module},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def studio_module_delete(request, code: str, module_id: int):
    module = _authored_module(request, code, module_id)
    try:
        services.module_delete(module=module)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The module is deleted."))
    return redirect("courses:studio_course", code)


@login_required
@require_POST
def studio_module_move(request, code: str, module_id: int):
    module = _authored_module(request, code, module_id)
    services.module_move(module=module, up=request.POST.get("direction") == "up")
    return redirect(reverse("courses:studio_course", args=[code]) + f"#module-{module.pk}")


@login_required
def studio_lesson_form(request, code: str, lesson_id: int | None = None):
    if lesson_id is None:
        course, lesson = _authored_course(request.user, code), None
    else:
        lesson = _authored_lesson(request, code, lesson_id)
        course = lesson.module.course
    if lesson is None and not course.modules.exists():
        messages.info(request, _("Add a module first: lessons belong to a module."))
        return redirect("courses:studio_course", course.code)
    initial = None
    if lesson is not None:
        initial = {
            name: getattr(lesson, name)
            for name in ("title_en", "title_zh", "body_en", "body_zh", "video_url", "is_required")
        } | {"module": lesson.module_id}
    elif request.GET.get("module", "").isdigit():
        initial = {"module": int(request.GET["module"]), "is_required": True}
    form = LessonForm(request.POST or None, request.FILES or None, initial=initial, course=course)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.lesson_save(
                module=form.cleaned_data["module"], lesson=lesson, fields=form.service_fields()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The lesson is saved."))
            if "continue" in request.POST:
                return redirect("courses:studio_lesson_edit", course.code, saved.pk)
            return redirect(
                reverse("courses:studio_course", args=[course.code]) + f"#lesson-{saved.pk}"
            )
    return render(
        request,
        "courses/studio/lesson_form.html",
        {
            "form": form,
            "course": course,
            "lesson": lesson,
            "max_size": conf.attachment_max_bytes(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def studio_lesson_delete(request, code: str, lesson_id: int):
    lesson = _authored_lesson(request, code, lesson_id)
    try:
        services.lesson_delete(lesson=lesson)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The lesson is deleted."))
    return redirect("courses:studio_course", code)


@login_required
@require_POST
def studio_lesson_move(request, code: str, lesson_id: int):
    lesson = _authored_lesson(request, code, lesson_id)
    services.lesson_move(lesson=lesson, up=request.POST.get("direction") == "up")
    return redirect(reverse("courses:studio_course", args=[code]) + f"#lesson-{lesson.pk}")


def _parse_order(body: bytes) -> list[tuple[int, list[int]]]:
    """{"modules": [{"id": 3, "lessons": [7, 5]}, ...]} from the outline script."""
    data = json.loads(body)
    order = []
    for item in data["modules"]:
        lessons = [int(pk) for pk in item["lessons"]]
        order.append((int(item["id"]), lessons))
    return order


@login_required
@require_POST
def studio_reorder(request, code: str):
    """The new order after a drag and drop, as JSON; answers JSON (the page shows the message)."""
    course = _authored_course(request.user, code)
    try:
        order = _parse_order(request.body)
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": _("The order could not be read.")}, status=400)
    try:
        services.outline_reorder(course=course, order=order)
    except ValidationError as exc:
        return JsonResponse({"detail": _error_text(exc)}, status=409)
    return JsonResponse({"detail": _("The new order is saved.")})


@login_required
@require_POST
def studio_preview(request):
    """Markdown rendered by the sanitiser students' pages use: what the author sees is what
    students will see."""
    _require_studio(request.user)
    text = request.POST.get("text", "")
    if len(text) > conf.PREVIEW_MAX_CHARS:
        return HttpResponse(_("The text is too long to preview."), status=413)
    response = HttpResponse(render_markdown(text), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
