"""Writing questions as rows of our Excel template (see exams.interop.xlsx for the columns)."""

import io
import re
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.datavalidation import DataValidation

from .common import KINDS, decimal_text, letter_id, parse_decimal, select_exportable, texts_of
from .report import ExportResult

FIRST_OPTIONS = [f"option_{c}" for c in "abcdef"]
COLUMNS = [
    *("kind", "competency", "difficulty", "points", "title", "text_en", "text_zh"),
    *FIRST_OPTIONS,
    *("correct", "scoring", "tolerance", "feedback_en", "feedback_zh", "penalty", "unit"),
    *("min_words", "max_words", "guidance", "instructions", "allowed_types", "max_size_mb"),
]
OPTION_RE = re.compile(r"option_([a-z])")

# --- writing ---------------------------------------------------------------------------------


def _bi_cell(value: object, main: str | None) -> str:
    """A bilingual dict as one cell: 'en | zh', plain in the row's language, else marked."""
    texts = texts_of(value)
    english, chinese = texts.get("en", ""), texts.get("zh-hans", "")
    if english and chinese:
        return f"{english} | {chinese}"
    if english or chinese:
        language = "en" if english else "zh-hans"
        text = english or chinese
        return text if language == main else (f"{text} |" if english else f"| {text}")
    return ""


def _number(text: str) -> object:
    """A decimal string as a spreadsheet number when that keeps it exact, else as text."""
    value = parse_decimal(text)
    if value is None:
        return text
    if value == value.to_integral_value():
        return int(value)
    return float(value) if repr(float(value)) == decimal_text(value) else text


def _letter(index: int) -> str:
    """Column letter of the n-th option (0 -> 'a')."""
    return letter_id(index)


def _option_cells(question: dict, main: str | None) -> list[str]:
    """The option cells of a question, in column order."""
    kind, content, key = question["kind"], question["content"], question["key"]
    if kind in ("single_choice", "multiple_choice"):
        return [_bi_cell(o["text"], main) for o in content["options"]]
    if kind == "fill_blanks" and len(key["blanks"]) > 1:
        return ["|".join(b["accepted"]) for b in key["blanks"]]
    if kind == "matching":
        names = {c["id"]: _bi_cell(c["text"], main) for c in content["choices"]}
        cells = [
            f"{_bi_cell(p['text'], main)} => {names[key['pairs'][p['id']]]}"
            for p in content["prompts"]
        ]
        return cells + [n for i, n in names.items() if i not in set(key["pairs"].values())]
    if kind == "ordering":
        items = {i["id"]: _bi_cell(i["text"], main) for i in content["items"]}
        return [items[i] for i in key["order"]]
    if kind == "practical":
        return [f"{_bi_cell(r['criterion'], main)} => {r['points']}" for r in key["rubric"]]
    return []


def _kind_cells(question: dict, main: str | None) -> dict[str, object]:
    """The 'correct', 'scoring' and other kind-specific cells."""
    kind, content, key = question["kind"], question["content"], question["key"]
    if kind == "single_choice":
        ids = [o["id"] for o in content["options"]]
        return {"correct": _letter(ids.index(key["correct"])).upper()}
    if kind == "multiple_choice":
        ids = [o["id"] for o in content["options"]]
        letters = ",".join(_letter(ids.index(c)).upper() for c in key["correct"])
        scoring = key.get("scoring", "all_or_nothing")
        return {"correct": letters, "scoring": scoring, "penalty": _number(key.get("penalty", "1"))}
    if kind == "true_false":
        return {"correct": "TRUE" if key["correct"] else "FALSE"}
    if kind == "fill_blanks":
        flags = ["case_sensitive"] if key.get("case_sensitive") else []
        flags += ["keep_whitespace"] if key.get("normalise_whitespace") is False else []
        single = len(key["blanks"]) == 1
        answers = "|".join(key["blanks"][0]["accepted"]) if single else ""
        return {"correct": answers, "scoring": ",".join(flags)}
    if kind == "numeric":
        tolerance = key.get("tolerance", "0")
        if key.get("tolerance_mode") == "relative":
            tolerance = decimal_text((parse_decimal(tolerance) or Decimal(0)) * 100) + "%"
        else:
            tolerance = _number(tolerance)
        unit = content.get("unit", "")
        return {"correct": _number(key["value"]), "tolerance": tolerance, "unit": unit}
    if kind == "ordering":
        return {"scoring": key.get("scoring", "all_or_nothing")}
    if kind == "essay":
        return {
            "min_words": content.get("min_words", ""),
            "max_words": content.get("max_words", ""),
            "guidance": _bi_cell(key.get("guidance"), main),
        }
    if kind == "practical":
        return {
            "instructions": _bi_cell(content.get("instructions"), main),
            "allowed_types": ", ".join(content.get("allowed_types", [])),
            "max_size_mb": content.get("max_size_mb", ""),
        }
    return {}


