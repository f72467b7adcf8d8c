"""A repair as the phone's outbox sends it: the record under its UUID, then its before and
after photos under theirs, each answer naming what was stored, every step safe to repeat."""

import io

from sqlalchemy import func, select

from inspection.media.models import Photo
from inspection.repairs.models import Repair, RepairMaterial
from tests.integration.helpers import jpeg_bytes, new_uuid
from tests.integration.repairs.conftest import shoulder

URL = "/api/v1/repairs"


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def photo(client, repair_uuid, headers, stage, photo_uuid, data=None):
    """Send a photo as the outbox does (multipart, with its UUID, stage and checksum)."""
    return client.post(
        f"{URL}/{repair_uuid}/photos",
        data={
            "photo": (io.BytesIO(data if data is not None else jpeg_bytes()), "photo.jpg"),
            "photo_uuid": photo_uuid,
            "stage": stage,
        },
        headers=headers,
        content_type="multipart/form-data",
    )


def test_the_outbox_sequence_replayed_stores_everything_once(client, roads, crew, db_session):
    _, headers = crew()
    body = shoulder()
    before, after = new_uuid(), new_uuid()
    for round_ in range(2):  # the whole queue again, as after a lost answer
        record = client.post(URL, json=body, headers=headers)
        assert record.status_code == (201 if round_ == 0 else 200)
        assert record.get_json()["uuid"] == body["client_uuid"]  # answer_uuid "uuid"
        for stage, photo_uuid in (("before", before), ("after", after)):
            answer = photo(client, body["client_uuid"], headers, stage, photo_uuid)
            assert answer.status_code == (201 if round_ == 0 else 200)
            assert answer.get_json()["uuid"] == photo_uuid
            assert answer.get_json()["stage"] == stage
    assert (count(db_session, Repair), count(db_session, Photo)) == (1, 2)
    stored = client.get(f"{URL}/{body['client_uuid']}", headers=headers).get_json()
    assert sorted(p["stage"] for p in stored["photos"]) == ["after", "before"]


def test_a_retry_answers_the_stored_record_even_if_the_body_changed(client, roads, crew):
    _, headers = crew()
    body = shoulder()
    assert client.post(URL, json=body, headers=headers).status_code == 201
    again = client.post(URL, json={**body, "area_m2": 300, "note": "改过"}, headers=headers)
    assert again.status_code == 200
    assert (again.get_json()["area_m2"], again.get_json()["note"]) == (450, "右侧路肩")


def test_bad_input_is_refused_and_nothing_is_half_saved(client, roads, crew, db_session):
    _, headers = crew()
    bad = shoulder(materials=[{"name": "砂砾", "quantity": 30, "unit": "m3"}, {"name": "水泥"}])
    refused = client.post(URL, json=bad, headers=headers)
    assert refused.status_code == 422
    assert "materials.1.quantity" in refused.get_json()["error"]["fields"]
    off_road = client.post(URL, json=shoulder(stake="K9999+000"), headers=headers)
    assert off_road.status_code == 422
    assert (count(db_session, Repair), count(db_session, RepairMaterial)) == (0, 0)
    # The same UUID, corrected, is then stored (a refused record holds nothing back).
    assert client.post(URL, json={**bad, "materials": []}, headers=headers).status_code == 201


def test_a_bad_photo_is_refused_and_not_stored(client, roads, crew, db_session):
    _, headers = crew()
    body = shoulder()
    client.post(URL, json=body, headers=headers)
    not_an_image = photo(client, body["client_uuid"], headers, "before", new_uuid(), b"not a jpeg")
    assert 400 <= not_an_image.status_code < 500
    wrong_stage = photo(client, body["client_uuid"], headers, "site", new_uuid())
    assert wrong_stage.status_code == 422
    assert set(wrong_stage.get_json()["error"]["fields"]) == {"stage"}
    assert count(db_session, Photo) == 0


def test_a_photo_before_its_record_is_not_found_and_not_stored(client, roads, crew, db_session):
    _, headers = crew()
    answer = photo(client, new_uuid(), headers, "before", new_uuid())
    assert answer.status_code == 404
    assert count(db_session, Photo) == 0


def test_uuids_of_another_user_are_conflicts(client, roads, crew, db_session):
    _, mine = crew()
    _, theirs = crew()
    body = shoulder()
    photo_uuid = new_uuid()
    client.post(URL, json=body, headers=mine)
    assert photo(client, body["client_uuid"], mine, "before", photo_uuid).status_code == 201
    taken = client.post(URL, json=body, headers=theirs)
    assert taken.status_code == 409
    assert taken.get_json()["error"]["code"] == "uuid_taken"
    # Their replay of my photo's UUID on their own repair is a conflict too.
    other = shoulder(stake="K3505+000", end_stake="K3505+100", area_m2=100)
    client.post(URL, json=other, headers=theirs)
    assert photo(client, other["client_uuid"], theirs, "after", photo_uuid).status_code == 409
    # And they may not add photos to my repair at all.
    assert photo(client, body["client_uuid"], theirs, "after", new_uuid()).status_code == 403
    assert (count(db_session, Repair), count(db_session, Photo)) == (2, 1)
