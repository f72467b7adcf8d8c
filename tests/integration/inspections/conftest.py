"""Fixtures of the self-inspection tests: sites, officers with tokens, closing a hazard."""

import uuid
from datetime import timedelta

import pytest
from shapely.geometry import Point

from inspection.geo import to_db
from inspection.hazards import services as hazards
from inspection.media.services import PhotoUpload, storage_for
from inspection.network import services as network
from inspection.sites.models import Department, Site
from inspection.web import branch_today
from tests.integration.helpers import jpeg_bytes, point_of


@pytest.fixture
def sites(db_session, roads):
    """A toll station and a service area beside G30, and a depot in town (not in any scope)."""
    unit = Department(name="检查测试工区", kind="maintenance_area")
    db_session.add(unit)
    db_session.flush()
    made = {}
    for key, name, kind, geom in (
        ("toll", "测试收费站", "toll_station", Point(*point_of(db_session, "G30", 3_504_000))),
        ("service", "测试服务区", "service_area", Point(*point_of(db_session, "G30", 3_508_000))),
        ("depot", "测试养护工区", "maintenance_depot", Point(87.60, 43.80)),
    ):
        made[key] = Site(name=name, kind=kind, geom=to_db(geom), department_id=unit.id)
    db_session.add_all(made.values())
    db_session.flush()
    made["unit"] = unit
    return made


@pytest.fixture
def officer(crew):
    """A safety officer and the bearer headers of their token."""
    return crew("safety_officer")


@pytest.fixture
def close_hazard(app, db_session, crew, sites):
    """Take a hazard round the whole loop to closed (assign, evidence, verify): audited."""
    assignee, _ = crew("patrol", "safety_officer")
    verifier, _ = crew("safety_officer")

    def close(hazard):
        with app.app_context():
            today = branch_today()
        hazards.act(
            db_session,
            hazard.id,
            "assign",
            version=hazard.version,
            payload={
                "responsible_unit": sites["unit"].id,
                "responsible_person": "张工",
                "measures": "更换",
                "deadline": (today + timedelta(days=3)).isoformat(),
                "assignee_user_id": assignee.id,
            },
            actor=verifier,
            today=today,
        )
        hazards.submit_evidence(
            db_session,
            storage_for(app.config["MEDIA_ROOT"]),
            hazard.id,
            version=hazard.version,
            uploads=[PhotoUpload(client_uuid=uuid.uuid4(), data=jpeg_bytes(), stage="after")],
            note="已整改",
            actor=assignee,
            today=today,
            max_bytes=10_000_000,
        )
        hazards.act(
            db_session,
            hazard.id,
            "verify",
            version=hazard.version,
            payload={"note": "复查合格"},
            actor=verifier,
            today=today,
        )
        return hazard

    return close


@pytest.fixture
def road_hazard(db_session, crew, roads):
    """Raise a hazard at a G30 up stake (a patrol's), for linking and look-back tests."""
    patrol, _ = crew("patrol")

    def make(stake: str, category: str = "guardrail_damage"):
        location = network.resolve_location(
            db_session, road_code="G30", direction="up", stake=stake
        )
        return hazards.raise_hazard(
            db_session,
            location=location,
            category=category,
            grade="general",
            description="护栏板变形",
            actor=patrol,
        )

    return make
