"""Reading a track: the GeoJSON (thinned), the patrol page, who may see them; re-matching."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from inspection.network import services as network
from inspection.network.importing import FieldNames
from inspection.network.sample import demo_network
from inspection.tracks import queries
from inspection.tracks.models import CoveredInterval, TrackPoint
from tests.conftest import log_in
from tests.integration.tracks.track_helpers import along, batch


def send(client, patrol, headers, points):
    answer = client.post(
        f"/api/v1/patrols/{patrol.client_uuid}/track", json=batch(points), headers=headers
    )
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def test_the_track_as_geojson(client, db_session, patrol_crew, t0):
    _, headers, patrol = patrol_crew
    send(client, patrol, headers, along(db_session, "G30", 3_500_000, 30, start=t0))
    answer = client.get(f"/api/v1/patrols/{patrol.client_uuid}/track", headers=headers)
    assert answer.status_code == 200
    data = answer.get_json()
    assert data["type"] == "FeatureCollection" and data["points"] == 30
    track, covered = data["features"]
    assert track["geometry"]["type"] == "MultiLineString"
    assert len(track["geometry"]["coordinates"][0]) == 30
    assert covered["properties"]["kind"] == "covered"
    assert covered["properties"]["stakes"] == [data["covered"][0]["text"]]
    assert covered["geometry"]["type"] == "LineString"
    assert data["km"] == pytest.approx(0.58, abs=0.02)


def test_a_long_track_is_thinned_for_display(client, db_session, patrol_crew, t0):
    _, headers, patrol = patrol_crew
    first = along(db_session, "G30", 3_500_000, 1500, start=t0, step_m=3)
    second = along(db_session, "G30", 3_504_500, 1500, start=t0 + timedelta(seconds=1500), step_m=3)
    send(client, patrol, headers, first)
    send(client, patrol, headers, second)
    lines, total = queries.track_lines(db_session, patrol.id)
    assert total == 3000
    assert 1000 <= sum(len(line) for line in lines) <= queries.MAX_TRACK_VERTICES + 1
    assert lines[0][0] == [round(first[0]["lon"], 6), round(first[0]["lat"], 6)]
    assert lines[-1][-1] == [round(second[-1]["lon"], 6), round(second[-1]["lat"], 6)]


def test_a_stop_of_the_recording_splits_the_drawn_track(client, db_session, patrol_crew, t0):
    _, headers, patrol = patrol_crew
    send(client, patrol, headers, along(db_session, "G30", 3_500_000, 5, start=t0))
    later = t0 + timedelta(minutes=20)
    send(client, patrol, headers, along(db_session, "G30", 3_505_000, 5, start=later))
    lines, _ = queries.track_lines(db_session, patrol.id)
    assert [len(line) for line in lines] == [5, 5]


@pytest.mark.parametrize(
    ("who", "status"),
    [("crew", 200), ("other_crew", 403), ("safety_officer", 200), ("manager", 200)],
)
def test_who_sees_a_track(client, db_session, patrol_crew, make_user, t0, english, who, status):
    user, headers, patrol = patrol_crew
    send(client, patrol, headers, along(db_session, "G30", 3_500_000, 30, start=t0))
    viewer = user if who == "crew" else make_user("patrol" if who == "other_crew" else who)
    log_in(client, viewer)
    page = client.get(f"/patrols/{patrol.client_uuid}")
    assert page.status_code == status
    assert client.get(f"/api/v1/patrols/{patrol.client_uuid}/track").status_code == status
    if status == 200:
        html = page.get_data(as_text=True)
        ranges = queries.covered_ranges(db_session, patrol.id)
        assert ranges[0]["text"] in html
        assert "km from the track" in html
        assert 'type="module"' in html and "js/track_map.js" in html
        assert 'id="map"' in html


def test_the_page_of_a_patrol_without_track_says_so(client, db_session, patrol_crew, english):
    user, _, patrol = patrol_crew
    log_in(client, user)
    html = client.get(f"/patrols/{patrol.client_uuid}").get_data(as_text=True)
    assert "No stretch of road was covered by the track." in html
    assert client.get("/patrols/not-a-uuid").status_code == 404


def test_the_findings_list_links_the_patrol_page(client, db_session, patrol_crew, english):
    user, headers, patrol = patrol_crew
    body = {
        "client_uuid": "5a0c4cde-3c3f-4a5f-9b3e-0d1b2c3d4e5f",
        "patrol_uuid": str(patrol.client_uuid),
        "kind": "pothole",
        "stake": "K3500+500",
        "quantity": 0.5,
    }
    assert client.post("/api/v1/findings", json=body, headers=headers).status_code == 201
    log_in(client, user)
    html = client.get("/findings/").get_data(as_text=True)
    assert f"/patrols/{patrol.client_uuid}" in html


def distances(db_session) -> list[float]:
    return db_session.scalars(select(TrackPoint.distance_m).order_by(TrackPoint.recorded_at)).all()


def test_a_new_road_geometry_re_matches_the_tracks_on_it(client, db_session, patrol_crew, t0):
    _, headers, patrol = patrol_crew
    send(client, patrol, headers, along(db_session, "G30", 3_500_000, 50, start=t0))
    before = db_session.scalars(
        select(TrackPoint.distance_m).order_by(TrackPoint.recorded_at)
    ).all()
    old_version = patrol.road.geometry_version
    # The same road surveyed again 20 m further north.
    features = demo_network()
    for feature in features:
        if feature["properties"]["roadcode"] == "G30":
            feature["geometry"]["coordinates"] = [
                [lon, lat + 20 / 111_132] for lon, lat in feature["geometry"]["coordinates"]
            ]
    summary = network.import_features(db_session, features, FieldNames())
    assert summary.updated == ["G30/up"]
    road = network.get_road(db_session, "G30")
    assert road.geometry_version == old_version + 1
    (interval,) = db_session.scalars(select(CoveredInterval)).all()
    assert interval.geometry_version == road.geometry_version
    after = distances(db_session)
    assert max(before) < 1 and min(after) > 18
    assert interval.point_count == 50
    db_session.refresh(patrol)
    assert patrol.track_km == pytest.approx(0.98, abs=0.03)
