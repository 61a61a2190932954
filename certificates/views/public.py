"""Public verification: the page a QR code opens, search, upload, and the issuer's trust files.

The page shows what the certificate certifies and its status, and the
holder's name masked unless the holder shared it; a visitor can confirm a
name they were given (limited per IP and per certificate: name_guesses). Every
answer counts against the client's verification limit. Unknown and malformed
serials get the same 404.
"""

import json
import math

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from exams import services as exam_services

from .. import name_guesses, verification
from .. import status_list as status_lists
from ..api.throttles import page_wait
from ..credential import CREDENTIAL_CONTEXTS
from ..models import Certificate, Verification
from ..rendering import base_url
from ..serials import normalise_serial

Channel = Verification.Channel
ISSUER_NAME = "CBEC Academy"
# Label and style of each status the page can show.
STATUS_DISPLAY = {
    "valid": (_("Valid"), "ok"),
    "expired": (_("Expired"), "bad"),
    "revoked": (_("Revoked"), "bad"),
    "suspended": (_("Suspended"), "bad"),
    "superseded": (_("Superseded by a newer certificate"), "bad"),
    "unknown": (_("Not found"), "bad"),
}
INTEGRITY_DISPLAY = {
    "intact": (_("Genuine: exactly as issued and signed by the platform"), "ok"),
    "modified": (_("Modified: this file is not the one the platform issued"), "bad"),
    "unknown": (_("Not recognised as a certificate issued here"), "bad"),
}


def _accreditation(certificate: Certificate | None):
    """The accreditation a skill-level certificate's exam was sat under (None for a course)."""
    if certificate is None or certificate.kind != Certificate.Kind.SKILL_LEVEL:
        return None
    if not certificate.attempt_id:
        return None
    found = exam_services.accreditations_for_attempts([certificate.attempt_id])
    return found.get(certificate.attempt_id)


def _no_index(response: HttpResponse) -> HttpResponse:
    # Holders' names, even masked, do not belong in search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _over_limit(request) -> HttpResponse | None:
    """A 429 page once this client has verified too much, counted like the API; else None."""
    wait = page_wait(request)
    if wait is None:
        return None
    seconds = max(1, math.ceil(wait))
    response = render(
        request, "certificates/public/limited.html", {"wait_seconds": seconds}, status=429
    )
    response["Retry-After"] = str(seconds)
    return _no_index(response)


def _not_found(request, serial: str) -> HttpResponse:
    verification.log_verification(
        certificate=None,
        serial_queried=serial,
        channel=Channel.PAGE,
        result="unknown",
        verifier=request.user,
    )
    response = render(request, "certificates/public/not_found.html", {"serial": serial}, status=404)
    return _no_index(response)


@never_cache
@require_http_methods(["GET", "POST"])
def verify_search(request):
    """Find a certificate by a typed serial (GET), or check an uploaded file (POST)."""
    # Each answer counts against the client's verification limit; a redirect to a
    # certificate's page does not, as that page counts itself.
    if request.method == "POST":
        return _over_limit(request) or _verify_upload(request)
    typed = request.GET.get("serial", "").strip()
    if not typed:
        return _no_index(render(request, "certificates/public/search.html"))
    serial = normalise_serial(typed)
    if serial is None:
        return _over_limit(request) or _not_found(request, typed)
    return redirect("certificates:verify", serial=serial)


def _verify_upload(request) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None or upload.size > verification.MAX_FILE_BYTES:
        error = _("Choose a certificate PDF or credential file (at most 10 MB).")
        response = render(request, "certificates/public/search.html", {"error": error}, status=400)
        return _no_index(response)
    check = verification.check_file(upload.read())
    if check.refused:
        context = {"error": check.detail}
        response = render(request, "certificates/public/search.html", context, status=400)
        return _no_index(response)
    today = timezone.localdate()
    verification.log_verification(
        certificate=check.certificate,
        serial_queried=check.serial or "",
        channel=Channel.UPLOAD,
        result=check.result(today),
        verifier=request.user,
    )
    status = check.status(today)
    context = {
        "check": check,
        "status": status,
        "status_display": STATUS_DISPLAY[status],
        "integrity_display": INTEGRITY_DISPLAY[check.integrity],
        "answer": verification.answer(check.certificate, today=today)
        if check.certificate
        else None,
        "accreditation": _accreditation(check.certificate),
    }
    return _no_index(render(request, "certificates/public/upload_result.html", context))


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request, serial: str):
    """The verification page of one certificate; POST confirms a holder's name."""
    limited = _over_limit(request)
    if limited is not None:
        return limited
    certificate = verification.find_certificate(serial)
    if certificate is None:
        return _not_found(request, serial)
    answer = verification.answer(certificate)
    name_check, status_code = None, 200
    if request.method == "POST":
        name_check = name_guesses.check_name(request, certificate, request.POST.get("name", ""))
        if name_check in (name_guesses.NETWORK_LIMITED, name_guesses.CERTIFICATE_PAUSED):
            status_code = 429
    verification.log_verification(
        certificate=certificate,
        serial_queried=serial,
        channel=Channel.PAGE,
        result=answer["status"],
        verifier=request.user,
    )
    context = {
        "certificate": certificate,
        "answer": answer,
        "status_display": STATUS_DISPLAY[answer["status"]],
        "name_check": name_check,
        "typed_name": request.POST.get("name", "") if request.method == "POST" else "",
        "accreditation": _accreditation(certificate),
    }
    response = render(request, "certificates/public/verify.html", context, status=status_code)
    return _no_index(response)


def _public_json(data, *, max_age: int, content_type: str = "application/json") -> HttpResponse:
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type=content_type)
    response["Cache-Control"] = f"public, max-age={max_age}"
    # Browser-based verifiers on other origins fetch these.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def jwks(request):
    """The public keys that sign credentials, current and retired."""
    return _public_json(
        verification.trusted_jwks(), max_age=300, content_type="application/jwk-set+json"
    )


@require_GET
def issuer_key(request, kid: str):
    """One public key as a JWK: what the kid URL in a credential's header dereferences to."""
    key = verification.trusted_key(kid)
    if key is None:
        raise Http404
    return _public_json(key, max_age=300, content_type="application/jwk+json")


@require_GET
def status_list(request, list_id: int):
    """A Bitstring Status List credential, as a VC-JWT (see certificates.status_list)."""
    purpose = status_lists.PURPOSES.get(list_id)
    if purpose is None:
        raise Http404
    list_url = base_url() + reverse("certificates:status_list", args=[list_id])
    token = status_lists.status_list_jwt(
        list_url=list_url, issuer_id=verification.issuer_id(), purpose=purpose
    )
    response = HttpResponse(token, content_type=status_lists.MEDIA_TYPE)
    response["Cache-Control"] = f"public, max-age={int(status_lists.TTL.total_seconds())}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def issuer_profile(request):
    """The platform as an Open Badges 3.0 issuer Profile."""
    issuer_id = base_url() + "/"
    profile = {
        "@context": list(CREDENTIAL_CONTEXTS),
        "id": issuer_id,
        "type": ["Profile"],
        "name": ISSUER_NAME,
        "url": issuer_id,
        "description": (
            "Skill-level and course certificates for cross-border e-commerce, issued with "
            "schools, enterprises and government bodies. / 跨境电商职业技能等级证书与课程证书。"
        ),
    }
    return _public_json(profile, max_age=3600, content_type="application/ld+json")
