"""The survey API: campaigns, units as GeoJSON with their indices, adding records."""

import pytest
from shapely.geometry import shape

from tests.integration.surveys.conftest import unit_at


@pytest.fixture
def campaign(roads, campaign_of):
    return campaign_of(("G30", "up"), ("S21", "both"))


def error_of(answer) -> dict:
    return answer.get_json()["error"]


def test_campaigns_are_listed(client, crew, campaign):
    _, headers = crew()
    answer = client.get("/api/v1/surveys", headers=headers)
    assert answer.status_code == 200
    (listed,) = answer.get_json()["surveys"]
    assert listed["id"] == campaign.id
    assert listed["roads"] == [
        {"road": "G30", "direction": "up"},
        {"road": "S21", "direction": "both"},
    ]
    assert (listed["units"], listed["length_m"], listed["records"]) == (32, 31700.0, 0)
    assert (listed["method"], listed["unit_length_m"], listed["starts_on"]) == (
        "visual",
        1000.0,
        "2026-04-01",
    )


def test_a_record_posted_by_unit_id_updates_the_unit(client, crew, campaign):
    _, headers = crew()
    unit = unit_at(campaign, "G30", 3)
    body = {
        "unit_id": unit.id,
        "family": "pavement",
        "item_code": "alligator_cracking",
        "severity": "heavy",
        "quantity": 75,
        "unit": "m2",
        "stake": "K3502+400",
    }
    answer = client.post(f"/api/v1/surveys/{campaign.id}/records", json=body, headers=headers)
    assert answer.status_code == 201, answer.get_json()
    saved = answer.get_json()
    assert (saved["item_code"], saved["stake"], saved["unit_id"]) == (
        "alligator_cracking",
        "K3502+400",
        unit.id,
    )
    assert (saved["unit"]["dr"], saved["unit"]["pci"], saved["unit"]["grade"]) == (
        1.0,
        85.0,
        "good",
    )


def test_a_record_posted_by_road_and_stake_finds_its_unit(client, crew, campaign):
    _, headers = crew()
    body = {
        "road": "G30",
        "direction": "up",
        "stake": "K3511+500",
        "item_code": "坑槽",
        "severity": "轻",
        "quantity": 2,
    }
    answer = client.post(f"/api/v1/surveys/{campaign.id}/records", json=body, headers=headers)
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["unit"]["seq"] == 12


@pytest.mark.parametrize(
    ("change", "bad"),
    [
        ({"item_code": "crack"}, {"item_code"}),  # a concrete item on asphalt
        ({"severity": "medium"}, {"severity"}),  # pothole has light and heavy only
        ({"quantity": -1}, {"quantity"}),
        ({"quantity": "many"}, {"quantity"}),
        ({"unit": "m"}, {"unit"}),
        ({"stake": "K3530+000"}, {"stake"}),
        ({"stake": "K3511+800"}, {"stake"}),  # the short-chain gap
        ({"stake": "3504"}, {"stake"}),
        ({"direction": "down"}, {"direction"}),  # G30 is surveyed up only
        ({"road": "", "stake": ""}, {"road", "stake"}),
        ({"item_code": "", "quantity": None}, {"item_code", "quantity"}),
    ],
)
def test_bad_records_are_refused_naming_the_fields(client, crew, campaign, change, bad):
    _, headers = crew()
    body = {
        "road": "G30",
        "direction": "up",
        "stake": "K3504+100",
        "item_code": "pothole",
        "severity": "light",
        "quantity": 2,
        "unit": "m2",
    } | change
    answer = client.post(f"/api/v1/surveys/{campaign.id}/records", json=body, headers=headers)
    assert answer.status_code == 422, answer.get_json()
    assert set(error_of(answer)["fields"]) == bad


def test_a_unit_of_another_campaign_is_refused(client, crew, campaign, campaign_of):
    other = campaign_of(("G30", "up"), name="other")
    _, headers = crew()
    body = {"unit_id": unit_at(other, "G30", 1).id, "item_code": "pothole", "severity": "light"}
    answer = client.post(
        f"/api/v1/surveys/{campaign.id}/records", json=body | {"quantity": 1}, headers=headers
    )
    assert answer.status_code == 422
    assert set(error_of(answer)["fields"]) == {"unit_id"}
    missing = client.post("/api/v1/surveys/999999/records", json=body, headers=headers)
    assert missing.status_code == 404


