"""The gradebook as CSV and Excel: the page's own table, made safe to open in a spreadsheet
(organizations.spreadsheets writes both)."""

from organizations import spreadsheets

from .book import Cell


def to_csv(header: list[str], body: list[list[Cell]]) -> bytes:
    """The page's texts, UTF-8 with a byte order mark, so Excel opens Chinese names correctly."""
    return spreadsheets.to_csv(header, [[cell.text for cell in row] for row in body])


def to_xlsx(header: list[str], body: list[list[Cell]], *, title: str) -> bytes:
    """Numbers stay numbers; every text cell is typed as text, so none becomes a formula."""
    rows = [
        [cell.value if spreadsheets.is_number(cell.value) else cell.text for cell in row]
        for row in body
    ]
    return spreadsheets.to_xlsx(
        header, rows, title=spreadsheets.sheet_title(title, "Gradebook"), freeze_panes="C2"
    )
