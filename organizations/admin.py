from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import api_keys, audit, services
from .access import Role, is_platform_admin, organization_ids
from .models import (
    ApiKey,
    AuditEntry,
    Membership,
    NameChangeRequest,
    Notification,
    NotificationPreference,
    Organization,
    Profile,
)


class MembershipInline(admin.TabularInline):
    """Listed here; granted and withdrawn on the Memberships page, whose saves are audited."""

    model = Membership
    extra = 0
    fields = ["user", "role", "is_active"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name_en", "name_zh"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "is_active"]
    list_filter = ["role", "is_active", "organization__kind"]
    search_fields = ["user__username", "organization__name_en", "organization__code"]
    autocomplete_fields = ["user", "organization"]

    # Every grant and withdrawal goes through the services, which write the audit trail:
    # a role is never edited in place (withdraw it and grant the new one) nor deleted.
    def get_readonly_fields(self, request, obj=None):
        return ["user", "organization", "role"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change and not obj.is_active:
            saved = services.membership_revoke(membership=obj, by=request.user)
        else:
            saved = services.membership_grant(
                user=obj.user, organization=obj.organization, role=obj.role, by=request.user
            )
        obj.pk = saved.pk
        obj._state.adding = False


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "name_native", "name_latin", "preferred_language"]
    search_fields = ["user__username", "name_native", "name_latin"]


@admin.register(NameChangeRequest)
class NameChangeRequestAdmin(admin.ModelAdmin):
    """Read-only: requests are decided on /organizations/name-changes/ (organizations.profile),
    which changes the names and writes the audit entry together."""

    list_display = ["created_at", "user", "name_native", "name_latin", "status", "decided_by"]
    list_filter = ["status"]
    search_fields = ["user__username", "name_native", "name_latin", "old_name_latin"]
    list_select_related = ["user", "decided_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ApiKeyCreateForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=list(api_keys.SCOPES.items()),
        initial=["verify"],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ApiKey
        fields = ["organization", "name", "scopes"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are listed and revoked here; a new key's raw value is shown once, in a message."""

    list_display = [
        "name",
        "prefix",
        "organization",
        "scopes",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "organization__code", "organization__name_en"]
    readonly_fields = [
        "organization",
        "name",
        "prefix",
        "scopes",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    actions = ["revoke_keys"]

    def _managed_organizations(self, request):
        if is_platform_admin(request.user):
            return Organization.objects.filter(kind=Organization.Kind.ENTERPRISE)
        ids = organization_ids(request.user, [Role.ADMIN])
        return Organization.objects.filter(kind=Organization.Kind.ENTERPRISE, pk__in=ids)

    def get_queryset(self, request):
        keys = super().get_queryset(request).select_related("organization")
        if is_platform_admin(request.user):
            return keys
        return keys.filter(organization__in=self._managed_organizations(request))

    def has_module_permission(self, request) -> bool:
        return request.user.is_staff and self._managed_organizations(request).exists()

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # keys are immutable: revoke and create a new one

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # keep revoked keys: verifications name them by prefix

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiKeyCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            kwargs["queryset"] = self._managed_organizations(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        created, raw_key = api_keys.api_key_create(
            organization=form.cleaned_data["organization"],
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            by=request.user,
        )
        # The admin goes on with `obj` (log entry, redirect): make it the saved row.
        obj.__dict__.update(
            {f.attname: getattr(created, f.attname) for f in ApiKey._meta.concrete_fields}
        )
        obj._state.adding = False
        messages.warning(
            request,
            _("New API key: %(key)s — copy it now; it is not stored and will not be shown again.")
            % {"key": raw_key},
        )

    @admin.action(description=_("Revoke the selected API keys"))
    def revoke_keys(self, request, queryset):
        for api_key in queryset.select_related("organization"):
            api_keys.api_key_revoke(api_key=api_key, by=request.user)
        messages.success(request, _("The selected API keys were revoked."))


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only, written by the services alone."""

    list_display = ["created_at", "action", "actor_label", "object_label", "organization"]
    list_filter = ["action", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["object_label", "actor_label", "note"]
    date_hierarchy = "created_at"
    list_select_related = ["organization"]

    def get_queryset(self, request):
        # The same slice as the audit page: an administrator's organisations, a regulator's
        # standards (everything for a platform administrator).
        return audit.visible_entries(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: entries are written by the services that notify."""

    list_display = ("created_at", "user", "kind", "read_at")
    list_filter = ("kind",)
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    readonly_fields = ("user", "kind", "params", "url", "created_at", "read_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "email", "inbox")
    list_filter = ("kind", "email", "inbox")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
