"""A regulator versions a standard, publishes it and accredits a school in a real browser,
then reads the same pages in Chinese."""

from pathlib import Path

import pytest
from django.urls import reverse

from exams.models import Accreditation, SkillStandard
from tests import factories
from tests.browser.test_exam_in_browser import log_in
from tests.exams.test_standards_pages import make_standard
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"


def new_page(chromium, locale: str):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def test_a_regulator_versions_publishes_and_accredits_then_reads_it_in_chinese(
    chromium, live_server, regulator, government, school
):
    from playwright.sync_api import expect

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    standard = make_standard(government)
    factories.organization(kind="school", code="harbour-college", name_en="Harbour College")
    context, page = new_page(chromium, "en-GB")

    # Logging in lands a regulator on the workspace, which links the standards.
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_login", regulator.username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action$='/accounts/login/'] button[type=submit]")
    page.wait_for_url(f"**{reverse('landing')}")
    page.locator("#standards").get_by_role("link", name="Skill standards").click()
    page.wait_for_url(f"**{reverse('exams:standards_home')}")
    expect(page.locator("h1")).to_have_text("Skill standards")
    expect(page.locator("nav[aria-label=Main]")).to_contain_text("Standards")

    # A new version, a changed level weight, published.
    page.get_by_role("link", name="Version 1").click()
    page.locator("#new-version").click()
    draft = SkillStandard.objects.get(code=standard.code, version=2)
    page.wait_for_url(f"**{reverse('exams:standard_detail', args=[draft.pk])}")
    expect(page.locator(".messages")).to_contain_text("Version 2 is a new draft")
    page.locator("#level-1").get_by_role("link", name="Edit the level and its competencies").click()
    page.fill("#id_theory_weight", "30")
    page.fill("#id_practical_weight", "70")
    page.get_by_role("button", name="Save the level").click()
    expect(page.locator("#level-1 .parameters")).to_contain_text("weight 30%, at least 60%")
    page.screenshot(path=str(ARTEFACTS / "standards-draft.png"), full_page=True)
    page.locator("#publish").click()
    expect(page.locator(".messages")).to_contain_text("Version 2 is published")
    draft.refresh_from_db()
    assert draft.status == SkillStandard.Status.PUBLISHED
    assert draft.levels.get(level=1).theory_weight == 30

    # The comparison shows the change.
    page.get_by_role("link", name="Compare versions").click()
    expect(page.locator("#level-1 tr.changed").first).to_contain_text("40")
    expect(page.locator("#level-1 tr.changed").first).to_contain_text("30")
    page.screenshot(path=str(ARTEFACTS / "standards-compare.png"), full_page=True)

    # Accredit a school found by name, for level 2.
    page.goto(f"{live_server.url}{reverse('exams:accreditation_list', args=[draft.pk])}")
    page.get_by_role("link", name="Accredit a school").click()
    page.fill("#q", "harbour")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Harbour College").check()
    page.locator(".field-levels").get_by_label("Level 2 · Intermediate").check()
    page.fill("#id_valid_until", "2031-12-31")
    page.screenshot(path=str(ARTEFACTS / "standards-accredit.png"), full_page=True)
    page.locator("#accredit").click()
    page.wait_for_url(f"**{reverse('exams:accreditation_list', args=[draft.pk])}")
    expect(page.locator(".messages")).to_contain_text("Harbour College is accredited")
    row = page.locator("tr.accreditation", has_text="Harbour College")
    expect(row).to_contain_text("Level 2")
    expect(row).to_contain_text("Active")
    page.screenshot(path=str(ARTEFACTS / "standards-accreditations.png"), full_page=True)
    accreditation = Accreditation.objects.get(school__code="harbour-college")
    assert (accreditation.level, accreditation.standard) == (2, draft)
    assert str(accreditation.valid_until) == "2031-12-31"
    context.close()

    # The same pages in Chinese.
    context, page = new_page(chromium, "zh-CN")
    log_in(page, live_server, regulator.username, reverse("exams:standards_home"))
    expect(page.locator("h1")).to_have_text("技能标准")
    page.goto(f"{live_server.url}{reverse('exams:standard_detail', args=[draft.pk])}")
    expect(page.locator("h1")).to_contain_text("第 2 版")
    expect(page.locator("#new-version")).to_have_text("开始新版本")
    page.goto(f"{live_server.url}{reverse('exams:accreditation_list', args=[draft.pk])}")
    expect(page.locator("h1")).to_have_text("认证评价机构")
    row = page.locator("tr.accreditation", has_text="harbour-college")
    expect(row).to_contain_text("二级")
    expect(row).to_contain_text("正常")
    page.screenshot(path=str(ARTEFACTS / "standards-accreditations-zh.png"), full_page=True)
    context.close()
