"""Tables in from CSV and Excel for the verification pages, made safe.

An uploaded workbook is a zip that a small file can make unpack to gigabytes, so its
headers are judged and every part unpacked in chunks, counting, before openpyxl opens it
(organizations.safezip, as for question imports); a CSV is read as UTF-8 (with or without
a byte order mark) or GB18030, as Chinese Excel saves it. Tables out are written by
organizations.spreadsheets (formula-safe CSV and Excel).
"""

import csv
import io
import zipfile

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from organizations.safezip import unsafe_archive

# A list of serials is small: these bound what its workbook may unpack to.
MAX_PART_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 20 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 200


class TableError(ValueError):
    """A file that cannot be read as a table (the message is translated)."""


def read_table(data: bytes, file_name: str, *, max_rows: int) -> list[tuple[int, list[str]]]:
    """The rows of an uploaded .csv or .xlsx as (line number, trimmed texts), blank rows dropped.

    Raises TableError for anything else, an unsafe workbook, or more than max_rows rows.
    """
    name = file_name.lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(data, max_rows=max_rows)
    elif name.endswith((".csv", ".txt")):
        rows = _read_csv(data, max_rows=max_rows)
    else:
        raise TableError(_("Upload a .csv or .xlsx file."))
    return rows


def _too_many(max_rows: int) -> TableError:
    return TableError(
        _("The file has more than %(max)d rows: split it into smaller files.") % {"max": max_rows}
    )


def _read_csv(data: bytes, *, max_rows: int) -> list[tuple[int, list[str]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError(_("The CSV file is not UTF-8 or GB18030 text."))
    if "\x00" in text:
        raise TableError(_("This is not a CSV file."))
    rows = []
    try:
        reader = csv.reader(io.StringIO(text))
        for values in reader:
            cells = [value.strip() for value in values]
            if any(cells):
                rows.append((reader.line_num, cells))
                if len(rows) > max_rows:
                    raise _too_many(max_rows)
    except csv.Error as error:
        raise TableError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None
    return rows


def unsafe_workbook(data: bytes) -> list[str]:
    """Why the workbook's zip must not reach openpyxl: its headers, then bounded reads."""
    problems = unsafe_archive(
        data,
        max_members=MAX_MEMBERS,
        max_member=MAX_PART_BYTES,
        max_total=MAX_TOTAL_BYTES,
        max_ratio=MAX_RATIO,
    )
    if problems is None:
        return [_("this is not an Excel .xlsx workbook")]
    return problems


def _read_xlsx(data: bytes, *, max_rows: int) -> list[tuple[int, list[str]]]:
    problems = unsafe_workbook(data)
    if problems:
        raise TableError(
            _("The workbook is refused: %(problems)s.") % {"problems": "; ".join(problems)}
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise TableError(_("This is not an Excel .xlsx workbook.")) from None
    rows = []
    try:
        sheet = workbook[workbook.sheetnames[0]]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_text(value) for value in values]
            if any(cells):
                rows.append((number, cells))
                if len(rows) > max_rows:
                    raise _too_many(max_rows)
    finally:
        workbook.close()
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
