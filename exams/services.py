"""Write paths for exams: attempts, answers, submission, marking, questions and regrades.

This is the module other apps (and this app's views, API and tasks) call.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Max, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Enrollment
from organizations.models import Organization

from . import grading
from .models import (
    Accreditation,
    Attempt,
    AttemptQuestion,
    BlueprintRule,
    Exam,
    ExamSection,
    Mark,
    Question,
    QuestionBank,
    QuestionVersion,
    RegradeJob,
    RegradeRecord,
    SkillStandard,
)
from .papers import draw_paper
from .signals import attempt_result_changed

HUNDRED = Decimal(100)


def deadline_grace() -> timedelta:
    """Saves arriving this long after the deadline still count (network latency)."""
    return timedelta(seconds=getattr(settings, "EXAMS_DEADLINE_GRACE_SECONDS", 30))


class ExamError(ValidationError):
    """A refusal with a message the student or teacher can read."""


class AttemptClosed(ExamError):
    """The attempt no longer takes answers."""


# --- Eligibility and starting -------------------------------------------------------------


def eligibility_problems(*, student, exam: Exam, now=None) -> list[str]:
    """Everything that stops the student from starting an attempt now (empty: eligible)."""
    now = now or timezone.now()
    problems = []
    if not exam.is_published:
        problems.append(_("This exam is not open."))
    if exam.opens_at and now < exam.opens_at:
        problems.append(_("This exam opens at %(time)s.") % {"time": _local(exam.opens_at)})
    if exam.is_closed(now):
        problems.append(_("This exam closed at %(time)s.") % {"time": _local(exam.closes_at)})
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
    previous = Attempt.objects.filter(exam=exam, student=student).exclude(
        status=Attempt.Status.IN_PROGRESS
    )
    used = previous.count()
    if used >= exam.attempts_allowed:
        problems.append(
            _("You have used all %(n)d of your attempts.") % {"n": exam.attempts_allowed}
        )
    elif used and exam.attempt_delay_minutes:
        last = previous.aggregate(last=Max("submitted_at"))["last"]
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
    """Start (or resume) the student's attempt: checks eligibility and freezes the paper."""
    now = now or timezone.now()
    current = Attempt.objects.filter(exam=exam, student=student).in_progress().first()
    if current is not None:
        current = attempt_expire_if_overdue(current, now=now)
        if current.is_open:
            return current
    problems = eligibility_problems(student=student, exam=exam, now=now)
    if problems:
        raise ExamError(problems, code="ineligible")
    try:
        with transaction.atomic():
            return _create_attempt(student=student, exam=exam, now=now)
    except IntegrityError:
        # A parallel request started it first: both callers get the same attempt.
        current = Attempt.objects.filter(exam=exam, student=student).in_progress().first()
        if current is None:
            raise
        return current


def _create_attempt(*, student, exam: Exam, now) -> Attempt:
    number = (Attempt.objects.filter(exam=exam, student=student).count()) + 1
    seen = set(
        AttemptQuestion.objects.filter(attempt__student=student, attempt__exam=exam).values_list(
            "version__question_id", flat=True
        )
    )
    rng = random.SystemRandom()
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
    limit_end = now + timedelta(minutes=exam.time_limit_minutes)
    deadline = min(limit_end, exam.closes_at) if exam.closes_at else limit_end
    attempt = Attempt.objects.create(
        exam=exam, student=student, number=number, started_at=now, deadline=deadline
    )
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            attempt=attempt,
            position=position,
            part=item.part,
            version=item.version,
            content=_student_content(item.version, exam, rng),
            max_points=item.version.points,
        )
        for position, item in enumerate(drawn, start=1)
    )
    return attempt


def _student_content(version: QuestionVersion, exam: Exam, rng) -> dict:
    kind = version.question.kind
    content = grading.public_content(kind, version.content)
    if exam.shuffle_options:
        content = grading.shuffle_content(kind, content, rng, key=version.key)
    return content


# --- Answering ----------------------------------------------------------------------------


