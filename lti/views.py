"""LTI endpoints: OIDC login, launch, the tool's JWKS and the deep-linking picker.

Login and launch arrive as cross-site POSTs from the platform, so they are exempt from
CSRF: the state (bound to this browser by a cookie), the nonce and the platform's
signature protect them instead.
"""

import secrets

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.csp import CSP, build_policy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services, tokens
from .tokens import LaunchError

SESSION_DEEP_LINKS = "lti_deep_links"


def _with_policy(response, directive: str, sources: list[str]):
    """The site's CSP (settings.SECURE_CSP) with one directive's sources replaced, set on
    this response (ContentSecurityPolicyMiddleware leaves a header the view has set alone)."""
    config = dict(settings.SECURE_CSP or {})
    if config and sources:
        config[directive] = sources
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
    frame-ancestors 'none' and X-Frame-Options DENY everywhere else."""
    response.xframe_options_exempt = True
    return _with_policy(response, "frame-ancestors", origins)


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
            deep_link = services.deep_link_request(launch=checked)
            destination = None
        else:
            destination = services.resource_link_open(launch=checked, user_link=user_link)
    except LaunchError as exc:
        return _refuse(request, exc)
    fetch_dest = request.headers.get("Sec-Fetch-Dest", "")
    if destination is not None and services.shown_in_frame(launch=checked, fetch_dest=fetch_dest):
        return _open_in_window(request, checked, user_link.user, destination, cookie)
    auth_login(request, user_link.user, backend="django.contrib.auth.backends.ModelBackend")
    if destination is None:
        token = secrets.token_urlsafe(16)
        pending = dict(list(request.session.get(SESSION_DEEP_LINKS, {}).items())[-4:])
        pending[token] = deep_link
        request.session[SESSION_DEEP_LINKS] = pending
        destination = reverse("lti:deep_link", args=[token])
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


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def deep_link(request, token: str):
    pending = request.session.get(SESSION_DEEP_LINKS, {})
    dl = pending.get(token)
    if dl is None:
        return _refuse(
            request,
            LaunchError(
                _("This content selection has expired. Start it again from your course."),
                status=403,
            ),
        )
    error = ""
    if request.method == "POST":
        picks = [
            services.deep_link_pick(platform_id=dl["platform"], value=value)
            for value in request.POST.getlist("item")
        ]
        if not picks or None in picks:
            error = _("Choose a published course or exam.")
        elif len(picks) > 1 and not dl["accept_multiple"]:
            error = _("The platform accepts only one item here.")
        else:
            jwt = services.deep_link_response(
                request=dl,
                picks=picks,
                launch_url=request.build_absolute_uri(reverse("lti:launch")),
            )
            pending.pop(token)
            request.session[SESSION_DEEP_LINKS] = pending
            context = {"action": dl["return_url"], "fields": {"JWT": jwt}}
            # The form posts to the platform: the CSP's form-action must name it.
            return _allow_form_posts_to(
                render(request, "lti/auto_post.html", context), dl["return_url"]
            )
    courses, exams = services.deep_link_choices(platform_id=dl["platform"])
    context = {"dl": dl, "courses": courses, "exams": exams, "error": error}
    return render(request, "lti/deep_link.html", context, status=400 if error else 200)
