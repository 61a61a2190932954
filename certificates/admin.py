import json

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import issuance
from .keys import rotate_key
from .models import Certificate, IssuanceBatch, IssuerKey


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = [
        "serial",
        "kind",
        "holder_name_native",
        "holder_name_latin",
        "standard_code",
        "level",
        "issued_on",
        "expires_on",
        "status",
        "is_current",
        "render_state",
    ]
    list_filter = ["status", "kind", "standard_code", "level", "render_state", "is_current"]
    search_fields = ["serial", "holder_name_native", "holder_name_latin", "holder__username"]
    date_hierarchy = "issued_on"
    list_select_related = ["holder"]
    actions = ["rerender", "reissue"]
    # What was certified never changes after issue: a correction is a reissue.
    readonly_fields = [
        "serial",
        "kind",
        "holder",
        "attempt",
        "enrollment",
        "skill_level",
        "course",
        "snapshot_pretty",
        "holder_name_native",
        "holder_name_latin",
        "standard_code",
        "level",
        "school",
        "enterprise",
        "government",
        "issued_on",
        "expires_on",
        "status",
        "status_changed_at",
        "revocation_reason",
        "status_note",
        "status_changed_by",
        "is_current",
        "superseded_by",
        "status_list_index",
        "render_state",
        "render_tries",
        "pdf",
        "pdf_sha256",
        "rendered_at",
        "created_at",
    ]
    exclude = ["snapshot", "credential_jwt"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("snapshot"))
    def snapshot_pretty(self, obj: Certificate) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.snapshot, ensure_ascii=False, indent=2))

    @admin.action(description=_("Render the PDF again"))
    def rerender(self, request, queryset) -> None:
        for certificate in queryset:
            issuance.certificate_rerender(certificate=certificate)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(n)d certificate queued.", "%(n)d certificates queued.", count)
            % {"n": count},
        )

    @admin.action(description=_("Reissue (correction: new serial, old one superseded)"))
    def reissue(self, request, queryset) -> None:
        done = 0
        for certificate in queryset:
            try:
                issuance.certificate_reissue(certificate=certificate, by=request.user)
            except issuance.CertificateError as error:
                self.message_user(
                    request, f"{certificate.serial}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(n)d certificate reissued.", "%(n)d certificates reissued.", done)
                % {"n": done},
            )


@admin.register(IssuerKey)
class IssuerKeyAdmin(admin.ModelAdmin):
    list_display = ["kid", "purpose", "created_at", "retired_at", "revoked_at"]
    list_filter = ["purpose"]
    actions = ["rotate"]
    # The private key never leaves the server, not even to an administrator's screen.
    fields = readonly_fields = [
        "purpose",
        "kid",
        "public_jwk",
        "certificate_pem",
        "created_at",
        "retired_at",
        "revoked_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Rotate: retire the active key of this purpose, make a new one"))
    def rotate(self, request, queryset) -> None:
        for purpose in sorted(set(queryset.values_list("purpose", flat=True))):
            key = rotate_key(purpose)
            self.message_user(
                request,
                _("New %(purpose)s key %(kid)s.")
                % {
                    "purpose": purpose,
                    "kid": key.kid,
                },
            )


@admin.register(IssuanceBatch)
class IssuanceBatchAdmin(admin.ModelAdmin):
    list_display = ["pk", "exam", "cohort", "requested_by", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["exam", "cohort", "requested_by", "certificates", "status", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False
