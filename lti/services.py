"""Write paths for LTI launches: OIDC login, launch checks, users, resource and deep links.

Grade passback lives in `lti.grades`; the JOSE and claim rules in `lti.tokens`.
"""

import contextlib
import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from courses.models import Course, Enrollment
from courses.services import EnrollmentError, enrollment_create
from exams.models import Exam
from organizations.models import Membership
from organizations.services import membership_grant, person_create

from . import jwks, tokens
from .models import (
    Context,
    Deployment,
    LaunchNonce,
    LoginState,
    Platform,
    ResourceLink,
    ToolKey,
    UserLink,
)
from .tokens import LaunchError


def state_ttl() -> int:
    return int(getattr(settings, "LTI_STATE_TTL_SECONDS", 600))


def leeway() -> int:
    return int(getattr(settings, "LTI_LEEWAY_SECONDS", 60))


def state_cookie_required() -> bool:
    return bool(getattr(settings, "LTI_STATE_COOKIE_REQUIRED", True))


TARGET_MAX_LENGTH = LoginState._meta.get_field("target_link_uri").max_length


def state_cookie_name(state: str) -> str:
    return f"lti_state_{state}"


# --- The tool's keys ------------------------------------------------------------------------


def tool_key_current() -> ToolKey:
    """The key the tool signs with; the first call makes one."""
    key = ToolKey.objects.signing()
    if key is None:
        private_pem, public_jwk, kid = tokens.generate_key()
        key = ToolKey.objects.create(kid=kid, private_pem=private_pem, public_jwk=public_jwk)
    return key


def tool_jwks() -> dict:
    tool_key_current()
    return {"keys": [key.public_jwk for key in ToolKey.objects.published()]}


# --- OIDC login initiation ------------------------------------------------------------------


def _platform_for_login(issuer: str, client_id: str) -> Platform:
    platforms = Platform.objects.active().filter(issuer=issuer)
    if client_id:
        platforms = platforms.filter(client_id=client_id)
    found = list(platforms[:2])
    if not found:
        raise LaunchError(
            _("This platform (issuer %(iss)s) is not registered with CBEC Academy.")
            % {"iss": issuer},
            status=403,
            code="unknown_platform",
        )
    if len(found) > 1:
        raise LaunchError(
            _("Several registrations share this issuer; the platform must send client_id."),
            code="client_id_missing",
        )
    return found[0]


def login_initiate(*, params, redirect_uri: str, now=None) -> tuple[str, str]:
    """Check a third-party login request and store its state; returns (auth URL, state)."""
    issuer, login_hint = params.get("iss", ""), params.get("login_hint", "")
    target = params.get("target_link_uri", "")
    if not (issuer and login_hint and target):
        raise LaunchError(
            _("The login request must name iss, login_hint and target_link_uri."),
            code="login_params",
        )
    if len(target) > TARGET_MAX_LENGTH:
        # Stored whole so the launch can compare it: a cut URI would never match.
        raise LaunchError(_("The login request's target_link_uri is too long."), code="target_long")
    platform = _platform_for_login(issuer, params.get("client_id", ""))
    deployment_id = params.get("lti_deployment_id", "")
    if deployment_id and not _deployment(platform, deployment_id):
        raise _unknown_deployment()
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = now or timezone.now()
    LoginState.objects.create(
        state=state,
        nonce=nonce,
        platform=platform,
        target_link_uri=target,
        expires_at=now + timedelta(seconds=state_ttl()),
    )
    query = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": platform.client_id,
        "redirect_uri": redirect_uri,
        "login_hint": login_hint,
        "state": state,
        "nonce": nonce,
    }
    if params.get("lti_message_hint"):
        query["lti_message_hint"] = params["lti_message_hint"]
    separator = "&" if "?" in platform.auth_login_url else "?"
    return platform.auth_login_url + separator + urlencode(query), state


# --- Launch ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Launch:
    platform: Platform
    deployment: Deployment
    claims: dict
    message_type: str

    @property
    def person(self) -> tokens.Person:
        return tokens.person_from(self.claims)


def _deployment(platform: Platform, deployment_id: str) -> Deployment | None:
    return Deployment.objects.filter(
        platform=platform, deployment_id=deployment_id, is_active=True
    ).first()


def _unknown_deployment() -> LaunchError:
    return LaunchError(
        _("This deployment of CBEC Academy is not registered for the platform."),
        status=403,
        code="deployment",
    )


