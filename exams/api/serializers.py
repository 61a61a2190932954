"""Serializers of the attempt API: what a student sends, and what they may see of an attempt.

Nothing here reads QuestionVersion.key or feedback, nor points or correctness: the
attempt API only ever shows the frozen public content and the student's own answers.
"""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..grading import LANGUAGES
from ..models import Attempt, AttemptQuestion


def seconds_left(attempt: Attempt, now) -> int:
    if not attempt.is_open:
        return 0
    return max(0, int((attempt.deadline - now).total_seconds()))


def public_text(texts) -> dict[str, str]:
    """The question text in the known languages only."""
    if not isinstance(texts, dict):
        return {}
    return {lang: t for lang, t in texts.items() if lang in LANGUAGES and isinstance(t, str)}


# --- input ----------------------------------------------------------------------------------


class AnswerInSerializer(serializers.Serializer):
    """A save of one answer. Unknown fields (points, is_correct, score…) are ignored."""

    seq = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    response = serializers.JSONField(required=False)
    flagged = serializers.BooleanField(required=False, allow_null=True, default=None)

    def validate_response(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("The answer must be an object."))
        return value

    def validate(self, attrs):
        if "response" not in attrs and attrs.get("flagged") is None:
            raise serializers.ValidationError(_("Send a response, a flag, or both."))
        return attrs


class AnswerFileInSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False, max_length=255)
    text = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False
    )
    seq = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


# --- output ---------------------------------------------------------------------------------


class AttemptQuestionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)
    text = serializers.SerializerMethodField()
    seq = serializers.IntegerField(source="response_seq", read_only=True)

    class Meta:
        model = AttemptQuestion
        # An explicit allow-list: never add points, auto_points, is_correct or version here.
        fields = ["position", "part", "kind", "text", "content", "max_points", "response", "seq"]
        fields += ["flagged", "saved_at"]
        read_only_fields = fields

    def get_text(self, question: AttemptQuestion) -> dict[str, str]:
        return public_text(question.version.text)


_MAX_POINTS = serializers.DecimalField(max_digits=7, decimal_places=2)


def fresh_questions(rows: list[dict]) -> list[dict] | None:
    """A paper just opened, as AttemptQuestionSerializer shows it, from the frozen rows its
    questions were inserted from (nothing answered yet): no query, no model instances.

    None when a row lacks the kind and text (papers frozen before rows kept them).
    """
    if any("kind" not in row or "text" not in row for row in rows):
        return None
    return [
        {
            "position": row["position"],
            "part": row["part"],
            "kind": row["kind"],
            "text": public_text(row["text"]),
            "content": row["content"],
            "max_points": _MAX_POINTS.to_representation(Decimal(row["max_points"])),
            "response": None,
            "seq": 0,
            "flagged": False,
            "saved_at": None,
        }
        for row in sorted(rows, key=lambda row: row["position"])
    ]


class AttemptSerializer(serializers.ModelSerializer):
    server_time = serializers.SerializerMethodField()
    seconds_left = serializers.SerializerMethodField()
    result_url = serializers.SerializerMethodField()
    exam = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()

    class Meta:
        model = Attempt
        fields = ["id", "exam", "number", "status", "started_at", "deadline", "server_time"]
        fields += ["seconds_left", "result_url", "questions"]
        read_only_fields = fields

    def get_server_time(self, attempt) -> str:
        return serializers.DateTimeField().to_representation(self.context["now"])

    def get_seconds_left(self, attempt) -> int:
        return seconds_left(attempt, self.context["now"])

    def get_result_url(self, attempt) -> str:
        return reverse("exams:attempt_result", args=[attempt.pk])

    def get_exam(self, attempt) -> dict:
        return {"id": attempt.exam_id, "title": attempt.exam.title}

    def get_questions(self, attempt) -> list[dict]:
        if self.context.get("question_data") is not None:
            return self.context["question_data"]
        return AttemptQuestionSerializer(self.context["questions"], many=True).data


class ClockSerializer(serializers.Serializer):
    server_time = serializers.DateTimeField()
    deadline = serializers.DateTimeField()
    seconds_left = serializers.IntegerField()
    status = serializers.CharField()

    @classmethod
    def of(cls, attempt: Attempt, now=None) -> dict:
        now = now or timezone.now()
        return cls(
            {
                "server_time": now,
                "deadline": attempt.deadline,
                "seconds_left": seconds_left(attempt, now),
                "status": attempt.status,
            }
        ).data


class HeartbeatSerializer(ClockSerializer):
    next_beat_seconds = serializers.IntegerField(help_text="When to send the next heartbeat.")


class AnswerOutSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    seq = serializers.IntegerField(help_text="The stored sequence number (yours when applied).")
    applied = serializers.BooleanField(help_text="False when a newer save was already stored.")
    saved_at = serializers.DateTimeField(allow_null=True)
    flagged = serializers.BooleanField()
    # Only for practical answers: the stored name to send back with later saves.
    file = serializers.CharField(required=False)
    file_name = serializers.CharField(required=False)


class SubmitOutSerializer(serializers.Serializer):
    status = serializers.CharField()
    result_url = serializers.CharField()


class ClosedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    status = serializers.CharField()


class StartOutSerializer(AttemptSerializer):
    """The attempt as GET /attempts/{id}/ shows it, paper included, and that URL.

    A sitting starts for thousands of students in the same minute: answering the
    start with the paper spares each of them a second request.
    """

    url = serializers.SerializerMethodField()

    class Meta(AttemptSerializer.Meta):
        fields = [*AttemptSerializer.Meta.fields, "url"]
        read_only_fields = fields

    def get_url(self, attempt) -> str:
        return reverse("exams_api:attempt", args=[attempt.pk])


class RefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class PartResultSerializer(serializers.Serializer):
    part = serializers.CharField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=2)


class ResultSerializer(serializers.Serializer):
    status = serializers.CharField()
    released = serializers.BooleanField()
    passed = serializers.BooleanField(allow_null=True)
    total_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    parts = PartResultSerializer(many=True)
