"""Attempts: eligibility, starting with a frozen paper, answers, submission and results."""

import json
import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Exists, Max, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Enrollment

from .. import grading, kinds, uploads
from ..models import (
    Attempt,
    AttemptQuestion,
    Exam,
    QuestionVersion,
)
from ..papers import draw_paper
from ..signals import attempt_graded, attempt_result_changed, attempt_submitted
from . import notices, overrides, sittings
from .errors import AttemptClosed, ExamError
from .exams import school_may_assess

HUNDRED = Decimal(100)


def deadline_grace() -> timedelta:
    """Saves arriving this long after the deadline still count (network latency)."""
    return timedelta(seconds=getattr(settings, "EXAMS_DEADLINE_GRACE_SECONDS", 30))


# --- Eligibility and starting -------------------------------------------------------------


def eligibility_problems(
    *, student, exam: Exam, now=None, sitting=False, terms=None, attempts=None, paper=False
) -> list[str]:
    """Everything that stops the student from starting an attempt now (empty: eligible).

    An exam held in sittings is started only in the candidate's sitting, whose times
    replace the exam's window (`sitting`: the student's one, None for none, or False to
    look it up; `terms`: the candidate's, if the caller has them; `attempts`: all the
    student's attempts at the exam, if the caller has them; `paper`: the candidate's
    SittingPaper in `sitting` or None, if the caller has it).
    """
    now = now or timezone.now()
    problems = []
    terms = terms or overrides.terms_for(exam=exam, student=student)  # own or cohort's
    if not exam.is_published:
        problems.append(_("This exam is not open."))
    if sitting is False:
        sitting = sittings.sitting_for(student=student, exam=exam, now=now)
    if sitting is not None:
        problems += sittings.start_problems(sitting=sitting, student=student, now=now, paper=paper)
    elif exam.sittings.exists():
        problems.append(_("This exam is held in sittings and you are not booked on one."))
    else:
        if terms.opens_at and now < terms.opens_at:
            problems.append(_("This exam opens at %(time)s.") % {"time": _local(terms.opens_at)})
        if terms.is_closed(now):
            problems.append(_("This exam closed at %(time)s.") % {"time": _local(terms.closes_at)})
    if (
        exam.course_id
        and not Enrollment.objects.active()
        .filter(student=student, course_id=exam.course_id)
        .exists()
    ):
        problems.append(_("Enrol in %(course)s to sit this exam.") % {"course": exam.course.title})
    if exam.skill_level_id and not school_may_assess(exam=exam, on=timezone.localdate(now)):
        problems.append(
            _("%(school)s is not accredited to assess this level now; no new sittings start.")
            % {"school": exam.organization.name}
        )
    problems += _level_prerequisite_problems(student=student, exam=exam)
    if attempts is None:
        previous = Attempt.objects.filter(exam=exam, student=student).exclude(
            status=Attempt.Status.IN_PROGRESS
        )
        used = previous.count()
    else:
        done = [a.submitted_at for a in attempts if not a.is_open]
        used = len(done)
    if used >= terms.attempts_allowed:
        problems.append(
            _("You have used all %(n)d of your attempts.") % {"n": terms.attempts_allowed}
        )
    elif used and exam.attempt_delay_minutes:
        if attempts is None:
            last = previous.aggregate(last=Max("submitted_at"))["last"]
        else:
            last = max((moment for moment in done if moment), default=None)
        ready = last + timedelta(minutes=exam.attempt_delay_minutes) if last else now
        if now < ready:
            problems.append(
                _("You can start your next attempt at %(time)s.") % {"time": _local(ready)}
            )
    return problems


