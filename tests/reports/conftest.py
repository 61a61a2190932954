"""A small province of generated data for the statistics, and the raw rows to check it with.

Rows are written directly (no services): the statistics must count whatever is in the
tables. Dates spread over the last two years so that every period and the year-on-year
comparison have something to count.
"""

import random
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from certificates.models import Certificate, Verification, VerificationDailyCount
from courses.models import Cohort, Enrollment
from exams.models import Accreditation, Attempt, Exam, SkillLevel, SkillStandard
from organizations.models import ApiKey, Membership
from tests import factories


def _at(day, hour=10):
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def province(db):
    rng = random.Random(20261206)
    today = timezone.localdate()
    first = today - timedelta(days=700)

    def some_day():
        return first + timedelta(days=rng.randrange(700))

    org = factories.organization
    body = org(kind="government", code="mohrss", name_en="Skills Bureau", name_zh="技能局")
    other_body = org(kind="government", code="other-body", name_en="Other Bureau")
    schools = [
        org(kind="school", code="s-gz", region="Guangdong", name_en="Guangzhou College"),
        org(kind="school", code="s-sz", region="Guangdong", name_en="Shenzhen College"),
        org(kind="school", code="s-hz", region="Zhejiang", name_en="Hangzhou College"),
        org(kind="school", code="s-none", region="", name_en="Unplaced College"),
    ]
    enterprises = [
        org(kind="enterprise", code="e-shop", name_en="ShopCo"),
        org(kind="enterprise", code="e-logi", name_en="LogiCo"),
    ]
    standards = []
    for code, owner in (("cbec-ops", body), ("cbec-mkt", body), ("foreign", other_body)):
        standard = SkillStandard.objects.create(
            code=code,
            version=1,
            name_en=code.upper(),
            name_zh=code,
            owner=owner,
            status="published",
        )
        standards.append(standard)
        for level in (1, 2):
            SkillLevel.objects.create(
                standard=standard, level=level, name_en=f"L{level}", name_zh=f"{level}级"
            )
    levels = list(SkillLevel.objects.select_related("standard"))
    # Accreditations: most schools for the body's standards, with a partner now and then.
    for school in schools[:3]:
        for level in levels:
            if level.standard.owner_id == body.pk or school is schools[2]:
                Accreditation.objects.create(
                    school=school,
                    standard=level.standard,
                    level=level.level,
                    valid_from=first,
                    enterprise_partner=rng.choice([None, *enterprises]),
                )
    teachers = {s.pk: factories.person(f"t-{s.code}", s, "teacher") for s in schools}
    mentors = [factories.person(f"m-{e.code}", e, "mentor") for e in enterprises]
    students = [
        factories.person(
            f"p{n}",
            rng.choice(schools),
            "student",
            name_latin=f"Learner Person {n}",
            name_native=f"学员{n}号",
        )
        for n in range(70)
    ]
    courses, exams = [], []
    for n, school in enumerate(schools):
        for k in range(2):
            partners = rng.sample(enterprises, rng.randrange(3))
            course = factories.course(
                school, code=f"c-{school.code}-{k}", lessons=1, partners=partners
            )
            courses.append(course)
            cohorts = [
                Cohort.objects.create(
                    course=course,
                    name=f"Class {j}",
                    teacher=teachers[school.pk],
                    mentor=rng.choice([None, *mentors]),
                )
                for j in range(2)
            ]
            course.test_cohorts = cohorts
            for level in rng.sample(levels, 1 + (n + k) % 2):
                exams.append(
                    Exam.objects.create(
                        title_en=f"Exam {course.code} {level}",
                        title_zh="考试",
                        organization=school,
                        skill_level=level,
                        course=course,
                        attempts_allowed=3,
                    )
                )
        # An exam tied to no standard and no course.
        exams.append(Exam.objects.create(title_en="Quiz", title_zh="测验", organization=school))
        # And a course quiz: its course also has exams of a standard level.
        exams.append(
            Exam.objects.create(
                title_en="Course quiz", title_zh="课程测验", organization=school, course=course
            )
        )
    for student in students:
        for course in rng.sample(courses, rng.randrange(1, 4)):
            status = rng.choice(["active", "completed", "completed", "withdrawn"])
            enrolled = some_day()
            enrollment = Enrollment.objects.create(
                student=student,
                course=course,
                cohort=rng.choice([None, *course.test_cohorts]),
                status=status,
            )
            completed = enrolled + timedelta(days=rng.randrange(90))
            Enrollment.objects.filter(pk=enrollment.pk).update(
                enrolled_at=_at(enrolled),
                completed_at=_at(min(completed, today)) if status == "completed" else None,
            )
    serial = 0
    for student in students:
        for exam in rng.sample(exams, rng.randrange(0, 4)):
            for number in range(1, rng.randrange(2, 4)):
                day = some_day()
                status = rng.choice(["in_progress", "submitted", "graded", "graded", "graded"])
                passed = rng.random() < 0.6 if status == "graded" else None
                attempt = Attempt.objects.create(
                    exam=exam,
                    student=student,
                    number=number,
                    status=status,
                    started_at=_at(day, 9),
                    deadline=_at(day, 11),
                    submitted_at=_at(day, rng.randrange(9, 23))
                    if status != "in_progress"
                    else None,
                    passed=passed,
                )
                if status == "in_progress":
                    break
                if passed and exam.skill_level_id:
                    serial += 1
                    level = exam.skill_level
                    issued = min(day + timedelta(days=rng.randrange(20)), today)
                    Certificate.objects.create(
                        serial=f"T{serial:06d}",
                        kind="skill_level",
                        holder=student,
                        attempt=attempt,
                        skill_level=level,
                        standard_code=level.standard.code,
                        level=level.level,
                        school=exam.organization,
                        enterprise=rng.choice([None, *enterprises]),
                        government=level.standard.owner,
                        issued_on=issued,
                        expires_on=issued + timedelta(days=rng.choice([200, 400, 3000])),
                        status=rng.choice(["valid", "valid", "valid", "revoked", "suspended"]),
                        status_list_index=serial,
                    )
    for enrollment in Enrollment.objects.filter(status="completed").select_related("course"):
        if rng.random() < 0.5:
            serial += 1
            Certificate.objects.create(
                serial=f"T{serial:06d}",
                kind="course",
                holder=enrollment.student,
                enrollment=enrollment,
                course=enrollment.course,
                school=enrollment.course.school,
                enterprise=rng.choice([None, *enterprises]),
                issued_on=enrollment.completed_at.date(),
                expires_on=None,
                status=rng.choice(["valid", "revoked"]),
                status_list_index=serial,
            )
    # A reissue: the old version is no longer current.
    old = Certificate.objects.filter(kind="skill_level").first()
    Certificate.objects.filter(pk=old.pk).update(is_current=False)
    serial += 1
    fields = {f.name: getattr(old, f.name) for f in Certificate._meta.concrete_fields}
    fields.update(pk=None, id=None, serial=f"T{serial:06d}", status_list_index=serial)
    fields.update(is_current=True, issued_on=old.issued_on)
    new = Certificate.objects.create(**{k: v for k, v in fields.items() if k not in ("pk",)})
    Certificate.objects.filter(pk=old.pk).update(superseded_by=new)

    verifiers = [factories.person(f"v-{e.code}", e, "verifier") for e in enterprises]
    keys = [
        ApiKey.objects.create(organization=e, name="HR", prefix=f"k{n}abcdef"[:8], key_hash="x")
        for n, e in enumerate(enterprises)
    ]
    certificates = list(Certificate.objects.all())
    for _n in range(160):
        certificate = rng.choice(certificates)
        who = rng.choice(["verifier", "key", "anonymous", "student"])
        row = Verification.objects.create(
            certificate=certificate,
            serial_queried=certificate.serial,
            channel="page" if who != "key" else "api",
            result="valid",
            verifier=rng.choice(verifiers)
            if who == "verifier"
            else (rng.choice(students) if who == "student" else None),
            api_key_prefix=rng.choice(keys).prefix if who == "key" else "",
        )
        Verification.objects.filter(pk=row.pk).update(created_at=_at(some_day(), 12))
    for _n in range(30):
        VerificationDailyCount.objects.create(
            day=some_day(),
            certificate=rng.choice(certificates),
            enterprise=rng.choice([None, *enterprises]),
            channel="api",
            count=rng.randrange(1, 6),
        )
    return {
        "body": body,
        "other_body": other_body,
        "schools": schools,
        "enterprises": enterprises,
        "teachers": teachers,
        "verifiers": verifiers,
        "students": students,
        "today": today,
        "first": first,
        "memberships": Membership,
    }
