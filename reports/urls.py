from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.statistics_home, name="statistics_home"),
    path("definitions/", views.definitions, name="definitions"),
    path("refresh/", views.refresh_request, name="refresh_request"),
    path("refresh/<int:refresh_id>/", views.refresh_progress, name="refresh_progress"),
    path("learning-records/", views.learning_records, name="learning_records"),
    path("learning-records/export/", views.learning_records_export, name="learning_records_export"),
]
