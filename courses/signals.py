"""Events other apps listen to (certificates issues a course certificate on completion).

The `*_recorded` signals are sent inside the transaction of the change, so a receiver's
writes (reports' learning records) commit or roll back with it; receivers only write rows.
"""

import django.dispatch

# Sent after the transaction that completed the course commits; kwargs: enrollment.
course_completed = django.dispatch.Signal()

# Sent inside the transaction that enrols (or re-enrols) a student; kwargs: enrollment.
enrollment_recorded = django.dispatch.Signal()

# Sent inside the transaction that completes the course (course_completed follows on commit);
# kwargs: enrollment.
completion_recorded = django.dispatch.Signal()
