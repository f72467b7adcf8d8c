"""The fleet import pages: upload, check (nothing saved), confirm; templates; hostile files."""

import io
import re
from html import unescape

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from inspection.fleet import importing
from inspection.fleet.import_views import pack
from inspection.fleet.models import Vehicle
from tests.conftest import csrf_token_from
from tests.integration.fleet.test_fleet_import import GOOD, HEADER, csv

PAGE = "/fleet/import"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    """The branch's today is 2026-12-01 on these pages."""
    from datetime import date

    monkeypatch.setattr("inspection.fleet.import_views.branch_today", lambda: date(2026, 12, 1))


def vehicles(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(Vehicle))


def upload(client, data: bytes, name="fleet.csv", *, check_first=True, as_of=""):
    token = csrf_token_from(client.get(PAGE).get_data(as_text=True))
    form = {"file": (io.BytesIO(data), name), "csrf_token": token, "as_of": as_of}
    if check_first:
        form["check_first"] = "y"
    return client.post(PAGE, data=form, content_type="multipart/form-data")


def confirm_form(html: str) -> dict:
    form = html[html.index('id="confirm"') :]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    return {name: unescape(value) for name, value in fields.items()}


def test_check_then_confirm(client, login_as, english, units, db_session):
    login_as("machinery")
    answer = upload(client, csv(GOOD), as_of="2026-11-30")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200, html[:500]
    assert "Checked: nothing is saved yet" in html
    assert "4 registered, 0 updated, 0 unchanged; 2 status changes dated 2026-11-30." in html
    assert vehicles(db_session) == 0
    fields = confirm_form(html)
    assert fields["as_of"] == "2026-11-30" and fields["filename"] == "fleet.csv"
    done = client.post(PAGE, data=fields, content_type="multipart/form-data")
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and "Import done" in html
    assert "The fleet list is imported: 4 registered, 0 updated." in html
    assert vehicles(db_session) == 4
    loader = db_session.scalar(select(Vehicle).where(Vehicle.number_key == "装载机03"))
    assert loader.status == "sealed"


def test_a_bad_file_shows_the_per_line_report_and_saves_nothing(
    client, login_as, english, units, db_session
):
    login_as("manager")
    lines = [
        *GOOD,
        "新A33333,飞机,,,,,,,,,",
        "新A55555,巡查车,,9999,,,,,,,",
        "新A66666,巡查车,,,不存在的科室,,,,,,",
    ]
    answer = upload(client, csv(lines), check_first=False)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Nothing was imported" in html and "3 of 7 lines have errors." in html
    assert "Unknown kind of vehicle or machine 飞机." in html
    assert "The year must lie between 1950 and 2027." in html
    assert "There is no department 不存在的科室; create it first." in html
    assert 'id="confirm"' not in html
    assert vehicles(db_session) == 0


def test_a_refused_status_change_names_the_statuses_in_words(
    client, login_as, english, units, db_session
):
    login_as("machinery")
    upload(client, csv(GOOD), check_first=False, as_of="2026-11-30")
    answer = upload(client, csv([HEADER, "发电机-1,发电机,,,,,完好,,,,"]))
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "The register has Scrapped; A scrapped unit cannot change status." in html


def test_direct_import_without_the_check(client, login_as, english, units, db_session):
    login_as("machinery")
    answer = upload(client, csv(GOOD), check_first=False)
    assert answer.status_code == 200 and "Import done" in answer.get_data(as_text=True)
    assert vehicles(db_session) == 4


def test_an_xlsx_list_imports(client, login_as, english, units, db_session):
    login_as("machinery")
    book = Workbook()
    for line in GOOD:
        book.active.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    answer = upload(client, buffer.getvalue(), "台账.xlsx", check_first=False)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:800]
    assert vehicles(db_session) == 4


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_templates_read_back_without_problems(client, login_as, fmt):
    login_as("machinery")
    answer = client.get(f"/fleet/template.{fmt}")
    assert answer.status_code == 200
    assert f'filename="fleet-list.{fmt}"' in answer.headers["Content-Disposition"]
    from datetime import date

    parsed = importing.read_upload(answer.data, f"t.{fmt}", today=date(2026, 12, 1))
    assert parsed.problems == [] and len(parsed.rows) == 1
    assert parsed.rows[0].number == "装载机-03"


