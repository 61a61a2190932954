"""The Excel template: reading teacher-filled sheets, writing exports and the shipped template."""

import io
import struct
import tracemalloc
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

from exams.interop import xlsx
from exams.interop.xlsx_write import EXAMPLES, SHEET_KINDS

SAMPLES = Path(__file__).parent / "samples"


def sheet(rows: list[list], header: list[str] | None = None) -> bytes:
    workbook = Workbook(write_only=True)
    questions = workbook.create_sheet("Questions")
    questions.append(header or xlsx.COLUMNS)
    for row in rows:
        questions.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_good_sample_reads_every_kind_as_a_teacher_typed_it():
    report = xlsx.parse((SAMPLES / "good.xlsx").read_bytes())

    assert_good_sample(report)


def assert_good_sample(report):
    """The questions of good.xlsx (and of legacy.xlsx, the same sheet in the old layout)."""

    assert report.ok
    by_kind = {q["kind"]: q for q in report.questions}
    assert len(by_kind) == 9
    single = by_kind["single_choice"]  # written as 单选, Chinese text only
    assert single["text"] == {"zh-hans": "哪个城市的跨境包裹最多？"}
    assert single["content"]["options"][1] == {"id": "b", "text": {"zh-hans": "深圳"}}
    assert single["key"] == {"correct": "b"}
    multiple = by_kind["multiple_choice"]
    assert multiple["key"] == {"correct": ["a", "c"], "scoring": "partial", "penalty": "0.5"}
    assert multiple["content"]["options"][0]["text"] == {"en": "Amazon", "zh-hans": "亚马逊"}
    assert (multiple["points"], multiple["difficulty"]) == ("2", 2)
    assert by_kind["true_false"]["key"] == {"correct": True}
    assert by_kind["fill_blanks"]["key"] == {
        "blanks": [{"accepted": ["Amazon", "AliExpress"]}, {"accepted": ["DHL", "FedEx"]}],
        "case_sensitive": True,
        "normalise_whitespace": True,
    }
    assert by_kind["numeric"]["key"] == {
        "value": "12.8",
        "tolerance": "0.01",
        "tolerance_mode": "relative",
    }
    assert by_kind["matching"]["key"] == {"pairs": {"p1": "c1", "p2": "c2"}}
    assert len(by_kind["matching"]["content"]["choices"]) == 3
    assert by_kind["essay"]["key"] == {
        "guidance": {"en": "Costs and time", "zh-hans": "费用和时限"}
    }
    practical = by_kind["practical"]  # written as 实操, points left empty
    assert practical["points"] == "10"
    assert practical["content"] == {"allowed_types": ["xlsx", "pdf"], "max_size_mb": 10}
    assert practical["key"]["rubric"][1] == {
        "id": "r2",
        "criterion": {"en": "Photos"},
        "points": "6",
    }


def test_good_sample_has_nothing_to_warn_about():
    assert xlsx.parse((SAMPLES / "good.xlsx").read_bytes()).warnings == []


def test_a_sheet_in_the_old_combined_layout_is_still_read_with_a_warning():
    report = xlsx.parse((SAMPLES / "legacy.xlsx").read_bytes())

    assert_good_sample(report)
    assert [w.location for w in report.warnings] == ["row 1"]
    message = report.warnings[0].message
    assert "old layout (option_a, option_b, option_c, option_d, guidance)" in message
    assert "' | '" in message and "_en and _zh" in message


def test_old_columns_are_ignored_when_their_language_columns_are_there():
    header = ["kind", "text_en", "correct", "option_a", "option_a_en", "option_b_en"]

    report = xlsx.parse(
        sheet([["single_choice", "Port?", "A", "x | y", "Ningbo", "Shenzhen"]], header)
    )

    options = report.questions[0]["content"]["options"]
    assert [o["text"] for o in options] == [{"en": "Ningbo"}, {"en": "Shenzhen"}]
    assert [str(w) for w in report.warnings] == [
        "row 1: old columns ignored because their _en and _zh columns are there: option_a"
    ]


