"""The site's URLs plus views that fail on purpose, for the error-answer tests."""

from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from lms.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("a bug")


def suspicious(request):
    raise SuspiciousOperation("a forged header")


@require_POST
def post_only(request):
    return HttpResponse("ok")


@api_view(["POST"])
@permission_classes([AllowAny])
def echo(request):
    return Response({"received": len(request.data)})


urlpatterns = [
    path("api/v1/test/boom/", boom),
    path("api/v1/test/suspicious/", suspicious),
    path("api/v1/test/post-only/", post_only),
    path("api/v1/test/echo/", echo),
    path("test/boom/", boom),
    *site_urlpatterns,
]
handler400 = "lms.errors.bad_request"
handler403 = "lms.errors.permission_denied"
handler404 = "lms.errors.page_not_found"
handler500 = "lms.errors.server_error"
