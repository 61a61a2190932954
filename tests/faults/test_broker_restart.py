"""The broker restarts with renders queued: its queue is lost, the sweeper loses no certificate.

A private redis-server without persistence stands in for the broker (the shared
Redis on 6379 is never restarted): stopping it loses every queued message, as a
broker restarted without persistence or failed over to an empty replica would.
"""

import pytest

from certificates.models import Certificate
from organizations import notifications
from tests.faults.certs import assert_rendered_once, pass_cohort, sweep_until_rendered
from tests.faults.workers import Worker, reset_pools

pytestmark = [pytest.mark.faults, pytest.mark.celery_worker, pytest.mark.postgres]

COHORT = 5
SWEEP_AFTER_SECONDS = 1


@pytest.mark.django_db(transaction=True)
def test_renders_lost_with_a_restarted_broker_are_swept_up(
    broker, media_root, tmp_path, school, government, budget
):
    # The queue should hold the renders alone: the passes' notification emails stay unsent.
    with notifications.mail_held():
        queued = pass_cohort(school, government, COHORT)
    assert broker.queue_length() == COHORT

    broker.stop()
    # A pass while the broker is down still issues the certificate; only its render waits.
    issued_in_outage = pass_cohort(school, government, 1, tag="outage")
    assert Certificate.objects.get(pk=issued_in_outage[0].pk).render_state == "pending"

    broker.start()
    reset_pools()
    assert broker.queue_length() == 0, "the restarted broker kept its queue: nothing to test"

    certificates = queued + issued_in_outage
    worker = Worker(
        "after-restart",
        media_root,
        tmp_path,
        broker_url=broker.url(0),
        concurrency=2,
        CERTIFICATES_SWEEP_AFTER_SECONDS=str(SWEEP_AFTER_SECONDS),
    )
    try:
        sweep_until_rendered(
            [c.pk for c in certificates], broker, workers=[worker], timeout=budget.left(90)
        )
    finally:
        worker.stop()

    assert_rendered_once(certificates, media_root)
    assert Certificate.objects.count() == COHORT + 1
