"""A whole worker SIGKILLed with renders queued: a new worker renders each certificate once.

The killed worker's reserved messages stay unacknowledged in Redis until the
visibility timeout (an hour): the messages still queued go to the new worker, and
the sweeper queues again the renders that were lost with the dead one.
"""

import pytest

from certificates import rendering
from certificates.models import Certificate
from certificates.tasks import render_certificate, sweep_pending_renders
from tests.faults.certs import (
    assert_rendered_once,
    pass_cohort,
    pending_count,
    sweep_until_rendered,
)
from tests.faults.workers import Worker, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.celery_worker, pytest.mark.postgres]

COHORT = 6
RENDER_DELAY_SECONDS = 3
SWEEP_AFTER_SECONDS = 2


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_loses_no_render_and_none_is_done_twice(
    broker, media_root, tmp_path, school, government, budget
):
    doomed = Worker(
        "doomed",
        media_root,
        tmp_path,
        broker_url=broker.url(0),
        concurrency=2,
        **{rendering.RENDER_DELAY_ENV: str(RENDER_DELAY_SECONDS)},
    )
    workers = [doomed]
    try:
        certificates = pass_cohort(school, government, COHORT)
        ids = [c.pk for c in certificates]
        pdf_dir = media_root / rendering.PDF_DIRECTORY

        # Mid-render: a PDF is stored but not yet recorded, and renders are still queued.
        wait_for(
            lambda: pdf_dir.is_dir() and any(pdf_dir.iterdir()),
            timeout=budget.left(60),
            what="the doomed worker to store a PDF",
            workers=workers,
        )
        assert len(doomed.group()) >= 3, "the main process and its two pool children"
        doomed.kill()
        wait_for(lambda: not doomed.group(), timeout=10, what="the whole worker to die")
        left = pending_count(ids)
        assert left > 0, "the kill came too late to test anything"

        fresh = Worker(
            "fresh",
            media_root,
            tmp_path,
            broker_url=broker.url(0),
            concurrency=2,
            CERTIFICATES_SWEEP_AFTER_SECONDS=str(SWEEP_AFTER_SECONDS),
        )
        workers.append(fresh)
        sweep_until_rendered(ids, broker, workers=workers, timeout=budget.left(90))

        first = assert_rendered_once(certificates, media_root)
        # Messages still around (duplicates from sweeps) find the render done and keep it.
        sweep_pending_renders.delay()
        for certificate in certificates:
            render_certificate.delay(certificate.pk)
        wait_for(
            lambda: broker.queue_length() == 0 and fresh.settled(),
            timeout=budget.left(30),
            what="the queue to drain",
            workers=workers,
        )
        assert fresh.received() >= COHORT
        assert assert_rendered_once(certificates, media_root) == first
    finally:
        for worker in workers:
            worker.stop()

    assert Certificate.objects.count() == COHORT
