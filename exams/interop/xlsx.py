"""Excel (.xlsx) question sheets: our own template, read and written; every kind but cloze
(whose gaps have no columns: export those as Moodle XML) fits.

One row per question on the sheet "Questions" (or the first sheet), a header row naming the
columns (any order; unknown ones are warned about).  Every text has a column per language,
ending in _en (English) or _zh (Chinese); fill one or both:

    kind          single_choice, multiple_choice, true_false, fill_blanks, numeric, matching,
                  ordering, essay, practical (or 单选 多选 判断 填空 数值 匹配 排序 问答 实操)
    competency    competency code                difficulty   1, 2 or 3 (default 1)
    points        > 0 (default 1; practical: the rubric total)     title   short name
    text_en, text_zh          the question in Markdown; at least one of them
    option_a_en, option_a_zh … option_f_en, option_f_zh
                  options (add option_g_en … for more, up to option_z_zh)
    correct       single: B · multiple: A,C · true_false: TRUE/FALSE (对/错) · numeric: 12.5 ·
                  ordering: the option letters in their correct order, e.g. C,A,B (empty:
                  the options are already in order) · fill_blanks with one gap: accepted
                  answers split by |, e.g. Amazon|amazon.com
    scoring       multiple_choice, ordering: all_or_nothing (default) or partial;
                  fill_blanks: case_sensitive and/or keep_whitespace
    tolerance     numeric: 0.1 (absolute) or 5% (relative)
    feedback_en, feedback_zh  general feedback      penalty   partial multiple choice, 0–1 (1)
    unit          numeric unit                      min_words, max_words   essay limits
    guidance_en, guidance_zh  essay marking notes
    instructions_en, instructions_zh  practical upload notes
    allowed_types practical file types: pdf, xlsx   max_size_mb   practical upload limit
    tags          words to file the question under, separated by commas: amazon, titles

Cells by kind:
    matching      option cells "prompt => answer"; a cell with only an answer is a choice
                  no prompt uses (a distractor); choices are numbered in the order cells
                  first name them
    ordering      option cells hold the items (in their correct order unless correct says)
    fill_blanks   gaps [[1]], [[2]] … in the text; with several gaps option_a_en (or _zh)
                  holds the answers of gap 1 (split by |), option_b_en those of gap 2, …
    practical     option cells are rubric criteria "criterion => points"

Sheets made before the language columns, with option_a, guidance and instructions columns
holding "English | 中文", are still read (with a warning) when the new columns are absent.

A workbook is a zip, and a small one can unpack to gigabytes (one huge shared string), so
before openpyxl opens it the zip's headers are judged (each part and the total against
EXAMS_IMPORT_XLSX_MAX_PART_MB and EXAMS_IMPORT_XLSX_MAX_TOTAL_MB, the compression ratio of
large parts against EXAMS_IMPORT_XLSX_MAX_RATIO), then every part is unpacked in chunks,
counting, so that a header that lies about a size is caught with bounded memory too.
"""

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from organizations.safezip import unsafe_archive

from .. import tags
from .common import (
    GAP_RE,
    add_checked,
    decimal_text,
    make_question,
    parse_decimal,
)
from .report import ImportReport, at_file, at_row
from .xlsx_write import (
    COLUMNS,
    LEGACY_COLUMNS,
    LEGACY_OPTION_RE,
    OPTION_RE,
    SUFFIXES,
    cannot_express,
    export,
    losses,
    template_workbook,
)

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
_LANGUAGE = {suffix: lang for lang, suffix in SUFFIXES.items()}
DEFAULT_MAX_PART_MB = 20
DEFAULT_MAX_TOTAL_MB = 50
DEFAULT_MAX_RATIO = 100


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
    """Old layout: 'English | 中文' as both languages; a cell without ' | ' is in `language`."""
    if " | " not in f" {text} ":
        return {language: text} if text else {}
    english, chinese = f" {text} ".split(" | ", 1)
    return {k: v.strip() for k, v in (("en", english), ("zh-hans", chinese)) if v.strip()}


class _Layout:
    """Which columns a header has: the language columns, or the old combined ones."""

    def __init__(self, columns: dict[str, int]):
        names = set(columns)
        self.options = sorted({m[1] for n in names if (m := OPTION_RE.fullmatch(n))})
        self.legacy_options = sorted(n[-1] for n in names if LEGACY_OPTION_RE.fullmatch(n))
        # The old columns are read only when none of their language columns exist.
        self.legacy: list[str] = []
        self.ignored: list[str] = []
        if self.legacy_options:
            target = self.ignored if self.options else self.legacy
            target += [f"option_{letter}" for letter in self.legacy_options]
        for name in LEGACY_COLUMNS:
            if name in names:
                new = {f"{name}_{s}" for s in SUFFIXES.values()} & names
                (self.ignored if new else self.legacy).append(name)
        self.letters = self.options or self.legacy_options


