"""The admin page of second factors: a reset goes through lms.mfa (audited), never a delete."""

from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import mfa


class AuditedAuthenticatorAdmin(AuthenticatorAdmin):
    actions = ["reset_second_factors"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the audited reset below, not a silent delete

    @admin.action(
        description=_("Reset every second factor of these people (they must enrol again)"),
        permissions=["change"],
    )
    def reset_second_factors(self, request, queryset):
        users = get_user_model().objects.filter(pk__in=queryset.values_list("user_id", flat=True))
        for user in users:
            mfa.second_factors_reset(user=user, actor=request.user)
        count = len(users)
        self.message_user(
            request,
            ngettext(
                "The second factors of %(count)d person were reset.",
                "The second factors of %(count)d people were reset.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


admin.site.unregister(Authenticator)
admin.site.register(Authenticator, AuditedAuthenticatorAdmin)
