from django.urls import path

from . import views

app_name = "certificates_api"
urlpatterns = [
    path("verify", views.VerifyBulkView.as_view(), name="verify_bulk"),
    path("verify/file", views.VerifyFileView.as_view(), name="verify_file"),
    path("verify/<str:serial>", views.VerifyOneView.as_view(), name="verify_one"),
    path("certificates/mine/", views.MyCertificatesView.as_view(), name="mine"),
    path(
        "certificates/<str:serial>/revoke",
        views.RevokeView.as_view(),
        name="revoke",
    ),
]