def _platform_for_token(claims: dict) -> Platform:
    issuer = claims.get("iss")
    if not isinstance(issuer, str) or not issuer:
        raise LaunchError(_("The launch token names no issuer."), code="iss_missing")
    client_id = tokens.client_id_of(claims)
    platforms = Platform.objects.active().select_related("organization")
    platform = platforms.filter(issuer=issuer, client_id=client_id).first()
    if platform is not None:
        return platform
    if platforms.filter(issuer=issuer).exists():
        raise LaunchError(
            _("The launch token is meant for another tool (wrong audience)."),
            status=403,
            code="aud",
        )
    raise LaunchError(
        _("This platform (issuer %(iss)s) is not registered with CBEC Academy.") % {"iss": issuer},
        status=403,
        code="unknown_platform",
    )


def _verified_claims(id_token: str, platform: Platform, fetch) -> dict:
    try:
        keyset = jwks.load_keyset(platform.jwks_url, fetch=fetch)
        try:
            return tokens.verify_signature(id_token, keyset)
        except tokens.UnknownKeyError:
            # The platform may have rotated its keys: fetch again, at most once a minute.
            throttle = "lti:jwks-refresh:" + jwks.cache_key(platform.jwks_url)
            if not cache.add(throttle, 1, 60):
                raise
            keyset = jwks.load_keyset(platform.jwks_url, fetch=fetch, refresh=True)
            return tokens.verify_signature(id_token, keyset)
    except jwks.KeysetUnavailable as exc:
        raise LaunchError(
            _("The platform's public keys could not be fetched; try again in a minute."),
            status=502,
            code="jwks",
        ) from exc


def _use_nonce(platform: Platform, claims: dict) -> None:
    nonce = claims["nonce"]
    if len(nonce) > 255:
        raise LaunchError(_("The launch token's nonce is too long."), code="nonce_long")
    expires = datetime.fromtimestamp(claims["exp"], UTC) + timedelta(seconds=leeway())
    try:
        with transaction.atomic():
            LaunchNonce.objects.create(platform=platform, nonce=nonce, expires_at=expires)
    except IntegrityError as exc:
        raise LaunchError(
            _("This launch was already used (its nonce was seen before). Open the link again."),
            status=403,
            code="nonce_reused",
        ) from exc


def _use_state(state: str, *, platform: Platform, claims: dict, has_cookie: bool, now) -> None:
    with transaction.atomic():
        row = LoginState.objects.select_for_update().filter(state=state).first()
        if row is not None:
            row.delete()  # single use, whatever the outcome
    if row is None:
        raise LaunchError(
            _("This launch's login state is unknown or was already used. Open the link again."),
            status=403,
            code="state",
        )
    if row.expires_at <= now:
        raise LaunchError(
            _("The login took too long and has expired. Open the link again."),
            status=403,
            code="state_expired",
        )
    if row.platform_id != platform.pk or not constant_time_compare(row.nonce, claims["nonce"]):
        raise LaunchError(
            _("The launch token does not belong to this login (state or nonce mismatch)."),
            status=403,
            code="nonce_mismatch",
        )
    _check_target(claims.get(tokens.TARGET_LINK_URI), login_target=row.target_link_uri)
    if state_cookie_required() and not has_cookie:
        raise LaunchError(
            _(
                "Your browser did not send back the login cookie. Allow cookies for this "
                "site, or set the platform to open CBEC Academy in a new window."
            ),
            status=403,
            code="state_cookie",
        )


def _check_target(target, *, login_target: str) -> None:
    """Core §5.3.4: the launch's target_link_uri is the one the login initiation named.

    A resource link launch must carry it (lti.tokens.check_message); a deep-linking
    request may leave it out, but one it carries must match too.
    """
    if target is None:
        return
    if not isinstance(target, str) or target != login_target:
        raise LaunchError(
            _(
                "The launch token's target_link_uri (%(launch)s) is not the one its login "
                "named (%(login)s)."
            )
            % {"launch": str(target)[:200], "login": login_target[:200]},
            status=403,
            code="target_link_uri",
        )


