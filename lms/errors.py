"""The site's error answers: JSON under /api/, the site's own pages elsewhere, DEBUG or not.

Django's error handlers (handler400/403/404/500 in urls.py) answer with these when DEBUG is
off. With DEBUG on Django answers with its technical pages instead (the 404 lists every URL
pattern, the 500 shows a traceback with settings); `ErrorPagesMiddleware` replaces those
with the same answers, and the traceback stays in the log.
"""

import logging
from http import HTTPStatus

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.debug import ExceptionReporter

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
# Statuses with a page of their own in lms/templates; others use the 400 page.
PAGES = {400, 403, 404, 413, 500}


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def default_detail(status: int) -> str:
    messages = {
        400: _("The request could not be understood."),
        403: _("You do not have permission to do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        411: _("Send the request with a Content-Length header."),
        413: _("The request is larger than this address accepts."),
        500: _("Something went wrong on our side; try again later."),
    }
    try:
        return messages.get(status) or HTTPStatus(status).phrase
    except ValueError:
        return str(status)


def status_for(exception: BaseException, status: int = 500) -> int:
    """The status an exception Django turned into a technical page deserves."""
    if isinstance(exception, RequestDataTooBig):
        return 413
    if isinstance(exception, (SuspiciousOperation, BadRequest)):
        return 400
    return status


def error_response(request, status: int, *, detail: str | None = None, **context) -> HttpResponse:
    """`{"detail": ...}` under /api/, else the site's page for the status (`reason` says why)."""
    if is_api(request):
        response = JsonResponse({"detail": str(detail or default_detail(status))}, status=status)
    else:
        template = f"{status}.html" if status in PAGES else "400.html"
        context = {"reason": detail, "status": status, **context}
        response = HttpResponse(_render_page(template, context, request), status=status)
    response.site_error = True
    return response


def _render_page(template: str, context: dict, request) -> str:
    if template != "500.html":
        return loader.render_to_string(template, context, request=request)
    # A server error may come from the database or a context processor: then the page is
    # rendered without the request, as Django's own server_error does, or bare at worst.
    for with_request in (request, None):
        try:
            return loader.render_to_string(template, context, request=with_request)
        except Exception:
            logger.exception("The 500 page could not be rendered")
    return f"<!doctype html><title>500</title><h1>{escape(default_detail(500))}</h1>"


def as_json(response: HttpResponse) -> HttpResponse:
    """The same error as JSON: a DRF response keeps its data, anything else gets a detail."""
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if content_type.endswith("json"):
        return response
    data = getattr(response, "data", None)
    if data is None:
        data = {"detail": default_detail(response.status_code)}
    replacement = JsonResponse(data, status=response.status_code, safe=False)
    return carry_over(response, replacement)


def carry_over(old: HttpResponse, new: HttpResponse) -> HttpResponse:
    """Keep the headers and cookies the middleware set on the response being replaced."""
    for header, value in old.items():
        if header.lower() not in {"content-type", "content-length"}:
            new.headers[header] = value
    new.cookies.update(old.cookies)
    new.site_error = True
    return new


# Django's error handlers (lms/urls.py).


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return error_response(request, 413)
    return error_response(request, 400)


def permission_denied(request, exception=None):
    reason = str(exception) if exception is not None else ""
    return error_response(request, 403, detail=reason or None)


def page_not_found(request, exception=None):
    return error_response(request, 404)


def server_error(request):
    return error_response(request, 500)


class SiteErrorReporter(ExceptionReporter):
    """DEBUG's technical error page, replaced by the site's own (the log has the traceback).

    ErrorPagesMiddleware sets it as the request's `exception_reporter_class`; only
    Django's technical_500_response uses that, never the error emails to admins.
    """

    def _answer(self) -> HttpResponse:
        self.request.site_exception = self.exc_value
        return error_response(self.request, status_for(self.exc_value))

    def get_traceback_html(self) -> str:
        return self._answer().content.decode()

    def get_traceback_text(self) -> str:
        return default_detail(self._answer().status_code)
