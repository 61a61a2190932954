"""The authoring API: question banks, questions with keys, imports, exports and exams.

Only authors (teachers and administrators of an organisation) get in at all; students,
mentors, regulators and verifiers are refused with 403. Within it, what someone else's
organisation owns is 404. Writes go through exams.services and exams.imports.
"""

import django_filters
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from .. import access, imports, services
from ..grading import KINDS
from ..interop import FORMATS
from ..models import Exam, ExamSection, ImportJob, Question, QuestionBank
from ..papers import bank_depth
from . import authoring_serializers as s


class IsAuthor(permissions.BasePermission):
    """Teachers and administrators somewhere; everyone else has no business here."""

    message = "Only teachers and administrators author questions and exams."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and access.can_author_any(request.user))


class FileRenderer(renderers.BaseRenderer):
    """Lets a client ask for any file type; the view returns the file itself."""

    media_type = "*/*"
    format = "file"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        # Anything else (an error) is JSON, and says so rather than "*/*".
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return renderers.JSONRenderer().render(data, "application/json", renderer_context)


def refused(exc: ValidationError, http_status=status.HTTP_400_BAD_REQUEST) -> Response:
    """400 with one readable sentence plus the full list of problems."""
    problems = [str(message) for message in exc.messages]
    return Response({"detail": problems[0] if problems else "", "errors": problems}, http_status)


REFUSED = OpenApiResponse(s.ProblemsSerializer, description="The problems found, every one.")


def field_problems(errors: dict) -> ValidationError:
    """A serializer's field errors as one list of problems, each naming its field."""
    return ValidationError(
        [f"{field}: {message}" for field, messages in errors.items() for message in messages]
    )


class AuthorViewSetMixin:
    permission_classes = [permissions.IsAuthenticated, IsAuthor]

    def banks(self):
        return access.authored_banks(self.request.user)


# --- Banks ----------------------------------------------------------------------------------


class BankFilter(django_filters.FilterSet):
    organization = django_filters.CharFilter(field_name="organization__code")
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")

    class Meta:
        model = QuestionBank
        fields = ["standard"]