def launch_validate(
    *, id_token: str, state: str, has_state_cookie: bool, fetch=None, now=None
) -> Launch:
    """Every check of an LTI 1.3 launch; raises LaunchError with the reason."""
    if not id_token:
        raise LaunchError(_("The platform sent no id_token."), code="id_token_missing")
    if not state:
        raise LaunchError(_("The platform sent no state."), code="state_missing")
    now = now or timezone.now()
    _header, unverified = tokens.peek(id_token)
    platform = _platform_for_token(unverified)
    claims = _verified_claims(id_token, platform, fetch)
    tokens.check_claims(
        claims,
        issuer=platform.issuer,
        client_id=platform.client_id,
        now=int(now.timestamp()),
        leeway=leeway(),
    )
    message_type = tokens.check_message(claims)
    deployment = _deployment(platform, claims[tokens.DEPLOYMENT_ID])
    if deployment is None:
        raise _unknown_deployment()
    _use_nonce(platform, claims)
    _use_state(state, platform=platform, claims=claims, has_cookie=has_state_cookie, now=now)
    return Launch(
        platform=platform, deployment=deployment, claims=claims, message_type=message_type
    )


# --- Launches shown inside the platform's page -------------------------------------------------
#
# Platforms often show a tool in an iframe (Moodle's "Embed", Canvas's default). Browsers keep
# cookies set inside another site's frame apart from this site's own (or drop them), so a
# session begun there does not survive the next page. A resource launch in a frame therefore
# answers with one page the platform may frame: a button opening CBEC Academy in a window of
# its own, through a signed, single-use link that signs the person in there.

WINDOW_LINK_SALT = "lti.window-link"


def window_link_ttl() -> int:
    return int(getattr(settings, "LTI_WINDOW_LINK_SECONDS", 120))


def shown_in_frame(*, launch: Launch, fetch_dest: str) -> bool:
    """Whether the platform shows this launch inside its own page: the browser says so
    (Sec-Fetch-Dest) or the platform's presentation claim asks for a frame."""
    if fetch_dest in {"iframe", "frame"}:
        return True
    presentation = launch.claims.get(tokens.LAUNCH_PRESENTATION)
    target = presentation.get("document_target") if isinstance(presentation, dict) else None
    return target in {"iframe", "frame"}


def web_origin(url) -> str | None:
    """scheme://host[:port] of an http(s) URL (None for anything else)."""
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in {"http", "https"} or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def frame_origins(*, launch: Launch, request_origin: str = "") -> list[str]:
    """The origins allowed to frame the launch's answer: the platform's registered issuer
    and login URL, its signed return URL (Canvas frames tools from the school's own domain,
    not the issuer's) and the origin the launch form was posted from."""
    presentation = launch.claims.get(tokens.LAUNCH_PRESENTATION)
    return_url = presentation.get("return_url") if isinstance(presentation, dict) else None
    candidates = [
        launch.platform.issuer,
        launch.platform.auth_login_url,
        return_url,
        request_origin,
    ]
    return list(dict.fromkeys(o for o in map(web_origin, candidates) if o))


def window_link_make(*, user_id: int, destination: str) -> str:
    """A signed token for the window link: who, where to, and a nonce that makes it single use."""
    payload = {"user": user_id, "to": destination, "nonce": secrets.token_urlsafe(12)}
    return signing.dumps(payload, salt=WINDOW_LINK_SALT, compress=True)


def window_link_open(token: str):
    """The user and destination of a window link, used once within its lifetime."""
    try:
        payload = signing.loads(token, salt=WINDOW_LINK_SALT, max_age=window_link_ttl())
    except signing.SignatureExpired:
        raise LaunchError(
            _("This link has expired. Open the activity again from your course."),
            status=403,
            code="window_link_expired",
        ) from None
    except signing.BadSignature:
        raise _invalid_window_link() from None
    destination = payload.get("to")
    if not isinstance(destination, str) or not url_has_allowed_host_and_scheme(
        destination, allowed_hosts=None
    ):
        raise _invalid_window_link()
    # Single use: the first opening claims the nonce (atomic in Redis and in local memory).
    if not cache.add(f"lti:window-link:{payload.get('nonce')}", 1, window_link_ttl() + 60):
        raise LaunchError(
            _("This link has already been used. Open the activity again from your course."),
            status=403,
            code="window_link_used",
        )
    user = get_user_model().objects.filter(pk=payload.get("user"), is_active=True).first()
    if user is None:
        raise _invalid_window_link()
    return user, destination


def _invalid_window_link() -> LaunchError:
    return LaunchError(
        _("This link is not valid. Open the activity again from your course."),
        status=403,
        code="window_link_invalid",
    )


# --- Users ----------------------------------------------------------------------------------

