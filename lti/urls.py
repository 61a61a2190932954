from django.urls import path

from . import views

app_name = "lti"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("launch/", views.launch, name="launch"),
    path("window/<str:token>/", views.window, name="window"),
    path("jwks.json", views.jwks, name="jwks"),
    path("deep-link/<str:token>/", views.deep_link, name="deep_link"),
]