def test_units_come_as_geojson_with_their_indices(client, crew, campaign):
    _, headers = crew()
    client.post(
        f"/api/v1/surveys/{campaign.id}/records",
        json={"unit_id": unit_at(campaign, "G30", 3).id, "item_code": "alligator_cracking"}
        | {"severity": "heavy", "quantity": 75},
        headers=headers,
    )
    answer = client.get(f"/api/v1/surveys/{campaign.id}/units", headers=headers)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/geo+json")
    collection = answer.get_json()
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 32
    by_key = {(f["properties"]["road"], f["properties"]["seq"]): f for f in collection["features"]}
    third = by_key[("G30", 3)]
    assert shape(third["geometry"]).geom_type == "LineString"
    assert {k: third["properties"][k] for k in ("dr", "pci", "sci", "grade")} == {
        "dr": 1.0,
        "pci": 85.0,
        "sci": None,  # no subgrade record on G30: SCI not measured
        "grade": "good",
    }
    assert by_key[("G30", 1)]["properties"]["pci"] == 100.0
    assert by_key[("S21", 1)]["properties"]["pci"] is None
    assert by_key[("G30", 12)]["properties"]["length_m"] == 700.0

    only = client.get(
        f"/api/v1/surveys/{campaign.id}/units", query_string={"road": "S21"}, headers=headers
    )
    assert len(only.get_json()["features"]) == 12
    bad = client.get(
        f"/api/v1/surveys/{campaign.id}/units", query_string={"direction": "x"}, headers=headers
    )
    assert bad.status_code == 422 and set(error_of(bad)["fields"]) == {"direction"}


def test_a_campaign_with_its_road_summaries(client, crew, campaign):
    _, headers = crew()
    answer = client.get(f"/api/v1/surveys/{campaign.id}", headers=headers)
    assert answer.status_code == 200
    body = answer.get_json()
    assert [(r["road"], r["pci"], r["excellent_good_pct"]) for r in body["roads"]] == [
        ("G30", None, None),
        ("S21", None, None),
    ]
    assert body["not_measured"][:2] == ["PCI", "SCI"]
    assert client.get("/api/v1/surveys/999999", headers=headers).status_code == 404


def test_a_manager_may_read_but_records_are_made_by_crews(client, crew, campaign):
    _, headers = crew("manager")
    assert client.get("/api/v1/surveys", headers=headers).status_code == 200
    answer = client.post(
        f"/api/v1/surveys/{campaign.id}/records",
        json={"unit_id": unit_at(campaign, "G30", 1).id, "item_code": "pothole"},
        headers=headers,
    )
    assert answer.status_code == 403


def test_a_record_sent_again_under_its_uuid_is_stored_once(client, crew, campaign, db_session):
    from sqlalchemy import func, select

    from inspection.surveys.models import SurveyRecord
    from tests.integration.helpers import new_uuid

    _, headers = crew()
    _, other = crew()
    body = {
        "client_uuid": new_uuid(),
        "unit_id": unit_at(campaign, "G30", 3).id,
        "item_code": "pothole",
        "severity": "heavy",
        "quantity": 2,
        "unit": "m2",
    }
    url = f"/api/v1/surveys/{campaign.id}/records"
    answers = [client.post(url, json=body, headers=headers) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert len({a.get_json()["id"] for a in answers}) == 1
    assert db_session.scalar(select(func.count()).select_from(SurveyRecord)) == 1
    assert client.post(url, json=body, headers=other).status_code == 409


def test_a_survey_record_takes_photos(client, crew, campaign):
    import io

    from tests.integration.helpers import jpeg_bytes, new_uuid

    _, headers = crew()
    body = {
        "unit_id": unit_at(campaign, "G30", 3).id,
        "item_code": "pothole",
        "severity": "light",
        "quantity": 1,
        "unit": "m2",
    }
    record = client.post(f"/api/v1/surveys/{campaign.id}/records", json=body, headers=headers)
    photo_uuid = new_uuid()

    def upload():
        return client.post(
            f"/api/v1/surveys/records/{record.get_json()['id']}/photos",
            data={"photo": (io.BytesIO(jpeg_bytes()), "p.jpg"), "photo_uuid": photo_uuid},
            headers=headers,
            content_type="multipart/form-data",
        )

    assert [upload().status_code for _ in range(2)] == [201, 200]
    assert (
        client.post(
            "/api/v1/surveys/records/999999/photos",
            data={"photo": (io.BytesIO(jpeg_bytes()), "p.jpg"), "photo_uuid": new_uuid()},
            headers=headers,
            content_type="multipart/form-data",
        ).status_code
        == 404
    )
