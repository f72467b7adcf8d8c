"""The JSON API of sites and departments: answers, nearest first, and 422 for bad input."""

import pytest

from inspection.sites import services
from inspection.sites.services import SiteInput


def post(client, path, body, headers):
    return client.post(path, json=body, headers=headers)


def test_create_read_change_and_list(client, roads, departments, manager_headers):
    owner = departments["柴窝堡收费站"]
    created = post(
        client,
        "/api/v1/sites",
        {
            "name": "柴窝堡收费站",
            "kind": "toll_station",
            "road": "G30",
            "direction": "up",
            "stake": "K3510+000",
            "department_id": owner.id,
        },
        manager_headers,
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert set(body) == {
        "id",
        "name",
        "kind",
        "kind_label",
        "lon",
        "lat",
        "road",
        "direction",
        "stake",
        "department",
        "note",
        "active",
    }
    assert body["department"] == {"id": owner.id, "name": "柴窝堡收费站"}
    site_id = body["id"]
    changed = client.patch(
        f"/api/v1/sites/{site_id}", json={"note": "24小时值班"}, headers=manager_headers
    )
    assert changed.status_code == 200
    assert changed.get_json()["stake"] == "K3510+000"  # the place is kept when not sent
    moved = client.patch(
        f"/api/v1/sites/{site_id}", json={"lon": 87.6, "lat": 43.86}, headers=manager_headers
    ).get_json()
    assert (moved["lon"], moved["lat"], moved["road"], moved["stake"]) == (87.6, 43.86, None, None)
    gone = client.patch(f"/api/v1/sites/{site_id}", json={"active": False}, headers=manager_headers)
    assert gone.get_json()["active"] is False
    assert client.get("/api/v1/sites", headers=manager_headers).get_json() == {"sites": []}
    everything = client.get("/api/v1/sites?active=all", headers=manager_headers).get_json()
    assert [s["id"] for s in everything["sites"]] == [site_id]
    assert client.get(f"/api/v1/sites/{site_id}", headers=manager_headers).status_code == 200
    assert client.get("/api/v1/sites/999999", headers=manager_headers).status_code == 404


def test_nearest_first_with_distance(client, db_session, crew):
    for name, lon in (("远", 87.70), ("近", 87.601), ("中", 87.62)):
        services.create_site(db_session, SiteInput(name=name, kind="office", lon=lon, lat=43.8))
    _, headers = crew("patrol")
    body = client.get("/api/v1/sites?near=87.6,43.8&limit=2", headers=headers).get_json()
    assert [(s["name"], round(s["distance_m"], -1)) for s in body["sites"]] == [
        ("近", 80.0),
        ("中", 1610.0),
    ]
    by_name = client.get("/api/v1/sites?kind=office", headers=headers).get_json()
    assert [s["name"] for s in by_name["sites"]] == ["中", "近", "远"]


def test_departments(client, english, departments, manager_headers, crew):
    created = post(
        client, "/api/v1/departments", {"name": "后勤科", "kind": "logistics"}, manager_headers
    )
    assert created.status_code == 201
    assert created.get_json()["kind"] == "logistics"
    _, patrol = crew("patrol")
    listed = client.get("/api/v1/departments", headers=patrol).get_json()["departments"]
    assert "旧科室" not in [d["name"] for d in listed] and "后勤科" in [d["name"] for d in listed]
    assert post(client, "/api/v1/departments", {"name": "x"}, patrol).status_code == 403
    duplicate = post(client, "/api/v1/departments", {"name": "机务科"}, manager_headers)
    assert duplicate.status_code == 422
    assert duplicate.get_json()["error"]["fields"] == {"name": "Another department has this name."}


GOOD = {"name": "新站点", "kind": "office", "lon": 87.6, "lat": 43.9}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"department_id": 999999}, "department_id"),
        ({"department_id": 2**40}, "department_id"),
        ({"department_id": True}, "department_id"),
        ({"department_id": "abc"}, "department_id"),
        ({"lon": 200}, "lon"),
        ({"lon": "east"}, "lon"),
        ({"lat": [1]}, "lat"),
        ({"name": "x" * 129}, "name"),
        ({"name": 5}, "name"),
        ({"name": ""}, "name"),
        ({"kind": ["x"]}, "kind"),
        ({"kind": "gas_station"}, "kind"),
        ({"road": "G99", "stake": "K1+000", "lon": None, "lat": None}, "road"),
        ({"road": "G30", "stake": "K9999+000"}, "stake"),
        ({"road": "G30", "stake": "12"}, "stake"),
        ({"direction": "left", "road": "G30", "stake": "K3510+000"}, "direction"),
        ({"note": "n" * 2001}, "note"),
        ({"lon": None, "lat": None}, "lon"),
    ],
)
def test_bad_input_is_422_and_saves_nothing(
    client, roads, departments, manager_headers, changes, field
):
    answer = post(client, "/api/v1/sites", {**GOOD, **changes}, manager_headers)
    assert answer.status_code == 422, answer.get_json()
    assert field in answer.get_json()["error"]["fields"]
    assert client.get("/api/v1/sites?active=all", headers=manager_headers).get_json() == {
        "sites": []
    }


def test_inactive_department_and_bad_patches(
    client, english, db_session, departments, manager_headers
):
    old = departments["旧科室"].id
    answer = post(client, "/api/v1/sites", {**GOOD, "department_id": old}, manager_headers)
    assert answer.get_json()["error"]["fields"] == {
        "department_id": "Choose an active department from the list."
    }
    site = services.create_site(db_session, SiteInput(**GOOD))
    for body in ({"active": "no"}, {"name": None}, {"kind": 3}, {"lat": None}):
        answer = client.patch(f"/api/v1/sites/{site.id}", json=body, headers=manager_headers)
        assert answer.status_code == 422, (body, answer.get_json())
    assert (
        client.patch(f"/api/v1/sites/{site.id}", data="[]", headers=manager_headers).status_code
        == 400
    )


@pytest.mark.parametrize(
    "query",
    [
        "near=87.6",
        "near=a,b",
        "near=200,40",
        "near=nan,1",
        "limit=0",
        "limit=100000",
        "limit=²",
        "department_id=99999999999",
        "department_id=-1",
        "kind=nope",
        "active=maybe",
    ],
)
def test_bad_query_strings_are_422(client, manager_headers, query):
    answer = client.get(f"/api/v1/sites?{query}", headers=manager_headers)
    assert answer.status_code == 422, answer.get_data(as_text=True)


def test_a_nul_character_is_refused_without_a_server_error(client, manager_headers):
    answer = post(client, "/api/v1/sites", {**GOOD, "name": "a\x00b"}, manager_headers)
    assert answer.status_code in (400, 422)
