"""Tables in and out of CSV and Excel for the verification pages, made safe both ways.

In: an uploaded workbook is a zip that a small file can make unpack to gigabytes,
so its headers are judged and every part unpacked in chunks, counting, before
openpyxl opens it (as exams.interop.safezip does for question imports, which
this app may not import); a CSV is read
as UTF-8 (with or without a byte order mark) or GB18030, as Chinese Excel saves it.

Out: a cell starting with = + - @ or a tab or line break is read as a formula
by spreadsheet programs (CSV injection, OWASP): such text is written with a
leading apostrophe, and every Excel text cell is typed as text.
"""

import csv
import io
import zipfile
import zlib

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.exceptions import InvalidFileException

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# A list of serials is small: these bound what its workbook may unpack to.
MAX_PART_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 20 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 200
RATIO_FLOOR_BYTES = 1024 * 1024
CHUNK_BYTES = 64 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TableError(ValueError):
    """A file that cannot be read as a table (the message is translated)."""


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text and never runs as a formula."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(header: list[str], rows: list[list]) -> bytes:
    """UTF-8 with a byte order mark, so Excel opens Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(str(text)) for text in header])
    for row in rows:
        writer.writerow([neutralise("" if value is None else str(value)) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header: list[str], rows: list[list], *, title: str) -> bytes:
    """One sheet; numbers stay numbers, every text cell is text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"

    def cell(value) -> WriteOnlyCell:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return WriteOnlyCell(sheet, value=value)
        text = WriteOnlyCell(sheet, value=neutralise("" if value is None else str(value)))
        text.data_type = "s"
        return text

    sheet.append([cell(text) for text in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return [_("this is not an Excel .xlsx workbook")]
    with archive:
        infos = archive.infolist()
        return _header_problems(infos) or _stream_problems(archive, infos)


def _header_problems(infos: list[zipfile.ZipInfo]) -> list[str]:
    if len(infos) > MAX_MEMBERS:
        return [_("it holds %(n)d parts") % {"n": len(infos)}]
    problems = []
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.flag_bits & 0x1:
            problems.append(_("'%(name)s' is encrypted") % {"name": info.filename})
        elif info.file_size > MAX_PART_BYTES or (
            info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO
        ):
            problems.append(
                _("'%(name)s' unpacks to %(mb).1f MB: refused as a possible zip bomb")
                % {"name": info.filename, "mb": info.file_size / 1048576}
            )
    if not problems and sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
        problems.append(_("it unpacks to more than %(mb)d MB") % {"mb": MAX_TOTAL_BYTES // 1048576})
    return problems


def _stream_problems(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> list[str]:
    """Unpack every part in chunks, counting: a header that lies about a size is caught too."""
    total = 0
    for info in infos:
        size = 0
        try:
            with archive.open(info) as handle:
                while chunk := handle.read(CHUNK_BYTES):
                    size += len(chunk)
                    total += len(chunk)
                    if size > info.file_size or total > MAX_TOTAL_BYTES:
                        return [
                            _("'%(name)s' unpacks to more than its zip header says")
                            % {"name": info.filename}
                        ]
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            RuntimeError,
            NotImplementedError,
            zlib.error,
        ):
            return [_("'%(name)s' is damaged or unreadable") % {"name": info.filename}]
    return []


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