def _header(width: int) -> list[str]:
    """The columns, with option columns up to the widest question."""
    extra = [f"option_{_letter(i)}" for i in range(len(FIRST_OPTIONS), width)]
    at = COLUMNS.index(FIRST_OPTIONS[-1]) + 1
    return COLUMNS[:at] + extra + COLUMNS[at:]


def _cells(question: dict) -> dict[str, object]:
    """A question as a row, by column name."""
    texts = texts_of(question["text"])
    main = next(iter(texts)) if len(texts) == 1 else None
    feedback = texts_of(question.get("feedback"))
    cells: dict[str, object] = {
        "kind": question["kind"],
        "competency": question.get("competency", ""),
        "difficulty": question.get("difficulty", 1),
        "points": _number(question["points"]),
        "title": question.get("title", ""),
        "text_en": texts.get("en", ""),
        "text_zh": texts.get("zh-hans", ""),
        "feedback_en": feedback.get("en", ""),
        "feedback_zh": feedback.get("zh-hans", ""),
    }
    for index, text in enumerate(_option_cells(question, main)):
        cells[f"option_{_letter(index)}"] = text
    cells.update(_kind_cells(question, main))
    return cells


def _cell_texts(question: dict) -> list[str]:
    """Every text that goes into an option-like cell."""
    kind, content, key = question["kind"], question["content"], question["key"]
    found = []
    for name in ("options", "prompts", "choices", "items"):
        found += [t for e in content.get(name, []) for t in texts_of(e["text"]).values()]
    if kind == "practical":
        found += [t for r in key["rubric"] for t in texts_of(r["criterion"]).values()]
    return found


def cannot_express(question: dict) -> str | None:
    """Why a row cannot hold this question, or None."""
    kind, content, key = question.get("kind"), question["content"], question["key"]
    cells = _cell_texts(question)
    if len(cells) > 26 * 2:
        return _("more options than the option columns a to z can hold")
    if any(" | " in f" {t} " for t in cells):
        return _("an option contains ' | ', which the sheet reads as a language separator")
    if kind in ("matching", "practical") and any("=>" in t for t in cells):
        return _("a matching or rubric text contains '=>'")
    if kind == "fill_blanks" and any("|" in a for b in key["blanks"] for a in b["accepted"]):
        return _("an accepted answer contains '|', which separates answers")
    if kind == "matching" and len(content["prompts"]) + len(content["choices"]) > 26:
        return _("more options than the option columns a to z can hold")
    return None


def losses(question: dict, language: str = "en") -> list[str]:
    """The sheet holds every part of a question (ids are renamed a, b, c …)."""
    return []


def _write_rows(sheet, header: list[str], rows: list[dict]) -> None:
    """Append rows; text starting with '=' stays text rather than becoming a formula."""
    sheet.append(header)
    for cells in rows:
        row = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=cells.get(name, ""))
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
            row.append(cell)
        sheet.append(row)


def _workbook(rows: list[dict], *, guide: bool) -> bytes:
    """A workbook with the Questions sheet (and, for the template, an Instructions sheet)."""
    widths = [sum(1 for n in r if OPTION_RE.fullmatch(n)) for r in rows]
    header = _header(max([len(FIRST_OPTIONS), *widths]))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Questions")
    sheet.freeze_panes = "A2"
    kinds = DataValidation(type="list", formula1='"' + ",".join(KINDS) + '"', allow_blank=True)
    sheet.data_validations.append(kinds)
    kinds.add("A2:A100000")
    _write_rows(sheet, header, rows)
    if guide:
        instructions = workbook.create_sheet("Instructions")
        for line in _guide():
            instructions.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _guide() -> list[str]:
    """The Instructions sheet: the reader's docstring, which documents every column."""
    from . import xlsx  # the reader imports this module, so look it up at call time

    intro = _("How to fill in the Questions sheet (one row per question):")
    return [intro, *xlsx.__doc__.splitlines()]