def _level_prerequisite_problems(*, student, exam: Exam) -> list[str]:
    level = exam.skill_level
    if level is None or not (level.prerequisite_level_id or level.prerequisite_course_id):
        return []
    if (
        level.prerequisite_level_id
        and Attempt.objects.filter(
            student=student, passed=True, exam__skill_level_id=level.prerequisite_level_id
        ).exists()
    ):
        return []
    if (
        level.prerequisite_course_id
        and Enrollment.objects.filter(
            student=student,
            course_id=level.prerequisite_course_id,
            status=Enrollment.Status.COMPLETED,
        ).exists()
    ):
        return []
    needs = []
    if level.prerequisite_level_id:
        needs.append(str(level.prerequisite_level))
    if level.prerequisite_course_id:
        needs.append(level.prerequisite_course.title)
    return [_("First pass or complete: %(what)s.") % {"what": _(" or ").join(needs)}]


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def attempt_start(*, student, exam: Exam, now=None) -> Attempt:
    """Start (or resume) the student's attempt: checks eligibility and freezes the paper.

    A new attempt carries `paper_rows`, the frozen rows its questions were made from, so
    that the caller can answer with the paper without reading it back.
    """
    now = now or timezone.now()
    # Every attempt of the student at this exam (a few rows) in one query: the open one to
    # resume, the attempts used, the last submission and the next attempt's number.
    history = list(Attempt.objects.filter(exam=exam, student=student))
    for attempt in history:
        attempt.exam = exam
    current = next((a for a in history if a.is_open), None)
    if current is not None:
        current = attempt_expire_if_overdue(current, now=now)
        if current.is_open:
            return current
        history = [current if a.pk == current.pk else a for a in history]
    sitting = sittings.sitting_for(student=student, exam=exam, now=now)
    # The candidate's terms serve both the checks and the deadline: one query, not two.
    terms = overrides.terms_for(exam=exam, student=student)
    # Likewise the candidate's seat: is it used, and the paper drawn in advance.
    paper = sittings.seat(sitting, student) if sitting is not None else None
    problems = eligibility_problems(
        student=student,
        exam=exam,
        now=now,
        sitting=sitting,
        terms=terms,
        attempts=history,
        paper=paper,
    )
    if problems:
        raise ExamError(problems, code="ineligible")
    number = len(history) + 1
    try:
        with transaction.atomic():
            if sitting is not None:
                return sittings.open_paper(
                    sitting=sitting,
                    student=student,
                    exam=exam,
                    now=now,
                    terms=terms,
                    paper=paper,
                    number=number,
                )
            return _create_attempt(student=student, exam=exam, now=now, terms=terms, number=number)
    except IntegrityError:
        # A parallel request started it first: both callers get the same attempt.
        current = Attempt.objects.filter(exam=exam, student=student).in_progress().first()
        if current is None:
            raise
        return current


def freeze_paper(*, exam: Exam, student, rng) -> list[dict]:
    """Draw the student's paper and freeze it as the rows its attempt questions will hold."""
    seen = set(
        AttemptQuestion.objects.filter(attempt__student=student, attempt__exam=exam).values_list(
            "version__question_id", flat=True
        )
    )
    try:
        drawn = draw_paper(exam, rng=rng, seen=seen)
    except LookupError as exc:
        raise ExamError(
            _("The question bank cannot fill this exam's blueprint; tell your teacher."),
            code="bank_too_small",
        ) from exc
    if exam.shuffle_questions:
        # Shuffle within each part so theory stays before practical.
        order = {part: i for i, part in enumerate(dict.fromkeys(d.part for d in drawn))}
        rng.shuffle(drawn)
        drawn.sort(key=lambda d: order[d.part])
    return [
        {
            "position": position,
            "part": item.part,
            "version": item.version.pk,
            "content": _student_content(item.version, exam, rng),
            "max_points": str(item.version.points),
            # The rest of what the student sees of the question, frozen with the content: a
            # start answers with the paper without reading the versions back.
            "kind": item.version.question.kind,
            "text": item.version.text,
        }
        for position, item in enumerate(drawn, start=1)
    ]


def _create_attempt(*, student, exam: Exam, now, deadline=None, terms=None, number=None) -> Attempt:
    """Draw a paper now and open the attempt (inside the caller's transaction).

    Without a `deadline` (a sitting's) the candidate's time limit, cut by the closing, applies;
    `number`: the attempt's, if the caller has counted the student's attempts.
    """
    if number is None:
        number = (Attempt.objects.filter(exam=exam, student=student).count()) + 1
    rows = freeze_paper(exam=exam, student=student, rng=random.SystemRandom())
    if deadline is None:
        deadline = overrides.attempt_deadline(exam=exam, student=student, now=now, terms=terms)
    return open_attempt(
        student=student, exam=exam, number=number, now=now, deadline=deadline, rows=rows
    )


def open_attempt(*, student, exam: Exam, number: int, now, deadline, rows: list[dict]) -> Attempt:
    """Insert the attempt and its questions from frozen paper rows (two statements).

    The attempt keeps the rows as `paper_rows`: what its questions hold, unread.
    """
    attempt = Attempt.objects.create(
        exam=exam, student=student, number=number, started_at=now, deadline=deadline
    )
    _insert_paper(
        [
            AttemptQuestion(
                attempt=attempt,
                position=row["position"],
                part=row["part"],
                version_id=row["version"],
                content=row["content"],
                max_points=Decimal(row["max_points"]),
            )
            for row in rows
        ]
    )
    attempt.paper_rows = rows
    return attempt


