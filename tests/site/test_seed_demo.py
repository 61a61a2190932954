import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from courses.models import Course, Enrollment, Lesson
from exams.models import Attempt, Question


@pytest.mark.django_db
def test_seed_demo_loads_every_role_and_can_run_twice(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    counts = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == counts
    users = set(get_user_model().objects.values_list("username", flat=True))
    assert {"student", "teacher", "mentor", "verifier", "regulator", "admin"} <= users
    assert counts["courses"] == 5 and counts["questions"] >= 80
    student = get_user_model().objects.get(username="student")
    assert student.check_password("cbec-demo")
    assert Attempt.objects.filter(student=student, passed=True).count() == 1


def _counts() -> dict:
    return {
        "courses": Course.objects.count(),
        "lessons": Lesson.objects.count(),
        "enrollments": Enrollment.objects.count(),
        "questions": Question.objects.count(),
        "attempts": Attempt.objects.count(),
    }


@pytest.mark.django_db
def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