def answer_save(
    *, attempt: Attempt, position: int, response, seq: int, flagged: bool | None = None, now=None
) -> tuple[AttemptQuestion, bool]:
    """Save one answer unless a newer one (higher `seq`) is already stored.

    Returns the stored row and whether this save was applied.
    """
    now = now or timezone.now()
    attempt = attempt_expire_if_overdue(attempt, now=now)
    if not attempt.is_open:
        raise AttemptClosed(
            _("This attempt is closed; answers saved before the deadline are kept."),
            code="closed",
        )
    try:
        question = AttemptQuestion.objects.select_related("version__question").get(
            attempt=attempt, position=position
        )
    except AttemptQuestion.DoesNotExist:
        raise ExamError(
            _("There is no question %(n)s in this paper.") % {"n": position}, code="position"
        ) from None
    clean = grading.clean_response(question.kind, question.content, response)
    changes = {"response": clean, "response_seq": seq, "saved_at": now}
    if flagged is not None:
        changes["flagged"] = flagged
    # One conditional UPDATE: a late, older save can never overwrite a newer one.
    applied = AttemptQuestion.objects.filter(
        pk=question.pk, response_seq__lt=seq, attempt__status=Attempt.Status.IN_PROGRESS
    ).update(**changes)
    if applied:
        for name, value in changes.items():  # what the row now holds: no need to read it back
            setattr(question, name, value)
    else:
        question.refresh_from_db(fields=["response", "response_seq", "saved_at", "flagged"])
    return question, bool(applied)


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
    locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if not locked.is_open:
        return locked
    # Conditional update so that, on databases without row locks, only one submit wins.
    won = Attempt.objects.filter(pk=locked.pk, status=Attempt.Status.IN_PROGRESS).update(
        status=Attempt.Status.SUBMITTED, submitted_at=now, auto_submitted=auto
    )
    if not won:
        return Attempt.objects.get(pk=locked.pk)
    locked.refresh_from_db()
    questions = list(locked.questions.select_related("version__question"))
    for question in questions:
        _grade_objective(question)
    _save_grades(questions)
    if not any(q.needs_marking for q in questions):
        _finalize(locked, questions, now=now)
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
        branches = [
            When(pk__in=ids, then=Value(value, output_field=field))
            for value, ids in ids_by_value.items()
        ]
        changes[name] = Case(*branches, output_field=field)
    AttemptQuestion.objects.filter(pk__in=[q.pk for q in questions]).update(**changes)


def _grade_objective(question: AttemptQuestion) -> None:
    version = question.version
    result = grading.grade(
        version.question.kind,
        content=version.content,
        key=version.key,
        response=question.response,
        max_points=question.max_points,
    )
    question.auto_points = result.points
    question.is_correct = result.correct
    if result.points is None:
        # Unanswered manual questions need no marker: they score zero.
        question.needs_marking = question.is_answered
        question.points = None if question.needs_marking else Decimal(0)
    else:
        question.points = result.points
        question.needs_marking = False


def _finalize(attempt: Attempt, questions: list[AttemptQuestion], *, now) -> None:
    """Apply the pass rule once every question has its final points."""
    passed_before, total_before = attempt.passed, attempt.total_percent
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
    # Listeners (certificates, LTI grade passback) hear of a new result, a new pass/fail
    # or a new score; each of them is idempotent.
    if passed_before != passed or total_before != total:
        transaction.on_commit(
            lambda: attempt_result_changed.send(
                sender=Attempt, attempt=attempt, passed_before=passed_before
            )
        )


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
        .select_related("version__question", "attempt__exam__skill_level")
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
    mark = Mark.objects.create(
        attempt_question=question,
        role=role,
        grader=grader,
        rubric_marks={k: str(v) for k, v in (rubric_marks or {}).items()},
        points=Decimal(points),
        comment=comment,
    )
    _settle(question)
    return mark


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
            tolerance=question.max_points * tolerance_pct / HUNDRED,
            adjudicated=marks.get(Mark.Role.ADJUDICATOR),
        )
        question.needs_adjudication = final is None
    if final is not None:
        question.points = final
        question.needs_marking = False
        question.needs_adjudication = False
    question.save(update_fields=["points", "needs_marking", "needs_adjudication"])
    attempt = question.attempt
    if final is not None and not attempt.questions.filter(needs_marking=True).exists():
        _finalize(attempt, list(attempt.questions.all()), now=timezone.now())


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


@transaction.atomic
def question_correct_key(*, version: QuestionVersion, key: dict, by=None) -> RegradeJob:
    """Fix a wrong answer key in place and regrade every attempt that saw this version."""
    _check_question({**version.as_data(), "key": key})
    job = RegradeJob.objects.create(
        version=version, old_key=version.key, new_key=key, requested_by=by
    )
    version.key = key
    version.save(update_fields=["key"])
    job.total = version.attempt_questions.exclude(
        attempt__status=Attempt.Status.IN_PROGRESS
    ).count()
    job.save(update_fields=["total"])
    from .tasks import regrade

    transaction.on_commit(lambda: regrade.delay(job.pk))
    return job


