"""System checks that refuse unsafe site settings in production (registered in apps.py)."""

from django.conf import settings
from django.core.checks import Error, Warning

# Backends that deliver nothing: fine with DEBUG on, a silent loss of every email in production.
NON_DELIVERING_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
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
