"""The map page in Chromium: the demo records on desktop and phone, loaded by bbox."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from inspection.auth.models import User
from inspection.extensions import db
from tests.e2e.conftest import screenshot
from tests.integration.ogc.seed import PASSWORD, seed_world

pytestmark = pytest.mark.e2e

PREFIX = "e2emap"
LAYERS = ("roads", "findings", "hazards", "repairs", "survey_units")


@pytest.fixture(scope="module")
def map_world(e2e_app) -> str:
    """The demo roads with findings, hazards (one overdue), repairs and a survey; the reader."""
    with e2e_app.app_context():
        username = f"{PREFIX}.manager"
        if db.session.scalar(select(User).where(User.username == username)) is None:
            seed_world(db.session, prefix=PREFIX)
            db.session.commit()
        db.session.remove()
    return username


def sign_in(page: Page, live_server: str, username: str) -> None:
    page.goto(f"{live_server}/login?next=/map")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server}/map")


def watch(page: Page) -> list[str]:
    """Collect script errors and Content-Security-Policy refusals."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return problems


def loaded(page: Page) -> dict[str, int]:
    """Wait until no layer is loading; return how many features each layer holds."""
    map_element = page.locator("#map")
    for layer in LAYERS:
        expect(map_element).to_have_attribute(f"data-loaded-{layer}", re.compile(r"\d+"))
    expect(map_element).to_have_attribute("data-pending", "0", timeout=15_000)
    return {layer: int(map_element.get_attribute(f"data-loaded-{layer}")) for layer in LAYERS}


def drawn(page: Page, pane: str) -> int:
    return page.locator(f".leaflet-{pane}-pane path").count()


def test_the_map_shows_every_layer_on_a_desktop(live_server, browser: Browser, map_world):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    problems = watch(page)
    sign_in(page, live_server, map_world)
    counts = loaded(page)
    assert counts["roads"] == 3
    assert counts["findings"] >= 6 and counts["hazards"] >= 2 and counts["repairs"] >= 1
    assert counts["survey_units"] >= 20
    assert drawn(page, "findings") == counts["findings"]
    assert drawn(page, "hazards") == counts["hazards"]
    # The overdue hazard is drawn red; the legend explains the colours.
    assert page.locator('.leaflet-hazards-pane path[fill="#d7191c"]').count() >= 1
    expect(page.locator(".leaflet-control-layers")).to_contain_text("安全隐患")
    expect(page.locator("#download-findings")).to_have_attribute(
        "href", "/ogc/collections/findings/items?limit=10000&f=json"
    )
    screenshot(page, "map-desktop")

    # A popup links to the record.
    page.locator(".leaflet-hazards-pane path").first.click(force=True)
    expect(page.locator(".map-popup a")).to_have_attribute("href", re.compile(r"/hazards/\d+$"))

    # A filter reloads the layers and the download links with it.
    page.locator("#filter-kind").select_option("findings:pothole")
    page.locator("#map-filters button[type=submit]").click()
    after = loaded(page)
    assert 0 < after["findings"] < counts["findings"]
    assert after["hazards"] == counts["hazards"]  # a finding kind leaves the other layers alone
    expect(page.locator("#download-findings")).to_have_attribute(
        "href", "/ogc/collections/findings/items?kind=pothole&limit=10000&f=json"
    )
    assert problems == []
    context.close()


