"""A render queued inside a transaction that rolls back never reaches the worker."""

import pytest
from django.db import transaction

from certificates import issuance, rendering
from certificates.models import Certificate
from exams.models import Attempt
from tests.exams.conftest import build_exam
from tests.faults.certs import stored_file, stored_files
from tests.faults.seed import sit
from tests.faults.workers import Worker, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.celery_worker, pytest.mark.postgres]


class Abort(Exception):
    """Something failed after the certificate was issued, in the same transaction."""


@pytest.mark.django_db(transaction=True)
def test_a_render_queued_in_a_rolled_back_transaction_never_runs(
    broker, media_root, tmp_path, school, government, student, other_student, budget
):
    exam = build_exam(school=school, government=government, practicals=0)
    worker = Worker("only", media_root, tmp_path, broker_url=broker.url(0))
    try:
        with pytest.raises(Abort), transaction.atomic():
            attempt = sit(student, exam)
            rolled_back = issuance.certificate_issue_for_attempt(attempt=attempt)
            assert rolled_back is not None and rolled_back.pk
            raise Abort
        assert not Attempt.objects.filter(student=student).exists()
        assert not Certificate.objects.filter(pk=rolled_back.pk).exists()
        assert broker.queue_length() == 0, "a render was queued before the commit"

        # The same steps, committed: this one renders (FIFO, one process: it comes after).
        committed = Certificate.objects.get(attempt=sit(other_student, exam))
        wait_for(
            lambda: Certificate.objects.filter(pk=committed.pk, render_state="done").exists(),
            timeout=budget.left(90),
            what="the committed certificate to be rendered",
            workers=[worker],
        )
        wait_for(worker.settled, timeout=10, what="the worker to finish", workers=[worker])
    finally:
        worker.stop()

    assert worker.received() == 1, worker.tail()
    assert stored_files(media_root) == [stored_file(committed.serial)]
    assert list(Certificate.objects.values_list("pk", flat=True)) == [committed.pk]
    assert not (media_root / rendering.pdf_name(rolled_back.serial)).exists()
