"""Reading a fleet list (no database): encodings, headers, words, per-line problems, XLSX rules."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from inspection.errors import ValidationError
from inspection.fleet import importing
from inspection.fleet.importing import VehicleRow
from inspection.imports import LineProblems, MergedCell

TODAY = date(2026, 12, 1)
HEADER = "车牌号/编号,类型,品牌型号,出厂年份,所属部门,用途,状态,登记日期,封存地点,钥匙保管人,备注"


def read(lines, encoding="utf-8", name="fleet.csv"):
    data = ("\n".join(lines) + "\n").encode(encoding)
    return importing.read_upload(data, name, today=TODAY)


def fields_of(problem: LineProblems) -> list[str]:
    return [p.field for p in problem.problems]


def xlsx(rows, *, merge=None, second=None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    if second is not None:
        other = book.create_sheet("第二页")
        for row in second:
            other.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_chinese_headers_and_words_in_utf8_with_bom_and_gb18030():
    lines = [
        HEADER,
        "新A 12345,巡查车,江铃 域虎,2019,机务科,生产,完好,2019/5/6,,,",
        "装载机-03,装载机,柳工ZL50,2012年,机务科,非生产,封存,2012年9月1日,一号库,张建国,冬储",
    ]
    for encoding in ("utf-8-sig", "utf-8", "gb18030"):
        parsed = read(lines, encoding)
        assert parsed.problems == []
        first, second = parsed.rows
        assert (first.line, first.number, first.key, first.kind) == (
            2,
            "新A 12345",
            "新A12345",
            "patrol_vehicle",
        )
        assert (first.year, first.use, first.status, first.registered_on) == (
            2019,
            "production",
            "fit",
            date(2019, 5, 6),
        )
        assert (second.kind, second.use, second.status) == ("loader", "non_production", "sealed")
        assert (second.sealed_place, second.key_holder, second.note) == ("一号库", "张建国", "冬储")
        assert second.registered_on == date(2012, 9, 1)


def test_english_headers_codes_labels_and_a_hinted_header():
    parsed = read(
        [
            "Number,Kind,Status,用途（生产/非生产）",
            "X-1,snow_plough,Under repair,non-production",
            "X-2,Snow plough,defective,Production",
        ]
    )
    assert parsed.problems == []
    assert [(r.kind, r.status, r.use) for r in parsed.rows] == [
        ("snow_plough", "under_repair", "non_production"),
        ("snow_plough", "defective", "production"),
    ]
    # Absent columns are None (leave the register alone); only the given ones are named.
    assert parsed.rows[0].given == frozenset({"number", "kind", "status", "use"})
    assert parsed.rows[0].note is None and parsed.rows[0].make_model is None


def test_a_title_line_above_the_header_is_skipped():
    parsed = read(["乌鲁木齐分局机械车辆台账,,,", "", HEADER, "新A12345,巡查车,,,,,,,,,"])
    assert parsed.title_lines == 1 and parsed.rows[0].line == 4


def test_missing_required_column_is_refused_naming_it():
    with pytest.raises(ValidationError) as refused:
        read(["车牌号,品牌型号", "新A12345,江铃"])
    assert refused.value.params["columns"] == "类型"


@pytest.mark.parametrize(
    ("line", "field", "detail"),
    [
        ("新A12345,飞机,,,,,,,,,", "kind", "Unknown kind of vehicle or machine %(word)s."),
        (
            "新A12345,巡查车,,1,,,,,,,",
            "year",
            "The year must lie between %(earliest)d and %(latest)d.",
        ),
        (
            "新A12345,巡查车,,9999,,,,,,,",
            "year",
            "The year must lie between %(earliest)d and %(latest)d.",
        ),
        ("新A12345,巡查车,,,,,坏了,,,,", "status", "Unknown status %(word)s."),
        ("新A12345,巡查车,,,,公用,,,,,", "use", "Unknown use %(word)s."),
        ("新A12345,巡查车,,,,,,2030-01-01,,,", "registered_on", None),
        ("新A12345,巡查车,,,,,,昨天,,,", "registered_on", None),
        ("新A12345,巡查车,,nineteen,,,,,,,", "year", None),
        (",巡查车,,,,,,,,,", "number", None),
        ("新A12345,,,,,,,,,,", "kind", None),
    ],
)
def test_each_bad_cell_is_a_problem_of_its_line(line, field, detail):
    parsed = read([HEADER, line])
    (problem,) = parsed.problems
    assert problem.line == 2 and fields_of(problem) == [field]
    assert problem.problems[0].detail == detail


def test_a_duplicate_plate_is_refused_on_its_second_line():
    parsed = read([HEADER, "新A12345,巡查车,,,,,,,,,", "新a-12345,货车,,,,,,,,,"])
    assert [r.line for r in parsed.rows] == [2]
    (problem,) = parsed.problems
    assert problem.line == 3 and problem.problems[0].params["line"] == 2


def test_hostile_cells():
    formula = "=cmd|' /C calc'!A0"
    parsed = read([HEADER, f'新A12345,巡查车,,,,,,,,,"{formula}"'])
    assert parsed.rows[0].note == formula  # text, kept as text
    long = "长" * 10_000
    parsed = read([HEADER, f"新A12345,巡查车,{long},,,,,,,,{long}", f"{long},巡查车,,,,,,,,,"])
    assert [fields_of(p) for p in parsed.problems] == [["make_model", "note"], ["number"]]
    cells = {"number": "新A1\ud800", "kind": "巡查车", "note": "a\x00b"}
    (problem,) = [importing.read_row(2, cells, today=TODAY)]
    assert fields_of(problem) == ["number", "note"]


def test_a_file_larger_than_5_mb_is_refused_whole():
    with pytest.raises(ValidationError) as refused:
        importing.read_upload(b"x" * (5 * 1024 * 1024 + 1), "fleet.csv", today=TODAY)
    assert refused.value.fields == {"file": "The file is too large."}


def test_other_file_types_are_refused():
    with pytest.raises(ValidationError):
        importing.read_upload(b"{}", "fleet.json", today=TODAY)


def test_xlsx_with_date_cells_numbers_and_a_formula_looking_text():
    data = xlsx(
        [
            importing.template_header(),
            ["新A12345", "巡查车", "江铃", 2019, "机务科", "生产", "完好", datetime(2019, 5, 6)],
            ["ZL-1", "装载机", None, 2012.0, None, None, "待修", None, None, None, "=cmd|x"],
        ]
    )
    parsed = importing.read_upload(data, "Fleet.XLSX", today=TODAY)
    assert parsed.problems == []
    first, second = parsed.rows
    assert first == VehicleRow(
        line=2,
        number="新A12345",
        key="新A12345",
        kind="patrol_vehicle",
        given=frozenset(importing.COLUMNS),
        make_model="江铃",
        year=2019,
        department="机务科",
        use="production",
        status="fit",
        registered_on=date(2019, 5, 6),
        sealed_place="",
        key_holder="",
        note="",
    )
    # openpyxl wrote "=cmd|x" as a formula cell: read as its text, stored as text.
    assert second.year == 2012 and second.status == "defective" and second.note == "=cmd|x"


def test_xlsx_formula_text_cells_stay_text_and_a_formula_year_is_refused():
    book = Workbook()
    sheet = book.active
    sheet.append(["车牌号", "类型", "出厂年份", "备注"])
    sheet.append(["新A12345", "巡查车", "=YEAR(TODAY())", "=cmd|' /C calc'!A0"])
    sheet["D2"].data_type = "s"  # a text cell that looks like a formula
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = importing.read_upload(buffer.getvalue(), "fleet.xlsx", today=TODAY)
    (problem,) = parsed.problems
    assert fields_of(problem) == ["year"]
    sheet["C2"] = 2019
    buffer = io.BytesIO()
    book.save(buffer)
    (row,) = importing.read_upload(buffer.getvalue(), "fleet.xlsx", today=TODAY).rows
    assert row.note == "=cmd|' /C calc'!A0"


def test_xlsx_merged_header_cells_are_refused():
    data = xlsx([["车牌号", "类型", ""], ["新A12345", "巡查车", ""]], merge="A1:B1")
    with pytest.raises(ValidationError) as refused:
        importing.read_upload(data, "fleet.xlsx", today=TODAY)
    assert refused.value.fields == {"file": "Unmerge the header cells."}


def test_xlsx_merged_title_is_skipped_but_a_merged_data_cell_refuses_its_lines():
    rows = [
        ["机械车辆台账", None, None],
        ["车牌号", "类型", "所属部门"],
        ["新A12345", "巡查车", "机务科"],
        ["新A12346", "巡查车", None],
    ]
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("C3:C4")
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = importing.read_upload(buffer.getvalue(), "fleet.xlsx", today=TODAY)
    assert parsed.title_lines == 1 and parsed.rows == []
    assert [(p.line, fields_of(p)) for p in parsed.problems] == [
        (3, ["department"]),
        (4, ["department"]),
    ]
    assert parsed.problems[0].problems[0].params == {"range": "C3:C4"}


def test_xlsx_with_data_on_a_second_sheet_is_refused():
    data = xlsx([["车牌号", "类型"], ["新A12345", "巡查车"]], second=[["新A9"]])
    with pytest.raises(ValidationError) as refused:
        importing.read_upload(data, "fleet.xlsx", today=TODAY)
    assert refused.value.params == {"sheet": "第二页"}
    empty_second = xlsx([["车牌号", "类型"], ["新A12345", "巡查车"]], second=[])
    assert len(importing.read_upload(empty_second, "fleet.xlsx", today=TODAY).rows) == 1


@pytest.mark.parametrize("data", [b"not a zip", b"PK\x03\x04broken", xlsx([])[:200]])
def test_a_damaged_workbook_is_refused_clearly(data):
    with pytest.raises(ValidationError) as refused:
        importing.read_upload(data, "fleet.xlsx", today=TODAY)
    assert refused.value.fields == {"file": "The file cannot be read as XLSX."}


def test_merged_cell_sentinel_reads_as_its_range():
    assert str(MergedCell("A1:B2")) == "A1:B2"


def test_template_header_is_the_chinese_column_names():
    assert importing.template_header()[:3] == ["车牌号/编号", "类型", "品牌型号"]
    parsed = importing.read_lines(
        enumerate([importing.template_header(), *importing.template_rows()], start=1),
        today=TODAY,
    )
    assert parsed.problems == [] and parsed.rows[0].status == "sealed"
