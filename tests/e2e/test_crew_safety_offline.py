"""A crew's safety morning on a phone without signal (#16): the 5-minute briefing with a photo,
the pre-trip check, the start of the patrol, and a work zone with two photos — every page
opened and every record saved offline, from the service worker's copies and into the outbox.
Online again, each record reaches the database exactly once (the first answer of each kind is
lost on the way back, so the phone sends it again under the same UUID), with its photos
attached to it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import BrowserContext, Page, Route, expect
from sqlalchemy import func, select

from inspection.auth import services as auth_services
from inspection.auth.models import User
from inspection.crew.models import Briefing, PretripCheck, WorkZone
from inspection.extensions import db
from inspection.fleet import status as fleet_status
from inspection.fleet.kinds import number_key
from inspection.fleet.models import Driver, Vehicle
from inspection.media.models import Photo
from inspection.network import services as network_services
from inspection.network.importing import FieldNames
from inspection.network.models import Road
from inspection.network.sample import demo_network
from inspection.patrols.models import Patrol
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

USERNAME = "e2e.safetycrew"
PASSWORD = "e2e-crew-safety-password"
PLATE = "新A·E2E16"
CREW = "柴窝堡养护工区一班"
# The records whose first answer the phone does not get (the server stored them).
LOST_ONCE = ("/api/v1/briefings", "/api/v1/pretrip-checks", "/api/v1/patrols", "/api/v1/work-zones")


@pytest.fixture(scope="module")
def morning(e2e_app) -> dict:
    """The demo roads, a crew member who drives, and the fit unit they drive."""
    with e2e_app.app_context():
        if db.session.scalar(select(func.count()).select_from(Road)) == 0:
            network_services.import_features(db.session, demo_network(), FieldNames())
        user = db.session.scalar(select(User).where(User.username == USERNAME))
        if user is None:
            user = auth_services.create_user(
                db.session, USERNAME, PASSWORD, ["patrol"], display_name="韩巡查"
            )
        driver = db.session.scalar(select(Driver).where(Driver.user_id == user.id))
        if driver is None:
            driver = Driver(
                user_id=user.id,
                name="韩巡查",
                licence_class="C1",
                licence_expires=date.today() + timedelta(days=900),
            )
            db.session.add(driver)
        unit = db.session.scalar(select(Vehicle).where(Vehicle.number_key == number_key(PLATE)))
        if unit is None:
            unit = Vehicle(
                kind="patrol_vehicle",
                number=PLATE,
                number_key=number_key(PLATE),
                registered_on=date.today() - timedelta(days=100),
                status="fit",
            )
            db.session.add(unit)
            db.session.add(fleet_status.register_event(unit, user_id=user.id))
        db.session.commit()
        road = network_services.get_road(db.session, "G30")
        return {"user": user.id, "driver": driver.id, "vehicle": unit.id, "dir": road.direction}


def jpeg(path: Path, colour: tuple[int, int, int]) -> str:
    Image.new("RGB", (1600, 1200), colour).save(path, "JPEG", quality=80)
    return str(path)


def sign_in(page: Page, base: str, target: str) -> None:
    page.goto(f"{base}/login?next={target}")
    page.get_by_label("用户名").fill(USERNAME)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{base}{target}")


def open_offline(page: Page, url: str, marker: str) -> None:
    """Open a field page without signal: the service worker's copy answers."""
    page.goto(url)
    expect(page.locator(marker)).to_have_attribute("data-page-source", "cache")


def stored(user_id: int) -> dict:
    """What the server holds of this crew member's morning."""
    mine = {
        "briefings": db.session.scalars(select(Briefing).where(Briefing.created_by_id == user_id)),
        "checks": db.session.scalars(
            select(PretripCheck).where(PretripCheck.checked_by_id == user_id)
        ),
        "patrols": db.session.scalars(select(Patrol).where(Patrol.created_by_id == user_id)),
        "zones": db.session.scalars(select(WorkZone).where(WorkZone.created_by_id == user_id)),
    }
    return {key: rows.all() for key, rows in mine.items()}


