"""The whole tool against an independent LTI 1.3 platform (`lti1p3platform` from PyPI).

A teacher deep-links an exam, a learner launches it and sits it, the score reaches the
platform's AGS line item, and staff sync the roster through NRPS: every message built,
signed or checked by the library, every service call over real HTTP.
"""

import base64
import json
from urllib.parse import parse_qsl, urlsplit

import jwt as pyjwt
import pytest
from django.test import Client

from courses.models import Enrollment
from exams import services as exam_services
from lti import tasks
from lti.models import Context, Deployment, GradeSubmission, Platform, ResourceLink, UserLink
from organizations.models import Membership

from .independent import DEPLOYMENT_ID, INSTRUCTOR, LEARNER, IndependentPlatform
from .test_grades import _sit

pytestmark = pytest.mark.django_db

TOOL = "http://testserver"


@pytest.fixture
def lms(school):
    from lti import services

    platform = IndependentPlatform(tool_base=TOOL, tool_jwks=services.tool_jwks())
    yield platform
    platform.close()


@pytest.fixture
def registration(lms, school):
    """The library's platform, registered in our admin as any LMS would be."""
    platform = Platform.objects.create(
        name="lti1p3platform",
        issuer=lms.base,
        client_id=lms.registration.get_client_id(),
        auth_login_url=lms.auth_url,
        auth_token_url=lms.token_url,
        jwks_url=lms.jwks_url,
        organization=school,
    )
    Deployment.objects.create(platform=platform, deployment_id=DEPLOYMENT_ID)
    return platform


def _launch(client: Client, lms: IndependentPlatform, *, user_id, roles, name, **parts):
    """Login initiation → the tool's authentication request → the signed launch form, posted."""
    hint = parts.get("resource_link_id", "deep-link")
    login = urlsplit(
        lms.login_url(user_id=user_id, hint=hint, deep_linking=parts.get("deep_linking", False))
    )
    assert f"{login.scheme}://{login.netloc}" == TOOL
    redirect = client.get(login.path, dict(parse_qsl(login.query)))
    assert redirect.status_code == 302, redirect.content
    auth = urlsplit(redirect["Location"])
    assert f"{auth.scheme}://{auth.netloc}{auth.path}" == lms.auth_url
    form = lms.launch(dict(parse_qsl(auth.query)), user_id=user_id, roles=roles, name=name, **parts)
    assert form["launch_url"] == TOOL + "/lti/launch/"
    return client.post("/lti/launch/", {"id_token": form["id_token"], "state": form["state"]})


