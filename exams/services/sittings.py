"""Sittings: who is admitted, when they may start, their deadline, papers drawn in advance,
and the invigilators' actions (release the start, add time, end the sitting).

Every time here is the server's: a client's clock is never asked.
"""

import logging
import os
import random
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Enrollment
from organizations.audit import record
from organizations.models import AuditEntry, Membership

from ..models import Accommodation, Attempt, AttemptQuestion, Exam, Sitting, SittingPaper
from . import overrides
from .errors import ExamError

Action = AuditEntry.Action
logger = logging.getLogger(__name__)

# Fault injection for tests only: seconds to pause after each paper drawn in advance, the
# window in which a killed worker leaves a sitting half drawn.
DRAW_DELAY_ENV = "EXAMS_PAPER_DRAW_DELAY_SECONDS"
# How often a long drawing records its progress (seconds).
PROGRESS_EVERY_SECONDS = 0.5
# The same for each attempt submitted when a sitting ends.
END_DELAY_ENV = "EXAMS_SITTING_END_DELAY_SECONDS"


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
    # Through the exam's manager: each sitting knows its exam without fetching it again.
    sittings = list(exam.sittings.admitting(student).order_by("starts_at"))
    if not sittings:
        return None
    for sitting in sittings:
        if sitting.is_ended:
            continue
        cutoff = sitting.entry_cutoff
        if cutoff is None or now <= cutoff:  # waiting for release, or entry still open
            return sitting
    return sittings[-1]


def seat(sitting: Sitting, student) -> "SittingPaper | None":
    """The candidate's seat in the sitting: their paper, drawn in advance or not (None: none)."""
    try:  # unique: get() needs no ORDER BY, which first() builds
        return SittingPaper.objects.get(sitting=sitting, student=student)
    except SittingPaper.DoesNotExist:
        return None


def start_problems(*, sitting: Sitting, student, now=None, paper=False) -> list[str]:
    """What stops the candidate starting in this sitting now (empty: may start).

    `paper`: the candidate's seat (`seat()`), if the caller has it; False to look it up."""
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
    if paper is False:
        used = SittingPaper.objects.filter(
            sitting=sitting, student=student, attempt__isnull=False
        ).exists()
    else:
        used = paper is not None and paper.attempt_id is not None
    if used:
        return [_("You have already sat this sitting.")]
    return []


def candidate_deadline(sitting: Sitting, student, *, terms=None) -> timedelta | None:
    """The candidate's end of time (None before release): see `overrides.attempt_deadline`."""
    return overrides.attempt_deadline(
        exam=sitting.exam, student=student, now=timezone.now(), sitting=sitting, terms=terms
    )


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


