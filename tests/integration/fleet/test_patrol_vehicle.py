"""A patrol names its vehicle and driver from the registers (#15): fit units and active drivers
only, judged as the register stood when the patrol started; the free text stays readable."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from inspection.fleet import status as fleet_status
from inspection.fleet.kinds import VehicleStatus, number_key
from inspection.fleet.models import Driver, Vehicle
from inspection.patrols.models import Patrol
from tests.integration.helpers import new_uuid

HOUR = timedelta(hours=1)


@pytest.fixture
def keeper(make_user):
    return make_user("machinery")


@pytest.fixture
def unit(db_session, keeper):
    """Enter a unit in the register (fit, registered a year ago), optionally change its status."""

    def build(number="新A12345", status=None, *, kind="patrol_vehicle", **change):
        vehicle = Vehicle(
            kind=kind,
            number=number,
            number_key=number_key(number),
            registered_on=date.today() - timedelta(days=365),
            status="fit",
        )
        db_session.add(vehicle)
        event = fleet_status.register_event(vehicle, user_id=keeper.id)
        event.recorded_at = datetime.now(UTC) - timedelta(days=365)
        db_session.add(event)
        db_session.flush()
        if status is not None:
            fleet_status.change_status(
                db_session,
                vehicle.id,
                fleet_status.StatusChange(VehicleStatus(status), date.today(), "", **change),
                user_id=keeper.id,
                today=date.today() + timedelta(days=1),
            )
        return vehicle

    return build


@pytest.fixture
def driver(db_session):
    def build(name="马师傅", *, active=True, user=None):
        made = Driver(
            name=name,
            licence_class="C1",
            licence_expires=date.today() + timedelta(days=900),
            active=active,
            user_id=user.id if user else None,
        )
        db_session.add(made)
        db_session.flush()
        return made

    return build


def start(**overrides):
    body = {
        "client_uuid": new_uuid(),
        "road": "G30",
        "direction": "up",
        "kind": "routine",
        "crew": "王建国",
        "started_at": datetime.now(UTC).isoformat(),
    }
    body.update(overrides)
    return body


def patrols(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(Patrol))


def test_a_patrol_takes_a_fit_unit_and_an_active_driver(client, roads, crew, unit, driver):
    _, headers = crew()
    car, who = unit(), driver()
    answer = client.post(
        "/api/v1/patrols", json=start(vehicle_id=car.id, driver_id=who.id), headers=headers
    )
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert (body["vehicle_id"], body["vehicle_number"]) == (car.id, "新A12345")
    assert (body["driver_id"], body["driver"]) == (who.id, "马师傅")
    assert body["vehicle"] == "新A12345"  # the plate as text too, for what reads the text
    # The patrol's page shows the register's unit and driver.
    page = client.get(f"/patrols/{body['uuid']}", headers=headers)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<span id="patrol-vehicle">新A12345</span>' in html
    assert '<span id="patrol-driver">马师傅</span>' in html


def test_the_free_text_still_works_and_shows(client, roads, crew):
    _, headers = crew()
    answer = client.post("/api/v1/patrols", json=start(vehicle="新A·H1234"), headers=headers)
    assert answer.status_code == 201
    body = answer.get_json()
    assert (body["vehicle"], body["vehicle_id"], body["driver_id"]) == ("新A·H1234", None, None)
    html = client.get(f"/patrols/{body['uuid']}", headers=headers).get_data(as_text=True)
    assert '<span id="patrol-vehicle">新A·H1234</span>' in html
    assert "patrol-driver" not in html


@pytest.mark.parametrize(
    ("status", "change", "message"),
    [
        ("defective", {}, "This unit is reported defective: choose a fit one."),
        ("under_repair", {}, "This unit is under repair: choose a fit one."),
        (
            "sealed",
            {"sealed_place": "机务车间", "key_holder": "张机务"},
            "This unit is sealed: choose a fit one.",
        ),
        ("scrapped", {}, "This unit is scrapped: choose a fit one."),
    ],
)
def test_a_unit_out_of_service_is_refused(
    client, roads, crew, unit, db_session, english, status, change, message
):
    _, headers = crew()
    car = unit(status=status, **change)
    refused = client.post("/api/v1/patrols", json=start(vehicle_id=car.id), headers=headers)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"] == {"vehicle_id": message}
    assert patrols(db_session) == 0


def test_unknown_ids_and_an_inactive_driver_are_refused(
    client, roads, crew, driver, db_session, english
):
    _, headers = crew()
    gone = driver("退休司机", active=False)
    refused = client.post(
        "/api/v1/patrols", json=start(vehicle_id=999999, driver_id=gone.id), headers=headers
    )
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"] == {
        "vehicle_id": "There is no such vehicle in the register.",
        "driver_id": "This driver is no longer active: choose another.",
    }
    odd = client.post("/api/v1/patrols", json=start(vehicle_id="7a", driver_id=-1), headers=headers)
    assert odd.get_json()["error"]["fields"] == {
        "vehicle_id": "Choose a vehicle from the list.",
        "driver_id": "Choose a driver from the list.",
    }
    nobody = client.post("/api/v1/patrols", json=start(driver_id=999999), headers=headers)
    assert nobody.get_json()["error"]["fields"] == {
        "driver_id": "There is no such driver in the register."
    }
    assert patrols(db_session) == 0


def test_a_start_that_waited_offline_is_judged_as_the_register_stood(
    client, roads, crew, unit, keeper, db_session
):
    _, headers = crew()
    car = unit()
    # The crew set off two hours ago, without signal; meanwhile another crew reported the unit.
    offline = start(vehicle_id=car.id, started_at=(datetime.now(UTC) - 2 * HOUR).isoformat())
    fleet_status.change_status(
        db_session,
        car.id,
        fleet_status.StatusChange(VehicleStatus.defective, date.today(), "刹车异响"),
        user_id=keeper.id,
        today=date.today() + timedelta(days=1),
    )
    arrived = client.post("/api/v1/patrols", json=offline, headers=headers)
    assert arrived.status_code == 201, arrived.get_json()
    assert arrived.get_json()["vehicle_id"] == car.id
    # Its retry is the same patrol; a new start with the unit now is refused.
    again = client.post("/api/v1/patrols", json=offline, headers=headers)
    assert (again.status_code, again.get_json()["uuid"]) == (200, offline["client_uuid"])
    now = client.post("/api/v1/patrols", json=start(vehicle_id=car.id), headers=headers)
    assert now.status_code == 422 and set(now.get_json()["error"]["fields"]) == {"vehicle_id"}
    assert patrols(db_session) == 1


def test_the_phone_page_offers_fit_units_and_active_drivers(
    client, roads, login_as, unit, driver, db_session
):
    user = login_as("patrol")
    fit = unit("新A11111")
    broken = unit("新A22222", status="defective")
    plough = unit("新A00001", kind="snow_plough")
    mine = driver("李巡查", user=user)
    driver("退休司机", active=False)
    html = client.get("/field/").get_data(as_text=True)
    assert f'<option value="{fit.id}">新A11111' in html
    assert f'<option value="{plough.id}">新A00001' in html
    assert html.index("新A11111") < html.index("新A00001")  # patrol vehicles first
    assert f'value="{broken.id}">' not in html
    assert f'<option value="{mine.id}">李巡查 · C1</option>' in html
    assert "退休司机" not in html
    # The lists are in the page's context too (the service worker keeps the page for offline).
    assert '"vehicles": [' in html and f'"me": {user.id}' in html


def test_the_phone_page_without_registers_asks_for_the_plate_only(client, roads, login_as):
    login_as("patrol")
    html = client.get("/field/").get_data(as_text=True)
    assert 'id="start-vehicle"' in html
    assert 'id="start-vehicle-id"' not in html and 'id="start-driver"' not in html
