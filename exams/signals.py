"""Events other apps listen to; sent after the transaction commits."""

import django.dispatch

# kwargs: attempt, passed_before (bool | None). Sent when an attempt is graded or its score or
# pass/fail changes on regrading. Certificates issue or revoke on it; LTI posts the score back.
attempt_result_changed = django.dispatch.Signal()

# Sent inside the transaction of the change, so a receiver's rows (reports' learning records)
# commit or roll back with it. attempt_submitted: kwargs attempt. attempt_graded: kwargs
# attempt, first_result (bool); sent on the first result and whenever pass/fail or score changes.
attempt_submitted = django.dispatch.Signal()
attempt_graded = django.dispatch.Signal()

# Sent inside the transaction in which an exam's held results become visible to its students
# (the exam closed: services.notices.held_results_announce; or a teacher set it to show them:
# services.exams.exam_save). kwargs: exam, released_at. Attempts graded while results show
# are released at grading (attempt_graded) and are not repeated here.
results_released = django.dispatch.Signal()
