"""Repairs through the API: idempotent, plausible, located on the road, resolving findings."""

import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from inspection.media.models import Photo
from inspection.patrols.models import Finding
from inspection.repairs.models import Repair, RepairMaterial, repair_findings
from tests.integration.helpers import jpeg_bytes, new_uuid
from tests.integration.repairs.conftest import shoulder

URL = "/api/v1/repairs"


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def error_of(answer) -> dict:
    return answer.get_json()["error"]


def test_the_same_client_uuid_three_times_is_one_repair(client, roads, crew, db_session):
    _, headers = crew()
    body = shoulder()
    answers = [client.post(URL, json=body, headers=headers) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert len({a.get_json()["uuid"] for a in answers}) == 1
    assert count(db_session, Repair) == 1
    assert count(db_session, RepairMaterial) == 2
    repair = answers[0].get_json()
    assert repair["stake"] == "K3504+000"
    assert repair["end_stake"] == "K3504+300"
    assert repair["geometry"]["type"] == "LineString"
    assert repair["completed_on"] == "2026-05-01"
    assert repair["materials"] == [
        {"name": "砂砾", "quantity": 30.0, "unit": "m3"},
        {"name": "水泥", "quantity": 1.5, "unit": "t"},
    ]
    assert repair["cost_yuan"] == 12500.5
    assert repair["side"] == "right"
    assert repair["direction"] == "up"


def test_another_users_uuid_is_a_conflict(client, roads, crew, db_session):
    _, first = crew()
    _, second = crew("safety_officer")
    body = shoulder()
    assert client.post(URL, json=body, headers=first).status_code == 201
    taken = client.post(URL, json=body, headers=second)
    assert taken.status_code == 409
    assert error_of(taken)["code"] == "uuid_taken"
    assert count(db_session, Repair) == 1


def test_an_implausible_area_is_refused_with_the_numbers(client, roads, crew, db_session):
    _, headers = crew()
    refused = client.post(URL, json=shoulder(area_m2=1200), headers=headers)
    assert refused.status_code == 422
    error = error_of(refused)
    assert "area_m2" in error["fields"]
    match = re.search(
        r"1200\.0 m² .* K3504\+000–K3504\+300: (\d+\.\d) m long × 3\.0 m maximum width = "
        r"(\d+\.\d) m²",
        error["message"],
    )
    assert match, error["message"]
    length, limit = float(match[1]), float(match[2])
    assert length == pytest.approx(300, abs=1)  # real length along the centreline
    assert limit == pytest.approx(length * 3.0, abs=0.2)
    assert count(db_session, Repair) == 0


def test_the_branch_sets_the_maximum_width(client, roads, crew, app, monkeypatch):
    _, headers = crew()
    monkeypatch.setitem(app.config, "REPAIR_MAX_WIDTH_M", {"shoulder": 1.0})
    refused = client.post(URL, json=shoulder(area_m2=450), headers=headers)
    assert refused.status_code == 422
    assert "× 1.0 m maximum width" in error_of(refused)["message"]
    assert client.post(URL, json=shoulder(area_m2=250), headers=headers).status_code == 201


def test_a_completion_date_in_the_future_is_refused(client, roads, crew, db_session):
    _, headers = crew()
    tomorrow = datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=1)
    refused = client.post(URL, json=shoulder(completed_on=tomorrow.isoformat()), headers=headers)
    assert refused.status_code == 422
    assert set(error_of(refused)["fields"]) == {"completed_on"}
    assert tomorrow.isoformat() in error_of(refused)["message"]
    assert count(db_session, Repair) == 0


def test_today_is_the_branchs_today(client, roads, crew, app, monkeypatch):
    # UTC+14 and UTC-12 are 26 hours apart: their dates always differ, whatever the hour.
    _, headers = crew()
    ahead = datetime.now(ZoneInfo("Etc/GMT-14")).date()
    monkeypatch.setitem(app.config, "BRANCH_TIMEZONE", "Etc/GMT+12")
    behind = client.post(URL, json=shoulder(completed_on=ahead.isoformat()), headers=headers)
    assert behind.status_code == 422
    monkeypatch.setitem(app.config, "BRANCH_TIMEZONE", "Etc/GMT-14")
    assert (
        client.post(URL, json=shoulder(completed_on=ahead.isoformat()), headers=headers).status_code
        == 201
    )


