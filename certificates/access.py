"""Who may do what with a certificate: the one place views, API and admin ask."""

from organizations.access import Role, has_role, is_platform_admin

from .models import Certificate


def can_change_status(user, certificate: Certificate) -> bool:
    """Teachers and admins of the issuing school (or a platform admin) change its status."""
    if not user.is_authenticated:
        return False
    return is_platform_admin(user) or has_role(
        user, certificate.school_id, Role.TEACHER, Role.ADMIN
    )


def can_download(user, certificate: Certificate) -> bool:
    """The holder, and staff of the issuing school, download the PDF and the credential."""
    if not user.is_authenticated:
        return False
    return certificate.holder_id == user.pk or can_change_status(user, certificate)


def can_verify_in_bulk(user) -> bool:
    """A logged-in verifier (or a platform admin) may use bulk verification without an API key."""
    return user.is_authenticated and (
        is_platform_admin(user) or has_role(user, None, Role.VERIFIER)
    )


def can_preview_template(user) -> bool:
    """Staff who design or issue certificates see the template filled with sample data."""
    return user.is_authenticated and (
        user.is_staff or is_platform_admin(user) or has_role(user, None, Role.TEACHER, Role.ADMIN)
    )


def can_issue_batch(user, exam) -> bool:
    """Authors of a skill-level exam issue its passed candidates' certificates in one go."""
    from exams.access import can_author_exam

    return exam.skill_level_id is not None and can_author_exam(user, exam)


def can_follow_batch(user, batch) -> bool:
    """Who may issue for the batch's exam (or a platform admin) follows its progress."""
    if is_platform_admin(user):
        return True
    return batch.exam is not None and can_issue_batch(user, batch.exam)
