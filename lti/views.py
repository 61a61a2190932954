"""LTI endpoints: OIDC login, launch, the tool's JWKS and the deep-linking picker.

Login and launch arrive as cross-site POSTs from the platform, so they are exempt from
CSRF: the state (bound to this browser by a cookie), the nonce and the platform's
signature protect them instead. The picker, often shown in the platform's frame where no
cookie of this site comes along, is exempt too: its single-use token protects it.
"""

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.csp import CSP, build_policy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services, tokens
from .tokens import LaunchError


def _with_policy(response, directive: str, sources: list[str]):
    """The site's CSP (settings.SECURE_CSP) with one directive's sources replaced, set on
    this response (ContentSecurityPolicyMiddleware leaves a header the view has set alone).
    Replacements made earlier on the same response stay."""
    config = dict(settings.SECURE_CSP or {})
    if config and sources:
        replaced = {**getattr(response, "lti_csp_replaced", {}), directive: sources}
        response.lti_csp_replaced = replaced
        config.update(replaced)
        response.headers[str(CSP.HEADER_ENFORCE)] = build_policy(config)
    return response


def _allow_form_posts_to(response, url: str):
    """Let this page's form post to `url`'s origin (the platform) as well as this site."""
    origin = services.web_origin(url)
    if origin is None:
        return response
    allowed = (settings.SECURE_CSP or {}).get("form-action", [])
    return _with_policy(response, "form-action", [*allowed, origin])


def _allow_framing_by(response, origins: list[str]):
    """Let `origins` (the platform's) show this page in a frame: the site's CSP says
    frame-ancestors 'none' and X-Frame-Options DENY everywhere else. X-Frame-Options cannot
    name an origin, so it goes only once the CSP names the frame's (never with no origin)."""
    _with_policy(response, "frame-ancestors", origins)
    response.xframe_options_exempt = "frame-ancestors" in getattr(response, "lti_csp_replaced", {})
    return response


def _refuse(request, error: LaunchError):
    return render(request, "lti/error.html", {"message": error.message}, status=error.status)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def login(request):
    params = request.POST if request.method == "POST" else request.GET
    redirect_uri = request.build_absolute_uri(reverse("lti:launch"))
    try:
        url, state = services.login_initiate(params=params, redirect_uri=redirect_uri)
    except LaunchError as exc:
        return _refuse(request, exc)
    response = HttpResponseRedirect(url)
    secure = request.is_secure()
    response.set_cookie(
        services.state_cookie_name(state),
        "1",
        max_age=services.state_ttl(),
        httponly=True,
        secure=secure,
        # The launch is a cross-site POST: only SameSite=None cookies (HTTPS) come along.
        samesite="None" if secure else "Lax",
    )
    return response


@csrf_exempt
@never_cache
@require_POST
def launch(request):
    state = request.POST.get("state", "")
    cookie = services.state_cookie_name(state)
    try:
        checked = services.launch_validate(
            id_token=request.POST.get("id_token", ""),
            state=state,
            has_state_cookie=bool(state) and cookie in request.COOKIES,
        )
        user_link = services.launch_user(launch=checked)
        if checked.message_type == tokens.DEEP_LINKING_REQUEST:
            token = services.deep_link_request(
                launch=checked, request_origin=request.headers.get("Origin", "")
            )
            destination, picker = reverse("lti:deep_link", args=[token]), True
        else:
            destination = services.resource_link_open(launch=checked, user_link=user_link)
            picker = False
    except LaunchError as exc:
        return _refuse(request, exc)
    framed = services.shown_in_frame(
        launch=checked, fetch_dest=request.headers.get("Sec-Fetch-Dest", "")
    )
    if framed and not picker:
        return _open_in_window(request, checked, user_link.user, destination, cookie)
    if not framed:
        # The picker needs no session (its token is the capability), so it works in the
        # platform's frame as it does here; a launch in a window of its own still signs in.
        auth_login(request, user_link.user, backend="django.contrib.auth.backends.ModelBackend")
    response = HttpResponseRedirect(destination)
    response.delete_cookie(cookie)
    return response


def _open_in_window(request, checked, user, destination: str, state_cookie: str):
    """The platform shows the launch in a frame: one page it may frame, whose button opens
    the activity in a window of its own (services: why a frame cannot hold the session)."""
    token = services.window_link_make(user_id=user.pk, destination=destination)
    context = {
        "link": reverse("lti:window", args=[token]),
        "minutes": max(1, services.window_link_ttl() // 60),
    }
    origins = services.frame_origins(
        launch=checked, request_origin=request.headers.get("Origin", "")
    )
    response = _allow_framing_by(render(request, "lti/open_window.html", context), origins)
    response.delete_cookie(state_cookie)
    return response


@never_cache
@require_GET
def window(request, token: str):
    """The window link from a framed launch: signs its person in here and goes on."""
    try:
        user, destination = services.window_link_open(token)
    except LaunchError as exc:
        return _refuse(request, exc)
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponseRedirect(destination)


@require_GET
def jwks(request):
    response = JsonResponse(services.tool_jwks())
    response["Cache-Control"] = "public, max-age=300"
    return response


# No CSRF cookie can come along in the platform's frame, and none is needed: the token in the
# URL, unguessable and bound to this one pending request, does CSRF's job (a forged post
# cannot name it), and it is consumed by the first answer.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def deep_link(request, token: str):
    """The deep-linking picker, authenticated by its token alone (no session, no sign-in)."""
    try:
        dl = services.deep_link_pending(token)
    except services.DeepLinkExpired as exc:
        return _allow_framing_by(_refuse(request, exc), exc.frame_origins)
    error = ""
    if request.method == "POST":
        try:
            dl, jwt = services.deep_link_answer(
                token=token,
                values=request.POST.getlist("item"),
                launch_url=request.build_absolute_uri(reverse("lti:launch")),
            )
        except services.DeepLinkExpired as exc:
            return _allow_framing_by(_refuse(request, exc), exc.frame_origins)
        except services.DeepLinkChoiceError as exc:
            error = exc.message
        else:
            context = {"action": dl["return_url"], "fields": {"JWT": jwt}}
            response = render(request, "lti/auto_post.html", context)
            # The form posts to the platform: the CSP's form-action must name it.
            _allow_form_posts_to(response, dl["return_url"])
            return _allow_framing_by(response, dl["frame_origins"])
    courses, exams = services.deep_link_choices(platform_id=dl["platform"])
    context = {"dl": dl, "courses": courses, "exams": exams, "error": error}
    response = render(request, "lti/deep_link.html", context, status=400 if error else 200)
    return _allow_framing_by(response, dl["frame_origins"])
