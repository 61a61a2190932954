"""Sitting pages: scheduling, the invigilator console and its JSON, and who may use them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrollment
from exams import services
from exams.models import Accommodation, Attempt, Sitting, SittingPaper
from organizations.models import AuditEntry
from tests.exams.test_sittings import make_sitting

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def booked(exam, student, other_student, cohort, mentor):
    """A sitting of `exam` that started 5 minutes ago: the cohort (student) is admitted,
    other_student is named; the cohort's mentor invigilates."""
    Enrollment.objects.create(student=student, course=cohort.course, cohort=cohort)
    sitting = make_sitting(exam)
    sitting.cohorts.add(cohort)
    sitting.candidates.add(other_student)
    sitting.invigilators.add(mentor)
    return sitting


def test_a_teacher_schedules_a_sitting_and_the_papers_are_drawn(
    client, exam, teacher, student, other_student, cohort, django_capture_on_commit_callbacks
):
    Enrollment.objects.create(student=student, course=cohort.course, cohort=cohort)
    Enrollment.objects.create(student=other_student, course=cohort.course, cohort=cohort)
    login(client, teacher)
    home = client.get(reverse("exams:staff_home")).content.decode()
    assert reverse("exams:sitting_list") in home
    form_page = client.get(reverse("exams:sitting_new", args=[exam.pk]))
    assert form_page.status_code == 200
    assert "Zhang Wei" in form_page.content.decode()  # candidates by name, from the cohort
    when = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT09:00")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exams:sitting_new", args=[exam.pk]),
            {
                "starts_at": when,
                "duration_minutes": 90,
                "mode": "room",
                "place": "Room 101",
                "what_to_bring": "ID card",
                "start_rule": "at_time",
                "late_entry_minutes": 20,
                "candidates": [student.pk],
            },
        )
    sitting = Sitting.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("exams:sitting_console", args=[sitting.pk])
    assert list(sitting.candidates.all()) == [student]
    assert SittingPaper.objects.filter(sitting=sitting, student=student).count() == 1
    sitting.refresh_from_db()
    assert (sitting.papers_drawn, sitting.papers_total, sitting.papers_status) == (1, 1, "done")


def test_the_form_refuses_an_empty_roster_and_outside_candidates(client, exam, teacher, outsider):
    login(client, teacher)
    data = {
        "starts_at": "2030-01-01T09:00",
        "duration_minutes": 90,
        "mode": "room",
        "place": "Room 1",
        "start_rule": "at_time",
        "late_entry_minutes": 20,
    }
    response = client.post(reverse("exams:sitting_new", args=[exam.pk]), data)
    assert response.status_code == 400
    assert "Admit at least one cohort or candidate" in response.content.decode()
    response = client.post(
        reverse("exams:sitting_new", args=[exam.pk]), {**data, "candidates": [outsider.pk]}
    )
    assert response.status_code == 400
    assert not Sitting.objects.exists()


def test_a_room_sitting_needs_its_room(client, exam, teacher, student, cohort):
    Enrollment.objects.create(student=student, course=cohort.course, cohort=cohort)
    login(client, teacher)
    response = client.post(
        reverse("exams:sitting_new", args=[exam.pk]),
        {
            "starts_at": "2030-01-01T09:00",
            "duration_minutes": 90,
            "mode": "room",
            "place": "",
            "start_rule": "at_time",
            "late_entry_minutes": 20,
            "cohorts": [cohort.pk],
        },
    )
    assert response.status_code == 400
    assert not Sitting.objects.exists()


def test_the_console_json_shows_each_candidates_state(client, booked, exam, student, mentor):
    attempt = services.attempt_start(student=student, exam=exam)
    services.answer_save(attempt=attempt, position=1, response={"choice": "a"}, seq=1)
    login(client, mentor)
    page = client.get(reverse("exams:sitting_console", args=[booked.pk]))
    assert page.status_code == 200
    assert "exams/sittings.js" in page.content.decode()
    assert "<script>" not in page.content.decode()
    data = client.get(reverse("exams:sitting_console", args=[booked.pk]), {"format": "json"})
    rows = {row["student"]: row for row in data.json()["rows"]}
    assert rows[student.pk]["state"] == "answering"
    assert 0 <= rows[student.pk]["last_save_seconds"] < 5
    assert 84 * 60 < rows[student.pk]["seconds_left"] <= 85 * 60
    assert [row["state"] for pk, row in rows.items() if pk != student.pk] == ["not_arrived"]


def test_an_invigilator_adds_time_releases_and_ends(
    client, booked, exam, student, mentor, django_capture_on_commit_callbacks
):
    booked.start_rule = Sitting.Start.RELEASED
    booked.save()
    login(client, mentor)
    client.post(reverse("exams:sitting_release", args=[booked.pk]))
    booked.refresh_from_db()
    assert booked.released_at is not None
    attempt = services.attempt_start(student=student, exam=exam)
    before = attempt.deadline
    response = client.post(
        reverse("exams:sitting_add_time", args=[booked.pk]),
        {"student": student.pk, "minutes": 10, "reason": "Computer restarted"},
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.deadline == before + timedelta(minutes=10)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SITTING_TIME_ADDED)
    assert entry.actor == mentor and entry.note == "Computer restarted"
    # No reason: nothing changes.
    client.post(
        reverse("exams:sitting_add_time", args=[booked.pk]),
        {"student": student.pk, "minutes": 10, "reason": ""},
    )
    attempt.refresh_from_db()
    assert attempt.deadline == before + timedelta(minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exams:sitting_end", args=[booked.pk]))
    attempt.refresh_from_db()
    assert attempt.status != Attempt.Status.IN_PROGRESS
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SITTING_ENDED).exists()


