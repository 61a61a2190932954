"""The bulk verification page and the enterprise's verification history (issue 14)."""

import csv
import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from certificates import bulk_verification
from certificates.models import Verification
from organizations.api_keys import api_key_create
from tests import factories
from tests.certificates.conftest import PUBLIC_STATUSES, make_with_status

PAGE = "/verify/bulk/"
HISTORY = "/verify/history/"
UNKNOWN = "0000-0000-0000-00"


def xlsx(rows, header=("serial", "name")) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    if header:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("candidates.xlsx", buffer.getvalue())


def csv_file(text: str, name="candidates.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"))


def report(client, response, fmt="csv"):
    token = response.context["token"]
    download = client.get(reverse("certificates:bulk_verify_report", args=[token, fmt]))
    assert download.status_code == 200
    if fmt == "csv":
        return list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(download.content)).active
    return [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def two_hundred(make_certificate):
    """200 serials: every public status among the certificates, and unknown serials."""
    serials = []
    for index in range(190):
        status = PUBLIC_STATUSES[index % len(PUBLIC_STATUSES)]
        serials.append(make_with_status(make_certificate, status).serial)
    serials += [f"0000-0000-{n:04d}-00" for n in range(9)] + ["not a serial"]
    return serials


def test_the_page_has_its_agreed_name():
    assert reverse("certificates:bulk_verify") == PAGE


def test_a_200_row_workbook_gets_the_statuses_verifying_each_serial_gives(
    client, verifier, enterprise, enterprise_admin, two_hundred
):
    _key, raw = api_key_create(
        organization=enterprise, name="HR", scopes=["verify"], by=enterprise_admin
    )
    client.force_login(verifier)
    started = time.perf_counter()
    response = client.post(PAGE, {"file": xlsx([(s, "") for s in two_hundred])})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert elapsed < 10, f"200 rows took {elapsed:.1f} s"
    results = response.context["results"]
    assert len(results) == 200

    api = APIClient()
    expected = [
        api.get(
            reverse("certificates_api:verify_one", args=[serial]),
            HTTP_AUTHORIZATION=f"Api-Key {raw}",
        ).json()["status"]
        for serial in two_hundred
    ]
    assert [r.status for r in results] == expected
    assert set(expected) == {*PUBLIC_STATUSES, "unknown"}

    # Every row logged as the verifier's, like a page verification.
    page_logs = Verification.objects.filter(verifier=verifier)
    assert page_logs.count() == 200
    assert sorted(page_logs.values_list("result", flat=True)) == sorted(expected)

    # The report, in Excel and CSV, row for row.
    for fmt in ("xlsx", "csv"):
        rows = report(client, response, fmt)
        assert len(rows) == 201
        assert [str(r[1]) for r in rows[1:]] == two_hundred
        labels = bulk_verification.report_header()
        assert [str(c) for c in rows[0]] == labels


def test_names_are_confirmed_with_the_pages_rules(client, verifier, make_certificate):
    certificate = make_certificate()
    client.force_login(verifier)
    response = client.post(
        PAGE,
        {
            "file": csv_file(
                f"serial,name\n{certificate.serial},张伟\n{certificate.serial},Zhang Wei\n"
                f"{certificate.serial},Zhang Wu\n"
            )
        },
    )
    assert response.status_code == 200
    checks = [r.name_check for r in response.context["results"]]
    assert checks == ["matches", "matches", "does_not_match"]
    # The name shown is masked, as on the page and in the API.
    holder = response.context["results"][0].answer["holder"]
    assert holder["masked"] and holder["name_latin"] == "Zhang W."


def test_wrong_names_stop_being_checked_past_the_address_limit(
    client, verifier, make_certificate, settings
):
    settings.CERTIFICATES_VERIFY_RATES = {"verify_name": "3/hour", "verify_name_certificate": None}
    certificates = [make_certificate() for _ in range(5)]
    client.force_login(verifier)
    rows = "".join(f"{c.serial},Somebody Else\n" for c in certificates)
    response = client.post(PAGE, {"file": csv_file("serial,name\n" + rows)})
    checks = [r.name_check for r in response.context["results"]]
    assert checks == ["does_not_match"] * 3 + ["limited"] * 2


def test_a_list_without_a_header_reads_serial_then_name(client, verifier, make_certificate):
    certificate = make_certificate()
    client.force_login(verifier)
    response = client.post(PAGE, {"file": csv_file(f"{certificate.serial},张伟\n{UNKNOWN}\n")})
    results = response.context["results"]
    assert [(r.status, r.name_check) for r in results] == [("valid", "matches"), ("unknown", "")]


def test_rows_count_against_the_enterprises_hourly_allowance(
    client, verifier, enterprise, make_certificate, settings
):
    settings.CERTIFICATES_VERIFY_RATES = {"verify_bulk_rows": "5/hour"}
    colleague = factories.person("colleague", enterprise, "verifier")
    serials = "\n".join([UNKNOWN] * 3)
    client.force_login(verifier)
    assert client.post(PAGE, {"file": csv_file(serials)}).status_code == 200
    # The colleague shares the enterprise's allowance: 3 more would make 6 > 5.
    client.force_login(colleague)
    refused = client.post(PAGE, {"file": csv_file(serials)})
    assert refused.status_code == 429
    assert "allowance" in refused.context["error"]
    assert Verification.objects.count() == 3  # nothing verified or logged for the refusal
    # What is left may still be used.
    assert client.post(PAGE, {"file": csv_file(f"{UNKNOWN}\n{UNKNOWN}")}).status_code == 200


def test_too_many_rows_are_refused_whole(client, verifier):
    client.force_login(verifier)
    rows = "\n".join([UNKNOWN] * (bulk_verification.MAX_ROWS + 1))
    response = client.post(PAGE, {"file": csv_file(rows)})
    assert response.status_code == 400
    assert str(bulk_verification.MAX_ROWS) in response.context["error"]
    assert not Verification.objects.exists()


def test_an_excel_bomb_is_refused_before_openpyxl_opens_it(client, verifier):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", "A" * (30 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200 * 1024
    client.force_login(verifier)
    response = client.post(PAGE, {"file": SimpleUploadedFile("bomb.xlsx", buffer.getvalue())})
    assert response.status_code == 400
    assert "zip bomb" in response.context["error"]


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("list.pdf", b"%PDF-1.7"),
        SimpleUploadedFile("list.xlsx", b"not a zip"),
        SimpleUploadedFile("list.csv", b"\xff\xfe\x00\x00garbage\x00"),
        SimpleUploadedFile("list.csv", b""),
    ],
)
def test_bad_files_get_a_clear_error_and_nothing_is_logged(client, verifier, upload):
    client.force_login(verifier)
    response = client.post(PAGE, {"file": upload})
    assert response.status_code == 400
    assert not Verification.objects.exists()


