"""Issuing certificates: on a pass, on course completion, once; reissue, regrade, batches."""

import threading
from datetime import date

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from certificates import issuance
from certificates.models import Certificate, IssuanceBatch
from certificates.serials import normalise_serial
from courses import services as course_services
from exams import services
from exams.grading import key_response
from exams.models import Attempt, Mark
from organizations.services import profile_for
from tests import factories
from tests.exams.conftest import build_exam


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """Record the renders issuance queues instead of running them (rendering is tested apart)."""
    ids: list[int] = []
    monkeypatch.setattr(issuance.render_certificate, "delay", ids.append)
    return ids


def sit(student, exam, *, correct: bool = True) -> Attempt:
    """Start, answer (all right or all wrong) and submit an attempt."""
    attempt = services.attempt_start(student=student, exam=exam)
    for question in attempt.questions.select_related("version__question"):
        version = question.version
        response = (
            key_response(version.question.kind, version.content, version.key)
            if correct
            else {"choice": "a"}
        )
        services.answer_save(attempt=attempt, position=question.position, response=response, seq=1)
    return services.attempt_submit(attempt=attempt)


def pass_exam(student, exam, callbacks) -> Attempt:
    """Sit and pass, running the on-commit signal (and so issuance and rendering)."""
    with callbacks(execute=True):
        attempt = sit(student, exam)
    attempt.refresh_from_db()
    assert attempt.passed
    return attempt


# --- Issuing on a pass -----------------------------------------------------------------------


def test_passing_the_theory_exam_issues_exactly_one_certificate(
    student, theory_exam, django_capture_on_commit_callbacks
):
    attempt = pass_exam(student, theory_exam, django_capture_on_commit_callbacks)

    certificate = Certificate.objects.get()
    assert certificate.attempt == attempt
    assert certificate.holder == student
    assert certificate.kind == Certificate.Kind.SKILL_LEVEL
    assert certificate.is_current and certificate.status == Certificate.Status.VALID
    assert normalise_serial(certificate.serial) == certificate.serial
    assert certificate.skill_level == theory_exam.skill_level
    assert certificate.school == theory_exam.organization
    assert certificate.government == theory_exam.skill_level.standard.owner
    assert certificate.level == 1
    assert certificate.standard_code == theory_exam.skill_level.standard.code
    # The render task ran (eagerly) once the issuing transaction committed.
    assert certificate.render_state == Certificate.RenderState.DONE


def test_the_snapshot_holds_what_the_certificate_prints(
    student, theory_exam, django_capture_on_commit_callbacks, queued
):
    pass_exam(student, theory_exam, django_capture_on_commit_callbacks)

    certificate = Certificate.objects.get()
    snapshot = certificate.snapshot
    assert snapshot["serial"] == certificate.serial
    assert snapshot["holder_name_native"] == "张伟"
    assert snapshot["holder_name_latin"] == "Zhang Wei"
    assert snapshot["achievement_name_zh"] == "跨境电商平台运营"
    assert snapshot["standard_version"] == "1"
    assert snapshot["level"] == 1 and snapshot["level_name_zh"] == "初级"
    assert snapshot["part_scores"] == {"理论 Theory": "100", "总分 Total": "100"}
    assert snapshot["school"]["code"] == "school"
    assert snapshot["government"]["code"] == "government"
    assert snapshot["issued_on"] == timezone.localdate().isoformat()
    assert snapshot["status_list_index"] == certificate.status_list_index
    assert snapshot["verify_url"] == f"http://127.0.0.1:8000/verify/{certificate.serial}/"
    assert snapshot["status_list_url"] == "http://127.0.0.1:8000/credentials/status/1"
    assert snapshot["issuer_id"] == "http://127.0.0.1:8000/"


def test_urls_in_the_snapshot_follow_the_base_url_setting(settings, student, theory_exam):
    settings.CERTIFICATES_BASE_URL = "https://academy.example/"
    attempt = sit(student, theory_exam)

    certificate = issuance.certificate_issue_for_attempt(attempt=attempt)

    assert certificate.snapshot["verify_url"] == (
        f"https://academy.example/verify/{certificate.serial}/"
    )
    assert certificate.snapshot["issuer_id"] == "https://academy.example/"


def test_issuing_again_returns_the_same_certificate(student, theory_exam):
    attempt = sit(student, theory_exam)

    first = issuance.certificate_issue_for_attempt(attempt=attempt)
    second = issuance.certificate_issue_for_attempt(attempt=attempt)

    assert first.pk == second.pk
    assert Certificate.objects.count() == 1