@pytest.mark.parametrize(
    ("stakes", "field", "words"),
    [
        ({"stake": "K3499+500", "end_stake": "K3500+100"}, "stake", "outside"),
        ({"stake": "K3519+900", "end_stake": "K3520+400"}, "end_stake", "outside"),
        ({"stake": "K3511+500", "end_stake": "K3511+800"}, "end_stake", "short-chain"),
        ({"stake": "K3504+000", "end_stake": "K3504"}, "end_stake", "K3504"),
    ],
    ids=["start-before-the-road", "end-after-the-road", "end-in-a-short-chain-gap", "malformed"],
)
def test_stakes_off_the_road_are_refused_naming_the_field(
    client, roads, crew, db_session, stakes, field, words
):
    _, headers = crew()
    refused = client.post(URL, json=shoulder(area_m2=10, **stakes), headers=headers)
    assert refused.status_code == 422
    error = error_of(refused)
    assert set(error["fields"]) == {field}
    assert words in error["message"]
    assert count(db_session, Repair) == 0


def test_an_unknown_road_is_a_field_error(client, roads, crew):
    _, headers = crew()
    refused = client.post(URL, json=shoulder(road="G999"), headers=headers)
    assert refused.status_code == 422
    assert "road" in error_of(refused)["fields"]


def test_a_single_stake_only_for_pothole_treatment(client, roads, crew):
    _, headers = crew()
    refused = client.post(URL, json=shoulder(end_stake=None), headers=headers)
    assert refused.status_code == 422
    assert set(error_of(refused)["fields"]) == {"end_stake"}
    body = shoulder(kind="pothole", end_stake=None, area_m2=3.2, count=2, depth_mm=50)
    pothole = client.post(URL, json=body, headers=headers)
    assert pothole.status_code == 201, pothole.get_json()
    assert pothole.get_json()["geometry"]["type"] == "Point"
    assert pothole.get_json()["count"] == 2
    too_big = shoulder(kind="pothole", end_stake=None, area_m2=120, count=2)
    refused = client.post(URL, json=too_big, headers=headers)
    assert refused.status_code == 422
    assert "2 sites × 50.0 m² per site = 100.0 m²" in error_of(refused)["message"]
    no_count = client.post(URL, json=shoulder(kind="pothole", count=None), headers=headers)
    assert set(error_of(no_count)["fields"]) == {"count"}


def test_validation_names_each_bad_field(client, roads, crew, db_session):
    _, headers = crew()
    bad = client.post(
        URL,
        json={
            "client_uuid": "nope",
            "kind": "bridge",
            "completed_on": "1 May",
            "count": 1.5,
            "depth_mm": 0,
            "cost_yuan": -1,
            "materials": [{"name": "", "quantity": -2, "unit": "sacks"}],
            "findings": ["not-a-uuid"],
        },
        headers=headers,
    )
    assert bad.status_code == 422
    fields = error_of(bad)["fields"]
    assert {
        "client_uuid",
        "kind",
        "road",
        "stake",
        "completed_on",
        "count",
        "depth_mm",
        "cost_yuan",
        "materials.0.name",
        "materials.0.quantity",
        "materials.0.unit",
        "findings",
    } <= set(fields)
    assert count(db_session, Repair) == 0


# --- findings ------------------------------------------------------------------------------