def regrade_run(*, job_id: int, chunk: int = 200) -> RegradeJob:
    """Apply a key correction to every submitted attempt (idempotent: done ones are skipped)."""
    job = RegradeJob.objects.select_related("version__question").get(pk=job_id)
    if job.status == RegradeJob.Status.DONE:
        return job
    RegradeJob.objects.filter(pk=job.pk).update(status=RegradeJob.Status.RUNNING)
    todo = (
        job.version.attempt_questions.exclude(attempt__status=Attempt.Status.IN_PROGRESS)
        .exclude(attempt__in=job.records.values("attempt"))
        .values_list("pk", flat=True)
    )
    pending = list(todo)
    for start in range(0, len(pending), chunk):
        with transaction.atomic():
            for question in AttemptQuestion.objects.select_related(
                "attempt__exam__skill_level", "version__question"
            ).filter(pk__in=pending[start : start + chunk]):
                _regrade_one(job, question)
            RegradeJob.objects.filter(pk=job.pk).update(done=job.records.count())
    RegradeJob.objects.filter(pk=job.pk).update(
        status=RegradeJob.Status.DONE, finished_at=timezone.now(), done=job.records.count()
    )
    job.refresh_from_db()
    return job


def _regrade_one(job: RegradeJob, question: AttemptQuestion) -> None:
    attempt = Attempt.objects.select_for_update().get(pk=question.attempt_id)
    old = (question.points, attempt.total_percent, attempt.passed)
    if question.kind not in grading.MANUAL_KINDS:
        _grade_objective(question)
        question.save(update_fields=["auto_points", "points", "is_correct", "needs_marking"])
    if attempt.status == Attempt.Status.GRADED:
        _finalize(attempt, list(attempt.questions.all()), now=timezone.now())
    RegradeRecord.objects.create(
        job=job,
        attempt=attempt,
        old_points=old[0],
        new_points=question.points,
        old_total=old[1],
        new_total=attempt.total_percent,
        old_passed=old[2],
        new_passed=attempt.passed,
    )


# --- Exams --------------------------------------------------------------------------------


@transaction.atomic
def exam_save(
    *, exam: Exam | None, fields: dict, banks=None, sections: list[dict] | None = None, by=None
) -> Exam:
    """Create or update an exam with its banks and blueprint, all or nothing.

    `sections` is [{"part": ..., "rules": [{"competency", "difficulty", "kind", "count"}]}];
    attempts keep the questions they drew, so a new blueprint simply replaces the old one.
    """
    if exam is None:
        exam = Exam(created_by=by)
    for name, value in fields.items():
        setattr(exam, name, value)
    exam.save()
    if banks is not None:
        exam.banks.set(banks)
    if sections is not None:
        exam.sections.all().delete()
        for position, section in enumerate(sections, start=1):
            row = ExamSection.objects.create(exam=exam, part=section["part"], position=position)
            BlueprintRule.objects.bulk_create(
                BlueprintRule(section=row, **rule) for rule in section["rules"]
            )
    if exam.is_published:
        problems = exam_publish_problems(exam)
        if problems:
            # Raised inside the transaction: nothing of this save is kept.
            raise ExamError(problems, code="cannot_publish")
    return exam


def exam_publish_problems(exam: Exam) -> list[str]:
    """Everything that stops this exam from being published (empty: it may be).

    A skill-level exam issues a government-standard certificate, so it must be held by a
    school accredited for the level, and its blueprint must examine what the level's pass
    rule weighs: a practical part only of human-marked tasks, which a teacher and an
    enterprise mentor both mark.
    """
    problems = []
    if exam.organization.kind != Organization.Kind.SCHOOL:
        problems.append(_("Only a school holds exams; enterprise staff mark as mentors."))
    level = exam.skill_level
    if level is None:
        return problems
    if level.standard.status != SkillStandard.Status.PUBLISHED:
        problems.append(
            _("The skill standard %(standard)s is not published.") % {"standard": level.standard}
        )
    if not school_may_assess(exam=exam):
        problems.append(
            _("%(school)s is not accredited to assess %(level)s.")
            % {"school": exam.organization.name, "level": level}
        )
    rules = {part: [] for part in ExamSection.Part.values}
    for rule in BlueprintRule.objects.filter(section__exam=exam).select_related("section"):
        rules[rule.section.part].append(rule)
    for part, weight in ((ExamSection.Part.THEORY, level.theory_weight),
                         (ExamSection.Part.PRACTICAL, level.practical_weight)):  # fmt: skip
        if weight and not rules[part]:
            problems.append(
                _("This level weighs the %(part)s part %(weight)s %%; add questions to it.")
                % {"part": ExamSection.Part(part).label, "weight": f"{weight.normalize():f}"}
            )
    for rule in rules[ExamSection.Part.PRACTICAL]:
        if rule.kind not in grading.MANUAL_KINDS:
            problems.append(
                _(
                    "The practical part takes only tasks a teacher and a mentor mark "
                    "(essay or practical task); a row draws %(kind)s."
                )
                % {"kind": rule.kind or _("any kind")}
            )
    return problems


