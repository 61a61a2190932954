"""Errors answer JSON under /api/ and the site's own pages elsewhere, with DEBUG on or off."""

import json

import pytest
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.site.error_urls")]

DEBUG_ON_AND_OFF = pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])


@pytest.fixture
def client():
    # A crash must come back as the response a browser would get, not as an exception.
    return Client(raise_request_exception=False)


def detail_of(response) -> str:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return json.loads(response.content)["detail"]


@DEBUG_ON_AND_OFF
def test_an_unknown_api_address_answers_json_404(client, debug):
    with override_settings(DEBUG=debug):
        response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert detail_of(response) == "Not found."


@DEBUG_ON_AND_OFF
def test_a_refused_method_under_the_api_answers_json_405_with_its_allow_header(client, debug):
    with override_settings(DEBUG=debug):
        response = client.get("/api/v1/test/post-only/")
    assert response.status_code == 405
    assert detail_of(response) == "This method is not allowed here."
    assert response["Allow"] == "POST"


@DEBUG_ON_AND_OFF
def test_a_crash_under_the_api_answers_json_500_without_a_traceback(client, debug):
    with override_settings(DEBUG=debug):
        response = client.get("/api/v1/test/boom/")
    assert response.status_code == 500
    assert detail_of(response) == "Something went wrong on our side; try again later."
    assert b"a bug" not in response.content and b"Traceback" not in response.content


@DEBUG_ON_AND_OFF
def test_a_suspicious_request_under_the_api_answers_json_400(client, debug):
    with override_settings(DEBUG=debug):
        response = client.get("/api/v1/test/suspicious/")
    assert response.status_code == 400
    assert detail_of(response) == "The request could not be understood."


@DEBUG_ON_AND_OFF
def test_a_json_body_django_will_not_read_answers_json_413(client, debug):
    # Within the API's body limit but over what Django reads into memory: RequestDataTooBig.
    body = json.dumps({"text": "x" * 500})
    with override_settings(DEBUG=debug, DATA_UPLOAD_MAX_MEMORY_SIZE=100):
        response = client.post("/api/v1/test/echo/", body, content_type="application/json")
    assert response.status_code == 413
    assert detail_of(response) == "The request is larger than this address accepts."


def test_a_browser_asking_the_api_for_html_still_gets_json(client):
    with override_settings(DEBUG=True):
        response = client.get("/api/v1/certificates/mine/", HTTP_ACCEPT="text/html")
    assert response.status_code in {401, 403}
    assert detail_of(response)


@DEBUG_ON_AND_OFF
def test_an_unknown_page_shows_the_sites_404_not_the_url_patterns(client, debug):
    with override_settings(DEBUG=debug):
        response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    text = response.content.decode()
    assert "Page not found" in text and 'href="/"' in text
    assert "URLconf" not in text and "api/v1/" not in text


def test_a_missing_object_shows_the_sites_404_with_debug_on(client):
    with override_settings(DEBUG=True):
        response = client.get(reverse("courses:course_detail", args=["no-such-course"]))
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert b"Raised by" not in response.content


def test_the_404_page_speaks_the_visitors_language(client):
    with override_settings(DEBUG=True):
        response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@DEBUG_ON_AND_OFF
def test_a_crash_on_a_page_shows_the_sites_500_page(client, debug):
    with override_settings(DEBUG=debug):
        response = client.get("/test/boom/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "Something went wrong" in text and 'class="site-header"' in text
    assert "a bug" not in text and "Traceback" not in text


@DEBUG_ON_AND_OFF
def test_a_refused_page_says_why_on_the_sites_403(client, debug, student, cohort):
    client.force_login(student)
    with override_settings(DEBUG=debug):
        response = client.get(reverse("courses:cohort_enrol_csv", args=[cohort.pk]))
    assert response.status_code == 403
    text = response.content.decode()
    assert "Only the class&#x27;s teacher can enrol students." in text
    assert 'class="site-header"' in text
