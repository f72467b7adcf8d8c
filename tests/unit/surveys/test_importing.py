"""Reading survey sheets and record bodies: columns, words, line numbers, every reason at once."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from inspection.errors import ValidationError
from inspection.surveys import importing
from inspection.surveys.importing import RowProblem, SheetRow, check_item, read_row, read_sheet
from inspection.surveys.pavement_index import DISTRESS_TABLE, SUBGRADE_TABLE, Unit

HEADER = "road,direction,from_stake,to_stake,unit_no,type,severity,quantity,unit,note"


def csv_of(*lines: str, bom: bool = False, encoding: str = "utf-8") -> bytes:
    text = "\n".join(lines) + "\n"
    return (("\ufeff" if bom else "") + text).encode(encoding)


def reasons(problem: RowProblem) -> list[str]:
    return [str(e) for e in problem.errors]


def fields(problem: RowProblem) -> set[str]:
    return {name for e in problem.errors for name in e.fields}


def test_every_item_is_found_by_code_chinese_and_english_name():
    for table in DISTRESS_TABLE.values():
        for code, row in table.items():
            for word in (code, row.zh, row.en, row.en.upper(), f" {row.zh} "):
                assert importing.resolve_item(word) == ("pavement", code)
    for code, row in SUBGRADE_TABLE.items():
        for word in (code, row.zh, row.en):
            assert importing.resolve_item(word) == ("subgrade", code)
    with pytest.raises(ValidationError) as error:
        importing.resolve_item("裂纹")
    assert error.value.fields == {"item_code": "Unknown distress or subgrade item."}


SEVERITIES = [("light", "light"), ("轻", "light"), ("轻度", "light"), ("Medium", "medium")]
SEVERITIES += [("中", "medium"), ("HEAVY", "heavy"), ("重", "heavy"), ("", None), (None, None)]
UNITS = [("m2", Unit.M2), ("m²", Unit.M2), ("平方米", Unit.M2), ("M2", Unit.M2), ("m", Unit.M)]
UNITS += [("米", Unit.M), ("site", Unit.SITE), ("处", Unit.SITE)]


@pytest.mark.parametrize(("word", "key"), SEVERITIES)
def test_severity_words(word, key):
    assert importing.severity_word(word) == key


@pytest.mark.parametrize(("word", "unit"), UNITS)
def test_unit_words(word, unit):
    assert importing.unit_word(word) is unit


def test_a_good_csv_line_becomes_a_row_with_its_line_number():
    sheet = read_sheet(
        csv_of(
            HEADER,
            "G30,上行,K3504+000,K3504+100,,横向裂缝,重,12.5,米,",
            "",
            "g30,up,,,5,slope_collapse,medium,1,处,right slope",
        ),
        "survey.csv",
    )
    assert sheet.problems == [] and sheet.blank_lines == 1
    first, second = sheet.rows
    assert first == SheetRow(
        line=2,
        road="G30",
        direction="up",
        from_chainage=3504000.0,
        to_chainage=3504100.0,
        unit_no=None,
        family="pavement",
        item_code="transverse_crack",
        severity="heavy",
        quantity=12.5,
        unit=Unit.M,
        note="",
    )
    assert (second.line, second.road, second.unit_no, second.family, second.unit) == (
        4,
        "G30",
        5,
        "subgrade",
        Unit.SITE,
    )
    assert second.note == "right slope"


def test_a_bad_line_lists_every_reason_with_its_column():
    sheet = read_sheet(csv_of(HEADER, "G30,sideways,K3504+5,,,裂纹,很重,-3,kg,"), "survey.csv")
    (problem,) = sheet.problems
    assert problem.line == 2
    assert fields(problem) == {
        "direction",
        "from_stake",
        "item_code",
        "severity",
        "quantity",
        "unit",
    }
    assert "The quantity must not be negative (got -3)." in reasons(problem)


def test_a_line_without_place_or_item_is_refused():
    problem = read_row(7, {"road": "", "quantity": "", "unit": ""})
    assert isinstance(problem, RowProblem) and problem.line == 7
    assert fields(problem) == {"road", "from_stake", "item_code", "quantity", "unit"}
    reversed_range = read_row(
        3,
        {
            "road": "G30",
            "from_stake": "K3504+100",
            "to_stake": "K3504+000",
            "type": "pothole",
            "severity": "light",
            "quantity": "1",
            "unit": "m2",
        },
    )
    assert fields(reversed_range) == {"to_stake"}


def test_csv_with_a_bom_chinese_headers_and_gbk_text_are_read():
    chinese = "路线编号,方向,起点桩号,止点桩号,单元号,病害类型,严重程度,数量,单位,备注"
    line = "G30,上行,K3504+000,,,坑槽,轻,1.5,平方米,路中"
    for data in (
        csv_of(HEADER, "G30,up,K3504+000,,,pothole,light,1.5,m2,", bom=True),
        csv_of(chinese, line, bom=True),
        csv_of(chinese, line, encoding="gb18030"),
    ):
        sheet = read_sheet(data, "s.CSV")
        assert sheet.problems == []
        assert [(r.item_code, r.quantity, r.unit) for r in sheet.rows] == [
            ("pothole", 1.5, Unit.M2)
        ]


def test_line_numbers_count_the_lines_a_quoted_cell_spans():
    sheet = read_sheet(
        csv_of(HEADER, 'G30,up,K3504+000,,,pothole,light,1,m2,"two\nlines"', "G30,up,,,,x,,1,m2,"),
        "s.csv",
    )
    assert [r.line for r in sheet.rows] == [2]
    assert [p.line for p in sheet.problems] == [4]


def test_a_sheet_without_the_required_columns_is_refused_as_a_whole():
    with pytest.raises(ValidationError) as error:
        read_sheet(csv_of("road,type,quantity", "G30,pothole,1"), "s.csv")
    assert "unit, from_stake / unit_no" in str(error.value)
    with pytest.raises(ValidationError):
        read_sheet(b"", "s.csv")
    with pytest.raises(ValidationError) as error:
        read_sheet(b"PK nonsense", "s.xlsx")
    assert str(error.value) == "The file is not an XLSX workbook."
    with pytest.raises(ValidationError) as error:
        read_sheet(b"x", "s.ods")
    assert error.value.fields == {"file": "Choose a .xlsx or .csv file."}


def test_an_xlsx_sheet_is_read_with_numbers_as_numbers():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(importing.template_header(chinese=True))
    for row in importing.template_rows(chinese=True):
        sheet.append(row)
    sheet.append([])
    sheet.append(["G30", "下行", "K3504+000", None, None, "pothole", None, -2, "m2"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    read = read_sheet(buffer.getvalue(), "survey.xlsx")
    assert [(r.line, r.item_code, r.severity, r.quantity, r.unit_no) for r in read.rows] == [
        (2, "transverse_crack", "heavy", 12.5, None),
        (3, "slope_collapse", "medium", 1.0, 5),
    ]
    assert read.blank_lines == 1
    (problem,) = read.problems
    assert (problem.line, fields(problem)) == (5, {"quantity"})


def test_the_english_template_reads_back_without_problems():
    lines = [",".join(importing.template_header(chinese=False))]
    lines += [",".join(str(c) for c in row) for row in importing.template_rows(chinese=False)]
    sheet = read_sheet(csv_of(*lines), "template.csv")
    assert sheet.problems == [] and len(sheet.rows) == 2


def test_check_item_against_a_pavement_type():
    checked = check_item("asphalt", "pavement", "rutting", "light", 10.0, unit="m")
    assert (checked.unit, checked.damaged_area_m2) == (Unit.M, pytest.approx(4.0))
    with pytest.raises(ValidationError) as error:
        check_item("concrete", "pavement", "rutting", "light", 10.0)
    assert error.value.fields == {"item_code": "Unknown distress for this pavement type."}
    with pytest.raises(ValidationError) as error:
        check_item("asphalt", "pavement", "block_cracking", "medium", 10.0)
    assert str(error.value) == (
        "Severity medium is not allowed for block_cracking; allowed: light, heavy."
    )
    with pytest.raises(ValidationError) as error:
        check_item("asphalt", "pavement", "pothole", "light", 10.0, unit="m")
    assert str(error.value) == "pothole is recorded in m2, not in m."
    # Blocked drainage is counted per metre when light and per site when heavy.
    assert check_item("asphalt", "subgrade", "drainage_blocked", "light", 12.5).unit is Unit.M
    assert check_item("asphalt", "subgrade", "drainage_blocked", "heavy", 2).unit is Unit.SITE
    with pytest.raises(ValidationError) as error:
        check_item("asphalt", "subgrade", "drainage_blocked", "heavy", 2.5)
    assert error.value.fields == {"quantity": "Enter a whole number of sites."}
    with pytest.raises(ValidationError) as error:
        check_item("asphalt", "pavement", "pothole", "light", 101.0, unit_area_m2=100.0)
    assert error.value.fields == {"quantity": "Larger than the unit."}
    assert check_item("asphalt", "pavement", "pothole", "light", 0.0).quantity == 0.0


def test_a_record_body_names_every_bad_field():
    with pytest.raises(ValidationError) as error:
        importing.parse_record(
            {"unit_id": "x", "item_code": "nope", "severity": "big", "quantity": -1, "unit": "kg"}
        )
    assert set(error.value.fields) == {"unit_id", "item_code", "severity", "quantity", "unit"}
    with pytest.raises(ValidationError) as error:
        importing.parse_record({"item_code": "pothole", "quantity": 1})
    assert set(error.value.fields) == {"road", "stake"}
    with pytest.raises(ValidationError) as error:
        importing.parse_record(
            {"unit_id": 3, "family": "pavement", "item_code": "坡", "quantity": 1}
        )
    assert set(error.value.fields) == {"item_code"}
    with pytest.raises(ValidationError) as error:
        importing.parse_record(
            {"unit_id": 3, "family": "pavement", "item_code": "slope_collapse", "quantity": 1}
        )
    assert set(error.value.fields) == {"family"}
    parsed = importing.parse_record(
        {"road": "g30", "direction": "上行", "stake": "K3504+100", "item_code": "坑槽"}
        | {"severity": "轻", "quantity": "2.5", "unit": "m²", "note": "近中央分隔带"}
    )
    assert (parsed.road, parsed.direction, parsed.family, parsed.item_code) == (
        "G30",
        "up",
        "pavement",
        "pothole",
    )
    assert (parsed.severity, parsed.quantity, parsed.unit) == ("light", 2.5, Unit.M2)
