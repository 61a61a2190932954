"""Questions: creating them, and editing them as new versions once an attempt has seen them."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from .. import grading
from ..models import (
    Question,
    QuestionBank,
    QuestionVersion,
)
from .errors import ExamError

# --- Questions, keys and regrades -----------------------------------------------------------


def _check_question(data: dict) -> None:
    problems = grading.validate_question(data)
    if problems:
        raise ExamError(problems, code="invalid_question")


@transaction.atomic
def question_create(*, bank: QuestionBank, data: dict, by=None) -> Question:
    _check_question(data)
    question = Question.objects.create(
        bank=bank,
        kind=data["kind"],
        competency=data.get("competency", ""),
        difficulty=int(data.get("difficulty", 1)),
        created_by=by,
    )
    question.current_version = _new_version(question, data, number=1)
    question.save(update_fields=["current_version"])
    return question


def _new_version(question: Question, data: dict, *, number: int) -> QuestionVersion:
    return QuestionVersion.objects.create(
        question=question,
        number=number,
        title=data.get("title", "")[:200],
        text=data.get("text", {}),
        content=data.get("content", {}),
        key=data.get("key", {}),
        feedback=data.get("feedback") or {},
        points=Decimal(str(data.get("points", "1"))),
    )


@transaction.atomic
def question_update(*, question: Question, data: dict, by=None) -> QuestionVersion:
    """Edit a question; once an attempt has used its version, the edit is a new version."""
    if data.get("kind", question.kind) != question.kind:
        raise ExamError(_("A question's kind cannot change; create a new question."), code="kind")
    _check_question({**data, "kind": question.kind})
    question.competency = data.get("competency", question.competency)
    question.difficulty = int(data.get("difficulty", question.difficulty))
    question.save(update_fields=["competency", "difficulty"])
    current = question.current_version
    if current is not None and not current.attempt_questions.exists():
        for field in ("title", "text", "content", "key", "feedback"):
            if field in data:
                setattr(current, field, data[field] or ({} if field != "title" else ""))
        current.points = Decimal(str(data.get("points", current.points)))
        current.save()
        return current
    number = (question.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = _new_version(question, data, number=number)
    question.current_version = version
    question.save(update_fields=["current_version"])
    return version
