"""The audit trail: every privileged action, done through its service, leaves exactly one
entry (actor, object, before and after, time); entries cannot be changed or deleted; each
reader sees their own slice, filters it and exports it."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from certificates import issuance, revocation
from certificates.models import Certificate
from courses import rosters
from courses import services as course_services
from exams import services
from exams.grading import key_response
from exams.models import Competency, Mark, RegradeJob, SkillLevel, SkillStandard
from organizations import api_keys, audit
from organizations.models import AuditEntry, AuditEntryImmutable, Membership
from organizations.services import membership_grant, membership_revoke
from tests import factories
from tests.exams.conftest import build_exam

Action = AuditEntry.Action
URL = "/organizations/audit/"


@pytest.fixture(autouse=True)
def _no_render(monkeypatch):
    """Issuance queues a PDF render on commit; rendering is tested elsewhere."""
    monkeypatch.setattr(issuance.render_certificate, "delay", lambda *args: None)


@pytest.fixture(autouse=True)
def _language_back():
    """A page asked for in Chinese leaves Chinese active in this thread: put it back."""
    yield
    translation.deactivate()


@pytest.fixture
def school_admin(school):
    return factories.person("registrar", school, "admin")


@pytest.fixture
def enterprise_admin(enterprise):
    return factories.person("hr_admin", enterprise, "admin")


@pytest.fixture
def second_teacher(school):
    return factories.person("teacher2", school, "teacher")


def entries(action: str, obj=None, **filters):
    found = AuditEntry.objects.filter(action=action, **filters)
    if obj is not None:
        found = found.filter(object_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    return list(found)


def only(action: str, obj=None, **filters) -> AuditEntry:
    found = entries(action, obj, **filters)
    assert len(found) == 1, (action, found)
    return found[0]


def sit(student, exam, *, practical_text="My listing"):
    attempt = services.attempt_start(student=student, exam=exam)
    for question in attempt.questions.select_related("version__question"):
        version = question.version
        if question.kind == "practical":
            response = {"text": practical_text, "file": None}
        else:
            response = key_response(version.question.kind, version.content, version.key)
        services.answer_save(attempt=attempt, position=question.position, response=response, seq=1)
    return services.attempt_submit(attempt=attempt)


def draft_standard(government) -> SkillStandard:
    standard = SkillStandard.objects.create(
        code="audit-std", name_en="Audited", name_zh="审计", owner=government
    )
    level = SkillLevel.objects.create(
        standard=standard,
        level=1,
        name_en="Junior",
        name_zh="初级",
        theory_weight=Decimal(100),
        practical_weight=Decimal(0),
    )
    Competency.objects.create(level=level, code="c1", name_en="C1", name_zh="一", weight=100)
    return standard


# --- Each action, exactly one entry ----------------------------------------------------------


def test_each_privileged_action_leaves_exactly_one_entry(
    django_capture_on_commit_callbacks,
    school,
    enterprise,
    government,
    student,
    teacher,
    second_teacher,
    mentor,
    regulator,
    cohort,
    school_admin,
    enterprise_admin,
):
    started = timezone.now()

    # Standard publish and accreditation (the regulator's).
    standard = draft_standard(government)
    services.standard_publish(standard=standard, by=regulator)
    entry = only(Action.STANDARD_PUBLISHED, standard)
    assert (entry.actor, entry.actor_label) == (regulator, "regulator")
    assert entry.before == {"status": "draft"}
    assert entry.after["status"] == "published"
    assert (entry.organization_id, entry.authority_id) == (government.pk, government.pk)

    accreditation = services.accreditation_grant(
        school=school,
        standard=standard,
        level=1,
        valid_from=timezone.localdate(),
        by=regulator,
        note="Site visit passed",
    )
    entry = only(Action.ACCREDITATION_GRANTED, accreditation)
    assert entry.actor == regulator and entry.note == "Site visit passed"
    assert (entry.organization_id, entry.authority_id) == (school.pk, government.pk)
    assert entry.after["level"] == 1 and entry.after["status"] == "active"

    services.accreditation_set_status(
        accreditation=accreditation, status="suspended", by=regulator, reason="Audit"
    )
    services.accreditation_set_status(accreditation=accreditation, status="active", by=regulator)
    suspended = only(Action.ACCREDITATION_SUSPENDED, accreditation)
    assert (suspended.before, suspended.after) == ({"status": "active"}, {"status": "suspended"})
    assert suspended.note == "Audit"
    reinstated = only(Action.ACCREDITATION_REINSTATED, accreditation)
    assert reinstated.after == {"status": "active"}

    # Exam unpublish and publish (the teacher's, in the builder).
    exam = build_exam(school=school, government=government)
    services.exam_set_published(exam=exam, published=False, by=teacher)
    services.exam_set_published(exam=exam, published=True, by=teacher)
    services.exam_set_published(exam=exam, published=True, by=teacher)  # no change, no entry
    down = only(Action.EXAM_UNPUBLISHED, exam)
    assert (down.before, down.after) == ({"is_published": True}, {"is_published": False})
    up = only(Action.EXAM_PUBLISHED, exam)
    assert up.actor == teacher
    assert (up.organization_id, up.authority_id) == (school.pk, government.pk)

    # Dual marking with adjudication.
    course_services.enrollment_create(student=student, course=cohort.course, cohort=cohort)
    attempt = sit(student, exam)
    practical = attempt.questions.get(part="practical")
    services.mark_record(
        attempt_question=practical,
        grader=teacher,
        role=Mark.Role.TEACHER,
        rubric_marks={"r1": "10", "r2": "10"},
        comment="Strong",
    )
    services.mark_record(
        attempt_question=practical,
        grader=mentor,
        role=Mark.Role.MENTOR,
        rubric_marks={"r1": "4", "r2": "4"},
    )
    services.mark_record(
        attempt_question=practical,
        grader=second_teacher,
        role=Mark.Role.ADJUDICATOR,
        rubric_marks={"r1": "9", "r2": "9"},
    )
    by_teacher = only(Action.MARK_RECORDED, practical, actor=teacher)
    assert by_teacher.before == {"points": None, "needs_adjudication": False}
    assert Decimal(by_teacher.after["mark"]) == 20 and by_teacher.note == "Strong"
    assert (by_teacher.organization_id, by_teacher.authority_id) == (school.pk, government.pk)
    by_mentor = only(Action.MARK_RECORDED, practical, actor=mentor)
    assert by_mentor.after["needs_adjudication"] is True
    adjudicated = only(Action.MARK_ADJUDICATED, practical)
    assert adjudicated.actor == second_teacher
    assert adjudicated.before["needs_adjudication"] is True
    assert adjudicated.after["points"] is not None
    assert len(entries(Action.MARK_RECORDED, practical)) == 2

    # Key correction, then the regrade it queues.
    theory_version = attempt.questions.filter(part="theory").first().version
    new_key = {"correct": "c"}
    with django_capture_on_commit_callbacks(execute=False):
        job = services.question_correct_key(version=theory_version, key=new_key, by=teacher)
    corrected = only(Action.KEY_CORRECTED, theory_version)
    assert corrected.actor == teacher
    assert corrected.before == {"key": {"correct": "b"}}
    assert corrected.after["key"] == new_key and corrected.after["regrade_job"] == job.pk
    services.regrade_run(job_id=job.pk)
    services.regrade_run(job_id=job.pk)  # a second run of a finished job changes nothing
    regraded = only(Action.REGRADE_FINISHED, job)
    assert RegradeJob.objects.get(pk=job.pk).status == RegradeJob.Status.DONE
    assert regraded.actor == teacher and regraded.after["attempts"] == 1

    # A certificate: issued, suspended, reinstated, reissued, revoked.
    theory = build_exam(school=school, government=government, practicals=0)
    passed = sit(student, theory)
    certificate = issuance.certificate_issue_for_attempt(attempt=passed)
    issued = only(Action.CERTIFICATE_ISSUED, certificate)
    assert issued.actor is None and issued.actor_label == ""  # the system issued it
    assert issued.object_label == certificate.serial
    assert issued.after == {"status": "valid", "serial": certificate.serial}
    assert (issued.organization_id, issued.authority_id) == (school.pk, government.pk)

    revocation.certificate_suspend(certificate=certificate, by=teacher, note="Complaint received")
    revocation.certificate_reinstate(certificate=certificate, by=teacher, note="Complaint dropped")
    suspended = only(Action.CERTIFICATE_SUSPENDED, certificate)
    assert suspended.before["status"] == "valid" and suspended.after["status"] == "suspended"
    assert suspended.note == "Complaint received" and suspended.actor == teacher
    reinstated = only(Action.CERTIFICATE_REINSTATED, certificate)
    assert reinstated.note == "Complaint dropped"

    replacement = issuance.certificate_reissue(certificate=certificate, by=teacher)
    superseded = only(Action.CERTIFICATE_SUPERSEDED, certificate)
    assert superseded.actor == teacher
    assert superseded.after == {"superseded_by": replacement.serial, "is_current": False}
    revocation.certificate_revoke(
        certificate=replacement, reason=Certificate.RevocationReason.FRAUD, by=teacher, note="ID"
    )
    revoked = only(Action.CERTIFICATE_REVOKED, replacement)
    assert revoked.before["status"] == "valid"
    assert revoked.after == {"status": "revoked", "revocation_reason": "fraud"}

    # Roles: granted and withdrawn by the school's administrator.
    newcomer = factories.person("newcomer", None, None)
    membership = membership_grant(
        user=newcomer, organization=school, role=Membership.Role.TEACHER, by=school_admin
    )
    membership_grant(
        user=newcomer, organization=school, role=Membership.Role.TEACHER, by=school_admin
    )  # already held: nothing changes, nothing is written
    membership_revoke(membership=membership, by=school_admin, note="Left the school")
    granted = only(Action.MEMBERSHIP_GRANTED, membership)
    assert granted.actor == school_admin and granted.organization_id == school.pk
    assert granted.after == {"role": "teacher", "is_active": True, "user": "newcomer"}
    withdrawn = only(Action.MEMBERSHIP_REVOKED, membership)
    assert withdrawn.before["is_active"] is True and withdrawn.after["is_active"] is False
    assert withdrawn.note == "Left the school"

    # API keys: created and revoked by the enterprise's administrator.
    key, _raw = api_keys.api_key_create(
        organization=enterprise, name="HR system", scopes=["verify"], by=enterprise_admin
    )
    api_keys.api_key_revoke(api_key=key, by=enterprise_admin)
    api_keys.api_key_revoke(api_key=key, by=enterprise_admin)  # revoked already: no entry
    created = only(Action.API_KEY_CREATED, key)
    assert created.after == {"name": "HR system", "prefix": key.prefix, "scopes": ["verify"]}
    assert created.organization_id == enterprise.pk and created.actor == enterprise_admin
    revoked_key = only(Action.API_KEY_REVOKED, key)
    assert revoked_key.before == {"revoked_at": None} and revoked_key.after["revoked_at"]

    # Rosters: a teacher's cohort CSV and an administrator's school roster.
    other = factories.person("other", school, "student")
    report = course_services.enrollments_import_csv(cohort=cohort, data=b"other\n", by=teacher)
    assert report.ok
    imported = only(Action.ROSTER_IMPORTED, cohort)
    assert imported.actor == teacher and imported.after["enrolled"] == 1
    assert other.enrollments.count() == 1
    loaded = rosters.roster_load(
        school=school,
        data=b"student_number,name_latin,email,cohort\nS-9,Wang Fang,wang@example.org,\n",
        filename="class.csv",
        by=school_admin,
    )
    assert loaded.written, (loaded.errors, [row.errors for row in loaded.rows])
    roster_entry = only(Action.ROSTER_IMPORTED, school)
    assert roster_entry.actor == school_admin and roster_entry.after["accounts_created"] == 1

    # Every entry has its time, and none was written for anything else.
    finished = timezone.now()
    written = AuditEntry.objects.filter(created_at__gte=started)
    assert all(started <= e.created_at <= finished for e in written)
    assert all(e.object_type_id and e.object_id and e.object_label for e in written)


def test_a_refused_change_leaves_no_entry(school, government, teacher):
    """The entry is written in the change's transaction: a refusal writes neither."""
    exam = build_exam(school=school, government=government)
    exam.sections.all().delete()  # a published exam needs a blueprint: publishing is refused
    services.exam_set_published(exam=exam, published=False, by=teacher)
    with pytest.raises(services.ExamError):
        services.exam_set_published(exam=exam, published=True, by=teacher)
    assert not entries(Action.EXAM_PUBLISHED, exam)
    assert len(entries(Action.EXAM_UNPUBLISHED, exam)) == 1


