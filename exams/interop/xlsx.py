"""Excel (.xlsx) question sheets: our own template, read and written; every kind fits.

One row per question on the sheet "Questions" (or the first sheet), a header row naming the
columns (any order; unknown ones are warned about):

    kind          single_choice, multiple_choice, true_false, fill_blanks, numeric, matching,
                  ordering, essay, practical (or 单选 多选 判断 填空 数值 匹配 排序 问答 实操)
    competency    competency code                difficulty   1, 2 or 3 (default 1)
    points        > 0 (default 1; practical: the rubric total)     title   short name
    text_en, text_zh          the question in Markdown; at least one of them
    option_a … option_f       options (add option_g … for more); "English | 中文" gives both
    correct       single: B · multiple: A,C · true_false: TRUE/FALSE (对/错) · numeric: 12.5 ·
                  fill_blanks with one gap: accepted answers split by |, e.g. Amazon|amazon.com
    scoring       multiple_choice, ordering: all_or_nothing (default) or partial;
                  fill_blanks: case_sensitive and/or keep_whitespace
    tolerance     numeric: 0.1 (absolute) or 5% (relative)
    feedback_en, feedback_zh  general feedback      penalty   partial multiple choice, 0–1 (1)
    unit          numeric unit                      min_words, max_words   essay limits
    guidance      essay marking notes               instructions  practical upload notes
    allowed_types practical file types: pdf, xlsx   max_size_mb   practical upload limit

Cells by kind:
    matching      option cells "prompt => answer"; a cell with only an answer is a distractor
    ordering      option cells hold the items in their correct order
    fill_blanks   gaps [[1]], [[2]] … in the text; with several gaps option_a holds the
                  answers of gap 1 (split by |), option_b those of gap 2, …
    practical     option cells are rubric criteria "criterion => points"
Cells with " | " are bilingual (English before, Chinese after; either side may be empty).
"""

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .common import (
    GAP_RE,
    KINDS,
    add_checked,
    decimal_text,
    make_question,
    parse_decimal,
)
from .report import ImportReport, at_file, at_row
from .xlsx_write import COLUMNS, OPTION_RE, cannot_express, export, losses, template_workbook

__all__ = ["COLUMNS", "cannot_express", "export", "losses", "parse", "template_workbook"]

_ALIASES = {
    "单选": "single_choice",
    "多选": "multiple_choice",
    "判断": "true_false",
    "填空": "fill_blanks",
    "数值": "numeric",
    "匹配": "matching",
    "排序": "ordering",
    "问答": "essay",
    "实操": "practical",
}
_TRUTH = {"true": True, "t": True, "yes": True, "对": True, "正确": True, "1": True}
_TRUTH |= {"false": False, "f": False, "no": False, "错": False, "错误": False, "0": False}
_SCORINGS = ("all_or_nothing", "partial")


# --- reading ---------------------------------------------------------------------------------


def _cell(value: object) -> str:
    """A cell value as trimmed text; whole floats lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


def _bilingual(text: str, language: str) -> dict:
    """'English | 中文' as both languages; a cell without ' | ' is in the row's language."""
    if " | " not in f" {text} ":
        return {language: text} if text else {}
    english, chinese = f" {text} ".split(" | ", 1)
    return {k: v.strip() for k, v in (("en", english), ("zh-hans", chinese)) if v.strip()}


@cache
def _option_names(columns: frozenset) -> list[str]:
    """The option column names of a header, a to z."""
    return sorted(name for name, _i in columns if OPTION_RE.fullmatch(name))


class _Row:
    """One spreadsheet row: its cells by column name and the problems found in it."""

    def __init__(self, columns: dict[str, int], values: tuple, language: str):
        self.values = {
            name: _cell(values[i]) if i < len(values) else "" for name, i in columns.items()
        }
        self.options = [
            (name[-1], self.values[name])
            for name in _option_names(frozenset(columns.items()))
            if self.values[name]
        ]
        self.text = {k: v for k, v in (("en", self["text_en"]), ("zh-hans", self["text_zh"])) if v}
        # Cells without " | " are in the language of the question text when it has only one.
        self.language = next(iter(self.text)) if len(self.text) == 1 else language
        self.problems: list[str] = []

    def __getitem__(self, name: str) -> str:
        return self.values.get(name, "")

    def bi(self, text: str) -> dict:
        return _bilingual(text, self.language)

    def integer(self, name: str, default: int | None) -> int | None:
        """A whole-number cell, or the default when empty."""
        if not self[name]:
            return default
        if not self[name].isdigit():
            self.problems.append(_("%(col)s must be a whole number") % {"col": name})
        return int(self[name]) if self[name].isdigit() else default

    def scoring(self) -> str:
        scoring = (self["scoring"] or "all_or_nothing").lower().replace("-", "_").replace(" ", "_")
        if scoring not in _SCORINGS:
            self.problems.append(_("scoring must be all_or_nothing or partial"))
        return scoring

    def letters(self) -> list[str]:
        """The option letters named in 'correct'."""
        letters = [c.lower() for c in re.split(r"[\s,;，；、]+", self["correct"]) if c]
        if len(letters) == 1 and len(letters[0]) > 1 and letters[0].isalpha():
            letters = list(letters[0])  # "AC" means A and C
        known = {letter for letter, _text in self.options}
        for letter in letters:
            if letter not in known:
                self.problems.append(
                    _("correct names '%(l)s' but that option is empty") % {"l": letter.upper()}
                )
        return letters


