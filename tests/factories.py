"""Plain builders for test data (no factory library: the models are small)."""

from courses.models import Cohort, Course, Lesson, Module
from organizations.models import Organization
from organizations.services import membership_grant, person_create

PASSWORD = "correct horse battery"


def organization(*, kind: str, code: str, **fields) -> Organization:
    defaults = {"name_en": f"{code.title()} {kind}", "name_zh": f"{code}机构"}
    return Organization.objects.create(kind=kind, code=code, **{**defaults, **fields})


def person(username: str, organization: Organization | None, role: str | None, **profile):
    user = person_create(
        username=username, password=PASSWORD, email=f"{username}@example.org", **profile
    )
    if organization is not None and role:
        membership_grant(user=user, organization=organization, role=role)
    return user


def course(
    school: Organization,
    *,
    code: str,
    lessons: int = 3,
    published: bool = True,
    partners=(),
    title_en: str = "",
    title_zh: str = "",
    modules: int = 1,
) -> Course:
    course = Course.objects.create(
        code=code,
        title_en=title_en or code.title(),
        title_zh=title_zh or code,
        school=school,
        is_published=published,
        estimated_hours=10,
    )
    course.partners.set(partners)
    per_module = max(1, lessons // modules)
    made = 0
    for m in range(1, modules + 1):
        module = Module.objects.create(
            course=course, position=m, title_en=f"Module {m}", title_zh=f"模块{m}"
        )
        count = per_module if m < modules else lessons - made
        for position in range(1, count + 1):
            Lesson.objects.create(
                module=module,
                position=position,
                title_en=f"Lesson {made + 1}",
                title_zh=f"第{made + 1}课",
                body_en=f"Body **{made + 1}**",
                body_zh=f"正文 {made + 1}",
            )
            made += 1
    return course


def cohort(course: Course, *, teacher, mentor=None, capacity=None, name="Class 1") -> Cohort:
    return Cohort.objects.create(
        course=course, teacher=teacher, mentor=mentor, capacity=capacity, name=name
    )


def accredit(school: Organization, level, **fields):
    """The standard's government body accredits `school` for `level` (from a year ago)."""
    from datetime import timedelta

    from django.utils import timezone

    from exams.services import accreditation_grant

    return accreditation_grant(
        school=school,
        standard=level.standard,
        level=level.level,
        valid_from=fields.pop("valid_from", timezone.localdate() - timedelta(days=365)),
        **fields,
    )


def spend_time(student, course: Course, *, minutes: int) -> None:
    """`minutes` on the course's first lesson, through the services with a simulated clock:
    the lesson is opened, then its page reports itself as often as the server credits."""
    from datetime import timedelta

    from django.utils import timezone

    from courses import conf, services
    from courses.models import Enrollment

    enrollment = Enrollment.objects.get(student=student, course=course)
    lesson = course.lessons().first()
    start = timezone.now()
    services.lesson_opened(enrollment=enrollment, now=start)
    step = conf.max_credit_seconds()
    beats = -(-minutes * 60 // step)  # ceiling
    for n in range(1, beats + 1):
        services.lesson_heartbeat(
            student=student, lesson=lesson, now=start + timedelta(seconds=n * step)
        )
