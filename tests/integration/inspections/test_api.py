"""Self-inspections through the API: scope, idempotency, checklist items and their hazards."""

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from inspection.hazards.models import Hazard
from inspection.inspections import queries
from inspection.inspections.models import Inspection, InspectionItem
from inspection.web import branch_today
from tests.integration.helpers import jpeg_bytes, new_uuid

URL = "/api/v1/inspections"


def today(app):
    with app.app_context():
        return branch_today()


def body(app, **changes):
    day = today(app).isoformat()
    base = {
        "client_uuid": new_uuid(),
        "kind": "seasonal",
        "theme": "冬春季安全生产大检查",
        "started_on": day,
        "ended_on": day,
        "site_ids": [],
        "sections": [],
    }
    base.update(changes)
    return base


def item(**changes):
    base = {
        "client_uuid": new_uuid(),
        "section": "fire_safety",
        "name": "灭火器配置齐全、在检验有效期内",
        "hazard_category": "fire_safety",
        "result": "meets",
    }
    base.update(changes)
    return base


def counts(db_session):
    return tuple(
        db_session.scalar(select(func.count()).select_from(model))
        for model in (Inspection, InspectionItem, Hazard)
    )


def test_a_branch_wide_inspection_counts_once(app, client, db_session, sites, officer):
    _, headers = officer
    section = {
        "road": "G30",
        "direction": "up",
        "start_stake": "K3500+000",
        "end_stake": "K3510+000",
    }
    answer = client.post(
        URL,
        json=body(app, site_ids=[sites["toll"].id, sites["service"].id], sections=[section]),
        headers=headers,
    )
    assert answer.status_code == 201, answer.get_json()
    record = answer.get_json()["inspection"]
    assert {s["name"] for s in record["sites"]} == {"测试收费站", "测试服务区"}
    assert record["sections"] == [section]
    assert record["kind_label"] and record["leader"]["id"] == officer[0].id
    day = today(app)
    by_kind = queries.count_by_kind(
        db_session, day.replace(month=1, day=1), day.replace(month=12, day=31)
    )
    assert by_kind == {
        "seasonal": 1,
        "special": 0,
        "special_period": 0,
        "look_back": 0,
        "routine": 0,
    }
    listed = client.get(f"{URL}?kind=seasonal", headers=headers).get_json()
    assert listed["total"] == 1 and listed["inspections"][0]["id"] == record["id"]


def test_count_by_kind_leaves_out_voided_and_other_periods(app, client, db_session, sites, officer):
    _, headers = officer
    day = today(app)
    for kind, started in (
        ("special", day),
        ("special", day),
        ("routine", day - timedelta(days=400)),
    ):
        client.post(
            URL,
            json=body(
                app,
                kind=kind,
                started_on=started.isoformat(),
                ended_on=started.isoformat(),
                site_ids=[sites["toll"].id],
            ),
            headers=headers,
        )
    voided = db_session.scalars(select(Inspection).where(Inspection.kind == "special")).first()
    voided.voided_at = func.now()
    db_session.flush()
    by_kind = queries.count_by_kind(db_session, day - timedelta(days=30), day)
    assert by_kind["special"] == 1 and by_kind["routine"] == 0