def test_moving_the_map_loads_only_the_features_of_the_new_bbox(
    live_server, browser: Browser, map_world
):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = context.new_page()
    problems = watch(page)
    answers: list[dict] = []

    def keep(response) -> None:
        if "/ogc/collections/findings/items" in response.url and response.ok:
            answers.append({"url": response.url, "body": response.json()})

    page.on("response", keep)
    sign_in(page, live_server, map_world)
    before = loaded(page)
    first_bbox = page.locator("#map").get_attribute("data-bbox-findings")

    # Zoom in three steps on the middle of the view, then drag the map to the side.
    for _ in range(3):
        page.locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(350)
    box = page.locator("#map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 250, y + 40, steps=8)
    page.mouse.up()
    page.wait_for_timeout(400)
    after = loaded(page)
    new_bbox = page.locator("#map").get_attribute("data-bbox-findings")
    assert new_bbox != first_bbox

    # The last answer was asked for the new bbox, and holds only what lies inside it.
    last = answers[-1]
    asked = parse_qs(urlsplit(last["url"]).query)
    assert asked["bbox"] == [new_bbox]
    west, south, east, north = (float(v) for v in new_bbox.split(","))
    for feature in last["body"]["features"]:
        coordinates = feature["geometry"]["coordinates"]
        points = [coordinates] if feature["geometry"]["type"] == "Point" else coordinates
        assert any(west <= lon <= east and south <= lat <= north for lon, lat in points)
    # The layer holds exactly that answer: the features of the old view are gone.
    assert after["findings"] == last["body"]["numberReturned"] == drawn(page, "findings")
    assert after["findings"] < before["findings"]
    # At this zoom the roads carry their kilometre stakes.
    assert int(page.locator("#map").get_attribute("data-loaded-stakes")) > 0
    expect(page.locator(".stake-label").first).to_have_text(re.compile(r"^K\d+$"))
    screenshot(page, "map-desktop-zoomed")
    assert problems == []
    context.close()


def test_the_map_on_a_phone_with_locate_me(live_server, phone: BrowserContext, map_world):
    page = phone.new_page()
    problems = watch(page)
    sign_in(page, live_server, map_world)
    counts = loaded(page)
    assert all(counts[layer] > 0 for layer in LAYERS)
    expect(page.locator("#map-panel")).not_to_have_attribute("open", "")
    expect(page.locator("#locate-me")).to_be_visible()
    box = page.locator("#locate-me").bounding_box()
    assert box["height"] >= 44  # big enough for a gloved thumb
    screenshot(page, "map-phone")

    page.locator("#locate-me").click()
    expect(page.locator("#map")).to_have_attribute("data-located", "87.616800,43.825600")
    loaded(page)
    screenshot(page, "map-phone-located")
    assert problems == []


def test_an_optional_tile_layer_is_drawn_below_the_records(
    live_server, e2e_app, browser: Browser, map_world
):
    # Tiles from this site stand in for a tile server (天地图 or OpenStreetMap in production).
    saved = {name: e2e_app.config.get(name) for name in ("MAP_TILE_URL", "MAP_TILE_LABELS_URL")}
    e2e_app.config["MAP_TILE_URL"] = "/static/vendor/leaflet/images/layers.png?z={z}&x={x}&y={y}"
    e2e_app.config["MAP_TILE_LABELS_URL"] = "/static/vendor/leaflet/images/layers-2x.png?{z}"
    try:
        context = browser.new_context(viewport={"width": 1024, "height": 700})
        page = context.new_page()
        problems = watch(page)
        sign_in(page, live_server, map_world)
        loaded(page)
        expect(page.locator(".leaflet-tile-loaded").first).to_be_visible()
        assert page.locator(".leaflet-tile-pane .leaflet-layer").count() == 2  # base and labels
        expect(page.locator(".leaflet-control-layers-base input")).to_have_count(2)  # none, tiles
        assert problems == []
        context.close()
    finally:
        e2e_app.config.update(saved)


def test_a_big_layer_is_drawn_from_vector_tiles_at_low_zoom(
    live_server, e2e_app, browser: Browser, map_world
):
    # Any layer with more records than MAP_TILES_FROM uses tiles below zoom 12: 0 makes the
    # demo's few records do so.
    e2e_app.config["MAP_TILES_FROM"] = 0
    try:
        context = browser.new_context(viewport={"width": 1024, "height": 700}, locale="en-US")
        page = context.new_page()
        problems = watch(page)
        tiles: list[tuple[int, str]] = []

        def keep(response) -> None:
            if "/tiles/WebMercatorQuad/" in response.url:
                tiles.append((response.status, response.headers.get("content-type", "")))

        page.on("response", keep)
        sign_in(page, live_server, map_world)
        map_element = page.locator("#map")
        expect(map_element).to_have_attribute("data-mode-findings", "tiles")
        expect(map_element).to_have_attribute("data-pending", "0", timeout=15_000)
        # Canvas tiles in the findings pane, filled from answers in the vector tile format.
        expect(page.locator(".leaflet-findings-pane canvas.leaflet-tile").first).to_be_attached()
        page.wait_for_function(
            "document.querySelectorAll('.leaflet-findings-pane canvas.leaflet-tile').length > 0"
        )
        assert tiles and all(
            status in (200, 304) and (status == 304 or "vnd.mapbox-vector-tile" in kind)
            for status, kind in tiles
        )
        assert drawn(page, "findings") == 0  # no GeoJSON markers at this zoom
        screenshot(page, "map-tiles")

        # A filter asks for tiles of that kind only.
        page.locator("#filter-kind").select_option("findings:pothole")
        page.locator("#map-filters button[type=submit]").click()
        page.wait_for_timeout(800)
        urls = page.evaluate(
            "performance.getEntriesByType('resource').map(e => e.name)"
            ".filter(u => u.includes('/findings/tiles/'))"
        )
        assert any("kind=pothole" in url for url in urls)

        # From zoom 12 the records come as GeoJSON again, with their popups.
        page.evaluate("document.getElementById('map')")
        page.locator("#filter-kind").select_option("")
        page.locator("#map-filters button[type=submit]").click()
        for _ in range(12):
            if page.locator("#map").get_attribute("data-mode-findings") == "geojson":
                break
            page.locator(".leaflet-control-zoom-in").click()
            page.wait_for_timeout(350)
        expect(map_element).to_have_attribute("data-mode-findings", "geojson")
        assert problems == []
        context.close()
    finally:
        e2e_app.config.pop("MAP_TILES_FROM", None)
