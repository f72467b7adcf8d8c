"""The statement pages (build, confirm, refusals) and the clerk's workbook read back by openpyxl."""
# ruff: noqa: F811 - the fixtures imported from test_statements are used as arguments

import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from tests.conftest import csrf_token_from
from tests.integration.plans.test_statements import (  # noqa: F401 - fixtures
    _read_in_english,
    build,
    confirm,
    make_repair,
    manager,
    march,
    plan,
)


def test_pages_build_confirm_and_refuse(client, login_as, march):
    login_as("manager")
    page = client.get("/plans/statements/2026/3")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Not built yet." in html and 'action="/plans/statements/2026/3/build"' in html
    token = csrf_token_from(html)
    answer = client.post("/plans/statements/2026/3/build", data={"csrf_token": token})
    assert answer.status_code == 303
    html = client.get("/plans/statements/2026/3").get_data(as_text=True)
    assert "Confirm and freeze" in html and "2,000.00" in html and "5,450.00" in html
    answer = client.post("/plans/statements/2026/3/confirm", data={"csrf_token": token})
    assert answer.status_code == 303
    html = client.get("/plans/statements/2026/3").get_data(as_text=True)
    assert "Confirmed" in html and "Confirm and freeze" not in html
    # A second confirmation (an old page's button) is refused with the message, nothing changes.
    again = client.post("/plans/statements/2026/3/confirm", data={"csrf_token": token})
    assert again.status_code == 409
    assert "is confirmed and frozen" in again.get_data(as_text=True)
    year = client.get("/plans/statements?year=2026").get_data(as_text=True)
    assert 'data-month="3"' in year and "Confirmed" in year


def test_reader_sees_no_buttons(client, login_as, manager, march):
    build(client, manager[1], 3)
    login_as("patrol")
    html = client.get("/plans/statements/2026/3").get_data(as_text=True)
    assert "5,450.00" in html and "Confirm and freeze" not in html and "Rebuild" not in html


def test_workbook_cells(app, client, login_as, manager, march, db_session, make_repair):
    headers = manager[1]
    build(client, headers, 3)
    confirm(client, headers, 3)
    march["b"].voided_at = datetime(2026, 4, 2, tzinfo=UTC)
    march["b"].void_reason = "duplicate"
    make_repair("shoulder", "G30", date(2026, 4, 2), area=5)
    db_session.flush()
    build(client, headers, 4)
    login_as("patrol")
    app.config["BRANCH_NAME"] = "=HYPERLINK(1)"
    try:
        answer = client.get("/plans/statements/2026.xlsx")
    finally:
        app.config.pop("BRANCH_NAME")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.data))
    assert book.sheetnames == ["2026-03", "2026-04"]
    sheet = book["2026-03"]
    # The branch name is text, never a formula.
    assert sheet["A1"].value == "'=HYPERLINK(1) 2026-03 maintenance works measurement statement"
    assert "A1:I1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "Confirmed · priced by plan version 1"
    assert [c.value for c in sheet[3]] == [
        "Serial No.",
        "Work item",
        "Road",
        "Unit",
        "Quantity",
        "Unit price (yuan)",
        "Amount (yuan)",
        "Amount source",
        "Note",
    ]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    values = [r for r in rows if any(v is not None for v in r)]
    shoulder = [r for r in values if r[1] == "Shoulder repair"]
    assert [(r[2], r[3], r[4], r[5], r[6]) for r in shoulder] == [
        ("G30 Up", "m²", 100, 20, 2000),
        ("S21", "m²", 50, 15, 750),
    ]
    assert [
        v for v in next(r for r in values if r[1] == "Subtotal: Shoulder repair") if v is not None
    ] == ["Subtotal: Shoulder repair", "m²", 150, 2750]
    grand = next(r for r in values if r[1] == "Grand total")
    assert grand[6] == 5450
    per_road_at = next(i for i, r in enumerate(values) if r[1] == "Total per road")
    assert [(r[2], r[6]) for r in values[per_road_at + 1 : per_road_at + 3]] == [
        ("G30 Up", 4700),
        ("S21", 750),
    ]
    signatures = next(r for r in values if r[1] == "Compiled by")
    assert [v for v in signatures if v] == ["Compiled by", "Reviewed by", "Approved by"]
    april = [[c.value for c in row] for row in book["2026-04"].iter_rows(min_row=4)]
    difference = next(r for r in april if r[7] == "difference")
    assert (difference[2], difference[4], difference[6]) == ("S21", -50, -750)
    assert difference[8] == "Difference: corrects 2026-03"
    assert book["2026-04"].cell(row=4 + april.index(difference), column=1).font.italic
    # One month only.
    login_as("manager")
    one = load_workbook(io.BytesIO(client.get("/plans/statements/2026.xlsx?month=4").data))
    assert one.sheetnames == ["2026-04"]
    assert client.get("/plans/statements/2026.xlsx?month=7").status_code == 404
