"""OIDC login initiation and resource-link launches, driven by the simulated platform."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import translation

from courses.models import Enrollment
from lti.models import LaunchNonce, LoginState, ResourceLink, UserLink
from lti.tokens import DEEP_LINKING_REQUEST as DEEP_LINKING
from lti.tokens import TARGET_LINK_URI
from organizations.models import Membership
from tests import factories

from .conftest import launch, login_initiation, refusal
from .platform import AUTH_URL, INSTRUCTOR, rsa_key

pytestmark = pytest.mark.django_db


def test_login_redirects_to_the_platform_with_state_and_nonce(client, fake, registered):
    response = client.get(
        "/lti/login/",
        {
            "iss": fake.issuer,
            "login_hint": "42",
            "target_link_uri": "https://tool.example/lti/launch/",
            "lti_message_hint": "hint-1",
            "client_id": fake.client_id,
            "lti_deployment_id": "1",
        },
    )
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == AUTH_URL
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert query["scope"] == "openid"
    assert query["response_type"] == "id_token"
    assert query["response_mode"] == "form_post"
    assert query["prompt"] == "none"
    assert query["client_id"] == fake.client_id
    assert query["redirect_uri"] == "http://testserver/lti/launch/"
    assert query["login_hint"] == "42"
    assert query["lti_message_hint"] == "hint-1"
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32
    stored = LoginState.objects.get(state=query["state"])
    assert stored.nonce == query["nonce"] and stored.platform == registered
    assert stored.target_link_uri == "https://tool.example/lti/launch/"
    assert f"lti_state_{query['state']}" in response.cookies


def test_login_refuses_an_unknown_issuer(client, fake, registered):
    response = client.post(
        "/lti/login/",
        {"iss": "https://evil.example", "login_hint": "1", "target_link_uri": "https://x/"},
    )
    assert response.status_code == 403
    assert "is not registered" in refusal(response)
    assert not LoginState.objects.exists()


def test_login_refuses_an_unknown_deployment(client, fake, registered):
    response = client.post(
        "/lti/login/",
        {
            "iss": fake.issuer,
            "login_hint": "1",
            "target_link_uri": "https://x/",
            "lti_deployment_id": "99",
        },
    )
    assert response.status_code == 403
    assert "deployment" in refusal(response)


def test_login_refuses_missing_parameters(client, fake, registered):
    response = client.post("/lti/login/", {"iss": fake.issuer})
    assert response.status_code == 400
    assert "login_hint" in refusal(response)


def test_launch_logs_the_learner_in_and_enrols_them_in_the_course(
    client, fake, registered, course, school
):
    response = launch(client, fake, custom={"cbec_course": course.code})
    assert response.status_code == 302
    assert response["Location"] == course.get_absolute_url()
    link = UserLink.objects.get(platform=registered, sub="moodle-user-42")
    user = link.user
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.email == "zhang.wei@students.example.edu"
    assert user.profile.name_latin == "Zhang Wei"
    assert user.profile.preferred_language == "en"
    assert not user.has_usable_password()
    assert set(Membership.objects.filter(user=user).values_list("organization", "role")) == {
        (school.pk, "student")
    }
    assert Enrollment.objects.active().filter(student=user, course=course).exists()
    placed = ResourceLink.objects.get(platform=registered, resource_link_id="rl-1")
    assert placed.course == course and placed.exam is None
    assert list(placed.learners.all()) == [link]
    # The course page opens for the learner in the same session.
    assert client.get(course.get_absolute_url()).status_code == 200


def test_a_launch_from_the_schools_lms_enrols_into_a_course_closed_to_self_enrolment(
    client, fake, registered, course
):
    course.self_enrolment = False
    course.save(update_fields=["self_enrolment"])
    response = launch(client, fake, custom={"cbec_course": course.code})
    assert response.status_code == 302
    assert Enrollment.objects.active().filter(course=course).count() == 1


def test_a_launch_from_a_partners_lms_is_refused_where_the_school_enrols(
    client, fake, registered, course
):
    # A partner enterprise's LMS may place the course, but its launch is no school enrolment.
    partner = factories.organization(kind="enterprise", code="partner-co")
    course.partners.add(partner)
    registered.organization = partner
    registered.save(update_fields=["organization"])
    course.self_enrolment = False
    course.save(update_fields=["self_enrolment"])
    response = launch(client, fake, custom={"cbec_course": course.code})
    assert response.status_code == 403
    assert "ask your teacher" in refusal(response)
    assert not Enrollment.objects.filter(course=course).exists()


def test_a_second_launch_reuses_the_account(client, fake, registered, course):
    launch(client, fake, custom={"cbec_course": course.code})
    other_browser = Client()
    response = launch(other_browser, fake, custom={"cbec_course": course.code})
    assert response.status_code == 302
    assert UserLink.objects.count() == 1
    assert Enrollment.objects.filter(course=course).count() == 1


def test_an_instructor_becomes_a_teacher_and_is_not_enrolled(client, fake, registered, course):
    response = launch(
        client, fake, sub="teacher-7", roles=[INSTRUCTOR], custom={"cbec_course": course.code}
    )
    assert response.status_code == 302
    user = UserLink.objects.get(sub="teacher-7").user
    assert Membership.objects.filter(user=user, role="teacher").exists()
    assert not Enrollment.objects.filter(student=user).exists()
    assert not ResourceLink.objects.get().learners.exists()


def test_a_deactivated_membership_stays_off(client, fake, registered, course):
    launch(client, fake, custom={"cbec_course": course.code})
    Membership.objects.update(is_active=False)
    launch(Client(), fake, custom={"cbec_course": course.code})
    assert not Membership.objects.filter(is_active=True).exists()


def test_exam_launch_opens_the_exam_rules_page(client, fake, registered, theory_exam):
    response = launch(client, fake, custom={"cbec_exam": str(theory_exam.pk)})
    assert response.status_code == 302
    assert response["Location"] == theory_exam.get_absolute_url()
    placed = ResourceLink.objects.get()
    assert placed.exam == theory_exam
    assert placed.lineitem_url.endswith("/lineitems/7/lineitem?type_id=1")
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in placed.scopes
    assert client.get(response["Location"]).status_code == 200


def test_a_known_link_launches_without_custom_parameters(client, fake, registered, theory_exam):
    launch(client, fake, custom={"cbec_exam": str(theory_exam.pk)})
    response = launch(Client(), fake, sub="someone-else")
    assert response.status_code == 302
    assert response["Location"] == theory_exam.get_absolute_url()


def test_an_unknown_target_is_a_clear_400(client, fake, registered):
    response = launch(client, fake, custom={"cbec_exam": "999999"})
    assert response.status_code == 400
    assert "does not exist" in refusal(response)
    response = launch(Client(), fake, resource_link_id="rl-new")
    assert response.status_code == 400
    assert "does not point to a CBEC Academy course or exam" in refusal(response)


def test_an_audience_list_with_azp_is_accepted(client, fake, registered, course):
    response = launch(
        client,
        fake,
        custom={"cbec_course": course.code},
        aud=[fake.client_id, "another-tool"],
        azp=fake.client_id,
    )
    assert response.status_code == 302


# --- refusals -------------------------------------------------------------------------------


def test_a_token_signed_by_another_key_is_refused(client, fake, registered, course):
    forger = rsa_key("forger")
    response = launch(
        client,
        fake,
        custom={"cbec_course": course.code},
        sign=lambda claims: fake.id_token(claims, key=forger, kid=fake.key.kid),
    )
    assert response.status_code == 403
    assert "signature is not valid" in refusal(response)
    assert "_auth_user_id" not in client.session
    assert not UserLink.objects.exists()


def test_a_token_naming_an_unpublished_key_is_refused_after_one_refetch(
    client, fake, registered, course
):
    forger = rsa_key("forger")
    response = launch(
        client,
        fake,
        custom={"cbec_course": course.code},
        sign=lambda claims: fake.id_token(claims, key=forger, kid=forger.kid),
    )
    assert response.status_code == 403
    assert "does not publish" in refusal(response)
    assert fake.jwks_fetches == 2  # cached keyset, then one refresh for the unknown kid


def test_the_keyset_is_cached_between_launches(client, fake, registered, course):
    launch(client, fake, custom={"cbec_course": course.code})
    launch(Client(), fake, custom={"cbec_course": course.code})
    assert fake.jwks_fetches == 1


def test_a_reused_nonce_is_refused(client, fake, registered, course):
    query = login_initiation(client, fake)
    token = fake.id_token(fake.claims(nonce=query["nonce"], custom={"cbec_course": course.code}))
    first = client.post("/lti/launch/", {"id_token": token, "state": query["state"]})
    assert first.status_code == 302
    replay = Client().post("/lti/launch/", {"id_token": token, "state": query["state"]})
    assert replay.status_code == 403
    assert "nonce was seen before" in refusal(replay)
    assert LaunchNonce.objects.count() == 1


def test_a_nonce_that_is_not_the_logins_is_refused(client, fake, registered, course):
    query = login_initiation(client, fake)
    token = fake.id_token(fake.claims(nonce="made-up", custom={"cbec_course": course.code}))
    response = client.post("/lti/launch/", {"id_token": token, "state": query["state"]})
    assert response.status_code == 403
    assert "nonce mismatch" in refusal(response)


def test_an_expired_token_is_refused(client, fake, registered, course):
    past = int(time.time()) - 3600
    response = launch(client, fake, custom={"cbec_course": course.code}, iat=past, exp=past + 300)
    assert response.status_code == 403
    assert "has expired" in refusal(response)


def test_a_token_within_the_leeway_is_accepted(client, fake, registered, course):
    now = int(time.time())
    response = launch(client, fake, custom={"cbec_course": course.code}, exp=now - 20)
    assert response.status_code == 302


def test_an_unknown_deployment_is_refused(client, fake, registered, course):
    response = launch(
        client,
        fake,
        custom={"cbec_course": course.code},
        **{"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "not-registered"},
    )
    assert response.status_code == 403
    assert "deployment" in refusal(response)


def test_an_unknown_issuer_is_refused(client, fake, registered, course):
    response = launch(client, fake, custom={"cbec_course": course.code}, iss="https://evil.example")
    assert response.status_code == 403
    assert "is not registered" in refusal(response)


def test_a_wrong_audience_is_refused(client, fake, registered, course):
    response = launch(client, fake, custom={"cbec_course": course.code}, aud="another-tool")
    assert response.status_code == 403
    assert "wrong audience" in refusal(response)


def test_several_audiences_without_azp_are_refused(client, fake, registered, course):
    response = launch(
        client, fake, custom={"cbec_course": course.code}, aud=[fake.client_id, "another-tool"]
    )
    assert response.status_code == 403
    assert "authorised party" in refusal(response)


def test_missing_claims_are_refused(client, fake, registered, course):
    response = launch(
        client,
        fake,
        **{"https://purl.imsglobal.org/spec/lti/claim/resource_link": None},
    )
    assert response.status_code == 400
    assert "resource_link.id" in refusal(response)


def test_a_launch_without_target_link_uri_is_refused(client, fake, registered, course):
    response = launch(client, fake, custom={"cbec_course": course.code}, **{TARGET_LINK_URI: None})
    assert response.status_code == 400
    assert "target_link_uri" in refusal(response)
    assert "_auth_user_id" not in client.session


def test_a_target_link_uri_other_than_the_logins_is_refused(client, fake, registered, course):
    response = launch(
        client,
        fake,
        custom={"cbec_course": course.code},
        **{TARGET_LINK_URI: "https://tool.example/lti/launch/?elsewhere=1"},
    )
    assert response.status_code == 403
    message = refusal(response)
    assert "is not the one its login named" in message
    assert "https://tool.example/lti/launch/?elsewhere=1" in message
    assert not UserLink.objects.exists()


def test_a_deep_linking_request_may_omit_target_link_uri_but_not_change_it(
    client, fake, registered
):
    teacher = {"sub": "teacher-7", "roles": [INSTRUCTOR], "message_type": DEEP_LINKING}
    assert launch(client, fake, **teacher).status_code == 302
    response = launch(Client(), fake, **teacher, **{TARGET_LINK_URI: "https://tool.example/other/"})
    assert response.status_code == 403
    assert "target_link_uri" in refusal(response)
    same = launch(
        Client(), fake, **teacher, **{TARGET_LINK_URI: "https://tool.example/lti/launch/"}
    )
    assert same.status_code == 302


def test_login_refuses_a_target_link_uri_too_long_to_compare(client, fake, registered):
    response = client.post(
        "/lti/login/",
        {"iss": fake.issuer, "login_hint": "1", "target_link_uri": "https://x/" + "a" * 1000},
    )
    assert response.status_code == 400
    assert "too long" in refusal(response)
    assert not LoginState.objects.exists()


def test_a_wrong_version_or_message_type_is_refused(client, fake, registered, course):
    response = launch(client, fake, **{"https://purl.imsglobal.org/spec/lti/claim/version": "1.1"})
    assert response.status_code == 400
    assert "1.3.0" in refusal(response)
    response = launch(
        Client(),
        fake,
        **{"https://purl.imsglobal.org/spec/lti/claim/message_type": "LtiSubmissionReviewRequest"},
    )
    assert response.status_code == 400
    assert "not supported" in refusal(response)


def test_a_launch_from_another_browser_than_the_login_is_refused(client, fake, registered, course):
    query = login_initiation(client, fake)
    token = fake.id_token(fake.claims(nonce=query["nonce"], custom={"cbec_course": course.code}))
    response = Client().post("/lti/launch/", {"id_token": token, "state": query["state"]})
    assert response.status_code == 403
    assert "login cookie" in refusal(response)


def test_an_unknown_state_is_refused(client, fake, registered, course):
    token = fake.id_token(fake.claims(nonce="n-1", custom={"cbec_course": course.code}))
    response = client.post("/lti/launch/", {"id_token": token, "state": "never-issued"})
    assert response.status_code == 403
    assert "login state is unknown" in refusal(response)


def test_garbage_is_refused(client, fake, registered):
    response = client.post("/lti/launch/", {"id_token": "not-a-jwt", "state": "x"})
    assert response.status_code == 400
    assert "not a valid JWT" in refusal(response)
    response = client.post("/lti/launch/", {"state": "x"})
    assert response.status_code == 400
    assert client.get("/lti/launch/").status_code == 405


def test_an_inactive_platform_is_refused(client, fake, registered, course):
    registered.is_active = False
    registered.save()
    response = client.post(
        "/lti/login/",
        {"iss": fake.issuer, "login_hint": "1", "target_link_uri": "https://x/"},
    )
    assert response.status_code == 403


def test_unreachable_platform_keys_are_a_clear_error(client, fake, registered, course, monkeypatch):
    def down(url):
        raise OSError("connection refused")

    monkeypatch.setattr(fake, "fetch", down)
    monkeypatch.setattr("lti.jwks.default_fetch", down)
    response = launch(client, fake, custom={"cbec_course": course.code})
    assert response.status_code == 502
    assert "public keys could not be fetched" in refusal(response)


def test_the_keyset_loader_takes_an_injected_fetcher(fake):
    from lti import jwks

    calls = []

    def fetch(url):
        calls.append(url)
        return {"keys": [{"kty": "oct", "k": "c2VjcmV0"}, *fake.jwks()["keys"]]}

    keyset = jwks.load_keyset("https://lms.example/certs", fetch=fetch)
    assert [key.kid for key in keyset] == [fake.key.kid]  # RSA signing keys only
    jwks.load_keyset("https://lms.example/certs", fetch=fetch)
    assert calls == ["https://lms.example/certs"]  # cached
    with pytest.raises(jwks.KeysetUnavailable):
        jwks.load_keyset("https://lms.example/other", fetch=lambda url: {"nope": 1})


def test_a_refusal_speaks_chinese_to_a_chinese_browser(fake, registered, course):
    english = "The launch token is meant for another tool (wrong audience)."
    with translation.override("zh-hans"):
        chinese = translation.gettext(english)
    if chinese == english:
        pytest.skip("the lti zh_Hans catalogue is not compiled (make messages)")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = launch(client, fake, custom={"cbec_course": course.code}, aud="another-tool")
    assert response.status_code == 403
    assert refusal(response) == chinese
