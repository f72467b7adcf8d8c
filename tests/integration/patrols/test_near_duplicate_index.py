"""The near-duplicate look-up: its planar box holds every finding within 50 m at any latitude,
and the generic plan of its prepared statement can use the partial index made for it.

psycopg prepares a statement from its 5th use; PostgreSQL may then keep a generic plan, made
without the values. A partial index serves such a plan only when the query's text itself shows
the index's condition (`status = 'open'`), so the status is written into the SQL, not bound.
"""

from __future__ import annotations

import re

import pytest
from psycopg.sql import Literal
from pyproj import Geod
from sqlalchemy import select, text, update

from inspection.patrols import services
from inspection.patrols.models import Finding
from tests.integration.patrols.test_findings_api import pothole

GEOD = Geod(ellps="WGS84")
SPREAD = """
INSERT INTO findings (client_uuid, kind, status, quantity, quantity_unit, note, onsite_action,
    road_id, direction, lane, chainage, stake_text, location_source, geom, geometry_version,
    observed_at, user_agent, created_by_id, created_at, updated_at)
SELECT gen_random_uuid(), (ARRAY['pothole','drainage','slope_damage','shoulder_damage'])[1 + g % 4],
    CASE WHEN g % 7 = 0 THEN 'resolved' ELSE 'open' END, 1, f.quantity_unit, '', '',
    f.road_id, f.direction, '', f.chainage, f.stake_text, f.location_source,
    ST_Translate(f.geom, (g % 100) / 100.0, (g / 100) / 100.0), f.geometry_version,
    f.observed_at, '', f.created_by_id, now(), now()
FROM findings AS f, generate_series(1, 5000) AS g
WHERE f.id = :id
"""


def _submit(client, crew, **overrides) -> Finding:
    _, headers = crew()
    answer = client.post("/api/v1/findings", json=pothole(**overrides), headers=headers)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


@pytest.mark.parametrize("lat", [0.0, 43.8, 60.0, 75.0])
@pytest.mark.parametrize("bearing", [0.0, 45.0, 90.0])
def test_the_box_keeps_every_finding_within_50_m_at_any_latitude(
    client, roads, crew, db_session, lat, bearing
):
    record = _submit(client, crew)
    db_session.execute(
        update(Finding)
        .where(Finding.client_uuid == record["uuid"])
        .values(geom=text(f"ST_SetSRID(ST_MakePoint(25.0, {lat}), 4326)"))
    )
    for metres, found in ((49.0, 1), (51.0, 0)):
        lon, lat_at, _ = GEOD.fwd(25.0, lat, bearing, metres)
        near = services.nearby_open_findings(
            db_session, road_code="", kind="pothole", stake=None, lon=lon, lat=lat_at
        )
        assert len(near) == found, (lat, bearing, metres)


def test_the_generic_plan_uses_the_partial_index(client, roads, crew, db_session):
    record = _submit(client, crew)
    finding = db_session.scalar(select(Finding).where(Finding.client_uuid == record["uuid"]))
    # Enough rows, spread over a degree, for the planner to weigh the indexes as on real data.
    db_session.execute(text(SPREAD), {"id": finding.id})
    db_session.execute(text("ANALYZE findings"))
    captured = []

    def keep(statement):
        captured.append(statement)
        return []

    # The statement as the service builds it, with the values psycopg would bind.
    real_scalars = db_session.scalars
    db_session.scalars = keep
    try:
        services.near_duplicates(db_session, finding)
    finally:
        db_session.scalars = real_scalars
    compiled = captured[0].compile(dialect=db_session.get_bind().dialect)
    sql = compiled.string
    assert "status = 'open'" in sql
    names = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", sql)))
    numbered = sql
    for i, name in enumerate(names, 1):
        numbered = numbered.replace(f"%({name})s", f"${i}")
    connection = db_session.connection()
    connection.exec_driver_sql(f"PREPARE near_dup AS {numbered}")
    try:
        connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_generic_plan")
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        raw = connection.connection.driver_connection
        processors = compiled._bind_processors  # the values as bound (a geometry as its EWKT)
        bound = {n: processors.get(n, lambda v: v)(v) for n, v in compiled.params.items()}
        values = ", ".join(Literal(bound[name]).as_string(raw) for name in names)
        plan = connection.exec_driver_sql(f"EXPLAIN EXECUTE near_dup({values})").all()
    finally:
        connection.exec_driver_sql("DEALLOCATE near_dup")
    plan_text = "\n".join(row[0] for row in plan)
    assert "ix_findings_open_near" in plan_text, plan_text
    assert "$" in plan_text  # it is the generic plan: the values are parameters
