from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        # Registers the API key scheme with drf-spectacular's schema generator.
        from . import schema  # noqa: F401
        from .receivers import connect

        # A changed or reset password ends the owner's API tokens.
        connect()