def _choice(row: _Row, kind: str) -> tuple[dict, dict]:
    """Single or multiple choice."""
    options = [{"id": letter, "text": row.bi(text)} for letter, text in row.options]
    letters = row.letters()
    if kind == "single_choice":
        if len(letters) != 1:
            row.problems.append(_("correct must name exactly one option, like B"))
        return {"options": options}, {"correct": next(iter(letters), "")}
    penalty = row["penalty"] or "1"
    number = parse_decimal(penalty)
    if number is None or not 0 <= number <= 1:
        row.problems.append(_("penalty must be a number from 0 to 1"))
    key = {
        "correct": letters,
        "scoring": row.scoring(),
        "penalty": decimal_text(number if number is not None else Decimal(0)),
    }
    return {"options": options}, key


def _true_false(row: _Row, kind: str) -> tuple[dict, dict]:
    """TRUE/FALSE (or T/F, yes/no, 对/错)."""
    value = _TRUTH.get(row["correct"].lower())
    if value is None:
        row.problems.append(_("correct must be TRUE or FALSE"))
    return {}, {"correct": value}


def _fill_blanks(row: _Row, kind: str) -> tuple[dict, dict]:
    """Gaps in the text; answers in 'correct' (one gap) or in the option cells."""
    gaps = max((int(n) for t in row.text.values() for n in GAP_RE.findall(t)), default=0)
    cells = [text for _letter, text in row.options] or ([row["correct"]] if row["correct"] else [])
    if len(cells) != gaps or not gaps:
        row.problems.append(
            _("the text has %(gaps)d gaps [[n]] but answers for %(answers)d")
            % {"gaps": gaps, "answers": len(cells)}
        )
    blanks = [{"accepted": [a.strip() for a in cell.split("|") if a.strip()]} for cell in cells]
    flags = {f for f in re.split(r"[\s,;]+", row["scoring"].lower()) if f}
    if flags - {"case_sensitive", "keep_whitespace"}:
        row.problems.append(_("scoring for fill_blanks may be case_sensitive, keep_whitespace"))
    key = {
        "blanks": blanks,
        "case_sensitive": "case_sensitive" in flags,
        "normalise_whitespace": "keep_whitespace" not in flags,
    }
    return {"blanks": len(blanks)}, key


def _numeric(row: _Row, kind: str) -> tuple[dict, dict]:
    """A value, an absolute or percentage tolerance and a unit."""
    value = parse_decimal(row["correct"])
    if value is None:
        row.problems.append(_("correct must be a number like 12.5"))
    tolerance = row["tolerance"] or "0"
    relative = tolerance.endswith("%")
    amount = parse_decimal(tolerance.removesuffix("%"))
    if amount is None or amount < 0:
        row.problems.append(_("tolerance must be a number like 0.1 or a percentage like 5%"))
        amount = Decimal(0)
    key = {
        "value": decimal_text(value) if value is not None else row["correct"],
        "tolerance": decimal_text(amount / 100 if relative else amount),
        "tolerance_mode": "relative" if relative else "absolute",
    }
    return ({"unit": row["unit"]} if row["unit"] else {}), key


def _pairs(row: _Row) -> list[tuple[str, str]]:
    """(left, right) of option cells written 'left => right' ('' left when there is no =>)."""
    pairs = []
    for _letter, text in row.options:
        left, arrow, right = text.rpartition("=>")
        pairs.append((left.strip(), right.strip()) if arrow else ("", text))
    return pairs


def _matching(row: _Row, kind: str) -> tuple[dict, dict]:
    """Prompts and answers from 'prompt => answer' cells."""
    prompts, answers, pairs = [], [], {}
    for left, right in _pairs(row):
        if right not in answers:
            answers.append(right)
        if left:
            prompts.append({"id": f"p{len(prompts) + 1}", "text": row.bi(left)})
            pairs[prompts[-1]["id"]] = f"c{answers.index(right) + 1}"
    choices = [{"id": f"c{i}", "text": row.bi(a)} for i, a in enumerate(answers, start=1)]
    return {"prompts": prompts, "choices": choices}, {"pairs": pairs}


