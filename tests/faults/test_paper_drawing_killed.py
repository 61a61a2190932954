"""A worker SIGKILLed while it draws a sitting's papers in advance: running the drawing
again (the sitting page's "Draw missing papers") completes the roster with no paper
missing and none drawn twice."""

import pytest

from exams.models import Sitting, SittingPaper
from exams.services.sittings import DRAW_DELAY_ENV, roster
from exams.tasks import draw_sitting_papers
from tests import factories
from tests.exams.conftest import build_exam
from tests.faults.workers import Worker, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.celery_worker, pytest.mark.postgres]

CANDIDATES = 8


@pytest.mark.django_db(transaction=True)
def test_a_killed_drawing_is_resumed_without_duplicates_or_gaps(
    broker, media_root, tmp_path, school, government, budget
):
    from django.utils import timezone

    exam = build_exam(school=school, government=government, practicals=0)
    sitting = Sitting.objects.create(
        exam=exam, starts_at=timezone.now(), duration_minutes=60, place="Hall"
    )
    sitting.candidates.add(
        *[factories.person(f"cand{n}", school, "student") for n in range(CANDIDATES)]
    )
    doomed = Worker(
        "doomed", media_root, tmp_path, broker_url=broker.url(0), **{DRAW_DELAY_ENV: "0.5"}
    )
    workers = [doomed]
    try:
        draw_sitting_papers.delay(sitting.pk)
        wait_for(
            lambda: SittingPaper.objects.filter(sitting=sitting).count() >= 2,
            timeout=budget.left(60),
            what="the doomed worker to draw two papers",
            workers=workers,
        )
        doomed.kill()
        wait_for(lambda: not doomed.group(), timeout=10, what="the whole worker to die")
        half = SittingPaper.objects.filter(sitting=sitting).count()
        assert 2 <= half < CANDIDATES, "the kill came too late to test anything"
        assert Sitting.objects.get(pk=sitting.pk).papers_status == "running"

        fresh = Worker("fresh", media_root, tmp_path, broker_url=broker.url(0))
        workers.append(fresh)
        draw_sitting_papers.delay(sitting.pk)
        draw_sitting_papers.delay(sitting.pk)  # a double click: still one paper each
        wait_for(
            lambda: (
                broker.queue_length() == 0
                and fresh.settled()
                and Sitting.objects.get(pk=sitting.pk).papers_status == "done"
            ),
            timeout=budget.left(60),
            what="the drawing to finish",
            workers=workers,
        )
    finally:
        for worker in workers:
            worker.stop()

    papers = SittingPaper.objects.filter(sitting=sitting)
    assert papers.count() == CANDIDATES
    assert set(papers.values_list("student_id", flat=True)) == set(
        roster(sitting).values_list("pk", flat=True)
    )
    assert all(len(paper.questions) == 4 for paper in papers)
    sitting.refresh_from_db()
    assert (sitting.papers_drawn, sitting.papers_total) == (CANDIDATES, CANDIDATES)
