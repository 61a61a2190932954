"""A regulator reads the unified statistics in a real browser, in English and Chinese: the
ECharts charts draw from the page's data island under the enforcing CSP, and the drill-down
opens a region's schools."""

import pytest
from django.urls import reverse

from tests import factories
from tests.browser.test_exam_in_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_regulator_reads_the_statistics_in_english_and_chinese(
    browser_page, live_server, settings, regulator, government, cohort, student
):
    from playwright.sync_api import expect

    from courses.models import Enrollment

    settings.STAFF_MFA_REQUIRED = False
    cohort.course.school.region = "Guangdong"
    cohort.course.school.save()
    for n in range(6):
        person = factories.person(f"learner{n}", cohort.course.school, "student")
        Enrollment.objects.create(student=person, course=cohort.course, cohort=cohort)
    # The government body accredited the school, so its enrolments are the regulator's.
    from exams.models import Accreditation, SkillLevel, SkillStandard

    standard = SkillStandard.objects.create(
        code="cbec-ops", name_en="Operations", name_zh="运营", owner=government, status="published"
    )
    SkillLevel.objects.create(standard=standard, level=1, name_en="L1", name_zh="一级")
    Accreditation.objects.create(
        school=cohort.course.school, standard=standard, level=1, valid_from="2020-01-01"
    )

    page = browser_page
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in(page, live_server, regulator.username, reverse("reports:statistics_home"))
    expect(page.locator("h1")).to_have_text("Unified statistics")
    enrolments = page.locator("#totals-title ~ table tr[data-figure=enrolments] td").first
    expect(enrolments).to_have_text("6")
    # ECharts draws a canvas into every chart box.
    expect(page.locator('[data-chart="enrolments"] canvas')).to_have_count(1)
    expect(page.locator("#split-chart canvas")).to_have_count(1)
    # Drill down: the province's schools.
    page.click(".split-table a:has-text('Guangdong')")
    expect(page.locator("#split-title")).to_have_text("By school")
    assert violations == []

    page.select_option("#language", "zh-hans")
    expect(page.locator("h1")).to_have_text("统一统计")
    expect(page.locator("#split-title")).to_have_text("按院校")
    expect(page.locator('[data-chart="enrolments"] canvas')).to_have_count(1)
    assert violations == []
