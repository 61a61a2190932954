"""Regressions for what fuzzing the API against its schema found (test_schemathesis.py)."""

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from courses.models import Course
from tests import factories


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture(scope="module")
def openapi(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        return yaml.safe_load(APIClient().get("/api/schema/").content)


def response_schema(openapi: dict, path: str, method: str, status: int) -> dict:
    response = openapi["paths"][path][method]["responses"][str(status)]
    return response.get("content", {})


def test_an_enrolment_without_a_cohort_has_a_null_cohort_as_documented(
    api, openapi, student, course
):
    api.force_authenticate(student)
    body = api.post(f"/api/v1/courses/{course.code}/enrol/").json()
    assert body["cohort"] is None
    enrollment = openapi["components"]["schemas"]["Enrollment"]["properties"]["cohort"]
    assert enrollment.get("nullable") or {"type": "null"} in enrollment.get("anyOf", [])


def test_an_export_is_documented_in_its_own_media_type(openapi):
    documented = response_schema(openapi, "/api/v1/banks/{id}/export/", "get", 200)
    assert "text/plain" in documented and "application/zip" in documented


def test_a_refused_export_says_it_is_json_even_when_a_file_was_asked_for(api, world, student):
    api.force_authenticate(student)
    response = api.get(f"/api/v1/banks/{world.bank.pk}/export/?fmt=gift&format=file")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"


def test_an_import_without_a_format_is_refused_in_the_documented_shape(api, world, teacher):
    api.force_authenticate(teacher)
    upload = SimpleUploadedFile("questions.gift", b"::Q:: What? {=yes ~no}")
    response = api.post(f"/api/v1/banks/{world.bank.pk}/import/", {"file": upload})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == ["format: This field is required."]
    assert body["detail"] == "format: This field is required."


def test_revoking_a_revoked_certificate_is_a_documented_409(api, openapi, world, teacher):
    api.force_authenticate(teacher)
    url = f"/api/v1/certificates/{world.certificate.serial}/revoke"
    assert api.post(url, {"reason": "error"}, format="json").status_code == 200
    again = api.post(url, {"reason": "error"}, format="json")
    assert again.status_code == 409 and again.json()["detail"]
    assert response_schema(openapi, "/api/v1/certificates/{serial}/revoke", "post", 409)


def test_errors_drf_answers_around_views_are_documented(openapi):
    responses = openapi["paths"]["/api/v1/attempts/{attempt_id}/"]["get"]["responses"]
    assert {"403", "404", "429"} <= set(responses)
    verify = openapi["paths"]["/api/v1/verify"]["post"]["responses"]
    assert {"400", "401", "403", "429"} <= set(verify)
    catalogue = openapi["paths"]["/api/v1/courses/"]["get"]["responses"]
    assert "404" in catalogue  # a page past the end


def test_a_non_author_learns_nothing_from_editing_a_course(api, student, course, school):
    hidden = factories.course(school, code="draft-course", published=False)
    api.force_authenticate(student)
    url = f"/api/v1/courses/{course.code}/"
    for prerequisite in (hidden.code, "no-such-course"):
        response = api.patch(url, {"prerequisites": [prerequisite]}, format="json")
        assert response.status_code == 403, prerequisite
    payload = {"code": "x", "title_en": "X", "title_zh": "X", "school": "no-such-school"}
    assert api.post("/api/v1/courses/", payload, format="json").status_code == 403
    assert not Course.objects.filter(code="x").exists()
