"""Plan pages (#17): the template round trip, all-or-nothing import, the line form, the demo."""

import io
import re
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from inspection.plans import plans as services
from inspection.plans.demo import load_demo_plan
from inspection.plans.models import PlanLine
from tests.conftest import csrf_token_from


def token_of(client, path: str) -> str:
    return csrf_token_from(client.get(path).get_data(as_text=True))


def lines_saved(db_session) -> int:
    return db_session.scalar(select(func.count(PlanLine.id)))


def workbook_bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, year, data: bytes, **fields):
    token = token_of(client, f"/plans/{year}/import")
    form = {"csrf_token": token, "file": (io.BytesIO(data), "plan.xlsx"), **fields}
    return client.post(f"/plans/{year}/import", data=form, content_type="multipart/form-data")


@pytest.fixture
def template(client, login_as, roads, english):
    login_as("manager")
    answer = client.get("/plans/template.xlsx")
    assert answer.status_code == 200
    return load_workbook(io.BytesIO(answer.data))


def test_the_template_it_hands_out_imports(client, template, db_session):
    sheet = template.worksheets[0]
    assert len(template.worksheets) == 1
    assert [c.value for c in sheet[1]] == [
        "月份", "路线(空=全分局)", "工作内容", "单位", "计划数量", "单价(元)", "预算(元)", "备注",
    ]  # fmt: skip
    assert sheet.max_row == 2  # one example line
    sheet.append(["8月", "", "护栏", "米", 50, 200, 9000, ""])
    sheet.append([datetime(2026, 9, 1), "S21", "处治坑槽", "处", 30, "650", None, "雨后"])
    answer = upload(client, 2026, workbook_bytes(template), name="2026年度计划")
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    plan = services.get_plan(db_session, 2026)
    stored = services.version_lines(db_session, services.get_version(db_session, plan))
    assert [(x.month, x.work_kind, x.unit, str(x.budget_yuan)) for x in stored] == [
        (7, "shoulder", "m2", "42600.00"),
        (8, "guardrail", "m", "9000.00"),
        (9, "pothole", "site", "19500.00"),
    ]
    page = client.get("/plans/2026").get_data(as_text=True)
    assert "2026年度计划" in page and "quantity × unit price" in page and "as given" in page

    # The same template again is an adjustment from the month given; June and before are kept.
    sheet.delete_rows(2, 3)
    sheet.append([10, "G30", "shoulder", "m2", 10, 1])
    answer = upload(client, 2026, workbook_bytes(template), from_month="8", note="调整")
    assert answer.status_code == 302
    newest = services.version_lines(db_session, services.get_version(db_session, plan))
    assert [(x.month, x.work_kind) for x in newest] == [(7, "shoulder"), (10, "shoulder")]
    assert "version=2" in answer.headers["Location"]


def test_checking_first_stores_nothing_until_confirmed(client, template, db_session):
    sheet = template.worksheets[0]
    sheet.append(["8月", "", "护栏", "米", 50, 200, 9000, ""])
    sheet.append([9, "", "护栏", "米", 25, 200, None, ""])
    answer = upload(client, 2026, workbook_bytes(template), name="计划", check_first="y")
    assert answer.status_code == 200
    assert lines_saved(db_session) == 0
    page = answer.get_data(as_text=True)
    assert "Checked: nothing is saved yet" in page
    assert "3 lines from plan.xlsx would be stored as the original plan (version 1)." in page
    # Per kind and unit: the template's shoulder line (1,200 m² × 35.5) and 75 m of guardrail.
    cells = re.findall(r'<td class="num">([^<]*)</td>', page)
    assert cells == ["1,200.00", "42,600.00", "75.00", "14,000.00"]
    assert re.search(r'<th class="num">56,600\.00</th>', page)

    # The confirm carries the checked file back (no upload) and stores it all.
    form = {
        name: re.search(rf'name="{name}" value="([^"]*)"', page).group(1)
        for name in ("csrf_token", "payload", "filename", "name", "from_month", "note")
    }
    answer = client.post("/plans/2026/import", data=form)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    assert lines_saved(db_session) == 3
    assert services.get_plan(db_session, 2026).name == "计划"

    # A payload that is not a packed file is refused; nothing more is stored.
    answer = client.post(
        "/plans/2026/import", data={**form, "payload": "bm90IHppcA==", "from_month": "9"}
    )
    assert answer.status_code == 422
    assert "upload it again" in answer.get_data(as_text=True)
    assert lines_saved(db_session) == 3