@extend_schema_view(
    list=extend_schema(summary="The question banks I author"),
    retrieve=extend_schema(summary="A question bank"),
    create=extend_schema(summary="Create a question bank in an organisation where I teach"),
)
class BankViewSet(
    AuthorViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Banks the user authors; create one in an organisation where they teach."""

    serializer_class = s.BankSerializer
    filterset_class = BankFilter

    def get_queryset(self):
        return (
            self.banks()
            .select_related("organization")
            .annotate(question_count=Count("questions"))
            .order_by("organization__code", "name", "pk")
        )

    def perform_create(self, serializer):
        organization = serializer.validated_data["organization"]
        if not access.can_author_bank(self.request.user, QuestionBank(organization=organization)):
            raise PermissionDenied(_("You do not teach at this organisation."))
        serializer.save()
        serializer.instance.question_count = 0

    @extend_schema(
        request={"multipart/form-data": s.ImportUploadSerializer},
        responses={202: s.ImportJobSerializer, 400: REFUSED},
        summary="Import a question file into the bank",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
        serializer_class=s.ImportUploadSerializer,
    )
    def import_file(self, request, pk=None):
        """Upload a question file; it is imported in the background, all or nothing."""
        bank = self.get_object()
        upload = s.ImportUploadSerializer(data=request.data)
        if not upload.is_valid():
            # The documented shape of a refusal, as for a file the importer refuses.
            return refused(field_problems(upload.errors))
        try:
            job = imports.import_start(
                bank=bank,
                fmt=upload.validated_data["format"],
                upload=upload.validated_data["file"],
                by=request.user,
                language=upload.validated_data.get("language") or get_language(),
            )
        except ValidationError as exc:
            return refused(exc)
        data = s.ImportJobSerializer(job, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})

    @extend_schema(
        parameters=[
            OpenApiParameter("fmt", str, enum=list(FORMATS), required=True),
            OpenApiParameter("lang", str, enum=["en", "zh-hans"], required=False),
        ],
        responses={
            **{
                # Each format's own media type (GIFT and Aiken are text, QTI a zip, ...).
                (200, media_type): OpenApiResponse(
                    OpenApiTypes.BINARY,
                    description="The file. X-Export-Warnings counts what the format could not "
                    "hold; X-Export-Report is the address of those warnings as JSON.",
                )
                for media_type in sorted({f.media_type.split(";")[0] for f in FORMATS.values()})
            },
            400: REFUSED,
        },
        summary="Export the bank's questions as a file",
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[renderers.JSONRenderer, FileRenderer],
        filter_backends=[],
        pagination_class=None,
    )
    def export(self, request, pk=None):
        """The bank's active questions as a GIFT, Aiken, Moodle XML, QTI 2.1 or Excel file."""
        bank = self.get_object()
        fmt = request.query_params.get("fmt", "")
        language = request.query_params.get("lang") or get_language()
        try:
            result = imports.bank_export(bank=bank, fmt=fmt, language=language)
        except ValidationError as exc:
            return refused(exc)
        response = HttpResponse(result.data, content_type=FORMATS[fmt].media_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=imports.export_file_name(bank, fmt)
        )
        response["X-Export-Warnings"] = str(len(result.warnings))
        # The warnings themselves, as JSON: headers cannot carry Chinese or long lists.
        report = reverse("exams_authoring_api:bank-export-report", args=[bank.pk])
        query = urlencode({"fmt": fmt, "lang": imports.file_language(language)})
        response["X-Export-Report"] = request.build_absolute_uri(f"{report}?{query}")
        return response

    @extend_schema(
        parameters=[
            OpenApiParameter("fmt", str, enum=list(FORMATS), required=True),
            OpenApiParameter("lang", str, enum=["en", "zh-hans"], required=False),
        ],
        responses={200: s.ExportReportSerializer, 400: REFUSED},
        summary="What an export of the bank skips or loses, question by question",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="export-report",
        filter_backends=[],
        pagination_class=None,
    )
    def export_report(self, request, pk=None):
        """The warnings of an export (the X-Export-Report address of every export)."""
        bank = self.get_object()
        fmt = request.query_params.get("fmt", "")
        language = request.query_params.get("lang") or get_language()
        try:
            result = imports.bank_export(bank=bank, fmt=fmt, language=language)
        except ValidationError as exc:
            return refused(exc)
        body = {
            "format": fmt,
            "file_name": imports.export_file_name(bank, fmt),
            "warnings": [{"location": w.location, "message": w.message} for w in result.warnings],
        }
        return Response(s.ExportReportSerializer(body).data)


# --- Questions ------------------------------------------------------------------------------


class QuestionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=[(k, k) for k in KINDS])

    class Meta:
        model = Question
        fields = ["competency", "difficulty", "is_active"]


def _question_data(payload) -> dict:
    """The neutral-format fields of a JSON body (anything else is ignored)."""
    if not isinstance(payload, dict):
        raise ValidationError(_("A question must be an object."), code="invalid_question")
    return {name: payload[name] for name in s.NEUTRAL_FIELDS if name in payload}


def _idnumber(payload):
    """The body's ID number, unchecked (the services check it); None: not given, null: "".
    Not part of a version: it files the question."""
    if not isinstance(payload, dict) or "idnumber" not in payload:
        return None
    return payload["idnumber"] or ""


def _questions():
    return Question.objects.select_related("current_version").order_by("pk")


