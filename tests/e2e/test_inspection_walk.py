"""A safety officer walks a checklist at a site on a phone without signal; it arrives exactly once.

Issue #11 item 5: one inspection, two hazards (the two items that do not meet), one photo,
nothing twice — after a reload served by the service worker while offline.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect
from sqlalchemy import select

from inspection.auth import services as auth_services
from inspection.auth.models import User
from inspection.extensions import db
from inspection.hazards.models import Hazard
from inspection.inspections.models import Inspection, InspectionItem, InspectionTemplate
from inspection.inspections.models import InspectionTemplateItem as TemplateItem
from inspection.media.models import Photo
from inspection.sites import services as site_services
from inspection.sites.models import Site
from tests.e2e.conftest import screenshot
from tests.e2e.test_field_offline import watch_for_problems

pytestmark = pytest.mark.e2e

OFFICER = "e2e.walk.officer"
PASSWORD = "e2e-walk-password"
NEAR_SITE = "e2e 乌鲁木齐东收费站"
FAR_SITE = "e2e 达坂城服务区"
TEMPLATE = "e2e 收费站五项检查表"
# The site the officer stands at, and one 50 km away (offered later in the list).
NEAR = (87.6500, 43.8300)
FAR = (88.3000, 43.3600)
# Five items; the two that will not meet have different categories, so each raises its own
# hazard (an unmet item links to an open hazard of the same category at the same site).
ITEMS = (
    ("fire_safety", "灭火器配置齐全、压力正常、在检验有效期内", "fire_safety"),
    ("fire_safety", "消防通道、安全出口畅通，应急照明和疏散指示完好", "fire_safety"),
    ("electricity", "配电箱（柜）上锁、标识清楚，无裸露带电部位", "electrical"),
    ("office_living", "食堂燃气管道、阀门无泄漏，燃气报警器有效", "office_living"),
    ("office_living", "宿舍无违规电器，无私拉电线", "office_living"),
)
# Per item: the answer given on the phone.
ANSWERS = ("meets", "does_not_meet", "meets", "does_not_meet", "not_applicable")


@pytest.fixture(scope="module")
def walk_world(e2e_app) -> dict:
    """A safety officer, two sites and a five-item checklist (made through services and the DB)."""
    with e2e_app.app_context():
        if db.session.scalar(select(User).where(User.username == OFFICER)) is None:
            auth_services.create_user(
                db.session, OFFICER, PASSWORD, ["safety_officer"], display_name="张安全"
            )
        sites = {}
        for name, kind, (lon, lat) in (
            (NEAR_SITE, "toll_station", NEAR),
            (FAR_SITE, "service_area", FAR),
        ):
            site = db.session.scalar(select(Site).where(Site.name == name))
            if site is None:
                site = site_services.create_site(
                    db.session, site_services.SiteInput(name=name, kind=kind, lon=lon, lat=lat)
                )
            sites[name] = site.id
        template = db.session.scalar(
            select(InspectionTemplate).where(InspectionTemplate.name == TEMPLATE)
        )
        if template is None:
            template = InspectionTemplate(
                name=TEMPLATE,
                kind="routine",
                active=True,
                items=[
                    TemplateItem(position=n, section=s, name=name, hazard_category=c)
                    for n, (s, name, c) in enumerate(ITEMS, start=1)
                ],
            )
            db.session.add(template)
        db.session.commit()
        return {"near": sites[NEAR_SITE], "far": sites[FAR_SITE], "template": template.id}


@pytest.fixture
def photo_path(tmp_path: Path) -> Path:
    path = tmp_path / "wiring.jpg"
    Image.new("RGB", (2400, 1800), (160, 60, 40)).save(path, quality=80)
    return path


def sign_in(page: Page, live_server: str, target: str) -> None:
    page.goto(f"{live_server}/login?next={target}")
    page.get_by_label("用户名").fill(OFFICER)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server}{target}")


def stored(e2e_app) -> dict:
    """What the server holds of this officer's inspections."""
    with e2e_app.app_context():
        officer = db.session.scalar(select(User).where(User.username == OFFICER))
        inspections = db.session.scalars(
            select(Inspection).where(Inspection.created_by_id == officer.id)
        ).all()
        ids = [i.id for i in inspections]
        items = db.session.scalars(
            select(InspectionItem)
            .where(InspectionItem.inspection_id.in_(ids))
            .order_by(InspectionItem.position)
        ).all()
        hazards = db.session.scalars(
            select(Hazard).where(Hazard.inspection_id.in_(ids)).order_by(Hazard.id)
        ).all()
        photos = db.session.scalars(
            select(Photo).where(Photo.inspection_item_id.in_([i.id for i in items]))
        ).all()
        photo_owners = [p.inspection_item_id for p in photos]
        return {
            "inspections": [(i.kind, [s.id for s in i.sites]) for i in inspections],
            "items": [(i.name, i.result, i.site_id, i.hazard_id) for i in items],
            # position → how many photos the item has
            "item_photos": {i.position: photo_owners.count(i.id) for i in items},
            "hazards": [(h.id, h.category, h.grade, h.site_id, h.source) for h in hazards],
            "photos": len(photos),
        }


