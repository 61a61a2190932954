"""The certificate JSON API: verify one, many, or a file; a holder's list; revocation.

Verification is open to anyone (throttled per IP), to logged-in users and to
API keys with the "verify" scope (throttled per key, higher). Bulk
verification needs a key or a logged-in verifier. Every answer is logged.

A file check answers two things: "integrity" (is this file exactly what was
issued?) and "status" (the status of the certificate the file names). A file
is to be relied on only when integrity is "intact" and status is "valid".
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from exams import services as exam_services
from organizations.api_keys import ApiKeyAuthentication, has_api_key_scope, request_api_key

from .. import access, bulk_verification, verification
from ..models import Certificate, Verification
from ..revocation import StatusChangeError, certificate_revoke
from ..serials import normalise_serial
from .serializers import (
    BulkVerifyInSerializer,
    BulkVerifyOutSerializer,
    FileInSerializer,
    FileOutSerializer,
    MyCertificateSerializer,
    RevokeInSerializer,
    StatusChangeRefusedSerializer,
    VerifyOutSerializer,
)
from .throttles import VERIFY_THROTTLES

SCOPE = "verify"
Channel = Verification.Channel


class AnyoneButScopelessKeys(BasePermission):
    """Open to all, except an API key that lacks the verify scope."""

    message = gettext_lazy("This API key may not verify certificates.")

    def has_permission(self, request, view) -> bool:
        return request_api_key(request) is None or has_api_key_scope(request, SCOPE)


class KeyOrVerifier(BasePermission):
    """An API key with the verify scope, or a logged-in verifier."""

    def has_permission(self, request, view) -> bool:
        if request_api_key(request) is not None:
            if not has_api_key_scope(request, SCOPE):
                raise PermissionDenied(_("This API key may not verify certificates."))
            return True
        if not request.user.is_authenticated:
            raise NotAuthenticated(_("Bulk verification needs an API key or a verifier's login."))
        if not access.can_verify_in_bulk(request.user):
            raise PermissionDenied(_("Bulk verification is for verifiers."))
        return True


def _bad_request(errors) -> Response:
    """400 with one readable `detail` plus the per-field errors."""
    field, messages = next(iter(errors.items()))
    message = messages[0] if isinstance(messages, list) else messages
    if isinstance(message, dict):  # a list field's per-item errors
        message = next(iter(message.values()))
        message = message[0] if isinstance(message, list) else message
    return Response(
        {"detail": f"{field}: {message}", "errors": errors}, status=status.HTTP_400_BAD_REQUEST
    )


def _organisation(organization) -> dict | None:
    if organization is None:
        return None
    return {
        "code": organization.code,
        "name_en": organization.name_en,
        "name_zh": organization.name_zh,
    }


def accreditation_answer(accreditation) -> dict | None:
    """The accreditation behind a skill-level certificate, as AccreditationSerializer says."""
    if accreditation is None:
        return None
    standard = accreditation.standard
    return {
        "school": _organisation(accreditation.school),
        "enterprise_partner": _organisation(accreditation.enterprise_partner),
        "government": _organisation(standard.owner),
        "standard": {
            "code": standard.code,
            "name_en": standard.name_en,
            "name_zh": standard.name_zh,
        },
        "level": accreditation.level,
        "valid_from": accreditation.valid_from.isoformat(),
        "valid_until": accreditation.valid_until.isoformat() if accreditation.valid_until else None,
        "status": accreditation.status,
    }


def with_accreditations(pairs) -> None:
    """Add `accreditation` to each answer of a known certificate (two queries for all):
    who assessed a skill-level certificate and under whose accreditation; None for a course
    certificate or one sat under no accreditation still standing."""
    skill_level = Certificate.Kind.SKILL_LEVEL
    attempt_ids = [
        c.attempt_id
        for c, _answer in pairs
        if c is not None and c.kind == skill_level and c.attempt_id
    ]
    found = exam_services.accreditations_for_attempts(attempt_ids) if attempt_ids else {}
    for certificate, answer in pairs:
        if certificate is not None:
            answer["accreditation"] = accreditation_answer(found.get(certificate.attempt_id))


class VerifyAPIView(APIView):
    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]
    permission_classes = [AnyoneButScopelessKeys]
    throttle_classes = VERIFY_THROTTLES

    def log_context(self) -> dict:
        return {"verifier": self.request.user, "api_key": request_api_key(self.request)}


class VerifyOneView(VerifyAPIView):
    @extend_schema(
        responses={
            200: VerifyOutSerializer,
            404: OpenApiResponse(VerifyOutSerializer, description="No such certificate."),
        },
        summary="Verify one certificate by its serial number",
        description="Open to anyone (throttled per IP), to signed-in users and to API keys with "
        "the verify scope. Answers genuine or not; valid, expired, revoked, suspended or "
        "superseded; who issued it and for what. Nothing more personal than the holder's name.",
    )
    def get(self, request, serial: str):
        certificate = verification.find_certificate(serial)
        if certificate is None:
            verification.log_verification(
                certificate=None,
                serial_queried=serial,
                channel=Channel.API,
                result="unknown",
                **self.log_context(),
            )
            return Response(verification.unknown_answer(serial), status=status.HTTP_404_NOT_FOUND)
        answer = verification.answer(certificate)
        with_accreditations([(certificate, answer)])
        verification.log_verification(
            certificate=certificate,
            serial_queried=serial,
            channel=Channel.API,
            result=answer["status"],
            **self.log_context(),
        )
        return Response(answer)


class VerifyBulkView(VerifyAPIView):
    permission_classes = [KeyOrVerifier]

    @extend_schema(
        request=BulkVerifyInSerializer,
        responses={200: BulkVerifyOutSerializer},
        summary="Verify up to 1000 certificates at once",
        description="For API keys with the verify scope and signed-in verifiers. One answer per "
        "serial sent, in the same order; unknown serials answer `unknown`. Each serial counts "
        "against the enterprise's hourly allowance (shared with the bulk verification page): "
        "a request that would pass it is refused whole with 429.",
    )
    def post(self, request):
        form = BulkVerifyInSerializer(data=request.data)
        if not form.is_valid():
            return _bad_request(form.errors)
        serials = form.validated_data["serials"]
        try:  # each serial counts against the enterprise's hourly allowance, as on the page
            bulk_verification.take_allowance(
                count=len(serials), user=request.user, api_key=request_api_key(request)
            )
        except bulk_verification.BulkRefused as refused:
            return Response({"detail": refused.message}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        found = verification.find_certificates(serials)
        today = timezone.localdate()
        results, log = [], []
        for serial in serials:
            certificate = found.get(normalise_serial(serial) or "")
            if certificate is None:
                results.append(verification.unknown_answer(serial))
            else:
                results.append(verification.answer(certificate, today=today))
            log.append((certificate, serial, results[-1]["status"]))
        with_accreditations(
            [(certificate, answer) for (certificate, *_), answer in zip(log, results, strict=True)]
        )
        verification.log_verifications(log, channel=Channel.API, **self.log_context())
        return Response({"results": results})


class VerifyFileView(VerifyAPIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=FileInSerializer,
        responses={200: FileOutSerializer},
        summary="Verify a certificate file (its signed PDF or credential)",
        description="Rely on the file only when `integrity` is `intact` and `status` is `valid`.",
    )
    def post(self, request):
        form = FileInSerializer(data=request.data)
        if not form.is_valid():
            return _bad_request(form.errors)
        upload = form.validated_data["file"]
        if upload.size > verification.MAX_FILE_BYTES:
            return Response(
                {"detail": _("The file is too large to be a certificate.")},
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        check = verification.check_file(upload.read())
        if check.refused:
            return Response({"detail": check.detail}, status=status.HTTP_400_BAD_REQUEST)
        today = timezone.localdate()
        verification.log_verification(
            certificate=check.certificate,
            serial_queried=check.serial or "",
            channel=Channel.API,
            result=check.result(today),
            **self.log_context(),
        )
        return Response(
            {
                "status": check.status(today),
                "integrity": check.integrity,
                "serial": check.serial,
                "detail": check.detail,
            }
        )


@extend_schema(summary="My certificates")
class MyCertificatesView(generics.ListAPIView):
    """The logged-in holder's certificates, newest first."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]
    serializer_class = MyCertificateSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Certificate.objects.none()
        return Certificate.objects.filter(holder=self.request.user).select_related("superseded_by")


class RevokeView(APIView):
    """Revoke a certificate (teachers and admins of its school, platform admins)."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=RevokeInSerializer,
        responses={
            200: VerifyOutSerializer,
            409: OpenApiResponse(
                StatusChangeRefusedSerializer, description="The certificate is already revoked."
            ),
        },
        summary="Revoke a certificate",
    )
    def post(self, request, serial: str):
        certificate = get_object_or_404(
            verification.public_certificates(), serial=normalise_serial(serial) or ""
        )
        if not access.can_change_status(request.user, certificate):
            raise PermissionDenied(_("Only the issuing school can revoke this certificate."))
        form = RevokeInSerializer(data=request.data)
        if not form.is_valid():
            return _bad_request(form.errors)
        try:
            certificate_revoke(
                certificate=certificate,
                reason=form.validated_data["reason"],
                note=form.validated_data["note"],
                by=request.user,
            )
        except StatusChangeError as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        answer = verification.answer(certificate)
        with_accreditations([(certificate, answer)])
        return Response(answer)
