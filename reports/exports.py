"""CSV and Excel files of exactly what the statistics page shows (the same Report object):
the filters, the totals, each figure's periods and the split table; "< 5" where the page
shows it."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .definitions import DIMENSION_LABELS
from .services import Cell, Report


def _value(cell: Cell | None):
    if cell is None:
        return ""
    if cell.suppressed:
        return cell.display
    return "" if cell.value is None else cell.value


def filter_lines(report: Report, filter_labels: dict) -> list[list]:
    query = report.query
    lines = [
        [_("Unified statistics")],
        [_("Computed at"), timezone.localtime(report.computed_at).strftime("%Y-%m-%d %H:%M")],
        [_("From"), query.start.isoformat()],
        [_("To"), query.end.isoformat()],
    ]
    lines.extend([label, value] for label, value in filter_labels.items())
    lines.append([_("Cells about fewer than 5 people are shown as “< 5”.")])
    return lines


def tables(report: Report) -> list[tuple[str, list, list[list]]]:
    """(title, header, rows) of every table on the page, in the page's order."""
    summary = (
        _("Totals"),
        [_("Figure"), _("Value"), _("Same period a year earlier"), _("Year-on-year change")],
        [
            [str(f.figure.label), _value(f.total), _value(f.previous_total), f.change.display]
            for f in report.figures
        ],
    )
    series = (
        _("By period"),
        [
            _("Figure"),
            _("Period"),
            _("Value"),
            _("Same period a year earlier"),
            _("Year-on-year change"),
        ],
        [
            [
                str(f.figure.label),
                row.label,
                _value(row.cell),
                _value(row.previous),
                row.change.display,
            ]
            for f in report.figures
            for row in f.series
        ],
    )
    return [summary, series, split_table(report)]


def split_rows(report: Report) -> list[tuple]:
    """(key, label, [cell per figure]) for each value of the split dimension."""
    labels: dict = {}
    cells: dict = {}
    for index, figure_report in enumerate(report.figures):
        for row in figure_report.breakdown:
            labels.setdefault(row.key, row.label)
            cells[(row.key, index)] = row.cell
    keys = sorted(labels, key=lambda key: (key is None, labels[key]))
    return [
        (key, labels[key], [cells.get((key, i)) for i in range(len(report.figures))])
        for key in keys
    ]


def split_title(report: Report) -> str:
    return _("By %(dimension)s") % {"dimension": str(DIMENSION_LABELS[report.by]).lower()}


def split_table(report: Report) -> tuple[str, list, list[list]]:
    """One row per value of the split dimension, one column per figure."""
    header = [str(DIMENSION_LABELS[report.by]), *(str(f.figure.label) for f in report.figures)]
    rows = [[label, *(_value(cell) for cell in cells)] for _key, label, cells in split_rows(report)]
    return split_title(report), header, rows


def as_csv(report: Report, filter_labels: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(filter_lines(report, filter_labels))
    for title, header, rows in tables(report):
        writer.writerow([])
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
    return out.getvalue()


def as_xlsx(report: Report, filter_labels: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Filters")[:31]
    for line in filter_lines(report, filter_labels):
        sheet.append(line)
    for title, header, rows in tables(report):
        sheet = book.create_sheet(title[:31])
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
