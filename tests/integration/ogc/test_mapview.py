"""The map page (served HTML and its settings) and the kilometre-stake labels."""

from __future__ import annotations

import json
import re

import pytest

from inspection.mapview import views as mapview
from inspection.network import services as network


def map_config(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="map-config">(.*?)</script>', html, re.S)
    assert match, "no map config in the page"
    return json.loads(match.group(1))


def test_the_page_reads_every_layer_from_the_ogc_items(client, login_as, roads):
    login_as("manager")
    answer = client.get("/map")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    config = map_config(html)
    assert [layer["items"] for layer in config["layers"]] == [
        f"/ogc/collections/{name}/items"
        for name in (
            "roads",
            "findings",
            "hazards",
            "repairs",
            "survey_units",
            "sites",
            "patrol_coverage",
        )
    ]
    assert [layer["visible"] for layer in config["layers"]] == [True] * 6 + [False]
    # The big layers have vector tiles, used below tilesBelowZoom when they hold more records
    # than one answer carries (the demo's few records do not).
    tiled = {layer["id"]: layer for layer in config["layers"] if "tiles" in layer}
    assert set(tiled) == {"findings", "hazards", "repairs"}
    assert tiled["findings"]["tiles"] == (
        "/ogc/collections/findings/tiles/WebMercatorQuad/{z}/{y}/{x}"
    )
    assert [layer["many"] for layer in tiled.values()] == [False] * 3
    assert config["tilesBelowZoom"] == 12
    assert "/static/vendor/protomaps-leaflet/protomaps-leaflet.js" in html
    assert "/static/js/tile_layer.js" in html
    assert config["tiles"] is None  # no base map unless one is configured
    west, south, east, north = config["bounds"]
    assert 87 < west < east < 88 and 43 < south < north < 45
    assert "/static/vendor/leaflet/leaflet.css" in html
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "unpkg" not in html and "cdn" not in html.lower()
    # CSP: no inline code or style; scripts only from this site.
    assert not re.search(r"<script(?![^>]*(src=|application/json))", html)
    assert " style=" not in html and "<style" not in html
    assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
    assert 'href="/map"' in client.get("/").get_data(as_text=True)
    # The coverage page links to the map with the coverage layer shown.
    shown = map_config(client.get("/map?layer=patrol_coverage").get_data(as_text=True))
    assert shown["layers"][-1]["visible"] is True
    assert "/static/js/coverage_layer.js" in html


def test_a_layer_with_more_records_than_the_threshold_uses_tiles(app, client, login_as, world):
    login_as("manager")
    app.config["MAP_TILES_FROM"] = 2  # the demo has more findings than that, one hazard less
    try:
        config = map_config(client.get("/map").get_data(as_text=True))
    finally:
        app.config.pop("MAP_TILES_FROM")
    many = {layer["id"]: layer["many"] for layer in config["layers"] if "many" in layer}
    assert many == {"findings": True, "hazards": False, "repairs": False}


def test_a_configured_tile_layer_is_offered_and_allowed_by_the_csp(app, client, login_as):
    login_as("patrol")
    template = (
        "https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
    )
    saved = {name: app.config.get(name) for name in mapview.TILE_SETTINGS}
    app.config.update(
        MAP_TILE_URL=template,
        MAP_TILE_ORIGIN="https://*.tianditu.gov.cn",
        MAP_TILE_SUBDOMAINS="01234567",
        MAP_TILE_ATTRIBUTION="天地图",
        MAP_TILE_MAX_ZOOM="18",
    )
    try:
        answer = client.get("/map")
        tiles = map_config(answer.get_data(as_text=True))["tiles"]
        assert tiles == {
            "url": template,
            "labels": None,
            "attribution": "天地图",
            "subdomains": "01234567",
            "maxZoom": 18,
        }
        assert (
            "img-src 'self' data: blob: https://*.tianditu.gov.cn"
            in answer.headers["Content-Security-Policy"]
        )
    finally:
        app.config.update(saved)


def test_stake_labels_sit_where_the_linear_reference_puts_them(client, login_as, db_session, roads):
    login_as("manager")
    position = network.position_of_stake(db_session, roads["G30"], 3_505_000.0)
    box = f"{position.lon - 0.02},{position.lat - 0.01},{position.lon + 0.02},{position.lat + 0.01}"
    answer = client.get(f"/map/stakes?bbox={box}")
    assert answer.status_code == 200
    assert answer.content_type == "application/geo+json"
    body = answer.get_json()
    labels = {f["properties"]["stake"]: f for f in body["features"]}
    assert "K3505+000" in labels and body["tooMany"] is False
    feature = labels["K3505+000"]
    assert feature["properties"]["label"] == "K3505"
    assert feature["geometry"]["coordinates"] == pytest.approx(
        [position.lon, position.lat], abs=1e-6
    )
    west, south, east, north = (float(v) for v in box.split(","))
    for f in body["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert west <= lon <= east and south <= lat <= north


def test_a_long_chain_shows_its_repeated_stake_twice(client, login_as, roads):
    login_as("manager")
    body = client.get("/map/stakes?bbox=87.3,43.6,87.6,43.8").get_json()
    g312 = [f["properties"]["stake"] for f in body["features"] if f["properties"]["road"] == "G312"]
    assert g312.count("K3610+000") == 2  # before and after the 800 m long chain
    assert len(g312) - g312.count("K3610+000") == len(set(g312)) - 1


def test_too_wide_a_view_gets_no_labels(client, login_as, roads, monkeypatch):
    login_as("manager")
    monkeypatch.setattr(mapview, "MAX_STAKE_PIECES", 2)
    body = client.get("/map/stakes?bbox=87,43,88,45").get_json()
    assert body == {"type": "FeatureCollection", "features": [], "tooMany": True}
    assert client.get("/map/stakes").status_code == 422
    assert client.get("/map/stakes?bbox=1,2").status_code == 400
