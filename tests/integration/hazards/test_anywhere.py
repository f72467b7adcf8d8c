"""Hazards at a site as well as at a road stake: raise, refuse bad places, board, ledger, OGC."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, text

from inspection.errors import ValidationError
from inspection.hazards import services
from inspection.hazards.models import Hazard, HazardEvent
from inspection.network import services as network
from tests.conftest import csrf_token_from
from tests.integration.hazards.test_loop import act, raise_body
from tests.integration.helpers import new_uuid

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()


def site_body(site, **overrides):
    body = {
        "client_uuid": new_uuid(),
        "site_id": site.id,
        "location_note": "二楼配电室",
        "category": "fire_safety",
        "grade": "general",
        "description": "灭火器压力不足 2 具",
        "source": "higher_authority",
    }
    body.update(overrides)
    return body


def hazards_in(db_session) -> int:
    return db_session.scalar(select(func.count(Hazard.id)))


@pytest.fixture
def officer(crew):
    return crew("safety_officer")


def test_a_hazard_raised_at_a_site_through_the_api(client, roads, site, officer, db_session):
    _, headers = officer
    answer = client.post("/api/v1/hazards", json=site_body(site), headers=headers)
    assert answer.status_code == 201, answer.get_json()
    hazard = answer.get_json()
    assert hazard["location_type"] == "site"
    assert hazard["site"] == {"id": site.id, "name": "柳园收费站", "kind": "toll_station"}
    assert hazard["location_note"] == "二楼配电室"
    assert (hazard["road"], hazard["direction"], hazard["stake"]) == (None, None, None)
    assert hazard["source"] == "higher_authority" and hazard["source_label"]
    assert hazard["responsible_unit"] is None
    # The hazard stands on the site's point, so maps show it.
    assert hazard["geometry"] == {"type": "Point", "coordinates": [95.39, 41.06]}
    again = client.post(
        "/api/v1/hazards", json=site_body(site, client_uuid=hazard["uuid"]), headers=headers
    )
    assert again.status_code == 200 and hazards_in(db_session) == 1
    event = db_session.scalar(select(HazardEvent).where(HazardEvent.hazard_id == hazard["id"]))
    assert (event.action, event.to_state) == ("raise", "reported")


def test_the_source_defaults_to_patrol_on_a_road(client, roads, officer):
    _, headers = officer
    hazard = client.post("/api/v1/hazards", json=raise_body(), headers=headers).get_json()
    assert (hazard["source"], hazard["location_type"], hazard["site"]) == ("patrol", "road", None)
    assert (hazard["road"], hazard["stake"], hazard["location_note"]) == ("G30", "K3506+500", "")


def test_the_service_raises_at_a_site(db_session, roads, site, make_user):
    actor = make_user("safety_officer")
    hazard = services.raise_hazard(
        db_session,
        site=site,
        location_note="油库",
        category="hazardous_materials",
        grade="major",
        description="油桶无防泄漏托盘",
        source="public_report",
        actor=actor,
    )
    assert (hazard.site_id, hazard.road_id, hazard.chainage) == (site.id, None, None)
    assert (hazard.source, hazard.state, hazard.geometry_version) == (
        "public_report",
        "reported",
        None,
    )
    location = network.resolve_location(
        db_session, road_code="G30", direction="up", stake="K3506+000"
    )
    for place in ({}, {"site": site, "location": location}):
        with pytest.raises(ValidationError) as refused:
            services.raise_hazard(
                db_session,
                category="other",
                grade="general",
                description="x",
                actor=actor,
                **place,
            )
        assert set(refused.value.fields) == {"location"}
    with pytest.raises(ValidationError) as refused:
        services.raise_hazard(
            db_session,
            site=site,
            category="guardrail_damage",
            grade="general",
            description="x",
            actor=actor,
        )
    assert set(refused.value.fields) == {"category"}
    assert hazards_in(db_session) == 1


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        # both a stake and a site
        (
            {"road": "G30", "direction": "up", "stake": "K3506+500"},
            {"site_id", "road", "direction", "stake"},
        ),
        ({"gps": {"lon": 95.4, "lat": 41.0, "accuracy": 5}}, {"site_id", "gps"}),
        # neither
        ({"site_id": None, "location_note": ""}, {"location"}),
        # an unknown site, or not a site id at all
        ({"site_id": 999_999}, {"site_id"}),
        ({"site_id": "1"}, {"site_id"}),
        ({"site_id": 2**40}, {"site_id"}),
        # a category that does not apply to sites
        ({"category": "guardrail_damage"}, {"category"}),
        # only an inspection raises self-inspection hazards; unknown sources
        ({"source": "self_inspection"}, {"source"}),
        ({"source": "rumour"}, {"source"}),
    ],
    ids=[
        "stake-and-site",
        "gps-and-site",
        "neither",
        "unknown-site",
        "text-id",
        "huge-id",
        "road-category",
        "self-inspection",
        "unknown-source",
    ],
)
def test_bad_places_and_sources_are_422_and_save_nothing(
    client, roads, site, officer, db_session, change, fields
):
    _, headers = officer
    answer = client.post("/api/v1/hazards", json=site_body(site, **change), headers=headers)
    assert answer.status_code == 422, answer.get_json()
    assert set(answer.get_json()["error"]["fields"]) == fields
    assert hazards_in(db_session) == 0


def test_a_category_for_sites_only_is_refused_at_a_road(client, roads, officer, db_session):
    _, headers = officer
    answer = client.post(
        "/api/v1/hazards", json=raise_body(category="fire_safety"), headers=headers
    )
    assert answer.status_code == 422
    assert set(answer.get_json()["error"]["fields"]) == {"category"}
    note = client.post("/api/v1/hazards", json=raise_body(location_note="x"), headers=headers)
    assert set(note.get_json()["error"]["fields"]) == {"location_note"}
    assert hazards_in(db_session) == 0


def test_an_inactive_site_is_refused(client, roads, site, officer, db_session):
    _, headers = officer
    site.active = False
    db_session.flush()
    answer = client.post("/api/v1/hazards", json=site_body(site), headers=headers)
    assert answer.status_code == 422
    assert set(answer.get_json()["error"]["fields"]) == {"site_id"}


def assignment(unit, **changes):
    payload = {
        "responsible_unit": unit,
        "responsible_person": "赵站长",
        "measures": "更换灭火器",
        "deadline": (TODAY + timedelta(days=3)).isoformat(),
    }
    payload.update(changes)
    return payload


@pytest.mark.parametrize(
    "unit",
    ["养护一工区", 999_999, "999999", -1, 1.5, True, [1], "inactive"],
    ids=repr,
)
def test_assigning_needs_an_active_department(client, roads, site, officer, units, unit):
    _, headers = officer
    hazard = client.post("/api/v1/hazards", json=site_body(site), headers=headers).get_json()
    if unit == "inactive":
        unit = units["撤并的道班"].id
    refused = act(client, hazard, headers, "assign", **assignment(unit))
    assert refused.status_code == 422
    assert set(refused.get_json()["error"]["fields"]) == {"responsible_unit"}
    after = client.get(f"/api/v1/hazards/{hazard['id']}", headers=headers).get_json()
    assert (after["state"], after["version"], after["responsible_unit"]) == ("reported", 1, None)


def test_assigning_a_site_hazard_to_a_department(client, roads, site, officer, units):
    _, headers = officer
    hazard = client.post("/api/v1/hazards", json=site_body(site), headers=headers).get_json()
    unit = units["分局工程科"]
    assigned = act(client, hazard, headers, "assign", **assignment(str(unit.id)))
    assert assigned.status_code == 200, assigned.get_json()
    assert assigned.get_json()["responsible_unit"] == {"id": unit.id, "name": "分局工程科"}


def test_recheck_is_not_offered_nor_taken_on_the_hazard(
    client, roads, officer, units, db_session, login_as
):
    _, headers = officer
    hazard = client.post("/api/v1/hazards", json=raise_body(), headers=headers).get_json()
    row = db_session.get(Hazard, hazard["id"])
    row.state, row.closed_at = "closed", datetime.now(ZoneInfo("UTC"))  # as if verified
    db_session.flush()
    detail = client.get(f"/api/v1/hazards/{hazard['id']}", headers=headers).get_json()
    assert detail["available_actions"] == ["reopen"]
    refused = act(client, hazard, headers, "recheck", inspection_id=1, note="整改到位")
    assert refused.status_code == 422
    assert set(refused.get_json()["error"]["fields"]) == {"action"}
    login_as("safety_officer")
    page = client.get(f"/hazards/{hazard['id']}").get_data(as_text=True)
    assert 'value="recheck"' not in page and 'value="reopen"' in page
    posted = client.post(
        f"/hazards/{hazard['id']}/act",
        data={"csrf_token": csrf_token_from(page), "action": "recheck", "version": "1"},
    )
    assert posted.status_code == 422
    assert 'class="flash flash-error"' in posted.get_data(as_text=True)
    assert db_session.scalar(select(func.count(HazardEvent.id))) == 1


def test_the_hazard_page_of_a_site_hazard_assigns_a_department(
    client, roads, site, officer, units, login_as, db_session, english
):
    _, headers = officer
    hazard = client.post("/api/v1/hazards", json=site_body(site), headers=headers).get_json()
    login_as("safety_officer")
    page = client.get(f"/hazards/{hazard['id']}").get_data(as_text=True)
    assert "柳园收费站" in page and "二楼配电室" in page
    assert "Higher-authority inspection" in page
    assert '<select id="ru-1" name="responsible_unit">' in page
    assert "分局工程科</option>" in page and "撤并的道班" not in page
    answer = client.post(
        f"/hazards/{hazard['id']}/act",
        data={
            "csrf_token": csrf_token_from(page),
            "action": "assign",
            "version": "1",
            **assignment(str(units["养护一工区"].id)),
        },
    )
    assert answer.status_code == 303
    db_session.expire_all()
    assert db_session.get(Hazard, hazard["id"]).responsible_department_id == units["养护一工区"].id
    page = client.get(f"/hazards/{hazard['id']}").get_data(as_text=True)
    assert "养护一工区 · 赵站长" in page


def test_the_board_filters_by_source_and_place(client, roads, site, officer, login_as, english):
    _, headers = officer
    at_site = client.post("/api/v1/hazards", json=site_body(site), headers=headers).get_json()
    on_road = client.post("/api/v1/hazards", json=raise_body(), headers=headers).get_json()
    login_as("safety_officer")
    board = client.get("/hazards/").get_data(as_text=True)
    assert at_site["number"] in board and on_road["number"] in board
    assert "柳园收费站 · 二楼配电室" in board
    assert "Open hazards at sites by kind and grade" in board

    def shown(**args):
        page = client.get("/hazards/", query_string=args).get_data(as_text=True)
        return {n for n in (at_site["number"], on_road["number"]) if n in page}

    assert shown(place="site") == {at_site["number"]}
    assert shown(place="toll_station") == {at_site["number"]}
    assert shown(place="service_area") == set()
    assert shown(place="road") == {on_road["number"]}
    assert shown(source="patrol") == {on_road["number"]}
    assert shown(source="higher_authority", place="site") == {at_site["number"]}
    # An unknown filter is refused on the board's error page (the query model), not ignored.
    refused = client.get("/hazards/", query_string={"source": "nonsense"})
    assert refused.status_code == 422 and "source" in refused.get_data(as_text=True)
    listed = client.get(
        "/api/v1/hazards", query_string={"place": "toll_station"}, headers=headers
    ).get_json()
    assert [h["number"] for h in listed["hazards"]] == [at_site["number"]]
    by_source = client.get(
        "/api/v1/hazards", query_string={"source": "patrol"}, headers=headers
    ).get_json()
    assert [h["number"] for h in by_source["hazards"]] == [on_road["number"]]
    bad = client.get("/api/v1/hazards", query_string={"place": "moon"}, headers=headers)
    assert bad.status_code == 422


def test_the_ledger_has_source_location_type_and_site(
    client, roads, site, officer, login_as, english
):
    _, headers = officer
    at_site = client.post(
        "/api/v1/hazards",
        json=site_body(site, description="=1+2 看似公式的描述"),
        headers=headers,
    ).get_json()
    on_road = client.post("/api/v1/hazards", json=raise_body(), headers=headers).get_json()
    login_as("manager")
    sheet = load_workbook(io.BytesIO(client.get("/hazards/ledger.xlsx").get_data())).active
    header, *rows = list(sheet.values)
    assert header[:6] == ("Number", "Source", "Location type", "Road", "Site name", "Location")
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    road_row, site_row = by_number[on_road["number"]], by_number[at_site["number"]]
    assert (road_row["Source"], road_row["Location type"]) == ("Road patrol", "At a road stake")
    assert (road_row["Road"], road_row["Site name"], road_row["Location"]) == (
        "G30 连霍高速（示范段）",
        None,
        "K3506+500",
    )
    assert (site_row["Source"], site_row["Location type"]) == (
        "Higher-authority inspection",
        "Toll station",
    )
    assert (site_row["Road"], site_row["Site name"], site_row["Location"]) == (
        None,
        "柳园收费站",
        "二楼配电室",
    )
    # Text someone typed is never a formula in the sheet.
    assert site_row["Description"] == "'=1+2 看似公式的描述"
    csv = client.get("/hazards/ledger.csv").get_data().decode("utf-8-sig")
    assert "Higher-authority inspection,Toll station,,柳园收费站,二楼配电室" in csv


def test_ogc_serves_site_hazards_at_the_sites_point(client, roads, site, officer):
    _, headers = officer
    at_site = client.post("/api/v1/hazards", json=site_body(site), headers=headers).get_json()
    on_road = client.post("/api/v1/hazards", json=raise_body(), headers=headers).get_json()
    items = client.get("/ogc/collections/hazards/items", headers=headers).get_json()
    features = {f["properties"]["number"]: f for f in items["features"]}
    assert set(features) == {at_site["number"], on_road["number"]}
    site_feature = features[at_site["number"]]
    assert site_feature["geometry"] == {"type": "Point", "coordinates": [95.39, 41.06]}
    properties = site_feature["properties"]
    assert (properties["road"], properties["stake"], properties["direction"]) == (None,) * 3
    assert (properties["site"], properties["site_kind"], properties["location_type"]) == (
        "柳园收费站",
        "toll_station",
        "site",
    )
    assert properties["source"] == "higher_authority"
    assert features[on_road["number"]]["properties"]["location_type"] == "road"
    one = client.get(f"/ogc/collections/hazards/items/{at_site['id']}", headers=headers)
    assert one.get_json()["properties"]["site"] == "柳园收费站"
    only_sites = client.get(
        "/ogc/collections/hazards/items",
        query_string={"source": "higher_authority"},
        headers=headers,
    ).get_json()
    assert [f["properties"]["number"] for f in only_sites["features"]] == [at_site["number"]]
    on_g30 = client.get(
        "/ogc/collections/hazards/items", query_string={"road": "G30"}, headers=headers
    ).get_json()
    assert [f["properties"]["number"] for f in on_g30["features"]] == [on_road["number"]]


def test_audit_verify_holds_for_hazards_from_before_and_after_the_change(
    app, client, roads, site, officer, units, db_session
):
    """A hazard whose events name the unit as text (before departments) still verifies."""
    user, headers = officer
    before = client.post("/api/v1/hazards", json=raise_body(), headers=headers).get_json()
    row = db_session.get(Hazard, before["id"])
    # What the migration leaves: an assign event whose payload names the unit as free text.
    row.state, row.version = "rectifying", 2
    db_session.flush()
    services.append_event(
        db_session,
        row,
        action="assign",
        from_state="reported",
        actor=user,
        note="更换护栏板",
        payload={"responsible_unit": "养护一工区", "responsible_person": "马队长"},
    )
    db_session.expire_all()
    after = client.post("/api/v1/hazards", json=site_body(site), headers=headers).get_json()
    act(client, after, headers, "assign", **assignment(units["养护一工区"].id))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "verify"]).output.strip() == "audit chains intact"
    db_session.execute(
        text("UPDATE hazard_events SET payload = '{}' WHERE hazard_id = :id AND seq = 2"),
        {"id": after["id"]},
    )
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"hazard {after['id']}: event 2" in result.output


@pytest.mark.parametrize("assignee", ["²", "１２", "x", "9" * 400])
def test_an_assignee_that_is_not_a_user_id_is_a_form_message_not_a_500(
    client, roads, site, officer, units, login_as, db_session, assignee
):
    _, headers = officer
    hazard = client.post("/api/v1/hazards", json=site_body(site), headers=headers).get_json()
    login_as("safety_officer")
    page = client.get(f"/hazards/{hazard['id']}").get_data(as_text=True)
    answer = client.post(
        f"/hazards/{hazard['id']}/act",
        data={
            "csrf_token": csrf_token_from(page),
            "action": "assign",
            "version": "1",
            **assignment(str(units["养护一工区"].id)),
            "assignee_user_id": assignee,
        },
    )
    assert answer.status_code == 422
    db_session.expire_all()
    assert db_session.get(Hazard, hazard["id"]).state == "reported"
