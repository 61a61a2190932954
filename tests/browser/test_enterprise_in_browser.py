"""An enterprise administrator creates an API key and bulk-verifies a 200-row spreadsheet."""

import io
import json
import urllib.error
import urllib.request

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from certificates import verification
from tests import factories
from tests.browser.test_exam_in_browser import log_in
from tests.certificates.conftest import (  # noqa: F401 (fixtures used by name)
    PUBLIC_STATUSES,
    issuer_keys,
    make_with_status,
)
from tests.certificates.conftest import make_certificate as make_certificate  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def enterprise_admin(enterprise):
    return factories.person("hr_admin", enterprise, "admin")


def api_status(live_server, raw_key: str, serial: str) -> int:
    url = live_server.url + reverse("certificates_api:verify_one", args=[serial])
    request = urllib.request.Request(url, headers={"Authorization": f"Api-Key {raw_key}"})
    try:
        with urllib.request.urlopen(request) as response:
            json.load(response)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_an_enterprise_admin_creates_a_key_and_bulk_verifies_200_rows(
    browser_page, live_server, enterprise_admin, make_certificate, tmp_path
):
    from playwright.sync_api import expect

    cache.clear()
    serials = [
        make_with_status(make_certificate, PUBLIC_STATUSES[i % len(PUBLIC_STATUSES)]).serial
        for i in range(190)
    ] + [f"0000-0000-{n:04d}-00" for n in range(10)]
    expected = []
    for serial in serials:
        certificate = verification.find_certificate(serial)
        expected.append(verification.answer(certificate)["status"] if certificate else "unknown")
    workbook = Workbook()
    workbook.active.append(["serial", "name"])
    for serial in serials:
        workbook.active.append([serial, ""])
    spreadsheet = tmp_path / "candidates.xlsx"
    workbook.save(spreadsheet)

    page = browser_page
    keys_url = reverse("organizations:api_keys")
    log_in(page, live_server, enterprise_admin.username, keys_url)

    # Create a key: shown once, working on the API.
    page.fill("#id_name", "HR onboarding")
    page.check("input[name=scopes][value=verify]")
    page.click("text=Create key")
    raw = page.locator("[data-testid=new-key]").input_value()
    assert raw.startswith("cbec_")
    assert api_status(live_server, raw, serials[0]) == 200
    page.goto(live_server.url + keys_url)
    expect(page.locator("[data-testid=new-key]")).to_have_count(0)
    expect(page.locator("table.api-keys")).to_contain_text("HR onboarding")

    # Bulk verification, reached from the navigation.
    page.click("nav >> text=Bulk verification")
    page.wait_for_url("**/verify/bulk/")
    page.set_input_files("#id_file", str(spreadsheet))
    page.click("text=Verify the list")
    expect(page.locator(".bulk-results h2")).to_have_text("200 rows verified")
    rows = page.locator("table.bulk-table tbody tr")
    expect(rows).to_have_count(200)
    shown = [rows.nth(i).get_attribute("data-status") for i in range(200)]
    assert shown == expected

    with page.expect_download() as download_info:
        page.click("[data-testid=report-xlsx]")
    report = load_workbook(io.BytesIO(download_info.value.path().read_bytes())).active
    lines = list(report.iter_rows(values_only=True))
    assert len(lines) == 201
    assert [line[1] for line in lines[1:]] == serials
