"""The vehicle register's pages: list, enter, edit, a unit's page with its forms, the due board,
the 封存台账 and its exports, the intervals; errors shown on the forms, nothing half-saved."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from inspection.fleet import service_events
from inspection.fleet.models import Vehicle, VehicleService, VehicleStatusEvent
from inspection.web import branch_today
from tests.conftest import csrf_token_from


@pytest.fixture
def today(app):
    with app.app_context():
        return branch_today()


def token_of(client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    return csrf_token_from(page.get_data(as_text=True))


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def enter_form(token, today, **fields) -> dict:
    return {
        "csrf_token": token,
        "kind": "patrol_vehicle",
        "number": "新A12345",
        "make_model": "江铃",
        "year": "2021",
        "department_id": "",
        "use": "production",
        "status": "fit",
        "registered_on": (today - timedelta(days=400)).isoformat(),
        "note": "",
        **fields,
    }


def test_the_nav_shows_fleet_to_readers_only(client, login_as, english):
    login_as("machinery")
    assert 'href="/fleet/"' in client.get("/fleet/").get_data(as_text=True)
    login_as("admin")
    assert 'href="/fleet/"' not in client.get("/").get_data(as_text=True)


def test_enter_edit_and_list_a_unit(client, login_as, db_session, english, today, units):
    login_as("machinery")
    token = token_of(client, "/fleet/new")
    made = client.post(
        "/fleet/new", data=enter_form(token, today, department_id=str(units["机务科"].id))
    )
    assert made.status_code == 302, made.get_data(as_text=True)
    vehicle = db_session.scalar(select(Vehicle))
    assert made.headers["Location"].endswith(f"/fleet/{vehicle.id}")
    again = client.post("/fleet/new", data=enter_form(token, today, number="新A 12345"))
    assert again.status_code == 422
    assert "Another unit has this plate or fleet number." in again.get_data(as_text=True)
    sealed = client.post(
        "/fleet/new", data=enter_form(token, today, number="新A2", status="sealed")
    )
    assert sealed.status_code == 422 and count(db_session, Vehicle) == 1
    listing = client.get("/fleet/?status=fit").get_data(as_text=True)
    assert "新A12345" in listing and "Fit (in service) 1" in listing
    assert client.get("/fleet/?status=melted").status_code == 422
    edit = client.get(f"/fleet/{vehicle.id}/edit").get_data(as_text=True)
    assert 'value="新A12345"' in edit
    form = enter_form(csrf_token_from(edit), today, make_model="长城", year="")
    saved = client.post(f"/fleet/{vehicle.id}/edit", data=form)
    assert saved.status_code == 302
    db_session.refresh(vehicle)
    assert (vehicle.make_model, vehicle.year, vehicle.department_id) == ("长城", None, None)
    bad = client.post(f"/fleet/{vehicle.id}/edit", data={**form, "year": "１９９９"})
    assert bad.status_code == 422 and "Give the year it was made" in bad.get_data(as_text=True)


def test_status_and_service_forms_on_the_units_page(client, login_as, db_session, english, today):
    login_as("machinery")
    token = token_of(client, "/fleet/new")
    client.post("/fleet/new", data=enter_form(token, today))
    vehicle = db_session.scalar(select(Vehicle))
    page = f"/fleet/{vehicle.id}"
    token = token_of(client, page)
    seal = {
        "csrf_token": token,
        "to_status": "sealed",
        "on_date": today.isoformat(),
        "reason": "冬季停用",
    }
    refused = client.post(f"{page}/status", data=seal)
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Say where the sealed unit is kept." in text and "Say who holds the sealed unit" in text
    assert count(db_session, VehicleStatusEvent) == 1
    done = client.post(
        f"{page}/status", data={**seal, "sealed_place": "工区车库", "key_holder": "刘师傅"}
    )
    assert done.status_code == 302
    db_session.refresh(vehicle)
    assert vehicle.status == "sealed"
    shown = client.get(page).get_data(as_text=True)
    assert (
        "Sealing record" in shown
        and "工区车库" in shown
        and "A sealed or scrapped unit is not due" in shown
    )
    service = {
        "csrf_token": token,
        "kind": "annual_inspection",
        "on_date": (today + timedelta(days=1)).isoformat(),
        "passed": "1",
    }
    future = client.post(f"{page}/services", data=service)
    assert future.status_code == 422 and "The date is in the future." in future.get_data(
        as_text=True
    )
    recorded = client.post(
        f"{page}/services", data={**service, "on_date": today.isoformat(), "cost_yuan": "320"}
    )
    assert recorded.status_code == 302
    assert count(db_session, VehicleService) == 1
    assert client.get("/fleet/999999").status_code == 404


def test_the_due_board_page(client, login_as, db_session, english, today):
    login_as("machinery")
    token = token_of(client, "/fleet/new")
    client.post("/fleet/new", data=enter_form(token, today))
    board = client.get("/fleet/due").get_data(as_text=True)
    assert "新A12345" in board and "days overdue" in board
    assert client.get("/fleet/due?within=abc").status_code == 422


def test_the_sealed_register_and_its_exports(client, login_as, db_session, english, today):
    login_as("machinery")
    token = token_of(client, "/fleet/new")
    client.post("/fleet/new", data=enter_form(token, today, number="=HYPERLINK(1)"))
    vehicle = db_session.scalar(select(Vehicle))
    client.post(
        f"/fleet/{vehicle.id}/status",
        data={
            "csrf_token": token,
            "to_status": "sealed",
            "sealed_place": "+工区车库",
            "key_holder": "刘师傅",
        },
    )
    page = client.get("/fleet/sealed").get_data(as_text=True)
    assert "+工区车库" in page and "刘师傅" in page
    csv = client.get("/fleet/sealed.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    text = csv.get_data().decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "'+工区车库" in text and "Still sealed" in text
    xlsx = client.get("/fleet/sealed.xlsx")
    book = load_workbook(io.BytesIO(xlsx.get_data()))
    assert len(book.sheetnames) == 2
    now = book.worksheets[0]
    assert now.cell(2, 1).value == "'=HYPERLINK(1)" and now.cell(2, 1).data_type == "s"


def test_the_intervals_page(client, login_as, db_session, english):
    login_as("machinery")
    token = token_of(client, "/fleet/intervals")
    saved = client.post(
        "/fleet/intervals",
        data={"csrf_token": token, "patrol_vehicle__maintenance": "45", "truck__insurance": ""},
    )
    assert saved.status_code == 302
    days = service_events.intervals(db_session)
    assert days[("patrol_vehicle", "maintenance")] == 45 and days[("truck", "insurance")] == 365
    refused = client.post(
        "/fleet/intervals",
        data={"csrf_token": token, "patrol_vehicle__maintenance": "30", "truck__insurance": "0"},
    )
    assert refused.status_code == 422 and "Give 1 to 3660 days." in refused.get_data(as_text=True)
    assert service_events.intervals(db_session)[("patrol_vehicle", "maintenance")] == 45
    login_as("patrol")  # a reader sees the numbers, no inputs
    page = client.get("/fleet/intervals").get_data(as_text=True)
    assert 'name="patrol_vehicle__maintenance"' not in page and "45" in page


def test_readers_see_the_pages_without_the_forms(client, login_as, db_session, make_vehicle):
    unit = make_vehicle()
    login_as("patrol")
    page = client.get(f"/fleet/{unit.id}").get_data(as_text=True)
    assert "新A12345" in page and 'name="to_status"' not in page and 'name="parts"' not in page
    for path in ("/fleet/", "/fleet/due", "/fleet/sealed", "/fleet/intervals"):
        assert client.get(path).status_code == 200, path
    assert client.get("/fleet/new").status_code == 403
