"""Rosters: accounts and enrolments from a school's CSV or Excel file, all or nothing."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import Workbook

from courses.models import Enrollment
from courses.rosters import roster_load
from organizations.models import Membership
from tests import factories

User = get_user_model()
HEADER = ["student_number", "name_native", "name_latin", "email", "cohort"]


def csv_file(rows, header=HEADER) -> bytes:
    lines = [",".join(header)] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def xlsx_file(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.fixture
def school_admin(school):
    return factories.person("school-admin", school, "admin")


def page(school) -> str:
    return reverse("courses:roster_import", args=[school.pk])


def test_a_roster_creates_accounts_matches_the_schools_students_and_enrols(
    client, school_admin, school, cohort, student
):
    Membership.objects.filter(user=student, role="student").update(student_number="S-1")
    data = csv_file(
        [
            ["S-1", "张伟", "Zhang Wei", "", cohort.name],
            ["S-2", "王芳", "Wang Fang", "fang@example.org", cohort.name],
            ["S-3", "", "Chen Jie", "", ""],
        ]
    )
    client.force_login(school_admin)
    response = client.post(page(school), {"file": upload("roster.csv", data)})

    assert response.status_code == 200
    report = response.context["report"]
    assert report.written and report.created == 2 and report.matched == 1
    fang = User.objects.get(email="fang@example.org")
    assert fang.username == "school-s-2"
    assert not fang.has_usable_password()
    assert fang.profile.name_native == "王芳" and fang.profile.name_latin == "Wang Fang"
    membership = Membership.objects.get(user=fang, organization=school, role="student")
    assert membership.student_number == "S-2"
    assert Enrollment.objects.filter(cohort=cohort, student__in=[student, fang]).count() == 2
    chen = User.objects.get(profile__name_latin="Chen Jie")
    assert not Enrollment.objects.filter(student=chen).exists()
    # Each new account gets an invitation link; the existing student does not.
    assert len(response.context["invitations"]) == 2
    assert "Existing student of the school" in response.text
    # The load is in the school's audit trail, with each role it granted.
    from organizations.models import AuditEntry

    [entry] = AuditEntry.objects.filter(action="roster.imported")
    assert entry.organization == school and entry.actor == school_admin
    assert entry.after["accounts_created"] == 2 and entry.after["students_matched"] == 1
    assert AuditEntry.objects.filter(action="membership.granted", organization=school).count() >= 2


def test_an_invitation_link_sets_the_password_once(client, school_admin, school, cohort):
    client.force_login(school_admin)
    data = csv_file([["S-9", "", "New Person", "", cohort.name]])
    response = client.post(page(school), {"file": upload("r.csv", data)})
    [link] = response.context["invitations"].values()
    client.logout()

    path = link.replace("http://testserver", "")
    form = client.get(path)
    assert form.status_code == 200 and "school-s-9" in form.text
    password = "a long new password 42"
    done = client.post(path, {"new_password1": password, "new_password2": password})
    assert done.status_code == 302
    assert User.objects.get(username="school-s-9").check_password(password)
    # The token no longer matches once the password changed.
    assert client.get(path).status_code == 400


def test_an_excel_roster_of_500_rows_loads_in_one_step(client, school_admin, school, course):
    cohorts = [factories.cohort(course, teacher=school_admin, name=f"C{n}") for n in range(5)]
    rows = [
        [2024000 + n, f"学生{n}", f"Student {n}", f"s{n}@example.org", cohorts[n % 5].name]
        for n in range(500)
    ]
    client.force_login(school_admin)
    before = User.objects.count()
    response = client.post(page(school), {"file": upload("roster.xlsx", xlsx_file(rows))})

    assert response.status_code == 200, response.context["report"].errors
    assert User.objects.count() == before + 500
    assert Enrollment.objects.filter(course=course).count() == 500
    # Excel keeps the numbers as numbers: they are read back without ".0".
    assert User.objects.filter(username="school-2024499").exists()
    assert Membership.objects.filter(organization=school, student_number="2024499").exists()


def test_one_bad_row_in_500_writes_nothing_and_the_report_names_it(
    client, school_admin, school, course
):
    cohort = factories.cohort(course, teacher=school_admin, name="Big")
    rows = [[f"N{n}", "", f"Student {n}", f"s{n}@example.org", "Big"] for n in range(500)]
    rows[321][3] = "not-an-email"  # line 323 of the file (the header is line 1)
    client.force_login(school_admin)
    users, enrolments = User.objects.count(), Enrollment.objects.count()
    response = client.post(page(school), {"file": upload("roster.xlsx", xlsx_file(rows))})

    assert response.status_code == 400
    assert User.objects.count() == users and Enrollment.objects.count() == enrolments
    [bad] = response.context["report"].bad_rows
    assert bad.line == 323
    assert bad.errors == ["The email address is not valid."]
    assert "Nothing was written" in response.text
    assert cohort.enrollments.count() == 0


def test_a_refusal_while_writing_undoes_every_row(school, course, teacher):
    cohort = factories.cohort(course, teacher=teacher, name="Tiny", capacity=1)
    data = csv_file([["A1", "", "One", "", "Tiny"], ["A2", "", "Two", "", "Tiny"]])
    users = User.objects.count()
    report = roster_load(school=school, data=data, filename="r.csv")

    assert not report.written
    assert report.rows[1].errors == ["The class Tiny is full."]
    assert User.objects.count() == users and not cohort.enrollments.exists()


def test_rows_are_checked_for_every_problem(school, cohort, teacher):
    data = csv_file(
        [
            ["", "", "", "bad", "Nowhere"],
            ["X1", "某人", "", "", ""],
            ["X1", "", "Again", "", ""],
        ]
    )
    report = roster_load(school=school, data=data, filename="r.csv")
    first, _second, third = report.rows
    assert first.line == 2 and len(first.errors) == 4
    assert third.errors == ["Same student number as line 3."]
    assert not report.written


def test_a_file_without_the_columns_is_refused_clearly(school, cohort):
    report = roster_load(school=school, data=b"a,b\n1,2\n", filename="r.csv")
    assert not report.written
    assert "missing: student_number, cohort" in report.errors[0]
    report = roster_load(school=school, data=b"not a workbook", filename="r.xlsx")
    assert report.errors == ["The file could not be read as an Excel workbook."]


def test_chinese_headers_are_understood(school, cohort):
    data = csv_file([["C-1", "李华", "", cohort.name]], header=["学号", "姓名", "邮箱", "班级"])
    assert roster_load(school=school, data=data, filename="r.csv").written


def test_accounts_elsewhere_are_never_matched_nor_revealed(
    client, school_admin, school, cohort, outsider
):
    """Review finding 12: an email used by a person of another school, or by the platform's
    administrator, is reported exactly like an email nobody has, and a new account is made."""
    root = User.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(school_admin)
    data = csv_file(
        [
            ["E-1", "", "Outsider Twin", outsider.email, cohort.name],
            ["E-2", "", "Root Twin", root.email, cohort.name],
            ["E-3", "", "Nobody", "nobody@example.org", cohort.name],
        ]
    )
    response = client.post(page(school), {"file": upload("r.csv", data)})

    report = response.context["report"]
    assert report.written and report.created == 3 and report.matched == 0
    results = [row.notes for row in report.rows]
    assert results == [[], [], []]
    assert not Enrollment.objects.filter(student__in=[outsider, root]).exists()
    assert not Membership.objects.filter(user__in=[outsider, root], organization=school).exists()
    assert response.text.count("New account") == 3
    # A file with a bad row reports an email used elsewhere like one nobody uses, too.
    elsewhere = factories.person("elsewhere", outsider.memberships.get().organization, "student")
    bad = csv_file(
        [
            ["F-1", "", "Elsewhere Twin", elsewhere.email, cohort.name],
            ["F-3", "", "Nobody", "nobody2@example.org", cohort.name],
            ["", "", "", "", ""],
            ["F-4", "", "", "", ""],
        ]
    )
    refused = client.post(page(school), {"file": upload("r.csv", bad)}).context["report"]
    assert [(row.username, row.errors) for row in refused.rows[:2]] == [("", []), ("", [])]


def test_a_school_students_email_with_another_number_is_an_error(school, cohort, student):
    Membership.objects.filter(user=student).update(student_number="OLD")
    data = csv_file([["NEW", "", "Zhang", student.email, cohort.name]])
    report = roster_load(school=school, data=data, filename="r.csv")
    assert report.rows[0].errors == ["This email belongs to the school's student number OLD."]


@pytest.mark.parametrize("who", ["teacher", "student", "mentor", "verifier", "outsider_admin"])
def test_only_the_schools_administrators_load_rosters(client, school, who, request):
    if who == "outsider_admin":
        other = factories.organization(kind="school", code="other-school")
        person = factories.person("other-admin", other, "admin")
    else:
        person = request.getfixturevalue(who)
    client.force_login(person)
    assert client.get(page(school)).status_code == 403
    data = csv_file([["Z-1", "", "Z", "", ""]])
    assert client.post(page(school), {"file": upload("r.csv", data)}).status_code == 403
    assert not User.objects.filter(username="school-z-1").exists()


def test_the_workspace_links_the_roster_page(client, school_admin, school):
    client.force_login(school_admin)
    assert page(school) in client.get(reverse("landing")).text


def test_the_roster_page_links_each_cohorts_staff_enrolment_and_gradebook(
    client, school_admin, school, cohort
):
    client.force_login(school_admin)
    text = client.get(page(school)).text
    for name in ("courses:cohort_staff", "courses:cohort_enrol_csv", "gradebook:cohort_gradebook"):
        assert reverse(name, args=[cohort.pk]) in text


# --- Cohort staff, chosen by searching names ---------------------------------------------------


def staff_url(cohort) -> str:
    return reverse("courses:cohort_staff", args=[cohort.pk])


def test_cohort_staff_are_chosen_from_a_searchable_list_of_names(
    client, school_admin, cohort, school, enterprise
):
    new_teacher = factories.person(
        "t2", school, "teacher", name_native="周杰", name_latin="Zhou Jie"
    )
    new_mentor = factories.person(
        "m2", enterprise, "mentor", name_native="吴敏", name_latin="Wu Min"
    )
    client.force_login(school_admin)
    form = client.get(staff_url(cohort))
    assert form.status_code == 200
    assert 'list="teacher-choices"' in form.text
    assert "周杰 · Zhou Jie (t2)" in form.text and "吴敏 · Wu Min (m2)" in form.text

    saved = client.post(staff_url(cohort), {"teacher": "周杰 · Zhou Jie (t2)", "mentor": "Wu Min"})
    assert saved.status_code == 302
    cohort.refresh_from_db()
    assert cohort.teacher == new_teacher and cohort.mentor == new_mentor


def test_cohort_staff_must_come_from_the_school_and_its_partners(
    client, school_admin, cohort, outsider, student
):
    factories.person("t3", cohort.course.school, "teacher", name_latin="Li Ming")
    client.force_login(school_admin)
    for teacher in ("outsider", "student", "Nobody at all", "Li"):
        response = client.post(staff_url(cohort), {"teacher": teacher, "mentor": ""})
        assert response.status_code == 400, teacher
    cohort.refresh_from_db()
    assert cohort.teacher.username == "teacher"


def test_only_school_administrators_choose_cohort_staff(
    client, cohort, teacher, mentor, student, outsider
):
    for person in (teacher, mentor, student, outsider):
        client.force_login(person)
        assert client.get(staff_url(cohort)).status_code == 403


def test_the_invitation_links_of_students_without_a_password_download_as_csv(
    client, school_admin, school, cohort, student
):
    client.force_login(school_admin)
    data = csv_file([["S-5", "", "=cmd|' /C calc'!A0", "", cohort.name], ["S-6", "", "Ok", "", ""]])
    client.post(page(school), {"file": upload("r.csv", data)})
    url = reverse("courses:roster_invitations", args=[school.pk])
    assert url in client.get(page(school)).text

    response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # The two new accounts (not the student who has a password), formula text neutralised.
    assert [row[0] for row in rows[1:]] == ["S-5", "S-6"]
    assert rows[1][2] == "'=cmd|' /C calc'!A0"
    path = rows[1][5].replace("http://testserver", "")
    assert client.get(path).status_code == 200  # the link works
    client.force_login(student)
    assert client.get(url).status_code == 403


def test_a_concurrent_change_is_reported_and_writes_nothing(school, cohort, monkeypatch):
    """A username taken between the check and the insert (another load at the same time)
    undoes the whole file and asks for it again, never a server error."""
    from courses import rosters

    factories.person("school-r-1", None, None)  # the name the roster will want
    monkeypatch.setattr(rosters, "_username", lambda school, number, taken: "school-r-1")
    users = User.objects.count()
    report = roster_load(school=school, data=csv_file([["R-1", "", "R", "", ""]]), filename="r.csv")
    assert not report.written
    assert report.errors == [
        "The school's accounts changed while this file was loading; load it again."
    ]
    assert User.objects.count() == users
