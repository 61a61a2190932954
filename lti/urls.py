from django.urls import path

from . import platform_views, views

app_name = "lti"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("launch/", views.launch, name="launch"),
    path("window/<str:token>/", views.window, name="window"),
    path("jwks.json", views.jwks, name="jwks"),
    path("deep-link/<str:token>/", views.deep_link, name="deep_link"),
    path("platforms/", platform_views.platform_list, name="platforms"),
    path("platforms/new/", platform_views.platform_new, name="platform_new"),
    path("platforms/<int:platform_id>/", platform_views.platform_detail, name="platform"),
    path("platforms/<int:platform_id>/edit/", platform_views.platform_edit, name="platform_edit"),
    path(
        "platforms/<int:platform_id>/active/",
        platform_views.platform_active,
        name="platform_active",
    ),
    path(
        "platforms/<int:platform_id>/roster/",
        platform_views.platform_roster_sync,
        name="platform_roster_sync",
    ),
    path(
        "platforms/<int:platform_id>/grades/",
        platform_views.platform_grade_resend,
        name="platform_grade_resend",
    ),
    path(
        "platforms/<int:platform_id>/grades/all/",
        platform_views.platform_grades_resend_all,
        name="platform_grades_resend_all",
    ),
]
