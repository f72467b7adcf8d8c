"""`flask demo load`: demo users and roads (and, as areas grow, demo records)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from inspection.auth import services as auth_services
from inspection.auth.models import User
from inspection.crew.demo import load_demo_briefings
from inspection.crew.demo_zones import load_demo_zones
from inspection.extensions import db
from inspection.fleet.demo import load_drivers, load_vehicles
from inspection.hazards import services as hazard_services
from inspection.hazards.models import Hazard
from inspection.inspections import schemas as inspection_schemas
from inspection.inspections import services as inspection_services
from inspection.network import services as network_services
from inspection.network.importing import FieldNames
from inspection.network.models import Road
from inspection.network.sample import demo_network
from inspection.patrols import schemas as patrol_schemas
from inspection.patrols import services as patrol_services
from inspection.patrols.kinds import FINDING_KINDS, PATROL_KINDS, SIDES, WEATHER
from inspection.plans.demo import load_demo_plan
from inspection.repairs import schemas as repair_schemas
from inspection.repairs import services as repair_services
from inspection.sites.demo import load_sites
from inspection.sites.kinds import DepartmentKind
from inspection.sites.models import Department, Site
from inspection.supplies.demo import load_demo_supplies
from inspection.tracks.demo import load_demo_tracks
from inspection.web import branch_today

DEMO_PASSWORD = "demo-pass-2026"
# The demo roads' technical classes (the demo network's features carry none).
DEMO_ROAD_CLASSES = {"G30": "expressway", "S21": "expressway", "G312": "class2"}
DEMO_USERS = [
    ("crew1", "王建国", ["patrol"]),
    ("crew2", "阿不都热合曼", ["patrol"]),
    ("officer1", "李安全", ["safety_officer"]),
    ("manager1", "张经理", ["manager"]),
    ("machinery1", "刘建华", ["machinery"]),
    ("admin", "系统管理员", ["admin"]),
]


def load_demo(session, *, today: date | None = None) -> list[tuple[str, str]]:
    """Create the demo users, roads and records that do not exist yet; return the logins."""
    # Demo roads only go into an empty network: they must never replace real centrelines.
    new_network = session.scalar(select(func.count(Road.id))) == 0
    if new_network:
        network_services.import_features(session, demo_network(), FieldNames())
        for road in session.scalars(select(Road)):
            road.road_class = DEMO_ROAD_CLASSES.get(road.code, road.road_class)
    logins = []
    for username, display_name, roles in DEMO_USERS:
        if session.scalar(select(User.id).where(User.username == username)) is None:
            auth_services.create_user(
                session, username, DEMO_PASSWORD, roles, display_name=display_name
            )
        logins.append((username, ",".join(roles)))
    if new_network:
        load_sites(session)  # toll station, service area, depots… of the demo branch
        _demo_records(session, today or date.today())
        _demo_inspection(session, today or date.today())
        load_vehicles(session, today or date.today())  # the fleet register (#15)
        load_drivers(session, today or date.today())  # the drivers register and reviews (#15)
        load_demo_supplies(session, today or date.today())  # two depots' stock, a snow event
        load_demo_briefings(session, today or date.today())  # pre-shift briefings (#16)
        load_demo_zones(session, today or date.today())  # work zones (#16)
        load_demo_plan(session, today or date.today())  # this year's plan, adjusted in July (#17)
    return logins


def _department(session, name: str, kind: DepartmentKind) -> Department:
    """Return the department of that name, created when the branch has none yet."""
    department = session.scalar(select(Department).where(Department.name == name))
    if department is None:
        department = Department(name=name, kind=str(kind))
        session.add(department)
        session.flush()
    return department


def _demo_records(session, today: date) -> None:
    """Record a morning's patrol on the demo G30 with what a crew typically finds and fixes."""
    crew = auth_services.get_user(session, "crew1")
    officer = auth_services.get_user(session, "officer1")
    # Yesterday 09:00 Beijing time, so the records are never in the future whenever this runs.
    yesterday = today - timedelta(days=1)
    started = datetime.combine(yesterday, time(9, 0), tzinfo=UTC) - timedelta(hours=8)
    patrol_uuid = uuid.uuid4()
    patrol = patrol_services.start_patrol(
        session,
        patrol_schemas.parse_patrol_start(
            {
                "client_uuid": str(patrol_uuid),
                "road": "G30",
                "direction": "up",
                "kind": "routine",
                "crew": "王建国、阿不都热合曼",
                "vehicle": "新A·H1234",
                "weather": "sunny",
                "started_at": started.isoformat(),
                "start_stake": "K3500+000",
            },
            PATROL_KINDS,
            WEATHER,
        ),
        actor=crew,
    ).record
    findings = [
        {
            "kind": "pothole",
            "stake": "K3503+420",
            "quantity": 1.2,
            "depth_mm": 50,
            "note": "行车道坑槽两处",
            "count": 2,
        },
        {
            "kind": "pavement_distress",
            "item_code": "transverse_crack",
            "severity": "heavy",
            "quantity": 11.5,
            "stake": "K3507+080",
            "note": "横缝贯通",
        },
        {
            "kind": "shoulder_damage",
            "item_code": "shoulder_damage",
            "severity": "light",
            "quantity": 24,
            "stake": "K3509+200",
            "end_stake": "K3509+260",
            "side": "right",
        },
        {
            "kind": "safety_hazard",
            "stake": "K3514+600",
            "note": "中央护栏被撞损约 8 m",
            "onsite_action": "设置锥桶和警示标志",
            "hazard": {
                "category": "guardrail_damage",
                "grade": "general",
                "description": "中央护栏被撞损约 8 m，立柱歪斜",
            },
        },
    ]
    for offset, body in enumerate(findings):
        observed = started + timedelta(minutes=20 * (offset + 1))
        patrol_services.submit_finding(
            session,
            patrol_schemas.parse_finding(
                {
                    "client_uuid": str(uuid.uuid4()),
                    "patrol_uuid": str(patrol_uuid),
                    "observed_at": observed.isoformat(),
                    **body,
                },
                FINDING_KINDS,
                SIDES,
            ),
            actor=crew,
        )
    # The patrol's drive and a month of earlier patrols: tracks, patrolled km, coverage.
    load_demo_tracks(session, crew, today, open_patrol=patrol)
    hazard = session.scalar(select(Hazard).order_by(Hazard.id.desc()))
    # The responsible unit of a rectification is one of the branch's departments.
    unit = _department(session, "养护一工区", DepartmentKind.maintenance_area)
    hazard_services.act(
        session,
        hazard.id,
        "assign",
        version=hazard.version,
        payload={
            "responsible_unit": unit.id,
            "responsible_person": "马队长",
            "assignee_user_id": crew.id,
            "measures": "更换护栏板 4 块，校正立柱",
            "deadline": (today + timedelta(days=5)).isoformat(),
        },
        actor=officer,
        today=today,
    )
    repair_services.record_repair(
        session,
        repair_schemas.parse_repair(
            {
                "client_uuid": str(uuid.uuid4()),
                "kind": "shoulder",
                "road": "G30",
                "direction": "up",
                "side": "right",
                "stake": "K3509+000",
                "end_stake": "K3509+400",
                "completed_on": yesterday.isoformat(),
                "area_m2": 640,
                "materials": [{"name": "级配碎石", "quantity": 38, "unit": "m3"}],
                "crew": "养护一工区",
                "method": "整平、补填、碾压",
            }
        ),
        actor=crew,
        today=today,
    )


