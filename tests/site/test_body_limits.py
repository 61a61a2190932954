"""Request bodies over the limit of the view they reach are refused before they are read."""

import json

import pytest
from django.test import RequestFactory, override_settings
from django.urls import resolve, reverse

from exams import imports
from lms import conf

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")

    readline = read


def huge(size: int, **extra) -> dict:
    """WSGI extras declaring a body of `size` bytes that must not be read."""
    return {"CONTENT_LENGTH": str(size), "wsgi.input": UnreadableBody(), **extra}


@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
def test_a_300_mb_api_upload_is_refused_413_json_unread(client, debug):
    with override_settings(DEBUG=debug):
        response = client.generic(
            "POST",
            reverse("certificates_api:verify_file"),
            content_type="multipart/form-data; boundary=x",
            **huge(300 * MB),
        )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "10.1 MB at most" in json.loads(response.content)["detail"]


def test_a_10_mb_json_body_is_refused_413_json_with_debug_on(client):
    with override_settings(DEBUG=True):
        response = client.generic(
            "POST", reverse("api_token"), content_type="application/json", **huge(10 * MB)
        )
    assert response.status_code == 413
    assert json.loads(response.content)["detail"].startswith("The request is larger than")


def test_a_huge_upload_to_a_page_gets_the_sites_413_page_unread(client):
    response = client.generic(
        "POST",
        reverse("certificates:verify_search"),
        content_type="multipart/form-data; boundary=x",
        **huge(300 * MB),
    )
    assert response.status_code == 413
    assert "413.html" in [t.name for t in response.templates]
    assert 'class="site-header"' in response.content.decode()


def test_a_real_body_just_over_the_api_limit_is_refused(client):
    body = json.dumps({"username": "x" * 2000, "password": "y"})
    with override_settings(REQUEST_BODY_API_MAX_BYTES=1000):
        response = client.post(reverse("api_token"), body, content_type="application/json")
    assert response.status_code == 413


def test_a_body_within_the_limit_reaches_the_view(client):
    body = json.dumps({"username": "nobody", "password": "wrong"})
    response = client.post(reverse("api_token"), body, content_type="application/json")
    assert response.status_code == 400


def test_a_chunked_body_without_length_is_refused_411(client):
    response = client.generic(
        "POST",
        reverse("api_token"),
        content_type="application/json",
        **{"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 411
    assert response["Content-Type"].startswith("application/json")


def limit_for(path: str) -> int:
    request = RequestFactory().post(path)
    request.resolver_match = resolve(path)
    return conf.body_limit(request)


def test_upload_endpoints_take_their_own_upload_limits(settings):
    settings.EXAMS_IMPORT_MAX_BYTES = 30 * MB
    overhead = conf.MULTIPART_OVERHEAD_BYTES
    assert limit_for(reverse("exams:bank_import", args=[1])) == imports.max_bytes() + overhead
    assert (
        limit_for(reverse("exams_authoring_api:bank-import-file", args=[1])) == 30 * MB + overhead
    )
    assert limit_for(reverse("courses:cohort_enrol_csv", args=[1])) == 1 * MB + overhead
    assert limit_for(reverse("exams_api:answer_file", args=[1, 1])) == 50 * MB + overhead


def test_other_addresses_take_the_api_page_or_admin_limit(settings):
    assert limit_for(reverse("api_token")) == settings.REQUEST_BODY_API_MAX_BYTES == 1 * MB
    assert limit_for(reverse("login")) == settings.REQUEST_BODY_MAX_BYTES
    assert limit_for(reverse("admin:index")) == settings.REQUEST_BODY_ADMIN_MAX_BYTES


def test_a_setting_overrides_one_views_limit(settings):
    settings.REQUEST_BODY_LIMITS = {"certificates:verify_search": 1234}
    assert limit_for(reverse("certificates:verify_search")) == 1234
