"""The pure LTI core, and real launch payloads from the IMS certification suite."""

import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

import lti.jwks
from lti import tokens
from lti.models import Deployment, Platform, UserLink
from lti.tokens import LaunchError
from organizations.models import Membership
from tests.conftest import require

from .platform import FakePlatform

INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ([LEARNER], {"student"}),
        ([INSTRUCTOR], {"teacher"}),
        (["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"], {"teacher"}),
        (
            ["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"],
            {"teacher"},
        ),
        (["Learner"], {"student"}),
        ([INSTRUCTOR, LEARNER], {"teacher", "student"}),
        (["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor", 7], set()),
        ([], set()),
    ],
)
def test_roles_map_to_memberships(roles, expected):
    assert tokens.local_roles(roles) == expected


def test_a_chinese_name_is_the_native_name():
    person = tokens.person_from({"sub": "1", "name": "张伟", "locale": "zh-CN"})
    assert person.name_native == "张伟" and person.name_latin == ""
    assert person.language == "zh-hans"
    person = tokens.person_from({"sub": "1", "given_name": "Wei", "family_name": "Zhang"})
    assert person.name_latin == "Wei Zhang"


def test_the_client_id_is_the_single_audience_or_azp():
    assert tokens.client_id_of({"aud": "a"}) == "a"
    assert tokens.client_id_of({"aud": ["a"]}) == "a"
    assert tokens.client_id_of({"aud": ["a", "b"], "azp": "b"}) == "b"
    with pytest.raises(LaunchError, match="azp"):
        tokens.client_id_of({"aud": ["a", "b"]})
    with pytest.raises(LaunchError, match="azp"):
        tokens.client_id_of({"aud": ["a"], "azp": "c"})


def test_claim_times_are_checked_with_leeway():
    now = 1_700_000_000
    base = {"iss": "i", "aud": "c", "nonce": "n", "iat": now, "exp": now + 60}
    tokens.check_claims(base, issuer="i", client_id="c", now=now, leeway=30)
    tokens.check_claims({**base, "exp": now - 10}, issuer="i", client_id="c", now=now, leeway=30)
    with pytest.raises(LaunchError, match="expired"):
        tokens.check_claims(
            {**base, "exp": now - 31}, issuer="i", client_id="c", now=now, leeway=30
        )
    with pytest.raises(LaunchError, match="iat"):
        tokens.check_claims(
            {**base, "iat": now + 90}, issuer="i", client_id="c", now=now, leeway=30
        )
    with pytest.raises(LaunchError, match="times_missing"):
        tokens.check_claims({**base, "exp": "soon"}, issuer="i", client_id="c", now=now, leeway=30)


def test_scores_go_under_the_line_item_keeping_its_query():
    assert (
        tokens.scores_url("https://lms.example/li/7/lineitem?type_id=1")
        == "https://lms.example/li/7/lineitem/scores?type_id=1"
    )
    assert tokens.scores_url("https://lms.example/li/7/") == "https://lms.example/li/7/scores"


def test_a_line_items_maximum_is_a_positive_number_or_none():
    assert tokens.score_maximum_of({"scoreMaximum": 10}) == 10.0
    assert tokens.score_maximum_of({"scoreMaximum": 7.5}) == 7.5
    for item in ({"scoreMaximum": 0}, {"scoreMaximum": "10"}, {"scoreMaximum": True}, {}, None):
        assert tokens.score_maximum_of(item) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('<https://lms.example/m?page=2>; rel="next"', "https://lms.example/m?page=2"),
        (
            '<https://lms.example/m>; rel="first", <https://lms.example/m?p=3>; rel="next"',
            "https://lms.example/m?p=3",
        ),
        ("<https://lms.example/m?p=2>; rel=next", "https://lms.example/m?p=2"),
        ('<https://lms.example/d>; rel="differences"', None),
        ('<https://lms.example/x>; title="next"; rel="last"', None),
        ('<m?page=2>; rel="prev next"', "m?page=2"),
        ("", None),
        (None, None),
    ],
)
def test_the_next_roster_page_comes_from_the_link_header(header, expected):
    assert tokens.next_link(header) == expected


def test_a_roster_member_maps_like_a_launch():
    person = tokens.member_person(
        {"user_id": "u-1", "roles": ["Instructor"], "name": "李娜", "email": "li@example.edu"}
    )
    assert person.sub == "u-1" and person.roles == {"teacher"}
    assert person.name_native == "李娜" and person.email == "li@example.edu"
    assert tokens.member_person({"roles": [LEARNER]}) is None
    assert tokens.member_active({"user_id": "u"})
    assert tokens.member_active({"user_id": "u", "status": "Active"})
    assert not tokens.member_active({"user_id": "u", "status": "Deleted"})
    assert not tokens.member_active({"user_id": "u", "status": "Inactive"})


