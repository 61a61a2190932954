"""Sittings: who is admitted, when they may start, their deadline, papers drawn in advance,
and the invigilators' actions (release the start, add time, end the sitting).

Every time here is the server's: a client's clock is never asked.
"""

import logging
import os
import random
import time
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Enrollment
from organizations.audit import record
from organizations.models import AuditEntry, Membership

from ..models import Accommodation, Attempt, AttemptQuestion, Exam, Sitting, SittingPaper
from .errors import ExamError

Action = AuditEntry.Action
logger = logging.getLogger(__name__)

# Fault injection for tests only: seconds to pause after each paper drawn in advance, the
# window in which a killed worker leaves a sitting half drawn.
DRAW_DELAY_ENV = "EXAMS_PAPER_DRAW_DELAY_SECONDS"


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# --- Who sits when --------------------------------------------------------------------------


def roster(sitting: Sitting):
    """The admitted candidates: named ones and the active students of admitted cohorts."""
    cohort_students = (
        Enrollment.objects.active().filter(cohort__in=sitting.cohorts.all()).values("student_id")
    )
    return (
        get_user_model()
        .objects.filter(Q(pk__in=sitting.candidates.values("pk")) | Q(pk__in=cohort_students))
        .distinct()
        .order_by("username")
    )


def is_admitted(sitting: Sitting, student) -> bool:
    return roster(sitting).filter(pk=student.pk).exists()


def sitting_for(*, student, exam: Exam, now=None) -> Sitting | None:
    """The sitting of `exam` the student is to sit now or next (None: not booked on any).

    A sitting whose late entry has not closed comes first (soonest first); else the one the
    student already holds an attempt in; else the latest one (to say why entry is closed).
    """
    now = now or timezone.now()
    sittings = list(Sitting.objects.filter(exam=exam).admitting(student).order_by("starts_at"))
    if not sittings:
        return None
    for sitting in sittings:
        if sitting.is_ended:
            continue
        cutoff = sitting.entry_cutoff
        if cutoff is None or now <= cutoff:  # waiting for release, or entry still open
            return sitting
    return sittings[-1]


def start_problems(*, sitting: Sitting, student, now=None) -> list[str]:
    """What stops the candidate starting in this sitting now (empty: may start)."""
    now = now or timezone.now()
    if sitting.is_ended:
        return [_("This sitting has ended.")]
    if now < sitting.starts_at:
        return [_("Your sitting starts at %(time)s.") % {"time": _local(sitting.starts_at)}]
    if sitting.effective_start is None:
        return [_("Wait for the invigilator to release the start.")]
    if now > sitting.entry_cutoff:
        return [
            _("Late entry closed at %(time)s; speak to the invigilator.")
            % {"time": _local(sitting.entry_cutoff)}
        ]
    used = SittingPaper.objects.filter(
        sitting=sitting, student=student, attempt__isnull=False
    ).exists()
    if used:
        return [_("You have already sat this sitting.")]
    return []


def candidate_deadline(sitting: Sitting, student) -> timedelta | None:
    """The candidate's end of time: start + duration + their extra time (None before release)."""
    start = sitting.effective_start
    if start is None:
        return None
    deadline = start + timedelta(minutes=sitting.duration_minutes)
    accommodation = Accommodation.objects.filter(sitting=sitting, student=student).first()
    if accommodation is not None:
        deadline += accommodation.extra_for(sitting.duration_minutes)
    return deadline


def sittings_of_student(student, *, now=None):
    """The student's sittings not yet over, soonest first (for their exam pages)."""
    now = now or timezone.now()
    return (
        Sitting.objects.admitting(student)
        .filter(
            ended_at__isnull=True,
            starts_at__gte=now - timedelta(days=1),
            exam__is_published=True,
        )
        .select_related("exam")
        .order_by("starts_at")
    )


# --- Papers ---------------------------------------------------------------------------------


def open_paper(*, sitting: Sitting, student, exam: Exam, now) -> Attempt:
    """Create the candidate's attempt (inside the caller's transaction), from the paper drawn
    in advance if there is one, else drawing it now; the deadline comes from the sitting."""
    from .attempts import _create_attempt

    deadline = candidate_deadline(sitting, student)
    paper = (
        SittingPaper.objects.select_for_update()
        .filter(sitting=sitting, student=student, attempt__isnull=True)
        .first()
    )
    if paper is not None and paper.questions:
        number = Attempt.objects.filter(exam=exam, student=student).count() + 1
        attempt = Attempt.objects.create(
            exam=exam, student=student, number=number, started_at=now, deadline=deadline
        )
        AttemptQuestion.objects.bulk_create(
            AttemptQuestion(
                attempt=attempt,
                position=row["position"],
                part=row["part"],
                version_id=row["version"],
                content=row["content"],
                max_points=Decimal(row["max_points"]),
            )
            for row in paper.questions
        )
        paper.attempt = attempt
        paper.save(update_fields=["attempt"])
        return attempt
    attempt = _create_attempt(student=student, exam=exam, now=now, deadline=deadline)
    # Candidates added late draw on start; the seat still links the attempt to the sitting.
    SittingPaper.objects.update_or_create(
        sitting=sitting, student=student, defaults={"attempt": attempt}
    )
    return attempt


