"""Limits on guessing passwords and on asking for reset emails; every lock expires.

Failed logins are counted three ways, each with exponential backoff past a free allowance
(lms.conf.LOGIN_THROTTLE_DEFAULTS):

- the account from one client address;
- the account from every address together. An address counts here only for its first
  failures (the allowance above), so one attacker alone cannot lock the account's owner
  out from elsewhere; several addresses can, for at most the cap at a time;
- the address, whatever the account (password spraying).

A password reset (its emailed link proves the owner) clears the account's own count and lock,
and the account's count and lock from the address that set the new password (not any other
address's), so the owner logs in there with the new password at once whatever a distributed
storm or their own mistypes did.

A refused login gets a page (the site's, in the visitor's language) saying when the lock
ends and, when a reset lifts it, the link to reset the password; JSON callers get JSON.

Password checks in flight at once are capped (CONCURRENT_CHECKS): each costs a deliberately
slow hash, and a storm of guesses from fresh addresses at fresh usernames, which no count
can stop, would otherwise hold every web worker. A check beyond the cap is refused at once
(429, a few seconds), whoever asks; a storm then holds at most that many workers and pages
and the API keep the rest.

A locked attempt is refused before the password is checked: it costs no hashing, tells
nothing about the guess and does not count, so a lock never lengthens itself. Nothing is
global: a storm of failures from some addresses leaves every other client alone. The
counting is organizations.throttles.count_in_window, as for the API's rate limits.
"""

import hashlib
import math
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organizations.throttles import _redis_client, client_ip, count_in_window

from . import conf


def now() -> float:
    return time.time()


def _digest(*parts: str) -> str:
    # Cache keys name no username or address in the clear, whatever their characters.
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


def _login_scopes(request, username: str) -> list[tuple[str, str, str]]:
    """(scope, identity, name of its free allowance) for this attempt."""
    account = (username or "").strip().casefold()
    address = client_ip(request)
    return [
        ("account_ip", _digest(account, address), "ACCOUNT_IP_FREE"),
        ("account", _digest(account), "ACCOUNT_FREE"),
        ("ip", _digest(address), "IP_FREE"),
    ]


def _lock_key(scope: str, identity: str) -> str:
    return f"lms:login:lock:{scope}:{identity}"


def _failures_key(scope: str, identity: str) -> str:
    return f"lms:login:failures:{scope}:{identity}"


def backoff_seconds(failures: int, free: int) -> int:
    """How long a failure locks: nothing within the allowance, then doubling up to the cap."""
    excess = failures - free
    if excess <= 0:
        return 0
    base, cap = conf.login_throttle("BASE_SECONDS"), conf.login_throttle("CAP_SECONDS")
    return min(base * 2 ** min(excess - 1, 30), cap)


def login_locks(request, username: str) -> dict[str, int]:
    """Seconds left on each lock on this attempt, by scope ("account_ip", "account", "ip")."""
    keys = {
        _lock_key(scope, identity): scope for scope, identity, _ in _login_scopes(request, username)
    }
    left = {keys[key]: math.ceil(until - now()) for key, until in cache.get_many(keys).items()}
    return {scope: seconds for scope, seconds in left.items() if seconds > 0}


def login_wait_seconds(request, username: str) -> int:
    """Seconds before this client may try this account again; 0 when it may now."""
    return max(login_locks(request, username).values(), default=0)


def login_failed(request, username: str) -> None:
    """Count a wrong password, and lock what went past its allowance."""
    memory = conf.login_throttle("MEMORY_SECONDS")
    pair, account, address = _login_scopes(request, username)
    pair_failures = count_in_window(_failures_key(*pair[:2]), memory)
    counted = [
        (pair, pair_failures),
        (address, count_in_window(_failures_key(*address[:2]), memory)),
    ]
    if pair_failures <= conf.login_throttle("ACCOUNT_IP_FREE"):
        counted.append((account, count_in_window(_failures_key(*account[:2]), memory)))
    for (scope, identity, free), failures in counted:
        seconds = backoff_seconds(failures, conf.login_throttle(free))
        if seconds:
            cache.set(_lock_key(scope, identity), now() + seconds, seconds)


def login_succeeded(request, username: str) -> None:
    """The right password forgets this address's failures on the account, nothing else."""
    scope, identity, _ = _login_scopes(request, username)[0]
    cache.delete_many([_failures_key(scope, identity), _lock_key(scope, identity)])


def account_forgiven(login_names, request=None) -> None:
    """Forget the failures and lock counted against the account under any of its names,
    and against the account from the address of `request` (the one setting the password).

    Called when its owner resets the password: the other addresses' counts stay, so an
    attacker's own lock goes on.
    """
    keys = []
    for name in {(n or "").strip().casefold() for n in login_names} - {""}:
        if request is None:
            scopes = [("account", _digest(name), "")]
        else:
            scopes = _login_scopes(request, name)
        for scope, identity, _free in scopes:
            if scope != "ip":  # the address's own count stays: it may be an attacker's
                keys += [_failures_key(scope, identity), _lock_key(scope, identity)]
    cache.delete_many(keys)


CHECKS_KEY = "lms:login:checks"
# A check still held after this long is a worker that died mid-check: it no longer counts.
CHECK_STALE_SECONDS = 30
BUSY_RETRY_SECONDS = 3


