"""The cohort gradebook: what it shows, who may open it, its exports and its query count."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from certificates.models import Certificate
from courses.models import Enrollment, LessonCompletion
from courses.services import enrollment_create, lesson_complete
from exams.models import Attempt, Exam
from organizations.models import Membership
from organizations.spreadsheets import neutralise
from tests import factories


def url(cohort, *suffix) -> str:
    if suffix:
        return reverse("gradebook:cohort_gradebook_export", args=[cohort.pk, suffix[0]])
    return reverse("gradebook:cohort_gradebook", args=[cohort.pk])


def enrol(cohort, student) -> Enrollment:
    return enrollment_create(student=student, course=cohort.course, cohort=cohort, by_teacher=True)


def course_exam(course) -> Exam:
    return Exam.objects.create(
        title_en="Final", title_zh="期末", organization=course.school, course=course
    )


def graded(exam, student, *, theory, practical, total, passed, number=1) -> Attempt:
    now = timezone.now()
    return Attempt.objects.create(
        exam=exam,
        student=student,
        number=number,
        status=Attempt.Status.GRADED,
        deadline=now,
        submitted_at=now,
        graded_at=now,
        theory_percent=Decimal(theory),
        practical_percent=Decimal(practical),
        total_percent=Decimal(total),
        passed=passed,
    )


def course_certificate(student, course, enrollment, n=1) -> Certificate:
    return Certificate.objects.create(
        serial=f"CBEC-TEST-{n:04d}",
        kind=Certificate.Kind.COURSE,
        holder=student,
        enrollment=enrollment,
        course=course,
        school=course.school,
        issued_on=timezone.localdate(),
        status_list_index=n,
    )


@pytest.fixture
def school_admin(school):
    return factories.person("school-admin", school, "admin")


@pytest.fixture
def filled(cohort, student, other_student):
    """Two students: one halfway with a graded exam and a certificate, one idle for a month."""
    first = enrol(cohort, student)
    second = enrol(cohort, other_student)
    lessons = list(cohort.course.lessons())
    for lesson in lessons[:2]:
        lesson_complete(student=student, lesson=lesson)
    Enrollment.objects.filter(pk=second.pk).update(enrolled_at=timezone.now() - timedelta(days=30))
    exam = course_exam(cohort.course)
    graded(exam, student, theory="80", practical="70", total="74", passed=True)
    graded(exam, student, theory="50", practical="40", total="44", passed=False, number=2)
    course_certificate(student, cohort.course, first)
    Membership.objects.filter(user=student, role="student").update(student_number="S-001")
    return {"exam": exam, "lessons": lessons, "first": first, "second": second}


def rows_of(response) -> list[list[str]]:
    return [[cell.text for cell in row] for row in response.context["body"]]


def test_the_gradebook_shows_progress_exam_parts_certificates_and_flags(
    client, teacher, cohort, filled
):
    client.force_login(teacher)
    response = client.get(url(cohort))
    assert response.status_code == 200

    header = response.context["header"]
    assert header[:6] == [
        "Student",
        "Username",
        "Student number",
        "Progress (%)",
        "Last activity",
        "At risk",
    ]
    assert header[6:10] == ["Lesson 1", "Lesson 2", "Lesson 3", "Lesson 4"]
    assert header[10:14] == [
        "Final: theory (%)",
        "Final: practical (%)",
        "Final: total (%)",
        "Final: result",
    ]
    li_lei, zhang_wei = rows_of(response)  # sorted by name
    # The best graded attempt, by part.
    assert zhang_wei[:4] == ["Zhang Wei", "student", "S-001", "50"]
    assert zhang_wei[6:10] == ["✓", "✓", "", ""]
    assert zhang_wei[10:14] == ["80", "70", "74", "Passed"]
    assert zhang_wei[14] == "CBEC-TEST-0001 (Valid)"
    assert zhang_wei[5] == ""
    # Idle for 30 days and below the median (25%): both flags.
    assert li_lei[:4] == ["Li Lei", "other", "", "0"]
    assert li_lei[5] == "No activity; Below the cohort median"
    assert li_lei[10:14] == ["", "", "", "Not attempted"]
    assert "Export matching rows as CSV" in response.text


def test_sort_and_filter(client, teacher, cohort, filled):
    client.force_login(teacher)
    by_progress = client.get(url(cohort), {"sort": "-progress"})
    assert [row[0] for row in rows_of(by_progress)] == ["Zhang Wei", "Li Lei"]
    at_risk = client.get(url(cohort), {"risk": "any"})
    assert [row[0] for row in rows_of(at_risk)] == ["Li Lei"]
    searched = client.get(url(cohort), {"q": "zhang"})
    assert [row[0] for row in rows_of(searched)] == ["Zhang Wei"]
    by_number = client.get(url(cohort), {"q": "s-001"})
    assert [row[0] for row in rows_of(by_number)] == ["Zhang Wei"]
    # A longer quiet period: Li Lei (30 days) is no longer "inactive", still below median.
    patient = client.get(url(cohort), {"risk": "inactive", "inactive_days": 60})
    assert rows_of(patient) == []


def test_bad_filters_answer_400_with_the_whole_book(client, teacher, cohort, filled):
    client.force_login(teacher)
    response = client.get(url(cohort), {"inactive_days": "0", "sort": "evil"})
    assert response.status_code == 400
    assert len(rows_of(response)) == 2


def test_exports_hold_exactly_the_rows_shown(client, teacher, cohort, filled):
    client.force_login(teacher)
    query = {"risk": "below_median", "sort": "name"}
    page = client.get(url(cohort), query)
    shown = [page.context["header"], *rows_of(page)]

    exported = client.get(url(cohort, "csv"), query)
    assert exported["Content-Type"].startswith("text/csv")
    assert exported["Content-Disposition"].startswith("attachment;")
    assert list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")))) == shown

    workbook = load_workbook(io.BytesIO(client.get(url(cohort, "xlsx"), query).content))
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    assert cells == shown


def test_formula_injection_is_neutralised_in_both_exports(client, teacher, cohort, school):
    evil = factories.person(
        "evil", school, "student", name_latin='=HYPERLINK("http://x.example","click")'
    )
    enrol(cohort, evil)
    client.force_login(teacher)

    text = client.get(url(cohort, "csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text

    sheet = load_workbook(io.BytesIO(client.get(url(cohort, "xlsx")).content)).worksheets[0]
    name = sheet.cell(row=2, column=1)
    assert name.data_type == "s"
    assert name.value.startswith("'=HYPERLINK")
    for dangerous in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1"):
        assert neutralise(dangerous).startswith("'")
    assert neutralise("Zhang Wei") == "Zhang Wei"


def test_an_unknown_export_format_is_404(client, teacher, cohort):
    client.force_login(teacher)
    assert client.get(url(cohort, "pdf")).status_code == 404


def test_the_teacher_mentor_and_school_admin_open_it(client, teacher, mentor, school_admin, cohort):
    for person in (teacher, mentor, school_admin):
        client.force_login(person)
        assert client.get(url(cohort)).status_code == 200
        assert client.get(url(cohort, "csv")).status_code == 200


def test_no_one_else_opens_it(client, cohort, student, verifier, regulator, outsider, course):
    other_teacher = factories.person("teacher-2", course.school, "teacher")
    enterprise = cohort.mentor.memberships.get().organization
    enterprise_admin = factories.person("ent-admin", enterprise, "admin")
    for person in (student, verifier, regulator, outsider, other_teacher, enterprise_admin):
        client.force_login(person)
        assert client.get(url(cohort)).status_code == 403, person
        assert client.get(url(cohort, "xlsx")).status_code == 403, person
    client.logout()
    assert client.get(url(cohort)).status_code == 302


def test_the_workspace_links_the_gradebook(client, teacher, cohort):
    client.force_login(teacher)
    assert url(cohort) in client.get(reverse("landing")).text


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _add_students(cohort, exam, start, n):
    lessons = list(cohort.course.lessons())
    for i in range(start, start + n):
        person = factories.person(f"s{i}", cohort.course.school, "student", name_latin=f"S {i}")
        enrollment = enrol(cohort, person)
        LessonCompletion.objects.create(enrollment=enrollment, lesson=lessons[i % len(lessons)])
        graded(exam, person, theory="60", practical="60", total="60", passed=True)
        course_certificate(person, cohort.course, enrollment, n=i + 1)


def test_the_query_count_does_not_grow_with_students(client, teacher, cohort):
    exam = course_exam(cohort.course)
    client.force_login(teacher)
    _add_students(cohort, exam, 0, 10)
    formats = ((), ("csv",), ("xlsx",))
    # Every row on one page (per_page=100), and the first page of 25.
    pages = ("?per_page=100", "?per_page=25&page=1")
    at_ten = {(fmt, q): _queries(client, url(cohort, *fmt) + q) for fmt in formats for q in pages}
    _add_students(cohort, exam, 10, 90)
    at_hundred = {
        (fmt, q): _queries(client, url(cohort, *fmt) + q) for fmt in formats for q in pages
    }
    assert at_ten == at_hundred
    assert len(client.get(url(cohort) + "?per_page=100").context["body"]) == 100


def test_the_schools_exams_without_a_course_show_once_a_student_sat_them(
    client, teacher, cohort, student, school, outsider
):
    enrol(cohort, student)
    level_exam = Exam.objects.create(title_en="Level 1", title_zh="一级", organization=school)
    Exam.objects.create(title_en="Unsat", title_zh="未考", organization=school)
    other_school = outsider.memberships.get().organization
    elsewhere = Exam.objects.create(
        title_en="Elsewhere", title_zh="别处", organization=other_school
    )
    graded(level_exam, student, theory="90", practical="80", total="84", passed=True)
    graded(elsewhere, student, theory="10", practical="10", total="10", passed=False)
    client.force_login(teacher)

    header = client.get(url(cohort)).context["header"]
    assert "Level 1: total (%)" in header
    assert not any(title in column for column in header for title in ("Unsat", "Elsewhere"))


# --- Pages ----------------------------------------------------------------------------------


def test_the_page_shows_a_page_of_rows_and_exports_hold_every_matching_row(client, teacher, cohort):
    exam = course_exam(cohort.course)
    _add_students(cohort, exam, 0, 30)
    client.force_login(teacher)
    first = client.get(url(cohort), {"per_page": 25, "sort": "-progress"})
    second = client.get(url(cohort), {"per_page": 25, "sort": "-progress", "page": 2})
    assert len(first.context["body"]) == 25 and len(second.context["body"]) == 5
    assert "30 students match of 30." in first.text and "Rows 26 to 30 shown." in second.text
    assert "An export holds all 30 rows the filters match, on every page" in first.text
    # The page links keep the filters; the export links keep them but not the page.
    assert 'href="?per_page=25&amp;sort=-progress&amp;page=2"' in first.text
    export = url(cohort, "csv") + "?sort=-progress"
    assert f'href="{export}"' in second.text
    response = client.get(export)
    exported = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    shown = rows_of(first) + rows_of(second)
    assert exported[1:] == shown and len(shown) == 30


def test_the_default_page_holds_50_rows_and_a_bad_page_size_is_refused(client, teacher, cohort):
    exam = course_exam(cohort.course)
    _add_students(cohort, exam, 0, 55)
    client.force_login(teacher)
    response = client.get(url(cohort))
    assert len(response.context["body"]) == 50 and response.context["page"].paginator.num_pages == 2
    bad = client.get(url(cohort), {"per_page": "7"})
    assert bad.status_code == 400 and "Select a valid choice" in bad.text
