from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("Exams")

    def ready(self) -> None:
        # A passed exam of a course is the evidence a course requiring an assessment needs.
        from courses import completion

        from . import course_evidence
        from .signals import attempt_result_changed

        completion.register(course_evidence.SOURCE)
        attempt_result_changed.connect(
            course_evidence.on_attempt_result_changed, dispatch_uid="exams.course_evidence"
        )