def test_the_page_offers_the_templates(client, login_as, english):
    login_as("manager")
    html = client.get(PAGE).get_data(as_text=True)
    assert "/fleet/template.xlsx" in html and "/fleet/template.csv" in html
    assert "If any line is wrong, nothing is saved." in html


# --------------------------------------------------------------------------- hostile files


def test_a_file_over_5_mb_is_refused(client, login_as, english):
    login_as("machinery")
    token = csrf_token_from(client.get(PAGE).get_data(as_text=True))
    # Encoded in memory: the test client's own encoder leaves a temporary file open above 500 KB.
    boundary, body = encode_multipart(
        {
            "csrf_token": token,
            "file": FileStorage(io.BytesIO(b"x" * (5 * 1024 * 1024 + 10)), "fleet.csv"),
        }
    )
    answer = client.post(PAGE, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert answer.status_code == 422
    assert "The file is larger than 5 MB." in answer.get_data(as_text=True)


def test_long_cells_formulas_and_broken_bytes(client, login_as, english, units, db_session):
    login_as("machinery")
    long = "长" * 10_000
    answer = upload(client, csv([HEADER, f"新A12345,巡查车,{long},,,,,,,,{long}"]))
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "At most 128 characters (the cell holds 10000)." in html
    formula = "=cmd|' /C calc'!A0"
    answer = upload(
        client, csv([HEADER, f'新A12345,巡查车,,,,,,,,,"{formula}"']), check_first=False
    )
    assert answer.status_code == 200
    assert db_session.scalar(select(Vehicle.note)) == formula
    # Bytes that are neither UTF-8 nor GB18030, and an encoded lone surrogate: a clear answer.
    for data in (
        HEADER.encode() + b"\n\xff\xfe\xfd,\x80\n",
        HEADER.encode() + b"\n\xed\xa0\x80,x\n",
    ):
        answer = upload(client, data)
        assert answer.status_code in (200, 422), answer.status_code


def test_a_tampered_confirm_is_refused(client, login_as, english, units, db_session):
    login_as("machinery")
    token = csrf_token_from(client.get(PAGE).get_data(as_text=True))
    for payload in ("not base64!", pack(b"x" * 10)[:-4] + "AAAA", "eJw="):
        answer = client.post(
            PAGE,
            data={"csrf_token": token, "payload": payload, "filename": "f.csv", "as_of": ""},
            content_type="multipart/form-data",
        )
        assert answer.status_code == 422, payload
        assert "The checked file cannot be read back; upload it again." in answer.get_data(
            as_text=True
        )
    bomb = pack(b"\n" * (6 * 1024 * 1024))
    answer = client.post(
        PAGE,
        data={"csrf_token": token, "payload": bomb, "filename": "f.csv", "as_of": ""},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 422
    assert vehicles(db_session) == 0


def test_a_status_date_in_the_future_is_a_field_error(client, login_as, english, units):
    login_as("machinery")
    answer = upload(client, csv(GOOD), as_of="2027-01-01")
    assert answer.status_code == 422
    assert "The date is in the future." in answer.get_data(as_text=True)


def test_a_crew_member_cannot_import(client, login_as):
    login_as("patrol")
    assert client.get(PAGE).status_code == 403
    assert client.get("/fleet/template.xlsx").status_code == 403


def _xlsx_with_raw_text(raw: bytes) -> bytes:
    """A workbook whose note cell's XML text is `raw` (what openpyxl itself refuses to write)."""
    import zipfile

    book = Workbook()
    book.active.append(["车牌号", "类型", "备注"])
    book.active.append(["新A12345", "巡查车", "PLACEHOLDER"])
    source = io.BytesIO()
    book.save(source)
    target = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            new.writestr(item, old.read(item.filename).replace(b"PLACEHOLDER", raw))
    return target.getvalue()


@pytest.mark.parametrize("raw", [b"&#xD800;", b"a&#0;b", b"\xed\xa0\x80"])
def test_an_xlsx_cell_with_a_lone_surrogate_or_nul_is_a_clear_refusal(
    client, login_as, english, units, db_session, raw
):
    login_as("machinery")
    answer = upload(client, _xlsx_with_raw_text(raw), "fleet.xlsx", check_first=False)
    assert answer.status_code == 422, answer.get_data(as_text=True)[:500]
    assert vehicles(db_session) == 0
