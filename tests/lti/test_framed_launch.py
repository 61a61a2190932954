"""A platform that shows the tool inside its own page (an iframe): the launch answers with one
page the platform may frame, whose single-use link opens the activity signed in, in a window
of its own."""

import re

import pytest
from django.test import Client
from django.utils import translation

from lti import services, tokens
from lti.models import UserLink

from .conftest import launch, login_initiation, refusal
from .platform import ISSUER

pytestmark = pytest.mark.django_db

CANVAS_SCHOOL = "https://school.instructure.example"


def framed_launch(client: Client, fake, *, fetch_dest="iframe", origin=ISSUER, **claims):
    query = login_initiation(client, fake)
    id_token = fake.id_token(fake.claims(nonce=query["nonce"], **claims))
    headers = {"Sec-Fetch-Dest": fetch_dest, "Origin": origin}
    return client.post(
        "/lti/launch/", {"id_token": id_token, "state": query["state"]}, headers=headers
    )


def window_link(response) -> str:
    found = re.search(r'href="(/lti/window/[^"]+/)"', response.content.decode())
    assert found, response.content.decode()
    return found.group(1)


def test_a_launch_in_a_frame_answers_with_a_page_the_platform_may_frame(
    client, fake, registered, course
):
    presentation = {"document_target": "iframe", "return_url": CANVAS_SCHOOL + "/courses/1/x"}
    response = framed_launch(
        client,
        fake,
        origin=CANVAS_SCHOOL,
        custom={"cbec_course": course.code},
        **{tokens.LAUNCH_PRESENTATION: presentation},
    )
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    ancestors = re.search(r"frame-ancestors ([^;]+)", policy).group(1).split()
    assert set(ancestors) == {ISSUER, CANVAS_SCHOOL}
    assert "script-src 'self'" in policy  # the rest of the site's policy stays
    assert all(type(name) is str for name, _value in response.items())  # as WSGI requires
    body = response.content.decode()
    assert 'target="_blank"' in body and "Open the activity in a new window" in body
    assert "site-header" not in body  # no navigation to pages that cannot be framed
    # Nobody is signed in inside the frame: the window link does it.
    assert "_auth_user_id" not in client.session

    window = Client()  # the new window: none of the frame's cookies
    opened = window.get(window_link(response))
    assert opened.status_code == 302 and opened["Location"] == course.get_absolute_url()
    user = UserLink.objects.get(platform=registered, sub="moodle-user-42").user
    assert window.session["_auth_user_id"] == str(user.pk)
    assert window.get(course.get_absolute_url()).status_code == 200


def test_the_presentation_claim_alone_says_frame_too(client, fake, registered, course):
    response = framed_launch(
        client,
        fake,
        fetch_dest="",
        custom={"cbec_course": course.code},
        **{tokens.LAUNCH_PRESENTATION: {"document_target": "iframe"}},
    )
    assert response.status_code == 200 and "/lti/window/" in response.content.decode()


def test_a_launch_in_a_window_still_goes_straight_in(client, fake, registered, course):
    response = launch(
        client,
        fake,
        custom={"cbec_course": course.code},
        **{tokens.LAUNCH_PRESENTATION: {"document_target": "window"}},
    )
    assert response.status_code == 302 and response["Location"] == course.get_absolute_url()
    assert "_auth_user_id" in client.session


def test_the_window_link_works_once(client, fake, registered, course):
    link = window_link(framed_launch(client, fake, custom={"cbec_course": course.code}))
    assert Client().get(link).status_code == 302
    again = Client().get(link)
    assert again.status_code == 403
    assert "already been used" in refusal(again)
    assert "_auth_user_id" not in again.wsgi_request.session


def test_an_expired_or_altered_window_link_is_refused(client, fake, registered, course, settings):
    link = window_link(framed_launch(client, fake, custom={"cbec_course": course.code}))
    altered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    response = Client().get(altered)
    assert response.status_code == 403 and "not valid" in refusal(response)

    settings.LTI_WINDOW_LINK_SECONDS = -1  # any age is too old
    response = Client().get(link)
    assert response.status_code == 403 and "expired" in refusal(response)


def test_a_window_link_cannot_send_anyone_elsewhere(db, django_user_model):
    user = django_user_model.objects.create_user("someone")
    token = services.window_link_make(user_id=user.pk, destination="https://evil.example/")
    response = Client().get(f"/lti/window/{token}/")
    assert response.status_code == 403 and "not valid" in refusal(response)


def test_the_framed_page_speaks_chinese_to_a_chinese_browser(client, fake, registered, course):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-Hans"
    response = framed_launch(client, fake, custom={"cbec_course": course.code})
    assert response.status_code == 200
    with translation.override("zh-hans"):
        assert translation.gettext("Open the activity in a new window") in response.content.decode()
    assert "Open the activity in a new window" not in response.content.decode()


def test_frame_origins_leave_out_what_is_not_a_web_origin():
    class Platform:
        issuer = "moodle-issuer-without-scheme"
        auth_login_url = ISSUER + "/mod/lti/auth.php"

    launch_ = services.Launch(
        platform=Platform,
        deployment=None,
        claims={tokens.LAUNCH_PRESENTATION: {"return_url": "javascript:alert(1)"}},
        message_type=tokens.RESOURCE_LINK_REQUEST,
    )
    assert services.frame_origins(launch=launch_, request_origin="null") == [ISSUER]
