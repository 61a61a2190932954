"""Deep linking: a teacher picks an exam and the platform gets a signed content item."""

import contextlib
import time

import pytest
from django.test import Client
from joserfc import jwt
from joserfc.jwk import KeySet

import lti.jwks
from exams.models import Exam
from lti import services, tokens
from lti.models import ResourceLink
from tests import factories

from .conftest import launch, refusal
from .platform import INSTRUCTOR, ISSUER, LEARNER, RETURN_URL, FakePlatform


@contextlib.contextmanager
def _platform(platform: FakePlatform):
    """Serve this simulated platform's keys to the tool while the block runs."""
    saved = lti.jwks.default_fetch
    lti.jwks.default_fetch = platform.fetch
    try:
        yield
    finally:
        lti.jwks.default_fetch = saved


pytestmark = pytest.mark.django_db


def _teacher_deep_link(client, fake):
    response = launch(
        client, fake, sub="teacher-7", roles=[INSTRUCTOR], message_type=tokens.DEEP_LINKING_REQUEST
    )
    assert response.status_code == 302, response.content
    assert response["Location"].startswith("/lti/deep-link/")
    return response["Location"]


def test_a_teacher_picks_an_exam_and_the_response_verifies(
    client, fake, registered, theory_exam, course
):
    picker = _teacher_deep_link(client, fake)
    page = client.get(picker)
    assert page.status_code == 200
    assert theory_exam in page.context["exams"] and course in page.context["courses"]
    assert f'value="exam:{theory_exam.pk}"' in page.content.decode()

    response = client.post(picker, {"item": f"exam:{theory_exam.pk}"})
    assert response.status_code == 200
    assert response.context["action"] == RETURN_URL
    body = response.content.decode()
    assert f'action="{RETURN_URL.replace("&", "&amp;")}"' in body
    assert "lti/auto_post.js" in body and "<script>" not in body  # sent by a static script
    # The page's CSP lets its form post to the platform, and only there besides the site.
    policy = dict(d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";"))
    assert policy["form-action"] == f"'self' {ISSUER}"
    # Plain str names: WSGI servers (wsgiref under runserver) refuse any other type.
    assert all(type(name) is str for name, _value in response.items())
    assert policy["script-src"] == "'self'"

    published = KeySet.import_key_set(client.get("/lti/jwks.json").json())
    decoded = jwt.decode(response.context["fields"]["JWT"], published, algorithms=["RS256"])
    assert decoded.header["alg"] == "RS256" and decoded.header["kid"]
    claims = decoded.claims
    assert claims["iss"] == fake.client_id
    assert claims["aud"] == fake.issuer
    assert claims["iat"] <= time.time() < claims["exp"]
    assert claims["nonce"]
    assert claims[tokens.MESSAGE_TYPE] == "LtiDeepLinkingResponse"
    assert claims[tokens.VERSION] == "1.3.0"
    assert claims[tokens.DEPLOYMENT_ID] == "1"
    assert claims[tokens.DL_DATA] == "opaque-platform-data"
    [item] = claims[tokens.DL_CONTENT_ITEMS]
    assert item["type"] == "ltiResourceLink"
    assert item["title"] == theory_exam.title
    assert item["url"] == "http://testserver/lti/launch/"
    assert item["custom"] == {"cbec_exam": str(theory_exam.pk)}
    assert item["lineItem"]["scoreMaximum"] == 100

    # The picker is single use.
    assert client.post(picker, {"item": f"exam:{theory_exam.pk}"}).status_code == 403

    # The platform then launches the new link with that custom parameter.
    learner = launch(Client(), fake, custom=item["custom"], resource_link_id="rl-from-dl")
    assert learner.status_code == 302
    assert learner["Location"] == theory_exam.get_absolute_url()


def test_a_course_item_has_no_line_item(client, fake, registered, course):
    picker = _teacher_deep_link(client, fake)
    response = client.post(picker, {"item": f"course:{course.code}"})
    claims = jwt.decode(
        response.context["fields"]["JWT"],
        KeySet.import_key_set(client.get("/lti/jwks.json").json()),
        algorithms=["RS256"],
    ).claims
    [item] = claims[tokens.DL_CONTENT_ITEMS]
    assert item["custom"] == {"cbec_course": course.code}
    assert "lineItem" not in item


def test_only_published_content_can_be_picked(client, fake, registered, theory_exam):
    theory_exam.is_published = False
    theory_exam.save()
    picker = _teacher_deep_link(client, fake)
    assert theory_exam not in client.get(picker).context["exams"]
    response = client.post(picker, {"item": f"exam:{theory_exam.pk}"})
    assert response.status_code == 400
    assert response.context["error"]


def test_a_learner_cannot_deep_link(client, fake, registered):
    response = launch(client, fake, roles=[LEARNER], message_type=tokens.DEEP_LINKING_REQUEST)
    assert response.status_code == 403
    assert "Only teachers" in refusal(response)


def test_the_picker_needs_only_its_token(client, fake, registered, teacher):
    picker = _teacher_deep_link(client, fake)
    assert "_auth_user_id" in client.session  # a launch in a window still signs in
    # Any browser holding the address gets the picker (tests/lti/test_framed_deep_linking.py);
    # one without it gets nothing, signed in or not.
    other = Client()
    other.force_login(teacher)
    response = other.get(picker[:-5] + "xxxx/")
    assert response.status_code == 403
    assert "expired" in refusal(response)
    assert Client().get(picker).status_code == 200


def test_the_tool_publishes_its_public_key_only(client, db):
    keys = client.get("/lti/jwks.json").json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256" and keys[0]["kid"]
    assert "d" not in keys[0] and "p" not in keys[0]
    assert client.get("/lti/jwks.json").json()["keys"] == keys  # one key, made once


# --- Scope: the launching platform's organisation only ---------------------------------------


@pytest.fixture
def other_school_content(db):
    other = factories.organization(kind="school", code="elsewhere")
    course = factories.course(other, code="elsewhere-course")
    exam = Exam.objects.create(
        title_en="Elsewhere exam", title_zh="别处考试", organization=other, is_published=True
    )
    return course, exam


def test_the_picker_lists_only_the_launching_organisations_content(
    client, fake, registered, theory_exam, course, other_school_content
):
    other_course, other_exam = other_school_content
    picker = _teacher_deep_link(client, fake)
    page = client.get(picker)
    assert page.context["exams"] == [theory_exam]
    assert page.context["courses"] == [course]
    assert "Elsewhere" not in page.content.decode()
    for item in (f"exam:{other_exam.pk}", f"course:{other_course.code}"):
        response = client.post(picker, {"item": item})
        assert response.status_code == 400
        assert "Choose a published course or exam" in str(response.context["error"])


def test_an_enterprise_platform_picks_the_courses_it_partners_in(
    client, enterprise, course, other_school_content
):
    # The course fixture is the school's, with the enterprise as a partner.
    partner = FakePlatform(issuer="https://lms.enterprise.example", tool_jwks=services.tool_jwks)
    partner.register(enterprise)
    other = factories.course(other_school_content[0].school, code="not-a-partner")
    with _platform(partner):
        picker = _teacher_deep_link(client, partner)
        courses = client.get(picker).context["courses"]
    assert courses == [course] and other not in courses


def test_a_launch_naming_another_organisations_exam_is_refused(
    client, fake, registered, other_school_content
):
    _course, other_exam = other_school_content
    response = launch(client, fake, custom={"cbec_exam": str(other_exam.pk)})
    assert response.status_code == 400
    assert "does not exist here" in refusal(response)
    assert not ResourceLink.objects.exists()
