"""Notifications: one email and one inbox entry per event, in the recipient's language;
choices respected; the unsubscribe link; nothing on a rollback; each inbox private."""

import re

import pytest
from django.core import mail, signing
from django.db import transaction
from django.urls import reverse

from certificates import issuance
from certificates.models import Certificate, IssuanceBatch
from certificates.revocation import certificate_revoke
from exams import imports
from exams.models import ImportJob, QuestionBank
from organizations import notifications
from organizations.models import Notification, NotificationPreference
from tests import factories
from tests.certificates.test_issuance import sit as sit_all_right
from tests.exams.conftest import build_exam
from tests.exams.test_marking import enrol
from tests.exams.test_marking import sit as sit_with_task

Kind = notifications.Kind


@pytest.fixture(autouse=True)
def _no_renders(monkeypatch) -> list[int]:
    """Certificates are issued but not rendered (rendering is tested apart)."""
    ids: list[int] = []
    monkeypatch.setattr(issuance.render_certificate, "delay", ids.append)
    return ids


def english(user):
    user.profile.preferred_language = "en"
    user.profile.save()
    return user


def emails_to(user, subject_part: str = "") -> list:
    return [m for m in mail.outbox if m.to == [user.email] and subject_part in m.subject]


def entries(user, kind) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind=kind))


def unsubscribe_url(message) -> str:
    return re.search(
        r"https?://[^/\s]+(/organizations/notifications/unsubscribe/\S+/)", message.body
    )[1]


# --- Each event: one email, one entry, in the recipient's language -----------------------------


def test_a_released_result_and_its_certificate_notify_the_student_in_chinese(
    student, theory_exam, django_capture_on_commit_callbacks
):
    # The student's profile language is Chinese (the default).
    with django_capture_on_commit_callbacks(execute=True):
        attempt = sit_all_right(student, theory_exam)

    [result] = entries(student, Kind.RESULT_RELEASED)
    assert result.url == reverse("exams:attempt_result", args=[attempt.pk])
    [email] = emails_to(student, "一级考试")
    assert email.subject == "一级考试 成绩已发布"
    assert "100.00%" in email.body and "通过" in email.body
    assert reverse("exams:attempt_result", args=[attempt.pk]) in email.body

    certificate = Certificate.objects.get(holder=student)
    [issued] = entries(student, Kind.CERTIFICATE_ISSUED)
    assert issued.params["serial"] == certificate.serial
    [email] = emails_to(student, certificate.serial)
    assert email.subject == f"证书 {certificate.serial} 已签发"
    assert len(mail.outbox) == 2


def test_an_english_speaker_is_written_to_in_english(
    student, theory_exam, django_capture_on_commit_callbacks
):
    english(student)
    with django_capture_on_commit_callbacks(execute=True):
        sit_all_right(student, theory_exam)
    [email] = emails_to(student, "Level 1 exam")
    assert email.subject == "Your result for Level 1 exam is out"
    assert "passed" in email.body


def test_a_result_held_until_the_exam_closes_is_not_announced_at_grading(
    student, theory_exam, django_capture_on_commit_callbacks
):
    theory_exam.release_results = False
    theory_exam.save()
    with django_capture_on_commit_callbacks(execute=True):
        sit_all_right(student, theory_exam)
    assert entries(student, Kind.RESULT_RELEASED) == []


def test_a_held_result_is_announced_once_when_the_exam_closes(
    student, theory_exam, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from exams.services import notices

    theory_exam.release_results = False
    theory_exam.closes_at = timezone.now() + timedelta(hours=1)
    theory_exam.save()
    with django_capture_on_commit_callbacks(execute=True):
        sit_all_right(student, theory_exam)
        assert notices.held_results_announce() == 0  # still open
    assert entries(student, Kind.RESULT_RELEASED) == []
    closed = timezone.now()
    type(theory_exam).objects.filter(pk=theory_exam.pk).update(closes_at=closed)
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.held_results_announce(now=closed + timedelta(minutes=5)) == 1
        assert notices.held_results_announce(now=closed + timedelta(minutes=10)) == 0
    assert len(entries(student, Kind.RESULT_RELEASED)) == 1
    assert len(emails_to(student, "一级考试 成绩已发布")) == 1


def test_a_revoked_certificate_notifies_its_holder(
    student, teacher, theory_exam, django_capture_on_commit_callbacks
):
    english(student)
    with django_capture_on_commit_callbacks(execute=True):
        sit_all_right(student, theory_exam)
    certificate = Certificate.objects.get(holder=student)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate=certificate, reason="misconduct", by=teacher)
    [email] = mail.outbox
    assert email.to == [student.email]
    assert email.subject == f"Certificate {certificate.serial} revoked"
    assert "Exam misconduct" in email.body
    [entry] = entries(student, Kind.CERTIFICATE_REVOKED)
    title, body = notifications.render(entry.kind, entry.params, "zh-hans")
    assert title == f"证书 {certificate.serial} 已撤销"
    assert "考试违纪" in body


