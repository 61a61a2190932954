"""The site's URLs plus two bench-only views that give the measured ones a baseline."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import path

from certificates.models import Certificate
from lms.urls import urlpatterns as site_urlpatterns


def plain_verify(request, serial: str):
    """The same certificate row as the verification API, read and returned plainly."""
    row = (
        Certificate.objects.filter(serial=serial)
        .values("serial", "status", "kind", "standard_code", "level", "issued_on", "expires_on")
        .first()
    )
    if row is None:
        raise Http404
    return JsonResponse(row)


@login_required
def render_per_request(request, serial: str):
    """The certificate's PDF rendered, signed and returned in the request (never stored)."""
    from certificates.rendering import data_from_snapshot, signed_pdf

    certificate = Certificate.objects.filter(serial=serial, holder=request.user).first()
    if certificate is None:
        raise Http404
    signed, _jwt = signed_pdf(data_from_snapshot(certificate.snapshot))
    response = HttpResponse(signed, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{serial}.pdf"'
    return response


urlpatterns = [
    path("bench/plain-verify/<str:serial>", plain_verify, name="bench_plain_verify"),
    path("bench/render/<str:serial>/pdf/", render_per_request, name="bench_render_pdf"),
    *site_urlpatterns,
]
