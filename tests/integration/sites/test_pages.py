"""The department and site pages: managers and administrators change, the others read."""

import pytest
from sqlalchemy import select

from inspection.sites import services
from inspection.sites.demo import load_sites
from inspection.sites.models import Department, Site
from inspection.sites.services import SiteInput
from tests.conftest import csrf_token_from


def token_of(client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    return csrf_token_from(page.get_data(as_text=True))


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_admins_keep_departments(client, login_as, db_session, english, role):
    login_as(role)
    token = token_of(client, "/departments/")
    answer = client.post(
        "/departments/new", data={"csrf_token": token, "name": "机务科", "kind": "machinery"}
    )
    assert answer.status_code == 302
    department = db_session.scalar(select(Department).where(Department.name == "机务科"))
    refused = client.post(
        "/departments/new", data={"csrf_token": token, "name": "机务科", "kind": "machinery"}
    )
    assert refused.status_code == 422
    assert "Another department has this name." in refused.get_data(as_text=True)
    path = f"/departments/{department.id}/edit"
    token = token_of(client, path)
    answer = client.post(
        path, data={"csrf_token": token, "name": "机务设备科", "kind": "machinery"}
    )
    assert answer.status_code == 302
    db_session.refresh(department)
    assert department.name == "机务设备科" and department.active is False  # box left unticked


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_admins_create_and_edit_sites(
    client, login_as, db_session, roads, english, role
):
    login_as(role)
    owner = services.create_department(db_session, name="柴窝堡收费站", kind="toll_station")
    token = token_of(client, "/sites/new")
    form = {
        "csrf_token": token,
        "name": "柴窝堡收费站",
        "kind": "toll_station",
        "department_id": str(owner.id),
        "road": "G30",
        "direction": "up",
        "stake": "K3510+000",
    }
    answer = client.post("/sites/new", data=form)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    site = db_session.scalar(select(Site).where(Site.name == "柴窝堡收费站"))
    assert site.chainage == 3510000 and site.department_id == owner.id
    bad = client.post("/sites/new", data={**form, "name": "二号站", "stake": "K3530+000"})
    assert bad.status_code == 422
    assert "The stake is not on this road." in bad.get_data(as_text=True)
    edit = client.get(f"/sites/{site.id}/edit").get_data(as_text=True)
    assert 'value="K3510+000"' in edit
    token = csrf_token_from(edit)
    moved = client.post(
        f"/sites/{site.id}/edit",
        data={**form, "csrf_token": token, "lon": "87.61", "lat": "43.86", "active": "y"},
    )
    assert moved.status_code == 302
    db_session.refresh(site)
    assert site.road_id is not None and site.active
    off = client.post(f"/sites/{site.id}/edit", data={**form, "csrf_token": token})
    assert off.status_code == 302
    db_session.refresh(site)
    assert site.active is False


def test_patrol_reads_but_may_not_change(client, login_as, db_session, english):
    services.create_site(
        db_session, SiteInput(name="达坂城服务区", kind="service_area", lon=87.55, lat=43.87)
    )
    login_as("patrol")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/sites/"' in home
    listed = client.get("/sites/?kind=service_area").get_data(as_text=True)
    assert "达坂城服务区" in listed and "New site" not in listed
    assert client.get("/sites/?kind=tunnel").get_data(as_text=True).count("达坂城服务区") == 0
    assert client.get("/departments/").status_code == 200
    assert client.get("/sites/new").status_code == 403
    assert client.post("/sites/new", data={"name": "x"}).status_code == 403
    assert client.post("/departments/new", data={"name": "x"}).status_code == 403
    assert client.get("/sites/import").status_code == 403


def test_the_demo_sites_lie_on_the_demo_roads(db_session, roads):
    created = load_sites(db_session)
    assert len(created) == 6
    kinds = sorted(s.kind for s in created)
    assert kinds == sorted(
        [
            "toll_station",
            "service_area",
            "maintenance_depot",
            "maintenance_depot",
            "machinery_workshop",
            "office",
        ]
    )
    assert all(s.department is not None for s in created)
    assert load_sites(db_session) == []  # a second load adds nothing
