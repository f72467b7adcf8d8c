"""Demo departments and sites near the demo roads (inspection/network/sample.py)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inspection.network.models import Road
from inspection.sites import services
from inspection.sites.models import Department, Site

DEMO_DEPARTMENTS = (
    ("乌鲁木齐养护工区", "maintenance_area"),
    ("柴窝堡收费站", "toll_station"),
    ("达坂城服务区", "service_area"),
    ("机务科", "machinery"),
    ("后勤科", "logistics"),
)

# name, kind, department, (road, direction, stake) or None, (lon, lat) or None, note.
# A site on a demo road takes its point from the stake; the coordinates are where it stands
# when the demo roads are not loaded.
DEMO_SITES = (
    (
        "柴窝堡收费站",
        "toll_station",
        "柴窝堡收费站",
        ("G30", "up", "K3510+000"),
        (87.62, 43.86),
        "",
    ),
    (
        "达坂城服务区",
        "service_area",
        "达坂城服务区",
        ("G30", "up", "K3516+500"),
        (87.55, 43.87),
        "",
    ),
    (
        "乌鲁木齐养护工区",
        "maintenance_depot",
        "乌鲁木齐养护工区",
        ("G30", "up", "K3500+300"),
        (87.745, 43.861),
        "工区院内含材料库",
    ),
    (
        "G312线道班",
        "maintenance_depot",
        "乌鲁木齐养护工区",
        ("G312", "up", "K3608+000"),
        (87.49, 43.72),
        "",
    ),
    (
        "分局机修车间",
        "machinery_workshop",
        "机务科",
        None,
        (87.6235, 43.9402),
        "机械车辆维修及年检",
    ),
    ("分局办公楼及职工食堂", "office", "后勤科", None, (87.6261, 43.9418), "含职工宿舍"),
)


def load_sites(session: Session) -> list[Site]:
    """Create the demo departments and sites that do not exist yet; return the sites created."""
    departments = {d.name: d for d in session.scalars(select(Department))}
    for name, kind in DEMO_DEPARTMENTS:
        if name not in departments:
            departments[name] = services.create_department(session, name=name, kind=kind)
    taken = set(session.scalars(select(Site.name)))
    have_roads = session.scalar(select(func.count(Road.id))) > 0
    created = []
    for name, kind, department, at_stake, coordinates, note in DEMO_SITES:
        if name in taken:
            continue
        road, direction, stake = at_stake if (at_stake and have_roads) else ("", None, "")
        lon, lat = coordinates if not stake else (None, None)
        data = services.SiteInput(
            name=name,
            kind=kind,
            lon=lon,
            lat=lat,
            road=road,
            direction=direction,
            stake=stake,
            department_id=departments[department].id,
            note=note,
        )
        created.append(services.create_site(session, data))
    return created