def test_suspend_then_reinstate_keeps_both_notes_and_authors(
    school, government, student, teacher, second_teacher
):
    """Review finding 11: the certificate holds only the latest change; the trail keeps all."""
    exam = build_exam(school=school, government=government, practicals=0)
    certificate = issuance.certificate_issue_for_attempt(attempt=sit(student, exam))
    revocation.certificate_suspend(certificate=certificate, by=teacher, note="Under review")
    revocation.certificate_reinstate(
        certificate=certificate, by=second_teacher, note="Review closed"
    )
    certificate.refresh_from_db()
    assert certificate.status_note == "Review closed"  # the first note is gone from the row

    trail = AuditEntry.objects.filter(
        object_type=ContentType.objects.get_for_model(Certificate), object_id=certificate.pk
    ).order_by("created_at", "pk")
    assert [(e.action, e.actor_label, e.note) for e in trail] == [
        (Action.CERTIFICATE_ISSUED, "", ""),
        (Action.CERTIFICATE_SUSPENDED, "teacher", "Under review"),
        (Action.CERTIFICATE_REINSTATED, "teacher2", "Review closed"),
    ]


# --- Nobody edits or deletes an entry --------------------------------------------------------


@pytest.fixture
def entry(school, teacher):
    return audit.record(
        Action.EXAM_PUBLISHED, obj=school, actor=teacher, organization=school, note="original"
    )