_USERNAME_SAFE = re.compile(r"^[\w.@+-]{1,100}$")


def _free_username(platform: Platform, sub: str) -> str:
    tail = sub if _USERNAME_SAFE.match(sub) else hashlib.sha256(sub.encode()).hexdigest()[:24]
    base = f"lti{platform.pk}-{tail}"
    User = get_user_model()
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def launch_user(*, launch: Launch, now=None) -> UserLink:
    """The account behind the launch (made on first launch) with memberships from its roles.

    Accounts are matched by the platform's `sub` only, never by email: an email a
    platform asserts must not open someone else's existing account.
    """
    link, _created = user_link_for(platform=launch.platform, person=launch.person)
    if not link.user.is_active:
        raise LaunchError(_("This account is disabled."), status=403, code="inactive")
    UserLink.objects.filter(pk=link.pk).update(last_launch_at=now or timezone.now())
    return link


def user_link_for(*, platform: Platform, person: tokens.Person) -> tuple[UserLink, bool]:
    """A platform user's account, made on first sight, with memberships from its roles.

    Shared by launches and roster syncs; returns (link, created). A disabled account
    gets no new memberships.
    """
    try:
        with transaction.atomic():
            link, created = _user_link(platform, person)
    except IntegrityError:  # a parallel first launch made it
        link = UserLink.objects.select_related("user").get(platform=platform, sub=person.sub)
        created = False
    if link.user.is_active:
        for role in sorted(person.roles):
            _grant_once(link.user, platform, role)
    return link, created


def _user_link(platform: Platform, person: tokens.Person) -> tuple[UserLink, bool]:
    link = UserLink.objects.select_related("user").filter(platform=platform, sub=person.sub).first()
    if link is not None:
        return link, False
    user = person_create(
        username=_free_username(platform, person.sub),
        password=None,
        email=person.email,
        name_native=person.name_native,
        name_latin=person.name_latin,
        preferred_language=person.language,
    )
    return UserLink.objects.create(platform=platform, sub=person.sub, user=user), True


def _grant_once(user, platform: Platform, role: str) -> None:
    # A membership an administrator switched off stays off: only missing ones are granted.
    organization = platform.organization
    if Membership.objects.filter(user=user, organization=organization, role=role).exists():
        return
    # An enterprise has no teachers, say: a role its kind cannot hold does not apply.
    with contextlib.suppress(ValidationError):
        membership_grant(user=user, organization=organization, role=role)


# --- Resource links -------------------------------------------------------------------------


def _resolve(target: tuple[str, str], platform: Platform) -> Course | Exam:
    kind, value = target
    courses, exams = content_for(platform)
    found = None
    if kind == "course":
        found = courses.filter(code=value).first()
    elif kind == "exam" and value.isdigit():
        found = exams.filter(pk=int(value)).first()
    if found is None:
        if kind == "course":
            message = _("This link points to a course that does not exist here (%(id)s).")
        else:
            message = _("This link points to an exam that does not exist here (%(id)s).")
        raise LaunchError(message % {"id": value}, code="unknown_target")
    return found


def context_record(*, launch: Launch) -> Context | None:
    """The platform course the launch came from, with its roster service URL, kept current."""
    info = tokens.context_from(launch.claims)
    if info is None:
        return None
    context, _created = Context.objects.get_or_create(platform=launch.platform, context_id=info.id)
    changed = {
        name: value
        for name, value in (
            ("title", info.title or context.title),
            ("label", info.label or context.label),
            ("memberships_url", (info.memberships_url or context.memberships_url)[:1000]),
        )
        if getattr(context, name) != value
    }
    if changed:
        for name, value in changed.items():
            setattr(context, name, value)
        context.save(update_fields=[*changed, "updated_at"])
    return context


