"""Who may open a cohort's gradebook: the one place views and exports ask."""

from courses.models import Cohort
from organizations.access import Role, has_role, is_platform_admin


def can_view_gradebook(user, cohort: Cohort) -> bool:
    """The cohort's teacher and mentor, and administrators of the course's school."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.pk in (cohort.teacher_id, cohort.mentor_id):
        return True
    return is_platform_admin(user) or has_role(user, cohort.course.school_id, Role.ADMIN)
