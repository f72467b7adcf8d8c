"""Importing a survey sheet: bad lines reported by number, all-or-nothing or the valid lines."""

import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from inspection.surveys import importing, services
from inspection.surveys.models import SurveyRecord
from tests.conftest import csrf_token_from
from tests.integration.surveys.conftest import unit_at

HEADER = "road,direction,from_stake,to_stake,unit_no,type,severity,quantity,unit,note"
SHEET = [
    HEADER,
    "G30,up,K3504+000,K3504+100,,transverse_crack,heavy,12.5,m,",  # 2: good
    "G30,up,K3505+200,,,裂纹,light,3,m2,",  # 3: unknown type
    "G30,up,K3505+300,,,block_cracking,medium,3,m2,",  # 4: severity not allowed for the type
    "G30,up,K3530+000,,,pothole,light,1,m2,",  # 5: stake outside the road
    "G30,up,K3506+000,,,pothole,light,-2,m2,",  # 6: negative quantity
    "",  # 7: blank
    "G30,up,,,12,depression,heavy,20,平方米,",  # 8: good, by unit number
    "G30,up,K3506+500,K3507+500,,rutting,light,30,m,",  # 9: spans two units
    "G30,up,K3506+500,,,pothole,light,2,m,",  # 10: wrong unit for the type
    "G30,,K3511+800,,,pothole,light,2,m2,",  # 11: in the short-chain gap
    "G312,both,K3610+300,,,pothole,light,2,m2,",  # 12: long-chain overlap without unit number
    "G312,both,K3610+300,,8,slope_collapse,heavy,1,site,",  # 13: good, the unit says which
]


def sheet_bytes(lines=SHEET) -> bytes:
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def count_records(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(SurveyRecord))


@pytest.fixture
def campaign(roads, campaign_of):
    return campaign_of(("G30", "up"), ("G312", "both"))


def test_bad_lines_are_reported_by_number_and_nothing_is_imported(db_session, campaign, manager):
    sheet = importing.read_sheet(sheet_bytes(), "survey.csv")
    report = services.import_sheet(
        db_session, campaign, sheet, mode="all_or_nothing", actor=manager
    )
    assert report.imported == 0 and count_records(db_session) == 0
    assert report.blank_lines == 1 and report.lines_read == 11
    by_line = {p.line: [str(e) for e in p.errors] for p in report.problems}
    assert sorted(by_line) == [3, 4, 5, 6, 9, 10, 11, 12]
    assert by_line[3] == ["Unknown item 裂纹: give a code or a name from the distress tables."]
    assert by_line[4] == [
        "Severity medium is not allowed for block_cracking; allowed: light, heavy."
    ]
    assert by_line[5] == ["Stake K3530+000 is outside this road's stakes K3500+000–K3520+000."]
    assert by_line[6] == ["The quantity must not be negative (got -2)."]
    assert by_line[9] == [
        "The range K3506+500–K3507+500 spans units 7, 8; write one line per unit, "
        "each within its unit."
    ]
    assert by_line[10] == ["pothole is recorded in m2, not in m."]
    assert "short-chain gap" in by_line[11][0]
    assert "give the unit number" in by_line[12][0]
    fields = {p.line: {n for e in p.errors for n in e.fields} for p in report.problems}
    assert fields[3] == {"item_code"} and fields[4] == {"severity"} and fields[5] == {"from_stake"}
    assert fields[6] == {"quantity"} and fields[10] == {"unit"}


def test_import_valid_rows_saves_the_good_lines_and_lists_the_others(db_session, campaign, manager):
    sheet = importing.read_sheet(sheet_bytes(), "survey.csv")
    report = services.import_sheet(db_session, campaign, sheet, mode="valid_rows", actor=manager)
    assert report.imported == 3 and report.refused == 8
    records = db_session.scalars(select(SurveyRecord).order_by(SurveyRecord.id)).all()
    assert [(r.unit.seq, r.item_code, r.severity, r.quantity, r.chainage) for r in records] == [
        (5, "transverse_crack", "heavy", 12.5, 3504000.0),
        (12, "depression", "heavy", 20.0, None),
        (8, "slope_collapse", "heavy", 1.0, 3610300.0),
    ]
    assert records[0].unit.id == unit_at(campaign, "G30", 5).id
    assert {r.created_by_id for r in records} == {manager.id}


