"""The one spreadsheet writer every export uses: formula-safe, control characters dropped,
values back as they went in."""

import csv
import io

import pytest
from openpyxl import load_workbook

from organizations import spreadsheets
from organizations.spreadsheets import neutralise, to_csv, to_xlsx, to_xlsx_sheets


@pytest.mark.parametrize(
    "dangerous",
    ['=HYPERLINK("http://x.example","click")', "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "\n=1"],
)
def test_text_a_spreadsheet_would_run_gets_a_leading_apostrophe(dangerous):
    assert neutralise(dangerous) == "'" + dangerous


@pytest.mark.parametrize("harmless", ["Zhang Wei", "张伟", "a=b", "1-2", "", "'quoted"])
def test_harmless_text_is_left_alone(harmless):
    assert neutralise(harmless) == harmless


def test_control_characters_are_dropped_before_the_formula_check():
    assert neutralise("a\x00b\x07c\x1fd") == "abcd"
    # once the control character goes, the text starts with "=": still neutralised
    assert neutralise("\x0b=cmd") == "'=cmd"
    # tab, line feed and carriage return are text, not control characters, in a workbook
    assert neutralise("two\nlines\tand\rmore") == "two\nlines\tand\rmore"


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())  # Excel reads Chinese as UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_round_trips_values_and_neutralises_text():
    header = ["名字", "score", "note"]
    rows = [["张伟", 7.5, None], ["=1+1", -3, "line\nbreak"], ["bell\x07", 0, "@x"]]
    assert read_csv(to_csv(header, rows)) == [
        ["名字", "score", "note"],
        ["张伟", "7.5", ""],
        ["'=1+1", "-3", "line\nbreak"],  # a number is never a formula: no apostrophe
        ["bell", "0", "'@x"],
    ]


def test_xlsx_with_control_characters_opens_and_keeps_numbers_as_numbers():
    header = ["name", "score", "passed"]
    rows = [["a\x00b\x1b", 7.5, True], ["=cmd|' /C calc'!A0", 12, None], ["张伟", -1, "yes"]]
    book = load_workbook(io.BytesIO(to_xlsx(header, rows, title="Results: 2026/1")))
    sheet = book.worksheets[0]
    assert sheet.title == "Results  2026 1"
    assert sheet.freeze_panes == "A2"
    values = list(sheet.iter_rows(values_only=True))
    assert values == [
        ("name", "score", "passed"),
        ("ab", 7.5, "True"),
        ("'=cmd|' /C calc'!A0", 12, None),  # an empty text cell reads back as empty
        ("张伟", -1, "yes"),
    ]
    assert sheet.cell(row=3, column=1).data_type == "s"  # typed as text, not a formula
    assert sheet.cell(row=3, column=2).data_type == "n"


def test_a_workbook_holds_one_sheet_per_table_with_safe_titles():
    content = to_xlsx_sheets([("Filters", [["From", "2026-01-01"]]), ("[?]", [[1, 2]])])
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Filters", "Sheet"]
    assert list(book["Sheet"].iter_rows(values_only=True)) == [(1, 2)]
    assert spreadsheets.sheet_title("x" * 40) == "x" * 31


def test_streaming_csv_is_a_named_download_of_the_same_text(tmp_path):
    rows = [["h1", "h2"], ["=a", "b\x01"]]
    response = spreadsheets.streaming_csv(iter(rows), filename="trail.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="trail.csv"'
    assert b"".join(response.streaming_content) == to_csv(rows[0], rows[1:])


def test_an_attachment_is_named_and_typed():
    response = spreadsheets.attachment(b"x", filename="a.xlsx", content_type=spreadsheets.XLSX_TYPE)
    assert response.content == b"x"
    assert response["Content-Type"] == spreadsheets.XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="a.xlsx"'


def test_a_download_named_in_chinese_keeps_its_name():
    response = spreadsheets.attachment(
        b"x", filename="成绩.csv", content_type=spreadsheets.CSV_TYPE
    )
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E6%88%90%E7%BB%A9.csv"
