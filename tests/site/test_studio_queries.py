"""The studio's list pages cost the same number of queries for 10 rows as for 100.

Other pages of the studio have theirs beside their other tests: the bank list and bank page
(tests/exams/test_studio_pages.py), the grading queue and marking page
(tests/exams/test_marking_page.py), the gradebook (tests/gradebook/test_gradebook.py).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exams.models import BlueprintRule, Exam, ExamSection, QuestionBank
from tests import factories
from tests.exams.test_studio_pages import fill

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def at_10_and_100(client, url: str, add) -> tuple[int, int]:
    """Queries with 10 rows, then with 100 (add(start, count) makes rows)."""
    add(0, 10)
    ten = queries(client, url)
    add(10, 90)
    return ten, queries(client, url)


@pytest.fixture
def school_admin(school):
    return factories.person("registrar", school, "admin")


def test_the_course_studio_list(client, teacher, school):
    client.force_login(teacher)

    def add(start, count):
        for n in range(start, start + count):
            factories.course(school, code=f"course-{n}", lessons=2)

    ten, hundred = at_10_and_100(client, reverse("courses:studio_courses"), add)
    assert ten == hundred


def test_the_exam_builder_with_10_and_100_blueprint_rows(client, teacher, school):
    bank = QuestionBank.objects.create(organization=school, name="Bank")
    fill(bank, 5)
    exam = Exam.objects.create(title_en="E", title_zh="E", organization=school)
    exam.banks.add(bank)
    section = ExamSection.objects.create(exam=exam, part="theory", position=1)
    client.force_login(teacher)

    def add(start, count):
        BlueprintRule.objects.bulk_create(
            BlueprintRule(section=section, competency=f"c{n}", difficulty=1 + n % 3, count=1)
            for n in range(start, start + count)
        )

    ten, hundred = at_10_and_100(client, reverse("exams:exam_builder", args=[exam.pk]), add)
    assert ten == hundred


def test_the_roster_page_with_10_and_100_cohorts(client, school_admin, school, teacher, mentor):
    course = factories.course(school, code="roster-course")
    client.force_login(school_admin)

    def add(start, count):
        for n in range(start, start + count):
            factories.cohort(course, teacher=teacher, mentor=mentor, name=f"Class {n}")

    ten, hundred = at_10_and_100(client, reverse("courses:roster_import", args=[school.pk]), add)
    assert ten == hundred


def test_the_cohort_staff_page_with_10_and_100_people_to_choose(
    client, school_admin, school, cohort
):
    client.force_login(school_admin)

    def add(start, count):
        for n in range(start, start + count):
            factories.person(f"t{n}", school, "teacher", name_latin=f"Teacher {n}")

    ten, hundred = at_10_and_100(client, reverse("courses:cohort_staff", args=[cohort.pk]), add)
    assert ten == hundred


def test_the_members_page_with_10_and_100_members(client, school_admin, school):
    client.force_login(school_admin)

    def add(start, count):
        for n in range(start, start + count):
            factories.person(f"m{n}", school, "student", name_latin=f"Member {n}")

    url = reverse("organizations:members", args=[school.pk])
    ten, hundred = at_10_and_100(client, url, add)
    assert ten == hundred
