"""Students signing themselves up to a school that allows it.

A school's administrators turn sign-up on (and may restrict it to their email domain) on
the members page. Someone who signs up at /accounts/signup/?school=<code> is recorded as
joining that school (Profile.joining_school) and becomes its student only when they verify
their email address: an unverified address vouches for nothing, and a membership lets its
holder log in without verification (lms.adapters.is_vouched_for).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .access import can_manage_organization
from .models import Membership, Organization, Profile
from .services import membership_grant, profile_for

__all__ = [
    "school_for_signup",
    "signup_refusal",
    "student_signup_settings_update",
    "student_signup_confirm",
    "student_signup_request",
]


def school_for_signup(code: str) -> Organization | None:
    """The active school with this code, or None."""
    return Organization.objects.filter(
        code=(code or "").strip(), kind=Organization.Kind.SCHOOL, is_active=True
    ).first()


def signup_refusal(school: Organization, email: str = "") -> str:
    """Why this address may not sign up to this school as a student ("" when it may)."""
    if not school.takes_student_signups:
        return _(
            "%(school)s does not take student sign-ups on this site. Ask the school for an "
            "invitation, or sign up as a social trainee."
        ) % {"school": school.name}
    if email and not school.accepts_signup_email(email):
        return _("%(school)s takes sign-ups only from addresses at %(domain)s.") % {
            "school": school.name,
            "domain": school.student_signup_domain,
        }
    return ""


def student_signup_request(*, user, school: Organization, email: str) -> Profile:
    """Record that a new account is joining the school; refused when the school says no."""
    refusal = signup_refusal(school, email)
    if refusal:
        raise ValidationError(refusal, code="school_signup")
    profile = profile_for(user)
    profile.joining_school = school
    profile.save(update_fields=["joining_school"])
    return profile


@transaction.atomic
def student_signup_confirm(*, user, email: str) -> Membership | None:
    """The person verified `email`: make them a student of the school they are joining.

    The school's rules are checked again (it may have closed sign-up meanwhile). Returns
    the membership, or None when there was nothing to join or the school now says no.
    """
    profile = Profile.objects.select_for_update().filter(user=user).first()
    if profile is None or profile.joining_school_id is None:
        return None
    school = Organization.objects.get(pk=profile.joining_school_id)
    profile.joining_school = None
    profile.save(update_fields=["joining_school"])
    if signup_refusal(school, email):
        return None
    return membership_grant(
        user=user,
        organization=school,
        role=Membership.Role.STUDENT,
        by=user,
        note=_("Signed up as a student and verified %(email)s.") % {"email": email},
    )


@transaction.atomic
def student_signup_settings_update(
    *, organization: Organization, allowed: bool, domain: str, by
) -> Organization:
    """Turn students' sign-up to a school on or off, with its email domain; audited."""
    if not can_manage_organization(by, organization):
        raise PermissionDenied(_("Only the organisation's administrators manage its members."))
    if organization.kind != Organization.Kind.SCHOOL:
        raise ValidationError(_("Only schools take student sign-ups."))
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    domain = (domain or "").strip().lstrip("@").casefold()
    before = {"student_signup": locked.student_signup, "domain": locked.student_signup_domain}
    after = {"student_signup": bool(allowed), "domain": domain}
    if before != after:
        locked.student_signup, locked.student_signup_domain = bool(allowed), domain
        locked.save(update_fields=["student_signup", "student_signup_domain"])
        audit.record(
            audit.Action.STUDENT_SIGNUP_CHANGED,
            obj=locked,
            actor=by,
            organization=locked,
            before=before,
            after=after,
        )
    organization.student_signup = locked.student_signup
    organization.student_signup_domain = locked.student_signup_domain
    return organization
