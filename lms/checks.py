"""System checks that refuse unsafe site settings in production (registered in apps.py)."""

from django.conf import settings
from django.core.checks import Error, Warning

# Backends that deliver nothing: fine with DEBUG on, a silent loss of every email in production.
NON_DELIVERING_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
}


def check_email(app_configs=None, **kwargs) -> list:
    """Production must deliver email (password resets, notifications) from a real address."""
    if settings.DEBUG:
        return []
    problems = []
    default = getattr(settings, "MAILERS", {}).get("default")
    backend = (default or {}).get("BACKEND", "")
    if default is None or backend in NON_DELIVERING_BACKENDS:
        problems.append(
            Error(
                "No email backend that delivers is configured"
                + (f" ({backend} sends nothing)." if backend else "."),
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and "
                "EMAIL_HOST (with EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD and "
                "EMAIL_USE_TLS or EMAIL_USE_SSL as the mail server needs): without it password "
                "resets and notifications are lost.",
                id="lms.E001",
            )
        )
    if settings.DEFAULT_FROM_EMAIL.rstrip(">").endswith("@localhost"):
        problems.append(
            Warning(
                f"DEFAULT_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL!r}.",
                hint="Set DEFAULT_FROM_EMAIL to an address of your domain that mail servers "
                "accept, e.g. 'CBEC Academy <noreply@example.org>'.",
                id="lms.W001",
            )
        )
    return problems


def check_staff_mfa(app_configs=None, **kwargs) -> list:
    """Production must make staff enrol a second factor (lms/mfa.py)."""
    from . import conf

    if settings.DEBUG or conf.staff_mfa_required():
        return []
    return [
        Error(
            "STAFF_MFA_REQUIRED is off: teachers, mentors, verifiers, regulators and "
            "administrators can work without a second factor.",
            hint="Remove STAFF_MFA_REQUIRED=0 from the environment (it is meant for "
            "development only).",
            id="lms.E010",
        )
    ]


# Hosts a certificate's QR code and verification links must never point at: nobody but the
# server itself can open them.
LOCAL_HOSTS = {"localhost", "testserver"}


def _insecure_secret_key() -> str:
    """Why SECRET_KEY is unfit for production ('' when it is fine), Django's rule made strict."""
    key = str(getattr(settings, "SECRET_KEY", "") or "")
    if not key:
        return "SECRET_KEY is empty."
    if key.startswith("django-insecure"):  # lms.settings.DEV_SECRET_KEY and Django's own
        return "SECRET_KEY is the development key."
    if len(key) < 50 or len(set(key)) < 5:
        return "SECRET_KEY is too short or too simple (under 50 characters or 5 different ones)."
    return ""


def _local_base_url() -> str:
    """The CERTIFICATES_BASE_URL if it names this machine, else ''."""
    import ipaddress
    from urllib.parse import urlsplit

    url = str(getattr(settings, "CERTIFICATES_BASE_URL", "") or "")
    host = (urlsplit(url).hostname or "").lower()
    if not host or host in LOCAL_HOSTS or host.endswith(".localhost"):
        return url or "(empty)"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return ""
    return url if address.is_loopback or address.is_unspecified else ""


def _secret_and_address_problems() -> list:
    problems = []
    if reason := _insecure_secret_key():
        problems.append(
            Error(
                reason,
                hint="Set SECRET_KEY in the environment to a long random value, e.g. the output "
                "of `python -c 'import secrets; print(secrets.token_urlsafe(50))'` (bin/serve "
                "makes one under var/ when none is set); sessions, password reset links and "
                "signed values all depend on it.",
                id="lms.E003",
            )
        )
    if url := _local_base_url():
        problems.append(
            Error(
                f"CERTIFICATES_BASE_URL is {url}: certificates would carry QR codes and "
                "verification links that only this machine can open.",
                hint="Set CERTIFICATES_BASE_URL to the site's public address, e.g. "
                "https://academy.example.org. A local trial of the production stack may "
                "silence this check: SILENCED_SYSTEM_CHECKS=lms.E004.",
                id="lms.E004",
            )
        )
    return problems


def check_production_settings(app_configs=None, **kwargs) -> list:
    """With DEBUG off (production), every command refuses a development secret or address."""
    if settings.DEBUG:
        return []
    return _secret_and_address_problems()


def check_deploy_settings(app_configs=None, **kwargs) -> list:
    """`check --deploy` (bin/serve runs it) refuses DEBUG on and, with it, what DEBUG hides."""
    if not settings.DEBUG:
        return []  # check_production_settings and the others have already spoken
    return [
        Error(
            "DEBUG is on: error pages show settings and code, and development stand-ins "
            "(a key derived from SECRET_KEY, mail on the console) are in use.",
            hint="Remove DEBUG from the environment (it is off whenever SECRET_KEY is set) "
            "or set DEBUG=false.",
            id="lms.E002",
        ),
        *_secret_and_address_problems(),
    ]
