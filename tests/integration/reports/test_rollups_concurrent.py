"""The roll-up triggers stay exact under concurrent writers (committed rows, cleaned up after)."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import text

from inspection.extensions import db

WRITERS, EACH = 4, 40
INSERT = (
    "INSERT INTO findings (client_uuid, kind, status, note, onsite_action, road_id, direction,"
    " lane, chainage, stake_text, location_source, geom, geometry_version, observed_at,"
    " user_agent, created_by_id)"
    " SELECT gen_random_uuid(), 'pothole', 'open', '', '', :road, 'up', '', 1000, '', 'stake',"
    " ST_SetSRID(ST_MakePoint(87.5, 43.5), 4326), 1,"
    " timestamptz '2025-01-31 23:00+08' + g * interval '1 minute', '', :user"
    " FROM generate_series(1, :rows) AS g"
)


@pytest.fixture
def committed(app):
    """A road and a user committed for real (the writers use connections of their own)."""
    with app.app_context():
        engine = db.engine
    tag = uuid.uuid4().hex[:8]
    with engine.begin() as connection:
        road = connection.execute(
            text(
                "INSERT INTO roads (code, name, road_class, direction, start_chainage,"
                " end_chainage, length_m, lon_0, geom, geometry_version)"
                " VALUES (:code, 'concurrent', 'class2', 'both', 0, 100000, 100000, 87.0,"
                " ST_SetSRID(ST_MakeLine(ST_MakePoint(87, 43), ST_MakePoint(88, 43)), 4326), 1)"
                " RETURNING id"
            ),
            {"code": f"X{tag[:6]}"},
        ).scalar_one()
        user = connection.execute(
            text(
                "INSERT INTO users (username, display_name, password_hash, roles, active)"
                " VALUES (:name, '', 'x', ARRAY['patrol'], true) RETURNING id"
            ),
            {"name": f"concurrent-{tag}"},
        ).scalar_one()
    try:
        yield engine, road, user
    finally:
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM findings WHERE road_id = :r"), {"r": road})
            connection.execute(text("DELETE FROM roads WHERE id = :r"), {"r": road})
            connection.execute(text("DELETE FROM users WHERE id = :u"), {"u": user})
            left = connection.execute(
                text(
                    "SELECT coalesce(sum(records), 0) FROM report_findings_monthly"
                    " WHERE road_id = :r"
                ),
                {"r": road},
            ).scalar_one()
            connection.execute(
                text("DELETE FROM report_findings_monthly WHERE road_id = :r"), {"r": road}
            )
        assert left == 0


def test_concurrent_inserts_voids_and_moves_keep_the_sums(committed):
    engine, road, user = committed
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS + 1)

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(EACH):
                with engine.begin() as connection:
                    # One row or many (spanning January and February), then a void or a move.
                    rows = 1 if i % 3 else 5
                    connection.execute(text(INSERT), {"road": road, "user": user, "rows": rows})
                    if i % 4 == n % 4:
                        connection.execute(
                            text(
                                "UPDATE findings SET voided_at = now(), void_reason = 'x'"
                                " WHERE id = (SELECT max(id) FROM findings WHERE road_id = :r)"
                            ),
                            {"r": road},
                        )
                    if i % 5 == n % 5:
                        connection.execute(
                            text(
                                "UPDATE findings SET observed_at = observed_at + interval '1 month'"
                                " WHERE id = (SELECT min(id) FROM findings WHERE road_id = :r)"
                            ),
                            {"r": road},
                        )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    start.wait()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    with engine.connect() as connection:
        records = connection.execute(
            text(
                "SELECT date_trunc('month', observed_at AT TIME ZONE 'Asia/Shanghai')::date,"
                " count(*) FROM findings WHERE road_id = :r AND voided_at IS NULL GROUP BY 1"
            ),
            {"r": road},
        ).all()
        rolled = connection.execute(
            text(
                "SELECT month, records FROM report_findings_monthly"
                " WHERE road_id = :r AND records <> 0"
            ),
            {"r": road},
        ).all()
    assert sorted(rolled) == sorted(records)
    assert sum(n for _, n in records) > WRITERS * EACH // 2
