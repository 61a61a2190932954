"""The attempt JSON API: state, clock, autosave, practical-file upload and submit.

Session authentication with CSRF; a student reaches only their own attempts (anyone
else's is 404). Each view fetches with that check, calls a service and serializes.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations.tokens import TokenAuthentication

from .. import services, uploads
from ..models import Attempt, AttemptQuestion, Exam
from ..services import sittings
from ..services.attempts import SAVE_UNREAD
from .serializers import (
    AnswerFileInSerializer,
    AnswerInSerializer,
    AnswerOutSerializer,
    AttemptSerializer,
    ClockSerializer,
    ClosedSerializer,
    HeartbeatSerializer,
    RefusedSerializer,
    ResultSerializer,
    StartOutSerializer,
    SubmitOutSerializer,
    fresh_questions,
)

# The answer key and feedback are never even loaded by this API.
SECRET_FIELDS = ("version__key", "version__feedback")
# Nor the bank's content: a paper shows the content frozen in the attempt (decoding the
# bank's too cost over a millisecond per 100 questions).
UNSHOWN_FIELDS = ("version__content",)

CLOSED = OpenApiResponse(ClosedSerializer, description="The attempt no longer takes answers.")


def paper(attempt: Attempt) -> QuerySet[AttemptQuestion]:
    """The attempt's questions in order, with what a student may see, in one query."""
    return attempt.questions.select_related("version__question").defer(
        *SECRET_FIELDS, *UNSHOWN_FIELDS
    )


def _bad_request(errors) -> Response:
    """400 with one readable `detail` plus the per-field errors."""
    field, messages = next(iter(errors.items()))
    message = str(messages[0] if isinstance(messages, list) else messages)
    detail = message if field == "non_field_errors" else f"{field}: {message}"
    return Response({"detail": detail, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)


def _closed(attempt: Attempt, message: str) -> Response:
    status_now = Attempt.objects.filter(pk=attempt.pk).values_list("status", flat=True).first()
    return Response({"detail": message, "status": status_now}, status=status.HTTP_409_CONFLICT)


def _answer_out(question: AttemptQuestion, applied: bool) -> dict:
    response = question.response if isinstance(question.response, dict) else {}
    data = {
        "position": question.position,
        "seq": question.response_seq,
        "applied": applied,
        "saved_at": question.saved_at,
        "flagged": question.flagged,
    }
    if "file" in response:
        data["file"] = response["file"]
        data["file_name"] = uploads.display_name(response["file"])
    return AnswerOutSerializer(data).data


class AttemptAPIView(APIView):
    authentication_classes = [SessionAuthentication, TokenAuthentication]
    permission_classes = [IsAuthenticated]

    def get_attempt(self, attempt_id: int, queryset=None) -> Attempt:
        queryset = Attempt.objects.all() if queryset is None else queryset
        return get_object_or_404(queryset, pk=attempt_id, student=self.request.user)


class AttemptView(AttemptAPIView):
    @extend_schema(responses=AttemptSerializer, summary="The attempt, its paper and answers")
    def get(self, request, attempt_id: int):
        now = timezone.now()
        attempt = self.get_attempt(attempt_id, Attempt.objects.select_related("exam"))
        attempt = services.attempt_expire_if_overdue(attempt, now=now)
        context = {"now": now, "questions": paper(attempt)}
        return Response(AttemptSerializer(attempt, context=context).data)


class ClockView(AttemptAPIView):
    @extend_schema(responses=ClockSerializer, summary="Server time and the attempt's deadline")
    def get(self, request, attempt_id: int):
        now = timezone.now()
        attempt = self.get_attempt(
            attempt_id, Attempt.objects.only("id", "student_id", "status", "deadline")
        )
        # No query unless the attempt is overdue, when this submits it.
        attempt = services.attempt_expire_if_overdue(attempt, now=now)
        return Response(ClockSerializer.of(attempt, now))


class HeartbeatView(AttemptAPIView):
    @extend_schema(
        request=None,
        responses=HeartbeatSerializer,
        summary="The attempt page is still there (the invigilators see it); returns the clock",
    )
    def post(self, request, attempt_id: int):
        now = timezone.now()
        attempt = self.get_attempt(
            attempt_id, Attempt.objects.only("id", "student_id", "status", "deadline")
        )
        attempt = services.attempt_expire_if_overdue(attempt, now=now)
        sittings.heartbeat(attempt=attempt, now=now)
        beat = {"next_beat_seconds": sittings.heartbeat_seconds()}
        return Response(HeartbeatSerializer({**ClockSerializer.of(attempt, now), **beat}).data)


class AnswerView(AttemptAPIView):
    @extend_schema(
        request=AnswerInSerializer,
        responses={200: AnswerOutSerializer, 400: OpenApiResponse(), 404: None, 409: CLOSED},
        summary="Save one answer (a save with an older seq than the stored one is not applied)",
    )
    def put(self, request, attempt_id: int, position: int):
        # The question with its attempt, checked to be the student's, in one query (get(),
        # not first(): (attempt, position) is unique, and first() would build an ORDER BY).
        try:
            question = (
                AttemptQuestion.objects.select_related("attempt", "version__question")
                .defer(*SAVE_UNREAD)
                .get(attempt_id=attempt_id, attempt__student=request.user, position=position)
            )
        except AttemptQuestion.DoesNotExist:
            question = None
        # None: someone else's attempt (404) or no such question (answered below).
        attempt = question.attempt if question is not None else self.get_attempt(attempt_id)
        incoming = AnswerInSerializer(data=request.data)
        if not incoming.is_valid():
            return _bad_request(incoming.errors)
        data = incoming.validated_data
        response = data.get("response")
        named = response.get("file") if isinstance(response, dict) else None
        if named not in (None, "") and not uploads.belongs_to(
            named, attempt_id=attempt.pk, position=position
        ):
            return _bad_request({"response": [_("Upload the file to this question first.")]})
        try:
            if "response" in data:
                question, applied = services.answer_save(
                    attempt=attempt,
                    position=position,
                    response=response,
                    seq=data["seq"],
                    flagged=data.get("flagged"),
                    question=question,
                )
            else:
                question, applied = self._flag(attempt, position, data["flagged"])
        except services.AttemptClosed as exc:
            return _closed(attempt, " ".join(exc.messages))
        except services.ExamError as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_404_NOT_FOUND)
        except ValueError as exc:
            return _bad_request({"response": [str(exc)]})
        return Response(_answer_out(question, applied))

    @staticmethod
    def _flag(attempt: Attempt, position: int, flagged: bool) -> tuple[AttemptQuestion, bool]:
        """Flag or unflag without touching the answer (an unanswered question stays so)."""
        attempt = services.attempt_expire_if_overdue(attempt)
        services.flag_set(attempt=attempt, position=position, flagged=flagged)
        question = AttemptQuestion.objects.filter(attempt=attempt, position=position).first()
        if question is None:
            raise services.ExamError(
                _("There is no question %(n)s in this paper.") % {"n": position}
            )
        return question, True