def test_an_issuer_that_loses_the_race_gets_the_winners_certificate(student, theory_exam):
    attempt = sit(student, theory_exam)
    winner = issuance.certificate_issue_for_attempt(attempt=attempt)
    fields, data = issuance._attempt_draft(attempt, issued_on=timezone.localdate())

    # The loser checked before the winner committed, so it tries to insert too.
    loser = issuance._issue(fields=fields, data=data, lookup={"attempt": attempt})

    assert loser.pk == winner.pk
    assert Certificate.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_issuance_makes_one_certificate(student, theory_exam):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite test databases are in memory, one connection")
    attempts = [sit(student, theory_exam)]
    other = factories.person("other2", theory_exam.organization, "student")
    attempts.append(sit(other, theory_exam))
    start = threading.Barrier(4)
    results, errors = [], []

    def issue(attempt):
        try:
            start.wait(timeout=10)
            results.append(issuance.certificate_issue_for_attempt(attempt=attempt).pk)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(a,)) for a in attempts * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors
    assert Certificate.objects.count() == 2
    assert len(set(results)) == 2
    indexes = list(Certificate.objects.values_list("status_list_index", flat=True))
    assert len(set(indexes)) == 2


def test_a_failed_attempt_earns_no_certificate(
    student, theory_exam, django_capture_on_commit_callbacks, queued
):
    with django_capture_on_commit_callbacks(execute=True):
        attempt = sit(student, theory_exam, correct=False)
    attempt.refresh_from_db()

    assert attempt.passed is False
    assert issuance.certificate_issue_for_attempt(attempt=attempt) is None
    assert not Certificate.objects.exists()


def test_an_exam_without_a_skill_level_earns_no_certificate(student, theory_exam):
    attempt = sit(student, theory_exam)
    theory_exam.skill_level = None
    theory_exam.save(update_fields=["skill_level"])

    assert issuance.certificate_issue_for_attempt(attempt=attempt) is None


def test_status_list_indexes_are_allocated_in_turn(student, other_student, theory_exam):
    first = issuance.certificate_issue_for_attempt(attempt=sit(student, theory_exam))
    second = issuance.certificate_issue_for_attempt(attempt=sit(other_student, theory_exam))

    assert second.status_list_index == first.status_list_index + 1


def test_the_snapshot_keeps_the_name_it_was_issued_with(student, theory_exam):
    certificate = issuance.certificate_issue_for_attempt(attempt=sit(student, theory_exam))
    profile = profile_for(student)
    profile.name_native, profile.name_latin = "张薇", "Zhang Wei-Wei"
    profile.save()

    certificate.refresh_from_db()
    assert certificate.snapshot["holder_name_native"] == "张伟"
    assert certificate.holder_name_latin == "Zhang Wei"


def test_a_holder_without_names_is_named_by_their_username(school, theory_exam):
    nameless = factories.person("nameless", school, "student")

    certificate = issuance.certificate_issue_for_attempt(attempt=sit(nameless, theory_exam))

    assert certificate.holder_name_native == certificate.holder_name_latin == "nameless"


# --- Expiry -----------------------------------------------------------------------------------


def test_the_certificate_expires_after_the_levels_validity_years(student, theory_exam):
    level = theory_exam.skill_level
    level.validity_years = 2
    level.save()

    certificate = issuance.certificate_issue_for_attempt(attempt=sit(student, theory_exam))

    today = timezone.localdate()
    assert certificate.issued_on == today
    assert certificate.expires_on == issuance.add_years(today, 2)
    assert certificate.snapshot["expires_on"] == certificate.expires_on.isoformat()


@pytest.mark.parametrize(
    ("issued", "years", "expires"),
    [
        (date(2025, 7, 1), 3, date(2028, 7, 1)),
        (date(2024, 2, 29), 3, date(2027, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2025, 12, 31), 1, date(2026, 12, 31)),
    ],
)
def test_validity_keeps_the_day_and_month(issued, years, expires):
    assert issuance.add_years(issued, years) == expires


# --- The three organisations ------------------------------------------------------------------


def test_the_mentors_enterprise_co_assessed(
    student, teacher, mentor, enterprise, school, government, cohort, course
):
    course_services.enrollment_create(student=student, course=course, cohort=cohort)
    exam = build_exam(school=school, government=government, theory=2)
    attempt = sit(student, exam)
    practical = attempt.questions.get(part="practical")
    # The marks as dual marking leaves them (recorded directly: only who marked matters here).
    for grader, role in ((teacher, Mark.Role.TEACHER), (mentor, Mark.Role.MENTOR)):
        Mark.objects.create(attempt_question=practical, grader=grader, role=role, points=20)
    Attempt.objects.filter(pk=attempt.pk).update(passed=True, status=Attempt.Status.GRADED)

    certificate = issuance.certificate_issue_for_attempt(attempt=attempt)

    assert certificate.enterprise == enterprise
    assert certificate.snapshot["enterprise"]["code"] == "enterprise"


