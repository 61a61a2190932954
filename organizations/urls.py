"""Organisation pages, mounted at /organizations/."""

from django.urls import path

from . import audit_views, key_views

app_name = "organizations"
urlpatterns = [
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("api-keys/", key_views.api_keys, name="api_keys"),
    path("api-keys/<int:key_id>/rotate/", key_views.api_key_rotate_view, name="api_key_rotate"),
    path("api-keys/<int:key_id>/revoke/", key_views.api_key_revoke_view, name="api_key_revoke"),
]
