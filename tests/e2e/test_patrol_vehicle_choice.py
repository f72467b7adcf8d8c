"""A crew starts a patrol on a phone without signal, choosing its vehicle and driver from the
registers (#15): the lists come with the page, the start waits in the outbox, arrives once with
the unit and driver, and the phone offers the same choice next time."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import func, select

from inspection.auth import services as auth_services
from inspection.auth.models import User
from inspection.extensions import db
from inspection.fleet import status as fleet_status
from inspection.fleet.kinds import VehicleStatus, number_key
from inspection.fleet.models import Driver, Vehicle, VehicleStatusEvent
from inspection.network import services as network_services
from inspection.network.importing import FieldNames
from inspection.network.models import Road
from inspection.network.sample import demo_network
from inspection.patrols.models import Patrol

pytestmark = pytest.mark.e2e

USERNAME = "e2e.vehicle"
PASSWORD = "e2e-vehicle-password"
FIT, BROKEN = "新A·E2E01", "新A·E2E02"


def _unit(number: str, user_id: int) -> Vehicle:
    unit = db.session.scalar(select(Vehicle).where(Vehicle.number_key == number_key(number)))
    if unit is None:
        unit = Vehicle(
            kind="patrol_vehicle",
            number=number,
            number_key=number_key(number),
            registered_on=date.today() - timedelta(days=100),
            status="fit",
        )
        db.session.add(unit)
        event = fleet_status.register_event(unit, user_id=user_id)
        db.session.add(event)
        db.session.flush()
    return unit


@pytest.fixture(scope="module")
def registers(e2e_app) -> dict:
    """The demo roads, a crew member who is a driver, a fit unit and a defective one."""
    with e2e_app.app_context():
        if db.session.scalar(select(func.count()).select_from(Road)) == 0:
            network_services.import_features(db.session, demo_network(), FieldNames())
        user = db.session.scalar(select(User).where(User.username == USERNAME))
        if user is None:
            user = auth_services.create_user(
                db.session, USERNAME, PASSWORD, ["patrol"], display_name="孙巡查"
            )
        driver = db.session.scalar(select(Driver).where(Driver.user_id == user.id))
        if driver is None:
            driver = Driver(
                user_id=user.id,
                name="孙巡查",
                licence_class="C1",
                licence_expires=date.today() + timedelta(days=900),
            )
            db.session.add(driver)
        fit, broken = _unit(FIT, user.id), _unit(BROKEN, user.id)
        if broken.status == "fit":
            fleet_status.change_status(
                db.session,
                broken.id,
                fleet_status.StatusChange(VehicleStatus.defective, date.today(), "e2e"),
                user_id=user.id,
                today=date.today() + timedelta(days=1),
            )
        db.session.commit()
        road = network_services.get_road(db.session, "G30")
        assert db.session.scalar(select(func.count()).select_from(VehicleStatusEvent)) >= 3
        return {"fit": fit.id, "broken": broken.id, "driver": driver.id, "dir": road.direction}


def sign_in(page: Page, live_server: str, target: str) -> None:
    page.goto(f"{live_server}/login?next={target}")
    page.get_by_label("用户名").fill(USERNAME)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server}{target}")


def test_a_patrol_offline_names_the_registers_unit_and_driver(
    live_server, e2e_app, phone: BrowserContext, registers, outage
):
    page = phone.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    sign_in(page, live_server, "/field/")
    expect(page.locator("#field-page")).to_have_attribute("data-outbox", "ready")
    vehicle, driver = page.locator("#start-vehicle-id"), page.locator("#start-driver")
    # Only fit units are offered; the signed-in crew member is the driver by default.
    assert page.locator(f'#start-vehicle-id option[value="{registers["broken"]}"]').count() == 0
    expect(driver).to_have_value(str(registers["driver"]))
    expect(vehicle).to_have_value("")
    expect(page.locator("#start-vehicle-field")).to_be_visible()
    vehicle.select_option(str(registers["fit"]))
    expect(page.locator("#start-vehicle-field")).to_be_hidden()  # no plate to type

    # No signal: the start waits on the phone, the open patrol shows the unit and driver.
    with outage.down():
        page.locator("#start-road").select_option(f"G30|{registers['dir']}")
        page.locator("#start-patrol").click()
        expect(page.locator("#patrol-open")).to_be_visible()
        expect(page.locator('[data-fact="vehicle"]')).to_contain_text(FIT)
        expect(page.locator('[data-fact="driver"]')).to_contain_text("孙巡查")
        expect(page.locator("#outbox-status")).to_have_attribute("data-records", "1")
    page.locator("[data-outbox-send]").click()
    expect(page.locator("#outbox-status")).to_have_attribute("data-waiting", "0", timeout=15_000)
    with e2e_app.app_context():
        user = db.session.scalar(select(User).where(User.username == USERNAME))
        patrol = db.session.scalars(
            select(Patrol).where(Patrol.created_by_id == user.id).order_by(Patrol.id.desc())
        ).first()
        assert (patrol.vehicle_id, patrol.driver_id) == (registers["fit"], registers["driver"])
        assert patrol.vehicle == FIT
    # End it (through the outbox too); the page, loaded again, offers the last choice.
    page.on("dialog", lambda dialog: dialog.accept())  # "End the patrol now?"
    page.locator("#end-patrol").click()
    expect(page.locator("#patrol-start")).to_be_visible()
    expect(page.locator("#outbox-status")).to_have_attribute("data-waiting", "0", timeout=15_000)
    page.reload()
    expect(page.locator("#field-page")).to_have_attribute("data-outbox", "ready")
    expect(page.locator("#patrol-start")).to_be_visible()
    expect(page.locator("#start-vehicle-id")).to_have_value(str(registers["fit"]))
    expect(page.locator("#start-vehicle-field")).to_be_hidden()
    assert problems == []