def open_paper(
    *, sitting: Sitting, student, exam: Exam, now, terms=None, paper=False, number=None
) -> Attempt:
    """Create the candidate's attempt (inside the caller's transaction), from the paper drawn
    in advance if there is one, else drawing it now; the deadline comes from the sitting
    (`terms`: the candidate's, `paper`: their seat, `number`: the attempt's, if the caller
    has them).

    The seat is taken by a conditional UPDATE: if a parallel start took it first, this
    raises IntegrityError (the caller's transaction rolls back and resumes that attempt).
    """
    from .attempts import _create_attempt, open_attempt

    deadline = candidate_deadline(sitting, student, terms=terms)
    if paper is False:
        paper = seat(sitting, student)
    if number is None:
        number = Attempt.objects.filter(exam=exam, student=student).count() + 1
    if paper is not None and paper.attempt_id is None and paper.questions:
        attempt = open_attempt(
            student=student,
            exam=exam,
            number=number,
            now=now,
            deadline=deadline,
            rows=paper.questions,
        )
        taken = SittingPaper.objects.filter(pk=paper.pk, attempt__isnull=True).update(
            attempt=attempt
        )
        if not taken:
            raise IntegrityError("The seat was taken by a parallel start.")
        paper.attempt = attempt
        return attempt
    attempt = _create_attempt(student=student, exam=exam, now=now, deadline=deadline, number=number)
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
    killed midway and run again adds only the missing papers, never a second one. The
    progress shown is written every PROGRESS_EVERY_SECONDS and counted exactly at the end.
    """
    from .attempts import freeze_paper

    rng = rng or random.SystemRandom()
    sitting = Sitting.objects.select_related("exam").get(pk=sitting_id)
    students = list(roster(sitting))
    have = set(SittingPaper.objects.filter(sitting=sitting).values_list("student_id", flat=True))
    Sitting.objects.filter(pk=sitting.pk).update(
        papers_total=len(students), papers_drawn=len(have), papers_status="running"
    )
    drawn = len(have)
    reported = time.monotonic()
    try:
        for student in students:
            if student.pk in have:
                continue
            rows = freeze_paper(exam=sitting.exam, student=student, rng=rng)
            # One statement, committed on its own; a paper a parallel run froze first stays.
            SittingPaper.objects.bulk_create(
                [SittingPaper(sitting=sitting, student=student, questions=rows)],
                ignore_conflicts=True,
            )
            drawn += 1
            # The progress the sitting page shows: at most a few writes a second.
            if time.monotonic() - reported >= PROGRESS_EVERY_SECONDS:
                Sitting.objects.filter(pk=sitting.pk).update(papers_drawn=drawn)
                reported = time.monotonic()
            _injected_delay()
    except ExamError as exc:
        Sitting.objects.filter(pk=sitting.pk).update(papers_status="failed", papers_error=str(exc))
        raise
    drawn = SittingPaper.objects.filter(sitting=sitting, student__in=students).count()
    Sitting.objects.filter(pk=sitting.pk).update(papers_drawn=drawn, papers_status="done")
    sitting.refresh_from_db()
    return sitting


def _injected_delay(variable: str = DRAW_DELAY_ENV) -> None:
    seconds = float(os.environ.get(variable) or 0)
    if seconds > 0:
        logger.warning("Pausing %s s (%s).", seconds, variable)
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


@transaction.atomic
def end_sitting(*, sitting: Sitting, actor, now=None) -> Sitting:
    """Close the sitting; its open attempts are submitted by a task (`submit_open_attempts`).

    In this transaction the entry closes and every open attempt's deadline is brought to
    now, so no answer is taken after the end (bar the usual grace) even before the task
    has run. Ending an ended sitting whose attempts are not all submitted queues the task
    again (a killed worker's run is resumed); otherwise it changes nothing.
    """
    from .. import tasks

    now = now or timezone.now()
    locked = Sitting.objects.select_for_update().get(pk=sitting.pk)
    if locked.is_ended and locked.end_status == "done":
        return locked
    if not locked.is_ended:
        locked.ended_at = now
        open_attempts = _sitting_attempts(locked).filter(status=Attempt.Status.IN_PROGRESS)
        open_attempts.filter(deadline__gt=now).update(deadline=now)
        record(
            Action.SITTING_ENDED,
            obj=locked,
            actor=actor,
            organization=locked.exam.organization_id,
            after={"ended_at": now, "open_attempts": open_attempts.count()},
        )
    locked.end_status = "queued"
    locked.save(update_fields=["ended_at", "end_status"])
    transaction.on_commit(lambda: tasks.submit_sitting_attempts.delay(locked.pk))
    return locked


def _sitting_attempts(sitting: Sitting):
    return Attempt.objects.filter(
        pk__in=SittingPaper.objects.filter(sitting=sitting, attempt__isnull=False).values(
            "attempt_id"
        )
    )


def _end_progress(sitting: Sitting, **fields) -> None:
    attempts = _sitting_attempts(sitting)
    total = attempts.count()
    done = total - attempts.filter(status=Attempt.Status.IN_PROGRESS).count()
    Sitting.objects.filter(pk=sitting.pk).update(end_total=total, end_done=done, **fields)


def submit_open_attempts(sitting_id: int) -> Sitting:
    """Submit every attempt still open in an ended sitting, one transaction each.

    A submitted attempt is no longer open, so a run killed midway and run again submits
    only the rest, and a duplicate delivery submits nothing twice.
    """
    from .attempts import attempt_submit

    sitting = Sitting.objects.get(pk=sitting_id)
    if not sitting.is_ended:
        return sitting  # a stale message: nothing to end
    _end_progress(sitting, end_status="running")
    for attempt in _sitting_attempts(sitting).filter(status=Attempt.Status.IN_PROGRESS):
        attempt_submit(attempt=attempt, auto=True, now=sitting.ended_at)
        _end_progress(sitting)
        _injected_delay(END_DELAY_ENV)
    _end_progress(sitting, end_status="done")
    sitting.refresh_from_db()
    return sitting


def heartbeat(*, attempt: Attempt, now=None) -> None:
    """The attempt page says it is there: note the time (at most one write per 5 s)."""
    now = now or timezone.now()
    Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.IN_PROGRESS).filter(
        Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=now - timedelta(seconds=5))
    ).update(last_seen_at=now)


def connection_lost_after() -> timedelta:
    """A started candidate not heard from (heartbeat or save) for this long has lost touch."""
    return timedelta(seconds=getattr(settings, "EXAMS_CONNECTION_LOST_SECONDS", 45))


def heartbeat_seconds() -> int:
    """How often the attempt page beats: a third of the "connection lost" time, 2 to 15 s."""
    return max(2, min(15, int(connection_lost_after().total_seconds()) // 3))


def candidate_state(*, attempt_open, last_save, last_heard, now, lost_after: timedelta) -> str:
    """A candidate's state on the console (pure): not arrived, started, answering, connection
    lost or submitted. `attempt_open` is None without an attempt; `last_heard` the latest of
    the attempt's start, its heartbeats and its saves."""
    if attempt_open is None:
        return "not_arrived"
    if not attempt_open:
        return "submitted"
    if last_heard is not None and now - last_heard > lost_after:
        return "connection_lost"
    return "answering" if last_save else "started"


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
    terms = overrides.terms_by_student(sitting.exam, [s.pk for s in students])
    lost_after = connection_lost_after()
    rows = []
    for student in students:
        paper = papers.get(student.pk)
        attempt = paper.attempt if paper is not None else None
        extra = extras.get(student.pk)
        last_save = last_saves.get(attempt.pk) if attempt else None
        heard = [t for t in (last_save, attempt and attempt.last_seen_at) if t]
        last_heard = max(heard + [attempt.started_at]) if attempt else None
        state = candidate_state(
            attempt_open=attempt.is_open if attempt else None,
            last_save=last_save,
            last_heard=last_heard,
            now=now,
            lost_after=lost_after,
        )
        if attempt is None:
            deadline = overrides.sitting_deadline(
                start=sitting.effective_start,
                duration_minutes=sitting.duration_minutes,
                terms=terms[student.pk],
                accommodation=extra,
            )
        else:
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
                "last_heard_seconds": (
                    int((now - last_heard).total_seconds()) if last_heard else None
                ),
                "accommodation": extra,
                "overridden": bool(terms[student.pk].overridden),
            }
        )
    return rows


