"""Records on the demo roads for the map and OGC tests, made through the services.

Used by the rolled-back integration tests, by the committed database GDAL and schemathesis read,
and by the browser test of the map page.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from inspection.auth import services as auth_services
from inspection.auth.models import User
from inspection.hazards import services as hazard_services
from inspection.hazards.models import Hazard
from inspection.network import services as network
from inspection.network.importing import FieldNames
from inspection.network.models import Road
from inspection.network.sample import demo_network
from inspection.patrols import schemas as patrol_schemas
from inspection.patrols import services as patrol_services
from inspection.patrols.kinds import FINDING_KINDS, SIDES
from inspection.patrols.models import Finding
from inspection.repairs import schemas as repair_schemas
from inspection.repairs import services as repair_services
from inspection.sites.demo import load_sites
from inspection.sites.models import Department, Site
from inspection.surveys import importing as survey_importing
from inspection.surveys import services as survey_services

PASSWORD = "ogc-map-password-1"
FINDINGS = (
    {"kind": "pothole", "road": "G30", "stake": "K3503+420", "quantity": 1.2, "depth_mm": 50},
    {
        "kind": "pavement_distress",
        "road": "G30",
        "stake": "K3507+080",
        "item_code": "transverse_crack",
        "severity": "heavy",
        "quantity": 11.5,
    },
    {
        "kind": "shoulder_damage",
        "road": "G30",
        "stake": "K3509+200",
        "end_stake": "K3509+260",
        "item_code": "shoulder_damage",
        "severity": "light",
        "quantity": 24,
        "side": "right",
    },
    {"kind": "drainage", "road": "S21", "stake": "K2+000", "note": "涵洞堵塞"},
    {"kind": "pothole", "road": "G312", "stake": "K3605+000", "quantity": 0.4},
    {
        "kind": "safety_hazard",
        "road": "G30",
        "stake": "K3514+600",
        "hazard": {
            "category": "guardrail_damage",
            "grade": "general",
            "description": "中央护栏被撞损约 8 m",
        },
    },
)


def _user(session, username: str, roles: list[str]) -> User:
    found = session.scalar(select(User).where(User.username == username))
    return found or auth_services.create_user(
        session, username, PASSWORD, roles, display_name=username
    )


def seed_world(session, *, prefix: str = "ogc", today: date | None = None) -> dict:
    """Create demo roads (if none), users and records; return what the tests look for."""
    today = today or date.today()
    if session.scalar(select(func.count()).select_from(Road)) == 0:
        network.import_features(session, demo_network(), FieldNames())
    crew = _user(session, f"{prefix}.crew", ["patrol"])
    officer = _user(session, f"{prefix}.officer", ["safety_officer"])
    manager = _user(session, f"{prefix}.manager", ["manager"])
    observed = datetime.combine(today - timedelta(days=20), time(9, 0), tzinfo=UTC)
    findings = []
    for offset, body in enumerate(FINDINGS):
        data = patrol_schemas.parse_finding(
            {
                "client_uuid": str(uuid.uuid4()),
                "observed_at": (observed + timedelta(days=offset)).isoformat(),
                **body,
            },
            FINDING_KINDS,
            SIDES,
        )
        findings.append(patrol_services.submit_finding(session, data, actor=crew).record)
    voided = patrol_services.submit_finding(
        session,
        patrol_schemas.parse_finding(
            {
                "client_uuid": str(uuid.uuid4()),
                "kind": "pothole",
                "road": "G30",
                "stake": "K3504+000",
                "quantity": 0.5,
                "observed_at": observed.isoformat(),
            },
            FINDING_KINDS,
            SIDES,
        ),
        actor=crew,
    ).record
    patrol_services.void_record(session, voided, "entered twice", actor=crew)

    # The hazard the safety finding raised: assigned long ago, so it is overdue now.
    overdue = session.scalar(select(Hazard).where(Hazard.finding_id == findings[-1].id))
    assigned_on = today - timedelta(days=15)
    unit = session.scalar(select(Department).where(Department.name == "养护一工区"))
    if unit is None:
        unit = Department(name="养护一工区", kind="maintenance_area")
        session.add(unit)
        session.flush()
    hazard_services.act(
        session,
        overdue.id,
        "assign",
        version=overdue.version,
        payload={
            "responsible_unit": unit.id,
            "responsible_person": "马队长",
            "assignee_user_id": crew.id,
            "measures": "更换护栏板",
            "deadline": (today - timedelta(days=5)).isoformat(),
        },
        actor=officer,
        today=assigned_on,
    )
    reported, _ = hazard_services.raise_reported_hazard(
        session,
        uuid.uuid4(),
        location=network.resolve_location(session, road_code="S21", direction=None, stake="K6+500"),
        actor=crew,
        category="rockfall_slope",
        grade="major",
        description="边坡落石",
        interim_measures="",
        found_at=observed,
    )

    repair = repair_services.record_repair(
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
                "completed_on": (today - timedelta(days=10)).isoformat(),
                "area_m2": 640,
                "materials": [{"name": "级配碎石", "quantity": 38, "unit": "m3"}],
            }
        ),
        actor=crew,
        today=today,
    ).record
    voided_repair = repair_services.record_repair(
        session,
        repair_schemas.parse_repair(
            {
                "client_uuid": str(uuid.uuid4()),
                "kind": "pothole",
                "road": "G30",
                "direction": "up",
                "stake": "K3503+420",
                "completed_on": (today - timedelta(days=9)).isoformat(),
                "area_m2": 1.5,
                "count": 1,
                "depth_mm": 50,
            }
        ),
        actor=crew,
        today=today,
    ).record
    repair_services.void_repair(session, voided_repair, "wrong road", actor=crew)

    campaign = survey_services.create_campaign(
        session,
        survey_services.CampaignInput(
            name=f"{prefix} spring survey",
            starts_on=today - timedelta(days=60),
            ends_on=today - timedelta(days=45),
            method="visual",
            unit_length_m=1000.0,
            width_m=7.5,
            pavement="asphalt",
            roads=(("G30", "up"),),
        ),
        actor=manager,
    )
    session.flush()
    units = sorted(campaign.units, key=lambda u: u.seq)
    for index, quantity in ((0, 5.0), (2, 60.0), (4, 200.0), (6, 500.0)):
        survey_services.add_record(
            session,
            campaign,
            survey_importing.parse_record(
                {
                    "unit_id": units[index].id,
                    "family": "pavement",
                    "item_code": "alligator_cracking",
                    "severity": "heavy",
                    "quantity": quantity,
                }
            ),
            actor=manager,
        )
    load_sites(session)  # departments and sites near the demo roads (the `sites` collection)
    session.flush()
    return {
        "sites": list(session.scalars(select(Site).order_by(Site.id))),
        "crew": crew,
        "officer": officer,
        "manager": manager,
        "findings": findings,
        "voided_finding": voided,
        "overdue_hazard": overdue,
        "reported_hazard": reported,
        "repair": repair,
        "voided_repair": voided_repair,
        "campaign": campaign,
    }


def live_findings(session) -> int:
    return session.scalar(
        select(func.count()).select_from(Finding).where(Finding.voided_at.is_(None))
    )
