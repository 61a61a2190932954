"""Human marks: dual marking by teacher and mentor, adjudication, and settling a question."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import grading
from ..models import (
    AttemptQuestion,
    Mark,
)
from .attempts import HUNDRED, _finalize
from .auditing import audit, exam_scope
from .errors import ExamError

# --- Marking ------------------------------------------------------------------------------


def _rubric(question: AttemptQuestion) -> list[dict]:
    return question.version.key.get("rubric") or []


@transaction.atomic
def mark_record(
    *,
    attempt_question: AttemptQuestion,
    grader,
    role: str,
    rubric_marks: dict | None = None,
    points: Decimal | None = None,
    comment: str = "",
) -> Mark:
    """Record one grader's mark; settles the question when the marks allow it."""
    question = (
        # Lock only this row: PostgreSQL refuses FOR UPDATE across the nullable skill_level join.
        AttemptQuestion.objects.select_for_update(of=("self",))
        .select_related("version__question", "attempt__exam__skill_level__standard")
        .get(pk=attempt_question.pk)
    )
    if not question.needs_marking:
        raise ExamError(_("This answer is already marked."), code="marked")
    rubric = _rubric(question)
    if rubric:
        try:
            points = grading.score_rubric(rubric, rubric_marks or {})
        except ValueError as exc:
            raise ExamError(str(exc), code="rubric") from exc
    if points is None or not (0 <= Decimal(points) <= question.max_points):
        raise ExamError(
            _("Give between 0 and %(max)s points.") % {"max": question.max_points}, code="points"
        )
    if role == Mark.Role.ADJUDICATOR and not question.needs_adjudication:
        raise ExamError(_("This answer does not need adjudication."), code="adjudication")
    if question.marks.filter(grader=grader).exists():
        raise ExamError(_("You have already marked this answer."), code="twice")
    if question.marks.filter(role=role).exists():
        raise ExamError(
            _("This answer already has a %(role)s mark.") % {"role": role}, code="role_taken"
        )
    before = {"points": question.points, "needs_adjudication": question.needs_adjudication}
    mark = Mark.objects.create(
        attempt_question=question,
        role=role,
        grader=grader,
        rubric_marks={k: str(v) for k, v in (rubric_marks or {}).items()},
        points=Decimal(points),
        comment=comment,
    )
    _settle(question)
    adjudicated = role == Mark.Role.ADJUDICATOR
    audit.record(
        audit.Action.MARK_ADJUDICATED if adjudicated else audit.Action.MARK_RECORDED,
        obj=question,
        actor=grader,
        **exam_scope(question.attempt.exam),
        before=before,
        after={
            "role": role,
            "mark": mark.points,
            "points": question.points,
            "needs_adjudication": question.needs_adjudication,
        },
        note=comment,
    )
    return mark


def _marked_out_of(question: AttemptQuestion) -> Decimal:
    """What people mark out of: the whole question, or only the rubric's share of one whose
    kind scored automatic criteria (auto_points) before it reached them."""
    if question.auto_points is None:
        return question.max_points
    rubric = _rubric(question)
    return sum((grading.parse_decimal(c.get("points")) or 0 for c in rubric), Decimal(0))


def _settle(question: AttemptQuestion) -> None:
    marks = {m.role: m.points for m in question.marks.all()}
    final = None
    if not question.is_dual_marked:
        final = next(iter(marks.values()), None)
    elif Mark.Role.TEACHER in marks and Mark.Role.MENTOR in marks:
        level = question.attempt.exam.skill_level
        tolerance_pct = level.marking_tolerance if level else Decimal(15)
        final = grading.resolve_marks(
            marks[Mark.Role.TEACHER],
            marks[Mark.Role.MENTOR],
            tolerance=_marked_out_of(question) * tolerance_pct / HUNDRED,
            adjudicated=marks.get(Mark.Role.ADJUDICATOR),
        )
        question.needs_adjudication = final is None
    if final is not None:
        # The people's mark plus, for a kind with automatic criteria, the points those gave.
        question.points = final + (question.auto_points or 0)
        question.needs_marking = False
        question.needs_adjudication = False
    question.save(update_fields=["points", "needs_marking", "needs_adjudication"])
    attempt = question.attempt
    if final is not None and not attempt.questions.filter(needs_marking=True).exists():
        _finalize(attempt, list(attempt.questions.all()), now=timezone.now())
