"""A passed exam of a course is the evidence a course asking for an assessment needs.

courses cannot import exams (layering), so exams supplies the evidence: ExamsConfig.ready()
registers this source in courses.completion, and connects `on_attempt_result_changed` so a
pass that arrives after the student's last lesson completes the course then.
"""

import logging
from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from courses import services as course_services
from courses.completion import EvidenceSource
from courses.models import Course, Enrollment

from .models import Attempt, Exam

logger = logging.getLogger(__name__)


def passed(enrollment_ids: Iterable[int]) -> set[int]:
    """Enrolments whose student passed a published exam of the enrolment's course: one query."""
    passes = Attempt.objects.filter(
        student=OuterRef("student"),
        exam__course=OuterRef("course"),
        exam__is_published=True,
        passed=True,
    )
    return set(
        Enrollment.objects.filter(pk__in=list(enrollment_ids))
        .filter(Exists(passes))
        .values_list("pk", flat=True)
    )


def assessments(course: Course) -> list[tuple[str, str | None]]:
    return [
        (exam.title, exam.get_absolute_url())
        for exam in Exam.objects.published().filter(course=course).order_by("pk")
    ]


SOURCE = EvidenceSource(key="exams", label=_("Exams"), passed=passed, assessments=assessments)


def on_attempt_result_changed(sender, attempt, **kwargs) -> None:
    """A pass in a course's exam may be the last criterion its student's enrolment needed.

    Sent after the grading transaction committed: a failure here must not turn the saved
    result into an error page; the next lesson or heartbeat checks the enrolment again.
    """
    if not attempt.passed:
        return
    try:
        course = Course.objects.filter(exams__pk=attempt.exam_id).first()
        if course is not None:
            course_services.enrollment_recheck(student=attempt.student, course=course)
    except Exception:
        logger.exception("Course completion not checked for attempt %s.", attempt.pk)
