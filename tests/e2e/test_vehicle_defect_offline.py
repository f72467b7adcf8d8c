"""A crew reports a vehicle defect on a phone without signal; online again, the unit shows 待修."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import BrowserContext, expect
from sqlalchemy import select

from inspection.auth import services as auth_services
from inspection.auth.models import User
from inspection.extensions import db
from inspection.fleet import status
from inspection.fleet.models import Vehicle, VehicleDefect
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-vehicle-defect-password"
CREW = "e2e.defectcrew"
NUMBERS = ("新A·E2E01", "CX-E2E02")


def ensure_user(username: str, roles: list[str], name: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    return user or auth_services.create_user(
        db.session, username, PASSWORD, roles, display_name=name
    )


@pytest.fixture(scope="module")
def fleet_world(e2e_app) -> dict:
    """A crew member and two fit units (made directly, with their register events)."""
    with e2e_app.app_context():
        crew = ensure_user(CREW, ["patrol"], "周巡查")
        keeper = ensure_user("e2e.defectkeeper", ["machinery"], "马机务")
        ids = []
        for number, kind in zip(NUMBERS, ("patrol_vehicle", "snow_plough"), strict=True):
            vehicle = db.session.scalar(select(Vehicle).where(Vehicle.number == number))
            if vehicle is None:
                vehicle = Vehicle(
                    kind=kind,
                    number=number,
                    number_key=number.replace("·", "").upper(),
                    status="fit",
                    registered_on=date(2025, 1, 1),
                )
                db.session.add(vehicle)
                db.session.add(status.register_event(vehicle, user_id=keeper.id))
                db.session.flush()
            ids.append(vehicle.id)
        db.session.commit()
        return {"crew": crew.id, "vehicles": ids}


def sign_in(page, base: str, target: str) -> None:
    page.goto(f"{base}/login?next={target}")
    page.get_by_label("用户名").fill(CREW)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{base}{target}")


def test_a_defect_reported_offline_reaches_the_register_once(
    live_server, e2e_app, phone: BrowserContext, fleet_world, outage
):
    page = phone.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    # From the field home, the crew finds the defect page.
    sign_in(page, live_server, "/field/")
    page.locator("#defect-link").click()
    expect(page).to_have_url(f"{live_server}/fleet/defect")
    form = page.locator("#defect-form")
    expect(form).to_have_attribute("data-outbox", "ready")
    # The service worker has installed: it keeps this page for the road.
    assert page.evaluate("navigator.serviceWorker.ready.then(r => Boolean(r.active))")
    status_box = page.locator("#outbox-status")
    plough = fleet_world["vehicles"][1]

    with outage.down():
        phone.set_offline(True)
        # Without signal the page still opens, from the service worker's copy.
        page.reload()
        expect(page.locator("#defect-page")).to_have_attribute("data-page-source", "cache")
        expect(form).to_have_attribute("data-outbox", "ready")
        page.locator(f'input[name="vehicle_id"][value="{plough}"] + span').click()
        page.locator("#defect-description").fill("液压管渗油，铲板升降无力")
        screenshot(page, "vehicle-defect-form")
        page.locator("#save-defect").click()
        expect(page.locator("#defect-message")).to_have_class("notice notice-ok")
        expect(status_box).to_have_attribute("data-records", "1")
        expect(page.locator("#defect-waiting li")).to_have_count(1)
        expect(page.locator("#defect-waiting li")).to_contain_text("CX-E2E02")
        # The unit it was reported on is chosen first for the next report.
        expect(page.locator(f'input[name="vehicle_id"][value="{plough}"]')).to_be_checked()
        screenshot(page, "vehicle-defect-offline-waiting")
        with e2e_app.app_context():
            assert db.session.get(Vehicle, plough).status == "fit"
            assert db.session.scalars(select(VehicleDefect)).all() == []
        phone.set_offline(False)

    # Signal again: the outbox sends the report; the unit is 待修 in the register.
    page.locator("[data-outbox-send]").click()
    expect(status_box).to_have_attribute("data-waiting", "0", timeout=30_000)
    expect(page.locator("#defect-waiting-card")).to_be_hidden()
    with e2e_app.app_context():
        (defect,) = db.session.scalars(select(VehicleDefect)).all()
        assert (defect.vehicle_id, defect.description, defect.reported_by_id) == (
            plough,
            "液压管渗油，铲板升降无力",
            fleet_world["crew"],
        )
        assert db.session.get(Vehicle, plough).status == "defective"
        assert db.session.get(Vehicle, fleet_world["vehicles"][0]).status == "fit"
    page.goto(f"{live_server}/fleet/{plough}")
    badge = page.locator("h1 .tag")
    expect(badge).to_have_class(re.compile(r"status-open"))
    expect(badge).to_have_text(re.compile(r"待修|Defective"))
    screenshot(page, "vehicle-defect-register")
    assert problems == []