def test_a_teacher_records_an_accommodation(client, booked, exam, student, teacher):
    login(client, teacher)
    client.post(
        reverse("exams:sitting_accommodation", args=[booked.pk]),
        {"student": student.pk, "extra_minutes": 0, "extra_percent": 25, "reason": "Dyslexia"},
    )
    assert Accommodation.objects.get(student=student).extra_percent == 25
    attempt = services.attempt_start(student=student, exam=exam)
    assert attempt.deadline == booked.ends_at + timedelta(minutes=22, seconds=30)


def test_outsiders_cannot_reach_the_sitting(
    client, booked, student, other_student, outsider, regulator, exam
):
    urls_get = [
        reverse("exams:sitting_console", args=[booked.pk]),
        reverse("exams:sitting_console", args=[booked.pk]) + "?format=json",
        reverse("exams:sitting_edit", args=[booked.pk]),
        reverse("exams:sitting_new", args=[exam.pk]),
    ]
    urls_post = [
        reverse("exams:sitting_release", args=[booked.pk]),
        reverse("exams:sitting_end", args=[booked.pk]),
        reverse("exams:sitting_add_time", args=[booked.pk]),
        reverse("exams:sitting_accommodation", args=[booked.pk]),
        reverse("exams:sitting_draw", args=[booked.pk]),
    ]
    for user in (outsider, student, regulator):
        login(client, user)
        for url in urls_get:
            assert client.get(url).status_code in (403, 404), (user, url)
        for url in urls_post:
            data = {"student": other_student.pk, "minutes": 5, "reason": "x"}
            assert client.post(url, data).status_code in (403, 404), (user, url)
    booked.refresh_from_db()
    assert booked.ended_at is None and not Accommodation.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="sitting.").exists()


def test_an_invigilator_neither_edits_nor_records_accommodations(client, booked, mentor, student):
    login(client, mentor)
    assert client.get(reverse("exams:sitting_edit", args=[booked.pk])).status_code == 404
    response = client.post(
        reverse("exams:sitting_accommodation", args=[booked.pk]),
        {"student": student.pk, "extra_minutes": 30, "extra_percent": 0, "reason": "x"},
    )
    assert response.status_code == 404
    assert not Accommodation.objects.exists()


def test_a_mentor_not_invigilating_gets_no_console(client, booked, mentor):
    booked.invigilators.clear()
    login(client, mentor)
    assert client.get(reverse("exams:sitting_console", args=[booked.pk])).status_code == 404


def test_time_is_not_added_for_a_stranger(client, booked, teacher, outsider):
    login(client, teacher)
    response = client.post(
        reverse("exams:sitting_add_time", args=[booked.pk]),
        {"student": outsider.pk, "minutes": 5, "reason": "x"},
    )
    assert response.status_code == 404
    assert not Accommodation.objects.exists()


def test_candidates_see_their_sittings(client, booked, exam, student, outsider):
    booked.what_to_bring = "ID card and a pen"
    booked.save()
    login(client, student)
    listing = client.get(reverse("exams:exam_list")).content.decode()
    assert "Your sittings" in listing and "Room 101" in listing and "ID card and a pen" in listing
    detail = client.get(reverse("exams:exam_detail", args=[exam.pk])).content.decode()
    assert "Your sitting" in detail and "Room 101" in detail
    # Staff-only reasons never reach the candidate.
    Accommodation.objects.create(sitting=booked, student=student, extra_minutes=5, reason="SECRET")
    assert "SECRET" not in client.get(reverse("exams:exam_detail", args=[exam.pk])).content.decode()
    login(client, outsider)
    assert "Room 101" not in client.get(reverse("exams:exam_list")).content.decode()


def test_chinese_pages_render(client, booked, exam, student, mentor):
    login(client, mentor)
    zh = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    console = client.get(reverse("exams:sitting_console", args=[booked.pk]), **zh)
    assert "监考台" in console.content.decode() and "未到场" in console.content.decode()
    assert "考试场次" in client.get(reverse("exams:sitting_list"), **zh).content.decode()
    login(client, student)
    detail = client.get(reverse("exams:exam_detail", args=[exam.pk]), **zh).content.decode()
    assert "您的考试场次" in detail


def test_invigilators_are_chosen_among_the_schools_staff(client, exam, teacher, outsider, cohort):
    login(client, teacher)
    data = {
        "starts_at": "2030-01-01T09:00",
        "duration_minutes": 90,
        "mode": "online",
        "place": "",
        "start_rule": "released",
        "late_entry_minutes": 10,
        "cohorts": [cohort.pk],
    }
    refused = client.post(
        reverse("exams:sitting_new", args=[exam.pk]), {**data, "invigilators": [outsider.pk]}
    )
    assert refused.status_code == 400 and not Sitting.objects.exists()
    response = client.post(
        reverse("exams:sitting_new", args=[exam.pk]),
        {**data, "invigilators": [teacher.pk, cohort.mentor_id]},
    )
    assert response.status_code == 302
    sitting = Sitting.objects.get()
    assert set(sitting.invigilators.all()) == {teacher, cohort.mentor}


def test_unpublished_exams_sittings_are_not_announced(client, booked, exam, student):
    exam.is_published = False
    exam.save()
    login(client, student)
    assert "Room 101" not in client.get(reverse("exams:exam_list")).content.decode()


def test_the_console_json_takes_a_constant_number_of_queries(
    client, booked, exam, school, mentor, student
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories

    url = reverse("exams:sitting_console", args=[booked.pk]) + "?format=json"
    services.attempt_start(student=student, exam=exam)
    login(client, mentor)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = count()
    for n in range(5):
        candidate = factories.person(f"extra{n}", school, "student")
        booked.candidates.add(candidate)
        services.attempt_start(student=candidate, exam=exam)
    assert count() == few
