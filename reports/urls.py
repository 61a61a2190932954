from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.statistics_home, name="statistics_home"),
    path("definitions/", views.definitions, name="definitions"),
    path("refresh/", views.refresh_request, name="refresh_request"),
    path("refresh/<int:refresh_id>/", views.refresh_progress, name="refresh_progress"),
]