def export(questions: list[dict], *, language: str = "en") -> ExportResult:
    """Write the questions as rows of the template (both languages are kept)."""
    chosen, warnings = select_exportable(questions, cannot_express, losses)
    return ExportResult(_workbook([_cells(q) for _n, q in chosen], guide=False), warnings)


EXAMPLES: list[dict] = [
    {
        "kind": "single_choice",
        "competency": "platform",
        "difficulty": 1,
        "points": "1",
        "title": "Ports",
        "text": {
            "en": "Which city hosts the most CBEC parcels?",
            "zh-hans": "哪个城市的跨境电商包裹最多？",
        },
        "content": {
            "options": [
                {"id": "a", "text": {"en": "Ningbo", "zh-hans": "宁波"}},
                {"id": "b", "text": {"en": "Shenzhen", "zh-hans": "深圳"}},
            ]
        },
        "key": {"correct": "b"},
    },
    {
        "kind": "multiple_choice",
        "competency": "platform",
        "difficulty": 1,
        "points": "2",
        "text": {"en": "Which are marketplaces?"},
        "content": {
            "options": [
                {"id": "a", "text": {"en": "Amazon"}},
                {"id": "b", "text": {"en": "DHL"}},
                {"id": "c", "text": {"en": "AliExpress"}},
            ]
        },
        "key": {"correct": ["a", "c"], "scoring": "partial", "penalty": "1"},
    },
    {
        "kind": "true_false",
        "competency": "logistics",
        "difficulty": 1,
        "points": "1",
        "text": {"zh-hans": "海外仓可以缩短配送时间。"},
        "content": {},
        "key": {"correct": True},
    },
    {
        "kind": "fill_blanks",
        "competency": "platform",
        "difficulty": 1,
        "points": "1",
        "text": {"en": "The largest CBEC platform is [[1]]."},
        "content": {"blanks": 1},
        "key": {
            "blanks": [{"accepted": ["Amazon", "amazon.com"]}],
            "case_sensitive": False,
            "normalise_whitespace": True,
        },
    },
    {
        "kind": "numeric",
        "competency": "logistics",
        "difficulty": 2,
        "points": "1",
        "text": {"en": "A carton weighs 12.5 kg and its box 0.3 kg. What is the gross weight?"},
        "content": {"unit": "kg"},
        "key": {"value": "12.8", "tolerance": "0.05", "tolerance_mode": "absolute"},
    },
    {
        "kind": "matching",
        "competency": "platform",
        "difficulty": 2,
        "points": "2",
        "text": {"en": "Match each platform to its home market."},
        "content": {
            "prompts": [
                {"id": "p1", "text": {"en": "Shopee"}},
                {"id": "p2", "text": {"en": "Mercado Libre"}},
            ],
            "choices": [
                {"id": "c1", "text": {"en": "Singapore"}},
                {"id": "c2", "text": {"en": "Argentina"}},
                {"id": "c3", "text": {"en": "Japan"}},
            ],
        },
        "key": {"pairs": {"p1": "c1", "p2": "c2"}},
    },
    {
        "kind": "ordering",
        "competency": "logistics",
        "difficulty": 2,
        "points": "1",
        "text": {"en": "Put the export steps in order."},
        "content": {
            "items": [
                {"id": "i1", "text": {"en": "Pack"}},
                {"id": "i2", "text": {"en": "Declare"}},
                {"id": "i3", "text": {"en": "Ship"}},
            ]
        },
        "key": {"order": ["i1", "i2", "i3"], "scoring": "partial"},
    },
    {
        "kind": "essay",
        "competency": "marketing",
        "difficulty": 3,
        "points": "10",
        "text": {"en": "Write a returns policy for a store selling to Europe."},
        "content": {"min_words": 100, "max_words": 400},
        "key": {"guidance": {"en": "Covers time limits, costs and refunds."}},
    },
    {
        "kind": "practical",
        "competency": "listing",
        "difficulty": 3,
        "points": "10",
        "text": {"en": "Create a product listing for a phone case."},
        "content": {
            "instructions": {"en": "Upload the listing as a spreadsheet."},
            "allowed_types": ["xlsx", "pdf"],
            "max_size_mb": 10,
        },
        "key": {
            "rubric": [
                {"id": "r1", "criterion": {"en": "Title and keywords"}, "points": "4"},
                {"id": "r2", "criterion": {"en": "Photos and description"}, "points": "6"},
            ]
        },
    },
]


def template_workbook() -> bytes:
    """The blank template we ship: the header, one example row per kind, and instructions."""
    return _workbook([_cells(q) for q in EXAMPLES], guide=True)