def test_an_independent_platform_deep_links_launches_grades_and_syncs_a_roster(
    lms, registration, theory_exam, course, django_capture_on_commit_callbacks
):
    theory_exam.course = course  # the platform course's roster will sync into this course
    theory_exam.save()

    # 1. A teacher picks the exam (deep linking); the platform checks our signed answer.
    teacher = Client()
    picker = _launch(
        teacher, lms, user_id="t-1", roles=[INSTRUCTOR], name="Li Na", deep_linking=True
    )
    assert picker.status_code == 302 and picker["Location"].startswith("/lti/deep-link/")
    assert theory_exam in teacher.get(picker["Location"]).context["exams"]
    answer = teacher.post(picker["Location"], {"item": f"exam:{theory_exam.pk}"})
    assert answer.context["action"] == lms.return_url
    [item] = lms.content_items(answer.context["fields"]["JWT"])
    assert item["type"] == "ltiResourceLink"
    assert item["custom"] == {"cbec_exam": str(theory_exam.pk)}
    assert item["lineItem"]["scoreMaximum"] == 100

    # 2. A learner launches the new link and sits the exam.
    learner = Client()
    opened = _launch(
        learner,
        lms,
        user_id="s-1",
        roles=[LEARNER],
        name="Wang Fang",
        resource_link_id="rl-independent",
        custom=item["custom"],
    )
    assert opened.status_code == 302, opened.content
    assert opened["Location"] == theory_exam.get_absolute_url()
    link = ResourceLink.objects.get(resource_link_id="rl-independent")
    assert link.exam == theory_exam and link.lineitem_url == lms.lineitem_url
    student = UserLink.objects.get(platform=registration, sub="s-1").user
    assert Enrollment.objects.active().filter(student=student, course=course).exists()

    # 3. The graded attempt reaches the line item, scaled to its maximum (20 points).
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.attempt_submit(attempt=_sit(student, theory_exam, wrong=1))
    [(line_item, score)] = lms.scores
    assert line_item == "1"
    assert score["userId"] == "s-1"
    assert (score["scoreGiven"], score["scoreMaximum"]) == (15.0, 20.0)
    assert score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"
    assert GradeSubmission.objects.get().status == GradeSubmission.Status.SENT
    assert ("GET", "/lineitems/1/lineitem") in lms.requests

    # 4. Staff sync the roster (NRPS): a second learner joins, the teacher teaches.
    lms.members = [
        {"user_id": "t-1", "roles": [INSTRUCTOR], "name": "Li Na"},
        {"user_id": "s-1", "roles": [LEARNER], "name": "Wang Fang"},
        {"user_id": "s-2", "roles": [LEARNER], "name": "Chen Jie", "email": "chen@lms.test"},
    ]
    context = Context.objects.get(platform=registration)
    assert context.memberships_url == lms.memberships_url and context.course == course
    assert tasks.roster_sync(context.pk) == "3 members, 2 enrolled, 0 withdrawn"
    context.refresh_from_db()
    cohort = context.cohort
    assert cohort.teacher == UserLink.objects.get(sub="t-1").user
    assert Membership.objects.filter(user=cohort.teacher, role="teacher").exists()
    enrolled = set(
        Enrollment.objects.active()
        .filter(cohort=cohort)
        .values_list("student__lti_links__sub", flat=True)
    )
    assert enrolled == {"s-1", "s-2"}

    assert ("GET", "/memberships") in lms.requests
    # Every key and token came from the platform itself, over HTTP.
    assert ("GET", "/jwks") in lms.requests
    assert lms.requests.count(("POST", "/token")) == 2  # AGS scopes, then the NRPS scope

    # 5. The learner leaves the platform course: withdrawn at the next sync.
    lms.members = lms.members[:2]
    tasks.roster_sync(context.pk)
    s2 = UserLink.objects.get(sub="s-2").user
    assert Enrollment.objects.get(student=s2, course=course).status == "withdrawn"


def test_the_independent_platform_checks_our_deep_linking_signature(lms, registration, theory_exam):
    # So that its accepting our answer above means something.
    teacher = Client()
    picker = _launch(
        teacher, lms, user_id="t-1", roles=[INSTRUCTOR], name="Li Na", deep_linking=True
    )
    answer = teacher.post(picker["Location"], {"item": f"exam:{theory_exam.pk}"})
    header, payload, signature = answer.context["fields"]["JWT"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    [item] = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    item["custom"]["cbec_exam"] = "999"  # another exam, under our signature
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert lms.content_items(answer.context["fields"]["JWT"])  # the genuine one passes
    with pytest.raises(pyjwt.InvalidSignatureError):
        lms.content_items(f"{header}.{forged}.{signature}")


def test_a_launch_whose_target_differs_from_the_login_is_refused(lms, registration, theory_exam):
    client = Client()
    login = urlsplit(lms.login_url(user_id="s-1", hint="rl-1"))
    redirect = client.get(login.path, dict(parse_qsl(login.query)))
    auth = dict(parse_qsl(urlsplit(redirect["Location"]).query))
    form = lms.launch(  # the platform launches another URL than the one it logged in for
        auth,
        user_id="s-1",
        roles=[LEARNER],
        name="Wang Fang",
        resource_link_id="rl-1",
        custom={"cbec_exam": str(theory_exam.pk)},
        target="http://testserver/lti/launch/?other",
    )
    response = client.post("/lti/launch/", {"id_token": form["id_token"], "state": form["state"]})
    assert response.status_code == 403
    assert "target_link_uri" in str(response.context["message"])
