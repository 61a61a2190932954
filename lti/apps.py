from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LtiConfig(AppConfig):
    name = "lti"
    verbose_name = _("LTI 1.3 (LMS integration)")

    def ready(self) -> None:
        from exams.signals import attempt_result_changed

        from . import receivers

        attempt_result_changed.connect(
            receivers.attempt_result_changed, dispatch_uid="lti.grade_passback"
        )