def photos_of(column, owner_id: int) -> list[Photo]:
    return db.session.scalars(select(Photo).where(column == owner_id)).all()


def test_briefing_check_patrol_and_zone_offline_each_stored_once(
    live_server, e2e_app, phone: BrowserContext, morning, outage, tmp_path
):
    page = phone.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    sign_in(page, live_server, "/field/")
    expect(page.locator("#field-page")).to_have_attribute("data-outbox", "ready")
    # The service worker has installed and kept the field pages for the road.
    assert page.evaluate("navigator.serviceWorker.ready.then(r => Boolean(r.active))")
    status_box = page.locator("#outbox-status")

    with outage.down():
        phone.set_offline(True)

        # 1. The 5-minute briefing, with a photo.
        open_offline(page, f"{live_server}/field/briefing", "#briefing-page")
        form = page.locator("#briefing-form")
        expect(form).to_have_attribute("data-outbox", "ready")
        page.locator("#briefing-topic").select_option(index=1)
        page.locator(f'input[name="attendee_id"][value="{morning["user"]}"] + span').click()
        expect(
            page.locator(f'input[name="attendee_id"][value="{morning["user"]}"]')
        ).to_be_checked()
        page.locator("#briefing-add-name").fill("临时工马师傅")
        page.locator("#briefing-add").click()
        expect(page.locator('input[name="attendee_name"][value="临时工马师傅"]')).to_be_checked()
        page.locator("#briefing-crew").fill(CREW)
        page.locator("#briefing-leader").select_option(str(morning["user"]))
        page.locator("#briefing-photo").set_input_files(
            jpeg(tmp_path / "briefing.jpg", (90, 120, 90))
        )
        expect(page.locator("#photo-list li")).to_have_count(1)
        screenshot(page, "crew-briefing-offline")
        page.locator("#save-briefing").click()
        expect(page.locator("#briefing-message")).to_have_class("notice notice-ok")
        expect(status_box).to_have_attribute("data-records", "1")

        # 2. The pre-trip check of the unit and its driver: passed.
        open_offline(page, f"{live_server}/field/pretrip", "#pretrip-page")
        expect(page.locator("#pretrip-form")).to_have_attribute("data-outbox", "ready")
        page.locator("#pretrip-vehicle").select_option(str(morning["vehicle"]))
        page.locator("#pretrip-driver").select_option(str(morning["driver"]))
        page.locator("#pretrip-alcohol").fill("0")
        page.locator("#pretrip-systolic").fill("128")
        page.locator("#pretrip-diastolic").fill("82")
        screenshot(page, "crew-pretrip-offline")
        page.locator("#save-pretrip").click()
        expect(page.locator("#pretrip-message")).to_have_class("notice notice-ok")
        expect(status_box).to_have_attribute("data-records", "2")

        # 3. The patrol with that unit and driver starts (the check passed: not blocked).
        open_offline(page, f"{live_server}/field/", "#field-page")
        expect(page.locator("#field-page")).to_have_attribute("data-outbox", "ready")
        page.locator("#start-road").select_option(f"G30|{morning['dir']}")
        page.locator("#start-vehicle-id").select_option(str(morning["vehicle"]))
        page.locator("#start-driver").select_option(str(morning["driver"]))
        page.locator("#start-patrol").click()
        expect(page.locator("#patrol-open")).to_be_visible()
        expect(status_box).to_have_attribute("data-records", "3")

        # 4. A work zone for the patrol's on-site action, with two photos of the set-up.
        open_offline(page, f"{live_server}/field/work-zone", "#zone-page")
        expect(page.locator("#zone-form")).to_have_attribute("data-outbox", "ready")
        page.locator('input[name="link"][value="patrol"]').check()
        expect(page.locator("#zone-patrol-text")).to_contain_text("G30")
        expect(page.locator("#zone-road")).not_to_have_value("")
        page.locator("#zone-from_stake").fill("K3504+000")
        page.locator("#zone-to_stake").fill("K3504+400")
        page.locator("#zone-speed").fill("100")
        for part, length in (("warning", "1600"), ("upstream_transition", "170"), ("buffer", "60")):
            page.locator(f"#zone-part_{part}").fill(length)
        page.locator("#zone-part_work_area").fill("400")
        # The buffer is shorter than the minimum at 100 km/h: flagged, not refused.
        expect(page.locator("#zone-flags")).to_have_attribute("data-flags", "1")
        page.locator('input[name="device_alarm_cone"]').check()
        page.locator('input[name="count_alarm_cone"]').fill("6")
        page.locator('input[name="device_cone"]').check()
        page.locator('input[name="count_cone"]').fill("30")
        zone_photo = page.locator("#zone-photo")
        zone_photo.set_input_files(jpeg(tmp_path / "zone-1.jpg", (200, 120, 40)))
        expect(page.locator("#zone-photo-list li")).to_have_count(1)
        zone_photo.set_input_files(jpeg(tmp_path / "zone-2.jpg", (40, 120, 200)))
        expect(page.locator("#zone-photo-list li")).to_have_count(2)
        screenshot(page, "crew-work-zone-offline")
        page.locator("#save-zone").click()
        expect(page.locator("#zone-message")).to_have_class("notice notice-ok")
        # Four records and three photos wait on the phone; the server holds nothing yet.
        expect(status_box).to_have_attribute("data-records", "4")
        with e2e_app.app_context():
            assert all(rows == [] for rows in stored(morning["user"]).values())

    # Signal again, but the first answer of each record is lost on the way back: the server
    # stored it, the phone did not hear, and it sends the same UUID again. The route is in place
    # before the phone comes back online (coming online sends at once).
    lost: list[str] = []

    def lose_first_answer(route: Route) -> None:
        request = route.request
        path = request.url.split("//", 1)[1].split("/", 1)[1]
        path = "/" + path.split("?", 1)[0]
        if request.method == "POST" and path in LOST_ONCE and path not in lost:
            answer = route.fetch()
            assert answer.status in (200, 201), (path, answer.status, answer.text())
            lost.append(path)
            route.abort("connectionreset")
            return
        route.continue_()

    page.route("**/api/v1/**", lose_first_answer)
    phone.set_offline(False)
    for _ in range(6):  # each lost answer makes the outbox wait; ask it to go on
        page.locator("[data-outbox-send]").click()
        try:
            expect(status_box).to_have_attribute("data-waiting", "0", timeout=10_000)
            break
        except AssertionError:
            continue
    expect(status_box).to_have_attribute("data-waiting", "0", timeout=30_000)
    page.unroute("**/api/v1/**")
    assert sorted(lost) == sorted(LOST_ONCE)

    with e2e_app.app_context():
        mine = stored(morning["user"])
        (briefing,) = mine["briefings"]
        assert briefing.crew == CREW
        assert sorted(a.name for a in briefing.attendees) == ["临时工马师傅", "韩巡查"]
        assert len(photos_of(Photo.briefing_id, briefing.id)) == 1
        (check,) = mine["checks"]
        assert (check.vehicle_id, check.driver_id, check.passed) == (
            morning["vehicle"],
            morning["driver"],
            True,
        )
        (patrol,) = mine["patrols"]
        assert (patrol.vehicle_id, patrol.driver_id) == (morning["vehicle"], morning["driver"])
        (zone,) = mine["zones"]
        assert (zone.patrol_id, zone.repair_id) == (patrol.id, None)
        assert {d.device: d.count for d in zone.devices} == {"alarm_cone": 6, "cone": 30}
        assert {p.part: p.length_m for p in zone.parts}["buffer"] == 60
        assert len(photos_of(Photo.work_zone_id, zone.id)) == 2

    # Sending again changes nothing.
    page.locator("[data-outbox-send]").click()
    expect(status_box).to_have_attribute("data-waiting", "0")
    with e2e_app.app_context():
        again = stored(morning["user"])
        assert [len(rows) for rows in again.values()] == [1, 1, 1, 1]
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Photo)
                .where(Photo.uploaded_by_id == morning["user"])
            )
            == 3
        )
    assert problems == []
