"""Migration 0012 on a database holding a safety_inspection patrol: nothing lost either way."""

import uuid
from datetime import UTC, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from inspection.hazards import audit
from tests.conftest import make_test_app, recreate_database, url_of_test_database

FOUND_AT = datetime(2025, 3, 10, 2, 30, tzinfo=UTC)  # 10:30 in Asia/Shanghai


@pytest.fixture
def scratch(tmp_path_factory):
    url = url_of_test_database()
    url = url.set(database=f"{url.database}_m0012")
    recreate_database(url)
    app = make_test_app(url, tmp_path_factory)
    engine = create_engine(url)
    yield app, engine
    engine.dispose()
    with app.app_context():
        from inspection.extensions import db

        db.engine.dispose()


def _seed_0011(conn) -> dict:
    """Rows as revision 0011 stored them: a self-inspection patrol that raised a hazard."""
    user_id = conn.execute(
        text(
            "INSERT INTO users (username, display_name, password_hash, roles)"
            " VALUES ('officer', '王安全', 'x', ARRAY['safety_officer']) RETURNING id"
        )
    ).scalar_one()
    road_id = conn.execute(
        text(
            "INSERT INTO roads (code, name, road_class, direction, start_chainage, end_chainage,"
            " length_m, lon_0, geom) VALUES ('G30', '连霍高速', 'expressway', 'up', 3500000,"
            " 3510000, 10000, 87.6,"
            " ST_GeomFromText('LINESTRING(87.6 43.8, 87.7 43.8)', 4326)) RETURNING id"
        )
    ).scalar_one()
    patrol_id = conn.execute(
        text(
            "INSERT INTO patrols (client_uuid, road_id, direction, kind, crew, vehicle, weather,"
            " started_at, ended_at, start_chainage, end_chainage, note, created_by_id)"
            " VALUES (:uuid, :road, 'up', 'safety_inspection', '张三、李四', '', 'sunny',"
            " :started, :ended, 3506000, 3502000, '春季安全检查', :user) RETURNING id"
        ),
        {
            "uuid": uuid.uuid4(),
            "road": road_id,
            "started": FOUND_AT,
            "ended": FOUND_AT.replace(hour=8),
            "user": user_id,
        },
    ).scalar_one()
    point = "ST_GeomFromText('POINT(87.65 43.8)', 4326)"
    finding_id = conn.execute(
        text(
            "INSERT INTO findings (client_uuid, patrol_id, kind, status, note, onsite_action,"
            " road_id, direction, lane, chainage, stake_text, location_source, geom,"
            " geometry_version, observed_at, user_agent, created_by_id)"
            " VALUES (:uuid, :patrol, 'safety_hazard', 'hazard_raised', '护栏松动', '', :road,"
            f" 'up', '', 3505000, 'K3505+000', 'stake', {point}, 1, :at, '', :user) RETURNING id"
        ),
        {
            "uuid": uuid.uuid4(),
            "patrol": patrol_id,
            "road": road_id,
            "at": FOUND_AT,
            "user": user_id,
        },
    ).scalar_one()
    hazard_id = conn.execute(
        text(
            "INSERT INTO hazards (number, finding_id, category, grade, description, state, version,"
            " road_id, direction, chainage, geom, geometry_version, found_at, found_by_id,"
            " interim_measures, responsible_unit, responsible_person, measures)"
            " VALUES ('YH-2025-0001', :finding, 'guardrail_damage', 'general', '护栏松动',"
            f" 'reported', 1, :road, 'up', 3505000, {point}, 1, :at, :user, '',"
            " '乌鲁木齐养护工区', '', '') RETURNING id"
        ),
        {"finding": finding_id, "road": road_id, "at": FOUND_AT, "user": user_id},
    ).scalar_one()
    fields = audit.hashed_fields(
        hazard_id=hazard_id,
        seq=1,
        action="raise",
        from_state=None,
        to_state="reported",
        actor_id=user_id,
        at=FOUND_AT,
        note="护栏松动",
        payload={"category": "guardrail_damage"},
        evidence=[],
    )
    conn.execute(
        text(
            "INSERT INTO hazard_events (hazard_id, seq, action, from_state, to_state, actor_id, at,"
            " note, payload, evidence, prev_hash, hash) VALUES (:hazard, 1, 'raise', NULL,"
            " 'reported', :user, :at, '护栏松动', CAST(:payload AS jsonb), '[]', :prev, :hash)"
        ),
        {
            "hazard": hazard_id,
            "user": user_id,
            "at": FOUND_AT,
            "payload": '{"category": "guardrail_damage"}',
            "prev": audit.GENESIS,
            "hash": audit.event_hash(audit.GENESIS, fields),
        },
    )
    return {"patrol": patrol_id, "hazard": hazard_id, "road": road_id, "user": user_id}


def test_safety_inspection_patrols_become_inspections_and_come_back(scratch):
    app, engine = scratch
    with app.app_context():
        upgrade(revision="0011")
    with engine.begin() as conn:
        ids = _seed_0011(conn)

    with app.app_context():
        upgrade()
    with engine.connect() as conn:
        inspection = conn.execute(
            text("SELECT * FROM inspections WHERE legacy_patrol_id = :p"), {"p": ids["patrol"]}
        ).one()
        assert inspection.kind == "routine"
        assert inspection.theme == "春季安全检查"
        assert str(inspection.started_on) == "2025-03-10" == str(inspection.ended_on)
        assert inspection.leader_id == ids["user"] and inspection.voided_at is None
        members = conn.execute(
            text("SELECT name FROM inspection_members WHERE inspection_id = :i ORDER BY id"),
            {"i": inspection.id},
        ).scalars()
        assert list(members) == ["张三", "李四"]
        section = conn.execute(
            text("SELECT * FROM inspection_sections WHERE inspection_id = :i"), {"i": inspection.id}
        ).one()
        assert (section.road_id, section.start_chainage, section.end_chainage) == (
            ids["road"],
            3502000,
            3506000,
        )
        hazard = conn.execute(
            text(
                "SELECT h.source, h.inspection_id, d.name FROM hazards h"
                " JOIN departments d ON d.id = h.responsible_department_id WHERE h.id = :h"
            ),
            {"h": ids["hazard"]},
        ).one()
        assert tuple(hazard) == ("self_inspection", inspection.id, "乌鲁木齐养护工区")
        patrol = conn.execute(
            text("SELECT kind, voided_at, void_reason FROM patrols WHERE id = :p"),
            {"p": ids["patrol"]},
        ).one()
        assert patrol.kind == "routine" and patrol.voided_at is not None
        assert "安全自查" in patrol.void_reason
        templates = conn.execute(text("SELECT count(*) FROM inspection_templates")).scalar_one()
        assert templates >= 5
    with app.app_context():
        from inspection.extensions import db
        from inspection.hazards.services import verify_audit_chains

        assert verify_audit_chains(db.session) == []
        db.session.remove()
        db.engine.dispose()

    with app.app_context():
        downgrade(revision="0011")
    with engine.connect() as conn:
        patrol = conn.execute(
            text("SELECT kind, voided_at FROM patrols WHERE id = :p"), {"p": ids["patrol"]}
        ).one()
        assert tuple(patrol) == ("safety_inspection", None)
        unit = conn.execute(
            text("SELECT responsible_unit FROM hazards WHERE id = :h"), {"h": ids["hazard"]}
        ).scalar_one()
        assert unit == "乌鲁木齐养护工区"
        tables = set(
            conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ).scalars()
        )
        assert not {"inspections", "sites", "departments"} & tables
