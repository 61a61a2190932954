"""Who may do what with courses: the one place views, API and admin ask."""

from organizations.access import Role, is_platform_admin, organization_ids
from organizations.models import Organization

from .models import Cohort, Course, Enrollment


def can_view_course(user, course: Course) -> bool:
    return course.is_published or can_author(user, course)


def author_school_ids(user) -> set[int]:
    """Schools whose courses the user authors: teachers and administrators of a school
    (an enterprise's administrator co-teaches through cohorts, not as an author)."""
    return organization_ids(user, [Role.TEACHER, Role.ADMIN], kind=Organization.Kind.SCHOOL)


def can_author(user, course: Course) -> bool:
    """Teachers and admins of the owning school author its courses."""
    return is_platform_admin(user) or course.school_id in author_school_ids(user)


def can_author_any(user) -> bool:
    return is_platform_admin(user) or bool(author_school_ids(user))


def authored_courses(user):
    if is_platform_admin(user):
        return Course.objects.all()
    return Course.objects.filter(school_id__in=author_school_ids(user))


def can_open_lessons(user, course: Course, *, enrollment: Enrollment | None) -> bool:
    """Active students of a published course, and its authors, open its lessons and files.

    `enrollment` is the user's enrolment in the course, or None; callers have it at hand.
    """
    enrolled = (
        enrollment is not None
        and enrollment.student_id == user.pk
        and enrollment.course_id == course.pk
        and enrollment.is_active
    )
    return (course.is_published and enrolled) or can_author(user, course)


def can_manage_cohort(user, cohort: Cohort) -> bool:
    """The cohort's teacher, or an author of its course, enrols and follows its students."""
    return user.is_authenticated and (
        cohort.teacher_id == user.pk or can_author(user, cohort.course)
    )


def can_view_enrollment(user, enrollment: Enrollment) -> bool:
    if not user.is_authenticated:
        return False
    if enrollment.student_id == user.pk:
        return True
    cohort = enrollment.cohort
    if cohort and user.pk in (cohort.teacher_id, cohort.mentor_id):
        return True
    return can_author(user, enrollment.course)


def can_use_studio(user) -> bool:
    """The course studio is for those who author courses of some school."""
    return user.is_authenticated and can_author_any(user)


def studio_schools(user):
    """The schools whose courses the user may create or move a course to."""
    schools = Organization.objects.filter(kind=Organization.Kind.SCHOOL, is_active=True)
    if is_platform_admin(user):
        return schools.order_by("code")
    return schools.filter(pk__in=author_school_ids(user)).order_by("code")


def can_manage_roster(user, school: Organization) -> bool:
    """Administrators of a school load its rosters and choose its cohorts' teachers and
    mentors (and platform administrators)."""
    if not user.is_authenticated or school.kind != Organization.Kind.SCHOOL:
        return False
    return is_platform_admin(user) or school.pk in organization_ids(user, [Role.ADMIN])
