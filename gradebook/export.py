"""The gradebook as CSV and Excel: the page's own table, made safe to open in a spreadsheet."""

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .book import Cell

# A cell starting with one of these is read as a formula by spreadsheet programs
# (CSV injection, OWASP): such text is written with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Characters a worksheet's name cannot hold.
SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula (also strips the control
    characters a workbook cannot hold)."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def to_csv(header: list[str], body: list[list[Cell]]) -> bytes:
    """UTF-8 with a byte order mark, so Excel opens Chinese names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(text) for text in header])
    for row in body:
        writer.writerow([neutralise(cell.text) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header: list[str], body: list[list[Cell]], *, title: str) -> bytes:
    """Numbers stay numbers; every text cell is typed as text, so none becomes a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE_BAD.sub(" ", title).strip("' ")[:31] or "Gradebook")
    sheet.freeze_panes = "C2"

    def text_cell(text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=neutralise(text))
        cell.data_type = "s"
        return cell

    sheet.append([text_cell(text) for text in header])
    for row in body:
        sheet.append(
            [
                WriteOnlyCell(sheet, value=cell.value)
                if isinstance(cell.value, int | float)
                else text_cell(cell.text)
                for cell in row
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
