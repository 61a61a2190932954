"""Run inside the bare project: migrate, then enrol a student and complete a course."""

import django
from django.core.management import call_command

django.setup()
call_command("migrate", verbosity=0, interactive=False)

from datetime import timedelta  # noqa: E402

from django.contrib.auth.models import User  # noqa: E402
from django.utils import timezone  # noqa: E402

from courses import services  # noqa: E402
from courses.models import Course, Enrollment, Lesson, Module  # noqa: E402
from organizations.models import Organization  # noqa: E402

school = Organization.objects.create(kind="school", code="s", name_en="S", name_zh="学校")
course = Course.objects.create(
    code="c", title_en="C", title_zh="课", school=school, is_published=True, min_lesson_minutes=1
)
module = Module.objects.create(course=course, title_en="M", title_zh="模块")
lesson = Lesson.objects.create(module=module, title_en="L", title_zh="课时")
student = User.objects.create_user("s1")
enrollment = services.enrollment_create(student=student, course=course)
# A minute on the lesson, measured by the server's clock (simulated here).
start = timezone.now()
services.lesson_opened(enrollment=enrollment, now=start)
services.lesson_heartbeat(student=student, lesson=lesson, now=start + timedelta(seconds=60))
services.lesson_complete(student=student, lesson=lesson)
enrollment = Enrollment.objects.with_progress().get()
print(f"status={enrollment.status} progress={enrollment.progress_percent}")
