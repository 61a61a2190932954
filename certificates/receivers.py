"""Issue, and revoke, certificates when exams and courses report results (connected in ready())."""

import logging

from . import issuance

logger = logging.getLogger(__name__)


def on_attempt_result_changed(sender, attempt, passed_before=None, **kwargs) -> None:
    """A pass earns the level's certificate; a regrade that fails a pass revokes it."""
    # Sent after the grading transaction committed: a failure here must not turn the
    # student's saved result into an error page. A teacher's batch issue catches up.
    try:
        if attempt.passed:
            issuance.certificate_issue_for_attempt(attempt=attempt)
        elif passed_before:
            issuance.certificate_revoke_after_regrade(attempt=attempt)
    except Exception:
        logger.exception("Certificate not updated for attempt %s.", attempt.pk)


def on_course_completed(sender, enrollment, **kwargs) -> None:
    """Completing a course earns its course certificate."""
    try:
        issuance.certificate_issue_for_enrollment(enrollment=enrollment)
    except Exception:
        logger.exception("Course certificate not issued for enrolment %s.", enrollment.pk)
