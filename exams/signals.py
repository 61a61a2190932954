"""Events other apps listen to; sent after the transaction commits."""

import django.dispatch

# kwargs: attempt, passed_before (bool | None). Certificates issue, reissue or revoke on it.
attempt_result_changed = django.dispatch.Signal()
