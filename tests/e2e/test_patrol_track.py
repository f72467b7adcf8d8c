"""A crew drives a demo road with the field page open: the phone records the track, loses
signal for the middle third (and reloads the page then), and the whole track arrives once."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pyproj import Geod
from sqlalchemy import func, select

from inspection.auth import services as auth_services
from inspection.auth.models import User
from inspection.extensions import db
from inspection.network import services as network_services
from inspection.network.importing import FieldNames
from inspection.network.models import Road
from inspection.network.sample import demo_network
from inspection.patrols.models import Patrol
from inspection.tracks.models import CoveredInterval, TrackBatch, TrackPoint
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

USERNAME = "e2e.track"
PASSWORD = "e2e-track-password"
ROAD = "S21"  # straight, no chain breaks: chainage is measure
START_CHAINAGE = 1_000.0
SPEED_MPS = 20.0  # 72 km/h
DRIVE_SECONDS = 105  # about 2.1 km, the geolocation moved every second
# Two bad fixes the phone must drop: a poor accuracy, and a 3 km jump.
POOR_FIX_SECOND = 12
JUMP_SECOND = 80
_GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def drive(e2e_app) -> dict:
    """The demo roads, a crew member, and the drive: one centreline point per second."""
    with e2e_app.app_context():
        if db.session.scalar(select(func.count()).select_from(Road)) == 0:
            network_services.import_features(db.session, demo_network(), FieldNames())
        if db.session.scalar(select(User).where(User.username == USERNAME)) is None:
            auth_services.create_user(db.session, USERNAME, PASSWORD, ["patrol"])
        db.session.commit()
        road = network_services.get_road(db.session, ROAD)
        chainages = [START_CHAINAGE + SPEED_MPS * s for s in range(DRIVE_SECONDS + 1)]
        points = []
        for chainage in chainages:
            position = network_services.position_of_stake(db.session, road, chainage)
            points.append((position.lon, position.lat))
    driven = sum(
        _GEOD.inv(*points[i], *points[i + 1])[2] for i in range(len(points) - 1)
    )  # metres on the ground
    return {
        "direction": road.direction,
        "points": points,
        "start": chainages[0],
        "end": chainages[-1],
        "driven_m": driven,
    }


def sign_in(page: Page, live_server: str, target: str) -> None:
    page.goto(f"{live_server}/login?next={target}")
    page.get_by_label("用户名").fill(USERNAME)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server}{target}")


def place(phone: BrowserContext, point: tuple[float, float], accuracy: float = 6) -> None:
    phone.set_geolocation({"longitude": point[0], "latitude": point[1], "accuracy": accuracy})


def dead_network(route) -> None:
    route.abort("internetdisconnected")


def test_a_drive_with_signal_lost_and_a_reload_is_stored_once(
    live_server, e2e_app, phone: BrowserContext, drive
):
    points = drive["points"]
    place(phone, points[0])
    page = phone.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("dialog", lambda dialog: dialog.accept())  # "End the patrol now?"
    sign_in(page, live_server, "/field/")
    status = page.locator("#outbox-status")
    track = page.locator("#track-box")

    # The page's module (field.js, with the track) is ready: the form is theirs.
    expect(page.locator("#field-page")).to_have_attribute("data-outbox", "ready")
    page.locator("#start-road").select_option(f"{ROAD}|{drive['direction']}")
    page.locator("#start-patrol").click()
    expect(page.locator("#patrol-open")).to_be_visible()
    expect(status).to_have_attribute("data-waiting", "0")
    patrol_uuid = page.locator("#patrol-open").get_attribute("data-uuid")
    # The service worker runs: reloaded once with signal, the page and its modules are cached.
    assert page.evaluate("navigator.serviceWorker.ready.then(r => Boolean(r.active))")
    page.reload()
    expect(track).to_have_attribute("data-state", "recording")
    expect(track).not_to_have_attribute("data-kept", "0")  # the first fix, at the start

    # Real time (the server refuses points from the future): the car is where the clock says,
    # the geolocation moved every second; a second the test spent elsewhere is skipped.
    third = DRIVE_SECONDS // 3
    events = {
        third: "offline",
        third + third // 2: "reload",
        2 * third: "online",
        POOR_FIX_SECOND: "poor fix",
        JUMP_SECOND: "jump",
    }
    begun = time.monotonic()
    second = 0
    while second < DRIVE_SECONDS:
        time.sleep(max(0.0, begun + second + 1 - time.monotonic()))
        second = min(DRIVE_SECONDS, max(second + 1, int(time.monotonic() - begun)))
        due = [events.pop(s) for s in sorted(events) if s <= second]
        if "poor fix" in due:
            place(phone, points[second], accuracy=120)
        elif "jump" in due:
            lon, lat = points[second]
            place(phone, (lon + 0.04, lat))  # 3.2 km east
        else:
            place(phone, points[second])
        if "offline" in due:
            # No signal: the browser says so, and every request fails (the service worker's too).
            phone.set_offline(True)
            phone.route("**/api/v1/**", dead_network)
        if "reload" in due:
            kept_before = int(track.get_attribute("data-kept"))
            page.reload()
            expect(page.locator("#field-page")).to_have_attribute("data-page-source", "cache")
            expect(track).to_have_attribute("data-state", "recording")
            assert int(track.get_attribute("data-kept")) >= kept_before
            assert int(track.get_attribute("data-batches-waiting")) >= 1
            screenshot(page, "track-offline-reloaded")
        if "online" in due:
            phone.unroute("**/api/v1/**", dead_network)
            phone.set_offline(False)
    time.sleep(1.5)  # the last fix reaches the page

    page.locator("#end-patrol").click()
    expect(status).to_have_attribute("data-waiting", "0", timeout=60_000)
    phone_kept = int(track.get_attribute("data-kept"))
    phone_dropped = int(track.get_attribute("data-dropped"))
    screenshot(page, "track-ended")
    assert problems == []

    answer = page.request.get(f"{live_server}/api/v1/patrols/{patrol_uuid}/track").json()
    with e2e_app.app_context():
        patrol = db.session.scalar(select(Patrol).where(Patrol.client_uuid == patrol_uuid))
        assert patrol.ended_at is not None
        batches = db.session.scalars(
            select(TrackBatch).where(TrackBatch.patrol_id == patrol.id)
        ).all()
        stored = db.session.scalars(
            select(TrackPoint)
            .where(TrackPoint.patrol_id == patrol.id)
            .order_by(TrackPoint.recorded_at)
        ).all()
        intervals = db.session.scalars(
            select(CoveredInterval).where(CoveredInterval.patrol_id == patrol.id)
        ).all()
        # Stored once: every point the phone kept, no point twice, each batch once.
        assert len({b.batch_uuid for b in batches}) == len(batches) >= 3
        assert sum(b.point_count for b in batches) == len(stored) == phone_kept
        assert len({p.recorded_at for p in stored}) == len(stored)
        assert patrol.track_points == len(stored)
        assert all(p.accuracy_m <= 50 for p in stored)
        # The two bad fixes were dropped on the phone (and said so) and never stored.
        assert phone_dropped == 2
        assert sum(b.dropped_count for b in batches) == 0  # the server kept all it was sent
        assert max(p.lon for p in stored) < points[JUMP_SECOND][0] + 0.01
        assert all(b.created_by_id == patrol.created_by_id for b in batches)
        # The covered range is the drive's, within 50 m at each end.
        assert intervals
        start = min(i.from_chainage for i in intervals)
        end = max(i.to_chainage for i in intervals)
        km = patrol.track_km
    start_error, end_error = abs(start - drive["start"]), abs(end - drive["end"])
    driven_km = drive["driven_m"] / 1000
    print(
        f"\ndrive: {driven_km:.3f} km driven, {km:.3f} km patrolled "
        f"({(km - driven_km) / driven_km:+.2%}); ends off by {start_error:.1f} m and "
        f"{end_error:.1f} m; {len(stored)} points in {len(batches)} batches"
    )
    assert start_error <= 50 and end_error <= 50
    assert km == pytest.approx(driven_km, rel=0.02)
    assert answer["points"] == len(stored) and answer["km"] == pytest.approx(km)