def test_text_holding_the_old_separator_survives_a_round_trip():
    table = "Terms:\n\n| Search term | Orders |\n|---|---|\n| yoga mat | 31 |"
    question = {
        "kind": "practical",
        "text": {"en": "Optimise the campaign | 优化广告", "zh-hans": "优化 | 广告"},
        "points": "10",
        "competency": "ads",
        "difficulty": 3,
        "title": "A | B",
        "content": {"instructions": {"en": table, "zh-hans": "表格 | 如下"}},
        "key": {
            "rubric": [
                {
                    "id": "r1",
                    "criterion": {"en": "Bids | budgets", "zh-hans": "出价 | 预算"},
                    "points": "4",
                },
                {"id": "r2", "criterion": {"zh-hans": "否定词 | 匹配"}, "points": "6"},
            ]
        },
        "feedback": {"en": "Cut | keep", "zh-hans": "删 | 留"},
    }
    choice = {
        "kind": "single_choice",
        "text": {"en": "Which is a pipe?"},
        "points": "1",
        "competency": "",
        "difficulty": 1,
        "content": {
            "options": [
                {"id": "a", "text": {"en": "a | b", "zh-hans": "甲 | 乙"}},
                {"id": "b", "text": {"zh-hans": "竖线 |"}},
            ]
        },
        "key": {"correct": "a"},
    }

    result = xlsx.export([question, choice])
    report = xlsx.parse(result.data)

    assert result.warnings == []
    assert report.ok and report.warnings == []
    assert report.questions == [question, choice]


def test_bad_sample_imports_nothing_and_names_every_row():
    report = xlsx.parse((SAMPLES / "bad.xlsx").read_bytes())

    assert report.questions == []
    assert [str(e) for e in report.errors] == [
        "row 2: unknown kind 'foo'",
        "row 3: correct must name exactly one option, like B",
        "row 4: correct names 'E' but that option is empty",
        "row 5: correct must be a number like 12.5",
        "row 5: tolerance must be a number like 0.1 or a percentage like 5%",
        "row 6: the text has 2 gaps [[n]] but answers for 1",
        "row 7: correct must be TRUE or FALSE",
        "row 8: difficulty must be a whole number",
    ]


def test_template_has_one_example_per_kind_that_imports_exactly():
    data = xlsx.template_workbook()

    report = xlsx.parse(data)
    workbook = load_workbook(io.BytesIO(data), read_only=True)

    assert report.ok and report.questions == EXAMPLES
    assert {q["kind"] for q in EXAMPLES} == set(SHEET_KINDS)
    assert workbook.sheetnames == ["Questions", "Instructions"]


def test_five_thousand_rows_parse():
    cells = {
        "kind": "single_choice",
        "competency": "listing",
        "difficulty": 1,
        "points": 1,
        "text_en": "Which port?",
        "text_zh": "哪个港口？",
        "option_a_en": "Ningbo",
        "option_a_zh": "宁波",
        "option_b_en": "Shenzhen",
        "correct": "B",
    }
    rows = [[cells.get(name, "") for name in xlsx.COLUMNS] for _ in range(5000)]

    report = xlsx.parse(sheet(rows))

    assert report.ok and len(report.questions) == 5000


def test_text_that_looks_like_a_formula_is_written_as_text():
    question = {
        "kind": "true_false",
        "text": {"en": "=1+1 is how Excel starts a formula."},
        "points": "1",
        "competency": "",
        "difficulty": 1,
        "content": {},
        "key": {"correct": True},
    }

    data = xlsx.export([question]).data
    cell = load_workbook(io.BytesIO(data))["Questions"]["F2"]

    assert cell.data_type == "s"
    assert xlsx.parse(data).questions == [question]


def test_blank_rows_are_skipped_and_unknown_columns_warned_about():
    header = ["kind", "text_en", "correct", "remarks"]

    report = xlsx.parse(sheet([[None] * 4, ["true_false", "Ships float.", "TRUE", "x"]], header))

    assert len(report.questions) == 1
    assert [str(w) for w in report.warnings] == ["row 1: unknown columns ignored: remarks"]


def test_a_header_without_kind_or_text_is_refused():
    report = xlsx.parse(sheet([["x"]], ["question"]))

    assert report.questions == []
    assert report.errors[0].location == "row 1"


def test_a_file_that_is_not_a_workbook_is_refused():
    report = xlsx.parse(b"kind,text_en\nsingle_choice,Hi\n")

    assert [str(e) for e in report.errors] == ["file: this is not an Excel .xlsx workbook"]


def test_each_language_of_an_option_goes_to_its_own_column():
    question = {
        "kind": "single_choice",
        "text": {"en": "Port?", "zh-hans": "港口？"},
        "points": "1",
        "competency": "",
        "difficulty": 1,
        "content": {
            "options": [
                {"id": "a", "text": {"zh-hans": "宁波"}},
                {"id": "b", "text": {"en": "Shenzhen"}},
            ]
        },
        "key": {"correct": "a"},
    }

    data = xlsx.export([question]).data
    rows = load_workbook(io.BytesIO(data))["Questions"].iter_rows(values_only=True)
    cells = dict(zip(next(rows), next(rows), strict=True))

    assert [cells[f"option_{c}_{s}"] for c in "ab" for s in ("en", "zh")] == [
        None, "宁波", "Shenzhen", None,
    ]  # fmt: skip
    assert xlsx.parse(data, default_language="zh-hans").questions == [question]