def test_a_checklist_walked_offline_arrives_exactly_once(
    live_server, e2e_app, phone: BrowserContext, walk_world, photo_path
):
    # The officer stands about 100 m from the near site.
    phone.set_geolocation({"longitude": NEAR[0] + 0.0012, "latitude": NEAR[1], "accuracy": 8})
    page = phone.new_page()
    problems = watch_for_problems(page)
    sign_in(page, live_server, "/field/")
    page.locator("#walk-link").click()
    expect(page).to_have_url(f"{live_server}/field/inspection")
    status = page.locator("#outbox-status")

    # The service worker keeps the page for the offline reload below.
    page.wait_for_function(
        "navigator.serviceWorker.ready.then(() => caches.match('/field/inspection')).then(Boolean)"
    )
    # Sites nearest first, from the GPS fix (and the server's ?near= answer while online).
    first_site = page.locator("#site-choices input[name=site]").first
    expect(first_site).to_have_value(str(walk_world["near"]))
    expect(page.locator("#site-choices .site-choice").first).to_contain_text("m")
    expect(page.locator("#sites-hint")).to_be_visible()

    # No signal from here on.
    phone.set_offline(True)
    expect(page.locator('input[name="kind"][value="routine"]')).to_be_checked()
    page.locator("#w-template").select_option(str(walk_world["template"]))
    items = page.locator(".walk-item")
    expect(items).to_have_count(5)
    page.locator("#site-choices .site-choice span").first.click()

    for index, answer in enumerate(ANSWERS):
        items.nth(index).locator(f".result-{answer} span").click()
        expect(items.nth(index)).to_have_class(f"walk-item is-{answer}")
    unmet = items.nth(1)
    expect(unmet.locator(".grade-row")).to_be_visible()
    unmet.locator('[data-role="grade"][value="major"] + span').click()
    unmet.locator('[data-role="note"]').fill("安全出口堆放杂物")

    # The page is lost mid-walk (phones drop a tab while the camera is open): the answers
    # come back from the draft kept on the phone, served offline by the service worker.
    page.reload()
    expect(page.locator("#form-message")).to_have_class("notice notice-info")
    expect(items).to_have_count(5)
    for index, answer in enumerate(ANSWERS):
        expect(items.nth(index)).to_have_class(f"walk-item is-{answer}")
    expect(unmet.locator('[data-role="grade"][value="major"]')).to_be_checked()
    expect(unmet.locator('[data-role="note"]')).to_have_value("安全出口堆放杂物")
    expect(page.locator('#site-choices input[name="site"]').first).to_be_checked()

    unmet.locator('[data-role="photo"]').set_input_files(str(photo_path))
    expect(unmet.locator('[data-role="photos"] img')).to_have_count(1)
    items.nth(3).locator('[data-role="note"]').fill("燃气报警器无电")
    # Items that meet keep their note and photo behind a button (a long list stays short).
    expect(items.nth(0).locator('[data-role="note"]')).to_be_hidden()
    items.nth(2).locator('[data-role="more"]').click()
    expect(items.nth(2).locator('[data-role="note"]')).to_be_visible()
    expect(items.nth(2).locator(".grade-row")).to_be_hidden()
    expect(page.locator("#walk-tally")).to_contain_text("2")

    # Fits the phone: nothing wider than the screen, every button a glove can hit.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width} px wide"
    heights = page.locator("#walk-form .btn, #walk-form .choice span").evaluate_all(
        "els => els.filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 48, heights
    page.screenshot(path="/tmp/walk.png", full_page=True)
    screenshot(page, "inspection-walk")

    page.locator("#save-walk").click()
    expect(page.locator("#form-message")).to_have_class("notice notice-ok")
    expect(status).to_have_attribute("data-records", "1")
    expect(status).to_have_attribute("data-photos", "1")
    expect(page.locator("#walk-list li")).to_have_count(1)
    expect(page.locator("#walk-list li")).to_have_attribute("data-state", "waiting")
    expect(items.nth(0).locator(".result-row input:checked")).to_have_count(0)  # fresh

    # Reload without signal: the service worker serves the page, the outbox still holds it.
    page.reload()
    expect(page.locator("#walk-page")).to_have_attribute("data-page-source", "cache")
    expect(status).to_have_attribute("data-waiting", "2")
    expect(page.locator("#walk-list li")).to_have_attribute("data-state", "waiting")
    expect(page.locator("#site-choices input[name=site]").first).to_have_value(
        str(walk_world["near"])
    )
    assert stored(e2e_app)["inspections"] == []
    screenshot(page, "inspection-walk-offline-waiting")

    # Signal again: the `online` event sends the record, then its photo.
    phone.set_offline(False)
    expect(status).to_have_attribute("data-waiting", "0", timeout=20_000)
    expect(page.locator("#walk-list li")).to_have_attribute("data-state", "sent")
    # A second "send now" has nothing left to send.
    page.locator("[data-outbox-send]").click()
    expect(status).to_have_attribute("data-sending", "no")
    screenshot(page, "inspection-walk-sent")

    assert problems == []
    server = stored(e2e_app)
    assert len(server["inspections"]) == 1
    assert server["inspections"] == [("routine", [walk_world["near"]])]
    assert len(server["items"]) == 5
    assert [i[1] for i in server["items"]] == list(ANSWERS)
    assert {i[2] for i in server["items"]} == {walk_world["near"]}
    assert len(server["hazards"]) == 2
    assert len({h[0] for h in server["hazards"]}) == 2
    assert [(h[1], h[2], h[3], h[4]) for h in server["hazards"]] == [
        ("fire_safety", "major", walk_world["near"], "self_inspection"),
        ("office_living", "general", walk_world["near"], "self_inspection"),
    ]
    unmet_hazards = [i[3] for i in server["items"] if i[1] == "does_not_meet"]
    assert sorted(unmet_hazards) == sorted(h[0] for h in server["hazards"])
    assert server["photos"] == 1
    assert server["item_photos"] == {1: 0, 2: 1, 3: 0, 4: 0, 5: 0}


def test_the_walk_fits_a_360_px_phone(
    live_server, playwright: Playwright, browser: Browser, walk_world
):
    context = browser.new_context(
        **{**playwright.devices["Pixel 7"], "viewport": {"width": 360, "height": 760}},
        locale="zh-CN",
    )
    try:
        page = context.new_page()
        sign_in(page, live_server, "/field/inspection")
        page.locator("#w-template").select_option(str(walk_world["template"]))
        items = page.locator(".walk-item")
        items.nth(0).locator(".result-does_not_meet span").click()
        items.nth(1).locator(".result-meets span").click()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the page is {width} px wide"
        heights = page.locator("#walk-form .btn, #walk-form .choice span").evaluate_all(
            "els => els.filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)"
        )
        assert heights and min(heights) >= 48
        screenshot(page, "inspection-walk-360")
    finally:
        context.close()
