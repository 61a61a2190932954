from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """A person's data rights: downloading everything held about them, erasure, and the
    retention of uploads. Built on every other app (organizations, courses, exams,
    certificates) and imported by none of them."""

    name = "privacy"
    verbose_name = _("Privacy")
