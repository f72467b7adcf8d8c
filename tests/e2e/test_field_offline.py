"""A crew records findings on a phone, loses signal, reloads; everything arrives exactly once."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from PIL import Image
from PIL.TiffImagePlugin import IFDRational
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect
from sqlalchemy import func, select

from inspection.auth import services as auth_services
from inspection.auth.models import User
from inspection.extensions import db
from inspection.media.models import Photo
from inspection.network import services as network_services
from inspection.network.importing import FieldNames
from inspection.network.models import Road
from inspection.network.sample import demo_network
from inspection.patrols.models import Finding, Patrol
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

USERNAME = "e2e.field"
OTHER_USERNAME = "e2e.field2"  # more crew members, so that each test counts its own findings
THIRD_USERNAME = "e2e.field3"
PASSWORD = "e2e-field-password"
STAKE = "K3505+000"


@pytest.fixture(scope="module")
def field_world(e2e_app) -> dict:
    """The demo roads, a patrol crew member, and the GPS point of G30 K3505+000."""
    with e2e_app.app_context():
        if db.session.scalar(select(func.count()).select_from(Road)) == 0:
            network_services.import_features(db.session, demo_network(), FieldNames())
        crew = ((USERNAME, "李巡查"), (OTHER_USERNAME, "马巡查"), (THIRD_USERNAME, "王巡查"))
        for username, name in crew:
            if db.session.scalar(select(User).where(User.username == username)) is None:
                auth_services.create_user(
                    db.session, username, PASSWORD, ["patrol"], display_name=name
                )
        db.session.commit()
        road = network_services.get_road(db.session, "G30")
        position = network_services.position_of_stake(db.session, road, 3_505_000.0)
        return {"lon": position.lon, "lat": position.lat, "direction": road.direction}


@pytest.fixture
def photo_path(tmp_path: Path) -> Path:
    """A wide JPEG with the EXIF a phone camera writes (time with offset, GPS position)."""
    image = Image.new("RGB", (3000, 1200), (90, 90, 90))
    exif = Image.Exif()
    taken = exif.get_ifd(0x8769)
    taken[0x9003] = "2026:05:01 09:30:15"
    taken[0x9011] = "+08:00"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (IFDRational(43), IFDRational(52), IFDRational(1234, 100))
    gps[3], gps[4] = "E", (IFDRational(87), IFDRational(37), IFDRational(3))
    path = tmp_path / "pothole.jpg"
    image.save(path, exif=exif, quality=80)
    return path


def sign_in(page: Page, live_server: str, target: str, username: str = USERNAME) -> None:
    page.goto(f"{live_server}/login?next={target}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server}{target}")


def word(page: Page, block: str, name: str) -> str:
    """Return a word the page's script shows, from its JSON block (translated by the server)."""
    return page.evaluate(
        "([block, name]) => JSON.parse(document.getElementById(block).textContent)[name]",
        [block, name],
    )


