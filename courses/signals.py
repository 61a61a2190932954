"""Events other apps listen to (certificates issues a course certificate on completion)."""

import django.dispatch

# Sent after the transaction that completed the course commits; kwargs: enrollment.
course_completed = django.dispatch.Signal()
