"""Certificate helpers of the fault tests: a cohort that passes, and what rendering left behind."""

import time
from pathlib import Path

from certificates import rendering
from certificates.models import Certificate
from tests import factories
from tests.exams.conftest import build_exam
from tests.faults.seed import sit


def pass_cohort(school, government, count: int, *, tag: str = "cohort") -> list[Certificate]:
    """`count` students sit and pass one theory exam; each pass issues (and queues) a render."""
    exam = build_exam(school=school, government=government, practicals=0)
    attempts = [
        sit(factories.person(f"{tag}-{n}", school, "student", name_latin=f"Student {n}"), exam)
        for n in range(count)
    ]
    certificates = list(Certificate.objects.filter(attempt__in=attempts).order_by("pk"))
    assert len(certificates) == count, "every pass issues its certificate"
    return certificates


def pending_count(ids) -> int:
    return Certificate.objects.filter(pk__in=ids).exclude(render_state="done").count()


def all_rendered(ids) -> bool:
    return Certificate.objects.filter(pk__in=ids, render_state="done").count() == len(ids)


def stored_files(media_root: Path) -> list[str]:
    directory = media_root / rendering.PDF_DIRECTORY
    return sorted(p.name for p in directory.iterdir()) if directory.is_dir() else []


def stored_file(serial: str) -> str:
    """The file name a certificate's PDF is stored under (a keyed hash of its serial)."""
    return Path(rendering.pdf_name(serial)).name


def assert_rendered_once(certificates, media_root: Path) -> dict[int, tuple]:
    """One PDF per certificate, no other file, each matching its recorded SHA-256."""
    rows = list(Certificate.objects.filter(pk__in=[c.pk for c in certificates]).order_by("pk"))
    assert [row.render_state for row in rows] == ["done"] * len(certificates)
    assert stored_files(media_root) == sorted(stored_file(row.serial) for row in rows)
    for row in rows:
        assert row.pdf.name == rendering.pdf_name(row.serial)
        assert rendering.stored_pdf_sha256(row) == row.pdf_sha256, row.serial
    return {row.pk: (row.pdf_sha256, row.rendered_at) for row in rows}


def sweep_until_rendered(ids, broker, *, workers, timeout: float, every: float = 2) -> None:
    """Ask for a sweep whenever the queue is empty (beat would, every minute) until all are done."""
    from certificates.tasks import sweep_pending_renders
    from tests.faults.workers import wait_for

    deadline = time.monotonic() + timeout
    while not all_rendered(ids):
        if time.monotonic() > deadline:
            left = pending_count(ids)
            wait_for(lambda: False, timeout=0, what=f"{left} renders", workers=workers)
        if broker.queue_length() == 0:
            sweep_pending_renders.delay()
        time.sleep(every)