def _demo_inspection(session, today: date) -> None:
    """A seasonal self-inspection of a toll station, a service area and a stretch of G30.

    Through the same parsing and service as the API: one unmet item raises a hazard at the
    toll station, the others meet.
    """
    officer = auth_services.get_user(session, "officer1")
    sites = {
        site.name: site.id
        for site in session.scalars(
            select(Site).where(Site.name.in_(("柴窝堡收费站", "达坂城服务区")))
        )
    }
    if len(sites) < 2:
        return
    items = [
        ("fire_safety", "灭火器配置齐全、压力正常、在检验有效期内", "fire_safety", "meets", ""),
        (
            "fire_safety",
            "消防通道、安全出口畅通，应急照明和疏散指示完好",
            "fire_safety",
            "does_not_meet",
            "收费站东侧安全出口堆放杂物",
        ),
        ("electricity", "配电箱（柜）上锁、标识清楚，无裸露带电部位", "electrical", "meets", ""),
    ]
    inspection_services.create_inspection(
        session,
        inspection_schemas.parse_inspection(
            {
                "client_uuid": str(uuid.uuid4()),
                "kind": "seasonal",
                "theme": "冬季安全生产大检查",
                "started_on": (today - timedelta(days=2)).isoformat(),
                "ended_on": (today - timedelta(days=1)).isoformat(),
                "leader_user_id": officer.id,
                "members": [{"name": "马队长"}, {"name": "李工"}],
                "site_ids": list(sites.values()),
                "sections": [
                    {
                        "road": "G30",
                        "direction": "up",
                        "start_stake": "K3500+000",
                        "end_stake": "K3512+000",
                    }
                ],
                "items": [
                    {
                        "client_uuid": str(uuid.uuid4()),
                        "section": section,
                        "name": name,
                        "hazard_category": category,
                        "result": result,
                        "note": note,
                        "site_id": sites["柴窝堡收费站"],
                    }
                    for section, name, category, result, note in items
                ],
            }
        ),
        actor=officer,
        today=today,
    )


@click.group("demo", help="Demo data for trying the app.")
def demo_cli() -> None:
    pass


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Only when the database has no users yet.")
@with_appcontext
def load(if_empty: bool) -> None:
    """Load demo users and records, and print the demo logins."""
    if if_empty and db.session.scalar(select(func.count(User.id))):
        click.echo("demo: the database already has users; nothing loaded.")
        _print_logins([(u, ",".join(r)) for u, _, r in DEMO_USERS])
        return
    logins = load_demo(db.session, today=branch_today())
    db.session.commit()
    _print_logins(logins)


def _print_logins(logins: list[tuple[str, str]]) -> None:
    click.echo(f"Demo logins (password {DEMO_PASSWORD!r} for all):")
    for username, roles in logins:
        click.echo(f"  {username:10} {roles}")