def ordering(order: list[str]) -> dict:
    return {
        "kind": "ordering",
        "text": {"en": "Order the steps."},
        "points": "1",
        "competency": "",
        "difficulty": 1,
        "content": {
            "items": [
                {"id": "i1", "text": {"en": "Ship"}},
                {"id": "i2", "text": {"en": "Pack"}},
                {"id": "i3", "text": {"en": "Declare"}},
            ]
        },
        "key": {"order": order, "scoring": "partial"},
    }


def test_ordering_keeps_the_authored_order_and_names_the_correct_one_by_letter():
    question = ordering(["i2", "i3", "i1"])

    data = xlsx.export([question]).data
    rows = load_workbook(io.BytesIO(data))["Questions"].iter_rows(values_only=True)
    cells = dict(zip(next(rows), next(rows), strict=True))

    assert cells["correct"] == "B,C,A"
    assert xlsx.parse(data).questions == [question]


def test_ordering_without_correct_reads_the_options_in_their_order():
    header = ["kind", "text_en", "option_a_en", "option_b_en"]

    report = xlsx.parse(sheet([["ordering", "Order", "Pack", "Ship"]], header))

    assert report.questions[0]["key"]["order"] == ["i1", "i2"]


def test_ordering_correct_must_name_every_option_once():
    header = ["kind", "text_en", "correct", "option_a_en", "option_b_en", "option_c_en"]

    report = xlsx.parse(sheet([["ordering", "Order", "B,A", "Pack", "Ship", "Pay"]], header))

    assert [str(e) for e in report.errors] == [
        "row 2: correct must name every option once, in the correct order"
    ]


def test_matching_keeps_the_order_of_its_choices():
    question = {
        "kind": "matching",
        "text": {"en": "Match the platform to its home market."},
        "points": "2",
        "competency": "",
        "difficulty": 1,
        "content": {
            "prompts": [
                {"id": "p1", "text": {"en": "Shopee", "zh-hans": "虾皮"}},
                {"id": "p2", "text": {"en": "Mercado Libre"}},
            ],
            "choices": [
                {"id": "c1", "text": {"en": "Argentina", "zh-hans": "阿根廷"}},
                {"id": "c2", "text": {"en": "Japan"}},
                {"id": "c3", "text": {"en": "Singapore", "zh-hans": "新加坡"}},
            ],
        },
        "key": {"pairs": {"p1": "c3", "p2": "c1"}},
    }

    report = xlsx.parse(xlsx.export([question]).data)

    assert report.ok and report.questions == [question]


def test_essay_word_limit_of_zero_is_kept():
    question = {
        "kind": "essay",
        "text": {"en": "Explain FBA."},
        "points": "10",
        "competency": "",
        "difficulty": 1,
        "content": {"min_words": 0, "max_words": 400},
        "key": {},
    }

    assert xlsx.parse(xlsx.export([question]).data).questions == [question]


def test_control_characters_are_dropped_with_a_warning():
    question = {
        "kind": "true_false",
        "text": {"en": "Ships\x0b float."},
        "points": "1",
        "competency": "",
        "difficulty": 1,
        "content": {},
        "key": {"correct": True},
    }

    result = xlsx.export([question])

    assert [str(w) for w in result.warnings] == [
        "question 1: not kept: control characters, which a workbook cannot hold"
    ]
    assert xlsx.parse(result.data).questions[0]["text"] == {"en": "Ships float."}


def test_text_longer_than_a_cell_holds_is_skipped_with_a_warning():
    question = {
        "kind": "essay",
        "text": {"en": "x" * 32_768},
        "points": "1",
        "competency": "",
        "difficulty": 1,
        "content": {},
        "key": {},
    }

    result = xlsx.export([question])

    assert [str(w) for w in result.warnings] == [
        "question 1: skipped: a text is longer than the 32,767 characters an Excel cell holds"
    ]


