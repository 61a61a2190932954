"""The notifications exams send (organizations.notifications), each called by the service
where the event happens, inside its transaction: a result released to the student, answers
waiting for the teachers and mentors who mark them, a question import finished."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Enrollment
from organizations.models import Membership
from organizations.notifications import Kind, both, notify, notify_many

from ..models import Attempt, Exam, ImportJob
from ..signals import results_released


def _exam_title(exam: Exam) -> dict[str, str]:
    return {"en": exam.title_en or exam.title_zh, "zh-hans": exam.title_zh or exam.title_en}


def result_released(attempt: Attempt) -> None:
    """The student hears of a graded attempt whose result they may see now."""
    passed = attempt.passed
    notify(
        attempt.student,
        Kind.RESULT_RELEASED,
        params={
            "exam": _exam_title(attempt.exam),
            "score": str(attempt.total_percent),
            "outcome": both(lambda: _("passed") if passed else _("not passed")),
        },
        url=reverse("exams:attempt_result", args=[attempt.pk]),
    )


def held_results_announce(now=None) -> int:
    """Tell the students of exams that held their results until closing, once each exam has
    closed, that their results are out (a beat task). Attempts graded after the close were
    told at grading (attempts._finalize); returns how many students were told."""
    now = now or timezone.now()
    due = Exam.objects.filter(
        release_results=False, closes_at__lte=now, results_announced_at__isnull=True
    ).values_list("pk", flat=True)
    told = 0
    for exam_id in list(due):
        with transaction.atomic():
            # Conditional: two runs at once announce an exam once.
            won = Exam.objects.filter(pk=exam_id, results_announced_at__isnull=True).update(
                results_announced_at=now
            )
            if not won:
                continue
            exam = Exam.objects.get(pk=exam_id)
            results_released.send(sender=Exam, exam=exam, released_at=exam.closes_at)
            graded = Attempt.objects.filter(
                exam=exam, status=Attempt.Status.GRADED, graded_at__lte=exam.closes_at
            ).select_related("student", "exam")
            for attempt in graded.order_by("pk"):
                result_released(attempt)
                told += 1
    return told


def markers(attempt: Attempt, *, dual: bool):
    """Who marks the attempt's answers: the teachers of the exam's school and, when an answer
    is dual-marked, the mentors of the student's cohorts (of the exam's course, if any)."""
    users = get_user_model().objects.filter(is_active=True)
    teacher_ids = (
        Membership.objects.active()
        .filter(organization_id=attempt.exam.organization_id, role=Membership.Role.TEACHER)
        .values("user_id")
    )
    people = list(users.filter(pk__in=teacher_ids).order_by("pk"))
    if dual:
        cohorts = Enrollment.objects.active().filter(
            student_id=attempt.student_id, cohort__mentor__isnull=False
        )
        if attempt.exam.course_id:
            cohorts = cohorts.filter(course_id=attempt.exam.course_id)
        people += list(users.filter(pk__in=cohorts.values("cohort__mentor_id")).order_by("pk"))
    return people


def marking_waiting(attempt: Attempt, questions) -> int:
    """A submitted attempt has answers to mark: each of their markers hears of it once."""
    waiting = [q for q in questions if q.needs_marking]
    if not waiting:
        return 0
    # Marking is blind: the notice names the exam, never the student.
    return notify_many(
        markers(attempt, dual=any(q.is_dual_marked for q in waiting)),
        Kind.MARKING_WAITING,
        params={"exam": _exam_title(attempt.exam), "count": len(waiting)},
        url=reverse("exams:grading_queue"),
    )


def import_finished(job: ImportJob) -> None:
    """The person who uploaded a question file hears how it ended."""
    bank = job.bank
    done = job.status == ImportJob.Status.DONE
    notify(
        job.requested_by,
        Kind.IMPORT_FINISHED,
        params={
            "bank": bank.name,
            "outcome": both(lambda: _("imported") if done else _("failed, nothing imported")),
            "count": job.done if done else 0,
        },
        url=reverse("exams:import_job", args=[job.pk]),
    )


def sitting_scheduled(sitting) -> int:
    """The admitted candidates hear when and where they sit. For the sittings service to call
    in the transaction that schedules (or moves) a sitting; returns how many were told."""
    from . import sittings

    exam = sitting.exam
    when = timezone.localtime(sitting.starts_at).strftime("%Y-%m-%d %H:%M")
    place = sitting.place or ""
    return notify_many(
        sittings.roster(sitting),
        Kind.SITTING_SCHEDULED,
        params={
            "exam": _exam_title(exam),
            "when": when,
            "place": place or both(lambda: sitting.get_mode_display()),
        },
        url=reverse("exams:exam_detail", args=[exam.pk]),
    )
