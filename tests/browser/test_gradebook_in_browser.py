"""A teacher finds a cohort's gradebook from the workspace, filters it and exports what it
shows; a school administrator loads a roster from Excel. In English and in Chinese."""

import csv
import io
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import Workbook

from courses.services import enrollment_create, lesson_complete
from tests import factories
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"


def new_page(chromium, locale: str):
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, locale=locale, accept_downloads=True
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action$='/accounts/login/'] button[type=submit]")
    page.wait_for_url(f"**{reverse('landing')}")


def page_rows(page) -> list[list[str]]:
    header = [cell.inner_text().strip() for cell in page.locator("table.gradebook thead th").all()]
    body = [
        [cell.inner_text().strip() for cell in row.locator("th, td").all()]
        for row in page.locator("table.gradebook tbody tr").all()
    ]
    return [header, *body]


@pytest.mark.parametrize(
    ("locale", "gradebook", "export", "filter_label", "below_median"),
    [
        ("en-GB", "Gradebook", "Export matching rows as CSV", "At risk", "below_median"),
        ("zh-CN", "成绩册", "将符合条件的行导出为 CSV", "预警", "below_median"),
    ],
)
def test_a_teacher_opens_filters_and_exports_the_gradebook(
    chromium,
    live_server,
    teacher,
    cohort,
    student,
    other_student,
    locale,
    gradebook,
    export,
    filter_label,
    below_median,
):
    from playwright.sync_api import expect

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for person in (student, other_student):
        enrollment_create(student=person, course=cohort.course, cohort=cohort, by_teacher=True)
    for lesson in list(cohort.course.lessons())[:2]:
        lesson_complete(student=student, lesson=lesson)
    context, page = new_page(chromium, locale)
    try:
        log_in(page, live_server, teacher.username)
        page.locator("#teaching").get_by_role("link", name=gradebook).click()
        page.wait_for_url(f"**{reverse('gradebook:cohort_gradebook', args=[cohort.pk])}*")
        expect(page.locator("table.gradebook tbody tr")).to_have_count(2)
        page.screenshot(path=str(ARTEFACTS / f"gradebook-{locale}.png"), full_page=True)

        expect(page.locator("label[for=id_risk]")).to_contain_text(filter_label)
        page.locator("#id_risk").select_option(below_median)
        page.locator("form.filters button[type=submit]").click()
        expect(page.locator("table.gradebook tbody tr")).to_have_count(1)
        shown = page_rows(page)
        assert shown[1][0] in ("Li Lei", "李雷")

        with page.expect_download() as download:
            page.get_by_role("link", name=export).click()
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert list(csv.reader(io.StringIO(text))) == shown
    finally:
        context.close()


def test_a_school_administrator_loads_a_roster_from_excel(
    chromium, live_server, school, cohort, tmp_path
):
    from playwright.sync_api import expect

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    admin = factories.person("school-admin", school, "admin")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["学号", "姓名", "拼音姓名", "邮箱", "班级"])
    for n in range(30):
        sheet.append([2025000 + n, f"学生{n}", f"Student {n}", f"r{n}@example.org", cohort.name])
    path = tmp_path / "roster.xlsx"
    workbook.save(path)

    context, page = new_page(chromium, "zh-CN")
    try:
        log_in(page, live_server, admin.username)
        page.locator("#organisation").get_by_role("link", name="导入花名册").click()
        page.set_input_files("#id_file", str(path))
        page.get_by_role("button", name="检查并导入").click()
        expect(page.locator("#report-title")).to_have_text("花名册已导入")
        rows = page.locator("section[aria-labelledby=report-title] tbody tr")
        expect(rows).to_have_count(30)
        expect(rows.first).to_contain_text("新账户")
        expect(rows.first).to_contain_text("邀请链接")
        page.screenshot(path=str(ARTEFACTS / "roster-zh.png"), full_page=True)
        assert cohort.enrollments.count() == 30
    finally:
        context.close()
