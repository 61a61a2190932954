"""What the site's navigation needs to know about the visitor."""

from exams.access import can_manage_standards_any, is_exam_staff


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show_teaching": False, "show_standards": False}
    return {
        "show_teaching": is_exam_staff(user),
        "show_standards": can_manage_standards_any(user),
    }