def test_linking_findings_marks_them_resolved(client, roads, crew, db_session, finding_of):
    _, patrol = crew()
    _, repairer = crew()
    first = finding_of(patrol, stake="K3504+100")
    second = finding_of(patrol, stake="K3504+250", kind="shoulder_damage", quantity=None)
    body = shoulder(findings=[first["uuid"], second["uuid"], first["uuid"]])
    answer = client.post(URL, json=body, headers=repairer)
    assert answer.status_code == 201, answer.get_json()
    assert sorted(answer.get_json()["findings"]) == sorted([first["uuid"], second["uuid"]])
    statuses = {str(f.client_uuid): f.status for f in db_session.scalars(select(Finding)).all()}
    assert statuses == {first["uuid"]: "resolved", second["uuid"]: "resolved"}
    assert count(db_session, repair_findings) == 2
    # A retry links nothing twice; a resolved finding cannot be resolved again.
    assert client.post(URL, json=body, headers=repairer).status_code == 200
    assert count(db_session, repair_findings) == 2
    again = client.post(URL, json=shoulder(findings=[first["uuid"]]), headers=repairer)
    assert again.status_code == 422
    assert "not open" in error_of(again)["message"]


def test_voided_or_other_road_findings_are_refused(client, roads, crew, db_session, finding_of):
    _, patrol = crew()
    voided = finding_of(patrol)
    client.post(f"/api/v1/findings/{voided['uuid']}/void", json={"reason": "重复"}, headers=patrol)
    elsewhere = finding_of(patrol, road="S21", direction="both", stake="K1+000")
    fine = finding_of(patrol, stake="K3504+200")

    refused = client.post(
        URL, json=shoulder(findings=[fine["uuid"], voided["uuid"]]), headers=patrol
    )
    assert refused.status_code == 422
    assert error_of(refused)["fields"] == {"findings": "Voided."}
    assert voided["uuid"] in error_of(refused)["message"]

    other = client.post(URL, json=shoulder(findings=[elsewhere["uuid"]]), headers=patrol)
    assert other.status_code == 422
    assert "S21/both" in error_of(other)["message"]
    assert "G30/up" in error_of(other)["message"]

    missing = client.post(URL, json=shoulder(findings=[new_uuid()]), headers=patrol)
    assert missing.status_code == 422

    assert count(db_session, Repair) == 0
    statuses = set(db_session.scalars(select(Finding.status)).all())
    assert statuses == {"open"}  # nothing was resolved by the refused repairs


# --- voiding and lists ---------------------------------------------------------------------


def test_only_the_author_voids_and_voided_repairs_leave_lists_and_totals(
    client, roads, crew, db_session, finding_of
):
    _, author = crew()
    _, other = crew()
    finding = finding_of(author, stake="K3504+100")
    repair = client.post(URL, json=shoulder(findings=[finding["uuid"]]), headers=author).get_json()
    kept = client.post(
        URL, json=shoulder(stake="K3506+000", end_stake="K3506+100", area_m2=100), headers=author
    )
    assert kept.status_code == 201
    url = f"{URL}/{repair['uuid']}"

    assert client.post(f"{url}/void", json={"reason": "重复"}, headers=other).status_code == 403
    assert client.post(f"{url}/void", json={"reason": " "}, headers=author).status_code == 422
    voided = client.post(f"{url}/void", json={"reason": "桩号录错"}, headers=author)
    assert voided.status_code == 200
    assert voided.get_json()["voided"] is True
    assert db_session.scalar(select(Finding.status)) == "open"  # the finding is open again

    listed = client.get(URL, headers=author).get_json()
    assert listed["total"] == 1
    assert listed["repairs"][0]["uuid"] == kept.get_json()["uuid"]
    every = client.get(URL, query_string={"include_voided": "1"}, headers=author).get_json()
    assert every["total"] == 2
    assert {r["void_reason"] for r in every["repairs"]} == {"桩号录错", None}
    assert client.get(url, headers=author).get_json()["voided"] is True
    # Voiding twice is harmless; the row is still there.
    assert client.post(f"{url}/void", json={"reason": "again"}, headers=author).status_code == 200
    assert count(db_session, Repair) == 2