@contextmanager
def password_check_slot() -> Iterator[bool]:
    """Hold one of the site's password-check slots while the block runs; False when full."""
    limit = conf.login_throttle("CONCURRENT_CHECKS")
    if limit <= 0:
        yield True
        return
    token, started = secrets.token_hex(8), now()
    key = cache.make_and_validate_key(CHECKS_KEY)
    client = _redis_client(cache, key)
    if client is not None:
        pipe = client.pipeline()
        pipe.zremrangebyscore(key, 0, started - CHECK_STALE_SECONDS)
        pipe.zadd(key, {token: started})
        pipe.zcard(key)
        pipe.expire(key, CHECK_STALE_SECONDS)
        held = pipe.execute()[2]
    else:
        # The local-memory cache (development, tests): one process, not atomic, enough there.
        checks = {
            t: at
            for t, at in cache.get(CHECKS_KEY, {}).items()
            if at > started - CHECK_STALE_SECONDS
        }
        checks[token] = started
        cache.set(CHECKS_KEY, checks, CHECK_STALE_SECONDS)
        held = len(checks)
    try:
        yield held <= limit
    finally:
        if client is not None:
            client.zrem(key, token)
        else:
            checks = cache.get(CHECKS_KEY, {})
            checks.pop(token, None)
            cache.set(CHECKS_KEY, checks, CHECK_STALE_SECONDS)


def checks_full() -> bool:
    """Whether every password-check slot is taken right now (a hint: the slot decides)."""
    limit = conf.login_throttle("CONCURRENT_CHECKS")
    if limit <= 0:
        return False
    started = now()
    key = cache.make_and_validate_key(CHECKS_KEY)
    client = _redis_client(cache, key)
    if client is not None:
        pipe = client.pipeline()
        pipe.zremrangebyscore(key, 0, started - CHECK_STALE_SECONDS)
        pipe.zcard(key)
        return pipe.execute()[1] >= limit
    checks = cache.get(CHECKS_KEY, {})
    return sum(at > started - CHECK_STALE_SECONDS for at in checks.values()) >= limit


class RefuseLockedLoginsMiddleware:
    """Refuse a login post the throttles would refuse before sessions, CSRF and the page.

    The login view refuses it too, but only after allauth's form and the whole login page:
    about 30 times the cost of this short answer, and under a storm of guesses those
    refusals are what hold the web workers that exams and the API need.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path_info == reverse("login"):
            name = str(request.POST.get("login") or request.POST.get("username") or "")
            locks = login_locks(request, name)
            if locks:
                return locked_login_response(request, locks)
            if checks_full():
                return busy_login_response(request)
        return self.get_response(request)


def _wants_json(request) -> bool:
    if request.content_type == "application/json":
        return True
    return request.accepts("application/json") and not request.accepts("text/html")


def _refusal(request, *, seconds: int, json: dict, template: str, context: dict):
    """429 with Retry-After: JSON for a JSON caller, else the page (no database query)."""
    if _wants_json(request):
        response = JsonResponse({**json, "retry_after": seconds}, status=429)
    else:
        # This runs before CsrfViewMiddleware: the page's forms (the language switch) need
        # the visitor's CSRF cookie read, or set when it has none.
        csrf = CsrfViewMiddleware(lambda request: None)
        csrf.process_request(request)
        response = HttpResponse(render_to_string(template, context, request), status=429)
        csrf.process_response(request, response)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


def locked_login_response(request, locks: dict[str, int]) -> HttpResponse:
    """The refusal of a locked login: when it unlocks and, if a reset would lift the lock
    (it lifts the account's, not its address's), the way to reset the password."""
    seconds = max(locks.values())
    # A reset lifts the account's locks, not the lock of an address that guessed at many
    # accounts: when that one is the longest, a reset does not let anyone in sooner.
    reset_lifts = locks.get("ip", 0) < seconds
    message = login_refusal(seconds)
    context = {
        "seconds": seconds,
        "minutes": max(1, math.ceil(seconds / 60)),
        "unlocks_at": timezone.localtime(datetime.fromtimestamp(now() + seconds, tz=UTC)),
        "address_locked": not reset_lifts,
        "message": message,
    }
    json = {"detail": message, "code": "login_locked"}
    if reset_lifts:
        json["password_reset"] = reverse("password_reset")
    return _refusal(
        request,
        seconds=seconds,
        json=json,
        template="account/login_locked.html",
        context=context,
    )


def busy_login_response(request) -> HttpResponse:
    """The refusal of a login over the password checks in flight: try again in seconds."""
    message = busy_refusal()
    return _refusal(
        request,
        seconds=BUSY_RETRY_SECONDS,
        json={"detail": message, "code": "login_busy"},
        template="account/login_busy.html",
        context={"message": message},
    )


def busy_refusal() -> str:
    return _("Many logins are being checked right now. Try again in a few seconds.")


def login_refusal(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed attempts to log in. Try again in %(minutes)d minute.",
        "Too many failed attempts to log in. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def password_reset_allowed(request, email: str) -> bool:
    """Count one reset request for this email and this client; False once either is over.

    The email is counted whether or not an account uses it, so the answer tells nothing.
    """
    identities = {"email": (email or "").strip().casefold(), "ip": client_ip(request)}
    allowed = True
    for scope, identity in identities.items():
        rate = conf.password_reset_rate(scope)
        if rate is None:
            continue
        limit, seconds = rate
        if count_in_window(f"lms:password-reset:{scope}:{_digest(identity)}", seconds) > limit:
            allowed = False
    return allowed
