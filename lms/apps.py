from django.apps import AppConfig
from django.core import checks


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = "CBEC Academy site"

    def ready(self) -> None:
        from allauth.account.decorators import secure_admin_login
        from allauth.account.signals import email_confirmed, password_reset
        from django.contrib import admin

        from .adapters import forgive_account_on_password_reset, join_school_on_email_confirmed
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
        # Students who signed up to a school become its students once their address is verified.
        email_confirmed.connect(join_school_on_email_confirmed, dispatch_uid="lms.join_school")
        # A password reset lifts the lock a distributed storm put on the account.
        password_reset.connect(forgive_account_on_password_reset, dispatch_uid="lms.reset_unlock")
