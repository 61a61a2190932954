"""Security review finding 1: a certificate of a government standard only comes from marking.

Only schools author exams; a skill-level exam is published only by a school accredited for
the level, with a practical part of human-marked tasks that a teacher and an enterprise
mentor both mark; certificates come only from results sat under an accreditation, and the
credential says how the answers were marked.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

from certificates import issuance
from exams import access, services
from exams.models import Accreditation, Exam, Mark, QuestionBank, SkillLevel, SkillStandard
from exams.services import ExamError
from tests import factories
from tests.exams.conftest import build_exam, essay, practical, single_choice
from tests.exams.test_marking import enrol, sit

API = "/api/v1"


def true_false(n: int) -> dict:
    return {
        "kind": "true_false",
        "title": f"Statement {n}",
        "text": {"en": f"Statement {n} is true.", "zh-hans": f"陈述 {n} 正确。"},
        "points": "1",
        "competency": "listing",
        "difficulty": 1,
        "content": {},
        "key": {"correct": True},
    }


@pytest.fixture
def level(government):
    """Level 1 of a published standard, weighing theory 40 % and practical 60 %."""
    standard = SkillStandard.objects.create(
        code="cbec-po",
        name_en="CBEC Platform Operation",
        name_zh="跨境电商平台运营",
        owner=government,
        status=SkillStandard.Status.PUBLISHED,
    )
    return SkillLevel.objects.create(
        standard=standard, level=1, name_en="Junior", name_zh="初级", practical_weight=60
    )


@pytest.fixture
def bank(school, level):
    bank = QuestionBank.objects.create(organization=school, name="Bank", standard=level.standard)
    for n in range(4):
        services.question_create(bank=bank, data=single_choice(n=n))
        services.question_create(bank=bank, data=true_false(n))
    services.question_create(bank=bank, data=practical())
    services.question_create(bank=bank, data=essay())
    return bank


def body(level, bank, *, practical_kind="practical", organization="school", **extra) -> dict:
    return {
        "title_en": "Level 1 exam",
        "title_zh": "一级考试",
        "organization": organization,
        "skill_level": level.pk,
        "banks": [bank.pk],
        "is_published": True,
        "sections": [
            {
                "part": "theory",
                "rules": [{"competency": "listing", "difficulty": 1, "kind": "", "count": 2}],
            },
            {
                "part": "practical",
                "rules": [
                    {"competency": "listing", "difficulty": 1, "kind": practical_kind, "count": 1}
                ],
            },
        ],
        **extra,
    }


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


# --- Only schools author ------------------------------------------------------------------------


def test_an_enterprise_administrator_is_not_an_exam_author(enterprise, level, bank):
    enterprise_admin = factories.person("boss", enterprise, "admin")

    assert not access.can_author_any(enterprise_admin)
    assert not access.authored_exams(enterprise_admin).exists()
    assert not access.authored_banks(enterprise_admin).exists()
    response = api(enterprise_admin).post(
        f"{API}/exams/", body(level, bank, organization="enterprise"), format="json"
    )
    assert response.status_code == 403
    assert not Exam.objects.exists()


def test_the_reported_two_true_false_level_1_exam_cannot_be_published(enterprise, level):
    """The finding's reproduction: an enterprise admin's two-question "Level 1" exam."""
    enterprise_admin = factories.person("boss", enterprise, "admin")
    bank = QuestionBank.objects.create(organization=enterprise, name="Quick", standard=None)
    for n in range(2):
        services.question_create(bank=bank, data=true_false(n))
    tf_only = body(level, bank, organization="enterprise", practical_kind="true_false")

    response = api(enterprise_admin).post(f"{API}/exams/", tf_only, format="json")

    assert response.status_code in (400, 403)
    assert not Exam.objects.exists()
    admin_request = RequestFactory().get("/admin/exams/exam/")
    admin_request.user = enterprise_admin
    assert not site.get_model_admin(Exam).has_module_permission(admin_request)


def test_a_school_administrator_authors_the_schools_exams(school, level, bank):
    school_admin = factories.person("head", school, "admin")
    factories.accredit(school, level)

    response = api(school_admin).post(f"{API}/exams/", body(level, bank), format="json")

    assert response.status_code == 201, response.json()
    assert Exam.objects.get().is_published


# --- Publishing a skill-level exam ---------------------------------------------------------------


def test_an_unaccredited_school_cannot_publish_a_skill_level_exam(teacher, level, bank):
    response = api(teacher).post(f"{API}/exams/", body(level, bank), format="json")

    assert response.status_code == 400
    assert "not accredited" in " ".join(response.json()["is_published"])
    assert not Exam.objects.exists()  # all or nothing: no half-made draft either


def test_an_accredited_school_publishes_and_a_draft_stays_unpublished(teacher, school, level, bank):
    factories.accredit(school, level)

    draft = api(teacher).post(f"{API}/exams/", body(level, bank, is_published=False), format="json")
    published = api(teacher).post(f"{API}/exams/", body(level, bank), format="json")

    assert draft.status_code == 201 and published.status_code == 201
    assert Exam.objects.filter(is_published=True).count() == 1


@pytest.mark.parametrize("kind", ["", "objective", "true_false", "single_choice"])
def test_the_practical_part_takes_only_human_marked_tasks(teacher, school, level, bank, kind):
    factories.accredit(school, level)

    response = api(teacher).post(
        f"{API}/exams/", body(level, bank, practical_kind=kind), format="json"
    )

    assert response.status_code == 400
    assert "practical part takes only tasks" in " ".join(response.json()["is_published"])


def test_an_essay_may_be_the_practical_task(teacher, school, level, bank):
    factories.accredit(school, level)

    response = api(teacher).post(
        f"{API}/exams/", body(level, bank, practical_kind="essay"), format="json"
    )

    assert response.status_code == 201


def test_a_level_that_weighs_the_practical_part_needs_one(teacher, school, level, bank):
    factories.accredit(school, level)
    theory_only = body(level, bank)
    theory_only["sections"] = theory_only["sections"][:1]

    response = api(teacher).post(f"{API}/exams/", theory_only, format="json")

    assert response.status_code == 400
    assert "Practical part 60 %" in " ".join(response.json()["is_published"])


def test_an_exam_of_a_draft_standard_cannot_be_published(teacher, school, level, bank):
    factories.accredit(school, level)
    SkillStandard.objects.filter(pk=level.standard_id).update(status=SkillStandard.Status.DRAFT)

    response = api(teacher).post(f"{API}/exams/", body(level, bank), format="json")

    assert response.status_code == 400
    assert "is not published" in " ".join(response.json()["is_published"])


def test_a_patch_that_would_break_a_published_exam_is_refused_whole(teacher, school, level, bank):
    factories.accredit(school, level)
    created = api(teacher).post(f"{API}/exams/", body(level, bank), format="json").json()
    objective = body(level, bank, practical_kind="objective")

    response = api(teacher).patch(
        f"{API}/exams/{created['id']}/",
        {"sections": objective["sections"], "title_en": "Renamed"},
        format="json",
    )

    assert response.status_code == 400
    exam = Exam.objects.get()
    assert exam.title_en == "Level 1 exam"
    assert list(exam.sections.get(part="practical").rules.values_list("kind", flat=True)) == [
        "practical"
    ]


def test_a_section_without_its_part_is_a_400_not_a_500(teacher, school, level, bank):
    factories.accredit(school, level)
    created = api(teacher).post(f"{API}/exams/", body(level, bank), format="json").json()

    response = api(teacher).patch(
        f"{API}/exams/{created['id']}/", {"sections": [{"rules": []}]}, format="json"
    )

    assert response.status_code == 400
    assert "sections" in response.json()


def test_admin_publishes_only_through_the_same_checks(rf, teacher, level, bank, school):
    exam = services.exam_save(
        exam=None,
        fields={"title_en": "E", "title_zh": "考", "organization": school, "skill_level": level},
        banks=[bank],
        sections=body(level, bank)["sections"],
    )
    model_admin = site.get_model_admin(Exam)
    assert "is_published" in model_admin.get_readonly_fields(rf.get("/"), exam)
    with pytest.raises(ExamError):
        services.exam_save(exam=exam, fields={"is_published": True})
    exam.refresh_from_db()
    assert not exam.is_published

    factories.accredit(school, level)
    services.exam_save(exam=exam, fields={"is_published": True})
    exam.refresh_from_db()
    assert exam.is_published


# --- Accreditation in time ----------------------------------------------------------------------


def test_an_expired_accreditation_stops_new_attempts(student, school, government):
    exam = build_exam(school=school, government=government, practicals=0)
    Accreditation.objects.update(valid_until=timezone.localdate() - timedelta(days=1))

    with pytest.raises(ExamError) as refused:
        services.attempt_start(student=student, exam=exam)

    assert "not accredited" in " ".join(refused.value.messages)


def test_a_suspension_stops_new_sittings_but_not_the_certificate_of_an_earlier_one(
    student, other_student, school, government
):
    exam = build_exam(school=school, government=government, practicals=0)
    sat_before = sit_all_right(exam, student)
    accreditation = Accreditation.objects.get()

    services.accreditation_set_status(
        accreditation=accreditation, status=Accreditation.Status.SUSPENDED
    )

    with pytest.raises(ExamError):
        services.attempt_start(student=other_student, exam=exam)
    assert issuance.certificate_issue_for_attempt(attempt=sat_before) is not None


def test_results_sat_outside_an_accreditation_issue_no_certificate(student, school, government):
    exam = build_exam(school=school, government=government, practicals=0)
    attempt = sit_all_right(exam, student)
    Accreditation.objects.update(status=Accreditation.Status.WITHDRAWN)

    assert issuance.certificate_issue_for_attempt(attempt=attempt) is None


def test_an_accreditation_of_one_school_does_not_cover_another(student, school, government):
    exam = build_exam(school=school, government=government, practicals=0)
    other = factories.organization(kind="school", code="other-school")
    Accreditation.objects.update(school=other)

    with pytest.raises(ExamError):
        services.attempt_start(student=student, exam=exam)


def test_only_a_school_can_be_accredited(enterprise, level):
    with pytest.raises(ExamError):
        services.accreditation_grant(
            school=enterprise, standard=level.standard, level=1, valid_from=timezone.localdate()
        )
    with pytest.raises(ExamError):
        services.accreditation_grant(
            school=enterprise, standard=level.standard, level=3, valid_from=timezone.localdate()
        )


def sit_all_right(exam, student):
    attempt = services.attempt_start(student=student, exam=exam)
    for question in attempt.questions.select_related("version__question"):
        services.answer_save(
            attempt=attempt, position=question.position, response={"choice": "b"}, seq=1
        )
    attempt = services.attempt_submit(attempt=attempt)
    assert attempt.passed
    return attempt


# --- Dual marking of the practical part ---------------------------------------------------------


@pytest.fixture
def essay_exam(school, government):
    """A level-1 exam whose practical part is an essay (a human-marked kind)."""
    exam = build_exam(school=school, government=government, practicals=0, theory=2)
    level = exam.skill_level
    level.theory_weight, level.practical_weight = Decimal(40), Decimal(60)
    level.save()
    bank = exam.banks.get()
    services.question_create(bank=bank, data=essay())
    services.exam_save(
        exam=exam,
        fields={},
        sections=[
            {"part": "theory", "rules": [{"competency": "listing", "difficulty": 1,
                                          "kind": "objective", "count": 2}]},
            {"part": "practical", "rules": [{"competency": "listing", "difficulty": 1,
                                             "kind": "essay", "count": 1}]},
        ],
    )  # fmt: skip
    return exam


def test_an_essay_in_the_practical_part_waits_for_the_mentors_mark_too(
    essay_exam, student, cohort, teacher, mentor
):
    enrol(student, cohort)
    attempt = sit(essay_exam, student, text="A plan of action")
    answer = attempt.questions.get(part="practical")

    assert answer.version.question.kind == "essay" and answer.is_dual_marked
    assert answer in access.grading_queue(mentor)
    services.mark_record(attempt_question=answer, grader=teacher, role=Mark.Role.TEACHER, points=4)
    answer.refresh_from_db()
    assert answer.needs_marking  # one mark does not settle a dual-marked answer
    services.mark_record(attempt_question=answer, grader=mentor, role=Mark.Role.MENTOR, points=4)
    answer.refresh_from_db()
    assert not answer.needs_marking and answer.points == 4


def test_an_essay_in_a_course_exam_is_marked_by_one_teacher(school, student, teacher, mentor):
    exam = build_exam(school=school, government=school, practicals=0, theory=1)
    Exam.objects.filter(pk=exam.pk).update(skill_level=None)
    bank = exam.banks.get()
    services.question_create(bank=bank, data=essay())
    exam.refresh_from_db()
    services.exam_save(
        exam=exam,
        fields={},
        sections=[{"part": "theory", "rules": [{"competency": "listing", "difficulty": 1,
                                                "kind": "essay", "count": 1}]}],
    )  # fmt: skip
    attempt = sit(exam, student, text="An essay")
    answer = attempt.questions.get()

    assert not answer.is_dual_marked
    assert answer not in access.grading_queue(mentor)
    services.mark_record(attempt_question=answer, grader=teacher, role=Mark.Role.TEACHER, points=3)
    answer.refresh_from_db()
    assert not answer.needs_marking


# --- What the credential says ---------------------------------------------------------------------


def test_the_credential_says_the_practical_part_was_dual_marked_when_it_was(
    essay_exam, student, cohort, teacher, mentor
):
    enrol(student, cohort)
    attempt = sit(essay_exam, student, text="A plan of action")
    answer = attempt.questions.get(part="practical")
    for grader, role in ((teacher, Mark.Role.TEACHER), (mentor, Mark.Role.MENTOR)):
        services.mark_record(
            attempt_question=answer, grader=grader, role=role, points=answer.max_points
        )
    attempt.refresh_from_db()
    assert attempt.passed

    certificate = issuance.certificate_issue_for_attempt(attempt=attempt)

    assert certificate.snapshot["marking"] == "dual"
    narrative = narrative_of(certificate)
    assert "theory and practical examination" in narrative
    assert "dual-marked by a teacher and an enterprise mentor" in narrative
    assert "co-assessed by" in narrative


def test_a_theory_only_level_does_not_claim_dual_marking(student, theory_exam):
    certificate = issuance.certificate_issue_for_attempt(
        attempt=sit_all_right(theory_exam, student)
    )

    narrative = narrative_of(certificate)
    assert certificate.snapshot["marking"] == "automatic"
    assert "dual-marked" not in narrative and "mentor" not in narrative
    assert "every answer marked automatically" in narrative
    assert "Passed the theory examination" in narrative


def narrative_of(certificate) -> str:
    from certificates.credential import build_credential
    from certificates.rendering import data_from_snapshot

    credential = build_credential(data_from_snapshot(certificate.snapshot))
    return credential["credentialSubject"]["achievement"]["criteria"]["narrative"]
