"""Findings through the API: idempotent by client UUID, located by stake or GPS, never deleted."""

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from inspection.hazards.models import Hazard, HazardEvent
from inspection.media.models import Photo
from inspection.patrols.models import Finding
from tests.integration.helpers import jpeg_bytes, new_uuid, point_of


def pothole(**overrides):
    body = {
        "client_uuid": new_uuid(),
        "kind": "pothole",
        "road": "G30",
        "direction": "up",
        "stake": "K3505+120",
        "quantity": 1.5,
        "depth_mm": 40,
        "note": "行车道坑槽",
        "observed_at": "2026-05-01T10:30:00+08:00",
    }
    body.update(overrides)
    return body


def count(db_session, model):
    return db_session.scalar(select(func.count()).select_from(model))


def test_the_same_client_uuid_three_times_is_one_finding(client, roads, crew, db_session):
    _, headers = crew()
    body = pothole()
    answers = [client.post("/api/v1/findings", json=body, headers=headers) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert len({a.get_json()["uuid"] for a in answers}) == 1
    assert count(db_session, Finding) == 1
    finding = answers[0].get_json()
    assert finding["stake"] == "K3505+120"
    assert finding["location_source"] == "stake"
    assert finding["quantity_unit"] == "m2"
    assert finding["count"] == 1


def test_another_users_uuid_is_a_conflict(client, roads, crew, db_session):
    _, first = crew()
    _, second = crew()
    body = pothole()
    assert client.post("/api/v1/findings", json=body, headers=first).status_code == 201
    taken = client.post("/api/v1/findings", json=body, headers=second)
    assert taken.status_code == 409
    assert count(db_session, Finding) == 1


def test_gps_fix_derives_the_stake_and_keeps_the_raw_fix(client, roads, crew, db_session):
    _, headers = crew()
    lon, lat = point_of(db_session, "G30", 3507400)
    body = pothole(
        stake=None, gps={"lon": lon, "lat": lat, "accuracy": 6, "at": "2026-05-01T02:29:00Z"}
    )
    answer = client.post("/api/v1/findings", json=body, headers=headers)
    assert answer.status_code == 201, answer.get_json()
    finding = answer.get_json()
    assert finding["location_source"] == "gps"
    assert finding["chainage"] == pytest.approx(3507400, abs=1)
    assert finding["gps"]["lon"] == lon
    assert finding["gps"]["accuracy"] == 6


def test_poor_gps_or_no_road_asks_for_a_typed_stake(client, roads, crew):
    _, headers = crew()
    poor = client.post(
        "/api/v1/findings",
        json=pothole(stake=None, gps={"lon": 87.6, "lat": 43.86, "accuracy": 120}),
        headers=headers,
    )
    assert poor.status_code == 422
    assert "stake" in poor.get_json()["error"]["fields"]
    far = client.post(
        "/api/v1/findings",
        json=pothole(stake=None, gps={"lon": 80.0, "lat": 40.0, "accuracy": 5}),
        headers=headers,
    )
    assert far.status_code == 422
    assert "stake" in far.get_json()["error"]["fields"]


def test_a_stake_range_becomes_a_line(client, roads, crew):
    _, headers = crew()
    body = pothole(kind="shoulder_damage", stake="K3504+000", end_stake="K3504+300", quantity=None)
    finding = client.post("/api/v1/findings", json=body, headers=headers).get_json()
    assert finding["geometry"]["type"] == "LineString"
    assert finding["end_stake"] == "K3504+300"


def test_validation_names_each_bad_field(client, roads, crew, db_session):
    _, headers = crew()
    bad = client.post(
        "/api/v1/findings",
        json={"client_uuid": "nope", "kind": "volcano", "quantity": "lots", "side": "up"},
        headers=headers,
    )
    assert bad.status_code == 422
    fields = bad.get_json()["error"]["fields"]
    assert {"client_uuid", "kind", "quantity", "side"} <= set(fields)
    distress = client.post(
        "/api/v1/findings",
        json=pothole(kind="pavement_distress", item_code="pothole", severity="medium"),
        headers=headers,
    )
    assert distress.status_code == 422
    assert "severity" in distress.get_json()["error"]["fields"]
    assert count(db_session, Finding) == 0


def test_pavement_distress_takes_its_unit_from_the_jtg_table(client, roads, crew):
    _, headers = crew()
    crack = client.post(
        "/api/v1/findings",
        json=pothole(
            kind="pavement_distress", item_code="transverse_crack", severity="heavy", quantity=12
        ),
        headers=headers,
    ).get_json()
    assert crack["quantity_unit"] == "m"
    assert crack["item_code"] == "transverse_crack"


def test_a_safety_hazard_finding_raises_a_hazard_with_its_first_audit_event(
    client, roads, crew, db_session
):
    _, headers = crew()
    body = pothole(
        kind="safety_hazard",
        quantity=None,
        hazard={"category": "guardrail_damage", "grade": "general", "description": "护栏撞损 12 m"},
        onsite_action="设置锥桶",
    )
    answer = client.post("/api/v1/findings", json=body, headers=headers)
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["status"] == "hazard_raised"
    hazard = db_session.scalar(select(Hazard))
    assert hazard.state == "reported"
    assert hazard.number.startswith("YH-2026-")
    assert hazard.interim_measures == "设置锥桶"
    assert (hazard.source, hazard.site_id, hazard.road_id) == ("patrol", None, roads["G30"].id)
    event = db_session.scalar(select(HazardEvent))
    assert (event.seq, event.action, event.from_state, event.to_state) == (
        1,
        "raise",
        None,
        "reported",
    )
    assert len(event.hash) == 64
    # A retry raises nothing twice.
    client.post("/api/v1/findings", json=body, headers=headers)
    assert count(db_session, Hazard) == 1


def test_a_hazard_finding_without_category_is_refused_whole(client, roads, crew, db_session):
    _, headers = crew()
    refused = client.post(
        "/api/v1/findings", json=pothole(kind="safety_hazard", hazard={}), headers=headers
    )
    assert refused.status_code == 422
    assert {"hazard.category", "hazard.grade"} <= set(refused.get_json()["error"]["fields"])
    assert count(db_session, Finding) == 0


def test_a_hazard_finding_with_a_category_for_sites_only_is_refused_whole(
    client, roads, crew, db_session
):
    _, headers = crew()
    body = pothole(
        kind="safety_hazard",
        quantity=None,
        hazard={"category": "fire_safety", "grade": "general", "description": "灭火器过期"},
    )
    refused = client.post("/api/v1/findings", json=body, headers=headers)
    assert refused.status_code == 422
    assert set(refused.get_json()["error"]["fields"]) == {"hazard.category"}
    assert (count(db_session, Finding), count(db_session, Hazard)) == (0, 0)


def test_near_duplicates_are_offered(client, roads, crew):
    _, headers = crew()
    client.post("/api/v1/findings", json=pothole(), headers=headers)
    second = client.post("/api/v1/findings", json=pothole(stake="K3505+150"), headers=headers)
    assert len(second.get_json()["near_duplicates"]) == 1
    nearby = client.get(
        "/api/v1/findings/nearby",
        query_string={"road": "G30", "kind": "pothole", "stake": "K3505+130"},
        headers=headers,
    ).get_json()["findings"]
    assert len(nearby) == 2
    far = client.get(
        "/api/v1/findings/nearby",
        query_string={"road": "G30", "kind": "pothole", "stake": "K3507+000"},
        headers=headers,
    ).get_json()["findings"]
    assert far == []


def test_list_filters_and_pages(client, roads, crew):
    _, headers = crew()
    for stake in ("K3501+000", "K3502+000", "K3503+000"):
        client.post("/api/v1/findings", json=pothole(stake=stake), headers=headers)
    client.post(
        "/api/v1/findings",
        json=pothole(road="S21", direction="both", stake="K1+000"),
        headers=headers,
    )
    page = client.get(
        "/api/v1/findings", query_string={"road": "G30", "per_page": 2}, headers=headers
    )
    body = page.get_json()
    assert body["total"] == 3
    assert len(body["findings"]) == 2
    by_day = client.get(
        "/api/v1/findings", query_string={"from": "2026-05-01", "to": "2026-05-01"}, headers=headers
    ).get_json()
    assert by_day["total"] == 4
    next_day = client.get(
        "/api/v1/findings", query_string={"from": "2026-05-02"}, headers=headers
    ).get_json()
    assert next_day["total"] == 0
    bad = client.get("/api/v1/findings", query_string={"bbox": "1,2,3"}, headers=headers)
    assert bad.status_code == 422


def test_only_the_author_edits_or_voids_and_voided_records_leave_lists(client, roads, crew):
    _, author = crew()
    _, other = crew()
    finding = client.post("/api/v1/findings", json=pothole(), headers=author).get_json()
    url = f"/api/v1/findings/{finding['uuid']}"
    assert client.patch(url, json={"note": "改"}, headers=other).status_code == 403
    edited = client.patch(url, json={"note": "深约 5 cm"}, headers=author)
    assert edited.status_code == 200
    assert edited.get_json()["note"] == "深约 5 cm"
    assert client.patch(url, json={"road": "S21"}, headers=author).status_code == 422

    assert client.post(f"{url}/void", json={"reason": "重复"}, headers=other).status_code == 403
    assert client.post(f"{url}/void", json={"reason": ""}, headers=author).status_code == 422
    voided = client.post(f"{url}/void", json={"reason": "重复记录"}, headers=author)
    assert voided.status_code == 200
    assert client.get("/api/v1/findings", headers=author).get_json()["total"] == 0
    kept = client.get("/api/v1/findings", query_string={"include_voided": "1"}, headers=author)
    assert kept.get_json()["findings"][0]["void_reason"] == "重复记录"
    assert client.patch(url, json={"note": "x"}, headers=author).status_code == 422


def upload(client, finding_uuid, headers, data, photo_uuid=None, name="p.jpg", **fields):
    form = {"photo": (io.BytesIO(data), name), "photo_uuid": photo_uuid or new_uuid(), **fields}
    return client.post(
        f"/api/v1/findings/{finding_uuid}/photos",
        data=form,
        headers=headers,
        content_type="multipart/form-data",
    )


def test_photo_upload_is_idempotent_by_its_uuid(client, roads, crew, db_session, app):
    _, headers = crew()
    finding = client.post("/api/v1/findings", json=pothole(), headers=headers).get_json()
    photo_uuid = new_uuid()
    data = jpeg_bytes()
    first = upload(
        client, finding["uuid"], headers, data, photo_uuid, exif_lon="87.61", exif_lat="43.86"
    )
    again = upload(client, finding["uuid"], headers, data, photo_uuid)
    assert (first.status_code, again.status_code) == (201, 200)
    assert count(db_session, Photo) == 1
    stored = first.get_json()
    assert stored["exif_lon"] == 87.61
    with client.get(stored["thumbnail_url"], headers=headers) as thumbnail:
        assert thumbnail.status_code == 200
        assert thumbnail.mimetype == "image/jpeg"
    detail = client.get(f"/api/v1/findings/{finding['uuid']}", headers=headers).get_json()
    assert [p["uuid"] for p in detail["photos"]] == [photo_uuid]


@pytest.mark.parametrize(
    ("data", "name", "word"),
    [
        (b"this is a text file, not a photo", "p.jpg", "JPEG"),
        (None, "bomb.png", "百万像素"),  # the API answers in Chinese by default
        (b"\xff\xd8" + b"0" * (300 * 1024), "huge.jpg", "MB"),
    ],
    ids=["text-renamed-jpg", "100-megapixel-bomb", "oversized"],
)
def test_bad_photos_are_refused_clearly_and_nothing_is_saved(
    client, roads, crew, db_session, app, monkeypatch, data, name, word
):
    # A small photo limit keeps the test's upload small (the body limit is tested below).
    monkeypatch.setitem(app.config, "PHOTO_MAX_BYTES", 200 * 1024)
    _, headers = crew()
    finding = client.post("/api/v1/findings", json=pothole(), headers=headers).get_json()
    if data is None:
        buffer = io.BytesIO()
        Image.new("1", (10_000, 10_000)).save(buffer, "PNG")
        data = buffer.getvalue()
    refused = upload(client, finding["uuid"], headers, data, name=name)
    assert refused.status_code == 422
    message = refused.get_json()["error"]["message"]
    assert word in message
    assert count(db_session, Photo) == 0


def test_a_body_over_the_server_limit_is_413(client, roads, crew, app, monkeypatch, db_session):
    _, headers = crew()
    finding = client.post("/api/v1/findings", json=pothole(), headers=headers).get_json()
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 64 * 1024)
    refused = upload(client, finding["uuid"], headers, jpeg_bytes() + b"\0" * 200_000)
    assert refused.status_code == 413
    assert refused.get_json()["error"]["code"] == "too_large"
    assert count(db_session, Photo) == 0


