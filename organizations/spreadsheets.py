"""Tables out as CSV and Excel, safe to open in a spreadsheet program: the one writer every
app's export uses (certificates, gradebook, the audit trail, reports, rosters).

A text cell starting with = + - @ or a tab or line break is read as a formula by spreadsheet
programs (CSV injection, OWASP): such text is written with a leading apostrophe, and every
Excel text cell is typed as text. The control characters a workbook cannot hold (openpyxl
raises IllegalCharacterError on them) are dropped from every cell, in CSV too, so both
formats hold the same text. Numbers stay numbers.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}
# Characters a worksheet's name cannot hold, and the most it may have.
SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_TITLE = 31
BOM = "\ufeff"  # a byte order mark: Excel then reads UTF-8 (Chinese) correctly


def clean(text: str) -> str:
    """Text without the control characters a workbook cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text and never runs as a formula (control characters
    dropped)."""
    text = clean(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def is_number(value: object) -> bool:
    """True for a value written as a number (a bool is written as text)."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def cell_text(value: object) -> str:
    """A value as the text of a CSV cell: None is empty, a number as it is, text neutralised."""
    if value is None:
        return ""
    if is_number(value):
        return str(value)
    return neutralise(str(value))


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence], *, bom: bool = True) -> Iterator[str]:
    """The CSV text of rows, one line at a time (for streaming), starting with a BOM."""
    writer = csv.writer(_Echo())
    if bom:
        yield BOM
    for row in rows:
        yield writer.writerow([cell_text(value) for value in row])


def to_csv(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a byte order mark, so Excel opens Chinese text correctly."""
    return "".join(csv_lines([header, *rows])).encode("utf-8")


def sheet_title(title: str, fallback: str = "Sheet") -> str:
    """A name a worksheet can have: no [ ] : * ? / \\, no edge apostrophes, 31 characters."""
    return SHEET_TITLE_BAD.sub(" ", clean(str(title))).strip("' ")[:MAX_SHEET_TITLE] or fallback


def to_xlsx_sheets(
    sheets: Iterable[tuple[str, Iterable[Sequence]]], *, freeze_panes: str | None = None
) -> bytes:
    """A workbook of one sheet per (title, rows); numbers stay numbers, text is typed as text.

    freeze_panes: the top-left cell that scrolls (e.g. "A2" keeps the first row in view).
    """
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(sheet_title(title))
        if freeze_panes:
            sheet.freeze_panes = freeze_panes

        def cell(value, sheet=sheet) -> WriteOnlyCell:
            if is_number(value):
                return WriteOnlyCell(sheet, value=value)
            text = WriteOnlyCell(sheet, value=neutralise("" if value is None else str(value)))
            text.data_type = "s"
            return text

        for row in rows:
            sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_xlsx(
    header: Sequence, rows: Iterable[Sequence], *, title: str, freeze_panes: str = "A2"
) -> bytes:
    """One sheet, the header row kept in view."""
    return to_xlsx_sheets([(title, [header, *rows])], freeze_panes=freeze_panes)


def attachment(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A download of content named filename (a name in Chinese is sent as RFC 6266 says)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


def streaming_csv(rows: Iterable[Sequence], *, filename: str) -> StreamingHttpResponse:
    """A CSV download written while rows are read (for long exports)."""
    response = StreamingHttpResponse(csv_lines(rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response