def queue_paper_drawing(sitting: Sitting) -> None:
    """Draw the roster's papers in the background (after the current transaction commits)."""
    from .. import tasks

    Sitting.objects.filter(pk=sitting.pk).update(papers_status="queued", papers_error="")
    transaction.on_commit(lambda: tasks.draw_sitting_papers.delay(sitting.pk))


def draw_papers(sitting_id: int, *, rng: random.Random | None = None) -> Sitting:
    """Draw and freeze a paper for every admitted candidate who has none yet.

    Each paper is committed on its own and the (sitting, student) pair is unique, so a run
    killed midway and run again adds only the missing papers, never a second one.
    """
    from .attempts import freeze_paper

    rng = rng or random.SystemRandom()
    sitting = Sitting.objects.select_related("exam").get(pk=sitting_id)
    students = list(roster(sitting))
    have = set(SittingPaper.objects.filter(sitting=sitting).values_list("student_id", flat=True))
    Sitting.objects.filter(pk=sitting.pk).update(
        papers_total=len(students), papers_drawn=len(have), papers_status="running"
    )
    try:
        for student in students:
            if student.pk in have:
                continue
            rows = freeze_paper(exam=sitting.exam, student=student, rng=rng)
            try:
                with transaction.atomic():
                    SittingPaper.objects.create(sitting=sitting, student=student, questions=rows)
            except IntegrityError:
                pass  # a parallel run froze this one first
            drawn = SittingPaper.objects.filter(sitting=sitting).count()
            Sitting.objects.filter(pk=sitting.pk).update(papers_drawn=drawn)
            _injected_delay()
    except ExamError as exc:
        Sitting.objects.filter(pk=sitting.pk).update(papers_status="failed", papers_error=str(exc))
        raise
    drawn = SittingPaper.objects.filter(sitting=sitting, student__in=students).count()
    Sitting.objects.filter(pk=sitting.pk).update(papers_drawn=drawn, papers_status="done")
    sitting.refresh_from_db()
    return sitting


def _injected_delay() -> None:
    seconds = float(os.environ.get(DRAW_DELAY_ENV) or 0)
    if seconds > 0:
        logger.warning("Pausing %s s after drawing a paper (%s).", seconds, DRAW_DELAY_ENV)
        time.sleep(seconds)


# --- Invigilation ---------------------------------------------------------------------------


@transaction.atomic
def release_start(*, sitting: Sitting, actor, now=None) -> Sitting:
    now = now or timezone.now()
    sitting = Sitting.objects.select_for_update().get(pk=sitting.pk)
    if sitting.is_ended:
        raise ExamError(_("This sitting has ended."), code="ended")
    if sitting.released_at is not None:
        return sitting
    sitting.released_at = now
    sitting.save(update_fields=["released_at"])
    record(
        Action.SITTING_RELEASED,
        obj=sitting,
        actor=actor,
        organization=sitting.exam.organization_id,
        after={"released_at": now},
    )
    return sitting


@transaction.atomic
def add_time(*, sitting: Sitting, student, minutes: int, reason: str, actor, now=None):
    """Give one candidate more time; an open attempt's deadline moves at once."""
    now = now or timezone.now()
    if not 1 <= minutes <= 240:
        raise ExamError(_("Add between 1 and 240 minutes."), code="minutes")
    if not reason.strip():
        raise ExamError(_("Say why the time is added."), code="reason")
    if sitting.is_ended:
        raise ExamError(_("This sitting has ended."), code="ended")
    if not is_admitted(sitting, student):
        raise ExamError(_("This candidate is not admitted to the sitting."), code="candidate")
    accommodation, _created = Accommodation.objects.select_for_update().get_or_create(
        sitting=sitting, student=student
    )
    accommodation.added_minutes += minutes
    accommodation.save(update_fields=["added_minutes"])
    paper = SittingPaper.objects.filter(sitting=sitting, student=student).first()
    attempt = None
    if paper is not None and paper.attempt_id:
        attempt = Attempt.objects.select_for_update().get(pk=paper.attempt_id)
        if attempt.is_open:
            before = attempt.deadline
            attempt.deadline = before + timedelta(minutes=minutes)
            attempt.save(update_fields=["deadline"])
    record(
        Action.SITTING_TIME_ADDED,
        obj=attempt or sitting,
        actor=actor,
        organization=sitting.exam.organization_id,
        after={"minutes": minutes, "student": student.get_username(), "sitting": sitting.pk},
        note=reason.strip(),
    )
    return accommodation


