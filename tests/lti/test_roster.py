"""Roster sync (NRPS): the platform course's members become a cohort of the linked course."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from courses.models import Cohort, Enrollment
from lti import roster, tasks, tokens
from lti.models import Context, Platform, ResourceLink, UserLink
from lti.outbound import Response
from organizations.models import Membership
from tests import factories

from .conftest import launch
from .platform import INSTRUCTOR, MEMBERSHIPS, TOKEN_URL

pytestmark = pytest.mark.django_db


@pytest.fixture
def context(client, fake, registered, course):
    """The platform course, linked to `course` by a learner's first launch."""
    response = launch(client, fake, custom={"cbec_course": course.code})
    assert response.status_code == 302, response.content
    fake.requests.clear()
    return Context.objects.get()


def _user(sub):
    return UserLink.objects.get(sub=sub).user


def _enrolment(sub, course):
    return Enrollment.objects.get(student=_user(sub), course=course)


def test_a_launch_records_the_platform_course_and_its_roster_service(context, course, registered):
    assert context.platform == registered and context.context_id == "2"
    assert context.title == "Cross-border E-commerce" and context.label == "CBEC101"
    assert context.memberships_url == MEMBERSHIPS
    assert context.course == course and context.cohort is None
    assert ResourceLink.objects.get().context == context


def test_a_sync_makes_accounts_and_enrols_the_learners_in_a_cohort(fake, context, course, school):
    fake.member("teacher-7", INSTRUCTOR, name="李娜")
    fake.member("s-1", name="王芳")
    fake.member("s-2", name="Chen Jie", email="chen@students.example.edu")
    fake.member("gone", status="Inactive")
    fake.member("ta", "http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor")

    assert tasks.roster_sync(context.pk) == "4 members, 2 enrolled, 0 withdrawn"

    token_request, members_request = fake.requests
    assert token_request.url == TOKEN_URL and token_request.form["scope"] == tokens.NRPS_SCOPE
    assert members_request.url == MEMBERSHIPS
    assert members_request.headers["Authorization"] == f"Bearer {fake.tokens_issued[0]}"

    context.refresh_from_db()
    cohort = context.cohort
    assert cohort.course == course and cohort.name == "Cross-border E-commerce"
    teacher = _user("teacher-7")
    assert cohort.teacher == teacher
    assert Membership.objects.filter(user=teacher, organization=school, role="teacher").exists()
    assert not Enrollment.objects.filter(student=teacher).exists()  # instructors teach
    for sub in ("s-1", "s-2"):
        enrolment = _enrolment(sub, course)
        assert enrolment.is_active and enrolment.cohort == cohort
        assert Membership.objects.filter(user=enrolment.student, role="student").exists()
    assert _user("s-1").profile.name_native == "王芳"
    assert _user("s-2").email == "chen@students.example.edu"
    assert not UserLink.objects.filter(sub="gone").exists()
    assert not Enrollment.objects.filter(student=_user("ta")).exists()
    report = context.roster_report
    assert report["members"] == 4 and report["accounts_created"] == 4
    assert report["instructors"] == 1 and report["problems"] == []
    assert context.roster_synced_at is not None and context.roster_error == ""


def test_the_launching_learner_joins_the_cohort_and_a_second_sync_changes_nothing(
    fake, context, course, teacher
):
    fake.member("teacher-7", INSTRUCTOR)
    fake.member("moodle-user-42")  # launched already: enrolled in the course, in no class
    assert _enrolment("moodle-user-42", course).cohort is None
    roster.roster_sync(context_id=context.pk)
    cohort = Context.objects.get().cohort
    assert _enrolment("moodle-user-42", course).cohort == cohort

    users, enrolments = get_user_model().objects.count(), Enrollment.objects.count()
    report = roster.roster_sync(context_id=context.pk)
    assert (report.enrolled, report.already_enrolled, report.accounts_created) == (0, 1, 0)
    assert get_user_model().objects.count() == users
    assert Enrollment.objects.count() == enrolments
    assert Cohort.objects.count() == 1


def test_a_member_who_left_is_withdrawn_not_deleted(fake, context, course, student):
    fake.member("teacher-7", INSTRUCTOR)
    fake.member("s-1")
    leaver = fake.member("s-2")
    roster.roster_sync(context_id=context.pk)
    cohort = Context.objects.get().cohort
    # Someone the school enrolled in that class by hand is not the platform's to remove.
    Enrollment.objects.create(student=student, course=course, cohort=cohort)

    fake.members.remove(leaver)
    fake.member("s-1-dup-check", status="Deleted")
    report = roster.roster_sync(context_id=context.pk)

    assert report.withdrawn == 1
    gone = _enrolment("s-2", course)
    assert gone.status == Enrollment.Status.WITHDRAWN and gone.withdrawn_at is not None
    assert gone.student.is_active and UserLink.objects.filter(sub="s-2").exists()
    assert _enrolment("s-1", course).is_active
    assert Enrollment.objects.get(student=student).is_active
    # Back on the roster: enrolled again.
    fake.members.append(leaver)
    assert roster.roster_sync(context_id=context.pk).enrolled == 1
    assert _enrolment("s-2", course).is_active


