"""Input validation and the documented shapes of the certificate API's answers."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Certificate

MAX_BULK = 1000


class BulkVerifyInSerializer(serializers.Serializer):
    serials = serializers.ListField(
        child=serializers.CharField(max_length=64, allow_blank=True, trim_whitespace=False),
        min_length=1,
        max_length=MAX_BULK,
        error_messages={
            # MAX_BULK, spelled out so the message is translated per request.
            "min_length": _("Send between 1 and 1000 serials."),
            "max_length": _("Send between 1 and 1000 serials."),
            "not_a_list": _("`serials` must be a list of serial numbers."),
        },
    )


class FileInSerializer(serializers.Serializer):
    file = serializers.FileField()


class RevokeInSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Certificate.RevocationReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class StatusChangeRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why the status cannot change so.")


class OrganisationSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_zh = serializers.CharField()


class OrganisationsSerializer(serializers.Serializer):
    school = OrganisationSerializer(allow_null=True)
    enterprise = OrganisationSerializer(allow_null=True)
    government = OrganisationSerializer(allow_null=True)


class HolderSerializer(serializers.Serializer):
    name_native = serializers.CharField()
    name_latin = serializers.CharField()
    masked = serializers.BooleanField()
    withheld = serializers.BooleanField(
        required=False,
        help_text="Present and true when the holder's personal data was erased at their "
        "request: the certificate is still a record, its name is withheld (names are empty).",
    )


class StandardSerializer(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.CharField()
    name_en = serializers.CharField()
    name_zh = serializers.CharField()


class LevelSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name_en = serializers.CharField()
    name_zh = serializers.CharField()


class CertificateCourseSerializer(serializers.Serializer):
    name_en = serializers.CharField()
    name_zh = serializers.CharField()


class AccreditedStandardSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_zh = serializers.CharField()


class AccreditationSerializer(serializers.Serializer):
    """The accreditation a skill-level certificate's exam was sat under."""

    school = OrganisationSerializer(help_text="The accredited assessment centre.")
    enterprise_partner = OrganisationSerializer(allow_null=True)
    government = OrganisationSerializer(help_text="The government body that accredited it.")
    standard = AccreditedStandardSerializer()
    level = serializers.IntegerField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(
        choices=["active", "suspended"],
        help_text="Today's status; a suspension stops new sittings, not earned certificates.",
    )


STATUSES = ["valid", "expired", "revoked", "suspended", "superseded", "unknown"]


class VerifyOutSerializer(serializers.Serializer):
    """One answer (built by certificates.verification.answer; documented here)."""

    serial = serializers.CharField()
    status = serializers.ChoiceField(choices=STATUSES)
    kind = serializers.CharField(required=False)
    standard = StandardSerializer(allow_null=True, required=False)
    level = LevelSerializer(allow_null=True, required=False)
    course = CertificateCourseSerializer(allow_null=True, required=False)
    issued_on = serializers.DateField(required=False)
    expires_on = serializers.DateField(allow_null=True, required=False)
    holder = HolderSerializer(required=False)
    organisations = OrganisationsSerializer(required=False)
    revoked_on = serializers.DateField(allow_null=True, required=False)
    suspended_on = serializers.DateField(allow_null=True, required=False)
    reason = serializers.CharField(allow_null=True, required=False)
    superseded_by = serializers.CharField(allow_null=True, required=False)
    scores = serializers.DictField(child=serializers.CharField(), required=False)
    accreditation = AccreditationSerializer(
        allow_null=True,
        required=False,
        help_text="Who assessed a skill-level certificate, under whose accreditation; "
        "null for course certificates.",
    )


class BulkVerifyOutSerializer(serializers.Serializer):
    results = VerifyOutSerializer(many=True)


class FileOutSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=STATUSES, help_text="The status of the certificate the file names."
    )
    integrity = serializers.ChoiceField(
        choices=["intact", "modified", "unknown"],
        help_text="Whether the file is exactly what was issued; rely on it only when intact.",
    )
    serial = serializers.CharField(allow_null=True)
    detail = serializers.CharField()


class MyCertificateSerializer(serializers.ModelSerializer):
    """A holder's own certificate: everything about it, for its owner."""

    status = serializers.SerializerMethodField()
    title_en = serializers.SerializerMethodField()
    title_zh = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "serial",
            "kind",
            "title_en",
            "title_zh",
            "standard_code",
            "level",
            "issued_on",
            "expires_on",
            "status",
            "is_current",
            "show_full_name",
            "show_scores",
            "verify_url",
            "pdf_url",
        ]

    def get_status(self, certificate: Certificate) -> str:
        return certificate.public_status(timezone.localdate())

    def get_title_en(self, certificate: Certificate) -> str:
        return (certificate.snapshot or {}).get("achievement_name_en", "")

    def get_title_zh(self, certificate: Certificate) -> str:
        return (certificate.snapshot or {}).get("achievement_name_zh", "")

    def get_verify_url(self, certificate: Certificate) -> str:
        return self.context["request"].build_absolute_uri(certificate.get_absolute_url())

    def get_pdf_url(self, certificate: Certificate) -> str | None:
        if not certificate.pdf_sha256:
            return None
        url = reverse("certificates:download_pdf", args=[certificate.serial])
        return self.context["request"].build_absolute_uri(url)