def test_formulas_in_the_list_come_back_as_text_in_the_report(client, verifier):
    client.force_login(verifier)
    response = client.post(PAGE, {"file": csv_file('=HYPERLINK("http://evil"),@SUM(A1)\n')})
    rows = report(client, response, "csv")
    assert rows[1][1].startswith("'=") and rows[1][7].startswith("'@")
    cells = report(client, response, "xlsx")
    assert cells[1][1].startswith("'=")


@pytest.mark.parametrize("role", ["student", "mentor"])
def test_other_roles_cannot_bulk_verify(client, enterprise, role):
    client.force_login(factories.person(f"x_{role}", enterprise, role))
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"file": csv_file(UNKNOWN)}).status_code == 403


def test_teachers_and_anonymous_visitors_cannot_bulk_verify(client, teacher):
    assert client.get(PAGE).status_code == 302  # to the login page
    client.force_login(teacher)
    assert client.get(PAGE).status_code == 403


def test_a_report_belongs_to_the_user_who_made_it(client, verifier, enterprise):
    client.force_login(verifier)
    response = client.post(PAGE, {"file": csv_file(UNKNOWN)})
    token = response.context["token"]
    client.force_login(factories.person("colleague", enterprise, "verifier"))
    url = reverse("certificates:bulk_verify_report", args=[token, "csv"])
    assert client.get(url).status_code == 404


def test_the_page_is_linked_for_enterprise_staff_only(client, verifier, student):
    client.force_login(verifier)
    assert PAGE.encode() in client.get("/verify/").content
    client.force_login(student)
    assert PAGE.encode() not in client.get("/verify/").content


