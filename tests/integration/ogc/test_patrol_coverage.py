"""The `patrol_coverage` collection: stretches of a period as line features, computed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.tracks.coverage_helpers import interval, local, patrol, patrol_whole_road

MAY = "datetime=2026-05-01/2026-05-10"


@pytest.fixture
def patrolled(db_session, roads, make_user):
    crew = make_user("patrol")
    for day in range(1, 11):
        patrol_whole_road(db_session, roads["G30"], crew, local(2026, 5, day))
    s21 = roads["S21"]
    interval(
        db_session,
        patrol(db_session, s21, crew, local(2026, 5, 2, 8)),
        s21,
        0,
        5000,
        local(2026, 5, 2, 9),
    )
    return crew


def items(client, headers, query):
    answer = client.get(f"/ogc/collections/patrol_coverage/items?{query}", headers=headers)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    assert answer.content_type == "application/geo+json"
    return answer.get_json()


def test_every_stretch_of_the_period_is_a_line_feature(client, crew, roads, patrolled):
    _, headers = crew("manager")
    body = items(client, headers, MAY + "&limit=100")
    features = body["features"]
    assert body["numberMatched"] == body["numberReturned"] == len(features)
    assert [f["id"] for f in features] == list(range(1, len(features) + 1))
    by_road = {}
    for f in features:
        by_road.setdefault(f["properties"]["road"], []).append(f)
    assert set(by_road) == {"G30", "G312", "S21"}
    [g30] = by_road["G30"]
    p = g30["properties"]
    assert g30["geometry"]["type"] == "LineString"
    assert (p["from_stake"], p["to_stake"], p["passes"], p["days_since"]) == (
        "K3500+000",
        "K3520+000",
        10,
        0,
    )
    assert p["last_patrolled"] == "2026-05-10" and p["period_from"] == "2026-05-01"
    assert p["url"].endswith("/patrols/coverage?from=2026-05-01&to=2026-05-10&road=G30")
    s21 = by_road["S21"]
    assert [(f["properties"]["passes"], f["properties"]["days_since"]) for f in s21] == [
        (1, 8),
        (0, None),
    ]
    assert all(not f["properties"]["at_frequency"] for f in s21)
    # The line follows the road: its ends are the road's stakes.
    first, last = g30["geometry"]["coordinates"][0], g30["geometry"]["coordinates"][-1]
    assert first != last


def test_filters_bbox_paging_and_one_feature(client, crew, roads, patrolled, db_session):
    _, headers = crew("patrol")
    everything = items(client, headers, MAY)["features"]
    only = items(client, headers, MAY + "&road=s21")["features"]
    assert [f["id"] for f in only] == [
        f["id"] for f in everything if f["properties"]["road"] == "S21"
    ]
    assert (
        items(client, headers, MAY + "&direction=up")["features"][0]["properties"]["road"] == "G30"
    )
    lon, lat = only[0]["geometry"]["coordinates"][0]
    near = items(
        client, headers, f"{MAY}&bbox={lon - 0.001},{lat - 0.001},{lon + 0.001},{lat + 0.001}"
    )
    assert [f["id"] for f in near["features"]] == [only[0]["id"]]
    page = items(client, headers, MAY + "&limit=2&offset=1")
    assert [f["id"] for f in page["features"]] == [everything[1]["id"], everything[2]["id"]]
    assert any(link["rel"] == "next" for link in page["links"])
    one = client.get("/ogc/collections/patrol_coverage/items/1", headers=headers)
    assert one.status_code == 200 and one.get_json()["id"] == 1
    assert (
        client.get("/ogc/collections/patrol_coverage/items/999", headers=headers).status_code == 404
    )


@pytest.mark.parametrize(
    "query",
    [
        "datetime=2025-01-01/2026-05-01",  # longer than 366 days
        "datetime=1500-01-01",
        "datetime=soon",
        "direction=sideways",
    ],
)
def test_bad_periods_are_answered_400(client, crew, roads, query):
    _, headers = crew("manager")
    answer = client.get(f"/ogc/collections/patrol_coverage/items?{query}", headers=headers)
    assert answer.status_code == 400, answer.get_data(as_text=True)
    assert answer.get_json()["error"]["fields"]


def test_the_default_period_and_the_collection_document(client, crew, roads, patrolled):
    _, headers = crew("manager")
    body = items(client, headers, "")
    assert body["features"] and all(f["properties"]["period_to"] for f in body["features"])
    first = body["features"][0]["properties"]
    from datetime import date

    period_to = date.fromisoformat(first["period_to"])
    assert date.fromisoformat(first["period_from"]) == period_to - timedelta(days=29)
    described = client.get("/ogc/collections/patrol_coverage", headers=headers).get_json()
    assert described["extent"]["temporal"]["interval"][0][0].startswith("2026-05-01")
    html = client.get("/ogc/collections/patrol_coverage?f=html", headers=headers)
    assert html.status_code == 200 and "days_since" in html.get_data(as_text=True)