class AnswerFileView(AttemptAPIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": AnswerFileInSerializer},
        responses={200: AnswerOutSerializer, 400: OpenApiResponse(), 404: None, 409: CLOSED},
        summary="Upload the file of a practical answer (with its text)",
    )
    def post(self, request, attempt_id: int, position: int):
        now = timezone.now()
        attempt = self.get_attempt(attempt_id)
        incoming = AnswerFileInSerializer(data=request.data)
        if not incoming.is_valid():
            return _bad_request(incoming.errors)
        data = incoming.validated_data
        get_object_or_404(paper(attempt), position=position)
        try:
            question, applied = services.answer_file_save(
                attempt=attempt,
                position=position,
                upload=data["file"],
                text=data["text"] if "text" in request.data else None,
                seq=data.get("seq"),
                now=now,
            )
        except services.AttemptClosed as exc:
            return _closed(attempt, " ".join(exc.messages))
        except services.ExamError as exc:
            return _bad_request({"file": exc.messages})
        except ValueError as exc:
            return _bad_request({"file": [str(exc)]})
        return Response(_answer_out(question, applied))


class SubmitView(AttemptAPIView):
    @extend_schema(
        request=None,
        responses=SubmitOutSerializer,
        summary="Submit the attempt (a second submit changes nothing)",
    )
    def post(self, request, attempt_id: int):
        attempt = services.attempt_submit(attempt=self.get_attempt(attempt_id))
        result_url = reverse("exams:attempt_result", args=[attempt.pk])
        return Response(
            SubmitOutSerializer({"status": attempt.status, "result_url": result_url}).data
        )


class StartView(AttemptAPIView):
    @extend_schema(
        request=None,
        responses={201: StartOutSerializer, 409: RefusedSerializer},
        summary="Start (or resume) an attempt at a published exam",
    )
    def post(self, request, exam_id: int):
        # The level and its standard with the exam: the accreditation check reads both; and
        # whether it has overrides (most have none, and then the terms need no query).
        exams = (
            Exam.objects.published().with_override_flag().select_related("skill_level__standard")
        )
        exam = get_object_or_404(exams, pk=exam_id)
        try:
            attempt = services.attempt_start(student=request.user, exam=exam)
        except services.ExamError as exc:
            body = {"detail": " ".join(exc.messages), "reasons": exc.messages}
            return Response(body, status=status.HTTP_409_CONFLICT)
        # A new attempt answers with the rows its questions were just inserted from.
        rows = getattr(attempt, "paper_rows", None)
        fresh = fresh_questions(rows) if rows else None
        context = {"now": timezone.now(), "question_data": fresh}
        if fresh is None:
            context["questions"] = paper(attempt)
        body = StartOutSerializer(attempt, context=context).data
        return Response(body, status=status.HTTP_201_CREATED)


class ResultView(AttemptAPIView):
    @extend_schema(responses=ResultSerializer, summary="The attempt's result, once released")
    def get(self, request, attempt_id: int):
        attempt = services.attempt_expire_if_overdue(
            self.get_attempt(attempt_id, Attempt.objects.select_related("exam"))
        )
        released = attempt.results_released(timezone.now())
        body = {
            "status": attempt.status,
            "released": released,
            "passed": attempt.passed if released else None,
            "total_percent": attempt.total_percent if released else None,
            "parts": [
                {"part": part, "percent": value}
                for part, value in attempt.part_percentages().items()
            ]
            if released
            else [],
        }
        return Response(ResultSerializer(body).data)
