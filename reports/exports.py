"""CSV and Excel files of exactly what the statistics page shows (the same Report object):
the filters, the totals, each figure's periods and the split table; "< 5" where the page
shows it. organizations.spreadsheets writes them, formula-safe."""

from django.utils import timezone
from django.utils.translation import gettext as _

from organizations import spreadsheets

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


def _csv_rows(report: Report, filter_labels: dict):
    """The filters, then each table after a blank line and its title."""
    yield from filter_lines(report, filter_labels)
    for title, header, rows in tables(report):
        yield []
        yield [title]
        yield header
        yield from rows


def as_csv(report: Report, filter_labels: dict) -> bytes:
    """UTF-8 with a byte order mark; formula-safe (organizations.spreadsheets)."""
    return "".join(spreadsheets.csv_lines(_csv_rows(report, filter_labels))).encode("utf-8")


def as_xlsx(report: Report, filter_labels: dict) -> bytes:
    """A sheet of the filters, then one per table; numbers stay numbers, text stays text."""
    sheets = [(_("Filters"), filter_lines(report, filter_labels))]
    sheets.extend((title, [header, *rows]) for title, header, rows in tables(report))
    return spreadsheets.to_xlsx_sheets(sheets)
