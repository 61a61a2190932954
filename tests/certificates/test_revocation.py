"""Revoking, suspending and reinstating certificates, and who may change a certificate's status."""

import pytest
from django.contrib.auth.models import AnonymousUser

from certificates import access, status_list, verification
from certificates.models import Certificate
from certificates.revocation import (
    StatusChangeError,
    certificate_reinstate,
    certificate_revoke,
    certificate_suspend,
)
from tests import factories


def test_revoking_records_reason_note_date_and_who(certificate, teacher):
    certificate_revoke(certificate=certificate, reason="misconduct", by=teacher, note="Cheated")

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revocation_reason == "misconduct"
    assert certificate.status_note == "Cheated"
    assert certificate.status_changed_by == teacher
    assert certificate.status_changed_at is not None
    assert certificate.public_status() == "revoked"


def test_the_callers_instance_sees_the_change(certificate, teacher):
    returned = certificate_revoke(certificate=certificate, reason="error", by=teacher)

    assert returned is certificate
    assert certificate.status == Certificate.Status.REVOKED


def test_a_system_revocation_has_no_author(certificate):
    certificate_revoke(certificate=certificate, reason="regraded", by=None)

    certificate.refresh_from_db()
    assert certificate.status_changed_by is None


def test_a_revocation_needs_a_listed_reason(certificate, teacher):
    with pytest.raises(StatusChangeError):
        certificate_revoke(certificate=certificate, reason="whim", by=teacher)

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_a_suspension_is_lifted_by_reinstatement(certificate, teacher):
    certificate_suspend(certificate=certificate, by=teacher, note="Looking into it")
    assert certificate.public_status() == "suspended"

    certificate_reinstate(certificate=certificate, by=teacher, note="All clear")

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    assert certificate.revocation_reason == ""
    assert certificate.status_note == "All clear"


def test_a_suspended_certificate_can_be_revoked(certificate, teacher):
    certificate_suspend(certificate=certificate, by=teacher)

    certificate_revoke(certificate=certificate, reason="fraud", by=teacher)

    assert certificate.status == Certificate.Status.REVOKED


def test_a_revoked_certificate_cannot_be_reinstated_or_suspended(certificate, teacher):
    certificate_revoke(certificate=certificate, reason="fraud", by=teacher)

    with pytest.raises(StatusChangeError):
        certificate_reinstate(certificate=certificate, by=teacher)
    with pytest.raises(StatusChangeError):
        certificate_suspend(certificate=certificate, by=teacher)
    with pytest.raises(StatusChangeError):
        certificate_revoke(certificate=certificate, reason="fraud", by=teacher)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED


def test_a_revocation_bit_once_set_is_never_cleared(certificate, teacher):
    certificate_suspend(certificate=certificate, by=teacher)
    certificate_revoke(certificate=certificate, reason="fraud", by=teacher)

    for change in (certificate_reinstate, certificate_suspend):
        with pytest.raises(StatusChangeError):
            change(certificate=certificate, by=teacher)
        assert certificate.status_list_index in status_list.set_indices("revocation")
    assert certificate.status_list_index not in status_list.set_indices("suspension")


def test_suspension_and_reinstatement_never_touch_the_revocation_list(certificate, teacher):
    certificate_suspend(certificate=certificate, by=teacher)
    assert status_list.set_indices("suspension") == [certificate.status_list_index]
    assert status_list.set_indices("revocation") == []

    certificate_reinstate(certificate=certificate, by=teacher)

    assert status_list.set_indices("suspension") == []
    assert status_list.set_indices("revocation") == []


def test_an_old_certificates_suspension_still_shows_on_the_platform(make_certificate, teacher):
    # Its credential names no suspension list, so only the platform's own answers carry it.
    old = make_certificate(legacy=True)

    certificate_suspend(certificate=old, by=teacher)

    old.refresh_from_db()
    assert verification.answer(old)["status"] == "suspended"
    assert old.status_list_index not in status_list.set_indices("revocation")


def test_a_valid_certificate_cannot_be_reinstated(certificate, teacher):
    with pytest.raises(StatusChangeError):
        certificate_reinstate(certificate=certificate, by=teacher)


def test_a_stale_instance_does_not_undo_a_concurrent_revocation(certificate, teacher):
    stale = Certificate.objects.get(pk=certificate.pk)
    certificate_revoke(certificate=certificate, reason="fraud", by=teacher)

    # The service reads the row under lock, not the caller's copy.
    with pytest.raises(StatusChangeError):
        certificate_suspend(certificate=stale, by=teacher)


# Who may change a certificate's status


@pytest.mark.parametrize("persona", ["teacher", "school_admin", "platform_admin"])
def test_the_issuing_school_and_platform_admins_may_change_status(certificate, request, persona):
    assert access.can_change_status(request.getfixturevalue(persona), certificate)


@pytest.mark.parametrize(
    "persona", ["student", "other_student", "mentor", "verifier", "regulator", "outsider"]
)
def test_no_one_else_may_change_status(certificate, request, persona):
    assert not access.can_change_status(request.getfixturevalue(persona), certificate)


def test_anonymous_may_not_change_status(certificate):
    assert not access.can_change_status(AnonymousUser(), certificate)


def test_an_inactive_membership_does_not_count(certificate, teacher):
    teacher.memberships.update(is_active=False)
    teacher.__dict__.pop("_cbec_role_cache", None)

    assert not access.can_change_status(teacher, certificate)


@pytest.mark.parametrize("persona", ["student", "teacher", "school_admin", "platform_admin"])
def test_the_holder_and_school_staff_may_download(certificate, request, persona):
    assert access.can_download(request.getfixturevalue(persona), certificate)


@pytest.mark.parametrize("persona", ["other_student", "mentor", "verifier", "outsider"])
def test_no_one_else_may_download(certificate, request, persona):
    assert not access.can_download(request.getfixturevalue(persona), certificate)


def test_anonymous_may_not_download(certificate):
    assert not access.can_download(AnonymousUser(), certificate)


def test_a_teacher_of_another_school_may_not_download(certificate):
    other = factories.organization(kind="school", code="other-school")

    assert not access.can_download(factories.person("t2", other, "teacher"), certificate)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("verifier", True), ("platform_admin", True), ("student", False), ("regulator", False)],
)
def test_only_verifiers_verify_in_bulk_without_a_key(request, persona, allowed):
    assert access.can_verify_in_bulk(request.getfixturevalue(persona)) is allowed
