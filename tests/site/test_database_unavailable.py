"""A lost database answers 503 with Retry-After: JSON from the API, a plain page elsewhere."""

import pytest
from django.db import InterfaceError, OperationalError
from django.urls import path
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from lms.api_errors import RETRY_AFTER_SECONDS

MESSAGE = "The service is briefly unavailable; try again."


def page(request):
    raise OperationalError("connection refused")


def broken_page(request):
    raise ValueError("not a database problem")


class Api(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    def get(self, request):
        raise InterfaceError("connection already closed")


class Missing(Api):
    def get(self, request):
        raise NotFound()


urlpatterns = [
    path("page/", page),
    path("broken/", broken_page),
    path("api/", Api.as_view()),
    path("missing/", Missing.as_view()),
]
# The site's handler: its 500 page falls back to a bare one when this URLconf lacks its links.
handler500 = "lms.errors.server_error"

pytestmark = pytest.mark.urls(__name__)


def test_the_api_answers_a_json_503_with_retry_after(client):
    response = client.get("/api/")
    assert response.status_code == 503
    assert response.json() == {"detail": MESSAGE}
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)


def test_other_api_errors_keep_their_answer(client):
    assert client.get("/missing/").status_code == 404


def test_a_page_answers_a_plain_503_page(client):
    response = client.get("/page/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert MESSAGE in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_the_page_is_translated(client):
    response = client.get("/page/", headers={"accept-language": "zh-hans"})
    assert response.status_code == 503
    assert "服务暂时不可用" in response.content.decode()


def test_other_exceptions_are_not_hidden(client):
    with pytest.raises(ValueError):
        client.get("/broken/")
