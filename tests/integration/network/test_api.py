"""The road network API: roads, stake → point, GPS → stake."""

import pytest
from pyproj import Geod

GEOD = Geod(ellps="WGS84")


def test_roads_list_and_detail(client, demo_roads, api_headers):
    headers = api_headers("patrol")
    roads = client.get("/api/v1/roads", headers=headers).get_json()["roads"]
    assert [(r["code"], r["direction"]) for r in roads] == [
        ("G30", "up"),
        ("G312", "both"),
        ("S21", "both"),
    ]
    g30 = roads[0]
    assert g30["start_stake"] == "K3500+000"
    assert g30["end_stake"] == "K3520+000"
    assert g30["length_m"] == pytest.approx(19700, abs=5)

    detail = client.get("/api/v1/roads/G30", headers=headers).get_json()
    assert detail["geometry"]["type"] == "LineString"
    assert len(detail["geometry"]["coordinates"]) > 50
    assert detail["chain_breaks"][0]["kind"] == "short"
    assert detail["chain_breaks"][0]["back_stake"] == "K3511+700.0"


def test_position_and_locate_round_trip(client, demo_roads, api_headers):
    headers = api_headers("patrol")
    position = client.get(
        "/api/v1/roads/G30/position", query_string={"stake": "K3505+250"}, headers=headers
    )
    assert position.status_code == 200, position.get_json()
    body = position.get_json()
    assert body["stake"] == "K3505+250"

    found = client.get(
        "/api/v1/locate", query_string={"lon": body["lon"], "lat": body["lat"]}, headers=headers
    ).get_json()["candidates"]
    assert found[0]["road"] == "G30"
    assert found[0]["chainage"] == pytest.approx(3505250, abs=0.5)
    assert found[0]["offset_m"] < 0.5


def test_a_fix_20_m_off_the_road_gives_offset_and_side(client, demo_roads, api_headers):
    headers = api_headers("patrol")
    body = client.get(
        "/api/v1/roads/S21/position", query_string={"stake": "K3+000"}, headers=headers
    ).get_json()
    # S21 heads north (bearing 5°): 20 m due east-ish (bearing 95°) is on the right.
    lon, lat, _ = GEOD.fwd(body["lon"], body["lat"], 95.0, 20.0)
    candidate = client.get(
        "/api/v1/locate", query_string={"lon": lon, "lat": lat, "road": "S21"}, headers=headers
    ).get_json()["candidates"][0]
    assert candidate["offset_m"] == pytest.approx(20, abs=0.5)
    assert candidate["side"] == "right"
    assert candidate["stake"] == "K3+000"


def test_short_chain_gap_and_out_of_range_stakes_are_422(client, demo_roads, api_headers):
    headers = api_headers("patrol")
    gap = client.get(
        "/api/v1/roads/G30/position", query_string={"stake": "K3511+800"}, headers=headers
    )
    assert gap.status_code == 422
    assert "K3511+700" in gap.get_json()["error"]["message"]

    outside = client.get(
        "/api/v1/roads/G30/position", query_string={"stake": "K3600+000"}, headers=headers
    )
    assert outside.status_code == 422

    malformed = client.get(
        "/api/v1/roads/G30/position", query_string={"stake": "K12+1000"}, headers=headers
    )
    assert malformed.status_code == 422
    assert "stake" in malformed.get_json()["error"]["fields"]


def test_long_chain_overlap_needs_a_choice(client, demo_roads, api_headers):
    headers = api_headers("patrol")
    ambiguous = client.get(
        "/api/v1/roads/G312/position", query_string={"stake": "K3610+400"}, headers=headers
    )
    assert ambiguous.status_code == 422
    error = ambiguous.get_json()["error"]
    assert [c["prefer"] for c in error["candidates"]] == ["before", "after"]

    before = client.get(
        "/api/v1/roads/G312/position",
        query_string={"stake": "K3610+400", "prefer": "before"},
        headers=headers,
    ).get_json()
    after = client.get(
        "/api/v1/roads/G312/position",
        query_string={"stake": "K3610+400", "prefer": "after"},
        headers=headers,
    ).get_json()
    apart = GEOD.inv(before["lon"], before["lat"], after["lon"], after["lat"])[2]
    assert apart == pytest.approx(800, abs=5)

    # A GPS fix near the second occurrence picks it.
    near = client.get(
        "/api/v1/roads/G312/position",
        query_string={"stake": "K3610+400", "lon": after["lon"], "lat": after["lat"]},
        headers=headers,
    ).get_json()
    assert near["lon"] == pytest.approx(after["lon"])


def test_unknown_roads_and_far_points(client, demo_roads, api_headers):
    headers = api_headers("patrol")
    assert client.get("/api/v1/roads/G999", headers=headers).status_code == 404
    far = client.get("/api/v1/locate", query_string={"lon": 80.0, "lat": 40.0}, headers=headers)
    assert far.status_code == 404
    assert "输入桩号" in far.get_json()["error"]["message"]  # answered in Chinese by default
    bad = client.get("/api/v1/locate", query_string={"lon": "east", "lat": 40}, headers=headers)
    assert bad.status_code == 422
    assert "lon" in bad.get_json()["error"]["fields"]
    off_globe = client.get("/api/v1/locate", query_string={"lon": 200, "lat": 40}, headers=headers)
    assert off_globe.status_code == 422
