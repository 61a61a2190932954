"""The profile page: names, language, account links; name change requests decided by the
person's school's administrators (organizations.profile)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from organizations import profile as profiles
from organizations.models import AuditEntry, NameChangeRequest, Profile
from tests import factories

URL = "/accounts/profile/"
QUEUE = "/organizations/name-changes/"


@pytest.fixture(autouse=True)
def _language_back():
    yield
    translation.deactivate()


@pytest.fixture
def trainee(db):
    """A social trainee: signed up alone, no school, no certificate."""
    return factories.person("trainee", None, None, name_native="王芳", name_latin="Wang Fang")


@pytest.fixture
def school_admin(school):
    return factories.person("registrar", school, "admin")


@pytest.fixture
def other_admin(db):
    elsewhere = factories.organization(kind="school", code="elsewhere-school")
    return factories.person("other-registrar", elsewhere, "admin")


def ask(client, user, **fields):
    client.force_login(user)
    data = {
        "action": "request",
        "name_native": "张伟明",
        "name_latin": "Zhang Weiming",
        "reason": "Name changed by the police registry.",
        "evidence": "New ID card",
        **fields,
    }
    return client.post(URL, data)


def decide_url(change) -> str:
    return reverse("organizations:name_change_decide", args=[change.pk])


def test_the_page_shows_names_email_language_and_account_links(client, student):
    client.force_login(student)
    response = client.get(URL)
    assert response.status_code == 200
    text = response.text
    assert "张伟" in text and "Zhang Wei" in text and "student@example.org" in text
    for name in ["account_email", "account_change_password", "mfa_index", "usersessions_list"]:
        assert f'href="{reverse(name)}"' in text
    # A student asks; they cannot edit directly.
    assert response.context["may_edit"] is False
    assert 'name="reason"' in text


def test_the_header_and_the_account_pages_link_the_profile(client, student):
    client.force_login(student)
    assert f'href="{URL}"' in client.get(reverse("account_email")).text
    assert f'href="{URL}"' in client.get(reverse("landing")).text


def test_a_social_trainee_edits_their_names_directly(client, trainee):
    client.force_login(trainee)
    assert client.get(URL).context["may_edit"] is True
    response = client.post(
        URL, {"action": "names", "name_native": "王芳芳", "name_latin": "Wang Fangfang"}
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=trainee)
    assert (profile.name_native, profile.name_latin) == ("王芳芳", "Wang Fangfang")
    assert not NameChangeRequest.objects.exists()


def test_a_latin_name_in_other_letters_is_refused(client, trainee):
    client.force_login(trainee)
    response = client.post(URL, {"action": "names", "name_native": "王芳", "name_latin": "王芳"})
    assert response.status_code == 400
    assert "Use Latin letters only" in response.text
    assert Profile.objects.get(user=trainee).name_latin == "Wang Fang"


def test_a_student_cannot_edit_directly(client, student):
    client.force_login(student)
    response = client.post(
        URL, {"action": "names", "name_native": "张三", "name_latin": "Zhang San"}
    )
    assert response.status_code == 403
    assert Profile.objects.get(user=student).name_latin == "Zhang Wei"


def test_language_updates_the_profile_and_the_session_language(client, student):
    client.force_login(student)
    Profile.objects.filter(user=student).update(preferred_language="en")
    response = client.post(URL, {"action": "language", "preferred_language": "zh-hans"})
    assert response.status_code == 302
    assert Profile.objects.get(user=student).preferred_language == "zh-hans"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    page = client.get(URL).text
    assert '<html lang="zh-hans">' in page and "个人资料" in page and "你的姓名" in page


def test_a_request_is_approved_by_the_school_admin_with_an_audit_entry(
    client, student, school, school_admin
):
    assert ask(client, student).status_code == 302
    change = NameChangeRequest.objects.get(user=student)
    assert change.status == "pending"
    assert (change.old_name_native, change.old_name_latin) == ("张伟", "Zhang Wei")
    # Names unchanged until approved; a second request waits for the first.
    assert Profile.objects.get(user=student).name_latin == "Zhang Wei"
    again = ask(client, student)
    assert again.status_code == 400 and "already have a request waiting" in again.text
    assert NameChangeRequest.objects.filter(user=student).count() == 1

    client.force_login(school_admin)
    queue = client.get(QUEUE)
    assert queue.status_code == 200 and "Zhang Weiming" in queue.text
    assert f'href="{QUEUE}"' in client.get(reverse("landing")).text
    response = client.post(decide_url(change), {"decision": "approve", "note": "ID seen"})
    assert response.status_code == 302

    profile = Profile.objects.get(user=student)
    assert (profile.name_native, profile.name_latin) == ("张伟明", "Zhang Weiming")
    change.refresh_from_db()
    assert (change.status, change.decided_by, change.decision_note) == (
        "approved",
        school_admin,
        "ID seen",
    )
    entry = AuditEntry.objects.get(action=AuditEntry.Action.NAME_CHANGED)
    assert entry.actor == school_admin and entry.organization_id == school.pk
    assert entry.object_id == str(profile.pk)
    assert entry.before == {"name_native": "张伟", "name_latin": "Zhang Wei"}
    assert entry.after == {"name_native": "张伟明", "name_latin": "Zhang Weiming"}
    # Decided once: a second decision changes nothing.
    client.post(decide_url(change), {"decision": "reject"})
    change.refresh_from_db()
    assert change.status == "approved"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.NAME_CHANGED).count() == 1


def test_a_rejected_request_changes_no_name(client, student, school_admin):
    ask(client, student)
    change = NameChangeRequest.objects.get()
    client.force_login(school_admin)
    client.post(decide_url(change), {"decision": "reject", "note": "Bring the ID card"})
    change.refresh_from_db()
    assert change.status == "rejected"
    assert Profile.objects.get(user=student).name_latin == "Zhang Wei"
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.NAME_CHANGED).exists()
    client.force_login(student)
    assert "Bring the ID card" in client.get(URL).text


@pytest.mark.parametrize("who", ["other_admin", "teacher", "other_student"])
def test_others_cannot_see_or_decide(client, request, student, who):
    ask(client, student)
    change = NameChangeRequest.objects.get()
    client.force_login(request.getfixturevalue(who))
    queue = client.get(QUEUE)
    response = client.post(decide_url(change), {"decision": "approve"})
    if who == "other_admin":
        assert queue.status_code == 200 and "Zhang Weiming" not in queue.text
        assert response.status_code == 404
    else:
        assert queue.status_code == 403
        assert response.status_code == 403
    change.refresh_from_db()
    assert change.status == "pending"
    assert Profile.objects.get(user=student).name_latin == "Zhang Wei"


def test_a_request_can_be_withdrawn(client, student):
    ask(client, student)
    change = NameChangeRequest.objects.get()
    client.post(URL, {"action": "withdraw", "request": change.pk})
    change.refresh_from_db()
    assert change.status == "withdrawn"


def test_a_request_needs_a_reason_and_latin_letters(client, student):
    response = ask(client, student, reason="  ", name_latin="张")
    assert response.status_code == 400
    assert not NameChangeRequest.objects.exists()


def test_the_service_refuses_an_unchanged_name(student):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        profiles.request_name_change(
            student, name_native="张伟", name_latin="Zhang Wei", reason="none"
        )


def test_requests_are_in_the_data_download_and_go_with_erasure(student):
    from privacy.erasure import person_erase
    from privacy.export import collect

    profiles.request_name_change(
        student, name_native="张伟明", name_latin="Zhang Weiming", reason="Registry"
    )
    data, _files = collect(student)
    assert [(r["name_latin"], r["status"]) for r in data["name_change_requests"]] == [
        ("Zhang Weiming", "pending")
    ]
    person_erase(user=student)
    assert not NameChangeRequest.objects.exists()


def test_an_administrator_does_not_decide_their_own_request(client, school, school_admin):
    from organizations.services import membership_grant

    membership_grant(user=school_admin, organization=school, role="student")
    change = profiles.request_name_change(
        school_admin, name_native="校长", name_latin="Head Teacher", reason="Mine"
    )
    client.force_login(school_admin)
    assert client.get(QUEUE).context["page"].paginator.count == 0
    assert client.post(decide_url(change), {"decision": "approve"}).status_code == 404
    change.refresh_from_db()
    assert change.status == "pending"


def test_the_person_is_notified_of_the_decision_in_their_language(
    client, student, other_student, school_admin, django_capture_on_commit_callbacks
):
    from django.core import mail

    from organizations.models import Notification
    from organizations.notifications import Kind, render

    ask(client, student)
    client.force_login(school_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            decide_url(NameChangeRequest.objects.get()), {"decision": "approve", "note": "ID seen"}
        )
    [entry] = Notification.objects.filter(user=student)
    assert (entry.kind, entry.url) == (Kind.NAME_CHANGE_DECIDED, URL)
    assert render(entry.kind, entry.params, "en") == (
        "Name change request approved",
        "Your school has approved your request to change your names to 张伟明 (Zhang Weiming)."
        " Note: ID seen",
    )
    # The email is in the student's profile language (Chinese by default).
    [email] = mail.outbox
    assert email.to == [student.email]
    assert email.subject == "姓名变更申请已批准"
    assert "张伟明 (Zhang Weiming)" in email.body and "备注：ID seen" in email.body

    # A rejection without a note says so, and nobody else hears of either decision.
    mail.outbox.clear()
    ask(client, other_student, name_latin="Li Leilei")
    client.force_login(school_admin)
    change = NameChangeRequest.objects.get(user=other_student)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(decide_url(change), {"decision": "reject"})
    [entry] = Notification.objects.filter(user=other_student)
    title, body = render(entry.kind, entry.params, "en")
    assert title == "Name change request rejected" and body.endswith("(Li Leilei).")
    assert [m.to for m in mail.outbox] == [[other_student.email]]
    assert not Notification.objects.filter(user=school_admin).exists()
