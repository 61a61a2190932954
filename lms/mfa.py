"""Staff enrol a second factor before they reach any page.

Teachers, enterprise mentors, verifiers, regulators and administrators of any organisation,
and Django staff and superusers, issue marks, certificates and keys: with STAFF_MFA_REQUIRED
on (the default; production refuses to start without it, lms/checks.py), such a person
without an authenticator app or a security key is sent to the two-factor page from every
other page. Only the account pages (enrolment, reauthentication, logout, password), the
language switch, static files, the health probes and the LTI protocol endpoints stay open.
The JSON API answers by its own credentials (tokens, API keys); reached with the browser's
session, it refuses such a person with a JSON 403 as the pages would. Students may enrol on
their own; once enrolled, anyone logs in with a code (allauth's login stage).
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from organizations import audit
from organizations.models import Membership

from . import conf

# Every role but student acts for an organisation: marks, certificates, keys, standards.
STAFF_ROLES = frozenset(Membership.Role) - {Membership.Role.STUDENT}
# What counts as a second factor: recovery codes only back one of these up.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

# URL names a person who still has to enrol may open.
OPEN_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "password_change",
        "password_reset",
        "set_language",
        "healthz",
        "readyz",
        "lti:login",
        "lti:launch",
        "lti:jwks",
    }
)
OPEN_URL_NAME_PREFIXES = ("mfa_", "account_", "usersessions_")
OPEN_PATH_PREFIXES = ("/i18n/",)
API_PREFIX = "/api/"


def requires_second_factor(user) -> bool:
    """Whether this person must enrol a second factor (staff of any organisation)."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return Membership.objects.of(user).filter(role__in=STAFF_ROLES).exists()


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()


def must_enrol(user) -> bool:
    """True when enforcement is on and this person has yet to enrol."""
    return (
        conf.staff_mfa_required() and requires_second_factor(user) and not has_second_factor(user)
    )


CODE_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES)


@transaction.atomic
def api_token_refusal(user, code: str) -> str | None:
    """Why a password alone may not buy this person an API token (None: it may).

    Someone with a second factor adds a current authenticator-app code or a recovery code;
    staff who must enrol one enrol it on the site first. Otherwise the token endpoint would
    be a way round the second factor.
    """
    code = (code or "").strip()
    authenticators = list(Authenticator.objects.filter(user_id=user.pk, type__in=CODE_FACTORS))
    if authenticators:
        for authenticator in authenticators:
            if code and authenticator.wrap().validate_code(code):
                authenticator.record_usage()
                return None
        return _(
            "Add a current code from your authenticator app, or one of your recovery codes, "
            'as "code".'
        )
    if must_enrol(user):
        return _(
            "Your role needs two-factor authentication: set it up on the site before asking "
            "for an API token."
        )
    return None


@transaction.atomic
def second_factors_reset(*, user, actor, organization=None, note: str = "") -> int:
    """Remove every second factor (apps, keys, recovery codes) of a person who lost theirs.

    Staff must enrol again at their next page. One audit entry (the organisation given, else
    the person's first staff organisation, so its administrators see it) records the types
    removed. Returns how many authenticators were removed.
    """
    authenticators = Authenticator.objects.filter(user_id=user.pk)
    before = sorted(authenticators.values_list("type", flat=True))
    removed, _by_model = authenticators.delete()
    if organization is None:
        membership = Membership.objects.of(user).filter(role__in=STAFF_ROLES).order_by("pk").first()
        organization = membership.organization_id if membership else None
    audit.record(
        audit.Action.MFA_RESET,
        obj=user,
        actor=actor,
        organization=organization,
        before={"authenticators": before},
        after={"authenticators": []},
        note=note,
    )
    return removed


def _is_open(request) -> bool:
    path = request.path_info
    static = "/" + settings.STATIC_URL.lstrip("/")
    if path.startswith(static) or path.startswith(OPEN_PATH_PREFIXES):
        return True
    match = request.resolver_match
    name = match.view_name if match is not None else ""
    return name in OPEN_URL_NAMES or name.startswith(OPEN_URL_NAME_PREFIXES)


class StaffMfaMiddleware:
    """Sends staff without a second factor to the two-factor page (see the module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # request.user is the session's user: token and key requests are anonymous here.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _is_open(request):
            return None
        if not must_enrol(user):
            return None
        notice = _(
            "Your role needs two-factor authentication. Set up an authenticator app "
            "or a security key to continue."
        )
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse({"detail": notice}, status=403)
        if request.method == "GET":
            messages.warning(request, notice, fail_silently=True)
        return HttpResponseRedirect(reverse("mfa_index"))
