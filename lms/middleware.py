"""Pages answer a brief database outage with a plain 503 page rather than a 500."""

import logging

from django.http import HttpResponse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .api_errors import DATABASE_ERRORS, RETRY_AFTER_SECONDS, unavailable_message

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Turn OperationalError/InterfaceError raised by a view into 503 with Retry-After.

    The page is built without templates, context processors or the session: all of
    them may need the database that just failed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.warning(
            "Database unavailable for %s %s: %s", request.method, request.path, exception
        )
        return unavailable_response()


def unavailable_response() -> HttpResponse:
    title = _("Service briefly unavailable")
    html = format_html(
        '<!doctype html><html lang="{}"><head><meta charset="utf-8"><title>{}</title></head>'
        "<body><h1>{}</h1><p>{}</p></body></html>",
        get_language() or "en",
        title,
        title,
        unavailable_message(),
    )
    response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
