"""A school's administrators run its LTI platforms on the site's pages (not Django admin)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

import lti.tasks
from exams import services as exam_services
from lti import platform_views, platforms
from lti.models import Context, Deployment, GradeSubmission, Platform, ResourceLink
from organizations.models import AuditEntry
from tests import factories

from .conftest import launch, login_initiation
from .platform import AUTH_URL, INSTRUCTOR, JWKS_URL, TOKEN_URL
from .test_grades import _launched_learner, _sit

pytestmark = pytest.mark.django_db

PAGE = "/lti/platforms/"


def _entries():
    return AuditEntry.objects.filter(action__startswith="lti_platform.").order_by("pk")


@pytest.fixture
def school_admin(school):
    return factories.person("school_admin", school, "admin")


@pytest.fixture
def admin(client, school_admin):
    client.force_login(school_admin)
    return client


@pytest.fixture
def other_admin(db):
    other = factories.organization(kind="school", code="other-school")
    user = factories.person("other_admin", other, "admin")
    client = Client()
    client.force_login(user)
    return client


def _data(**changes):
    return {
        "name": "Moodle of the school",
        "issuer": "https://moodle.school.example",
        "client_id": "abc-123",
        "auth_login_url": "https://moodle.school.example/mod/lti/auth.php",
        "auth_token_url": "https://moodle.school.example/mod/lti/token.php",
        "auth_audience": "",
        "jwks_url": "https://moodle.school.example/mod/lti/certs.php",
        "deployment_ids": "1\n 7 \n\n",
        "is_active": "on",
        **changes,
    }


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_pages_have_their_agreed_names(registered):
    assert reverse("lti:platforms") == PAGE
    assert reverse("lti:platform", args=[registered.pk]) == f"{PAGE}{registered.pk}/"


def test_anonymous_people_are_sent_to_log_in(client, registered):
    for url in (PAGE, f"{PAGE}new/", f"{PAGE}{registered.pk}/", f"{PAGE}{registered.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


@pytest.mark.parametrize("who", ["student", "teacher"])
def test_students_and_teachers_are_refused(client, registered, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}new/").status_code == 403
    assert client.get(f"{PAGE}{registered.pk}/").status_code == 404
    response = client.post(f"{PAGE}{registered.pk}/active/", {"active": "0"})
    assert response.status_code == 404
    assert Platform.objects.get().is_active


def test_another_schools_admin_neither_sees_nor_changes_the_platform(other_admin, registered):
    listing = other_admin.get(PAGE)
    assert listing.status_code == 200
    assert registered.issuer not in listing.content.decode()
    for suffix in ("", "edit/"):
        assert other_admin.get(f"{PAGE}{registered.pk}/{suffix}").status_code == 404
    assert other_admin.post(f"{PAGE}{registered.pk}/edit/", _data()).status_code == 404
    assert other_admin.post(f"{PAGE}{registered.pk}/active/", {"active": "0"}).status_code == 404
    # ?org= names only an organisation the person manages.
    assert other_admin.get(f"{PAGE}?org={registered.organization.code}").status_code == 403
    registered.refresh_from_db()
    assert registered.name == "Moodle (test)" and registered.is_active


def test_the_list_shows_the_platforms_and_what_to_paste(admin, registered, fake):
    launch(Client(), fake)  # sets the last launch
    page = admin.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Moodle (test)" in html and registered.issuer in html and registered.client_id in html
    assert "http://testserver/lti/login/" in html
    assert "http://testserver/lti/launch/" in html
    assert "http://testserver/lti/jwks.json" in html
    (platform,) = page.context["platforms"]
    assert platform.last_launch_at is not None
    assert [d.deployment_id for d in platform.deployments.all()] == ["1"]


def test_an_admin_registers_a_platform_with_its_deployments(admin, school, school_admin):
    response = admin.post(f"{PAGE}new/", _data())
    platform = Platform.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{PAGE}{platform.pk}/"
    assert platform.organization == school and platform.is_active
    assert platform.client_id == "abc-123"
    assert sorted(platform.deployments.values_list("deployment_id", flat=True)) == ["1", "7"]
    entry = _entries().get()
    assert entry.action == AuditEntry.Action.LTI_PLATFORM_CREATED
    assert entry.actor == school_admin and entry.organization_id == school.pk
    assert entry.after["deployments"] == ["1", "7"]


def test_the_organisation_cannot_be_chosen_through_the_form(admin, school):
    other = factories.organization(kind="school", code="elsewhere")
    admin.post(f"{PAGE}new/", _data(organization=other.pk))
    assert Platform.objects.get().organization == school
    assert admin.post(f"{PAGE}new/", {**_data(), "org": other.code}).status_code == 403


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"jwks_url": "not a url"}, "jwks_url", "Enter a valid URL."),
        ({"deployment_ids": "1\n2\n1"}, "deployment_ids", "The deployment id 1 is listed twice."),
        ({"deployment_ids": " \n"}, "deployment_ids", "This field is required."),
        ({"deployment_ids": "x" * 256}, "deployment_ids", "at most 255 characters"),
        ({"deployment_ids": "1 | " + "n" * 201}, "deployment_ids", "at most 200 characters"),
        ({"deployment_ids": "1\n | Business"}, "deployment_ids", "“| Business” does not"),
        ({"deployment_ids": "1 | A\n1 | B"}, "deployment_ids", "The deployment id 1 is listed"),
    ],
)
def test_invalid_registrations_say_why_and_save_nothing(admin, changes, field, message):
    response = admin.post(f"{PAGE}new/", _data(**changes))
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not Platform.objects.exists() and not _entries().exists()


def test_an_issuer_and_client_id_are_registered_once(admin, registered):
    response = admin.post(
        f"{PAGE}new/", _data(issuer=registered.issuer, client_id=registered.client_id)
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert Platform.objects.count() == 1


def test_an_admin_edits_the_platform_and_its_deployments(admin, registered, school_admin):
    Deployment.objects.create(platform=registered, deployment_id="old", is_active=False)
    form = admin.get(f"{PAGE}{registered.pk}/edit/")
    assert form.context["form"]["deployment_ids"].value() == "1"
    response = admin.post(
        f"{PAGE}{registered.pk}/edit/",
        _data(
            name="Moodle",
            issuer=registered.issuer,
            client_id=registered.client_id,
            auth_login_url=AUTH_URL,
            auth_token_url=TOKEN_URL,
            jwks_url=JWKS_URL,
            deployment_ids="old\nnew",
        ),
    )
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.name == "Moodle"
    deployments = dict(registered.deployments.values_list("deployment_id", "is_active"))
    assert deployments == {"1": False, "old": True, "new": True}  # none deleted
    entry = _entries().get()
    assert entry.action == AuditEntry.Action.LTI_PLATFORM_CHANGED and entry.actor == school_admin
    assert entry.before["name"] == "Moodle (test)" and entry.before["deployments"] == ["1"]
    assert entry.after["name"] == "Moodle" and entry.after["deployments"] == ["old", "new"]


def test_an_admin_names_the_deployments_and_the_platform_page_shows_the_names(
    admin, registered, school_admin
):
    Deployment.objects.create(
        platform=registered, deployment_id="old", name="Gone", is_active=False
    )
    fields = {
        "name": registered.name,
        "issuer": registered.issuer,
        "client_id": registered.client_id,
        "auth_login_url": AUTH_URL,
        "auth_token_url": TOKEN_URL,
        "jwks_url": JWKS_URL,
    }
    response = admin.post(
        f"{PAGE}{registered.pk}/edit/",
        _data(**fields, deployment_ids="1 | Moodle – Business School \n 2 |\nold|Law School"),
    )
    assert response.status_code == 302
    names = dict(registered.deployments.values_list("deployment_id", "name"))
    assert names == {"1": "Moodle – Business School", "2": "", "old": "Law School"}
    assert registered.deployments.filter(is_active=False).count() == 0
    entry = _entries().get()
    assert entry.action == AuditEntry.Action.LTI_PLATFORM_CHANGED and entry.actor == school_admin
    assert entry.before["deployment_names"] == {"1": ""}
    assert entry.after["deployments"] == ["1", "old", "2"]  # in the order added
    assert entry.after["deployment_names"] == {
        "1": "Moodle – Business School",
        "2": "",
        "old": "Law School",
    }
    # The form shows each name beside its id; the platform's page shows them too.
    form = admin.get(f"{PAGE}{registered.pk}/edit/")
    assert form.context["form"]["deployment_ids"].value() == (
        "1 | Moodle – Business School\nold | Law School\n2"
    )
    detail = admin.get(f"{PAGE}{registered.pk}/").content.decode()
    assert '<span class="deployment-name">Moodle – Business School</span>' in detail
    assert '<span class="deployment-name">Law School</span>' in detail
    # Renaming alone is a change, audited; saving it unchanged records nothing.
    admin.post(
        f"{PAGE}{registered.pk}/edit/",
        _data(**fields, deployment_ids="1 | Business School\n2\nold | Law School"),
    )
    assert registered.deployments.get(deployment_id="1").name == "Business School"
    assert _entries().count() == 2
    assert _entries().last().after["deployment_names"]["1"] == "Business School"
    admin.post(
        f"{PAGE}{registered.pk}/edit/",
        _data(**fields, deployment_ids="1 | Business School\n2\nold | Law School"),
    )
    assert _entries().count() == 2


def test_a_bad_deployment_name_changes_nothing(admin, registered):
    Deployment.objects.filter(platform=registered).update(name="Business School")
    response = admin.post(
        f"{PAGE}{registered.pk}/edit/",
        _data(
            name="Renamed",
            issuer=registered.issuer,
            client_id=registered.client_id,
            deployment_ids="1 | " + "n" * 201 + "\n2 | New",
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["deployment_ids"]
    assert errors == ["A deployment's name has at most 200 characters."]
    registered.refresh_from_db()
    assert registered.name == "Moodle (test)"
    assert list(registered.deployments.values_list("deployment_id", "name")) == [
        ("1", "Business School")
    ]
    assert not _entries().exists()


def test_deactivating_refuses_launches_and_activating_restores_them(admin, registered, fake):
    response = admin.post(f"{PAGE}{registered.pk}/active/", {"active": "0"})
    assert response.status_code == 302
    assert not Platform.objects.get().is_active
    refused = Client().post(
        "/lti/login/",
        {
            "iss": fake.issuer,
            "login_hint": "42",
            "client_id": fake.client_id,
            "target_link_uri": "https://tool.example/lti/launch/",
            "lti_deployment_id": "1",
        },
    )
    assert refused.status_code == 403
    admin.post(f"{PAGE}{registered.pk}/active/", {"active": "1"})
    assert Platform.objects.get().is_active
    login_initiation(Client(), fake)  # answered with the redirect to the platform again
    assert list(_entries().values_list("action", flat=True)) == [
        AuditEntry.Action.LTI_PLATFORM_DEACTIVATED,
        AuditEntry.Action.LTI_PLATFORM_ACTIVATED,
    ]
    assert admin.get(f"{PAGE}{registered.pk}/active/").status_code == 405


def test_the_roster_syncs_from_the_platform_page(admin, fake, registered, course):
    assert launch(Client(), fake, custom={"cbec_course": course.code}).status_code == 302
    context = Context.objects.get()
    fake.member("teacher-7", INSTRUCTOR)
    fake.member("s-1")
    page = admin.get(f"{PAGE}{registered.pk}/")
    assert "Cross-border E-commerce" in page.content.decode()
    response = admin.post(f"{PAGE}{registered.pk}/roster/", {"context": context.pk}, follow=True)
    summary = "2 members: 1 enrolled, 0 withdrawn, 0 problems"
    assert any(summary in m for m in _messages(response))
    context.refresh_from_db()
    assert context.cohort is not None and context.roster_synced_at is not None
    assert summary in response.content.decode()


def test_a_roster_that_cannot_sync_says_why(admin, fake, registered, course):
    launch(Client(), fake, custom={"cbec_course": course.code})
    fake.members_status = 503
    context = Context.objects.get()
    response = admin.post(f"{PAGE}{registered.pk}/roster/", {"context": context.pk}, follow=True)
    assert any("was not synced" in m and "503" in m for m in _messages(response))


def test_another_platforms_course_is_not_synced_here(admin, fake, registered, school):
    other = Platform.objects.create(
        name="Canvas",
        issuer="https://canvas.example",
        client_id="c",
        auth_login_url=AUTH_URL,
        jwks_url=JWKS_URL,
        organization=school,
    )
    context = Context.objects.create(platform=other, context_id="9", memberships_url=JWKS_URL)
    response = admin.post(f"{PAGE}{registered.pk}/roster/", {"context": context.pk})
    assert response.status_code == 404


def test_a_failed_score_is_sent_again_from_the_platform_page(
    admin, fake, registered, theory_exam, django_capture_on_commit_callbacks
):
    fake.score_status = 400
    user = _launched_learner(fake, theory_exam)
    with django_capture_on_commit_callbacks(execute=True):
        exam_services.attempt_submit(attempt=_sit(user, theory_exam))
    submission = GradeSubmission.objects.get()
    assert submission.status == GradeSubmission.Status.FAILED
    page = admin.get(f"{PAGE}{registered.pk}/")
    assert list(page.context["failed"]) == [submission]
    fake.score_status = 200
    response = admin.post(
        f"{PAGE}{registered.pk}/grades/", {"submission": submission.pk}, follow=True
    )
    assert "The score is sent." in _messages(response)
    submission.refresh_from_db()
    assert submission.status == GradeSubmission.Status.SENT and submission.tries == 1
    assert list(response.context["failed"]) == []
    # A score already sent is not offered again.
    again = admin.post(f"{PAGE}{registered.pk}/grades/", {"submission": submission.pk})
    assert again.status_code == 404


def _failed_scores(fake, theory_exam, registered, capture, count: int) -> list[GradeSubmission]:
    """`count` failed scores of the platform: one sent and refused, the rest on more
    placements of the same exam (an attempt's score goes to each placement once)."""
    fake.score_status = 400
    user = _launched_learner(fake, theory_exam)
    with capture(execute=True):
        exam_services.attempt_submit(attempt=_sit(user, theory_exam))
    first = GradeSubmission.objects.get()
    assert first.status == GradeSubmission.Status.FAILED
    others = [
        GradeSubmission.objects.create(
            attempt=first.attempt,
            resource_link=ResourceLink.objects.create(
                platform=registered, resource_link_id=f"more-{n}", exam=theory_exam
            ),
            status=GradeSubmission.Status.FAILED,
            tries=5,
            last_error="HTTP 503",
        )
        for n in range(count - 1)
    ]
    return [first, *others]


def _record_sends(monkeypatch) -> list[int]:
    """From now on, the ids handed to the sending task, recorded instead of sent."""
    ids = []
    monkeypatch.setattr(lti.tasks.grade_send, "delay", ids.append)
    return ids


def test_every_failed_score_of_the_platform_is_sent_again_at_once(
    admin, fake, registered, theory_exam, school, django_capture_on_commit_callbacks, monkeypatch
):
    mine = _failed_scores(fake, theory_exam, registered, django_capture_on_commit_callbacks, 3)
    queued = _record_sends(monkeypatch)
    # Not queued: a score already sent, and another platform's failed score.
    sent = mine.pop()
    GradeSubmission.objects.filter(pk=sent.pk).update(status=GradeSubmission.Status.SENT)
    canvas = Platform.objects.create(
        name="Canvas",
        issuer="https://canvas.example",
        client_id="c",
        auth_login_url=AUTH_URL,
        jwks_url=JWKS_URL,
        organization=school,
    )
    elsewhere = GradeSubmission.objects.create(
        attempt=sent.attempt,
        resource_link=ResourceLink.objects.create(
            platform=canvas, resource_link_id="c-1", exam=theory_exam
        ),
        status=GradeSubmission.Status.FAILED,
        tries=5,
    )
    page = admin.get(f"{PAGE}{registered.pk}/").content.decode()
    assert "2 scores are not delivered." in page and "Send all failed scores again" in page

    response = admin.post(f"{PAGE}{registered.pk}/grades/all/", follow=True)
    assert "2 failed scores are queued to be sent again." in _messages(response)
    assert sorted(queued) == sorted(s.pk for s in mine)
    for submission in mine:
        submission.refresh_from_db()
        assert submission.status == GradeSubmission.Status.PENDING and submission.tries == 0
    elsewhere.refresh_from_db()
    assert elsewhere.status == GradeSubmission.Status.FAILED and elsewhere.tries == 5
    assert GradeSubmission.objects.get(pk=sent.pk).status == GradeSubmission.Status.SENT

    # Again: only what failed again meanwhile is sent again.
    GradeSubmission.objects.filter(pk=mine[0].pk).update(status=GradeSubmission.Status.FAILED)
    queued.clear()
    again = admin.post(f"{PAGE}{registered.pk}/grades/all/", follow=True)
    assert "1 failed score is queued to be sent again." in _messages(again)
    assert queued == [mine[0].pk]
    queued.clear()
    none = admin.post(f"{PAGE}{registered.pk}/grades/all/", follow=True)
    assert "No failed score is waiting to be sent again." in _messages(none)
    assert queued == []
    assert admin.get(f"{PAGE}{registered.pk}/grades/all/").status_code == 405


def test_the_failed_scores_are_sent_for_real_and_the_page_empties(
    admin, fake, registered, theory_exam, django_capture_on_commit_callbacks
):
    (submission,) = _failed_scores(
        fake, theory_exam, registered, django_capture_on_commit_callbacks, 1
    )
    fake.score_status = 200
    response = admin.post(f"{PAGE}{registered.pk}/grades/all/", follow=True)
    assert "1 failed score is queued to be sent again." in _messages(response)
    submission.refresh_from_db()
    assert submission.status == GradeSubmission.Status.SENT
    assert response.context["failed"] == [] and response.context["failed_count"] == 0
    assert "Send all failed scores again" not in response.content.decode()


def test_a_long_list_of_failed_scores_says_how_many_in_all(
    admin, fake, registered, theory_exam, django_capture_on_commit_callbacks, monkeypatch
):
    _failed_scores(fake, theory_exam, registered, django_capture_on_commit_callbacks, 3)
    monkeypatch.setattr(platform_views, "FAILED_SHOWN", 2)
    page = admin.get(f"{PAGE}{registered.pk}/")
    assert len(page.context["failed"]) == 2 and page.context["failed_count"] == 3
    html = page.content.decode()
    assert "3 scores are not delivered." in html and "The newest 2 are listed below." in html


def test_another_schools_admin_cannot_send_the_scores_again(
    other_admin,
    student,
    fake,
    registered,
    theory_exam,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    (submission,) = _failed_scores(
        fake, theory_exam, registered, django_capture_on_commit_callbacks, 1
    )
    queued = _record_sends(monkeypatch)
    assert other_admin.post(f"{PAGE}{registered.pk}/grades/all/").status_code == 404
    learner = Client()
    learner.force_login(student)
    assert learner.post(f"{PAGE}{registered.pk}/grades/all/").status_code == 404
    # The service refuses them too, whatever page calls it.
    with pytest.raises(PermissionDenied):
        platforms.platform_grades_send_again(platform=registered, by=student)
    assert queued == []
    submission.refresh_from_db()
    assert submission.status == GradeSubmission.Status.FAILED


def test_the_workspace_links_the_page_for_administrators(admin, school):
    page = admin.get(reverse("landing")).content.decode()
    assert f'href="{PAGE}?org={school.code}"' in page


def test_the_pages_speak_chinese(admin, registered):
    listing = admin.get(PAGE, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "LTI 平台" in listing and "Platforms" not in listing
    form = admin.get(f"{PAGE}new/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "部署 ID" in form
    bad = admin.post(
        f"{PAGE}new/", _data(deployment_ids="1\n1"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "部署 ID 1 重复" in bad
    long_name = admin.post(
        f"{PAGE}new/", _data(deployment_ids="1 | " + "n" * 201), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "部署名称最多 200 个字符。" in long_name
    detail = admin.get(f"{PAGE}{registered.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "同步名册" in detail and "停用" in detail
