"""Organisation pages, mounted at /organizations/."""

from django.urls import path

from . import audit_views, key_views, member_views, notification_views, profile_views

app_name = "organizations"
urlpatterns = [
    path("audit/", audit_views.audit_log, name="audit_log"),
    # A person's notifications, their choices, and the unsubscribe link of the emails.
    path("inbox/", notification_views.inbox, name="inbox"),
    path("inbox/read-all/", notification_views.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:notification_id>/read/", notification_views.inbox_read, name="inbox_read"),
    path("notifications/", notification_views.preferences, name="notification_preferences"),
    path(
        "notifications/unsubscribe/<str:token>/",
        notification_views.unsubscribe,
        name="notification_unsubscribe",
    ),
    # Name change requests, decided by the person's school's administrators.
    path("name-changes/", profile_views.name_changes, name="name_changes"),
    path(
        "name-changes/<int:request_id>/decide/",
        profile_views.name_change_decide,
        name="name_change_decide",
    ),
    path("api-keys/", key_views.api_keys, name="api_keys"),
    path("api-keys/<int:key_id>/rotate/", key_views.api_key_rotate_view, name="api_key_rotate"),
    path("api-keys/<int:key_id>/revoke/", key_views.api_key_revoke_view, name="api_key_revoke"),
    # Members and roles, for the organisation's administrators; invitation links.
    path("<int:organization_id>/members/", member_views.members, name="members"),
    path("<int:organization_id>/members/new/", member_views.member_new, name="member_new"),
    path(
        "<int:organization_id>/student-signup/",
        member_views.student_signup_settings,
        name="student_signup_settings",
    ),
    path(
        "<int:organization_id>/members/<int:user_id>/roles/",
        member_views.member_role_grant,
        name="member_role_grant",
    ),
    path(
        "<int:organization_id>/roles/<int:membership_id>/withdraw/",
        member_views.member_role_withdraw,
        name="member_role_withdraw",
    ),
    path("invitations/<str:uidb64>/<str:token>/", member_views.invitation, name="invitation"),
]