@transaction.atomic
def resource_link_open(*, launch: Launch, user_link: UserLink) -> str:
    """Record the placement, enrol a learner in a course, and return where to go."""
    placement = tokens.placement_from(launch.claims)
    link, _created = ResourceLink.objects.select_for_update().get_or_create(
        platform=launch.platform, resource_link_id=placement.resource_link_id
    )
    if placement.target is not None:
        target = _resolve(placement.target, launch.platform)
        link.course = target if isinstance(target, Course) else None
        link.exam = target if isinstance(target, Exam) else None
    if link.target is None:
        raise LaunchError(
            _(
                "This link does not point to a CBEC Academy course or exam. Ask your "
                "teacher to choose one again."
            ),
            code="unknown_target",
        )
    link.deployment = launch.deployment
    link.context = context_record(launch=launch) or link.context
    if link.context is not None and link.context.course_id is None:
        # The platform course's roster syncs into the first CBEC Academy course it opened.
        course = link.course or link.exam.course
        if course is not None:
            Context.objects.filter(pk=link.context.pk).update(course=course)
            link.context.course = course
    link.title = placement.title or link.title
    link.context_title = placement.context_title or link.context_title
    if launch.claims.get(tokens.AGS_ENDPOINT):
        link.lineitem_url = placement.lineitem[:1000]
        link.lineitems_url = placement.lineitems[:1000]
        link.scopes = list(placement.scopes)
    link.save()
    learner = tokens.TEACHER not in launch.person.roles
    if learner:
        link.learners.add(user_link)
    user = user_link.user
    school = launch.platform.organization_id
    if link.course is not None:
        if learner:
            _enrol(user, link.course, quiet=False, school=school)
        return link.course.get_absolute_url()
    if learner and link.exam.course_id:
        _enrol(user, link.exam.course, quiet=True, school=school)
    return link.exam.get_absolute_url()


def _enrol(user, course: Course, *, quiet: bool, school: int) -> None:
    if Enrollment.objects.active().filter(student=user, course=course).exists():
        return
    # A launch from the course's own school's LMS is the school enrolling its learner (as the
    # roster sync does), so it passes a course closed to self-enrolment; another school's
    # launch counts as the learner enrolling themselves.
    try:
        enrollment_create(student=user, course=course, by_teacher=course.school_id == school)
    except EnrollmentError as exc:
        if not quiet:
            raise LaunchError(" ".join(exc.messages), status=403, code="enrol") from exc


# --- Deep linking ---------------------------------------------------------------------------
#
# The pending request lives in the cache, not the session: a platform often shows the picker
# in a frame ("Select content" in Moodle's modal), where no cookie of this site comes along.
# The picker's URL carries an unguessable token naming the pending request, and that token is
# the capability: it names no user, shows only the launching platform's published choices and
# answers only that request's return URL, once, within LTI_DEEP_LINK_SECONDS.

DEEP_LINK_KEY = "lti:deep-link:"
DEEP_LINK_USED_KEY = "lti:deep-link-used:"
_DEEP_LINK_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def deep_link_ttl() -> int:
    return int(getattr(settings, "LTI_DEEP_LINK_SECONDS", 30 * 60))


class DeepLinkExpired(LaunchError):
    """The picker's token is unknown, too old or used; `frame_origins` says who may still
    frame the refusal (the platform's origins, when the token was used)."""

    def __init__(self, frame_origins=()):
        super().__init__(
            _("This content selection has expired. Start it again from your course."),
            status=403,
            code="deep_link_expired",
        )
        self.frame_origins = list(frame_origins)


