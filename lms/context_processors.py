"""What the site's navigation needs to know about the visitor."""

from exams.access import is_exam_staff


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show_teaching": False}
    return {"show_teaching": is_exam_staff(user)}
