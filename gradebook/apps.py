from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradebookConfig(AppConfig):
    """A cohort's gradebook: progress, exam results and certificates, built on the other apps
    (organizations, courses, exams, certificates) and imported by none of them."""

    name = "gradebook"
    verbose_name = _("Gradebook")