def test_a_retry_returns_the_stored_inspection(app, client, db_session, sites, officer, crew):
    _, headers = officer
    sent = body(app, site_ids=[sites["toll"].id], items=[item(result="does_not_meet")])
    first = client.post(URL, json=sent, headers=headers)
    again = client.post(URL, json=sent, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json() == again.get_json()
    assert counts(db_session) == (1, 1, 1)
    _, other = crew("safety_officer")
    taken = client.post(URL, json=sent, headers=other)
    assert taken.status_code == 409
    assert taken.get_json()["error"]["code"] == "uuid_taken"


def test_the_template_items_are_copied_when_no_items_are_sent(app, client, sites, officer):
    _, headers = officer
    templates = client.get("/api/v1/inspection-templates", headers=headers).get_json()["templates"]
    seasonal = next(t for t in templates if t["kind"] == "seasonal")
    record = client.post(
        URL,
        json=body(app, site_ids=[sites["toll"].id], template_id=seasonal["id"]),
        headers=headers,
    ).get_json()["inspection"]
    assert [i["name"] for i in record["items"]] == [i["name"] for i in seasonal["items"]]
    assert all(i["result"] is None for i in record["items"])
    # A template for another kind is refused.
    special = next(t for t in templates if t["kind"] == "special")
    refused = client.post(
        URL, json=body(app, site_ids=[sites["toll"].id], template_id=special["id"]), headers=headers
    )
    assert refused.status_code == 422 and "template_id" in refused.get_json()["error"]["fields"]


def test_an_unmet_item_raises_one_hazard_linked_to_the_inspection(
    app, client, db_session, sites, officer
):
    _, headers = officer
    record = client.post(
        URL,
        json=body(
            app,
            site_ids=[sites["toll"].id],
            items=[
                item(result="does_not_meet", note="2具过期"),
                item(name="消防通道畅通", result="meets"),
            ],
        ),
        headers=headers,
    ).get_json()["inspection"]
    unmet, met = record["items"]
    assert unmet["site_id"] == sites["toll"].id  # the scope's only site
    assert unmet["hazard"]["linked_existing"] is False and met["hazard"] is None
    hazard = db_session.get(Hazard, unmet["hazard"]["id"])
    assert (hazard.source, hazard.inspection_id, hazard.site_id) == (
        "self_inspection",
        record["id"],
        sites["toll"].id,
    )
    assert hazard.state == "reported" and "2具过期" in hazard.description
    assert record["hazards"] == [
        {"id": hazard.id, "number": hazard.number, "state": "reported", "category": "fire_safety"}
    ]


def test_a_second_unmet_item_at_the_same_site_links_to_the_open_hazard(
    app, client, db_session, sites, officer
):
    _, headers = officer
    first = client.post(
        URL,
        json=body(app, site_ids=[sites["toll"].id], items=[item(result="does_not_meet")]),
        headers=headers,
    ).get_json()["inspection"]
    hazard_id = first["items"][0]["hazard"]["id"]
    second = client.post(
        URL,
        json=body(
            app,
            kind="special",
            site_ids=[sites["toll"].id, sites["service"].id],
            items=[
                item(name="消火栓完好", result="does_not_meet", site_id=sites["toll"].id),
                item(
                    name="配电箱上锁",
                    hazard_category="electrical",
                    section="electricity",
                    result="does_not_meet",
                    site_id=sites["toll"].id,
                ),
            ],
        ),
        headers=headers,
    ).get_json()["inspection"]
    same, other = second["items"]
    assert same["hazard"] == {**same["hazard"], "id": hazard_id, "linked_existing": True}
    # Another category at the same site is another hazard.
    assert other["hazard"]["id"] != hazard_id and other["hazard"]["linked_existing"] is False
    assert db_session.scalar(select(func.count()).select_from(Hazard)) == 2


def test_within_50_m_on_the_same_road_links_and_60_m_raises_anew(
    app, client, db_session, sites, officer, road_hazard
):
    _, headers = officer
    existing = road_hazard("K3505+000")
    section = {
        "road": "G30",
        "direction": "up",
        "start_stake": "K3504+000",
        "end_stake": "K3506+000",
    }
    guardrail = {
        "section": "road_facilities",
        "name": "护栏完好",
        "hazard_category": "guardrail_damage",
        "result": "does_not_meet",
        "road": "G30",
        "direction": "up",
    }
    near = client.post(
        URL,
        json=body(
            app,
            sections=[section],
            items=[{**guardrail, "client_uuid": new_uuid(), "stake": "K3505+040"}],
        ),
        headers=headers,
    ).get_json()["inspection"]
    assert near["items"][0]["hazard"]["id"] == existing.id
    assert near["items"][0]["hazard"]["linked_existing"] is True
    far = client.post(
        URL,
        json=body(
            app,
            sections=[section],
            items=[{**guardrail, "client_uuid": new_uuid(), "stake": "K3505+060"}],
        ),
        headers=headers,
    ).get_json()["inspection"]
    new_id = far["items"][0]["hazard"]["id"]
    assert new_id != existing.id
    raised = db_session.get(Hazard, new_id)
    assert (raised.road_id, raised.chainage, raised.source) == (
        existing.road_id,
        3_505_060,
        "self_inspection",
    )
    assert far["items"][0]["hazard"]["linked_existing"] is False


def test_items_added_later_answer_the_checklist_once(app, client, db_session, sites, officer):
    _, headers = officer
    templates = client.get("/api/v1/inspection-templates?active=1", headers=headers).get_json()[
        "templates"
    ]
    chosen = next(t for t in templates if t["kind"] is None)
    record = client.post(
        URL,
        json=body(
            app,
            kind="routine",
            site_ids=[sites["toll"].id, sites["service"].id],
            template_id=chosen["id"],
        ),
        headers=headers,
    ).get_json()["inspection"]
    line = chosen["items"][0]
    answer = {
        **line,
        "client_uuid": new_uuid(),
        "result": "does_not_meet",
        "site_id": sites["service"].id,
    }
    answer.pop("position"), answer.pop("section_label")
    url = f"{URL}/{record['id']}/items"
    first = client.post(url, json=answer, headers=headers)
    again = client.post(url, json=answer, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    answered = first.get_json()["item"]
    assert answered["position"] == 1 and answered["hazard"]["linked_existing"] is False
    assert len(first.get_json()["inspection"]["items"]) == len(chosen["items"])
    assert again.get_json()["item"] == answered
    # An item at a site outside the scope is refused, and so is a missing place for an unmet one.
    outside = client.post(
        url,
        json={**answer, "client_uuid": new_uuid(), "name": "新增项", "site_id": sites["depot"].id},
        headers=headers,
    )
    assert outside.status_code == 422 and "site_id" in outside.get_json()["error"]["fields"]
    nowhere = client.post(
        url,
        json={**answer, "client_uuid": new_uuid(), "name": "新增项", "site_id": None},
        headers=headers,
    )
    assert nowhere.status_code == 422 and "site_id" in nowhere.get_json()["error"]["fields"]
    assert db_session.scalar(select(func.count()).select_from(Hazard)) == 1


def test_an_item_stake_must_lie_in_a_scope_section(app, client, db_session, roads, officer):
    _, headers = officer
    section = {
        "road": "G30",
        "direction": "up",
        "start_stake": "K3504+000",
        "end_stake": "K3506+000",
    }
    refused = client.post(
        URL,
        json=body(
            app,
            sections=[section],
            items=[
                item(
                    section="road_facilities",
                    hazard_category="guardrail_damage",
                    result="does_not_meet",
                    stake="K3509+000",
                )
            ],
        ),
        headers=headers,
    )
    assert refused.status_code == 422
    assert "items.0.stake" in refused.get_json()["error"]["fields"]
    assert counts(db_session) == (0, 0, 0)


def test_item_photos_are_idempotent_by_their_uuid(app, client, sites, officer):
    _, headers = officer
    sent = item()
    client.post(URL, json=body(app, site_ids=[sites["toll"].id], items=[sent]), headers=headers)
    photo_uuid = new_uuid()

    def upload():
        return client.post(
            f"/api/v1/inspection-items/{sent['client_uuid']}/photos",
            data={"photo": (io.BytesIO(jpeg_bytes()), "p.jpg"), "photo_uuid": photo_uuid},
            headers=headers,
            content_type="multipart/form-data",
        )

    first, again = upload(), upload()
    assert (first.status_code, again.status_code) == (201, 200)
    record = client.get(URL, headers=headers).get_json()["inspections"][0]
    detail = client.get(f"{URL}/{record['id']}", headers=headers).get_json()["inspection"]
    assert [p["uuid"] for p in detail["items"][0]["photos"]] == [photo_uuid]
    missing = client.post(f"/api/v1/inspection-items/{new_uuid()}/photos", headers=headers)
    assert missing.status_code == 404


BAD = [
    ({"items": [item(result="maybe")]}, "items.0.result"),
    ({"site_ids": [999_999]}, "site_ids"),
    ({"site_ids": ["x"]}, "site_ids"),
    ({"site_ids": [2**40]}, "site_ids"),
    ({"leader_user_id": 2**40}, "leader_user_id"),
    ({"site_ids": [], "sections": []}, "scope"),
    ({"theme": "长" * 300}, "theme"),
    ({"theme": "  "}, "theme"),
    ({"started_on": "0001-01-01"}, "started_on"),
    ({"started_on": "9999-12-31", "ended_on": "9999-12-31"}, "started_on"),
    ({"started_on": "2026-13-01"}, "started_on"),
    ({"kind": "weekly"}, "kind"),
    ({"recheck_from": "2026-01-01", "recheck_to": "2026-02-01"}, "recheck_from"),
    ({"kind": "look_back"}, "recheck_from"),
    ({"items": [item(name="")]}, "items.0.name"),
    ({"items": [item(hazard_category="volcano")]}, "items.0.hazard_category"),
    ({"items": [item(site_id="x")]}, "items.0.site_id"),
    ({"items": "all"}, "items"),
    ({"members": [{"user_id": 999_999}]}, "members.0.user_id"),
    ({"members": [{}]}, "members.0.name"),
    (
        {
            "sections": [
                {"road": "G30", "direction": "up", "start_stake": "K1+000", "end_stake": "K2+000"}
            ]
        },
        "sections.0.end_stake",
    ),
    (
        {"sections": [{"road": "X99", "start_stake": "K1+000", "end_stake": "K2+000"}]},
        "sections.0.road",
    ),
    ({"template_id": 999_999}, "template_id"),
]


@pytest.mark.parametrize(("changes", "field"), BAD, ids=[f for _, f in BAD])
def test_bad_input_is_refused_with_its_field_and_nothing_saved(
    app, client, db_session, sites, officer, changes, field
):
    _, headers = officer
    sent = body(app, site_ids=[sites["toll"].id])
    sent.update(changes)
    answer = client.post(URL, json=sent, headers=headers)
    assert answer.status_code == 422, answer.get_json()
    assert field in answer.get_json()["error"]["fields"]
    assert counts(db_session) == (0, 0, 0)


def test_an_unmet_item_failing_late_saves_nothing(app, client, db_session, sites, roads, officer):
    _, headers = officer
    # A fire-safety hazard cannot be at a road stake: refused before anything is written.
    section = {
        "road": "G30",
        "direction": "up",
        "start_stake": "K3504+000",
        "end_stake": "K3506+000",
    }
    answer = client.post(
        URL,
        json=body(
            app,
            site_ids=[sites["toll"].id],
            sections=[section],
            items=[item(result="does_not_meet", road="G30", direction="up", stake="K3505+000")],
        ),
        headers=headers,
    )
    assert answer.status_code == 422
    assert "items.0.hazard_category" in answer.get_json()["error"]["fields"]
    assert counts(db_session) == (0, 0, 0)


def test_managers_read_but_do_not_write(app, client, sites, crew, officer):
    _, manager = crew("manager")
    assert (
        client.post(URL, json=body(app, site_ids=[sites["toll"].id]), headers=manager).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/inspection-templates", json={"name": "x", "items": []}, headers=manager
        ).status_code
        == 403
    )
    client.post(URL, json=body(app, site_ids=[sites["toll"].id]), headers=officer[1])
    assert client.get(URL, headers=manager).get_json()["total"] == 1
