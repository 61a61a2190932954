"""Events other apps listen to, sent inside the transaction of the change (receivers write
rows that commit or roll back with it: reports' learning records)."""

import django.dispatch

# kwargs: certificate (just created, a first issue or a reissue).
certificate_issued = django.dispatch.Signal()

# kwargs: certificate (its status now revoked).
certificate_revoked = django.dispatch.Signal()
