"""Builds the demo site through the apps' own services, so the demo is what users get."""

from django.contrib.auth import get_user_model

from courses.models import Cohort, Course, Lesson, Module, Programme
from courses.services import enrollment_create, lesson_complete
from organizations.models import Organization, Profile
from organizations.services import membership_grant

ORGANIZATIONS = {
    "demo-school": dict(
        kind=Organization.Kind.SCHOOL,
        name_en="Hangzhou Vocational College of Commerce",
        name_zh="杭州商贸职业学院",
        region="Zhejiang",
    ),
    "demo-enterprise": dict(
        kind=Organization.Kind.ENTERPRISE,
        name_en="Silk Road Cross-border Trading Co., Ltd.",
        name_zh="丝路跨境贸易有限公司",
        region="Zhejiang",
    ),
    "demo-government": dict(
        kind=Organization.Kind.GOVERNMENT,
        name_en="Zhejiang Provincial Department of Commerce",
        name_zh="浙江省商务厅",
        region="Zhejiang",
    ),
}

DEMO_USERS = {
    "student": dict(role="student", org="demo-school", native="张伟", latin="Zhang Wei"),
    "teacher": dict(role="teacher", org="demo-school", native="李娜", latin="Li Na"),
    "mentor": dict(role="mentor", org="demo-enterprise", native="王强", latin="Wang Qiang"),
    "verifier": dict(role="verifier", org="demo-enterprise", native="刘洋", latin="Liu Yang"),
    "regulator": dict(role="regulator", org="demo-government", native="陈静", latin="Chen Jing"),
    "admin": dict(role="admin", org="demo-school", native="赵敏", latin="Zhao Min"),
}

PROGRAMMES = {
    "major": dict(
        code="cbec-major",
        track=Programme.Track.MAJOR,
        title_en="Cross-border E-commerce (Major)",
        title_zh="跨境电子商务专业",
    ),
    "micro_major": dict(
        code="cbec-micro-major",
        track=Programme.Track.MICRO_MAJOR,
        title_en="Digital Marketing for Cross-border Sellers (Micro-major)",
        title_zh="跨境卖家数字营销微专业",
    ),
}


def seed(*, password: str) -> list[str]:
    orgs = {code: _organization(code, fields) for code, fields in ORGANIZATIONS.items()}
    users = {name: _user(name, spec, orgs, password) for name, spec in DEMO_USERS.items()}
    courses = _courses(orgs)
    _cohort_and_progress(courses, users)
    summary = [f"  {len(courses)} courses, {len(orgs)} organisations."]
    try:
        from lms import demo_exams
    except ImportError:  # the exams part of the demo is optional
        return summary
    return summary + demo_exams.seed(orgs=orgs, users=users, courses=courses)


def _organization(code: str, fields: dict) -> Organization:
    org, _ = Organization.objects.update_or_create(code=code, defaults=fields)
    return org


def _user(username: str, spec: dict, orgs: dict, password: str):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(password)
        user.email = f"{username}@demo.cbec-academy.example"
    # Teachers and admins author in Django admin until the authoring studio exists.
    user.is_staff = spec["role"] in {"teacher", "admin"}
    user.is_superuser = username == "admin"
    user.save()
    Profile.objects.update_or_create(
        user=user,
        defaults={"name_native": spec["native"], "name_latin": spec["latin"]},
    )
    membership_grant(user=user, organization=orgs[spec["org"]], role=spec["role"])
    return user


def _courses(orgs: dict) -> dict[str, Course]:
    from lms.demo.courses_content import COURSES

    programmes = {
        key: Programme.objects.update_or_create(
            code=fields["code"], defaults={**fields, "owner": orgs["demo-school"]}
        )[0]
        for key, fields in PROGRAMMES.items()
    }
    courses = {}
    for spec in COURSES:
        course, _ = Course.objects.update_or_create(
            code=spec["code"],
            defaults=dict(
                title_en=spec["title_en"],
                title_zh=spec["title_zh"],
                summary_en=spec["summary_en"],
                summary_zh=spec["summary_zh"],
                estimated_hours=spec["hours"],
                school=orgs["demo-school"],
                is_published=True,
            ),
        )
        course.partners.add(orgs["demo-enterprise"])
        course.programmes.add(programmes[spec["track"]])
        for m_pos, module_spec in enumerate(spec["modules"], start=1):
            module, _ = Module.objects.update_or_create(
                course=course,
                position=m_pos,
                defaults=dict(title_en=module_spec["title_en"], title_zh=module_spec["title_zh"]),
            )
            for l_pos, lesson_spec in enumerate(module_spec["lessons"], start=1):
                Lesson.objects.update_or_create(
                    module=module,
                    position=l_pos,
                    defaults={
                        k: lesson_spec[k] for k in ("title_en", "title_zh", "body_en", "body_zh")
                    },
                )
        courses[course.code] = course
    for spec in COURSES:
        courses[spec["code"]].prerequisites.set([courses[c] for c in spec.get("prerequisites", [])])
    return courses


def _cohort_and_progress(courses: dict, users: dict) -> None:
    course = courses["platform-operation"]
    cohort, _ = Cohort.objects.update_or_create(
        course=course,
        name="2026 Autumn · Class 1",
        defaults=dict(teacher=users["teacher"], mentor=users["mentor"], capacity=40),
    )
    student = users["student"]
    if not course.enrollments.filter(student=student).exists():
        enrollment_create(student=student, course=course, cohort=cohort)
        first = course.lessons().first()
        if first:
            lesson_complete(student=student, lesson=first)
