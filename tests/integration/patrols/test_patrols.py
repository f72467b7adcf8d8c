"""Patrols through the API, and the field and findings pages."""

from sqlalchemy import func, select

from inspection.patrols.models import Patrol
from tests.conftest import csrf_token_from
from tests.integration.helpers import new_uuid


def start(**overrides):
    body = {
        "client_uuid": new_uuid(),
        "road": "G30",
        "direction": "up",
        "kind": "routine",
        "crew": "王建国、李明",
        "vehicle": "新A·12345",
        "weather": "sunny",
        "started_at": "2026-05-01T09:00:00+08:00",
        "start_stake": "K3500+000",
    }
    body.update(overrides)
    return body


def test_start_is_idempotent_and_end_computes_the_patrolled_km(client, roads, crew, db_session):
    _, headers = crew()
    body = start()
    first = client.post("/api/v1/patrols", json=body, headers=headers)
    again = client.post("/api/v1/patrols", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert db_session.scalar(select(func.count()).select_from(Patrol)) == 1
    url = f"/api/v1/patrols/{body['client_uuid']}"
    ended = client.patch(
        url,
        json={"ended_at": "2026-05-01T12:00:00+08:00", "end_stake": "K3518+500"},
        headers=headers,
    )
    assert ended.status_code == 200, ended.get_json()
    patrol = ended.get_json()
    assert patrol["patrolled_km"] == 18.5
    assert patrol["end_stake"] == "K3518+500"
    # Ending again (a retry) changes nothing.
    retry = client.patch(url, json={"ended_at": "2026-05-01T13:00:00+08:00"}, headers=headers)
    assert retry.get_json()["ended_at"] == patrol["ended_at"]


def test_patrol_validation(client, roads, crew):
    _, headers = crew()
    bad = client.post(
        "/api/v1/patrols",
        json={"client_uuid": new_uuid(), "road": "", "kind": "picnic", "started_at": "yesterday"},
        headers=headers,
    )
    assert bad.status_code == 422
    assert {"road", "kind", "direction", "started_at"} <= set(bad.get_json()["error"]["fields"])
    future = client.post(
        "/api/v1/patrols", json=start(started_at="2099-01-01T00:00:00+08:00"), headers=headers
    )
    assert future.status_code == 422
    body = start()
    client.post("/api/v1/patrols", json=body, headers=headers)
    backwards = client.patch(
        f"/api/v1/patrols/{body['client_uuid']}",
        json={"ended_at": "2026-05-01T08:00:00+08:00"},
        headers=headers,
    )
    assert backwards.status_code == 422


def test_only_the_crew_member_who_started_it_ends_it(client, roads, crew):
    _, author = crew()
    _, other = crew()
    body = start()
    client.post("/api/v1/patrols", json=body, headers=author)
    refused = client.patch(f"/api/v1/patrols/{body['client_uuid']}", json={}, headers=other)
    assert refused.status_code == 403


def test_findings_on_a_patrol_take_its_road(client, roads, crew):
    _, headers = crew()
    patrol = start()
    client.post("/api/v1/patrols", json=patrol, headers=headers)
    finding = client.post(
        "/api/v1/findings",
        json={
            "client_uuid": new_uuid(),
            "patrol_uuid": patrol["client_uuid"],
            "kind": "drainage",
            "item_code": "drainage_blocked",
            "severity": "light",
            "stake": "K3502+300",
        },
        headers=headers,
    )
    assert finding.status_code == 201, finding.get_json()
    assert finding.get_json()["road"] == "G30"
    assert finding.get_json()["patrol_uuid"] == patrol["client_uuid"]


def test_field_pages_render_for_the_crew(client, roads, login_as):
    login_as("patrol")
    field = client.get("/field/")
    assert field.status_code == 200
    assert "G30" in field.get_data(as_text=True)
    form = client.get("/field/finding")
    assert form.status_code == 200
    assert "transverse_crack" in form.get_data(as_text=True)  # the JTG table reaches the form


def test_findings_list_detail_and_void_from_the_page(client, roads, login_as, db_session):
    user = login_as("patrol")
    csrf = client.get("/api/v1/me").get_json()["csrf_token"]
    created = client.post(
        "/api/v1/findings",
        json={
            "client_uuid": new_uuid(),
            "kind": "pothole",
            "road": "G30",
            "stake": "K3501+000",
            "quantity": 2,
        },
        headers={"X-CSRFToken": csrf},
    ).get_json()
    listing = client.get("/findings/").get_data(as_text=True)
    assert "K3501+000" in listing
    detail = client.get(f"/findings/{created['uuid']}").get_data(as_text=True)
    assert user.username in detail or user.display_name in detail
    token = csrf_token_from(detail)
    voided = client.post(
        f"/findings/{created['uuid']}/void", data={"reason": "录入错误", "csrf_token": token}
    )
    assert voided.status_code == 302
    assert "K3501+000" not in client.get("/findings/").get_data(as_text=True)
    assert client.get("/findings/not-a-uuid").status_code == 404


def test_service_worker_and_diagnostics_are_public(client):
    worker = client.get("/sw.js")
    assert worker.status_code == 200
    assert worker.headers["Service-Worker-Allowed"] == "/"
    worker.close()
    assert client.get("/diagnostics").status_code == 200
    assert client.get("/manifest.webmanifest").status_code == 200


def test_a_changed_centreline_moves_the_findings_on_it(app, client, crew, db_session):
    import json

    from inspection.geo import from_db
    from inspection.network.sample import SampleSegment, segment_features
    from inspection.patrols.models import Finding

    def import_road(bearing, tmp):
        features = segment_features(
            "S9", "测试路", "3.双向", (87.0, 44.0), bearing, [SampleSegment("0", "4", 4000)]
        )
        tmp.write_text(json.dumps({"features": features}), encoding="utf-8")
        return app.test_cli_runner().invoke(args=["roads", "import", str(tmp)])

    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s9.geojson"
        assert import_road(90.0, path).exit_code == 0
        _, headers = crew()
        body = {"client_uuid": new_uuid(), "kind": "drainage", "road": "S9", "stake": "K2+000"}
        assert client.post("/api/v1/findings", json=body, headers=headers).status_code == 201
        before = from_db(db_session.scalar(select(Finding.geom)))
        result = import_road(100.0, path)  # the road is re-surveyed: a new centreline
    assert "roads updated: 1" in result.output
    db_session.expire_all()
    finding = db_session.scalar(select(Finding))
    assert finding.geometry_version == 2
    assert from_db(finding.geom).distance(before) > 0.001  # moved with the road (degrees)


def test_a_patrol_starts_even_when_its_gps_fix_cannot_be_placed(client, roads, crew):
    _, headers = crew()
    body = start(start_stake=None, gps={"lon": 80.0, "lat": 40.0, "accuracy": 300})
    answer = client.post("/api/v1/patrols", json=body, headers=headers)
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["start_stake"] is None
    # The raw fix is kept all the same (OFFLINE.md rule 8).
    assert answer.get_json()["start_gps"] == {"lon": 80.0, "lat": 40.0, "accuracy": 300}
    typed_wrong = client.post(
        "/api/v1/patrols", json=start(start_stake="K9999+000"), headers=headers
    )
    assert typed_wrong.status_code == 422  # a typed stake must be right
