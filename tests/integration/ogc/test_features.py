"""OGC API – Features at /ogc/: documents, items by bbox, filters, time, paging, formats."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from inspection.hazards import workflow
from inspection.hazards.models import Hazard
from inspection.ogc.features import COLLECTIONS, BadParameter, parse_datetime
from inspection.patrols.models import Finding
from inspection.repairs.models import Repair
from inspection.surveys import pavement_index as pi
from inspection.surveys import queries as survey_queries
from inspection.surveys.models import SurveyUnit
from tests.integration.helpers import point_of

SHANGHAI = ZoneInfo("Asia/Shanghai")


def get(client, path: str, headers: dict, **kwargs):
    answer = client.get(path, headers=headers, **kwargs)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    return answer


def links_of(body: dict) -> dict[tuple[str, str], str]:
    return {(link["rel"], link["type"]): link["href"] for link in body["links"]}


def path_of(href: str) -> str:
    parts = urlsplit(href)
    return parts.path + ("?" + parts.query if parts.query else "")


def test_landing_page_links_what_clients_need(client, reader):
    body = get(client, "/ogc/", reader).get_json()
    links = links_of(body)
    assert links[("conformance", "application/json")].endswith("/ogc/conformance")
    assert links[("data", "application/json")].endswith("/ogc/collections")
    assert ("service-desc", "application/vnd.oai.openapi+json;version=3.0") in links
    assert all(href.startswith("http://") for href in links.values())  # absolute for GDAL
    conformance = get(client, "/ogc/conformance", reader).get_json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conformance
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conformance


def test_the_collections_come_from_the_one_table(client, reader):
    body = get(client, "/ogc/collections", reader).get_json()
    assert [c["id"] for c in body["collections"]] == [
        "roads",
        "findings",
        "hazards",
        "repairs",
        "survey_units",
        "sites",
        "patrol_coverage",
    ]
    assert list(COLLECTIONS) == [c["id"] for c in body["collections"]]
    for collection in body["collections"]:
        items = [
            link
            for link in collection["links"]
            if link["rel"] == "items" and link["type"] == "application/geo+json"
        ]
        assert len(items) == 1
        assert items[0]["href"].endswith(f"/ogc/collections/{collection['id']}/items")
        minx, miny, maxx, maxy = collection["extent"]["spatial"]["bbox"][0]
        assert 87 < minx <= maxx < 88 and 43 < miny <= maxy < 45
    one = get(client, "/ogc/collections/hazards", reader).get_json()
    assert one["id"] == "hazards" and "temporal" in one["extent"]
    assert client.get("/ogc/collections/nothing", headers=reader).status_code == 404


@pytest.mark.parametrize(
    ("collection", "model"),
    [("findings", Finding), ("repairs", Repair), ("hazards", Hazard), ("survey_units", SurveyUnit)],
)
def test_every_record_not_voided_is_a_feature(client, reader, db_session, collection, model):
    expected = select(model.id)
    if hasattr(model, "voided_at"):
        expected = expected.where(model.voided_at.is_(None))
    ids = set(db_session.scalars(expected))
    body = get(client, f"/ogc/collections/{collection}/items?limit=1000", reader).get_json()
    assert {f["id"] for f in body["features"]} == ids
    assert body["numberMatched"] == body["numberReturned"] == len(ids) > 0


def test_voided_records_are_never_served(client, reader, world):
    finding, repair = world["voided_finding"], world["voided_repair"]
    features = get(client, "/ogc/collections/findings/items?limit=1000", reader).get_json()
    assert finding.id not in {f["id"] for f in features["features"]}
    assert (
        client.get(f"/ogc/collections/findings/items/{finding.id}", headers=reader).status_code
        == 404
    )
    assert (
        client.get(f"/ogc/collections/repairs/items/{repair.id}", headers=reader).status_code == 404
    )


def test_a_feature_carries_its_properties_and_a_link_to_its_record(
    client, reader, db_session, world
):
    finding = world["findings"][0]
    answer = get(client, f"/ogc/collections/findings/items/{finding.id}", reader)
    assert answer.content_type == "application/geo+json"
    body = answer.get_json()
    assert body["type"] == "Feature" and body["id"] == finding.id
    assert body["geometry"]["type"] == "Point"
    assert body["geometry"]["coordinates"] == pytest.approx(
        list(point_of(db_session, "G30", 3_503_420.0)), abs=1e-6
    )
    assert body["properties"]["stake"] == "K3503+420"
    assert body["properties"]["road"] == "G30"
    assert body["properties"]["url"].endswith(f"/findings/{finding.client_uuid}")
    assert client.get(path_of(body["properties"]["url"]), headers=reader).status_code == 200
    for bad in ("abc", "0", "99999999999999999999", "%C2%B2"):
        assert (
            client.get(f"/ogc/collections/findings/items/{bad}", headers=reader).status_code == 404
        )


def test_bbox_keeps_only_what_it_touches(client, reader, db_session, world):
    lon, lat = point_of(db_session, "S21", 2_000.0)
    box = f"{lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}"
    body = get(client, f"/ogc/collections/findings/items?bbox={box}", reader).get_json()
    assert [f["properties"]["stake"] for f in body["features"]] == ["K2+000"]
    roads = get(client, f"/ogc/collections/roads/items?bbox={box}", reader).get_json()
    assert [f["properties"]["road"] for f in roads["features"]] == ["S21"]
    far = get(client, "/ogc/collections/findings/items?bbox=100,30,100.1,30.1", reader).get_json()
    assert far["features"] == [] and far["numberMatched"] == 0


def test_paging_follows_next_links_that_keep_the_query(client, reader, db_session):
    wanted = db_session.scalar(
        select(func.count())
        .select_from(Finding)
        .join(Finding.road)
        .where(Finding.voided_at.is_(None), Finding.road.has(code="G30"))
    )
    path = "/ogc/collections/findings/items?road=g30&limit=2&bbox=87,43,88,45"
    seen, pages = [], 0
    while path:
        body = get(client, path, reader).get_json()
        pages += 1
        assert body["numberMatched"] == wanted
        assert body["numberReturned"] == len(body["features"]) <= 2
        seen += [f["id"] for f in body["features"]]
        following = [link for link in body["links"] if link["rel"] == "next"]
        path = path_of(following[0]["href"]) if following else None
        if path:
            query = parse_qs(urlsplit(path).query)
            assert query["road"] == ["g30"] and query["bbox"] == ["87,43,88,45"]
            assert query["limit"] == ["2"]
    assert len(seen) == len(set(seen)) == wanted == 4
    assert pages == 2
    assert seen == sorted(seen)
    second = get(client, "/ogc/collections/findings/items?road=G30&limit=2&offset=2", reader)
    previous = [link for link in second.get_json()["links"] if link["rel"] == "prev"]
    assert "offset" not in parse_qs(urlsplit(previous[0]["href"]).query)


def test_filters_by_road_kind_and_state(client, reader, world):
    def stakes(path: str) -> list[str]:
        body = get(client, path, reader).get_json()
        return sorted(f["properties"]["stake"] for f in body["features"])

    assert stakes("/ogc/collections/findings/items?kind=pothole") == ["K3503+420", "K3605+000"]
    assert stakes("/ogc/collections/findings/items?kind=pothole&road=G312") == ["K3605+000"]
    assert stakes("/ogc/collections/findings/items?state=hazard_raised") == ["K3514+600"]
    assert stakes("/ogc/collections/hazards/items?kind=rockfall_slope") == ["K6+500"]
    assert stakes("/ogc/collections/hazards/items?state=reported") == ["K6+500"]
    assert stakes("/ogc/collections/hazards/items?state=open") == ["K3514+600", "K6+500"]
    assert stakes("/ogc/collections/repairs/items?kind=shoulder") == ["K3509+000"]
    units = get(
        client, f"/ogc/collections/survey_units/items?campaign={world['campaign'].id}", reader
    ).get_json()
    assert units["numberMatched"] == len(world["campaign"].units)


def test_hazards_say_whether_they_are_overdue_as_the_workflow_does(client, reader, db_session):
    today = datetime.now(SHANGHAI).date()
    body = get(client, "/ogc/collections/hazards/items", reader).get_json()
    assert len(body["features"]) == 2
    for feature in body["features"]:
        hazard = db_session.get(Hazard, feature["id"])
        assert feature["properties"]["overdue"] is workflow.is_overdue(
            hazard.state, hazard.deadline, today
        )
    overdue = get(client, "/ogc/collections/hazards/items?state=overdue", reader).get_json()
    assert [f["properties"]["overdue"] for f in overdue["features"]] == [True]
    assert overdue["features"][0]["properties"]["state"] == "rectifying"


def test_survey_units_carry_the_grade_of_their_pci(client, reader, db_session, world):
    body = get(client, "/ogc/collections/survey_units/items?limit=100", reader).get_json()
    units = db_session.scalars(
        select(SurveyUnit).where(SurveyUnit.campaign_id == world["campaign"].id)
    ).all()
    figures = {f.unit.id: f for f in survey_queries.unit_figures(db_session, units)}
    grades = set()
    for feature in body["features"]:
        expected = figures[feature["id"]]
        assert feature["properties"]["pci"] == expected.pci
        assert feature["properties"]["grade"] == pi.grade(expected.pci).value
        grades.add(feature["properties"]["grade"])
    assert len(grades) >= 3  # the seeded records spread the units over several grades


def test_datetime_filters_by_each_collections_time(client, reader, world):
    first = world["findings"][0].observed_at.astimezone(SHANGHAI).date()

    def count(collection: str, value: str) -> int:
        path = f"/ogc/collections/{collection}/items?datetime={value}"
        return get(client, path, reader).get_json()["numberMatched"]

    assert count("findings", first.isoformat()) == 1
    assert count("findings", f"{first}/{first + timedelta(days=2)}") == 3
    assert count("findings", f"../{first}") == 1  # the voided one that day is left out
    assert count("findings", f"{first + timedelta(days=5)}/..") == 1
    instant = world["findings"][1].observed_at.isoformat().replace("+00:00", "Z")
    assert count("findings", instant) == 1
    completed = world["repair"].completed_on
    assert count("repairs", completed.isoformat()) == 1
    assert count("repairs", (completed + timedelta(days=1)).isoformat()) == 0
    campaign = world["campaign"]
    inside = campaign.starts_on + timedelta(days=3)
    assert count("survey_units", inside.isoformat()) == len(campaign.units)
    assert count("survey_units", (campaign.ends_on + timedelta(days=1)).isoformat()) == 0
    roads = get(client, "/ogc/collections/roads/items?datetime=2020-01-01", reader).get_json()
    assert roads["numberMatched"] == 3  # roads have no time: the parameter does not apply


def test_parse_datetime_gives_half_open_intervals():
    start, stop = parse_datetime("2026-05-01", SHANGHAI)
    assert (start, stop) == (
        datetime(2026, 5, 1, tzinfo=SHANGHAI),
        datetime(2026, 5, 2, tzinfo=SHANGHAI),
    )
    start, stop = parse_datetime("2026-05-01T08:00:00Z/..", SHANGHAI)
    assert start.isoformat() == "2026-05-01T08:00:00+00:00" and stop is None
    assert parse_datetime("../2026-05-03", SHANGHAI)[1] == datetime(2026, 5, 4, tzinfo=SHANGHAI)
    for bad in ("yesterday", "2026-05-03/2026-05-01", "9999-12-31", "0001-01-01T00:00:00+14:00"):
        with pytest.raises(BadParameter):
            parse_datetime(bad, SHANGHAI)


@pytest.mark.parametrize(
    "query",
    [
        "bbox=1,2,3",
        "bbox=10,50,0,40",
        "bbox=a,b,c,d",
        "bbox=-200,0,0,10",
        "limit=0",
        "limit=-5",
        "limit=ten",
        "offset=99999999999",
        "datetime=soon",
        "kind=volcano",
        "colour=red",
        "f=xml",
        "crs=EPSG:3857",
        "road=G3%000",
    ],
)
def test_bad_parameters_are_answered_400_with_the_error_body(client, reader, query):
    answer = client.get(f"/ogc/collections/findings/items?{query}", headers=reader)
    assert answer.status_code == 400, answer.get_data(as_text=True)
    error = answer.get_json()["error"]
    assert set(error) >= {"code", "message", "fields"}


def test_a_limit_above_the_maximum_is_capped(client, reader):
    body = get(client, "/ogc/collections/findings/items?limit=999999", reader).get_json()
    assert body["numberReturned"] == body["numberMatched"]


def test_html_answers_for_browsers_and_f_html(client, reader, world):
    browser = {**reader, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    for path in (
        "/ogc/",
        "/ogc/conformance",
        "/ogc/collections",
        "/ogc/collections/findings",
        "/ogc/collections/findings/items",
        f"/ogc/collections/findings/items/{world['findings'][0].id}",
        "/ogc/api",
    ):
        answer = get(client, path, browser)
        assert answer.content_type.startswith("text/html"), path
        assert "<script" not in answer.get_data(as_text=True).split("</footer>")[0], path
    page = get(client, "/ogc/collections/hazards/items?f=html", reader).get_data(as_text=True)
    assert "K3514+600" in page and "K6+500" in page
    as_json = client.get("/ogc/collections/hazards/items?f=json", headers=browser)
    assert as_json.content_type == "application/geo+json"


def test_the_ogc_api_definition_lists_every_collection(client, reader):
    answer = get(client, "/ogc/api", reader)
    assert answer.content_type.startswith("application/vnd.oai.openapi+json")
    paths = answer.get_json()["paths"]
    for collection in COLLECTIONS:
        assert f"/collections/{collection}/items" in paths
        assert f"/collections/{collection}/items/{{featureId}}" in paths


@pytest.mark.parametrize("path", ["/ogc/", "/ogc/collections", "/ogc/collections/roads/items"])
def test_access_needs_a_login_or_token_with_records_read(client, make_user, db_session, path):
    from inspection.auth import services as auth_services

    anonymous = client.get(path)
    assert anonymous.status_code == 401
    assert anonymous.get_json()["error"]["code"] == "unauthorized"
    admin = make_user("admin")
    token = auth_services.issue_token(db_session, admin).token
    refused = client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 403
    patrol = make_user("patrol")
    token = auth_services.issue_token(db_session, patrol).token
    assert client.get(path, headers={"Authorization": f"Bearer {token}"}).status_code == 200