class DeepLinkChoiceError(Exception):
    """The picker's form names nothing the platform may place (or too much)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def deep_link_request(*, launch: Launch, request_origin: str = "") -> str:
    """Keep what the picker needs to answer a deep-linking request; returns its token."""
    if tokens.TEACHER not in launch.person.roles:
        raise LaunchError(
            _("Only teachers can choose CBEC Academy content for a course."),
            status=403,
            code="deep_link_role",
        )
    context_record(launch=launch)
    dl = launch.claims[tokens.DL_SETTINGS]
    if "ltiResourceLink" not in (dl.get("accept_types") or []):
        raise LaunchError(
            _("The platform does not accept LTI resource links here."), code="accept_types"
        )
    pending = {
        "platform": launch.platform.pk,
        "deployment_id": launch.deployment.deployment_id,
        "return_url": dl["deep_link_return_url"],
        "data": dl.get("data"),
        "accept_multiple": bool(dl.get("accept_multiple", False)),
        "title": str(dl.get("title") or ""),
        # The picker and its answer may be shown in the platform's frame, and only there.
        "frame_origins": frame_origins(launch=launch, request_origin=request_origin),
    }
    token = secrets.token_urlsafe(32)
    cache.set(DEEP_LINK_KEY + token, pending, deep_link_ttl())
    return token


def deep_link_pending(token: str) -> dict:
    """The pending deep-linking request a picker token names; DeepLinkExpired otherwise."""
    if not _DEEP_LINK_TOKEN.match(token):
        raise DeepLinkExpired()
    pending = cache.get(DEEP_LINK_KEY + token)
    if pending is None:
        raise DeepLinkExpired(cache.get(DEEP_LINK_USED_KEY + token) or ())
    return pending


def deep_link_answer(*, token: str, values: list[str], launch_url: str) -> tuple[dict, str]:
    """Answer the pending request with the picked items, once: (the request, its signed JWT).

    Raises DeepLinkChoiceError for a pick the platform may not place (the token stays
    usable) and DeepLinkExpired when the token is unknown or was used.
    """
    pending = deep_link_pending(token)
    picks = [deep_link_pick(platform_id=pending["platform"], value=value) for value in values]
    if not picks or None in picks:
        raise DeepLinkChoiceError(_("Choose a published course or exam."))
    if len(picks) > 1 and not pending["accept_multiple"]:
        raise DeepLinkChoiceError(_("The platform accepts only one item here."))
    # Single use: the first answer claims the token (atomic in Redis and in local memory);
    # the claim keeps the platform's origins so a second try's refusal can still be framed.
    origins = pending.get("frame_origins") or []
    if not cache.add(DEEP_LINK_USED_KEY + token, origins, deep_link_ttl()):
        raise DeepLinkExpired(origins)
    cache.delete(DEEP_LINK_KEY + token)
    return pending, deep_link_response(request=pending, picks=picks, launch_url=launch_url)


def content_for(platform: Platform) -> tuple[QuerySet[Course], QuerySet[Exam]]:
    """The courses and exams a platform may place: its organisation's own.

    A school's courses, and those an enterprise partners in; exams the organisation
    runs or that belong to those courses. Other organisations' content stays out of
    its picker and its launches.
    """
    org = platform.organization_id
    courses = Course.objects.filter(Q(school=org) | Q(partners=org)).distinct()
    exams = Exam.objects.filter(
        Q(organization=org) | Q(course__school=org) | Q(course__partners=org)
    ).distinct()
    return courses, exams


def deep_link_choices(*, platform_id: int) -> tuple[list[Course], list[Exam]]:
    """The published content the picker lists for the launching platform's organisation."""
    courses, exams = content_for(Platform.objects.get(pk=platform_id))
    return (
        list(courses.published().select_related("school").order_by("code")),
        list(
            exams.published()
            .select_related("organization", "skill_level")
            .order_by("-created_at", "pk")
        ),
    )


def deep_link_pick(*, platform_id: int, value: str) -> Course | Exam | None:
    """The published course ("course:<code>") or exam ("exam:<id>") the picker may return."""
    courses, exams = content_for(Platform.objects.get(pk=platform_id))
    kind, _sep, ident = value.partition(":")
    if kind == "course":
        return courses.published().filter(code=ident).first()
    if kind == "exam" and ident.isdigit():
        return exams.published().filter(pk=int(ident)).first()
    return None


def deep_link_response(*, request: dict, picks: list[Course | Exam], launch_url: str) -> str:
    """The signed LtiDeepLinkingResponse JWT for the picked courses and exams."""
    platform = Platform.objects.get(pk=request["platform"])
    items = []
    for obj in picks:
        if isinstance(obj, Course):
            custom = {tokens.CUSTOM_COURSE: obj.code}
            items.append(tokens.resource_link_item(title=obj.title, url=launch_url, custom=custom))
        else:
            items.append(
                tokens.resource_link_item(
                    title=obj.title,
                    url=launch_url,
                    custom={tokens.CUSTOM_EXAM: str(obj.pk)},
                    score_maximum=tokens.PERCENT_MAXIMUM,
                    resource_id=f"cbec-exam-{obj.pk}",
                )
            )
    claims = tokens.deep_linking_response(
        client_id=platform.client_id,
        issuer=platform.issuer,
        deployment_id=request["deployment_id"],
        items=items,
        data=request.get("data"),
        nonce=secrets.token_urlsafe(16),
        now=int(time.time()),
    )
    key = tool_key_current()
    return tokens.sign(claims, private_pem=key.private_pem, kid=key.kid)


# --- Housekeeping ---------------------------------------------------------------------------


def purge_expired(*, now=None) -> int:
    """Delete login states and nonces past their expiry; returns how many rows went."""
    now = now or timezone.now()
    states, _ = LoginState.objects.expired(now).delete()
    nonces, _ = LaunchNonce.objects.expired(now).delete()
    return states + nonces
