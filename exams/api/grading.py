"""The grading API: a grader's queue, one answer to mark, and recording a mark.

The same rules as the staff pages (exams/access.py): blind marking, a mentor sees only
the practical work of their cohorts, nobody marks an answer twice.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access, services
from ..models import AttemptQuestion, Mark


class QueueItemSerializer(serializers.ModelSerializer):
    exam = serializers.CharField(source="attempt.exam.title")
    attempt_number = serializers.IntegerField(source="attempt.number")
    kind = serializers.CharField(source="version.question.kind")
    submitted_at = serializers.DateTimeField(source="attempt.submitted_at")
    needs_adjudication = serializers.BooleanField()

    class Meta:
        model = AttemptQuestion
        fields = ["id", "exam", "attempt_number", "position", "kind", "max_points",
                  "submitted_at", "needs_adjudication"]  # fmt: skip


class MarkOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mark
        fields = ["role", "points", "rubric_marks", "comment", "created_at"]


class AnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.DictField()
    rubric = serializers.ListField(child=serializers.DictField())
    response = serializers.DictField(allow_null=True)
    max_points = serializers.DecimalField(max_digits=7, decimal_places=2)
    your_role = serializers.CharField(allow_null=True)
    settled = serializers.BooleanField()
    marks = MarkOutSerializer(many=True)


class MarkInSerializer(serializers.Serializer):
    rubric_marks = serializers.DictField(
        child=serializers.DecimalField(max_digits=7, decimal_places=2, min_value=0),
        required=False,
    )
    points = serializers.DecimalField(
        max_digits=7, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


def _answer(user, question_id: int) -> AttemptQuestion:
    question = get_object_or_404(
        AttemptQuestion.objects.select_related(
            "attempt__exam", "version__question"
        ).prefetch_related("marks"),
        pk=question_id,
    )
    if access.marking_role(user, question) is None and not access.can_view_answer(user, question):
        raise NotFound(_("No such answer."))
    return question


@extend_schema(summary="My grading queue")
class QueueView(ListAPIView):
    """Answers waiting for the signed-in grader's mark, oldest submission first."""

    serializer_class = QueueItemSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AttemptQuestion.objects.none()
        return access.grading_queue(self.request.user)


class AnswerView(APIView):
    @extend_schema(responses=AnswerSerializer, summary="One answer to mark, with its rubric")
    def get(self, request, question_id: int):
        question = _answer(request.user, question_id)
        settled = not question.needs_marking
        marks = [m for m in question.marks.all() if settled or m.grader_id == request.user.pk]
        body = {
            "id": question.pk,
            "kind": question.kind,
            "text": question.version.text,
            "rubric": question.version.key.get("rubric") or [],
            "response": question.response,
            "max_points": question.max_points,
            "your_role": access.marking_role(request.user, question),
            "settled": settled,
            "marks": marks,
        }
        return Response(AnswerSerializer(body).data)


class MarkView(APIView):
    @extend_schema(
        request=MarkInSerializer,
        responses={201: MarkOutSerializer},
        summary="Record your mark (rubric marks for practical tasks, points otherwise)",
    )
    def post(self, request, question_id: int):
        question = _answer(request.user, question_id)
        role = access.marking_role(request.user, question)
        if role is None:
            raise PermissionDenied(_("You cannot mark this answer."))
        data = MarkInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            mark = services.mark_record(
                attempt_question=question,
                grader=request.user,
                role=role,
                rubric_marks=data.validated_data.get("rubric_marks"),
                points=data.validated_data.get("points"),
                comment=data.validated_data.get("comment", ""),
            )
        except services.ExamError as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(MarkOutSerializer(mark).data, status=status.HTTP_201_CREATED)