class _Row:
    """One spreadsheet row: its cells by column name and the problems found in it."""

    def __init__(self, columns: dict[str, int], layout: _Layout, values: tuple, language: str):
        self.values = {
            name: _cell(values[i]) if i < len(values) else "" for name, i in columns.items()
        }
        self.layout = layout
        self.text = self.texts("text")
        # Old layout: cells without " | " are in the language of the question text when it
        # has only one.
        self.language = next(iter(self.text)) if len(self.text) == 1 else language
        self.options: list[tuple[str, dict]] = []
        for letter in layout.letters:
            texts = self.cell_texts(f"option_{letter}")
            if texts:
                self.options.append((letter, texts))
        self.problems: list[str] = []

    def __getitem__(self, name: str) -> str:
        return self.values.get(name, "")

    def texts(self, name: str) -> dict:
        """A text's language columns, name_en and name_zh, as {language: text}."""
        found = {_LANGUAGE[s]: self[f"{name}_{s}"] for s in SUFFIXES.values()}
        return {lang: text for lang, text in found.items() if text}

    def cell_texts(self, name: str) -> dict:
        """A bilingual field: its language columns, or its old 'English | 中文' cell."""
        if name in self.layout.legacy:
            return _bilingual(self[name], self.language)
        return self.texts(name)

    def pairs(self) -> list[tuple[dict, dict]]:
        """(left, right) texts of option cells 'left => right' ({} left when there is no =>)."""
        pairs = []
        for letter, texts in self.options:
            name = f"option_{letter}"
            if name in self.layout.legacy:
                left, arrow, right = self[name].rpartition("=>")
                left, right = (left, right) if arrow else ("", self[name])
                pairs.append((self.bi(left.strip()), self.bi(right.strip())))
                continue
            lefts, rights = {}, {}
            for lang, text in texts.items():
                left, arrow, right = text.rpartition("=>")
                left, right = (left, right) if arrow else ("", text)
                if left.strip():
                    lefts[lang] = left.strip()
                if right.strip():
                    rights[lang] = right.strip()
            pairs.append((lefts, rights))
        return pairs

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
    options = [{"id": letter, "text": text} for letter, text in row.options]
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


def _answers(row: _Row, letter: str, texts: dict) -> list[str]:
    """The accepted answers of one gap's option cells, split by |."""
    name = f"option_{letter}"
    cells = [row[name]] if name in row.layout.legacy else list(texts.values())
    answers = [a.strip() for cell in cells for a in cell.split("|") if a.strip()]
    return list(dict.fromkeys(answers))


def _fill_blanks(row: _Row, kind: str) -> tuple[dict, dict]:
    """Gaps in the text; answers in 'correct' (one gap) or in the option cells."""
    gaps = max((int(n) for t in row.text.values() for n in GAP_RE.findall(t)), default=0)
    blanks = [{"accepted": _answers(row, letter, texts)} for letter, texts in row.options]
    if not blanks and row["correct"]:
        blanks = [{"accepted": [a.strip() for a in row["correct"].split("|") if a.strip()]}]
    if len(blanks) != gaps or not gaps:
        row.problems.append(
            _("the text has %(gaps)d gaps [[n]] but answers for %(answers)d")
            % {"gaps": gaps, "answers": len(blanks)}
        )
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


def _matching(row: _Row, kind: str) -> tuple[dict, dict]:
    """Prompts and answers from 'prompt => answer' cells."""
    prompts, answers, pairs = [], [], {}
    for left, right in row.pairs():
        answer = tuple(sorted(right.items()))
        if answer not in answers:
            answers.append(answer)
        if left:
            prompts.append({"id": f"p{len(prompts) + 1}", "text": left})
            pairs[prompts[-1]["id"]] = f"c{answers.index(answer) + 1}"
    choices = [{"id": f"c{i}", "text": dict(a)} for i, a in enumerate(answers, start=1)]
    return {"prompts": prompts, "choices": choices}, {"pairs": pairs}


def _ordering(row: _Row, kind: str) -> tuple[dict, dict]:
    """Items, in their correct order or in the order 'correct' gives by letter."""
    ids = {letter: f"i{n}" for n, (letter, _t) in enumerate(row.options, start=1)}
    items = [{"id": ids[letter], "text": text} for letter, text in row.options]
    order = list(ids.values())
    if row["correct"]:
        letters = row.letters()
        if sorted(letters) != sorted(ids):
            row.problems.append(_("correct must name every option once, in the correct order"))
        order = [ids[letter] for letter in letters if letter in ids]
    return {"items": items}, {"order": order, "scoring": row.scoring()}