def test_a_signed_token_round_trips_with_the_public_key():
    private_pem, public_jwk, kid = tokens.generate_key()
    token = tokens.sign({"hello": "world"}, private_pem=private_pem, kid=kid)
    keyset = tokens.KeySet.import_key_set({"keys": [public_jwk]})
    assert tokens.verify_signature(token, keyset) == {"hello": "world"}
    assert "d" not in public_jwk


# --- real payloads (IMS LTI Advantage certification suite, via packbackbooks) ---------------


@pytest.fixture
def lti13(shared_fixtures):
    folder = shared_fixtures / "lti13"
    require(folder.is_dir(), f"LTI 1.3 sample payloads folder {folder} is absent")

    def load(name: str) -> dict:
        return json.loads((folder / name).read_text(encoding="utf-8"))

    return load


def test_a_real_student_launch_maps_roles_name_context_and_ags(lti13):
    claims = lti13("packback-cert-valid-launch-student-payload.json")
    assert tokens.check_message(claims) == tokens.RESOURCE_LINK_REQUEST
    person = tokens.person_from(claims)
    assert person.sub == "40899"
    assert person.roles == {"student"}
    assert person.name_latin == "Carrie A Lowell" and person.name_native == ""
    assert person.email == "c.lowell@district1.com"
    assert person.language == "en"
    placement = tokens.placement_from(claims)
    assert placement.resource_link_id == "a7432159070d4c8b981b51dc1eb982db"
    assert placement.title == "Introduction Assignment"
    assert placement.context_title == "Bio Adventures"
    assert placement.target is None and placement.custom == {}
    assert placement.lineitems.endswith("/assignmentsgrades/1880/lineitems")
    assert placement.lineitem == ""
    assert tokens.SCORE_SCOPE in placement.scopes
    with_custom = {**claims, tokens.CUSTOM: {"cbec_exam": " 12 ", "other": "x"}}
    assert tokens.placement_from(with_custom).target == ("exam", "12")


def test_a_real_deep_linking_request_is_a_teachers(lti13):
    claims = lti13("packback-cert-valid-deep-linking-request-payload.json")
    assert tokens.check_message(claims) == tokens.DEEP_LINKING_REQUEST
    assert tokens.person_from(claims).roles == {"teacher"}
    settings = claims[tokens.DL_SETTINGS]
    assert "ltiResourceLink" in settings["accept_types"]
    assert settings["data"] == "909708"


def test_a_real_payload_without_deployment_id_is_refused(lti13):
    claims = lti13("packback-cert-invalid-deployment-id-missing-payload.json")
    with pytest.raises(LaunchError) as caught:
        tokens.check_message(claims)
    assert "deployment_id" in str(caught.value.message)


@pytest.mark.django_db
def test_a_real_payload_launches_end_to_end(lti13, monkeypatch, school, course):
    """The certification payload, re-signed by our simulated platform under its own issuer."""
    claims = lti13("packback-cert-valid-launch-student-payload.json")
    fake = FakePlatform(issuer=claims["iss"], client_id=claims["aud"])
    monkeypatch.setattr(lti.jwks, "default_fetch", fake.fetch)
    platform = fake.register(school, deployment_id="testdeploy")
    assert Deployment.objects.filter(platform=platform).count() == 1
    client = Client()
    login = client.post(
        "/lti/login/",
        {
            "iss": claims["iss"],
            "login_hint": claims["sub"],
            "target_link_uri": claims[tokens.TARGET_LINK_URI],
            "client_id": claims["aud"],
        },
    )
    query = parse_qs(urlsplit(login["Location"]).query)
    now = int(time.time())
    claims.update(
        nonce=query["nonce"][0],
        iat=now,
        exp=now + 300,
        **{tokens.CUSTOM: {"cbec_course": course.code}},
    )
    response = client.post(
        "/lti/launch/", {"id_token": fake.id_token(claims), "state": query["state"][0]}
    )
    assert response.status_code == 302
    assert response["Location"] == course.get_absolute_url()
    user = UserLink.objects.get(platform=platform, sub="40899").user
    assert user.profile.name_latin == "Carrie A Lowell"
    assert Membership.objects.filter(user=user, organization=school, role="student").exists()
    assert Platform.objects.count() == 1