def _ordering(row: _Row, kind: str) -> tuple[dict, dict]:
    """Items in their correct order."""
    ids = [f"i{n}" for n in range(1, len(row.options) + 1)]
    items = [
        {"id": i, "text": row.bi(text)} for i, (_l, text) in zip(ids, row.options, strict=True)
    ]
    return {"items": items}, {"order": ids, "scoring": row.scoring()}


def _essay(row: _Row, kind: str) -> tuple[dict, dict]:
    """Word limits and guidance."""
    content = {}
    for name in ("min_words", "max_words"):
        value = row.integer(name, None)
        if value:
            content[name] = value
    guidance = row.bi(row["guidance"])
    return content, ({"guidance": guidance} if guidance else {})


def _practical(row: _Row, kind: str) -> tuple[dict, dict]:
    """Rubric criteria 'criterion => points', upload rules and instructions."""
    rubric = []
    for number, (criterion, points) in enumerate(_pairs(row), start=1):
        value = parse_decimal(points)
        if not criterion or value is None:
            row.problems.append(_("each rubric cell must read 'criterion => points'"))
        shown = decimal_text(value) if value is not None else points
        rubric.append({"id": f"r{number}", "criterion": row.bi(criterion), "points": shown})
    content: dict = {}
    if row["instructions"]:
        content["instructions"] = row.bi(row["instructions"])
    types = [t.strip().lstrip(".").lower() for t in re.split(r"[,;\s]+", row["allowed_types"])]
    if any(types):
        content["allowed_types"] = [t for t in types if t]
    size = row.integer("max_size_mb", None)
    if size:
        content["max_size_mb"] = size
    return content, {"rubric": rubric}


_READERS = {
    "single_choice": _choice,
    "multiple_choice": _choice,
    "true_false": _true_false,
    "fill_blanks": _fill_blanks,
    "numeric": _numeric,
    "matching": _matching,
    "ordering": _ordering,
    "essay": _essay,
    "practical": _practical,
}


def _kind(text: str) -> str:
    """A kind name from the cell, accepting 'Single choice' and the Chinese names."""
    name = text.strip().lower().replace("-", "_").replace(" ", "_")
    return _ALIASES.get(text.strip().removesuffix("题"), name)


def _read_row(row: _Row, number: int, report: ImportReport) -> None:
    """Turn one row into a question, or report all its problems."""
    kind = _kind(row["kind"])
    if kind not in KINDS:
        report.error(at_row(number), _("unknown kind '%(kind)s'") % {"kind": row["kind"]})
        return
    content, key = _READERS[kind](row, kind)
    difficulty = row.integer("difficulty", 1)
    points = parse_decimal(row["points"] or "1")
    if kind == "practical" and not row["points"]:
        points = sum((parse_decimal(r["points"]) or Decimal(0) for r in key["rubric"]), Decimal(0))
    for problem in row.problems:
        report.error(at_row(number), problem)
    if row.problems:
        return
    question = make_question(
        kind,
        row.text,
        content=content,
        key=key,
        points=decimal_text(points) if points is not None else row["points"],
        competency=row["competency"],
        difficulty=difficulty,
        title=row["title"],
        feedback={"en": row["feedback_en"], "zh-hans": row["feedback_zh"]},
    )
    add_checked(report, at_row(number), question)


def _columns(header: tuple | None, report: ImportReport) -> dict[str, int] | None:
    """Column positions by name, or None (and an error) if the header is unusable."""
    names = [_cell(v).lower() for v in header or ()]
    columns = {name: i for i, name in enumerate(names) if name}
    missing = [n for n in ("kind",) if n not in columns]
    if missing or not {"text_en", "text_zh"} & set(columns):
        report.error(
            at_row(1), _("the header row must name the columns kind and text_en or text_zh")
        )
        return None
    unknown = [n for n in columns if n not in COLUMNS and not OPTION_RE.fullmatch(n)]
    if unknown:
        report.warn(at_row(1), _("unknown columns ignored: %(c)s") % {"c": ", ".join(unknown)})
    return columns


def parse(data: bytes, *, default_language: str = "en") -> ImportReport:
    """Read a question workbook row by row (read-only, values only, so large files are fast)."""
    report = ImportReport()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        report.error(at_file(), _("this is not an Excel .xlsx workbook"))
        return report
    try:
        names = workbook.sheetnames
        sheet = workbook["Questions"] if "Questions" in names else workbook[names[0]]
        rows = sheet.iter_rows(values_only=True)
        columns = _columns(next(rows, None), report)
        for number, values in enumerate(rows if columns else (), start=2):
            if any(v is not None and str(v).strip() for v in values):
                _read_row(_Row(columns, values, default_language), number, report)
    finally:
        workbook.close()
    return report
