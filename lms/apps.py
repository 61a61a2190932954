from django.apps import AppConfig
from django.core import checks


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = "CBEC Academy site"

    def ready(self) -> None:
        from django.contrib import admin

        from .accounts import ThrottledAdminAuthenticationForm
        from .checks import check_email

        checks.register(check_email, checks.Tags.security)
        # The admin's own login form takes the same throttles as the site's.
        admin.site.login_form = ThrottledAdminAuthenticationForm
