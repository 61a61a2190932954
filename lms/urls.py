from allauth.account import views as allauth_views
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from organizations import profile_views

from . import accounts, adapters, health, landing

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="courses:catalogue"), name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # Accounts (django-allauth, lms/adapters.py): the names the site has always used point at
    # allauth's pages; allauth's own names (account_login, ...) reach the same addresses.
    path("accounts/login/", adapters.LoginView.as_view(), name="login"),
    path("accounts/logout/", allauth_views.logout, name="logout"),
    path("accounts/signup/", adapters.SignupView.as_view(), name="signup"),
    path("accounts/password/reset/", adapters.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/change/", allauth_views.password_change, name="password_change"),
    path("accounts/profile/", profile_views.profile, name="account_profile"),
    path("accounts/", include("allauth.urls")),
    path("start/", landing.landing, name="landing"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("courses/", include("courses.urls")),
    path("exams/", include("exams.urls")),
    path("reports/", include("reports.urls")),
    path("gradebook/", include("gradebook.urls")),
    path("privacy/", include("privacy.urls")),
    path("organizations/", include("organizations.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's start-up script is served from ?script, not inline (CSP).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="lms/swagger_ui.html"),
        name="api_docs",
    ),
    path("api/v1/auth/token/", accounts.ObtainAuthToken.as_view(), name="api_token"),
    path("api/v1/", include("courses.api.urls")),
    path("api/v1/", include("exams.api.urls")),
    path("api/v1/", include("exams.api.authoring_urls")),
    path("api/v1/", include("certificates.api.urls")),
    path("api/v1/", include("reports.api_urls")),
    path("lti/", include("lti.urls")),
    path("", include("certificates.urls")),
]
# No route serves MEDIA_ROOT, not even with DEBUG on: every stored file is private and
# leaves only through a view that checks access (certificate PDFs, lesson attachments, answers).

# Errors answer JSON under /api/ and the site's own pages elsewhere (lms/errors.py).
handler400 = "lms.errors.bad_request"
handler403 = "lms.errors.permission_denied"
handler404 = "lms.errors.page_not_found"
handler500 = "lms.errors.server_error"
