from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import (
    Context,
    Deployment,
    GradeSubmission,
    Platform,
    ResourceLink,
    ToolKey,
    UserLink,
)
from .platforms import grades_send_again, roster_summary, rosters_sync


class DeploymentInline(admin.TabularInline):
    model = Deployment
    extra = 1


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "issuer", "client_id", "organization", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "issuer", "client_id"]
    autocomplete_fields = ["organization"]
    inlines = [DeploymentInline]


@admin.register(ToolKey)
class ToolKeyAdmin(admin.ModelAdmin):
    list_display = ["kid", "created_at", "retired_at", "revoked_at"]
    fields = ["kid", "public_jwk", "created_at", "retired_at", "revoked_at"]
    readonly_fields = ["kid", "public_jwk", "created_at"]

    def has_add_permission(self, request):
        return False  # made on first use by lti.services.tool_key_current


@admin.register(Context)
class ContextAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "course",
        "cohort",
        "roster_synced_at",
        "roster_summary",
        "roster_error",
    ]
    list_filter = ["platform"]
    search_fields = ["title", "label", "context_id"]
    raw_id_fields = ["course", "cohort"]
    readonly_fields = [
        "platform",
        "context_id",
        "memberships_url",
        "roster_synced_at",
        "roster_report",
        "roster_error",
    ]
    actions = ["sync_roster"]

    @admin.display(description=_("last sync"))
    def roster_summary(self, context):
        return roster_summary(context)

    @admin.action(description=_("Sync the roster from the platform (NRPS)"))
    def sync_roster(self, request, queryset):
        n = rosters_sync(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            _("Roster sync queued for %(n)d platform courses; the list shows each result.")
            % {"n": n},
            messages.INFO,
        )


@admin.register(ResourceLink)
class ResourceLinkAdmin(admin.ModelAdmin):
    list_display = ["title", "platform", "context_title", "course", "exam", "lineitem_url"]
    list_filter = ["platform"]
    search_fields = ["title", "resource_link_id", "context_title"]
    raw_id_fields = ["course", "exam", "deployment", "context"]
    filter_horizontal = ["learners"]


@admin.register(UserLink)
class UserLinkAdmin(admin.ModelAdmin):
    list_display = ["sub", "user", "platform", "last_launch_at"]
    list_filter = ["platform"]
    search_fields = ["sub", "user__username"]
    raw_id_fields = ["user"]


@admin.register(GradeSubmission)
class GradeSubmissionAdmin(admin.ModelAdmin):
    list_display = [
        "attempt",
        "resource_link",
        "status",
        "held",
        "tries",
        "next_try_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "held"]
    readonly_fields = [
        "attempt",
        "resource_link",
        "score_given",
        "score_maximum",
        "sent_at",
        "last_error",
        "tries",
        "next_try_at",
    ]
    actions = ["send_again"]

    @admin.action(description=_("Send the selected scores again"))
    def send_again(self, request, queryset):
        n = grades_send_again(queryset.values_list("pk", flat=True))
        self.message_user(request, _("%(n)d scores queued.") % {"n": n}, messages.INFO)
