"""The statistics as JSON: the same Report, filters and suppression as the page (GET only).

GET /api/v1/statistics/ takes the page's filters as query parameters and answers every
figure the caller may see with its definition, total, year-earlier total, change, periods
and split. Session or API token; a 403 for readers with no statistics, a 400 for bad filters.

GET /api/v1/learning-records/?start=&end= streams the xAPI statements of a period as JSON
lines (reports.learning_records), for the same readers as the learning-records page.
"""

import json

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from . import learning_records, services
from .access import learning_records_filter, statistics_scope
from .definitions import DIMENSIONS, GRANULARITIES
from .forms import BREAKDOWNS, LearningRecordsPeriodForm, StatisticsFilterForm
from .models import Statement


class StatisticsParamsSerializer(serializers.Serializer):
    """The query parameters (validated by reports.forms.StatisticsFilterForm, as on the page)."""

    standard = serializers.CharField(required=False, help_text="A skill standard's code.")
    level = serializers.IntegerField(required=False, min_value=1, max_value=3)
    school = serializers.IntegerField(required=False, help_text="A school's id.")
    partner = serializers.IntegerField(required=False, help_text="An enterprise's id.")
    region = serializers.CharField(required=False, help_text="A region (province) name.")
    granularity = serializers.ChoiceField(choices=GRANULARITIES, required=False, default="month")
    start = serializers.DateField(required=False, help_text="Default: twelve months ago.")
    end = serializers.DateField(required=False, help_text="Default: today.")
    by = serializers.ChoiceField(
        choices=BREAKDOWNS,
        required=False,
        default="region",
        help_text="The split: cohort needs a school.",
    )


class CellSerializer(serializers.Serializer):
    value = serializers.FloatField(
        allow_null=True, help_text="Null when suppressed (fewer than 5 people) or undefined."
    )
    display = serializers.CharField(
        help_text='As shown on the page, e.g. "1,204", "62.5 %", "< 5".'
    )
    suppressed = serializers.BooleanField()


class ChangeSerializer(serializers.Serializer):
    value = serializers.FloatField(
        allow_null=True, help_text="Percent for counts, percentage points for rates."
    )
    display = serializers.CharField()


class RowSerializer(serializers.Serializer):
    key = serializers.CharField(
        allow_null=True, help_text="The period's first day, or the split value's id or name."
    )
    label = serializers.CharField()
    cell = CellSerializer()
    previous = CellSerializer(allow_null=True, required=False)
    change = ChangeSerializer(allow_null=True, required=False)


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField(source="figure.key")
    label = serializers.CharField(source="figure.label")
    definition = serializers.CharField(source="figure.definition")
    source = serializers.CharField(source="figure.source.key")
    is_rate = serializers.BooleanField(source="figure.is_rate")
    total = CellSerializer()
    previous_total = CellSerializer()
    change = ChangeSerializer()
    series = RowSerializer(many=True)
    breakdown = RowSerializer(many=True)


class QuerySerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    granularity = serializers.ChoiceField(choices=GRANULARITIES)
    by = serializers.ChoiceField(choices=DIMENSIONS)
    standard = serializers.CharField(allow_null=True)
    level = serializers.IntegerField(allow_null=True)
    school = serializers.IntegerField(allow_null=True)
    partner = serializers.IntegerField(allow_null=True)
    region = serializers.CharField(allow_null=True)


class StatisticsSerializer(serializers.Serializer):
    computed_at = serializers.DateTimeField()
    query = QuerySerializer()
    figures = FigureSerializer(many=True)


class StatisticsView(APIView):
    """Every figure the caller may see, for the filters given (see /reports/definitions/)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="statistics",
        parameters=[StatisticsParamsSerializer],
        responses={
            200: StatisticsSerializer,
            400: OpenApiResponse(description="A filter is invalid."),
            403: OpenApiResponse(description="The caller sees no statistics."),
        },
    )
    def get(self, request):
        scope = statistics_scope(request.user)
        if scope.is_empty:
            raise PermissionDenied(_("You see no statistics."))
        form = StatisticsFilterForm(request.query_params, choices=services.filter_choices(scope))
        if not form.is_valid():
            raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
        report = services.build_report(scope, form.query())
        return Response(StatisticsSerializer(report).data)


# --- Learning records ---------------------------------------------------------------------------


class JSONLinesRenderer(BaseRenderer):
    """application/x-ndjson: the export streams its own body; errors are one JSON line."""

    media_type = "application/x-ndjson"
    format = "jsonl"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")


class JSONLinesNegotiation(BaseContentNegotiation):
    """Always JSON lines: no ?format= and no Accept can ask for another body."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class LearningRecordsParamsSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="The period's first day.")
    end = serializers.DateField(help_text="The period's last day (included).")


class LearningRecordsView(APIView):
    """The xAPI 2.0 statements of a period as JSON lines, as the learning-records page exports
    them: regulators get their standards' scope, a school's administrators their school's."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONLinesRenderer]
    content_negotiation_class = JSONLinesNegotiation

    def finalize_response(self, request, response, *args, **kwargs):
        # Refusals (400, 403, 429) are plain JSON, as everywhere else in the API.
        if isinstance(response, Response):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        operation_id="learning_records",
        parameters=[LearningRecordsParamsSerializer],
        responses={
            (200, "application/x-ndjson"): OpenApiResponse(
                response=OpenApiTypes.STR,
                description="One xAPI 2.0 statement (JSON) per line, oldest first.",
            ),
            400: OpenApiResponse(description="The period is invalid."),
            403: OpenApiResponse(description="The caller may export no learning records."),
        },
    )
    def get(self, request):
        allowed = learning_records_filter(request.user)
        if allowed is None:
            raise PermissionDenied(_("You may export no learning records."))
        form = LearningRecordsPeriodForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
        start, end = form.bounds()
        statements = Statement.objects.filter(allowed).in_period(start, end).order_by("timestamp")
        return StreamingHttpResponse(
            learning_records.json_lines(statements),
            content_type="application/x-ndjson; charset=utf-8",
        )
