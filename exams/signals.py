"""Events other apps listen to; sent after the transaction commits."""

import django.dispatch

# kwargs: attempt, passed_before (bool | None). Sent when an attempt is graded or its score or
# pass/fail changes on regrading. Certificates issue or revoke on it; LTI posts the score back.
attempt_result_changed = django.dispatch.Signal()