def _essay(row: _Row, kind: str) -> tuple[dict, dict]:
    """Word limits and guidance."""
    content = {}
    for name in ("min_words", "max_words"):
        value = row.integer(name, None)
        if value is not None:
            content[name] = value
    guidance = row.cell_texts("guidance")
    return content, ({"guidance": guidance} if guidance else {})


def _practical(row: _Row, kind: str) -> tuple[dict, dict]:
    """Rubric criteria 'criterion => points', upload rules and instructions."""
    rubric = []
    for number, (criterion, points) in enumerate(row.pairs(), start=1):
        values = {parse_decimal(p) for p in points.values()}
        value = next(iter(values)) if len(values) == 1 else None
        if not criterion or value is None:
            row.problems.append(_("each rubric cell must read 'criterion => points'"))
        shown = decimal_text(value) if value is not None else " / ".join(points.values())
        rubric.append({"id": f"r{number}", "criterion": criterion, "points": shown})
    content: dict = {}
    instructions = row.cell_texts("instructions")
    if instructions:
        content["instructions"] = instructions
    types = [t.strip().lstrip(".").lower() for t in re.split(r"[,;\s]+", row["allowed_types"])]
    if any(types):
        content["allowed_types"] = [t for t in types if t]
    size = row.integer("max_size_mb", None)
    if size is not None:
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
    if kind not in _READERS:
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
        feedback=row.texts("feedback"),
        tags=tags.parse(row["tags"]),
    )
    add_checked(report, at_row(number), question)


def _columns(header: tuple | None, report: ImportReport) -> tuple[dict[str, int], _Layout] | None:
    """Column positions by name and the layout, or None (and an error) if unusable."""
    names = [_cell(v).lower() for v in header or ()]
    columns = {name: i for i, name in enumerate(names) if name}
    if "kind" not in columns or not {"text_en", "text_zh"} & set(columns):
        report.error(
            at_row(1), _("the header row must name the columns kind and text_en or text_zh")
        )
        return None
    layout = _Layout(columns)
    known = set(COLUMNS) | set(LEGACY_COLUMNS)
    unknown = [
        n
        for n in columns
        if n not in known and not OPTION_RE.fullmatch(n) and not LEGACY_OPTION_RE.fullmatch(n)
    ]
    if unknown:
        report.warn(at_row(1), _("unknown columns ignored: %(c)s") % {"c": ", ".join(unknown)})
    if layout.ignored:
        report.warn(
            at_row(1),
            _("old columns ignored because their _en and _zh columns are there: %(c)s")
            % {"c": ", ".join(layout.ignored)},
        )
    if layout.legacy:
        report.warn(
            at_row(1),
            _(
                "this sheet has the old layout (%(c)s): a cell is split into English and "
                "Chinese at the first ' | ', so text that itself holds ' | ' comes out cut. "
                "Check those texts, and use the new template with separate _en and _zh columns."
            )
            % {"c": ", ".join(layout.legacy)},
        )
    return columns, layout


def _limits() -> tuple[int, int, int]:
    """(bytes per part, bytes in all, compression ratio) a workbook may unpack to."""
    mb = 1024 * 1024
    return (
        int(getattr(settings, "EXAMS_IMPORT_XLSX_MAX_PART_MB", DEFAULT_MAX_PART_MB) * mb),
        int(getattr(settings, "EXAMS_IMPORT_XLSX_MAX_TOTAL_MB", DEFAULT_MAX_TOTAL_MB) * mb),
        int(getattr(settings, "EXAMS_IMPORT_XLSX_MAX_RATIO", DEFAULT_MAX_RATIO)),
    )


def _unsafe_workbook(data: bytes) -> list[str]:
    """Why the workbook's zip must not reach openpyxl: its headers, then bounded reads."""
    part, total, ratio = _limits()
    problems = unsafe_archive(data, max_member=part, max_total=total, max_ratio=ratio)
    return problems or []  # None: not a zip at all, and openpyxl says it is no workbook


def parse(data: bytes, *, default_language: str = "en") -> ImportReport:
    """Read a question workbook row by row (read-only, values only, so large files are fast)."""
    report = ImportReport()
    unsafe = _unsafe_workbook(data)
    for problem in unsafe:
        report.error(at_file(), _("the workbook is refused: %(problem)s") % {"problem": problem})
    if unsafe:
        return report
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        report.error(at_file(), _("this is not an Excel .xlsx workbook"))
        return report
    try:
        names = workbook.sheetnames
        sheet = workbook["Questions"] if "Questions" in names else workbook[names[0]]
        rows = sheet.iter_rows(values_only=True)
        found = _columns(next(rows, None), report)
        if found:
            columns, layout = found
            for number, values in enumerate(rows, start=2):
                if any(v is not None and str(v).strip() for v in values):
                    row = _Row(columns, layout, values, default_language)
                    _read_row(row, number, report)
    finally:
        workbook.close()
    return report
