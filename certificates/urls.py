"""Mounted at the site root: holder pages under certificates/, public verification elsewhere."""

from django.urls import path

from .views import enterprise, holder, public

app_name = "certificates"
urlpatterns = [
    # Holders and issuers
    path("certificates/", holder.my_certificates, name="mine"),
    path("certificates/<str:serial>/pdf/", holder.download_pdf, name="download_pdf"),
    path(
        "certificates/<str:serial>/credential.json",
        holder.download_credential,
        name="download_credential",
    ),
    path(
        "certificates/<str:serial>/credential.jwt",
        holder.download_credential_jwt,
        name="download_credential_jwt",
    ),
    path("certificates/<str:serial>/sharing/", holder.sharing, name="sharing"),
    path("certificates/<str:serial>/status/", holder.change_status, name="change_status"),
    path("certificates/templates/preview/", holder.template_preview, name="template_preview"),
    path("certificates/batches/new/", holder.batch_issue, name="batch_issue"),
    path("certificates/batches/<int:batch_id>/", holder.batch_progress, name="batch_progress"),
    # Anyone
    path("verify/", public.verify_search, name="verify_search"),
    # Enterprises (before verify/<serial>/, which would take "bulk" for a serial)
    path("verify/bulk/", enterprise.bulk_verify, name="bulk_verify"),
    path("verify/bulk/<str:token>.<str:fmt>", enterprise.bulk_report, name="bulk_verify_report"),
    path("verify/history/", enterprise.verification_history, name="verification_history"),
    path("verify/<str:serial>/", public.verify, name="verify"),
    path(".well-known/jwks.json", public.jwks, name="jwks"),
    path("credentials/keys/<str:kid>", public.issuer_key, name="issuer_key"),
    path("credentials/status/<int:list_id>", public.status_list, name="status_list"),
    path("issuer", public.issuer_profile, name="issuer"),
]