def test_an_entry_cannot_be_saved_again_or_deleted(entry):
    entry.note = "rewritten"
    with pytest.raises(AuditEntryImmutable):
        entry.save()
    with pytest.raises(AuditEntryImmutable):
        entry.delete()
    fresh = AuditEntry.objects.get(pk=entry.pk)
    assert fresh.note == "original"


def test_the_queryset_refuses_updates_and_deletes(entry):
    with pytest.raises(AuditEntryImmutable), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(note="rewritten")
    with pytest.raises(AuditEntryImmutable), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.note = "rewritten"
    with pytest.raises(AuditEntryImmutable), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["note"])
    assert AuditEntry.objects.get(pk=entry.pk).note == "original"


def test_deleting_the_actor_keeps_the_entry(entry, teacher):
    teacher_id = teacher.pk
    teacher.delete()
    fresh = AuditEntry.objects.get(pk=entry.pk)
    assert fresh.actor_id == teacher_id and fresh.actor_label == "teacher"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE organizations_auditentry SET note = 'rewritten' WHERE id = %s",
        "DELETE FROM organizations_auditentry WHERE id = %s",
    ],
)
def test_postgresql_refuses_raw_updates_and_deletes(entry, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).note == "original"


def test_the_admin_shows_entries_read_only(client, entry):
    root = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(root)
    changelist = reverse("admin:organizations_auditentry_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(reverse("admin:organizations_auditentry_add")).status_code == 403
    change = reverse("admin:organizations_auditentry_change", args=[entry.pk])
    client.post(change, {"note": "rewritten"})
    delete = reverse("admin:organizations_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).note == "original"


# --- The page: who reads what ------------------------------------------------------------------


@pytest.fixture
def trail(school, enterprise, government, teacher, enterprise_admin, regulator):
    """One entry of the school's, one of the enterprise's, one of the body's standards."""
    exam = build_exam(school=school, government=government)
    other_school = factories.organization(kind="school", code="other-school")
    return {
        "school": audit.record(
            Action.ROSTER_IMPORTED, obj=school, actor=teacher, organization=school
        ),
        "enterprise": audit.record(
            Action.API_KEY_CREATED, obj=enterprise, actor=enterprise_admin, organization=enterprise
        ),
        "standard": audit.record(
            Action.EXAM_PUBLISHED,
            obj=exam,
            actor=teacher,
            organization=other_school,
            authority=government,
        ),
    }


def test_a_school_admin_reads_the_schools_trail_only(client, trail, school_admin):
    client.force_login(school_admin)
    response = client.get(URL)
    assert response.status_code == 200
    ids = {row["entry"].pk for row in response.context["rows"]}
    assert trail["school"].pk in ids
    assert trail["enterprise"].pk not in ids and trail["standard"].pk not in ids
    assert reverse("organizations:audit_log") in response.content.decode()  # in the nav


def test_an_enterprise_admin_reads_the_enterprises_trail_only(client, trail, enterprise_admin):
    client.force_login(enterprise_admin)
    ids = {row["entry"].pk for row in client.get(URL).context["rows"]}
    assert trail["enterprise"].pk in ids
    assert trail["school"].pk not in ids and trail["standard"].pk not in ids


def test_a_regulator_reads_the_trail_of_the_bodys_standards(client, trail, regulator):
    client.force_login(regulator)
    rows = client.get(URL).context["rows"]
    ids = {row["entry"].pk for row in rows}
    assert trail["standard"].pk in ids
    assert trail["school"].pk not in ids and trail["enterprise"].pk not in ids
    # the standard's entries only: its accreditation of the school is one of them
    assert {row["entry"].authority_id for row in rows} == {trail["standard"].authority_id}


def test_a_platform_admin_reads_everything(client, trail):
    root = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(root)
    ids = {row["entry"].pk for row in client.get(URL).context["rows"]}
    assert {e.pk for e in trail.values()} <= ids


@pytest.mark.parametrize("role", ["student", "teacher", "mentor", "verifier", "outsider"])
def test_other_roles_are_refused(client, request, trail, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(URL)
    assert response.status_code == 403
    assert client.get(URL + "?format=csv").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, trail):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_is_in_chinese_for_chinese_readers(client, trail, school_admin):
    client.force_login(school_admin)
    response = client.get(URL, headers={"accept-language": "zh-hans"})
    content = response.content.decode()
    assert "审计日志" in content and "名册已导入" in content


# --- Filters and export -----------------------------------------------------------------------


@pytest.fixture
def many(school, teacher, school_admin):
    """Entries of the school by two actors, one of them dated last month."""
    made = [
        audit.record(
            Action.MEMBERSHIP_GRANTED,
            obj=school,
            actor=school_admin,
            organization=school,
            label=f"member {n}",
        )
        for n in range(60)
    ]
    made.append(
        audit.record(
            Action.MARK_RECORDED,
            obj=school,
            actor=teacher,
            organization=school,
            label='=HYPERLINK("http://evil")',
            note="+cmd",
            after={"mark": Decimal("7.5")},
        )
    )
    return made


def test_filters_narrow_the_list_and_pages_keep_them(client, many, school, school_admin):
    client.force_login(school_admin)
    grants = AuditEntry.objects.filter(organization=school, action=Action.MEMBERSHIP_GRANTED)
    everything = AuditEntry.objects.filter(organization=school).count()
    first = client.get(URL, {"action": Action.MEMBERSHIP_GRANTED})
    # 60 here, and the fixtures' own grants of the teacher's and the administrator's roles
    assert first.context["page"].paginator.count == grants.count() == 62
    assert {row["entry"].action for row in first.context["rows"]} == {Action.MEMBERSHIP_GRANTED}
    page_two = client.get(URL, {"action": Action.MEMBERSHIP_GRANTED, "page": 2})
    assert len(page_two.context["rows"]) == 12

    by_actor = client.get(URL, {"actor": "teach"})
    assert [row["entry"].actor_label for row in by_actor.context["rows"]] == ["teacher"]
    by_object = client.get(URL, {"q": "member 42"})
    assert [row["entry"].object_label for row in by_object.context["rows"]] == ["member 42"]

    today = timezone.localdate()
    assert client.get(URL, {"date_from": today}).context["page"].paginator.count == everything
    yesterday = today - timedelta(days=1)
    assert client.get(URL, {"date_to": yesterday}).context["page"].paginator.count == 0
    bad = client.get(URL, {"date_from": today, "date_to": yesterday})
    assert bad.status_code == 400 and bad.context["page"].paginator.count == 0


def test_the_next_page_link_keeps_the_filters(client, many, school_admin):
    client.force_login(school_admin)
    content = client.get(URL, {"action": Action.MEMBERSHIP_GRANTED}).content.decode()
    assert "?action=membership.granted&amp;page=2" in content
    # the export link exports what the filters select
    assert "?action=membership.granted&amp;format=csv" in content


def test_the_export_holds_exactly_the_filtered_entries_formula_safe(client, many, school_admin):
    client.force_login(school_admin)
    response = client.get(URL, {"format": "csv", "actor": "registrar"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 60  # every page, not only the first
    assert {row["actor"] for row in rows} == {"registrar"}

    response = client.get(URL, {"format": "csv", "action": Action.MARK_RECORDED})
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert len(rows) == 1
    assert rows[0]["object"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["note"] == "'+cmd"
    assert rows[0]["after"] == '{"mark": "7.5"}'
    assert rows[0]["organisation"] == "school"


def test_the_export_drops_control_characters_a_workbook_refuses(client, school, school_admin):
    audit.record(
        Action.MEMBERSHIP_GRANTED,
        obj=school,
        actor=school_admin,
        organization=school,
        label="\x0b=cmd|' /C calc'!A0",
        note="bell\x07 and escape\x1b",
    )
    client.force_login(school_admin)
    response = client.get(URL, {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert not ILLEGAL_CHARACTERS_RE.search(text)
    [row] = [row for row in csv.DictReader(io.StringIO(text)) if row["note"].startswith("bell")]
    assert row["note"] == "bell and escape"
    assert row["object"] == "'=cmd|' /C calc'!A0"  # neutralised after the control character
    # what a reader does next: every cell goes into a workbook without IllegalCharacterError
    workbook = Workbook()
    workbook.active.append(list(row.values()))
    workbook.save(io.BytesIO())


def test_an_admin_of_two_organisations_picks_one(client, trail, school, enterprise, government):
    both = factories.person("both", school, "admin")
    membership_grant(user=both, organization=enterprise, role=Membership.Role.ADMIN)
    client.force_login(both)
    everything = {row["entry"].pk for row in client.get(URL).context["rows"]}
    assert {trail["school"].pk, trail["enterprise"].pk} <= everything
    response = client.get(URL, {"organization": enterprise.code})
    picked = {row["entry"].organization_id for row in response.context["rows"]}
    assert picked == {enterprise.pk}
    # an organisation whose trail they do not read is not among the choices
    assert client.get(URL, {"organization": government.code}).status_code == 400


def test_a_reader_of_one_organisation_is_not_asked_to_choose(client, trail, school_admin):
    client.force_login(school_admin)
    assert "organization" not in client.get(URL).context["form"].fields
