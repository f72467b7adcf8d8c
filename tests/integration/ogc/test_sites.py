"""The `sites` collection: every active site, with name, kind, department, road and stake."""

from inspection.sites import services


def items(client, reader, query=""):
    answer = client.get(f"/ogc/collections/sites/items{query}", headers=reader)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    return answer.get_json()


def test_every_active_site_is_a_point_feature(client, reader, db_session, world):
    sites = world["sites"]
    assert len(sites) == 6
    services.deactivate_site(db_session, sites[-1])
    body = items(client, reader, "?limit=100")
    assert body["numberMatched"] == body["numberReturned"] == 5
    toll = next(f for f in body["features"] if f["properties"]["name"] == "柴窝堡收费站")
    assert toll["geometry"]["type"] == "Point"
    properties = {k: v for k, v in toll["properties"].items() if k != "url"}
    assert properties == {
        "name": "柴窝堡收费站",
        "kind": "toll_station",
        "department": "柴窝堡收费站",
        "road": "G30",
        "stake": "K3510+000",
    }
    assert toll["properties"]["url"].endswith(f"/sites/{toll['id']}")
    workshop = next(f for f in body["features"] if f["properties"]["kind"] == "machinery_workshop")
    assert workshop["properties"]["road"] is None and workshop["properties"]["stake"] is None


def test_bbox_and_filters(client, reader, world):
    lon, lat = items(client, reader, "?kind=toll_station")["features"][0]["geometry"]["coordinates"]
    box = f"{lon - 0.001},{lat - 0.001},{lon + 0.001},{lat + 0.001}"
    inside = items(client, reader, f"?bbox={box}")
    assert [f["properties"]["name"] for f in inside["features"]] == ["柴窝堡收费站"]
    assert items(client, reader, "?bbox=100,30,100.1,30.1")["numberMatched"] == 0
    depot = next(s for s in world["sites"] if s.kind == "maintenance_depot").department_id
    by_department = items(client, reader, f"?department={depot}")
    assert {f["properties"]["kind"] for f in by_department["features"]} == {"maintenance_depot"}
    bad = client.get("/ogc/collections/sites/items?kind=castle", headers=reader)
    assert bad.status_code == 400
    assert (
        client.get("/ogc/collections/sites/items?department=x", headers=reader).status_code == 400
    )
