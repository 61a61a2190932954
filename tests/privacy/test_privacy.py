"""Data rights: the download of everything held about a person, erasure and retention."""

import io
import json
import os
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from courses.services import enrollment_create
from exams import uploads
from exams.models import AttemptQuestion, ImportJob, QuestionBank
from organizations.models import AuditEntry, NameChangeRequest, Notification, Profile
from privacy import retention
from privacy.erasure import ErasureError, person_erase
from tests import factories
from tests.privacy.conftest import attempt_with_file

PASSWORD = "correct horse battery"


def login(client, user):
    user.set_password(PASSWORD)
    user.save()
    client.force_login(user)


def download(client) -> tuple[dict, zipfile.ZipFile]:
    response = client.post(reverse("privacy:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return json.loads(archive.read("data.json")), archive


# --- Download ---------------------------------------------------------------------------------


def test_the_download_holds_the_persons_data_and_no_one_elses(
    client, student, other_student, cohort, exam, make_certificate
):
    enrollment_create(student=student, course=cohort.course, cohort=cohort, by_teacher=True)
    enrollment_create(student=other_student, course=cohort.course, cohort=cohort, by_teacher=True)
    mine = make_certificate(student, with_pdf=True)
    theirs = make_certificate(other_student, with_pdf=True)
    attempt, _ = attempt_with_file(exam, student, content=b"%PDF-1.4 mine")
    attempt_with_file(exam, other_student, content=b"%PDF-1.4 theirs")
    Notification.objects.create(user=student, kind="certificate_issued", params={"n": "mine"})
    Notification.objects.create(user=other_student, kind="certificate_issued", params={"n": "x"})
    NameChangeRequest.objects.create(
        user=other_student,
        old_name_native="李雷",
        old_name_latin="Li Lei",
        name_native="李磊",
        name_latin="Li Lei",
        reason="Typo",
    )
    login(client, student)

    data, archive = download(client)

    assert data["user"]["username"] == "student"
    assert data["profile"]["name_native"] == "张伟"
    assert [m["role"] for m in data["memberships"]] == ["student"]
    assert [e["course_title"] for e in data["enrollments"]] == [cohort.course.title]
    assert [a["id"] for a in data["attempts"]] == [attempt.pk]
    practical = [q for q in data["attempts"][0]["questions"] if q["answer"]]
    assert practical[0]["answer"]["text"] == "My shop listing"
    assert [c["serial"] for c in data["certificates"]] == [mine.serial]
    assert [n["params"] for n in data["notifications"]] == [{"n": "mine"}]
    names = set(archive.namelist())
    assert f"certificates/{mine.serial}.pdf" in names
    assert archive.read(f"certificates/{mine.serial}.pdf") == mine.pdf_bytes
    assert [n for n in names if n.startswith("answers/")] == [
        f"answers/attempt-{attempt.pk}/q{practical[0]['position']}-report.pdf"
    ]
    assert archive.read(f"answers/attempt-{attempt.pk}/q{practical[0]['position']}-report.pdf") == (
        b"%PDF-1.4 mine"
    )
    text = archive.read("data.json").decode()
    assert theirs.serial not in text
    assert "李雷" not in text and "Li Lei" not in text
    assert "exam-answers" not in text and "certificates/pdf" not in text  # no storage paths
    assert "password" not in text


def test_only_a_signed_in_person_downloads_and_only_by_post(client, student):
    assert client.post(reverse("privacy:export")).status_code == 302  # to the login page
    client.force_login(student)
    assert client.get(reverse("privacy:export")).status_code == 405


def test_the_page_is_reachable_from_the_account_pages_and_the_workspace(client, student):
    client.force_login(student)
    page = client.get(reverse("privacy:home"))
    assert page.status_code == 200
    assert reverse("privacy:export") in page.content.decode()
    assert reverse("privacy:home") in client.get(reverse("landing")).content.decode()
    assert reverse("privacy:home") in client.get(reverse("account_email")).content.decode()
    assert reverse("privacy:home") in client.get(reverse("account_profile")).content.decode()
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(reverse("privacy:home")).content.decode()
    assert "下载我的数据" in chinese and "删除我的个人信息" in chinese


def test_the_verification_page_says_the_name_is_withheld_in_chinese(client, make_certificate):
    certificate = make_certificate()
    person_erase(user=certificate.holder)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("certificates:verify", args=[certificate.serial])).content.decode()
    assert "应持证人要求不显示姓名" in page


def test_the_page_needs_a_login(client, db):
    assert client.get(reverse("privacy:home")).status_code == 302


# --- Erasure ----------------------------------------------------------------------------------


def _verify(client, serial):
    return client.get(reverse("certificates:verify", args=[serial]))


def test_erasure_removes_the_name_everywhere_while_the_certificate_verifies(
    client, student, teacher, cohort, exam, make_certificate, django_capture_on_commit_callbacks
):
    enrollment_create(student=student, course=cohort.course, cohort=cohort, by_teacher=True)
    certificate = make_certificate(student, with_pdf=True, show_full_name=True)
    NameChangeRequest.objects.create(
        user=student,
        old_name_native="张伟",
        old_name_latin="Zhang Wei",
        name_native="张薇",
        name_latin="Zhang Wei",
        reason="Typo",
    )
    _, answer_file = attempt_with_file(exam, student)
    pdf_name = certificate.pdf.name
    login(client, student)
    assert "张伟" in _verify(client, certificate.serial).content.decode()

    replaced = uploads.store(
        ContentFile(b"v1", name="v1.pdf"), attempt_id=int(answer_file.split("/")[1]), position=1
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("privacy:erase"),
            {"password": PASSWORD, "certificates": "keep", "confirm": "on"},
        )

    assert response.status_code == 302 and response["Location"] == reverse("privacy:erased")
    user = get_user_model().objects.get(pk=student.pk)
    assert user.username.startswith("erased-") and user.email == ""
    assert not user.is_active and not user.has_usable_password()
    assert Profile.objects.get(user=user).name_native == ""
    assert not NameChangeRequest.objects.filter(user=user).exists()
    assert not default_storage.exists(answer_file) and not default_storage.exists(pdf_name)
    assert not default_storage.exists(replaced)
    question = AttemptQuestion.objects.get(attempt__student=user, response__text="My shop listing")
    assert question.response["file"] is None
    # Signed out, and the login is refused.
    assert client.get(reverse("privacy:home")).status_code == 302
    assert not client.login(username=user.username, password=PASSWORD)
    # The certificate still verifies, without the name: the page and the API.
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    page = _verify(client, certificate.serial).content.decode()
    assert "Name withheld at the holder" in page and "张伟" not in page and "Zhang" not in page
    api = client.get(reverse("certificates_api:verify_one", args=[certificate.serial])).json()
    assert api["status"] == "valid"
    assert api["holder"] == {"name_native": "", "name_latin": "", "masked": False, "withheld": True}
    assert "张伟" not in json.dumps(certificate.snapshot, ensure_ascii=False)
    # The gradebook lists the pseudonym.
    client.force_login(teacher)
    book = client.get(reverse("gradebook:cohort_gradebook", args=[cohort.pk])).content.decode()
    assert user.username in book and "张伟" not in book and "Zhang Wei" not in book
    # One audit entry, naming only the pseudonym.
    entry = AuditEntry.objects.get(action="person.erased")
    assert entry.object_label == user.username and entry.actor_label == user.username
    assert entry.organization_id == cohort.course.school_id
    assert entry.after["certificates_kept"] == 1


def test_erasure_can_revoke_the_certificates(client, student, make_certificate):
    certificate = make_certificate(student)
    login(client, student)
    client.post(
        reverse("privacy:erase"), {"password": PASSWORD, "certificates": "revoke", "confirm": "on"}
    )
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.holder_name_native == ""
    assert AuditEntry.objects.filter(action="certificate.revoked").count() == 1
    api = client.get(reverse("certificates_api:verify_one", args=[certificate.serial])).json()
    assert api["status"] == "revoked" and api["holder"]["withheld"] is True


@pytest.mark.parametrize(
    "form",
    [
        {"password": "wrong", "certificates": "keep", "confirm": "on"},
        {"password": PASSWORD, "certificates": "keep"},
        {"password": PASSWORD, "certificates": "burn", "confirm": "on"},
    ],
)
def test_a_wrong_password_or_no_confirmation_erases_nothing(client, student, form):
    login(client, student)
    response = client.post(reverse("privacy:erase"), form)
    assert response.status_code == 400
    student.refresh_from_db()
    assert student.username == "student" and student.is_active
    assert not AuditEntry.objects.filter(action="person.erased").exists()


def test_erasure_needs_a_login_and_a_post(client, student):
    assert client.post(reverse("privacy:erase"), {}).status_code == 302
    client.force_login(student)
    assert client.get(reverse("privacy:erase")).status_code == 405


def test_erasing_twice_is_refused(student):
    person_erase(user=student)
    with pytest.raises(ErasureError):
        person_erase(user=get_user_model().objects.get(pk=student.pk))


# --- Retention --------------------------------------------------------------------------------


def _age(name: str, days: int) -> None:
    moment = (timezone.now() - timedelta(days=days)).timestamp()
    os.utime(default_storage.path(name), (moment, moment))


def test_retention_deletes_old_replaced_answer_files_only(settings, student, exam):
    settings.PRIVACY_ANSWER_FILE_RETENTION_DAYS = 30
    attempt, current = attempt_with_file(exam, student)
    position = current.split("/")[2]
    old_replaced = uploads.store(
        ContentFile(b"old", name="v1.pdf"), attempt_id=attempt.pk, position=int(position)
    )
    new_replaced = uploads.store(
        ContentFile(b"new", name="v2.pdf"), attempt_id=attempt.pk, position=int(position)
    )
    _age(current, 60)
    _age(old_replaced, 31)
    _age(new_replaced, 29)

    assert retention.replaced_answer_files_delete() == 1

    assert default_storage.exists(current)  # still the answer, however old
    assert not default_storage.exists(old_replaced)
    assert default_storage.exists(new_replaced)


def test_retention_deletes_finished_imports_files_after_the_period(settings, school):
    settings.PRIVACY_IMPORT_UPLOAD_RETENTION_DAYS = 10
    bank = QuestionBank.objects.create(name="Bank", organization=school)

    def job(status, finished_days_ago):
        made = ImportJob.objects.create(
            bank=bank,
            format="csv",
            upload=ContentFile(b"q,a\n", name="questions.csv"),
            file_name="questions.csv",
            status=status,
            finished_at=None
            if finished_days_ago is None
            else timezone.now() - timedelta(days=finished_days_ago),
        )
        return made, made.upload.name

    (old, old_name) = job(ImportJob.Status.DONE, 11)
    (failed, failed_name) = job(ImportJob.Status.FAILED, 12)
    (recent, recent_name) = job(ImportJob.Status.DONE, 9)
    (running, running_name) = job(ImportJob.Status.RUNNING, None)

    assert retention.import_uploads_delete() == 2

    assert not default_storage.exists(old_name) and not default_storage.exists(failed_name)
    assert default_storage.exists(recent_name) and default_storage.exists(running_name)
    old.refresh_from_db()
    assert old.upload.name == "" and old.file_name == "questions.csv"


def test_the_beat_task_runs_both_sweeps(settings, db):
    from privacy.tasks import delete_expired_uploads

    assert delete_expired_uploads.delay().get() == {"answer_files": 0, "import_uploads": 0}
    assert "privacy-delete-expired-uploads" in settings.CELERY_BEAT_SCHEDULE


def test_erasure_by_command(student, make_certificate):
    from django.core.management import call_command

    certificate = make_certificate(student)
    call_command("erase_person", "student", "--revoke-certificates", stdout=io.StringIO())
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert factories is not None


def test_erasure_ends_other_sessions_and_api_tokens_and_keeps_earlier_audit_entries(
    client, student, school
):
    from django.test import Client
    from rest_framework.test import APIClient

    from organizations import audit
    from organizations.tokens import token_issue

    earlier = audit.record(audit.Action.MFA_RESET, obj=student, actor=student, organization=school)
    other_device = Client()
    other_device.force_login(student)
    assert other_device.get(reverse("privacy:home")).status_code == 200
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=student)[1]}")
    mine = "/api/v1/enrollments/"
    assert api.get(mine).status_code == 200

    person_erase(user=student)

    assert other_device.get(reverse("privacy:home")).status_code == 302
    assert api.get(mine).status_code in (401, 403)
    assert not student.access_tokens.exists()
    earlier = AuditEntry.objects.get(pk=earlier.pk)
    assert earlier.actor_label == "student"  # kept as written (append-only record)


def test_a_person_without_certificates_is_not_asked_about_them(client, student):
    login(client, student)
    assert 'name="certificates"' not in client.get(reverse("privacy:home")).content.decode()
    response = client.post(reverse("privacy:erase"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.username.startswith("erased-")
