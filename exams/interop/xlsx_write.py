"""Writing questions as rows of our Excel template (see exams.interop.xlsx for the columns).

Each language has its own column (``text_en``/``text_zh``, ``option_a_en``/``option_a_zh``,
``guidance_en``/``guidance_zh`` …), so no text can collide with a separator between languages.
"""

import io
import re
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.datavalidation import DataValidation

from organizations.spreadsheets import clean

from .common import (
    KINDS,
    decimal_text,
    letter_id,
    parse_decimal,
    select_exportable,
    texts_of,
    unknown_kind,
)
from .media import images_stay_links
from .report import ExportResult

# The kinds a row holds (a cloze's gaps have no columns).
SHEET_KINDS = tuple(kind for kind in KINDS if kind != "cloze")

# Our two content languages and the suffix of their columns.
SUFFIXES = {"en": "en", "zh-hans": "zh"}
FIRST_OPTIONS = [f"option_{c}_{s}" for c in "abcdef" for s in SUFFIXES.values()]
COLUMNS = [
    *("kind", "competency", "difficulty", "points", "title", "text_en", "text_zh"),
    *FIRST_OPTIONS,
    *("correct", "scoring", "tolerance", "feedback_en", "feedback_zh", "penalty", "unit"),
    *("min_words", "max_words", "guidance_en", "guidance_zh"),
    *("instructions_en", "instructions_zh", "allowed_types", "max_size_mb"),
    "tags",
]
OPTION_RE = re.compile(r"option_([a-z])_(en|zh)")
# The layout before 2025: one cell per option, guidance and instructions, "English | 中文".
LEGACY_OPTION_RE = re.compile(r"option_([a-z])")
LEGACY_COLUMNS = ("guidance", "instructions")
MAX_OPTIONS = 26
# What an Excel cell holds; longer text is cut by Excel when the file is opened.
MAX_CELL_CHARS = 32_767

# --- writing ---------------------------------------------------------------------------------


def _bi_cells(name: str, value: object) -> dict[str, str]:
    """A bilingual dict as its language columns: {"name_en": ..., "name_zh": ...}."""
    texts = texts_of(value)
    return {f"{name}_{s}": clean(texts[lang]) for lang, s in SUFFIXES.items() if lang in texts}


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


def _arrows(left: object, right: dict[str, str]) -> dict[str, str]:
    """'left => right' per language; a language with no left text keeps ' => right'."""
    lefts = texts_of(left)
    cells = {}
    for lang in SUFFIXES:
        if lang in lefts or lang in right:
            cells[lang] = f"{lefts.get(lang, '')} => {right.get(lang, '')}".strip()
    return cells


def _matching_cells(question: dict) -> list[dict]:
    """Prompt cells 'prompt => choice', then distractors; all choices first if order needs it."""
    content, pairs = question["content"], question["key"]["pairs"]
    choices = {c["id"]: texts_of(c["text"]) for c in content["choices"]}
    cells = [_arrows(p["text"], choices[pairs[p["id"]]]) for p in content["prompts"]]
    named = list(dict.fromkeys(pairs[p["id"]] for p in content["prompts"]))
    unused = [i for i in choices if i not in set(pairs.values())]
    if named + unused != list(choices):
        # The reader numbers choices in the order cells name them: list them all first.
        return [choices[i] for i in choices] + cells
    return cells + [choices[i] for i in unused]


def _option_cells(question: dict) -> list[dict]:
    """The option cells of a question, in column order, each as {language: text}."""
    kind, content, key = question["kind"], question["content"], question["key"]
    if kind in ("single_choice", "multiple_choice"):
        return [texts_of(o["text"]) for o in content["options"]]
    if kind == "fill_blanks" and len(key["blanks"]) > 1:
        main = "zh-hans" if set(texts_of(question["text"])) == {"zh-hans"} else "en"
        return [{main: "|".join(b["accepted"])} for b in key["blanks"]]
    if kind == "matching":
        return _matching_cells(question)
    if kind == "ordering":
        return [texts_of(i["text"]) for i in content["items"]]
    if kind == "practical":
        return [
            {lang: f"{text} => {r['points']}" for lang, text in texts_of(r["criterion"]).items()}
            for r in key["rubric"]
        ]
    return []


def _letters(ids: list[str], chosen: list[str]) -> str:
    """Option letters of some ids: 'A,C'."""
    return ",".join(_letter(ids.index(c)).upper() for c in chosen)


