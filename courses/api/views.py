"""Courses API: catalogue, enrolment and progress for students; authoring for teachers."""

import django_filters
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from .. import access, services
from ..models import Course, Enrollment, Lesson, Module, Programme
from . import serializers as s

REFUSED = OpenApiResponse(s.RefusalSerializer, description="Refused by the course's rules.")


def refusal(exc: ValidationError, http_status=status.HTTP_409_CONFLICT) -> Response:
    return Response({"detail": " ".join(exc.messages), "code": exc.code}, status=http_status)


class CourseFilter(django_filters.FilterSet):
    track = django_filters.ChoiceFilter(
        field_name="programmes__track", choices=Programme.Track.choices, distinct=True
    )
    school = django_filters.CharFilter(field_name="school__code")
    q = django_filters.CharFilter(method="search", label="Search")

    class Meta:
        model = Course
        fields = ["language", "is_published"]

    def search(self, queryset, name, value):
        return queryset.search(value)


@extend_schema_view(
    list=extend_schema(
        summary="The course catalogue",
        description="Published courses for everyone, plus the courses the caller authors; "
        "filter by track, school, language or a search.",
    ),
    retrieve=extend_schema(summary="A course with its modules and lessons"),
    create=extend_schema(summary="Create a course (teachers of its school)"),
    partial_update=extend_schema(summary="Edit a course (teachers of its school)"),
)
class CourseViewSet(viewsets.ModelViewSet):
    """The catalogue for everyone; create and edit for the school's teachers."""

    lookup_field = "code"
    filterset_class = CourseFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        if self.action in {"list", "retrieve"}:
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_queryset(self):
        visible = Course.objects.published()
        if self.request.user.is_authenticated:
            visible = visible | access.authored_courses(self.request.user)
        return (
            visible.distinct()
            .select_related("school")
            .prefetch_related("partners", "programmes", "prerequisites", "modules__lessons")
            .order_by("code")
        )

    def get_serializer_class(self):
        return s.CourseDetailSerializer if self.action == "retrieve" else s.CourseSerializer

    # Refuse non-authors before validating the body: its errors would tell them what exists
    # (e.g. which unpublished course codes, through `prerequisites`).
    def create(self, request, *args, **kwargs):
        if not access.can_author_any(request.user):
            raise PermissionDenied(_("You do not teach at any school."))
        return super().create(request, *args, **kwargs)

    def get_object(self):
        course = super().get_object()
        if self.action == "partial_update" and not access.can_author(self.request.user, course):
            raise PermissionDenied(_("Only the school's teachers edit this course."))
        return course

    def perform_create(self, serializer):
        school = serializer.validated_data["school"]
        if not access.can_author(self.request.user, Course(school=school)):
            raise PermissionDenied(_("You do not teach at this school."))
        serializer.save()

    def perform_update(self, serializer):
        if not access.can_author(self.request.user, serializer.instance):
            raise PermissionDenied(_("Only the school's teachers edit this course."))
        school = serializer.validated_data.get("school")
        if school and not access.can_author(self.request.user, Course(school=school)):
            raise PermissionDenied(_("You do not teach at this school."))
        serializer.save()

    @extend_schema(
        request=None,
        responses={201: s.EnrollmentSerializer, 409: REFUSED},
        summary="Enrol in the course",
        description="Refused (409) when already enrolled, the course is full or closed, or a "
        "prerequisite is missing.",
    )
    @action(detail=True, methods=["post"])
    def enrol(self, request, code=None):
        course = self.get_object()
        try:
            enrollment = services.enrollment_create(student=request.user, course=course)
        except ValidationError as exc:
            return refusal(exc)
        enrollment = Enrollment.objects.with_progress().get(pk=enrollment.pk)
        return Response(s.EnrollmentSerializer(enrollment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: s.EnrollmentSerializer, 409: REFUSED},
        summary="Withdraw from the course",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, code=None):
        course = self.get_object()
        enrollment = Enrollment.objects.filter(student=request.user, course=course).first()
        if enrollment is None:
            raise NotFound(_("You are not enrolled in this course."))
        try:
            services.enrollment_withdraw(enrollment=enrollment)
        except ValidationError as exc:
            return refusal(exc)
        enrollment = Enrollment.objects.with_progress().get(pk=enrollment.pk)
        return Response(s.EnrollmentSerializer(enrollment).data)

    @extend_schema(
        request=s.ModuleWriteSerializer,
        responses={201: s.ModuleWriteSerializer},
        summary="Add a module to the course (its authors)",
    )
    @action(detail=True, methods=["post"])
    def modules(self, request, code=None):
        course = self.get_object()
        if not access.can_author(request.user, course):
            raise PermissionDenied(_("Only the school's teachers edit this course."))
        serializer = s.ModuleWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save(course=course)
        return Response(serializer.data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(summary="My enrolments, with progress"))
class EnrollmentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The signed-in student's enrolments with progress."""

    serializer_class = s.EnrollmentSerializer
    filterset_fields = ["status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Enrollment.objects.none()
        return (
            Enrollment.objects.filter(student=self.request.user)
            .with_progress()
            .select_related("course", "cohort")
            .order_by("-enrolled_at")
        )


@extend_schema_view(
    retrieve=extend_schema(summary="A lesson (its enrolled students and authors)"),
    partial_update=extend_schema(summary="Edit a lesson (the course's authors)"),
)
class LessonViewSet(mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """A lesson for its enrolled students and authors; authors edit it; students complete it."""

    serializer_class = s.LessonSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Lesson.objects.select_related("module__course__school")

    def get_object(self):
        lesson = super().get_object()
        course = lesson.module.course
        if access.can_author(self.request.user, course):
            return lesson
        enrolled = Enrollment.objects.active().filter(student=self.request.user, course=course)
        if self.action == "retrieve" and course.is_published and enrolled.exists():
            return lesson
        if self.action in {"complete", "time"} and course.is_published:
            return lesson  # the service refuses students who are not enrolled
        raise NotFound(_("No such lesson."))

    def perform_update(self, serializer):
        if not access.can_author(self.request.user, serializer.instance.module.course):
            raise PermissionDenied(_("Only the school's teachers edit this lesson."))
        serializer.save()

    @extend_schema(
        request=None,
        responses={200: s.EnrollmentSerializer, 403: REFUSED},
        summary="Mark the lesson complete (enrolled students)",
        description="Records the lesson as done. The course completes (and its certificate "
        "is issued) only when every required lesson is done and the course's evidence is "
        "there: the minimum time on lessons the server measured and/or a passed assessment.",
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        lesson = self.get_object()
        try:
            services.lesson_complete(student=request.user, lesson=lesson)
        except ValidationError as exc:
            return refusal(exc, status.HTTP_403_FORBIDDEN)
        enrollment = Enrollment.objects.with_progress().get(
            student=request.user, course=lesson.module.course
        )
        return Response(s.EnrollmentSerializer(enrollment).data)

    @extend_schema(
        request=None,
        responses={200: s.EnrollmentSerializer, 403: REFUSED},
        summary="Report the lesson open (enrolled students)",
        description="A client showing the lesson reports it about every "
        "`COURSES_HEARTBEAT_SECONDS` (30) while it is on screen. The server credits the time "
        "since the enrolment's previous report, capped, by its own clock: a course's minimum "
        "time on lessons cannot be claimed, only spent. Marking lessons complete does not "
        "complete a course without its evidence (time and/or a passed assessment).",
    )
    @action(detail=True, methods=["post"])
    def time(self, request, pk=None):
        lesson = self.get_object()
        try:
            services.lesson_heartbeat(student=request.user, lesson=lesson)
        except ValidationError as exc:
            return refusal(exc, status.HTTP_403_FORBIDDEN)
        enrollment = Enrollment.objects.with_progress().get(
            student=request.user, course=lesson.module.course
        )
        return Response(s.EnrollmentSerializer(enrollment).data)


@extend_schema_view(create=extend_schema(summary="Add a lesson to a module (its authors)"))
class ModuleLessonViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Add a lesson to a module (authors only)."""

    serializer_class = s.LessonSerializer

    def perform_create(self, serializer):
        module = get_object_or_404(
            Module.objects.select_related("course"), pk=self.kwargs["module_id"]
        )
        if not access.can_author(self.request.user, module.course):
            raise PermissionDenied(_("Only the school's teachers edit this course."))
        serializer.save(module=module)
