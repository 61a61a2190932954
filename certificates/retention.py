"""Anonymous verification rows are kept for a while, then folded into daily counts.

Every answer (page, upload, API, command) writes a Verification row: the
holder's "verified N times" and a verifier's audit read them. A row with a
signed-in verifier is kept as it is. A row without one (a visitor, an API
key) is kept CERTIFICATES_VERIFICATION_RETENTION_DAYS (90) days; a nightly
beat task then adds it to the count of its day, certificate, channel and, for
an API key, the key's enterprise, and deletes it. Counts read both (see
CertificateQuerySet.with_verification_count), so the holder's count does not
change.
"""

from collections import Counter
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import TruncDate
from django.utils import timezone

from organizations.models import ApiKey

from .conf import verification_retention_days
from .models import Verification, VerificationDailyCount

BATCH_SIZE = 5000


def anonymous_verifications_roll_up(*, now: datetime | None = None) -> int:
    """Fold anonymous rows older than the retention period into daily counts; how many rows."""
    cutoff = (now or timezone.now()) - timedelta(days=verification_retention_days())
    total = 0
    while True:
        folded = _roll_up_batch(cutoff)
        total += folded
        if folded < BATCH_SIZE:
            return total


@transaction.atomic
def _roll_up_batch(cutoff: datetime) -> int:
    # Rows are counted and deleted in one transaction, and locked (skipping rows another
    # roll-up holds), so no row is counted twice or lost.
    ids = list(
        Verification.objects.filter(verifier__isnull=True, created_at__lt=cutoff)
        .order_by("pk")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:BATCH_SIZE]
    )
    if not ids:
        return 0
    groups = (
        Verification.objects.filter(pk__in=ids)
        .annotate(day=TruncDate("created_at"))
        .values("day", "certificate_id", "channel", "api_key_prefix")
        .order_by()
        .annotate(n=Count("pk"))
    )
    rows = list(groups)
    enterprises = dict(
        ApiKey.objects.filter(
            prefix__in={row["api_key_prefix"] for row in rows if row["api_key_prefix"]}
        ).values_list("prefix", "organization_id")
    )
    counts: Counter = Counter()
    for row in rows:
        enterprise_id = enterprises.get(row["api_key_prefix"]) if row["api_key_prefix"] else None
        counts[(row["day"], row["certificate_id"], enterprise_id, row["channel"])] += row["n"]
    for (day, certificate_id, enterprise_id, channel), n in counts.items():
        key = {
            "day": day,
            "certificate_id": certificate_id,
            "enterprise_id": enterprise_id,
            "channel": channel,
        }
        if not VerificationDailyCount.objects.filter(**key).update(count=F("count") + n):
            VerificationDailyCount.objects.create(**key, count=n)
    Verification.objects.filter(pk__in=ids).delete()
    return len(ids)