def _insert_paper(questions: list[AttemptQuestion]) -> None:
    """Insert an attempt's questions in one statement (every column, defaults included).

    On PostgreSQL the rows go as one JSON document that jsonb_to_recordset() unpacks:
    bulk_create() sends an array of quoted values per column, which took four times
    as long for a 100-question paper, and a sitting's candidates start in one minute.
    """
    if connection.vendor != "postgresql":
        AttemptQuestion.objects.bulk_create(questions)
        return
    fields = [f for f in AttemptQuestion._meta.concrete_fields if not f.primary_key]
    name = connection.ops.quote_name
    columns = ", ".join(name(f.column) for f in fields)
    types = ", ".join(f"{name(f.column)} {f.db_type(connection)}" for f in fields)
    rows = [{f.column: _as_json(getattr(q, f.attname)) for f in fields} for q in questions]
    with connection.cursor() as cursor:
        # Names and types come from the model; the rows are the one parameter.
        cursor.execute(
            f"INSERT INTO {name(AttemptQuestion._meta.db_table)} ({columns}) "  # noqa: S608
            f"SELECT {columns} FROM jsonb_to_recordset(%s::jsonb) AS x({types})",
            [json.dumps(rows)],
        )


def _as_json(value):
    """A column's value as JSON that PostgreSQL reads back as the column's type."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _student_content(version: QuestionVersion, exam: Exam, rng) -> dict:
    kind = version.question.kind
    content = grading.public_content(kind, version.content)
    if exam.shuffle_options:
        content = grading.shuffle_content(kind, content, rng, key=version.key)
    if kinds.get(kind).per_attempt:
        # This student's own numbers, reproducible from the seed kept with them.
        content = kinds.get(kind).draw(content, version.key, rng)
    return content


# --- Answering ----------------------------------------------------------------------------


# What saving an answer reads of a question's version: its kind, not its content or key.
SAVE_UNREAD = ("version__text", "version__content", "version__key", "version__feedback")


def answer_save(
    *,
    attempt: Attempt,
    position: int,
    response,
    seq: int,
    flagged: bool | None = None,
    now=None,
    question: AttemptQuestion | None = None,
) -> tuple[AttemptQuestion, bool]:
    """Save one answer unless a newer one (higher `seq`) is already stored.

    `question`: the attempt's question at `position`, if the caller fetched it (with its
    version's question). Returns the stored row and whether this save was applied.
    """
    now = now or timezone.now()
    attempt = attempt_expire_if_overdue(attempt, now=now)
    if not attempt.is_open:
        raise AttemptClosed(
            _("This attempt is closed; answers saved before the deadline are kept."),
            code="closed",
        )
    if question is None or question.attempt_id != attempt.pk or question.position != position:
        try:
            question = (
                AttemptQuestion.objects.select_related("version__question")
                .defer(*SAVE_UNREAD)
                .get(attempt=attempt, position=position)
            )
        except AttemptQuestion.DoesNotExist:
            raise ExamError(
                _("There is no question %(n)s in this paper.") % {"n": position},
                code="position",
            ) from None
    clean = grading.clean_response(question.kind, question.content, response)
    replaced = _stored_file(question.response)
    changes = {"response": clean, "response_seq": seq, "saved_at": now}
    if flagged is not None:
        changes["flagged"] = flagged
    # One conditional UPDATE: a late, older save can never overwrite a newer one, nor any save
    # a closed attempt. EXISTS rather than a filter across the relation, which Django turns
    # into "id IN (SELECT ... JOIN ...)": the same rule, a simpler statement to build and run.
    still_open = Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.IN_PROGRESS)
    applied = AttemptQuestion.objects.filter(
        Exists(still_open), pk=question.pk, response_seq__lt=seq
    ).update(**changes)
    if applied:
        for name, value in changes.items():  # what the row now holds: no need to read it back
            setattr(question, name, value)
        if replaced and replaced != _stored_file(clean):
            # Nothing refers to the old file once this save commits: free the disk.
            transaction.on_commit(lambda: uploads.discard(replaced))
    else:
        question.refresh_from_db(fields=["response", "response_seq", "saved_at", "flagged"])
    return question, bool(applied)


def _stored_file(response) -> str | None:
    name = response.get("file") if isinstance(response, dict) else None
    return name if isinstance(name, str) and name else None


def answer_file_save(
    *, attempt: Attempt, position: int, upload, text: str | None = None, seq: int | None = None,
    now=None,
) -> tuple[AttemptQuestion, bool]:  # fmt: skip
    """Store a practical answer's file (checked, within quotas) and save it with its text.

    The new file replaces the old one, which is deleted once the save commits; a file
    whose save is refused or superseded is deleted at once.
    """
    now = now or timezone.now()
    attempt = attempt_expire_if_overdue(attempt, now=now)
    if not attempt.is_open:
        raise AttemptClosed(_("This attempt is closed; the file was not saved."), code="closed")
    question = (
        AttemptQuestion.objects.select_related("version__question")
        .filter(attempt=attempt, position=position)
        .first()
    )
    if question is None:
        raise ExamError(
            _("There is no question %(n)s in this paper.") % {"n": position}, code="position"
        )
    if question.kind != "practical":
        raise ExamError(_("This question does not take a file."), code="no_file")
    try:
        uploads.validate(upload, content=question.content)
        uploads.check_quotas(upload, attempt=attempt, replacing=_stored_file(question.response))
    except uploads.UploadRefused as exc:
        raise ExamError(str(exc), code="upload") from exc
    saved = question.response if isinstance(question.response, dict) else {}
    stored = uploads.store(upload, attempt_id=attempt.pk, position=position)
    try:
        question, applied = answer_save(
            attempt=attempt,
            position=position,
            response={"text": saved.get("text", "") if text is None else text, "file": stored},
            seq=seq or question.response_seq + 1,
            now=now,
        )
    except (ExamError, ValueError):
        uploads.discard(stored)
        raise
    if not applied:
        uploads.discard(stored)
    return question, applied


def flag_set(*, attempt: Attempt, position: int, flagged: bool) -> None:
    if not attempt.is_open:
        raise AttemptClosed(_("This attempt is closed."), code="closed")
    AttemptQuestion.objects.filter(attempt=attempt, position=position).update(flagged=flagged)


def attempt_expire_if_overdue(attempt: Attempt, *, now=None) -> Attempt:
    """Submit an attempt whose deadline (plus grace) has passed; whoever touches it first."""
    now = now or timezone.now()
    if attempt.is_open and now > attempt.deadline + deadline_grace():
        return attempt_submit(attempt=attempt, auto=True, now=now)
    return attempt


def expire_overdue_attempts(*, now=None) -> int:
    """Submit every overdue attempt (the periodic sweep); returns how many it closed."""
    now = now or timezone.now()
    closed = 0
    for attempt in Attempt.objects.overdue(now - deadline_grace()).iterator():
        attempt_submit(attempt=attempt, auto=True, now=now)
        closed += 1
    return closed


@transaction.atomic
def attempt_submit(*, attempt: Attempt, auto: bool = False, now=None) -> Attempt:
    """Submit and grade what can be graded. Idempotent: a second submit changes nothing."""
    now = now or timezone.now()
    # The student and the exam with its level and standard come with the locked row (only
    # the attempt's row is locked): grading and the listeners (learning records, notices,
    # grade passback) read them all, and a sitting's candidates submit together.
    locked = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("student", "exam__skill_level__standard")
        .get(pk=attempt.pk)
    )
    if not locked.is_open:
        return locked
    # Conditional update so that, on databases without row locks, only one submit wins.
    changes = {"status": Attempt.Status.SUBMITTED, "submitted_at": now, "auto_submitted": auto}
    won = Attempt.objects.filter(pk=locked.pk, status=Attempt.Status.IN_PROGRESS).update(**changes)
    if not won:
        return Attempt.objects.get(pk=locked.pk)
    for name, value in changes.items():  # what the row now holds: reading it back would
        setattr(locked, name, value)  # also drop the rows joined above
    attempt_submitted.send(sender=Attempt, attempt=locked)
    questions = list(locked.questions.select_related("version__question"))
    for question in questions:
        _grade_objective(question)
    _save_grades(questions)
    if not any(q.needs_marking for q in questions):
        _finalize(locked, questions, now=now)
    else:
        notices.marking_waiting(locked, questions)
    return locked


GRADE_FIELDS = ("auto_points", "points", "is_correct", "needs_marking")


def _save_grades(questions: list[AttemptQuestion]) -> None:
    """Write every question's grade in one UPDATE, whatever the paper's length.

    Django's bulk_update() writes a CASE branch per row and field, and building
    those expressions cost more than grading a 100-question paper. Grades take
    few distinct values (full marks, zero, a few partial scores), so each
    column gets one branch per distinct value, matching the rows by id.
    """
    if not questions:
        return
    changes = {}
    for name in GRADE_FIELDS:
        field = AttemptQuestion._meta.get_field(name)
        ids_by_value: dict = {}
        for question in questions:
            ids_by_value.setdefault(getattr(question, name), []).append(question.pk)
        if list(ids_by_value) == [None]:
            # Every row NULL (a paper of manual tasks only): PostgreSQL would read a CASE
            # of NULLs only as text, which no numeric or boolean column takes.
            changes[name] = None
            continue
        branches = [
            When(pk__in=ids, then=Value(value, output_field=field))
            for value, ids in ids_by_value.items()
        ]
        changes[name] = Case(*branches, output_field=field)
    AttemptQuestion.objects.filter(pk__in=[q.pk for q in questions]).update(**changes)


def _grade_objective(question: AttemptQuestion) -> None:
    version = question.version
    kind = version.question.kind
    result = grading.grade(
        kind,
        # A kind that draws numbers per attempt is graded on the numbers this student got.
        content=question.content if kinds.get(kind).per_attempt else version.content,
        key=version.key,
        response=question.response,
        max_points=question.max_points,
    )
    question.auto_points = result.points
    question.is_correct = result.correct
    if result.points is None or version.question.kind in grading.MANUAL_KINDS:
        # People mark it. A manual kind with automatic criteria (a listing) keeps their
        # points in auto_points, and marking adds the rubric's (marking._settle).
        # Unanswered manual questions need no marker: they score zero.
        question.needs_marking = question.is_answered
        question.points = None if question.needs_marking else Decimal(0)
    else:
        question.points = result.points
        question.needs_marking = False


def _finalize(attempt: Attempt, questions: list[AttemptQuestion], *, now) -> None:
    """Apply the pass rule once every question has its final points."""
    passed_before, total_before = attempt.passed, attempt.total_percent
    first_result = attempt.status != Attempt.Status.GRADED
    totals: dict[str, list[Decimal]] = {}
    for q in questions:
        got, out_of = totals.setdefault(q.part, [Decimal(0), Decimal(0)])
        totals[q.part] = [got + (q.points or 0), out_of + q.max_points]
    percents = {
        part: (got * HUNDRED / out_of).quantize(Decimal("0.01")) if out_of else Decimal(0)
        for part, (got, out_of) in totals.items()
    }
    level = attempt.exam.skill_level
    if level is not None:
        outcome = grading.apply_pass_rule(level.pass_rule, percents)
        total, passed = outcome.total, outcome.passed
    else:
        got = sum(v[0] for v in totals.values())
        out_of = sum(v[1] for v in totals.values())
        total = (got * HUNDRED / out_of).quantize(Decimal("0.01")) if out_of else Decimal(0)
        passed = total >= Decimal(60)
    attempt.theory_percent = percents.get("theory")
    attempt.practical_percent = percents.get("practical")
    attempt.total_percent = total
    attempt.passed = passed
    attempt.status = Attempt.Status.GRADED
    attempt.graded_at = attempt.graded_at or now
    attempt.save(
        update_fields=[
            "theory_percent", "practical_percent", "total_percent", "passed", "status",
            "graded_at",
        ]
    )  # fmt: skip
    if first_result and attempt.results_released(now):
        notices.result_released(attempt)
    # Listeners (certificates, LTI grade passback) hear of a new result, a new pass/fail
    # or a new score; each of them is idempotent.
    if first_result or passed_before != passed or total_before != total:
        attempt_graded.send(sender=Attempt, attempt=attempt, first_result=first_result)
    if passed_before != passed or total_before != total:
        transaction.on_commit(
            lambda: attempt_result_changed.send(
                sender=Attempt, attempt=attempt, passed_before=passed_before
            )
        )


def part_points(attempt: Attempt) -> dict[str, Decimal]:
    """Points scored per part (for result pages and certificates)."""
    rows = attempt.questions.values("part").annotate(points=Sum("points"))
    return {row["part"]: row["points"] or Decimal(0) for row in rows}


def unanswered_positions(attempt: Attempt) -> list[int]:
    return [
        position
        for position, response in attempt.questions.values_list("position", "response")
        if not grading.is_answered(response)
    ]
