"""The site's middleware: error answers, request body limits, a database outage as 503."""

import logging

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import conf, errors
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


class ErrorPagesMiddleware:
    """Errors answer JSON under /api/ and the site's own pages elsewhere, DEBUG on or off.

    It sits near the top of MIDDLEWARE so that it sees the errors the middleware below it
    turns into responses: a non-JSON error under /api/ (Django's HTML pages, DRF's browsable
    API, a 405 or a CSRF refusal) becomes `{"detail": ...}` with the same status; with DEBUG
    on, Django's technical pages (the 404 listing the URL patterns, the traceback) become
    the site's pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEBUG:
            request.exception_reporter_class = errors.SiteErrorReporter
        response = self.get_response(request)
        technical = request.__dict__.pop("site_exception", None)
        if technical is not None:
            status = errors.status_for(technical, response.status_code)
            return errors.carry_over(response, errors.error_response(request, status))
        if response.status_code < 400 or getattr(response, "site_error", False):
            return response
        if errors.is_api(request):
            return errors.as_json(response)
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            # No URL pattern matched: Django's technical 404 would list them all.
            return errors.carry_over(response, errors.page_not_found(request))
        return response

    def process_exception(self, request, exception):
        # With DEBUG off handler404 answers the same; with it on Django would show its own.
        if isinstance(exception, Http404):
            return errors.page_not_found(request, exception)
        return None


class RequestBodyLimitMiddleware:
    """Refuse a body larger than the view accepts (413) before anything reads it.

    The limit comes from the view the URL resolved to (lms.conf.body_limit), so it runs
    in process_view, which Django calls before CsrfViewMiddleware's (listed after this one)
    can read a form. A body without a length (chunked) is refused with 411: the WSGI
    server would hand Django none of it anyway.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        length = request.META.get("CONTENT_LENGTH") or ""
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not length.strip():
            if chunked:
                return self._refuse(request, 411)
            return None  # no body
        try:
            size = int(length)
        except ValueError:
            return self._refuse(request, 400)
        limit = conf.body_limit(request)
        if size > limit:
            logger.warning(
                "Request body of %d bytes refused for %s (limit %d)", size, request.path, limit
            )
            mb = limit / conf.MB
            return self._refuse(
                request,
                413,
                detail=_("The request is larger than this address accepts (%(max)s MB at most).")
                % {"max": f"{mb:.1f}"},
                limit_mb=f"{mb:.1f}",
            )
        return None

    @staticmethod
    def _refuse(request, status: int, **kwargs) -> HttpResponse:
        # No "Connection: close" here: WSGI leaves hop-by-hop headers to the server.
        return errors.error_response(request, status, **kwargs)
