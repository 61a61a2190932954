"""The Excel template: reading teacher-filled sheets, writing exports and the shipped template."""

import io
from pathlib import Path

from openpyxl import Workbook, load_workbook

from exams.interop import xlsx
from exams.interop.common import KINDS
from exams.interop.xlsx_write import EXAMPLES

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

    assert report.ok and report.warnings == []
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
    assert {q["kind"] for q in EXAMPLES} == set(KINDS)
    assert workbook.sheetnames == ["Questions", "Instructions"]


def test_five_thousand_rows_parse():
    row = [
        "single_choice",
        "listing",
        1,
        1,
        "",
        "Which port?",
        "哪个港口？",
        "Ningbo | 宁波",
        "Shenzhen",
    ]
    rows = [[*row, "", "", "", "", "B"] for _ in range(5000)]

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


def test_single_language_option_cells_in_a_bilingual_row_are_marked_on_export():
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
    row = next(load_workbook(io.BytesIO(data))["Questions"].iter_rows(min_row=2, values_only=True))

    assert row[7:9] == ("| 宁波", "Shenzhen |")
    assert xlsx.parse(data, default_language="zh-hans").questions == [question]