def _kind_cells(question: dict) -> dict[str, object]:
    """The 'correct', 'scoring' and other kind-specific cells."""
    kind, content, key = question["kind"], question["content"], question["key"]
    if kind == "single_choice":
        return {"correct": _letters([o["id"] for o in content["options"]], [key["correct"]])}
    if kind == "multiple_choice":
        letters = _letters([o["id"] for o in content["options"]], key["correct"])
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
        ids = [i["id"] for i in content["items"]]
        scoring = key.get("scoring", "all_or_nothing")
        return {"correct": _letters(ids, key["order"]), "scoring": scoring}
    if kind == "essay":
        return {
            "min_words": content.get("min_words", ""),
            "max_words": content.get("max_words", ""),
            **_bi_cells("guidance", key.get("guidance")),
        }
    if kind == "practical":
        return {
            **_bi_cells("instructions", content.get("instructions")),
            "allowed_types": ", ".join(content.get("allowed_types", [])),
            "max_size_mb": content.get("max_size_mb", ""),
        }
    return {}


def _header(width: int) -> list[str]:
    """The columns, with option columns up to the widest question."""
    extra = [
        f"option_{_letter(i)}_{s}"
        for i in range(len(FIRST_OPTIONS) // 2, width)
        for s in SUFFIXES.values()
    ]
    at = COLUMNS.index(FIRST_OPTIONS[-1]) + 1
    return COLUMNS[:at] + extra + COLUMNS[at:]


def _cells(question: dict) -> dict[str, object]:
    """A question as a row, by column name."""
    cells: dict[str, object] = {
        "kind": question["kind"],
        "competency": question.get("competency", ""),
        "difficulty": question.get("difficulty", 1),
        "points": _number(question["points"]),
        "title": clean(question.get("title", "")),
        **_bi_cells("text", question["text"]),
        **_bi_cells("feedback", question.get("feedback")),
    }
    if question.get("tags"):
        cells["tags"] = clean(", ".join(question["tags"]))
    for index, texts in enumerate(_option_cells(question)):
        cells.update(_bi_cells(f"option_{_letter(index)}", texts))
    cells.update(_kind_cells(question))
    return cells


def _texts(question: dict) -> list[str]:
    """Every text of a question that goes into a cell."""
    kind, content, key = question["kind"], question["content"], question["key"]
    found = [question.get("title", "")]
    for value in (question["text"], question.get("feedback"), key.get("guidance")):
        found += texts_of(value).values()
    found += texts_of(content.get("instructions")).values()
    for name in ("options", "prompts", "choices", "items"):
        found += [t for e in content.get(name, []) for t in texts_of(e["text"]).values()]
    if kind == "practical":
        found += [t for r in key["rubric"] for t in texts_of(r["criterion"]).values()]
    return found


def cannot_express(question: dict) -> str | None:
    """Why a row cannot hold this question, or None."""
    if unknown_kind(question):
        return unknown_kind(question)
    if question.get("kind") == "cloze":
        return _("the Excel template has no columns for cloze gaps; export them as Moodle XML")
    kind, content, key = question.get("kind"), question["content"], question["key"]
    if len(_option_cells(question)) > MAX_OPTIONS:
        return _("more options than the option columns a to z can hold")
    if any(len(t) > MAX_CELL_CHARS for t in _texts(question)):
        return _("a text is longer than the 32,767 characters an Excel cell holds")
    arrowed = content.get("prompts", []) + content.get("choices", [])
    if kind == "practical":
        arrowed = [{"text": r["criterion"]} for r in key["rubric"]]
    if kind in ("matching", "practical") and any(
        "=>" in t for e in arrowed for t in texts_of(e["text"]).values()
    ):
        return _("a matching or rubric text contains '=>'")
    if kind == "matching":
        choices = [tuple(sorted(texts_of(c["text"]).items())) for c in content["choices"]]
        if len(set(choices)) != len(choices):
            return _("two matching choices have the same text")
    if kind == "fill_blanks" and any("|" in a for b in key["blanks"] for a in b["accepted"]):
        return _("an accepted answer contains '|', which separates answers")
    return None


def losses(question: dict, language: str = "en") -> list[str]:
    """The sheet holds every part of a question (only ids are renamed a, b, c …), but not
    the images it shows (those stay links to this site's copies) nor its ID number."""
    found = images_stay_links(question)
    if question.get("idnumber"):
        found.append(_("ID number"))
    if any(clean(t) != t for t in _texts(question)):
        found.append(_("control characters, which a workbook cannot hold"))
    return found


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
    widths = [len({OPTION_RE.fullmatch(n)[1] for n in r if OPTION_RE.fullmatch(n)}) for r in rows]
    header = _header(max([len(FIRST_OPTIONS) // 2, *widths]))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Questions")
    sheet.freeze_panes = "A2"
    kinds = DataValidation(
        type="list", formula1='"' + ",".join(SHEET_KINDS) + '"', allow_blank=True
    )
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


def export(questions: list[dict], *, language: str = "en", media=None) -> ExportResult:
    """Write the questions as rows of the template (both languages are kept; media, the
    bank's images, is not used: the sheet links to them)."""
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
        "tags": ["ports", "物流"],
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
