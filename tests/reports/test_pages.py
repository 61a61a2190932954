"""The statistics page, its exports and API: who sees what, and that they show the same."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from reports import services
from reports.access import statistics_scope
from reports.forms import StatisticsFilterForm
from tests import factories

URL = "/reports/"
API = "/api/v1/statistics/"


@pytest.fixture
def regulator(province):
    return factories.person("reg", province["body"], "regulator")


def _report(user, params):
    scope = statistics_scope(user)
    form = StatisticsFilterForm(params, choices=services.filter_choices(scope))
    assert form.is_valid(), form.errors
    return services.build_report(scope, form.query())


def test_regulator_reads_every_figure_as_chart_and_table(client, regulator, province):
    client.force_login(regulator)
    response = client.get(URL, {"granularity": "quarter"})
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("reports:statistics_home") == URL
    for key in ("enrolments", "sittings", "pass_rate_first", "verifications"):
        assert f'data-chart="{key}"' in html
        assert f'id="figure-{key}"' in html
    assert '<script id="statistics-data" type="application/json">' in html
    assert "echarts.min.js" in html and "statistics.js" in html
    # No inline script, handler or style in what this app adds.
    assert "<script>" not in html and 'style="' not in html.split("<main", 1)[1]
    # Nobody is named.
    assert "Learner Person" not in html and "学员" not in html
    # The nav links the page.
    assert f'href="{URL}"' in html


def test_chinese_labels(client, regulator, province):
    client.force_login(regulator)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 200
    assert "统计" in html
    assert '"language": "ZH"' in html


def test_drill_down_province_school_cohort(client, regulator, province):
    client.force_login(regulator)
    html = client.get(URL, {"by": "region"}).content.decode()
    assert "?by=school&amp;region=Guangdong" in html
    school = province["schools"][0]
    html = client.get(URL, {"by": "school", "region": "Guangdong"}).content.decode()
    assert f"?by=cohort&amp;region=Guangdong&amp;school={school.pk}" in html
    response = client.get(URL, {"by": "cohort", "region": "Guangdong", "school": school.pk})
    assert response.status_code == 200
    assert "c-s-gz-0 · Class" in response.content.decode()


@pytest.mark.parametrize("who", ["student", "mentor", "anonymous"])
def test_refused(client, province, who):
    if who == "student":
        client.force_login(province["students"][0])
    elif who == "mentor":
        client.force_login(factories.person("m2", province["enterprises"][0], "mentor"))
    response = client.get(URL)
    if who == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 403
        assert "regulators" in response.content.decode()
    api = client.get(API)
    assert api.status_code in (401, 403)


def test_bad_filters_are_a_400(client, regulator):
    client.force_login(regulator)
    response = client.get(URL, {"start": "2026-05-01", "end": "2026-01-01"})
    assert response.status_code == 400
    assert "end date" in response.content.decode()
    assert client.get(URL, {"by": "cohort"}).status_code == 400
    assert client.get(URL, {"level": "9"}).status_code == 400
    assert client.get(API, {"start": "not a date"}).status_code == 400


def test_school_cannot_ask_for_another_school(client, province):
    teacher = province["teachers"][province["schools"][0].pk]
    client.force_login(teacher)
    other = province["schools"][1]
    assert client.get(URL, {"school": other.pk}).status_code == 400
    assert client.get(API, {"school": other.pk}).status_code == 400


def test_enterprise_sees_only_certificates_and_verifications(client, province):
    client.force_login(province["verifiers"][0])
    data = client.get(API).json()
    keys = {figure["key"] for figure in data["figures"]}
    assert keys == {
        "certificates_issued",
        "certificates_current",
        "certificates_expired",
        "certificates_revoked",
        "verifications",
    }
    html = client.get(URL).content.decode()
    assert 'id="figure-enrolments"' not in html


def test_other_body_sees_only_its_standard(province):
    other = factories.person("reg2", province["other_body"], "regulator")
    report = _report(other, {"by": "standard", "start": str(province["first"])})
    for figure in report.figures:
        if figure.figure.source.key in ("exams", "certificates", "verifications"):
            assert {row.key for row in figure.breakdown} <= {"foreign"}, figure.figure.key


def test_csv_and_excel_hold_what_the_page_shows(client, regulator, province):
    client.force_login(regulator)
    params = {"granularity": "year", "by": "school", "region": "Guangdong"}
    report = _report(regulator, params)
    response = client.get(URL, {**params, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    totals_at = rows.index(["Totals"]) + 2
    for offset, figure in enumerate(report.figures):
        line = rows[totals_at + offset]
        assert line[0] == str(figure.figure.label)
        assert line[1] == (
            figure.total.display
            if figure.total.suppressed
            else str(figure.total.value if figure.total.value is not None else "")
        )
    assert ["Region (province)", "Guangdong"] in rows
    assert any(cell == "< 5" for row in rows for cell in row)
    response = client.get(URL, {**params, "format": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Totals"]
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in values] == [str(f.figure.label) for f in report.figures]
    for row, figure in zip(values, report.figures, strict=True):
        cell = figure.total
        if cell.suppressed:
            assert row[1] == "< 5"
        elif cell.value is None:
            assert row[1] in (None, "")
        else:
            assert float(row[1]) == float(cell.value)
    split = book["By school"]
    header = next(split.iter_rows(max_row=1, values_only=True))
    assert header[0] == "School"
    everything = [c for ws in book for r in ws.iter_rows(values_only=True) for c in r]
    assert not any("Learner Person" in str(c) for c in everything)
    assert "< 5" in everything


def test_api_answers_the_same_figures(client, regulator, province):
    client.force_login(regulator)
    params = {"granularity": "quarter", "by": "standard", "standard": "cbec-ops"}
    report = _report(regulator, params)
    data = client.get(API, params).json()
    assert data["query"]["standard"] == "cbec-ops"
    assert [f["key"] for f in data["figures"]] == [f.figure.key for f in report.figures]
    for mine, theirs in zip(report.figures, data["figures"], strict=True):
        assert theirs["total"]["display"] == mine.total.display
        assert theirs["total"]["suppressed"] == mine.total.suppressed
        assert [row["cell"]["display"] for row in theirs["series"]] == [
            row.cell.display for row in mine.series
        ]
        assert [row["cell"]["display"] for row in theirs["breakdown"]] == [
            row.cell.display for row in mine.breakdown
        ]
        assert theirs["definition"] == str(mine.figure.definition)
    assert "Learner Person" not in str(data)


def test_definitions_page_is_public_and_complete(client):
    from reports.definitions import FIGURES

    response = client.get(reverse("reports:definitions"))
    assert response.status_code == 200
    html = response.content.decode()
    for figure in FIGURES:
        assert escape(str(figure.definition)) in html


def test_readme_holds_the_same_definitions():
    from pathlib import Path

    from reports.markdown import definitions_markdown

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    start = readme.index("<!-- statistics-definitions:start -->\n") + len(
        "<!-- statistics-definitions:start -->\n"
    )
    end = readme.index("\n<!-- statistics-definitions:end -->")
    assert readme[start:end] == definitions_markdown("en")