def test_without_a_mentor_mark_the_cohort_courses_first_partner_co_assessed(
    student, course, cohort, enterprise, theory_exam
):
    later = factories.organization(kind="enterprise", code="later")
    course.partners.add(later)
    course_services.enrollment_create(student=student, course=course, cohort=cohort)

    certificate = issuance.certificate_issue_for_attempt(attempt=sit(student, theory_exam))

    assert certificate.enterprise == enterprise


def test_without_mentor_or_cohort_no_enterprise_is_named(student, theory_exam):
    certificate = issuance.certificate_issue_for_attempt(attempt=sit(student, theory_exam))

    assert certificate.enterprise is None
    assert certificate.snapshot["enterprise"] is None


# --- Course certificates ----------------------------------------------------------------------


def test_completing_a_course_issues_a_course_certificate(
    student, course, cohort, enterprise, django_capture_on_commit_callbacks, queued
):
    enrollment = course_services.enrollment_create(student=student, course=course, cohort=cohort)
    factories.spend_time(student, course, minutes=course.min_lesson_minutes)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in course.lessons():
            course_services.lesson_complete(student=student, lesson=lesson)

    certificate = Certificate.objects.get()
    assert certificate.kind == Certificate.Kind.COURSE
    assert certificate.enrollment == enrollment
    assert certificate.course == course
    assert certificate.school == course.school
    assert certificate.enterprise == enterprise  # the cohort mentor's enterprise
    assert certificate.government is None
    assert certificate.expires_on is None
    assert certificate.snapshot["achievement_name_zh"] == "搜索引擎优化营销"
    assert queued == [certificate.pk]
    assert issuance.certificate_issue_for_enrollment(enrollment=enrollment).pk == certificate.pk


def test_an_unfinished_course_earns_no_certificate(student, course):
    enrollment = course_services.enrollment_create(student=student, course=course)

    assert issuance.certificate_issue_for_enrollment(enrollment=enrollment) is None


# --- Reissue ------------------------------------------------------------------------------------


def test_reissue_supersedes_the_old_certificate(student, teacher, theory_exam):
    old = issuance.certificate_issue_for_attempt(attempt=sit(student, theory_exam))
    old.show_scores = True
    old.save(update_fields=["show_scores"])
    profile = profile_for(student)
    profile.name_latin = "Zhang Wei (corrected)"
    profile.save()

    new = issuance.certificate_reissue(certificate=old, by=teacher)

    old.refresh_from_db()
    assert new.serial != old.serial
    assert not old.is_current and old.superseded_by == new
    assert old.public_status() == "superseded"
    assert new.is_current and new.public_status() == "valid"
    assert new.attempt_id == old.attempt_id
    assert new.snapshot["holder_name_latin"] == "Zhang Wei (corrected)"
    assert old.snapshot["holder_name_latin"] == "Zhang Wei"
    # A correction does not extend validity.
    assert (new.issued_on, new.expires_on) == (old.issued_on, old.expires_on)
    assert new.show_scores
    assert new.status_list_index != old.status_list_index
    # The attempt's one current certificate is now the new one.
    assert issuance.certificate_issue_for_attempt(attempt=old.attempt).pk == new.pk


def test_an_old_certificate_cannot_be_reissued_again(student, teacher, theory_exam):
    old = issuance.certificate_issue_for_attempt(attempt=sit(student, theory_exam))
    issuance.certificate_reissue(certificate=old, by=teacher)

    with pytest.raises(issuance.CertificateError):
        issuance.certificate_reissue(certificate=old, by=teacher)
    assert Certificate.objects.count() == 2


# --- Regrades -------------------------------------------------------------------------------


def _correct_keys(attempt, choice, callbacks, *, how_many=4):
    """Change the key of the paper's questions (a key correction) and run the regrade."""
    versions = [q.version for q in attempt.questions.select_related("version")][:how_many]
    with callbacks(execute=True):
        for version in versions:
            services.question_correct_key(version=version, key={"correct": choice})


def test_a_regrade_that_fails_the_attempt_revokes_its_certificate(
    student, theory_exam, django_capture_on_commit_callbacks, queued
):
    attempt = pass_exam(student, theory_exam, django_capture_on_commit_callbacks)

    _correct_keys(attempt, "c", django_capture_on_commit_callbacks)

    attempt.refresh_from_db()
    assert attempt.passed is False
    certificate = Certificate.objects.get()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revocation_reason == Certificate.RevocationReason.REGRADED
    assert certificate.status_changed_at is not None
    assert certificate.public_status() == "revoked"