def test_a_deleted_status_withdraws_like_leaving(fake, context, course):
    fake.member("teacher-7", INSTRUCTOR)
    member = fake.member("s-1")
    roster.roster_sync(context_id=context.pk)
    member["status"] = "Deleted"
    assert roster.roster_sync(context_id=context.pk).withdrawn == 1
    assert not _enrolment("s-1", course).is_active


@pytest.mark.parametrize("relative", [False, True])
def test_the_roster_is_read_page_by_page_through_link_headers(fake, context, relative):
    fake.members_page_size, fake.relative_links = 2, relative
    fake.member("teacher-7", INSTRUCTOR)
    for n in range(4):
        fake.member(f"s-{n}")
    report = roster.roster_sync(context_id=context.pk)
    pages = [r.url for r in fake.requests if r.url.startswith(MEMBERSHIPS)]
    assert pages == [MEMBERSHIPS, MEMBERSHIPS + "?page=2", MEMBERSHIPS + "?page=3"]
    assert report.members == 5 and report.enrolled == 4


def test_a_next_page_on_another_site_is_not_followed(fake, context, monkeypatch):
    fake.member("teacher-7", INSTRUCTOR)

    def elsewhere(method, url, **kwargs):
        answer = fake.transport(method, url, **kwargs)
        if url.startswith(MEMBERSHIPS):
            return Response(200, answer.body, {"Link": '<https://evil.example/m>; rel="next"'})
        return answer

    monkeypatch.setattr("lti.outbound.default_transport", elsewhere)
    with pytest.raises(roster.RosterError, match="another site"):
        roster.roster_sync(context_id=context.pk)
    assert not any("evil" in r.url for r in fake.requests)


def test_without_an_instructor_who_may_teach_the_admin_chooses_the_cohort(
    fake, enterprise, course, teacher
):
    # An enterprise's platform: its instructors cannot be teachers (an enterprise has none).
    platform = Platform.objects.create(
        name="Enterprise LMS",
        issuer="https://lms.enterprise.example",
        client_id=fake.client_id,
        auth_login_url="https://lms.enterprise.example/auth",
        auth_token_url=TOKEN_URL,
        jwks_url="https://lms.enterprise.example/jwks",
        organization=enterprise,
    )
    context = Context.objects.create(
        platform=platform, context_id="2", memberships_url=MEMBERSHIPS, course=course
    )
    fake.member("boss", INSTRUCTOR)
    fake.member("trainee")

    assert tasks.roster_sync(context.pk).startswith("error: No instructor on the roster")
    context.refresh_from_db()
    assert "choose a cohort" in context.roster_error
    assert not Enrollment.objects.exists() and not Cohort.objects.exists()
    assert not Membership.objects.filter(user__lti_links__sub="boss", role="teacher").exists()

    context.cohort = factories.cohort(course, teacher=teacher, name="Enterprise class")
    context.save()
    report = roster.roster_sync(context_id=context.pk)
    assert report.enrolled == 1 and _enrolment("trainee", course).cohort == context.cohort
    assert Context.objects.get().roster_error == ""


def test_a_full_class_is_reported_and_the_others_still_join(fake, context, course, teacher):
    context.cohort = factories.cohort(course, teacher=teacher, capacity=1)
    context.save()
    fake.member("s-1")
    fake.member("s-2", name="Second Learner")
    report = roster.roster_sync(context_id=context.pk)
    assert report.enrolled == 1
    assert len(report.problems) == 1 and "is full" in report.problems[0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"course": None}, "not linked to a CBEC Academy course"),
        ({"memberships_url": ""}, "offers no roster service"),
    ],
)
def test_a_sync_that_cannot_run_says_why(fake, context, change, message):
    fake.member("s-1")
    Context.objects.filter(pk=context.pk).update(**change)
    with pytest.raises(roster.RosterError, match=message):
        roster.roster_sync(context_id=context.pk)
    assert message in Context.objects.get().roster_error
    assert not UserLink.objects.filter(sub="s-1").exists()


def test_a_failing_roster_service_is_recorded_and_changes_nothing(fake, context):
    fake.members_status = 503
    fake.member("s-1")
    assert "503" in tasks.roster_sync(context.pk)
    assert "503" in Context.objects.get().roster_error
    assert not UserLink.objects.filter(sub="s-1").exists()


def test_staff_sync_a_roster_from_the_admin(fake, context, course, admin_client):
    fake.member("teacher-7", INSTRUCTOR)
    fake.member("s-1")
    changelist = reverse("admin:lti_context_changelist")
    response = admin_client.post(
        changelist, {"action": "sync_roster", "_selected_action": [context.pk]}
    )
    assert response.status_code == 302
    assert _enrolment("s-1", course).cohort == Context.objects.get().cohort
    page = admin_client.get(changelist).content.decode()
    assert "2 members: 1 enrolled, 0 withdrawn, 0 problems" in page


def test_only_staff_reach_the_sync_action(context, teacher):
    client = Client()
    client.force_login(teacher)
    response = client.get(reverse("admin:lti_context_changelist"))
    assert response.status_code == 302  # to the admin login
