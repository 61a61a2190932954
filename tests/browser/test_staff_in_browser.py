"""A teacher watches a job in a real browser: the bar moves, the page reloads when done."""

import pytest
from django.urls import reverse

from exams.models import RegradeJob
from tests.browser.test_exam_in_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_regrade_page_follows_the_job_and_reloads_when_it_is_done(
    browser_page, live_server, teacher, theory_exam
):
    from playwright.sync_api import expect

    question = theory_exam.banks.get().questions.order_by("pk").first()
    job = RegradeJob.objects.create(
        version=question.current_version,
        requested_by=teacher,
        status=RegradeJob.Status.RUNNING,
        total=4,
    )
    url = reverse("exams:regrade_progress", args=[job.pk])
    page = browser_page
    log_in(page, live_server, teacher.username, url)
    status = page.locator("#regrade [data-role=status]")
    expect(status).to_have_text("Running")

    RegradeJob.objects.filter(pk=job.pk).update(done=3)
    expect(page.locator("#regrade [data-role=done]")).to_have_text("3")
    expect(page.locator("#regrade progress")).to_have_js_property("value", 3)
    expect(status).to_have_text("Running")  # no reload while the job runs

    RegradeJob.objects.filter(pk=job.pk).update(done=4, status=RegradeJob.Status.DONE)
    expect(status).to_have_text("Done")  # the page reloaded with the finished job
