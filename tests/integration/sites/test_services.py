"""Departments and sites through the services: positions, owners, names, nearest first."""

import dataclasses

import pytest
from sqlalchemy import func, select

from inspection.errors import ValidationError
from inspection.geo import from_db
from inspection.sites import queries, services
from inspection.sites.models import Department, Site
from inspection.sites.services import SiteInput
from tests.integration.helpers import point_of


def fields_of(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.fields


def test_departments_are_created_renamed_and_deactivated(db_session, departments):
    depot = departments["乌鲁木齐养护工区"]
    services.update_department(
        db_session, depot, name="乌鲁木齐养护一工区", kind="maintenance_area", active=True
    )
    assert depot.name == "乌鲁木齐养护一工区"
    assert fields_of(
        lambda: services.create_department(db_session, name=" 机务科 ", kind="machinery")
    ) == {"name": "Another department has this name."}
    assert fields_of(
        lambda: services.create_department(db_session, name="x" * 129, kind="nope")
    ) == {"name": "At most 128 characters.", "kind": "Not one of the allowed values."}
    assert fields_of(lambda: services.create_department(db_session, name="  ", kind="other")) == {
        "name": "Give the name."
    }
    assert [d.name for d in queries.list_departments(db_session, active=False)] == ["旧科室"]
    assert db_session.scalar(select(func.count()).select_from(Department)) == 4


def test_a_site_from_a_stake_keeps_road_and_stake(db_session, roads, departments):
    site = services.create_site(
        db_session,
        SiteInput(
            name="柴窝堡收费站",
            kind="toll_station",
            road="g30",
            direction="up",
            stake="K3510+000",
            department_id=departments["柴窝堡收费站"].id,
        ),
    )
    point = from_db(site.geom)
    assert (round(point.x, 6), round(point.y, 6)) == tuple(
        round(v, 6) for v in point_of(db_session, "G30", 3510000)
    )
    body = queries.site_dict(site)
    assert body["road"] == "G30" and body["direction"] == "up" and body["stake"] == "K3510+000"
    assert body["department"] == {"id": departments["柴窝堡收费站"].id, "name": "柴窝堡收费站"}
    assert body["kind_label"] == "Toll station" and body["active"] is True


def test_lon_lat_win_when_both_are_given_and_the_stake_is_still_checked(db_session, roads):
    site = services.create_site(
        db_session,
        SiteInput(
            name="服务区", kind="service_area", lon=87.55, lat=43.87, road="G30", stake="K3516+500"
        ),
    )
    assert from_db(site.geom).coords[0] == (87.55, 43.87)
    assert site.road_id == roads["G30"].id and site.chainage == 3516500
    assert fields_of(
        lambda: services.create_site(
            db_session,
            SiteInput(name="远", kind="other", lon=87.5, lat=43.8, road="G30", stake="K3530+000"),
        )
    ) == {"stake": "The stake is not on this road."}


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"kind": "gas_station"}, {"kind": "Not one of the allowed values."}),
        ({"name": "x" * 129}, {"name": "At most 128 characters."}),
        ({"name": " "}, {"name": "Give the name."}),
        (
            {"department_id": 999999},
            {"department_id": "Choose an active department from the list."},
        ),
        ({"department_id": "old"}, {"department_id": "Choose an active department from the list."}),
        (
            {"road": "G99", "stake": "K1+000", "lon": None, "lat": None},
            {"road": "No road has this code."},
        ),
        (
            {"road": "G30", "stake": "K3530+000", "lon": None, "lat": None},
            {"stake": "The stake is not on this road."},
        ),
        (
            {"road": "G30", "stake": "K3511+900", "lon": None, "lat": None},
            {"stake": "The stake is not on this road."},
        ),
        ({"lon": 200.0}, {"lon": "Longitude must lie between -180 and 180."}),
        ({"lat": float("nan")}, {"lat": "Latitude must lie between -90 and 90."}),
        ({"lat": None}, {"lat": "Give both longitude and latitude."}),
        (
            {"lon": None, "lat": None},
            {"lon": "Give the longitude and latitude, or a road and stake."},
        ),
        ({"name": "已有站点"}, {"name": "Another site has this name."}),
        ({"note": "n" * 2001}, {"note": "Too long."}),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    db_session, roads, departments, changes, fields
):
    services.create_site(db_session, SiteInput(name="已有站点", kind="other", lon=87.6, lat=43.9))
    if changes.get("department_id") == "old":
        changes = {**changes, "department_id": departments["旧科室"].id}
    data = {"name": "新站点", "kind": "bridge", "lon": 87.6, "lat": 43.8, **changes}
    assert fields_of(lambda: services.create_site(db_session, SiteInput(**data))) == fields
    assert db_session.scalar(select(func.count()).select_from(Site)) == 1


def test_a_site_keeps_its_department_after_that_department_is_deactivated(db_session, departments):
    owner = departments["机务科"]
    site = services.create_site(
        db_session,
        SiteInput(
            name="机修车间", kind="machinery_workshop", lon=87.62, lat=43.94, department_id=owner.id
        ),
    )
    services.deactivate_department(db_session, owner)
    data = services.site_input_of(site)
    services.update_site(db_session, site, SiteInput(**{**data.__dict__, "note": "年检"}))
    assert site.department_id == owner.id and site.note == "年检"
    services.deactivate_site(db_session, site)
    assert queries.list_sites(db_session) == []
    assert queries.list_sites(db_session, active=None) == [site]


def test_sites_nearest_first_with_metres(db_session, roads, departments):
    for name, lon, lat, kind in (
        ("远", 87.70, 43.90, "office"),
        ("近", 87.601, 43.80, "toll_station"),
        ("中", 87.62, 43.80, "toll_station"),
    ):
        services.create_site(db_session, SiteInput(name=name, kind=kind, lon=lon, lat=lat))
    rows = queries.nearest_sites(db_session, 87.60, 43.80)
    assert [site.name for site, _ in rows] == ["近", "中", "远"]
    assert 75 < rows[0][1] < 85  # 0.001° of longitude at 43.8° N is about 80 m
    assert [s.name for s, _ in queries.nearest_sites(db_session, 87.6, 43.8, kind="office")] == [
        "远"
    ]
    assert len(queries.nearest_sites(db_session, 87.6, 43.8, limit=2)) == 2


def test_moving_a_site_moves_its_hazards_points(db_session, make_user):
    from inspection.hazards.services import raise_hazard

    site = services.create_site(
        db_session, SiteInput(name="达坂城服务区", kind="service_area", lon=88.3, lat=43.4)
    )
    officer = make_user("safety_officer")
    hazard = raise_hazard(
        db_session,
        site=site,
        category="fire_safety",
        grade="general",
        description="安全出口堵塞",
        actor=officer,
    )
    moved_input = dataclasses.replace(services.site_input_of(site), lon=88.31, lat=43.41)
    services.update_site(db_session, site, moved_input)
    db_session.refresh(hazard)
    moved = from_db(hazard.geom)
    assert (round(moved.x, 6), round(moved.y, 6)) == (88.31, 43.41)