def end_sitting(*, sitting: Sitting, actor, now=None) -> int:
    """Close the sitting and submit every attempt still open in it; returns how many."""
    from .attempts import attempt_submit

    now = now or timezone.now()
    with transaction.atomic():
        locked = Sitting.objects.select_for_update().get(pk=sitting.pk)
        if locked.is_ended:
            return 0
        locked.ended_at = now
        locked.save(update_fields=["ended_at"])
        open_attempts = Attempt.objects.filter(
            pk__in=SittingPaper.objects.filter(sitting=locked).values("attempt_id"),
            status=Attempt.Status.IN_PROGRESS,
        )
        closed = 0
        for attempt in open_attempts:
            attempt_submit(attempt=attempt, auto=True, now=now)
            closed += 1
        record(
            Action.SITTING_ENDED,
            obj=locked,
            actor=actor,
            organization=locked.exam.organization_id,
            after={"ended_at": now, "submitted": closed},
        )
    sitting.ended_at = now
    return closed


def console_rows(sitting: Sitting, *, now=None) -> list[dict]:
    """Each candidate's state and time left, for the invigilator console (a few queries)."""
    now = now or timezone.now()
    students = list(roster(sitting).select_related("profile"))
    papers = {
        p.student_id: p
        for p in SittingPaper.objects.filter(sitting=sitting).select_related("attempt")
    }
    extras = {a.student_id: a for a in Accommodation.objects.filter(sitting=sitting)}
    attempt_ids = [p.attempt_id for p in papers.values() if p.attempt_id]
    last_saves = dict(
        AttemptQuestion.objects.filter(attempt_id__in=attempt_ids)
        .values("attempt_id")
        .annotate(last=Max("saved_at"))
        .values_list("attempt_id", "last")
    )
    start = sitting.effective_start
    rows = []
    for student in students:
        paper = papers.get(student.pk)
        attempt = paper.attempt if paper is not None else None
        extra = extras.get(student.pk)
        last_save = last_saves.get(attempt.pk) if attempt else None
        if attempt is None:
            state = "not_arrived"
            deadline = None
            if start is not None:
                deadline = start + timedelta(minutes=sitting.duration_minutes)
                if extra is not None:
                    deadline += extra.extra_for(sitting.duration_minutes)
        elif attempt.is_open:
            state = "answering" if last_save else "started"
            deadline = attempt.deadline
        else:
            state = "submitted"
            deadline = attempt.deadline
        seconds_left = None
        if deadline is not None and state != "submitted":
            seconds_left = max(0, int((deadline - now).total_seconds()))
        rows.append(
            {
                "student": student,
                "state": state,
                "paper_ready": bool(paper and paper.questions),
                "attempt": attempt,
                "deadline": deadline,
                "seconds_left": seconds_left,
                "last_save_seconds": int((now - last_save).total_seconds()) if last_save else None,
                "accommodation": extra,
            }
        )
    return rows


@transaction.atomic
def accommodation_set(
    *, sitting: Sitting, student, extra_minutes: int, extra_percent: int, reason: str
) -> Accommodation:
    """Record a candidate's extra time (minutes and/or a percentage of the duration).

    A candidate already answering gets the new deadline at once.
    """
    if not is_admitted(sitting, student):
        raise ExamError(_("This candidate is not admitted to the sitting."), code="candidate")
    accommodation, _created = Accommodation.objects.update_or_create(
        sitting=sitting,
        student=student,
        defaults={
            "extra_minutes": extra_minutes,
            "extra_percent": extra_percent,
            "reason": reason.strip(),
        },
    )
    paper = SittingPaper.objects.filter(sitting=sitting, student=student).first()
    deadline = candidate_deadline(sitting, student)
    if paper is not None and paper.attempt_id and deadline is not None:
        Attempt.objects.filter(pk=paper.attempt_id, status=Attempt.Status.IN_PROGRESS).update(
            deadline=deadline
        )
    return accommodation


# --- Admission notices ----------------------------------------------------------------------


def admitted_sitting(student, sitting_id: int) -> Sitting | None:
    """The sitting if the student is admitted to it and it is of a published exam, else None."""
    return (
        Sitting.objects.admitting(student)
        .filter(pk=sitting_id, exam__is_published=True)
        .select_related("exam__organization")
        .first()
    )


def candidate_number(sitting: Sitting, student) -> str:
    """The candidate's number on their admission notice: stable for this sitting and student.

    The school's own student number (in the exam's school) when it has one, else one derived
    from the sitting and the student's account; it never changes when the roster does.
    """
    number = (
        Membership.objects.filter(
            user=student,
            organization_id=sitting.exam.organization_id,
            role=Membership.Role.STUDENT,
        )
        .exclude(student_number="")
        .values_list("student_number", flat=True)
        .first()
    )
    return number or f"S{sitting.pk:05d}-{student.pk:06d}"
