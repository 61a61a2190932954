"""The verification page and API name the accreditation a skill-level certificate was
assessed under: the school, the government body, the standard and level, the period."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from rest_framework.test import APIClient

from certificates import issuance
from certificates.models import Certificate
from exams import services
from exams.models import Accreditation
from tests import factories
from tests.certificates.test_issuance import pass_exam
from tests.exams.conftest import build_exam


@pytest.fixture(autouse=True)
def _no_rendering(monkeypatch):
    # The PDF is not what these tests look at: issuance queues its render, nothing runs it.
    monkeypatch.setattr(issuance.render_certificate, "delay", lambda *args: None)


@pytest.fixture
def exam(school, government):
    return build_exam(school=school, government=government, practicals=0)


@pytest.fixture
def certified(student, exam, django_capture_on_commit_callbacks) -> Certificate:
    attempt = pass_exam(student, exam, django_capture_on_commit_callbacks)
    return Certificate.objects.get(attempt=attempt)


def verify_page(client, certificate: Certificate, **headers):
    return client.get(reverse("certificates:verify", args=[certificate.serial]), **headers)


def verify_api(certificate: Certificate):
    return APIClient().get(reverse("certificates_api:verify_one", args=[certificate.serial])).json()


def test_the_page_says_who_assessed_under_whose_accreditation(client, certified, exam):
    accreditation = Accreditation.objects.get()
    accreditation.valid_until = accreditation.valid_from + timedelta(days=3 * 365)
    accreditation.save()

    text = verify_page(client, certified).text

    start = date_format(accreditation.valid_from, "DATE_FORMAT")
    end = date_format(accreditation.valid_until, "DATE_FORMAT")
    assert (
        "Assessed by School school under accreditation by Government government for "
        f"CBEC Platform Operation level 1, valid {start}–{end}"
    ) in text


def test_the_page_speaks_chinese_too(client, certified):
    text = verify_page(client, certified, HTTP_ACCEPT_LANGUAGE="zh-hans").text

    assert "由 school机构 评价，经 government机构 认证，认证范围为 跨境电商平台运营 第 1 级" in text


def test_the_api_answer_carries_the_accreditation(certified, school, government, enterprise):
    accreditation = Accreditation.objects.get()

    data = verify_api(certified)

    assert data["accreditation"] == {
        "school": {"code": "school", "name_en": school.name_en, "name_zh": school.name_zh},
        "enterprise_partner": None,
        "government": {
            "code": "government",
            "name_en": government.name_en,
            "name_zh": government.name_zh,
        },
        "standard": {
            "code": accreditation.standard.code,
            "name_en": "CBEC Platform Operation",
            "name_zh": "跨境电商平台运营",
        },
        "level": 1,
        "valid_from": accreditation.valid_from.isoformat(),
        "valid_until": None,
        "status": "active",
    }


def test_a_suspension_after_the_sitting_is_shown_but_does_not_hide_the_accreditation(
    client, certified
):
    services.accreditation_set_status(
        accreditation=Accreditation.objects.get(), status="suspended", reason="Inspection."
    )

    assert "Assessed by School school" in verify_page(client, certified).text
    assert "accreditation is suspended now" in verify_page(client, certified).text
    assert verify_api(certified)["accreditation"]["status"] == "suspended"


def test_a_withdrawn_accreditation_is_no_longer_named(client, certified):
    services.accreditation_set_status(
        accreditation=Accreditation.objects.get(), status="withdrawn", reason="Closed."
    )

    assert "Assessed by" not in verify_page(client, certified).text
    assert verify_api(certified)["accreditation"] is None


def test_course_certificates_name_no_accreditation(
    client, student, school, course, django_capture_on_commit_callbacks
):
    from courses.models import Enrollment

    enrollment = Enrollment.objects.create(
        student=student, course=course, status=Enrollment.Status.COMPLETED
    )
    certificate = issuance.certificate_issue_for_enrollment(enrollment=enrollment)
    assert certificate.kind == Certificate.Kind.COURSE

    assert "Assessed by" not in verify_page(client, certificate).text
    assert verify_api(certificate)["accreditation"] is None


def test_bulk_answers_carry_accreditations_in_the_same_queries_for_1_or_5(
    exam, school, verifier, django_capture_on_commit_callbacks
):
    serials = []
    for n in range(5):
        person = factories.person(f"candidate-{n}", school, "student")
        attempt = pass_exam(person, exam, django_capture_on_commit_callbacks)
        serials.append(Certificate.objects.get(attempt=attempt).serial)
    api = APIClient()
    api.force_login(verifier)

    def post(batch):
        with CaptureQueriesContext(connection) as queries:
            response = api.post(
                reverse("certificates_api:verify_bulk"), {"serials": batch}, format="json"
            )
        assert response.status_code == 200
        return response.json()["results"], len(queries)

    one, one_queries = post(serials[:1])
    five, five_queries = post(serials)

    assert one_queries == five_queries
    assert [r["accreditation"]["school"]["code"] for r in five] == ["school"] * 5


def test_accreditations_for_attempts_agrees_with_attempt_accreditation(
    student, other_student, school, government, exam, django_capture_on_commit_callbacks
):
    from exams.services import attempt_accreditation

    elsewhere = factories.organization(kind="school", code="elsewhere-school")
    other_exam = build_exam(school=elsewhere, government=government, practicals=0)
    first = pass_exam(student, exam, django_capture_on_commit_callbacks)
    second = pass_exam(other_student, other_exam, django_capture_on_commit_callbacks)
    # The second school's accreditation ends before its student sat: no accreditation.
    Accreditation.objects.filter(school=elsewhere).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )

    found = services.accreditations_for_attempts([first.pk, second.pk])

    assert found.get(first.pk) == attempt_accreditation(first) is not None
    assert found.get(second.pk) is None and attempt_accreditation(second) is None
