from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.statistics_home, name="statistics_home"),
    path("definitions/", views.definitions, name="definitions"),
]