def test_an_exported_outbox_is_imported_once(client, roads, login_as, db_session):
    import base64
    import json

    from tests.conftest import csrf_token_from

    login_as("patrol")
    finding_uuid, photo_uuid = new_uuid(), new_uuid()
    document = {
        "version": 1,
        "exported_at": "2026-05-01T18:00:00+08:00",
        "entries": [
            {
                "kind": "record",
                "method": "POST",
                "url": "/api/v1/findings",
                "uuid": finding_uuid,
                "body": pothole(client_uuid=finding_uuid),
            },
            {
                "kind": "photo",
                "finding_uuid": finding_uuid,
                "photo_uuid": photo_uuid,
                "stage": "site",
                "bytes_base64": base64.b64encode(jpeg_bytes()).decode(),
            },
            {
                "kind": "record",
                "method": "DELETE",
                "url": "/api/v1/everything",
                "uuid": new_uuid(),
                "body": {},
            },
        ],
    }
    payload = json.dumps(document).encode()

    def send():
        token = csrf_token_from(client.get("/field/import").get_data(as_text=True))
        return client.post(
            "/field/import",
            data={"file": (io.BytesIO(payload), "outbox.json"), "csrf_token": token},
            content_type="multipart/form-data",
        )

    first = send().get_data(as_text=True)
    assert first.count("已保存") == 2  # the finding and its photo
    assert count(db_session, Finding) == 1
    assert count(db_session, Photo) == 1
    second = send().get_data(as_text=True)
    assert count(db_session, Finding) == 1  # nothing twice
    assert count(db_session, Photo) == 1
    assert "DELETE /api/v1/everything" in second
