"""Anonymous verification rows become daily counts after the retention period (finding 9)."""

from datetime import UTC, date, datetime, timedelta

from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from certificates import tasks
from certificates.models import Verification, VerificationDailyCount
from certificates.retention import anonymous_verifications_roll_up
from lms.celery import app
from organizations.api_keys import api_key_create

Channel = Verification.Channel


def verified(certificate, *, days_ago: int, channel=Channel.PAGE, verifier=None, api_key=None):
    """A verification row written days_ago days ago."""
    row = Verification.objects.create(
        certificate=certificate,
        serial_queried=certificate.serial if certificate else "NOPE",
        channel=channel,
        result="valid" if certificate else "unknown",
        verifier=verifier,
        api_key_prefix=api_key.prefix if api_key else "",
    )
    Verification.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return row


def holders_count(client, holder, certificate) -> int:
    client.force_login(holder)
    rows = client.get(reverse("certificates:mine")).context["rows"]
    (row,) = [row for row in rows if row["certificate"].pk == certificate.pk]
    return row["certificate"].verification_count


def test_the_holders_verified_count_is_the_same_after_the_roll_up(
    client, certificate, student, verifier, enterprise, enterprise_admin
):
    api_key, _raw = api_key_create(
        organization=enterprise, name="HR", scopes=["verify"], by=enterprise_admin
    )
    for days_ago in (120, 120, 95):
        verified(certificate, days_ago=days_ago)
    verified(certificate, days_ago=100, channel=Channel.UPLOAD)
    verified(certificate, days_ago=100, channel=Channel.API, api_key=api_key)
    verified(certificate, days_ago=100, verifier=verifier)
    verified(certificate, days_ago=3)
    before = holders_count(client, student, certificate)

    folded = anonymous_verifications_roll_up()

    assert before == 7
    assert folded == 5
    assert holders_count(client, student, certificate) == 7
    assert "7 times" in client.get(reverse("certificates:mine")).content.decode()


def test_old_anonymous_rows_go_while_recent_and_signed_in_rows_stay(certificate, verifier):
    old_anonymous = verified(certificate, days_ago=91)
    recent = verified(certificate, days_ago=89)
    signed_in = verified(certificate, days_ago=400, verifier=verifier)

    anonymous_verifications_roll_up()

    remaining = set(Verification.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, signed_in.pk}
    assert old_anonymous.pk not in remaining


def test_counts_are_kept_per_day_certificate_channel_and_enterprise(
    certificate, make_certificate, enterprise, enterprise_admin
):
    other = make_certificate()
    api_key, _raw = api_key_create(
        organization=enterprise, name="HR", scopes=["verify"], by=enterprise_admin
    )
    verified(certificate, days_ago=100)
    verified(certificate, days_ago=100)
    verified(certificate, days_ago=100, channel=Channel.API, api_key=api_key)
    verified(certificate, days_ago=101)
    verified(other, days_ago=100)
    verified(None, days_ago=100)
    hundred = timezone.localdate(timezone.now() - timedelta(days=100))

    anonymous_verifications_roll_up()

    counts = {
        (c.day, c.certificate_id, c.enterprise_id, c.channel): c.count
        for c in VerificationDailyCount.objects.all()
    }
    assert counts == {
        (hundred, certificate.pk, None, "page"): 2,
        (hundred, certificate.pk, enterprise.pk, "api"): 1,
        (hundred - timedelta(days=1), certificate.pk, None, "page"): 1,
        (hundred, other.pk, None, "page"): 1,
        (hundred, None, None, "page"): 1,
    }


def test_a_later_roll_up_adds_to_the_days_count(certificate):
    verified(certificate, days_ago=100)
    anonymous_verifications_roll_up()
    verified(certificate, days_ago=100)
    verified(certificate, days_ago=100)

    anonymous_verifications_roll_up()

    (count,) = VerificationDailyCount.objects.all()
    assert count.count == 3
    assert not Verification.objects.exists()


def test_days_are_the_sites_local_days(certificate, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    row = verified(certificate, days_ago=200)
    # 17:00 UTC is 01:00 the next morning in Shanghai.
    Verification.objects.filter(pk=row.pk).update(
        created_at=datetime(2025, 3, 1, 17, 0, tzinfo=UTC)
    )

    anonymous_verifications_roll_up()

    assert VerificationDailyCount.objects.get().day == date(2025, 3, 2)


def test_the_retention_period_is_a_setting(certificate, settings):
    settings.CERTIFICATES_VERIFICATION_RETENTION_DAYS = 10
    verified(certificate, days_ago=11)
    kept = verified(certificate, days_ago=9)

    assert anonymous_verifications_roll_up() == 1
    assert list(Verification.objects.values_list("pk", flat=True)) == [kept.pk]


def test_a_roll_up_with_nothing_to_do_changes_nothing(certificate):
    verified(certificate, days_ago=1)

    assert anonymous_verifications_roll_up() == 0
    assert not VerificationDailyCount.objects.exists()


def test_the_beat_task_rolls_up_nightly(certificate):
    verified(certificate, days_ago=100)
    (entry,) = [
        entry
        for entry in django_settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "certificates.tasks.roll_up_verifications"
    ]

    result = tasks.roll_up_verifications.delay()

    assert entry["schedule"] == 24 * 3600
    assert "certificates.tasks.roll_up_verifications" in app.tasks
    assert result.get() == 1
    assert VerificationDailyCount.objects.get().count == 1
