"""A passed exam of a course is the evidence a course asking for an assessment needs.

courses cannot import exams (layering), so exams supplies the evidence: ExamsConfig.ready()
registers this source in courses.completion, and connects `on_attempt_result_changed` so a
pass that arrives after the student's last lesson completes the course then.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from courses import services as course_services
from courses.completion import EvidenceSource
from courses.models import Course, Enrollment

from .models import Attempt, Exam


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
    """A pass in a course's exam may be the last criterion its student's enrolment needed."""
    if not attempt.passed:
        return
    course_id = Exam.objects.filter(pk=attempt.exam_id).values_list("course_id", flat=True)[0]
    if course_id is None:
        return
    course_services.enrollment_recheck(
        student=attempt.student, course=Course.objects.get(pk=course_id)
    )
