from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from . import health

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="courses:catalogue"), name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("courses/", include("courses.urls")),
    path("exams/", include("exams.urls")),
    path("api/v1/", include("exams.api.urls")),
    path("api/v1/", include("certificates.api.urls")),
    path("", include("certificates.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
