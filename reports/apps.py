from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Unified statistics")

    def ready(self) -> None:
        from certificates.signals import certificate_issued, certificate_revoked
        from courses.signals import completion_recorded, enrollment_recorded
        from exams.signals import attempt_graded, attempt_submitted, results_released

        from . import learning_records as records
        from .checks import check_lrs_endpoint

        checks.register(check_lrs_endpoint, checks.Tags.security)

        # Learning records (xAPI): written inside each event's transaction.
        for signal, receiver, uid in (
            (enrollment_recorded, records.on_enrollment, "enrollment"),
            (completion_recorded, records.on_completion, "completion"),
            (attempt_submitted, records.on_attempt_submitted, "attempt_submitted"),
            (attempt_graded, records.on_attempt_graded, "attempt_graded"),
            (results_released, records.on_results_released, "results_released"),
            (certificate_issued, records.on_certificate_issued, "certificate_issued"),
            (certificate_revoked, records.on_certificate_revoked, "certificate_revoked"),
        ):
            signal.connect(receiver, dispatch_uid=f"reports.xapi.{uid}")
