"""The site's own settings, read in one place with their defaults.

Request bodies: every request that carries a body is held to a limit chosen by the view it
reaches (upload endpoints take their app's own upload limit), else by the part of the site
(the JSON API, the admin, other pages). Logins and password resets: how fast failures slow
down and how many reset emails an address or a client may ask for.
"""

import os

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

MB = 1024 * 1024
# Room for a multipart body's boundaries and small fields around the file it carries.
MULTIPART_OVERHEAD_BYTES = 64 * 1024

DEFAULT_API_MAX_BYTES = 1 * MB
DEFAULT_PAGE_MAX_BYTES = 2_621_440  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE default, 2.5 MB
DEFAULT_ADMIN_MAX_BYTES = 20 * MB  # lesson attachments and logos come through the admin

LOGIN_THROTTLE_DEFAULTS = {
    # Failures allowed before the slowdown starts, per account from one client address...
    "ACCOUNT_IP_FREE": 5,
    # ...per account from every address together (one address counts for at most the
    # allowance above, so one attacker alone cannot lock the account for everyone)...
    "ACCOUNT_FREE": 10,
    # ...and per client address whatever the account (password spraying).
    "IP_FREE": 30,
    # Past the allowance each failure locks for BASE × 2^(excess - 1) seconds, at most CAP.
    "BASE_SECONDS": 60,
    "CAP_SECONDS": 15 * 60,
    # Failures are forgotten this long after the first one.
    "MEMORY_SECONDS": 24 * 3600,
    # Password checks in flight at once on the site (each is a deliberately slow hash); a
    # login beyond them is refused at once (429, "try again in a few seconds"), so a storm
    # of guesses from many addresses holds at most this many web workers and leaves the
    # others to pages and the API. 0: no limit. Default: this machine's cores.
    "CONCURRENT_CHECKS": os.cpu_count() or 1,
}

PASSWORD_RESET_DEFAULT_RATES = {"email": "3/hour", "ip": "10/hour"}


def upload_limits() -> dict[str, int]:
    """The largest body each upload endpoint takes (its file limit plus multipart overhead)."""
    from certificates import verification
    from courses import conf as courses_conf
    from courses.forms import MAX_CSV_BYTES
    from exams import imports, uploads

    files = {
        # A practical answer can be no larger than all of its attempt's files together.
        "exams_api:answer_file": uploads.attempt_quota_bytes(),
        "exams:bank_import": imports.max_bytes(),
        "exams_authoring_api:bank-import-file": imports.max_bytes(),
        "certificates:verify_search": verification.MAX_FILE_BYTES,
        "certificates_api:verify_file": verification.MAX_FILE_BYTES,
        "courses:cohort_enrol_csv": MAX_CSV_BYTES,
        # The course studio's lesson form carries the lesson's attachment.
        "courses:studio_lesson_new": courses_conf.attachment_max_bytes(),
        "courses:studio_lesson_edit": courses_conf.attachment_max_bytes(),
    }
    return {name: size + MULTIPART_OVERHEAD_BYTES for name, size in files.items()}


def body_limit(request) -> int:
    """The largest request body the view this request resolved to accepts, in bytes."""
    match = request.resolver_match
    view_name = match.view_name if match is not None else ""
    overrides = getattr(settings, "REQUEST_BODY_LIMITS", {})
    if view_name in overrides:
        return int(overrides[view_name])
    limits = upload_limits()
    if view_name in limits:
        return limits[view_name]
    if match is not None and "admin" in match.namespaces:
        return int(getattr(settings, "REQUEST_BODY_ADMIN_MAX_BYTES", DEFAULT_ADMIN_MAX_BYTES))
    if request.path_info.startswith("/api/"):
        return int(getattr(settings, "REQUEST_BODY_API_MAX_BYTES", DEFAULT_API_MAX_BYTES))
    return int(getattr(settings, "REQUEST_BODY_MAX_BYTES", DEFAULT_PAGE_MAX_BYTES))


def login_throttle(name: str) -> int:
    """One of LOGIN_THROTTLE_DEFAULTS, as the LOGIN_THROTTLE setting may override it."""
    return int(getattr(settings, "LOGIN_THROTTLE", {}).get(name, LOGIN_THROTTLE_DEFAULTS[name]))


def password_reset_rate(scope: str) -> tuple[int, int] | None:
    """(requests, seconds) allowed per email or per client address; None when unlimited."""
    rates = {**PASSWORD_RESET_DEFAULT_RATES, **getattr(settings, "PASSWORD_RESET_RATES", {})}
    rate = rates.get(scope)
    if rate is None:
        return None
    return SimpleRateThrottle.parse_rate(None, rate)


def staff_mfa_required() -> bool:
    """Whether staff must enrol a second factor before reaching any page (default on)."""
    return bool(getattr(settings, "STAFF_MFA_REQUIRED", True))
