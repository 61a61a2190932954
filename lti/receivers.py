"""Signal handlers, connected in LtiConfig.ready()."""

import logging
from functools import partial

from django.db import transaction

from . import grades, tasks

logger = logging.getLogger(__name__)


def attempt_result_changed(sender, attempt, passed_before=None, **kwargs) -> None:
    """Send a graded attempt's score to every line item the student launched the exam from."""
    # Sent after the grading transaction committed: a failure here must not turn the
    # student's saved result into an error page. The admin can send scores again.
    try:
        ready = grades.grade_submissions_prepare(attempt=attempt)
    except Exception:
        logger.exception("LTI grade passback not prepared for attempt %s.", attempt.pk)
        return
    for submission in ready:
        # robust: a broker outage must not break the grading that sent the signal.
        transaction.on_commit(partial(tasks.grade_send.delay, submission.pk), robust=True)
