from django.apps import AppConfig
from django.core import checks


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = "CBEC Academy site"

    def ready(self) -> None:
        from allauth.account.decorators import secure_admin_login
        from django.contrib import admin

        from .checks import (
            check_deploy_settings,
            check_email,
            check_production_settings,
            check_staff_mfa,
        )

        checks.register(check_email, checks.Tags.security)
        checks.register(check_staff_mfa, checks.Tags.security)
        checks.register(check_production_settings, checks.Tags.security)
        checks.register(check_deploy_settings, checks.Tags.security, deploy=True)
        # The admin logs in through the site's login page: the same throttles, and the
        # second factor staff must have (lms/mfa.py).
        admin.site.login = secure_admin_login(admin.site.login)