def watch_for_problems(page: Page) -> list[str]:
    """Collect script errors and Content-Security-Policy refusals on a page."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return problems


def findings_of_user(e2e_app, username: str = USERNAME) -> list[dict]:
    with e2e_app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        rows = db.session.scalars(
            select(Finding).where(Finding.created_by_id == user.id).order_by(Finding.id)
        ).all()
        return [
            {
                "uuid": str(f.client_uuid),
                "kind": f.kind,
                "chainage": f.chainage,
                "patrol": f.patrol.client_uuid if f.patrol else None,
                "photos": db.session.scalars(select(Photo).where(Photo.finding_id == f.id)).all(),
            }
            for f in rows
        ]


def test_findings_saved_offline_arrive_exactly_once(
    live_server, e2e_app, phone: BrowserContext, field_world, photo_path
):
    phone.set_geolocation(
        {"longitude": field_world["lon"], "latitude": field_world["lat"], "accuracy": 6}
    )
    page = phone.new_page()
    problems = watch_for_problems(page)
    sign_in(page, live_server, "/field/")
    status = page.locator("#outbox-status")

    # Start a patrol on G30; the start goes through the outbox and is confirmed by the server.
    page.locator("#start-road").select_option(f"G30|{field_world['direction']}")
    page.locator("#start-vehicle").fill("新A·12345")
    page.locator("#start-patrol").click()
    expect(page.locator("#patrol-open")).to_be_visible()
    expect(page.locator('[data-fact="road"]')).to_contain_text("G30")
    expect(status).to_have_attribute("data-waiting", "0")
    # The service worker has installed (it caches the field pages for the offline reload below).
    assert page.evaluate("navigator.serviceWorker.ready.then(r => Boolean(r.active))")
    screenshot(page, "field-patrol-open")

    # New finding: the GPS fix gives the stake, shown for the crew to confirm.
    page.locator("#new-finding-link").click()
    expect(page).to_have_url(f"{live_server}/field/finding")
    expect(page.locator("#f-stake")).to_have_value(STAKE)
    expect(page.locator("#stake-hint")).to_contain_text(STAKE)
    page.locator('[data-kind="pothole"]').click()
    page.locator("#f-quantity").fill("0.6")
    page.locator("#f-depth").fill("40")
    page.locator("#f-photo").set_input_files(str(photo_path))
    expect(page.locator("#photo-list img")).to_have_count(1)
    screenshot(page, "field-new-finding")
    page.locator("#save-finding").click()
    expect(page.locator("#form-message")).to_have_class("notice notice-ok")
    expect(status).to_have_attribute("data-waiting", "0", timeout=15_000)
    expect(page.locator("#f-stake")).to_have_value(STAKE)  # located again for the next finding

    # No signal: two more findings with typed stakes wait on the phone.
    phone.set_offline(True)
    page.locator('[data-kind="pothole"]').click()
    page.locator("#f-stake").fill("K3506+200")
    page.locator("#f-quantity").fill("1.5")
    page.locator("#f-photo").set_input_files(str(photo_path))
    expect(page.locator("#photo-list img")).to_have_count(1)
    page.locator("#save-finding").click()
    expect(status).to_have_attribute("data-records", "1")
    expect(status).to_have_attribute("data-photos", "1")

    page.locator('[data-kind="pavement_distress"]').click()
    page.locator("#f-distress").select_option("alligator_cracking")
    page.locator('#severity-choices input[value="medium"] + span').click()
    page.locator("#f-quantity").fill("12")
    page.locator("#f-stake").fill("K3507+450")
    page.locator('input[name="side"][value="right"] + span').click()
    page.locator("#save-finding").click()
    expect(status).to_have_attribute("data-records", "2")
    expect(status).to_have_attribute("data-waiting", "3")

    # Reload without signal: the service worker serves the page, the outbox still holds all.
    page.reload()
    expect(page.locator("#finding-page")).to_have_attribute("data-page-source", "cache")
    expect(status).to_have_attribute("data-waiting", "3")
    screenshot(page, "field-offline-waiting")

    # The last resort: the outbox as a file, photos included.
    page.locator("#outbox-card a[href='/field/']").click()
    expect(page.locator("#field-page")).to_have_attribute("data-page-source", "cache")
    expect(page.locator("#todays-findings li.pending")).to_have_count(2)
    with page.expect_download() as download:
        page.locator("[data-outbox-export]").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["version"] == 1 and exported["exported_at"]
    # The patrol's track batches wait too (the field page records the track); the findings:
    entries = [e for e in exported["entries"] if not (e.get("url") or "").endswith("/track")]
    assert [e["kind"] for e in entries] == ["record", "photo", "record"]
    assert base64.b64decode(entries[1]["bytes_base64"])[:2] == b"\xff\xd8"

    # Signal again: the `online` event sends them.
    phone.set_offline(False)
    expect(status).to_have_attribute("data-waiting", "0", timeout=20_000)
    expect(page.locator("#todays-findings .tag-sent")).to_have_count(2)
    screenshot(page, "field-synced")

    assert problems == []
    findings = findings_of_user(e2e_app)
    assert len(findings) == 3
    assert len({f["uuid"] for f in findings}) == 3
    assert [f["kind"] for f in findings] == ["pothole", "pothole", "pavement_distress"]
    assert [round(f["chainage"]) for f in findings] == [3_505_000, 3_506_200, 3_507_450]
    with e2e_app.app_context():
        patrol = db.session.scalar(select(Patrol).order_by(Patrol.id.desc()))
        assert {f["patrol"] for f in findings} == {patrol.client_uuid}
    first, second, third = findings
    assert len(first["photos"]) == 1 and len(second["photos"]) == 1 and not third["photos"]
    photo = first["photos"][0]
    assert (photo.width, photo.height) == (2048, 819)  # resized on the phone, long side 2048
    assert photo.exif_taken_at == "2026-05-01T09:30:15+08:00"  # read by the phone before resizing
    assert photo.exif_lat == pytest.approx(43.8700944) and photo.exif_lon == pytest.approx(87.6175)


def test_a_refused_finding_waits_until_the_crew_corrects_it(
    live_server, e2e_app, phone: BrowserContext, field_world, photo_path
):
    # Far from any road: the server finds no road to derive a stake from.
    phone.set_geolocation({"longitude": 80.0, "latitude": 40.0, "accuracy": 6})
    page = phone.new_page()
    sign_in(page, live_server, "/field/finding", OTHER_USERNAME)
    status = page.locator("#outbox-status")
    expect(page.locator("#stake-hint")).to_be_visible()
    expect(page.locator("#f-stake")).to_have_value("")

    page.locator('[data-kind="pothole"]').click()
    page.locator("#f-road").select_option(f"G30|{field_world['direction']}")
    page.locator("#f-stake").fill("K9999+000")  # beyond the end of G30
    page.locator("#f-quantity").fill("0.3")
    page.locator("#save-finding").click()
    expect(status).to_have_attribute("data-attention", "1")
    expect(page.locator("#attention-list li")).to_have_count(1)

    # Signing out would lose it: refused with a message.
    # The alert is answered as it opens: a click that waited with the alert still open hung once
    # (Playwright's wait for the click's navigations needs the page, which the alert blocks).
    alerts: list[str] = []

    def answer(dialog) -> None:
        alerts.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    page.get_by_role("button", name="退出登录").click()
    expect(page.locator("#attention-card")).to_be_visible()
    for _ in range(100):  # the alert follows the outbox's IndexedDB read
        if alerts:
            break
        page.wait_for_timeout(100)
    assert len(alerts) == 1 and alerts[0]
    assert page.url == f"{live_server}/field/finding"

    # The crew corrects the stake; the same record (same UUID) is sent again.
    page.locator("#attention-list button").click()
    expect(page.locator("#f-stake")).to_have_value("K9999+000")
    expect(page.locator("#form-message")).to_have_class("notice notice-error")
    page.locator("#f-stake").fill("K3510+000")
    page.locator("#save-finding").click()
    expect(status).to_have_attribute("data-waiting", "0")
    expect(page.locator("#attention-card")).to_be_hidden()

    # Another crew member's pothole at the same stake: the page offers to add photos to it.
    page.locator('[data-kind="pothole"]').click()
    page.locator("#f-stake").fill("K3510+000")
    page.locator("#f-stake").dispatch_event("change")
    expect(page.locator("#nearby-list li")).to_have_count(1)
    page.locator("#nearby-list button").click()
    expect(page.locator("#attach-banner")).to_be_visible()
    expect(page.locator('[data-kind="pothole"]')).to_be_hidden()
    page.locator("#f-photo").set_input_files(str(photo_path))
    expect(page.locator("#photo-list img")).to_have_count(1)
    page.locator("#save-finding").click()
    expect(page.locator("#form-message")).to_have_text(word(page, "finding-words", "photos_saved"))
    expect(status).to_have_attribute("data-waiting", "0")

    findings = findings_of_user(e2e_app, OTHER_USERNAME)
    assert [round(f["chainage"]) for f in findings] == [3_510_000]
    assert len(findings[0]["photos"]) == 1


def test_only_an_answer_naming_the_record_empties_the_outbox(
    live_server, e2e_app, phone: BrowserContext, field_world
):
    page = phone.new_page()
    sign_in(page, live_server, "/field/finding", THIRD_USERNAME)
    status = page.locator("#outbox-status")
    answers = [
        {"status": 503, "json": {"error": {"code": "unavailable", "message": "down"}}},
        {"status": 200, "content_type": "text/html", "body": "<html>Wi-Fi login</html>"},
    ]
    page.route(
        "**/api/v1/findings",
        lambda route: (
            route.fulfill(**answers.pop(0))
            if route.request.method == "POST" and answers
            else route.continue_()
        ),
    )

    def posted(response) -> bool:
        return response.url.endswith("/api/v1/findings") and response.request.method == "POST"

    page.locator('[data-kind="roadside_facility"]').click()
    page.locator("#f-road").select_option(f"G30|{field_world['direction']}")
    page.locator("#f-stake").fill("K3515+000")
    with page.expect_response(posted) as first:
        page.locator("#save-finding").click()
    assert first.value.status == 503
    expect(status).to_have_attribute("data-sending", "no")
    expect(status).to_have_attribute("data-waiting", "1")

    with page.expect_response(posted) as second:
        page.locator("[data-outbox-send]").click()
    assert second.value.status == 200  # a page that is not the server's answer
    expect(status).to_have_attribute("data-sending", "no")
    expect(status).to_have_attribute("data-waiting", "1")

    page.locator("[data-outbox-send]").click()
    expect(status).to_have_attribute("data-waiting", "0")
    findings = findings_of_user(e2e_app, THIRD_USERNAME)
    assert [(f["kind"], round(f["chainage"])) for f in findings] == [
        ("roadside_facility", 3_515_000)
    ]


def test_new_finding_fits_a_360_px_phone(
    live_server, playwright: Playwright, browser: Browser, field_world
):
    context = browser.new_context(
        **{**playwright.devices["Pixel 7"], "viewport": {"width": 360, "height": 760}},
        locale="zh-CN",
    )
    try:
        page = context.new_page()
        sign_in(page, live_server, "/field/finding")
        for kind in ("pavement_distress", "safety_hazard", "slope_damage"):
            page.locator(f'[data-kind="{kind}"]').click()
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{kind}: the page is {width} px wide"
        heights = page.locator("#finding-form .btn, #finding-form .choice span").evaluate_all(
            "els => els.filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)"
        )
        assert heights and min(heights) >= 48
        screenshot(page, "field-new-finding-360")
    finally:
        context.close()


def test_diagnostics_page_reports_what_the_browser_supports(live_server, page: Page):
    page.goto(f"{live_server}/diagnostics")
    for check in ("secure", "service_worker", "indexeddb", "subtle", "bitmap", "camera"):
        expect(page.locator(f'[data-check="{check}"]')).to_have_attribute("data-result", "yes")
    expect(page.locator('[data-check="geolocation"]')).to_have_attribute("data-result", "yes")
    page.locator("#try-gps").click()
    expect(page.locator("#try-result")).to_contain_text("87.6168")
    manifest = page.request.get(f"{live_server}/manifest.webmanifest").json()
    assert manifest["start_url"] == "/field/" and manifest["display"] == "standalone"
    assert page.request.get(f"{live_server}{manifest['icons'][0]['src']}").ok


def test_a_shared_phone_sends_each_finding_under_its_makers_session(
    live_server, e2e_app, phone: BrowserContext, field_world, outage
):
    crew1, crew2 = "e2e.shared1", "e2e.shared2"
    with e2e_app.app_context():
        for username in (crew1, crew2):
            if db.session.scalar(select(User).where(User.username == username)) is None:
                auth_services.create_user(db.session, username, PASSWORD, ["patrol"])
        db.session.commit()

    # crew2 saves a finding without signal; signing out is blocked, so the browser is closed.
    page = phone.new_page()
    sign_in(page, live_server, "/field/finding", crew2)
    status = page.locator("#outbox-status")

    # No signal for crew2's page: every API call fails, made at the server so that nothing (the
    # page, the service worker, a retry) can slip past it. (A browser-side route did not see
    # every request once the service worker controlled the page; set_offline raced with the
    # phone's own retry in slow runs.)
    with outage.down():
        page.locator('[data-kind="roadside_facility"]').click()
        page.locator("#f-road").select_option(f"G30|{field_world['direction']}")
        page.locator("#f-stake").fill("K3516+000")
        page.locator("#save-finding").click()
        expect(status).to_have_attribute("data-waiting", "1")
        page.close()
        # Closing the browser ends crew2's session. Clearing the cookie alone raced: a page
        # request still in flight (the service worker revalidating its cache) answered with
        # crew2's cookie again, and the phone's retry then rightly sent the finding as crew2's.
        with e2e_app.app_context():
            crew2_user = db.session.scalar(select(User).where(User.username == crew2))
            auth_services.end_sessions(db.session, crew2_user)
            db.session.commit()
        phone.clear_cookies()
    assert findings_of_user(e2e_app, crew2) == []

    # The sign-in page says what waits on this phone, and for whom.
    page = phone.new_page()
    problems = watch_for_problems(page)
    page.goto(f"{live_server}/login")
    expect(page.locator("#outbox-signin")).to_be_visible()
    expect(page.locator("#outbox-signin")).to_contain_text(crew2)

    # crew1 signs in online: crew2's finding stays on the phone, counted for crew2.
    sign_in(page, live_server, "/field/finding", crew1)
    status = page.locator("#outbox-status")
    expect(status).to_have_attribute("data-others", "1")
    page.locator("[data-outbox-send]").click()
    expect(status).to_have_attribute("data-sending", "no")
    expect(status).to_have_attribute("data-waiting", "0")
    expect(status).to_have_attribute("data-attention", "0")
    expect(status.locator(".outbox-others")).to_contain_text(crew2)
    assert findings_of_user(e2e_app, crew1) == []
    assert findings_of_user(e2e_app, crew2) == []

    # crew1 may sign out (nothing of theirs waits); crew2 signs in and it is sent as crew2's.
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(f"{live_server}/login")
    expect(page.locator("#outbox-signin")).to_contain_text(crew2)
    sign_in(page, live_server, "/field/finding", crew2)
    expect(status).to_have_attribute("data-waiting", "0", timeout=15_000)
    expect(status).to_have_attribute("data-others", "0")
    assert findings_of_user(e2e_app, crew1) == []
    assert [round(f["chainage"]) for f in findings_of_user(e2e_app, crew2)] == [3_516_000]
    assert problems == []
