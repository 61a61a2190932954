"""Deep linking inside the platform's frame (Moodle opens "Select content" in a modal iframe):
no cookie of this site comes along there, so the picker is authenticated by the single-use
token in its address alone, and the platform (only) may frame it and its answer."""

import re
import time

import pytest
from django.core.cache.backends import locmem
from django.test import Client
from django.utils import translation
from joserfc import jwt
from joserfc.jwk import KeySet

from exams.models import Exam
from lti import services, tokens
from tests import factories

from .conftest import refusal
from .platform import INSTRUCTOR, ISSUER, RETURN_URL, FakePlatform
from .test_framed_launch import CANVAS_SCHOOL, framed_launch

pytestmark = pytest.mark.django_db


def framed_picker(client: Client, fake, **claims) -> str:
    """A teacher's deep-linking launch inside the platform's iframe; the picker's address."""
    response = framed_launch(
        client,
        fake,
        sub="teacher-7",
        roles=[INSTRUCTOR],
        message_type=tokens.DEEP_LINKING_REQUEST,
        **claims,
    )
    assert response.status_code == 302, response.content
    assert re.fullmatch(r"/lti/deep-link/[A-Za-z0-9_-]{43}/", response["Location"])
    return response["Location"]


def policy(response) -> dict[str, list[str]]:
    directives = (d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";"))
    return {name: value.split() for name, value in directives}


def frame() -> Client:
    """The platform's iframe: none of this site's cookies, and CSRF checked as in production."""
    return Client(enforce_csrf_checks=True)


def decoded(client: Client, token: str) -> dict:
    published = KeySet.import_key_set(client.get("/lti/jwks.json").json())
    return jwt.decode(token, published, algorithms=["RS256"]).claims


def test_a_framed_deep_linking_launch_reaches_a_picker_the_platform_may_frame(
    client, fake, registered, theory_exam, course
):
    presentation = {"document_target": "iframe", "return_url": CANVAS_SCHOOL + "/courses/1"}
    picker = framed_picker(
        client, fake, origin=CANVAS_SCHOOL, **{tokens.LAUNCH_PRESENTATION: presentation}
    )
    assert "_auth_user_id" not in client.session  # nobody is signed in inside the frame

    page = frame().get(picker)
    assert page.status_code == 200
    assert "X-Frame-Options" not in page
    assert set(policy(page)["frame-ancestors"]) == {ISSUER, CANVAS_SCHOOL}
    assert policy(page)["script-src"] == ["'self'"]  # the rest of the site's policy stays
    assert all(type(name) is str for name, _value in page.items())  # as WSGI requires
    body = page.content.decode()
    assert f'value="exam:{theory_exam.pk}"' in body and f'value="course:{course.code}"' in body
    assert "site-header" not in body  # no navigation to pages that cannot be framed
    assert "csrfmiddlewaretoken" not in body
    assert not page.cookies  # the picker sets no cookie (none would come back in a frame)


def test_the_picker_works_without_any_cookie_and_answers_once(
    client, fake, registered, theory_exam
):
    picker = framed_picker(client, fake)
    assert frame().get(picker).status_code == 200

    answer = frame().post(picker, {"item": f"exam:{theory_exam.pk}"})
    assert answer.status_code == 200
    assert answer.context["action"] == RETURN_URL
    assert not answer.cookies
    # The answer posts to the platform, inside the platform's frame, and nowhere else.
    assert policy(answer)["form-action"] == ["'self'", ISSUER]
    assert policy(answer)["frame-ancestors"] == [ISSUER]
    assert "X-Frame-Options" not in answer
    assert "lti/auto_post.js" in answer.content.decode()
    claims = decoded(client, answer.context["fields"]["JWT"])
    assert claims["iss"] == fake.client_id and claims["aud"] == fake.issuer
    assert claims[tokens.MESSAGE_TYPE] == "LtiDeepLinkingResponse"
    assert claims[tokens.DEPLOYMENT_ID] == "1"
    assert claims[tokens.DL_DATA] == "opaque-platform-data"
    [item] = claims[tokens.DL_CONTENT_ITEMS]
    assert item["custom"] == {"cbec_exam": str(theory_exam.pk)}
    assert item["lineItem"]["scoreMaximum"] == 100

    # Single use: the token is spent, for a post and for the page alike; the refusal can
    # still be shown in the platform's frame.
    for again in (
        frame().post(picker, {"item": f"exam:{theory_exam.pk}"}),
        frame().get(picker),
    ):
        assert again.status_code == 403
        assert "expired" in refusal(again)
        assert policy(again)["frame-ancestors"] == [ISSUER]
        assert "JWT" not in again.content.decode()


@pytest.mark.parametrize("token", ["x" * 43, "too-short", "A" * 43 + ".."])
def test_an_unknown_token_gets_the_expired_page_and_no_frame(db, token):
    response = frame().get(f"/lti/deep-link/{token}/")
    assert response.status_code == 403
    assert "expired" in refusal(response)
    assert response["X-Frame-Options"] == "DENY"
    assert policy(response)["frame-ancestors"] == ["'none'"]
    assert frame().post(f"/lti/deep-link/{token}/", {"item": "exam:1"}).status_code == 403


def test_the_picker_expires(client, fake, registered, theory_exam, settings, monkeypatch):
    settings.LTI_DEEP_LINK_SECONDS = 60
    picker = framed_picker(client, fake)
    assert frame().get(picker).status_code == 200
    later = time.time() + 61
    monkeypatch.setattr(locmem.time, "time", lambda: later)
    response = frame().post(picker, {"item": f"exam:{theory_exam.pk}"})
    assert response.status_code == 403 and "expired" in refusal(response)


def test_the_lifetime_defaults_to_half_an_hour(settings):
    del settings.LTI_DEEP_LINK_SECONDS
    assert services.deep_link_ttl() == 30 * 60


def test_another_platforms_content_cannot_be_picked(client, fake, registered, theory_exam):
    other = factories.organization(kind="school", code="elsewhere")
    other_course = factories.course(other, code="elsewhere-course")
    other_exam = Exam.objects.create(
        title_en="Elsewhere exam", title_zh="别处考试", organization=other, is_published=True
    )
    FakePlatform(issuer="https://lms.elsewhere.example").register(other)
    picker = framed_picker(client, fake)
    assert "Elsewhere" not in frame().get(picker).content.decode()
    for item in (f"exam:{other_exam.pk}", f"course:{other_course.code}", "exam:x", ""):
        refused = frame().post(picker, {"item": item})
        assert refused.status_code == 400
        assert "Choose a published course or exam" in str(refused.context["error"])
        assert policy(refused)["frame-ancestors"] == [ISSUER]
    # A refused pick leaves the token usable for a good one.
    assert frame().post(picker, {"item": f"exam:{theory_exam.pk}"}).status_code == 200


def test_one_item_only_when_the_platform_says_so(client, fake, registered, theory_exam, course):
    picker = framed_picker(client, fake)
    refused = frame().post(picker, {"item": [f"exam:{theory_exam.pk}", f"course:{course.code}"]})
    assert refused.status_code == 400
    assert "only one item" in str(refused.context["error"])


def test_the_framed_picker_speaks_chinese(client, fake, registered, theory_exam):
    picker = framed_picker(client, fake)
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-Hans").get(picker)
    with translation.override("zh-hans"):
        assert translation.gettext("Choose a course or an exam") in page.content.decode()
    assert "Choose a course or an exam" not in page.content.decode()
