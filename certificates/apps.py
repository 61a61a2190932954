from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from courses.signals import course_completed
        from exams.signals import attempt_result_changed

        from . import receivers
        from .checks import check_key_encryption_key

        checks.register(check_key_encryption_key, checks.Tags.security)
        attempt_result_changed.connect(
            receivers.on_attempt_result_changed, dispatch_uid="certificates.attempt_result"
        )
        course_completed.connect(
            receivers.on_course_completed, dispatch_uid="certificates.course_completed"
        )
        from exams import usage as exam_usage

        from .usage import certificates_by_level

        exam_usage.register("certificates", _("Certificates"), certificates_by_level)
