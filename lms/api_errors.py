"""The API's exception handler: a database outage is a brief 503, not a 500 with a traceback."""

import logging

from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

# Seconds a client should wait before trying again (a database restart takes a few).
RETRY_AFTER_SECONDS = 5
DATABASE_ERRORS = (OperationalError, InterfaceError)


def unavailable_message() -> str:
    return _("The service is briefly unavailable; try again.")


def exception_handler(exc, context):
    """DRF's handler, plus: a lost or unreachable database answers 503 with Retry-After."""
    if isinstance(exc, DATABASE_ERRORS):
        request = context.get("request")
        logger.warning("Database unavailable for %s: %s", getattr(request, "path", "?"), exc)
        return Response(
            {"detail": unavailable_message()},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return drf_exception_handler(exc, context)