def test_a_bad_line_stores_nothing_and_every_bad_line_is_listed(client, template, db_session):
    sheet = template.worksheets[0]
    sheet.append([7, "G30", "整修路肩", "米", 10, 1])  # unit does not fit
    sheet.append([date(2025, 8, 1), "G30", "整修路肩", "平方米", 10, 1])  # outside the year
    sheet.append([9, "G999", "整修路肩", "平方米", -10, 1])  # unknown road, negative
    sheet.append([7, "G30", "整修路肩", "平方米", 10, 1])  # duplicate of line 2
    answer = upload(client, 2026, workbook_bytes(template))
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    for text in (
        "is measured in m2, not m",
        "not in 2026",
        "no road G999",
        "Must not be negative",
        "line 2",
    ):
        assert text in page, text
    assert lines_saved(db_session) == 0


def test_merged_headers_and_extra_sheets_are_refused(client, template, db_session):
    sheet = template.worksheets[0]
    sheet.merge_cells("A1:B1")
    answer = upload(client, 2026, workbook_bytes(template))
    assert answer.status_code == 422 and "merged cells" in answer.get_data(as_text=True)

    book = Workbook()
    book.active.append(["月份", "工作内容", "单位", "计划数量", "单价(元)"])
    book.active.append([7, "护栏", "米", 1, 1])
    book.create_sheet("二月").append(["more", "data"])
    answer = upload(client, 2026, workbook_bytes(book))
    assert answer.status_code == 422 and "holds data too" in answer.get_data(as_text=True)
    assert lines_saved(db_session) == 0


def test_the_form_makes_the_original_then_an_adjustment(client, login_as, roads, english,
                                                        db_session):  # fmt: skip
    login_as("manager")
    path = "/plans/2026/lines"
    token = token_of(client, path)
    rows = {
        "month": ["1", "7", "7"],
        "road": ["G30", "", ""],
        "work_kind": ["shoulder", "guardrail", "marking"],
        "unit": ["m2", "m", "m2"],
        "quantity": ["100", "10", ""],
        "unit_price_yuan": ["2", "3", ""],
        "budget_yuan": ["", "", ""],
        "note": ["", "", ""],
    }  # the third row is blank: skipped
    answer = client.post(path, data={"csrf_token": token, "name": "计划", **rows})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:3000]
    assert lines_saved(db_session) == 2

    page = client.get(path).get_data(as_text=True)  # the adjustment form, from this month
    assert "Adjust the plan of 2026" in page
    bad = {**rows, "month": ["1", "7", "7"], "unit": ["m", "m", "m2"]}
    answer = client.post(path, data={"csrf_token": token, "from_month": "7", **bad})
    assert answer.status_code == 422
    assert lines_saved(db_session) == 2
    # Each bad input is marked, and the row's message names its columns in words.
    html = answer.get_data(as_text=True)
    marked = re.findall(r'name="(\w+)"[^>]*aria-label="Line (\d+) [^"]*" aria-invalid="true"', html)
    assert sorted(marked) == [("month", "1"), ("unit", "1")]
    message = re.search(r'id="line-1-errors">([^<]*)<', html).group(1)
    assert message.startswith("Line 1: ") and "Month — " in message and "Unit — " in message
    good = {name: values[1:2] for name, values in rows.items()}
    good["quantity"] = ["20"]
    answer = client.post(path, data={"csrf_token": token, "from_month": "7", **good})
    assert answer.status_code == 302
    plan = services.get_plan(db_session, 2026)
    newest = services.version_lines(db_session, services.get_version(db_session, plan))
    assert [(x.month, str(x.quantity)) for x in newest] == [(1, "100.00"), (7, "20.00")]
    assert client.get("/plans/2026?version=1").status_code == 200
    assert "2026" in client.get("/plans/").get_data(as_text=True)


def test_readers_see_plans_but_not_the_forms(client, login_as, roads, db_session, make_user):
    load_demo_plan(db_session, date(2026, 5, 1))  # needs a manager1/admin user: none here
    assert services.find_plan(db_session, 2026) is None
    login_as("machinery")
    assert client.get("/plans/").status_code == 200
    assert client.get("/plans/2026/lines").status_code == 403


def test_the_demo_plan_is_adjusted_in_july(db_session, roads):
    from inspection.auth import services as auth_services

    auth_services.create_user(db_session, "manager1", "x" * 16, ["manager"])
    load_demo_plan(db_session, date(2026, 5, 1))
    plan = services.get_plan(db_session, 2026)
    assert [(v.number, v.from_month) for v in plan.versions] == [(1, 1), (2, 7)]
    old = services.version_lines(db_session, plan.versions[0], month=8, work_kind="slope")
    new = services.version_lines(db_session, plan.versions[1], month=8, work_kind="slope")
    assert [str(x.quantity) for x in old] == ["500.00"] and [str(x.quantity) for x in new] == [
        "900.00"
    ]
    load_demo_plan(db_session, date(2026, 5, 1))  # again: nothing new
    assert len(services.get_plan(db_session, 2026).versions) == 2