def test_list_filters_by_road_kind_and_completion_date(client, roads, crew):
    _, headers = crew()
    client.post(URL, json=shoulder(completed_on="2026-04-30"), headers=headers)
    client.post(
        URL, json=shoulder(completed_on="2026-05-01", kind="slope", area_m2=3000), headers=headers
    )
    client.post(
        URL,
        json=shoulder(road="S21", direction="both", stake="K1+000", end_stake="K1+100", area_m2=50),
        headers=headers,
    )

    def total(**query):
        answer = client.get(URL, query_string=query, headers=headers)
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()["total"]

    assert total() == 3
    assert total(road="g30") == 2
    assert total(kind="slope") == 1
    assert total(**{"from": "2026-05-01"}) == 2
    assert total(**{"to": "2026-04-30"}) == 1
    assert client.get(URL, query_string={"kind": "bridge"}, headers=headers).status_code == 422
    assert client.get(URL, query_string={"from": "May"}, headers=headers).status_code == 422
    page = client.get(URL, query_string={"per_page": 2}, headers=headers).get_json()
    assert (len(page["repairs"]), page["total"]) == (2, 3)
    assert page["repairs"][0]["completed_on"] >= page["repairs"][1]["completed_on"]
    assert client.get(f"{URL}/{new_uuid()}", headers=headers).status_code == 404
    assert client.get(f"{URL}/not-a-uuid", headers=headers).status_code == 404


def test_a_manager_reads_but_does_not_record(client, roads, crew):
    _, field = crew()
    _, manager = crew("manager")
    repair = client.post(URL, json=shoulder(), headers=field).get_json()
    assert client.get(f"{URL}/{repair['uuid']}", headers=manager).status_code == 200
    assert client.post(URL, json=shoulder(), headers=manager).status_code == 403


# --- photos --------------------------------------------------------------------------------


def upload(client, repair_uuid, headers, stage, photo_uuid=None):
    form = {
        "photo": (io.BytesIO(jpeg_bytes()), "p.jpg"),
        "photo_uuid": photo_uuid or new_uuid(),
        "stage": stage,
    }
    return client.post(
        f"{URL}/{repair_uuid}/photos",
        data=form,
        headers=headers,
        content_type="multipart/form-data",
    )


def test_before_and_after_photos(client, roads, crew, db_session):
    _, headers = crew()
    repair = client.post(URL, json=shoulder(), headers=headers).get_json()
    before_uuid = new_uuid()
    before = upload(client, repair["uuid"], headers, "before", before_uuid)
    after = upload(client, repair["uuid"], headers, "after")
    retry = upload(client, repair["uuid"], headers, "before", before_uuid)
    assert (before.status_code, after.status_code, retry.status_code) == (201, 201, 200)
    assert count(db_session, Photo) == 2
    site = upload(client, repair["uuid"], headers, "site")
    assert site.status_code == 422
    assert set(error_of(site)["fields"]) == {"stage"}
    stored = client.get(f"{URL}/{repair['uuid']}", headers=headers).get_json()
    assert [p["stage"] for p in stored["photos"]] == ["before", "after"]
    assert db_session.scalar(select(Photo.repair_id).limit(1)) is not None

    client.post(f"{URL}/{repair['uuid']}/void", json={"reason": "作废"}, headers=headers)
    assert upload(client, repair["uuid"], headers, "after").status_code == 422


def test_a_photo_uuid_of_another_record_is_a_conflict(client, roads, crew, finding_of):
    _, headers = crew()
    finding = finding_of(headers)
    photo_uuid = new_uuid()
    form = {"photo": (io.BytesIO(jpeg_bytes()), "p.jpg"), "photo_uuid": photo_uuid}
    client.post(
        f"/api/v1/findings/{finding['uuid']}/photos",
        data=form,
        headers=headers,
        content_type="multipart/form-data",
    )
    repair = client.post(URL, json=shoulder(), headers=headers).get_json()
    assert upload(client, repair["uuid"], headers, "before", photo_uuid).status_code == 409


def test_cost_and_dates_round_trip(client, roads, crew):
    _, headers = crew()
    body = shoulder(cost_yuan=None, completed_on=(date(2026, 1, 31)).isoformat(), materials=[])
    repair = client.post(URL, json=body, headers=headers).get_json()
    assert repair["cost_yuan"] is None
    assert repair["materials"] == []
    assert repair["completed_on"] == "2026-01-31"