def test_passing_again_after_a_regrade_revoked_it_issues_a_new_certificate(
    student, theory_exam, django_capture_on_commit_callbacks, queued
):
    attempt = pass_exam(student, theory_exam, django_capture_on_commit_callbacks)
    _correct_keys(attempt, "c", django_capture_on_commit_callbacks)

    _correct_keys(attempt, "b", django_capture_on_commit_callbacks)

    attempt.refresh_from_db()
    assert attempt.passed
    revoked, current = Certificate.objects.order_by("pk")
    assert revoked.status == Certificate.Status.REVOKED and not revoked.is_current
    assert current.is_current and current.status == Certificate.Status.VALID
    assert revoked.superseded_by == current


# --- Batches ------------------------------------------------------------------------------------


def test_a_batch_issues_for_every_passed_attempt_without_a_certificate(
    student, other_student, teacher, school, theory_exam, django_capture_on_commit_callbacks, queued
):
    already = issuance.certificate_issue_for_attempt(attempt=sit(student, theory_exam))
    passed = sit(other_student, theory_exam)
    failed = sit(factories.person("third", school, "student"), theory_exam, correct=False)

    with django_capture_on_commit_callbacks(execute=True):
        batch = issuance.batch_issue(exam=theory_exam, by=teacher)

    issued = list(batch.certificates.all())
    assert [c.attempt_id for c in issued] == [passed.pk]
    assert already not in issued
    assert not Certificate.objects.filter(attempt=failed).exists()
    assert queued == [issued[0].pk]  # once its transaction committed
    assert issuance.batch_progress(batch) == {"total": 1, "rendered": 0, "failed": 0}


def test_a_batch_with_nothing_to_issue_is_done(teacher, theory_exam):
    batch = issuance.batch_issue(exam=theory_exam, by=teacher)

    assert batch.status == IssuanceBatch.Status.DONE
    assert issuance.batch_progress(batch) == {"total": 0, "rendered": 0, "failed": 0}


def test_a_teacher_of_the_school_issues_a_batch_and_follows_its_progress(
    client, student, teacher, theory_exam, django_capture_on_commit_callbacks, queued
):
    sit(student, theory_exam)
    client.force_login(teacher)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates:batch_issue"), {"exam": theory_exam.pk})

    batch = IssuanceBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:batch_progress", args=[batch.pk])
    page = client.get(reverse("certificates:batch_progress", args=[batch.pk]))
    assert page.status_code == 200
    assert '<progress class="progress" id="batch-bar"' in page.content.decode()
    data = client.get(reverse("certificates:batch_progress", args=[batch.pk]), {"format": "json"})
    assert data.json() == {"total": 1, "rendered": 0, "failed": 0}
    assert queued == [batch.certificates.get().pk]


def test_the_batch_form_lists_the_teachers_skill_level_exams(client, teacher, theory_exam):
    client.force_login(teacher)

    response = client.get(reverse("certificates:batch_issue"))

    assert response.status_code == 200
    assert theory_exam.title_en in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "student", "mentor"])
def test_only_staff_of_the_exams_school_issue_batches(
    request, client, persona, student, theory_exam
):
    sit(student, theory_exam)
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("certificates:batch_issue"), {"exam": theory_exam.pk})

    assert response.status_code in (403, 404)
    assert not IssuanceBatch.objects.exists()
    assert not Certificate.objects.exists()


def test_only_staff_of_the_exams_school_follow_a_batch(client, teacher, outsider, theory_exam):
    batch = issuance.batch_issue(exam=theory_exam, by=teacher)
    client.force_login(outsider)

    url = reverse("certificates:batch_progress", args=[batch.pk])
    assert client.get(url).status_code == 404
    assert client.get(url, {"format": "json"}).status_code == 404


def test_batch_pages_need_a_login(client, teacher, theory_exam):
    batch = issuance.batch_issue(exam=theory_exam, by=teacher)

    response = client.get(reverse("certificates:batch_progress", args=[batch.pk]))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_batch_runs_until_every_certificate_is_rendered_or_failed(
    teacher, student, other_student, theory_exam
):
    sit(student, theory_exam)
    sit(other_student, theory_exam)
    batch = issuance.batch_issue(exam=theory_exam, by=teacher)  # renders wait for the commit

    assert issuance.batch_progress(batch) == {"total": 2, "rendered": 0, "failed": 0}
    assert issuance.batch_refresh_status(batch).status == IssuanceBatch.Status.RUNNING
    first, second = batch.certificates.all()
    Certificate.objects.filter(pk=first.pk).update(render_state=Certificate.RenderState.DONE)
    Certificate.objects.filter(pk=second.pk).update(render_state=Certificate.RenderState.FAILED)
    assert issuance.batch_progress(batch) == {"total": 2, "rendered": 1, "failed": 1}
    assert issuance.batch_refresh_status(batch).status == IssuanceBatch.Status.DONE