def school_may_assess(*, exam: Exam, on=None) -> bool:
    """Is the exam's school accredited for its skill level on `on` (today by default)?"""
    return exam_accreditation(exam=exam, on=on) is not None


def attempt_accreditation(attempt: Attempt) -> Accreditation | None:
    """The accreditation the attempt was sat under: valid on the day it started and not
    withdrawn since (a suspension stops new sittings, not the results of earlier ones)."""
    exam = attempt.exam
    if exam.skill_level_id is None:
        return None
    return (
        Accreditation.objects.valid_on(timezone.localdate(attempt.started_at))
        .covering(exam.skill_level, school_id=exam.organization_id)
        .exclude(status=Accreditation.Status.WITHDRAWN)
        .order_by("-valid_from", "-pk")
        .first()
    )


def exam_accreditation(*, exam: Exam, on=None) -> Accreditation | None:
    """The accreditation in force on `on` under which the school examines the exam's level."""
    if exam.skill_level_id is None:
        return None
    return (
        Accreditation.objects.in_force(on)
        .covering(exam.skill_level, school_id=exam.organization_id)
        .order_by("-valid_from", "-pk")
        .first()
    )


# --- Accreditation ------------------------------------------------------------------------


@transaction.atomic
def accreditation_grant(
    *,
    school: Organization,
    standard: SkillStandard,
    level: int,
    valid_from,
    valid_until=None,
    enterprise_partner: Organization | None = None,
    by=None,
    note: str = "",
) -> Accreditation:
    """Accredit a school to assess one level of a standard (of its owner's) for a period."""
    accreditation = Accreditation(
        school=school,
        standard=standard,
        level=level,
        valid_from=valid_from,
        valid_until=valid_until,
        enterprise_partner=enterprise_partner,
        granted_by=by,
        note=note,
    )
    try:
        accreditation.full_clean()
    except ValidationError as exc:
        raise ExamError(exc.messages, code="invalid_accreditation") from exc
    if not standard.levels.filter(level=level).exists():
        raise ExamError(
            _("%(standard)s has no level %(level)s.") % {"standard": standard, "level": level},
            code="no_level",
        )
    accreditation.save()
    return accreditation


@transaction.atomic
def accreditation_set_status(
    *, accreditation: Accreditation, status: str, by=None
) -> Accreditation:
    """Suspend, reinstate or withdraw: a suspension stops new sittings, never certificates."""
    accreditation.status = status
    accreditation.save(update_fields=["status"])
    return accreditation


# --- Standards ----------------------------------------------------------------------------


@transaction.atomic
def standard_publish(*, standard: SkillStandard, by) -> SkillStandard:
    if standard.status != SkillStandard.Status.DRAFT:
        raise ExamError(_("Only a draft standard can be published."), code="not_draft")
    if not standard.levels.exists():
        raise ExamError(_("Add at least one level before publishing."), code="no_levels")
    standard.status = SkillStandard.Status.PUBLISHED
    standard.published_at = timezone.now()
    standard.published_by = by
    standard.save(update_fields=["status", "published_at", "published_by"])
    return standard


@transaction.atomic
def standard_new_version(*, standard: SkillStandard, by=None) -> SkillStandard:
    """A published standard never changes: a change starts a draft copy with the next number."""
    latest = SkillStandard.objects.filter(code=standard.code).aggregate(n=Max("version"))["n"]
    draft = SkillStandard.objects.create(
        code=standard.code,
        version=latest + 1,
        name_en=standard.name_en,
        name_zh=standard.name_zh,
        description_en=standard.description_en,
        description_zh=standard.description_zh,
        owner=standard.owner,
        previous=standard,
    )
    for level in standard.levels.prefetch_related("competencies"):
        competencies = list(level.competencies.all())
        level.pk = None
        level.standard = draft
        level.prerequisite_level = None
        level.save()
        for competency in competencies:
            competency.pk = None
            competency.level = level
            competency.save()
    return draft


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
