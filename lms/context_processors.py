"""What the site's navigation needs to know about the visitor."""

from allauth.account.adapter import get_adapter

from certificates.bulk_verification import can_bulk_verify
from exams.access import can_manage_standards_any, is_exam_staff
from organizations.audit import can_view_audit
from organizations.notifications import unread_count
from reports.access import can_view_statistics

from .workspace import is_student


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "show_teaching": False,
            "show_standards": False,
            "show_student": False,
            "show_bulk_verify": False,
            "show_statistics": False,
            "show_audit": False,
            # "Sign up" links only while the site takes sign-ups (ACCOUNT_SIGNUP_ENABLED,
            # through the account adapter, as allauth's own sign-up view decides).
            "signup_open": get_adapter(request).is_open_for_signup(request),
        }
    # Roles are cached per request user (organizations.access): no query per page.
    return {
        # The student menu (my learning, exams, certificates) is for students only.
        "show_student": is_student(user),
        "show_teaching": is_exam_staff(user),
        "show_standards": can_manage_standards_any(user),
        # Enterprise verifiers and administrators verify lists of candidates.
        "show_bulk_verify": can_bulk_verify(user),
        # Regulators, school staff and enterprise administrators read the statistics.
        "show_statistics": can_view_statistics(user),
        # Organisation administrators and regulators read their slice of the audit trail.
        "show_audit": can_view_audit(user),
        # The inbox link's badge: one COUNT on a partial index of unread entries.
        "unread_notifications": unread_count(user),
    }
