"""System checks that refuse unsafe learning-records forwarding settings (registered in apps.py)."""

from django.conf import settings
from django.core.checks import Error, Warning


def check_lrs_endpoint(app_configs=None, **kwargs) -> list:
    """The LRS endpoint must be http(s); in production, https (the basic credentials and the
    learning records travel with each request)."""
    endpoint = getattr(settings, "XAPI_LRS_ENDPOINT", "") or ""
    if not endpoint:
        return []
    if not endpoint.startswith(("http://", "https://")):
        return [
            Error(
                "XAPI_LRS_ENDPOINT must be an http:// or https:// address.",
                hint="The LRS's xAPI base, e.g. https://lrs.example/xapi.",
                id="reports.E001",
            )
        ]
    problems = []
    if endpoint.startswith("http://") and not settings.DEBUG:
        problems.append(
            Error(
                "XAPI_LRS_ENDPOINT is not https: the LRS credentials and learning records "
                "would cross the network unencrypted.",
                hint="Use the LRS's https:// address.",
                id="reports.E002",
            )
        )
    if not getattr(settings, "XAPI_LRS_USERNAME", ""):
        problems.append(
            Warning(
                "XAPI_LRS_ENDPOINT is set without XAPI_LRS_USERNAME: statements are sent "
                "without credentials.",
                id="reports.W001",
            )
        )
    return problems