@transaction.atomic
def accommodation_set(
    *,
    sitting: Sitting,
    student,
    extra_minutes: int,
    extra_percent: int,
    rest_break_minutes: int = 0,
    reason: str,
    actor,
) -> Accommodation:
    """Record a candidate's extra time (minutes, a percentage of the duration, rest breaks);
    audited with its reason. A candidate already answering gets the new deadline at once.
    """
    if not is_admitted(sitting, student):
        raise ExamError(_("This candidate is not admitted to the sitting."), code="candidate")
    if not reason.strip():
        raise ExamError(_("Say why the candidate has extra time."), code="reason")
    existing = (
        Accommodation.objects.select_for_update().filter(sitting=sitting, student=student).first()
    )
    fields = ("extra_minutes", "extra_percent", "rest_break_minutes")
    before = {f: getattr(existing, f) for f in fields} if existing else {}
    accommodation, _created = Accommodation.objects.update_or_create(
        sitting=sitting,
        student=student,
        defaults={
            "extra_minutes": extra_minutes,
            "extra_percent": extra_percent,
            "rest_break_minutes": rest_break_minutes,
            "reason": reason.strip(),
        },
    )
    paper = SittingPaper.objects.filter(sitting=sitting, student=student).first()
    deadline = candidate_deadline(sitting, student)
    attempt = None
    if paper is not None and paper.attempt_id and deadline is not None:
        attempt = Attempt.objects.filter(pk=paper.attempt_id).first()
        Attempt.objects.filter(pk=paper.attempt_id, status=Attempt.Status.IN_PROGRESS).update(
            deadline=deadline
        )
    record(
        Action.SITTING_ACCOMMODATION_SET,
        obj=attempt or sitting,
        actor=actor,
        organization=sitting.exam.organization_id,
        before=before,
        after={
            **{f: getattr(accommodation, f) for f in fields},
            "student": student.get_username(),
            "sitting": sitting.pk,
        },
        note=reason.strip(),
    )
    return accommodation


@transaction.atomic
def redraw_papers(*, sitting: Sitting, actor, reason: str = "") -> int:
    """Throw away the papers drawn for candidates who have not started and draw them again
    (after a change to the question bank); started and submitted papers are never touched.
    Audited; returns how many papers are redrawn."""
    locked = Sitting.objects.select_for_update().get(pk=sitting.pk)
    if locked.is_ended:
        raise ExamError(_("This sitting has ended."), code="ended")
    unopened = SittingPaper.objects.filter(sitting=locked, attempt__isnull=True)
    count = len(unopened.values_list("pk", flat=True))
    unopened.delete()
    record(
        Action.SITTING_PAPERS_REDRAWN,
        obj=locked,
        actor=actor,
        organization=locked.exam.organization_id,
        after={"papers_redrawn": count},
        note=reason.strip(),
    )
    queue_paper_drawing(locked)
    return count


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