def test_a_clean_sheet_imports_whole(db_session, campaign, manager):
    good = [SHEET[0], SHEET[1], SHEET[7], SHEET[12]]
    report = services.import_sheet(
        db_session,
        campaign,
        importing.read_sheet(sheet_bytes(good), "survey.csv"),
        mode="all_or_nothing",
        actor=manager,
    )
    assert (report.imported, report.problems) == (3, [])


def upload(client, campaign_id, data: bytes, filename: str, mode="all_or_nothing"):
    page = client.get(f"/surveys/{campaign_id}/import")
    assert page.status_code == 200
    return client.post(
        f"/surveys/{campaign_id}/import",
        data={
            "csrf_token": csrf_token_from(page.get_data(as_text=True)),
            "mode": mode,
            "file": (io.BytesIO(data), filename),
        },
        content_type="multipart/form-data",
    )


def test_the_import_page_reports_bad_lines(client, db_session, campaign, login_as):
    login_as("manager")
    answer = upload(client, campaign.id, sheet_bytes(), "survey.csv")
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert "Nothing was imported" in html
    assert "8 of 11 lines have errors" in html
    assert "<td>3</td>" in html and "Unknown item 裂纹" in html
    assert "The quantity must not be negative (got -2)." in html
    assert count_records(db_session) == 0

    answer = upload(client, campaign.id, sheet_bytes(), "survey.csv", mode="valid_rows")
    assert answer.status_code == 422  # some lines were refused: the page says which
    assert "3 lines imported." in answer.get_data(as_text=True)
    assert count_records(db_session) == 3


def test_an_xlsx_sheet_imports_through_the_page(client, db_session, campaign, login_as):
    login_as("manager")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(["G30", "up", "K3504+000", "K3504+100", None, "横向裂缝", "重", 12.5, "米"])
    sheet.append(["G30", "up", None, None, 3, "pothole", "light", 1.5, "m2", "近中分带"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    answer = upload(client, campaign.id, buffer.getvalue(), "survey.xlsx")
    assert answer.status_code == 200, answer.get_data(as_text=True)[:3000]
    assert "2 lines imported." in answer.get_data(as_text=True)
    assert count_records(db_session) == 2


def test_a_file_that_is_no_sheet_is_refused(client, campaign, login_as):
    login_as("manager")
    answer = upload(client, campaign.id, b"road,type\nG30,pothole\n", "survey.csv")
    assert answer.status_code == 422
    assert "these columns are missing" in answer.get_data(as_text=True)
    answer = upload(client, campaign.id, b"{}", "survey.json")
    assert answer.status_code == 422


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_downloads_with_a_header_and_two_examples(client, login_as, fmt):
    login_as("manager")
    answer = client.get(f"/surveys/template.{fmt}")
    assert answer.status_code == 200
    assert "attachment" in answer.headers["Content-Disposition"]
    if fmt == "csv":
        text = answer.get_data().decode("utf-8-sig")
        lines = text.strip().splitlines()
        assert lines[0] == HEADER
        assert len(lines) == 3
    else:
        workbook = load_workbook(io.BytesIO(answer.get_data()))
        rows = list(workbook.active.iter_rows(values_only=True))
        assert list(rows[0]) == HEADER.split(",") and len(rows) == 3
    # The template reads back without a problem.
    sheet = importing.read_sheet(answer.get_data(), f"template.{fmt}")
    assert sheet.problems == [] and len(sheet.rows) == 2


def test_the_chinese_template_has_chinese_headers(client, login_as):
    login_as("manager")
    with client.session_transaction() as session:
        session["lang"] = "zh_CN"
    text = client.get("/surveys/template.csv").get_data().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("路线编号,方向,起点桩号,止点桩号,单元号,病害类型")