def test_an_answer_to_mark_notifies_the_schools_teachers_and_the_students_mentor(
    school, government, student, teacher, mentor, cohort, django_capture_on_commit_callbacks
):
    exam = build_exam(school=school, government=government)
    enrol(student, cohort)
    english(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        sit_with_task(exam, student)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([teacher.email, mentor.email])
    [to_teacher] = emails_to(teacher)
    assert to_teacher.subject == "待评分答卷：一级考试"
    [to_mentor] = emails_to(mentor)
    assert to_mentor.subject == "Answers to mark: Level 1 exam"
    assert "1 answer(s)" in to_mentor.body
    # Marking is blind: the markers are not told whose answers they are.
    for message in mail.outbox:
        assert "Zhang" not in message.body and "张伟" not in message.body
        assert student.username not in message.body
    assert len(entries(teacher, Kind.MARKING_WAITING)) == 1
    assert len(entries(mentor, Kind.MARKING_WAITING)) == 1
    assert entries(student, Kind.MARKING_WAITING) == []


def test_a_reissued_certificate_tells_its_holder_the_new_serial(
    student, teacher, theory_exam, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sit_all_right(student, theory_exam)
    old = Certificate.objects.get(holder=student)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new = issuance.certificate_reissue(certificate=old, by=teacher)
    [email] = mail.outbox
    assert email.subject == f"证书 {new.serial} 已签发"
    assert [e.params["serial"] for e in entries(student, Kind.CERTIFICATE_ISSUED)] == [
        new.serial,
        old.serial,
    ]


def test_a_finished_import_notifies_the_person_who_uploaded_it(
    school, teacher, django_capture_on_commit_callbacks
):
    english(teacher)
    bank = QuestionBank.objects.create(organization=school, name="Listing bank")
    job = ImportJob.objects.create(
        bank=bank, requested_by=teacher, format="csv", upload="imports/missing.csv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        imports.import_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    [email] = mail.outbox
    assert email.subject == "Import into Listing bank: failed, nothing imported"
    assert len(entries(teacher, Kind.IMPORT_FINISHED)) == 1
    # A second run of the finished job tells nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        imports.import_run(job_id=job.pk)
    assert len(mail.outbox) == 1


def test_a_finished_batch_notifies_the_person_who_asked_once(
    student, teacher, theory_exam, django_capture_on_commit_callbacks
):
    english(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        sit_all_right(student, theory_exam)
    Certificate.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        batch = issuance.batch_issue(exam=theory_exam, by=teacher)
    assert batch.status == IssuanceBatch.Status.RUNNING
    assert emails_to(teacher) == []
    certificate = batch.certificates.get()
    Certificate.objects.filter(pk=certificate.pk).update(
        render_state=Certificate.RenderState.FAILED
    )
    with django_capture_on_commit_callbacks(execute=True):
        issuance.batches_refresh_for(certificate.pk)
        issuance.batches_refresh_for(certificate.pk)
    [email] = emails_to(teacher)
    assert email.subject == "Certificate batch for Level 1 exam finished"
    assert "0 rendered, 1 failed" in email.body
    assert len(entries(teacher, Kind.BATCH_FINISHED)) == 1


def test_a_scheduled_sitting_notifies_its_candidates(
    student, other_student, theory_exam, django_capture_on_commit_callbacks
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from exams.models import Sitting
    from exams.services import notices

    sitting = Sitting.objects.create(
        exam=theory_exam,
        starts_at=datetime(2027, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
        duration_minutes=90,
        place="Room 101",
    )
    sitting.candidates.add(student)
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.sitting_scheduled(sitting) == 1
    [email] = mail.outbox
    assert email.to == [student.email]
    assert email.subject == "考试场次已安排：一级考试"
    assert "Room 101" in email.body
    assert len(entries(student, Kind.SITTING_SCHEDULED)) == 1
    assert entries(other_student, Kind.SITTING_SCHEDULED) == []


def test_scheduling_and_moving_a_sitting_on_its_page_notifies_the_candidates(
    client, school, government, teacher, student, cohort, django_capture_on_commit_callbacks
):
    from exams.models import Sitting

    exam = build_exam(school=school, government=government)
    enrol(student, cohort)
    english(student)
    client.force_login(teacher)
    data = {
        "starts_at": "2030-01-05T09:00",
        "duration_minutes": 90,
        "mode": "room",
        "place": "Room 101",
        "what_to_bring": "ID card",
        "start_rule": "at_time",
        "late_entry_minutes": 20,
        "candidates": [student.pk],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exams:sitting_new", args=[exam.pk]), data)
    assert response.status_code == 302
    sitting = Sitting.objects.get()
    [email] = mail.outbox
    assert email.to == [student.email]
    assert email.subject == "Exam sitting scheduled: Level 1 exam"
    assert "2030-01-05 09:00" in email.body and "Room 101" in email.body
    edit = reverse("exams:sitting_edit", args=[sitting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, {**data, "what_to_bring": "ID card, pen"})  # nothing they must know
        assert len(mail.outbox) == 1
        client.post(edit, {**data, "place": "Room 202"})
    assert len(mail.outbox) == 2 and "Room 202" in mail.outbox[1].body
    assert len(entries(student, Kind.SITTING_SCHEDULED)) == 2


# --- Choices, unsubscribing, rollback -----------------------------------------------------------


def test_choices_are_respected_per_kind(student, django_capture_on_commit_callbacks):
    notifications.preferences_save(
        student,
        {Kind.CERTIFICATE_ISSUED: (False, True), Kind.CERTIFICATE_REVOKED: (True, False)},
    )
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(student, Kind.CERTIFICATE_ISSUED, params={"serial": "A"})
        notifications.notify(student, Kind.CERTIFICATE_REVOKED, params={"serial": "B"})
    assert len(entries(student, Kind.CERTIFICATE_ISSUED)) == 1
    assert entries(student, Kind.CERTIFICATE_REVOKED) == []
    [email] = mail.outbox
    assert "B" in email.subject


def test_the_preferences_page_saves_the_checkboxes(client, student):
    client.force_login(student)
    page = client.get(reverse("organizations:notification_preferences"))
    assert page.status_code == 200
    data = {f"{kind}-{channel}": "on" for kind in Kind.values for channel in ("email", "inbox")}
    del data[f"{Kind.RESULT_RELEASED}-email"]
    response = client.post(reverse("organizations:notification_preferences"), data)
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=student, kind=Kind.RESULT_RELEASED)
    assert (pref.email, pref.inbox) == (False, True)
    assert NotificationPreference.objects.get(user=student, kind=Kind.BATCH_FINISHED).email


def test_the_unsubscribe_link_turns_that_kinds_email_off_without_logging_in(
    client, student, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(student, Kind.CERTIFICATE_ISSUED, params={"serial": "A"})
    [email] = mail.outbox
    url = unsubscribe_url(email)
    assert email.extra_headers["List-Unsubscribe"].endswith(url + ">")
    page = client.get(url)  # opening the link (or a mail scanner) changes nothing
    assert page.status_code == 200
    assert not NotificationPreference.objects.filter(user=student).exists()
    assert client.post(url).status_code == 200
    pref = NotificationPreference.objects.get(user=student, kind=Kind.CERTIFICATE_ISSUED)
    assert (pref.email, pref.inbox) == (False, True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(student, Kind.CERTIFICATE_ISSUED, params={"serial": "B"})
        notifications.notify(student, Kind.CERTIFICATE_REVOKED, params={"serial": "B"})
    assert [m.subject for m in mail.outbox] == ["证书 B 已撤销"]


def test_a_tampered_unsubscribe_link_is_refused(client, student, other_student):
    token = notifications.unsubscribe_token(student.pk, Kind.RESULT_RELEASED)
    forged = signing.dumps(
        {"u": other_student.pk, "k": Kind.RESULT_RELEASED}, salt="another salt", compress=True
    )
    for bad in (token[:-2] + "xx", forged, "nonsense"):
        url = reverse("organizations:notification_unsubscribe", args=[bad])
        assert client.post(url).status_code == 400
    assert not NotificationPreference.objects.exists()


def test_nothing_is_sent_when_the_change_rolls_back(
    student, teacher, theory_exam, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sit_all_right(student, theory_exam)
    certificate = Certificate.objects.get(holder=student)
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        certificate_revoke(certificate=certificate, reason="misconduct", by=teacher)
        raise RuntimeError("the request failed after the revocation")
    assert callbacks == []
    assert mail.outbox == []
    assert entries(student, Kind.CERTIFICATE_REVOKED) == []


def test_while_mail_is_held_the_inbox_fills_and_nobody_is_mailed(
    student, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), notifications.mail_held():
        notifications.notify(student, Kind.CERTIFICATE_ISSUED, params={"serial": "S1"})
    assert mail.outbox == []
    assert len(entries(student, Kind.CERTIFICATE_ISSUED)) == 1
    # Outside the block, mail goes out again.
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(student, Kind.CERTIFICATE_ISSUED, params={"serial": "S2"})
    assert len(mail.outbox) == 1


# --- The inbox ---------------------------------------------------------------------------------


def test_the_inbox_lists_marks_read_and_follows_the_link(client, student):
    first = notifications.notify(
        student, Kind.CERTIFICATE_ISSUED, params={"serial": "S1"}, url="/certificates/"
    )
    notifications.notify(student, Kind.CERTIFICATE_REVOKED, params={"serial": "S2"})
    client.force_login(student)
    page = client.get(reverse("organizations:inbox"), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Certificate S1 issued" in html and "Certificate S2 revoked" in html
    assert 'class="nav-unread"' in html and ">2</span>" in html

    response = client.post(reverse("organizations:inbox_read", args=[first.pk]), {"open": "1"})
    assert response["Location"] == "/certificates/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert notifications.unread_count(student) == 1

    client.post(reverse("organizations:inbox_read_all"))
    assert notifications.unread_count(student) == 0
    html = client.get(reverse("organizations:inbox")).content.decode()
    assert 'class="nav-unread"' not in html


def test_the_inbox_is_shown_in_the_readers_language(client, student):
    notifications.notify(student, Kind.CERTIFICATE_ISSUED, params={"serial": "S1"})
    client.force_login(student)
    html = client.get(reverse("organizations:inbox"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "证书 S1 已签发" in html.content.decode()


def test_one_person_cannot_read_or_mark_anothers_notifications(client, student, other_student):
    theirs = notifications.notify(student, Kind.CERTIFICATE_ISSUED, params={"serial": "SECRET1"})
    client.force_login(other_student)
    assert "SECRET1" not in client.get(reverse("organizations:inbox")).content.decode()
    response = client.post(reverse("organizations:inbox_read", args=[theirs.pk]))
    assert response.status_code == 404
    client.post(reverse("organizations:inbox_read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_inbox_pages_need_a_login(client):
    for name in ("organizations:inbox", "organizations:notification_preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


def test_an_inactive_or_addressless_person_gets_no_email(db, school):
    person = factories.person("noemail", school, "student")
    person.email = ""
    person.save()
    with transaction.atomic():
        notifications.notify(person, Kind.RESULT_RELEASED, params={"exam": "X"})
    assert mail.outbox == []
    assert len(entries(person, Kind.RESULT_RELEASED)) == 1


def test_the_admin_lists_notifications_read_only(client, django_user_model, student):
    notifications.notify(student, Kind.CERTIFICATE_ISSUED, params={"serial": "S1"})
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    listing = client.get(reverse("admin:organizations_notification_changelist"))
    assert listing.status_code == 200 and "certificate_issued" in listing.content.decode()
    assert client.get(reverse("admin:organizations_notification_add")).status_code == 403
    prefs = client.get(reverse("admin:organizations_notificationpreference_changelist"))
    assert prefs.status_code == 200