@extend_schema_view(list=extend_schema(summary="The questions of a bank, with their keys"))
class BankQuestionViewSet(
    AuthorViewSetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The questions of one bank, with their keys; add one in the neutral format."""

    serializer_class = s.QuestionSerializer
    filterset_class = QuestionFilter
    parser_classes = [JSONParser]

    def get_bank(self) -> QuestionBank:
        return get_object_or_404(self.banks(), pk=self.kwargs["bank_id"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Question.objects.none()
        return _questions().filter(bank=self.get_bank())

    @extend_schema(
        request=s.QuestionDataSerializer,
        responses={201: s.QuestionSerializer, 400: REFUSED},
        summary="Add a question to the bank (neutral format)",
    )
    def create(self, request, bank_id=None):
        bank = self.get_bank()
        try:
            data = {**_question_data(request.data), "idnumber": _idnumber(request.data) or ""}
            question = services.question_create(bank=bank, data=data, by=request.user)
        except ValidationError as exc:
            return refused(exc)
        question = _questions().get(pk=question.pk)
        return Response(s.QuestionSerializer(question).data, status=status.HTTP_201_CREATED)


@extend_schema_view(retrieve=extend_schema(summary="A question with its key"))
class QuestionViewSet(
    AuthorViewSetMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """One question; a PATCH of a question attempts have used makes a new version."""

    serializer_class = s.QuestionSerializer
    parser_classes = [JSONParser]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Question.objects.none()
        return _questions().filter(bank__in=self.banks())

    @extend_schema(
        request=s.QuestionPatchSerializer,
        responses={200: s.QuestionSerializer, 400: REFUSED},
        summary="Edit a question (a new version once attempts have used it)",
    )
    def partial_update(self, request, pk=None):
        question = self.get_object()
        current = question.current_version
        try:
            patch, idnumber = _question_data(request.data), _idnumber(request.data)
            with transaction.atomic():  # the version and the ID number, or neither
                if patch or idnumber is None:
                    data = {**(current.as_data() if current else {}), **patch}
                    services.question_update(question=question, data=data, by=request.user)
                if idnumber is not None:
                    services.question_filing_set(question=question, idnumber=idnumber)
        except ValidationError as exc:
            return refused(exc)
        return Response(s.QuestionSerializer(_questions().get(pk=question.pk)).data)


# --- Imports --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Imports into my banks"),
    retrieve=extend_schema(summary="One import: status, progress and report"),
)
class ImportJobViewSet(
    AuthorViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Imports into the user's banks: status, progress and the per-row report."""

    serializer_class = s.ImportJobSerializer
    filterset_fields = ["bank", "status", "format"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImportJob.objects.none()
        return ImportJob.objects.filter(bank__in=self.banks()).order_by("-created_at", "-pk")


# --- Exams ----------------------------------------------------------------------------------


class ExamFilter(django_filters.FilterSet):
    organization = django_filters.CharFilter(field_name="organization__code")
    course = django_filters.CharFilter(field_name="course__code")

    class Meta:
        model = Exam
        fields = ["skill_level", "is_published"]


@extend_schema_view(
    list=extend_schema(summary="The exams I organise"),
    retrieve=extend_schema(summary="An exam with its blueprint"),
    create=extend_schema(summary="Create an exam (and its blueprint)"),
    partial_update=extend_schema(summary="Edit an exam; `sections` replaces the blueprint"),
)
class ExamViewSet(
    AuthorViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Exams the user organises, with their blueprint (sections and rules)."""

    serializer_class = s.ExamSerializer
    filterset_class = ExamFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Exam.objects.none()
        sections = ExamSection.objects.prefetch_related("rules").order_by("position")
        return (
            access.authored_exams(self.request.user)
            .select_related("organization", "course")
            .prefetch_related("banks", Prefetch("sections", queryset=sections))
            .order_by("-created_at", "-pk")
        )

    @extend_schema(
        request=None,
        responses={200: s.RuleDepthSerializer(many=True)},
        summary="How deep the banks are for each blueprint rule",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def depth(self, request, pk=None):
        """How many active questions each blueprint rule can draw from."""
        exam = self.get_object()
        rows = [
            {**vars(rule), "enough": rule.enough, "spare": rule.spare} for rule in bank_depth(exam)
        ]
        return Response(s.RuleDepthSerializer(rows, many=True).data)