# The verification history


def test_an_enterprise_admin_sees_and_exports_its_verification_history(
    client, enterprise, enterprise_admin, verifier, make_certificate
):
    certificate = make_certificate()
    other = factories.organization(kind="enterprise", code="other-co")
    stranger = factories.person("stranger", other, "verifier")
    _key, raw = api_key_create(
        organization=enterprise, name="HR", scopes=["verify"], by=enterprise_admin
    )
    api = APIClient()
    api.get(
        reverse("certificates_api:verify_one", args=[certificate.serial]),
        HTTP_AUTHORIZATION=f"Api-Key {raw}",
    )
    client.force_login(verifier)
    client.post(PAGE, {"file": csv_file(f"{UNKNOWN}\n=1+1\n")})
    client.force_login(stranger)
    client.post(PAGE, {"file": csv_file(f"{certificate.serial}\n")})

    client.force_login(enterprise_admin)
    page = client.get(HISTORY)
    assert page.status_code == 200
    shown = list(page.context["page"])
    assert len(shown) == 3
    assert {v.verifier for v in shown} == {None, verifier}
    assert stranger not in {v.verifier for v in shown}

    assert "Not found" in page.content.decode()  # results by their label
    only_valid = client.get(HISTORY, {"result": "valid"})
    assert [v.api_key_prefix for v in only_valid.context["page"]] == [raw.split("_")[1]]

    exported = client.get(HISTORY, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert len(rows) == 4
    assert any(row[1] == "'=1+1" for row in rows[1:])
    assert {row[2] for row in rows[1:]} == {"Valid", "Not found"}
    workbook = client.get(HISTORY, {"export": "xlsx"})
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet.max_row == 4


@pytest.mark.parametrize("role", ["verifier", "mentor", "student"])
def test_only_enterprise_admins_see_the_history(client, enterprise, role):
    client.force_login(factories.person(f"h_{role}", enterprise, role))
    assert client.get(HISTORY).status_code == 403


def test_an_admin_cannot_read_another_enterprises_history(client, enterprise_admin):
    factories.organization(kind="enterprise", code="other-co")
    client.force_login(enterprise_admin)
    assert client.get(HISTORY, {"org": "other-co"}).status_code == 403


def test_the_pages_speak_chinese(client, enterprise_admin, make_certificate):
    certificate = make_certificate()
    client.force_login(enterprise_admin)
    page = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "验证名单" in page and "证书编号名单" in page
    answered = client.post(
        PAGE, {"file": csv_file(f"{certificate.serial},张伟\n")}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "已验证 1 行" in answered and "姓名一致" in answered and "有效" in answered
    history = client.get(HISTORY, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "的验证记录" in history and "导出（Excel）" in history


def test_the_bulk_api_and_the_page_share_the_enterprises_allowance(
    client, verifier, enterprise, enterprise_admin, settings
):
    settings.CERTIFICATES_VERIFY_RATES = {"verify_bulk_rows": "5/hour"}
    _key, raw = api_key_create(
        organization=enterprise, name="HR", scopes=["verify"], by=enterprise_admin
    )
    api = APIClient()

    def api_bulk(count):
        return api.post(
            reverse("certificates_api:verify_bulk"),
            {"serials": [UNKNOWN] * count},
            format="json",
            HTTP_AUTHORIZATION=f"Api-Key {raw}",
        )

    assert api_bulk(3).status_code == 200
    client.force_login(verifier)
    refused = client.post(PAGE, {"file": csv_file("\n".join([UNKNOWN] * 3))})
    assert refused.status_code == 429
    assert api_bulk(2).status_code == 200
    over = api_bulk(1)
    assert over.status_code == 429 and "allowance" in over.json()["detail"]
    assert Verification.objects.count() == 5


def test_rows_are_numbered_as_the_file_numbers_them(client, verifier):
    client.force_login(verifier)
    response = client.post(PAGE, {"file": csv_file(f"serial,name\n\n{UNKNOWN},\n\n{UNKNOWN}\n")})
    assert [r.row.number for r in response.context["results"]] == [3, 5]