# --- zip bombs: a small workbook that unpacks to gigabytes never reaches openpyxl -------------


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
        f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
        '<sheet name="Questions" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{RELS}">'
        f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
    # kind | text_en | correct | option_a_en | option_b_en, every cell a shared string.
    "xl/worksheets/sheet1.xml": (
        f'<worksheet xmlns="{MAIN}"><sheetData>'
        + "".join(
            f'<row r="{r}">'
            + "".join(
                f'<c r="{c}{r}" t="s"><v>{n}</v></c>' for c, n in zip("ABCDE", numbers, strict=True)
            )
            + "</row>"
            for r, numbers in ((1, range(5)), (2, range(5, 10)))
        )
        + "</sheetData></worksheet>"
    ),
}
CELLS = ["kind", "text_en", "correct", "option_a_en", "option_b_en"]
CELLS += ["single_choice", "Which port?", "A", "Ningbo", "Shenzhen"]


def shared_strings_workbook(text: bytes) -> bytes:
    """A valid workbook, every cell a shared string, the question's text being `text`."""
    strings = [c.encode() for c in CELLS]
    strings[6] = text
    sst = b"".join(b"<si><t>" + s + b"</t></si>" for s in strings)
    parts = {name: body.encode() for name, body in PARTS.items()}
    parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">'.encode() + sst + b"</sst>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def huge_shared_string(megabytes: int) -> bytes:
    """That workbook with a text of `megabytes` MB of 'A' (which compresses about 1000:1)."""
    return shared_strings_workbook(b"A" * (megabytes * 1024 * 1024))


def test_the_crafted_workbook_is_valid_when_its_shared_string_is_small():
    report = xlsx.parse(shared_strings_workbook(b"Which port handles most parcels?"))

    assert report.ok, report.errors
    assert report.questions[0]["text"] == {"en": "Which port handles most parcels?"}


def parse_measured(data: bytes):
    """Parse, returning the report and the peak of Python memory allocated while parsing."""
    tracemalloc.start()
    try:
        report = xlsx.parse(data)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return report, peak


def test_a_workbook_with_one_huge_shared_string_is_refused_before_openpyxl_reads_it():
    bomb = huge_shared_string(64)
    assert len(bomb) < 200 * 1024  # a small upload...

    report, peak = parse_measured(bomb)

    assert report.questions == []
    messages = [str(e) for e in report.errors]
    assert any(
        "'xl/sharedStrings.xml' unpacks to 64.0 MB; at most 20.0 MB per file" in m for m in messages
    ), messages
    assert any("'xl/sharedStrings.xml' is compressed" in m and "zip bomb" in m for m in messages)
    assert peak < 8 * 1024 * 1024  # ...that is judged without unpacking it


def test_a_highly_compressed_part_under_the_size_limit_is_refused_by_its_ratio():
    report, peak = parse_measured(huge_shared_string(4))

    assert [e.location for e in report.errors] == ["file"]
    message = report.errors[0].message
    assert message.startswith("the workbook is refused: 'xl/sharedStrings.xml' is compressed")
    assert "more than the 100 to 1 accepted" in message
    assert peak < 8 * 1024 * 1024


def test_the_limits_come_from_the_settings(settings):
    settings.EXAMS_IMPORT_XLSX_MAX_RATIO = 10_000
    settings.EXAMS_IMPORT_XLSX_MAX_PART_MB = 3

    report = xlsx.parse(huge_shared_string(4))

    assert ["at most 3.0 MB per file" in e.message for e in report.errors] == [True]
    settings.EXAMS_IMPORT_XLSX_MAX_PART_MB = 5
    settings.EXAMS_IMPORT_XLSX_MAX_TOTAL_MB = 2

    report = xlsx.parse(huge_shared_string(4))

    assert ["the zip unpacks to" in e.message for e in report.errors] == [True]


def test_a_part_that_unpacks_to_more_than_its_header_says_is_caught_with_bounded_memory():
    bomb = bytearray(huge_shared_string(64))
    # Claim, in the local header and the central directory, that the strings are 2 KB.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := bomb.find(signature, start)) >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if bomb[name_at : name_at + 20] == b"xl/sharedStrings.xml":
                bomb[start + offset : start + offset + 4] = struct.pack("<I", 2048)
            start += 4

    report, peak = parse_measured(bytes(bomb))

    assert report.questions == []
    assert [e.message for e in report.errors] == [
        "the workbook is refused: 'xl/sharedStrings.xml' in the zip is damaged or unreadable"
    ]
    assert peak < 8 * 1024 * 1024


def test_our_own_export_of_the_demo_banks_passes_the_zip_checks():
    from lms.demo.exam_content import STANDARDS

    for spec in STANDARDS:
        data = xlsx.export(spec["questions"] * 20).data

        assert xlsx.parse(data).errors == []
