"""The report read from the roll-ups (migration 0016) equals the report read from the records.

Random records over 2023-2026, many near local month and year boundaries, then random updates
(moves across days, months, years and roads; voids and un-voids; closing, reopening and new
deadlines; tracks; areas and counts cleared; materials added and removed) and deletes, in
statements of one row and of many. Every figure of every request must then be the same whether
the report reads the roll-ups or (forced) the records with the unaggregated statements.
"""

from __future__ import annotations

import os
import random
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from inspection.reports import annual
from inspection.reports.annual import queries, rollups, statements

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEED = int(os.environ.get("ROLLUP_TEST_SEED", "20261202"))
TODAY = date(2026, 6, 15)
FINDING_KINDS = ("pavement_distress", "pothole", "shoulder_damage", "drainage", "safety_hazard")
REPAIR_KINDS = ("shoulder", "slope", "pothole")
SOURCES = ("patrol", "higher_authority", "public_report")
MATERIALS = (("冷补料", "t"), ("水泥", "t"), ("碎石", "m3"))
# (parameters, whether the roll-ups serve the current period)
REQUESTS = (
    ({"year": "2025"}, True),
    ({"year": "2024"}, True),
    ({"year": "2026"}, True),  # cut-off today, in the middle of June
    ({"year": "2025", "month": "2"}, True),
    ({"year": "2025", "month": "12"}, True),
    ({"year": "2025", "cutoff": "2025-12-15"}, True),
    ({"year": "2025", "cutoff": "2026-03-10"}, True),
    ({"year": "2025", "month": "3", "cutoff": "2025-03-01"}, True),
    ({"from": "2024-03-01", "to": "2025-02-28"}, True),
    ({"from": "2025-01-01", "to": "2025-12-31"}, True),
    ({"from": "2025-03-15", "to": "2025-09-10"}, False),  # partial months: the records
    ({"from": "2025-01-01", "to": "2025-06-30", "cutoff": "2025-05-31"}, True),
)


def _instant(rng: random.Random) -> datetime:
    """Return a Shanghai instant in 2023-2026, one in three within an hour of a month's edge."""
    if rng.random() < 0.35:
        year, month = rng.randint(2023, 2026), rng.randint(1, 12)
        edge = datetime(year, month, 1, tzinfo=SHANGHAI)
        return edge + timedelta(minutes=rng.randint(-60, 60))
    start = datetime(2023, 1, 1, tzinfo=SHANGHAI)
    return start + timedelta(seconds=rng.randint(0, 4 * 365 * 86400))


def _day(rng: random.Random) -> date:
    return _instant(rng).date()


@pytest.fixture
def sites(db_session, roads):
    """A toll station at G30, a depot at S21, an office on no road."""
    rows = (
        ("收费站甲", "toll_station", roads["G30"].id),
        ("养护工区乙", "maintenance_depot", roads["S21"].id),
        ("办公楼丙", "office", None),
    )
    ids = []
    for name, kind, road_id in rows:
        ids.append(
            db_session.execute(
                text(
                    "INSERT INTO sites (name, kind, geom, road_id, chainage)"
                    " VALUES (:name, :kind, ST_SetSRID(ST_MakePoint(87.7, 43.9), 4326),"
                    " :road, CASE WHEN CAST(:road AS int) IS NULL THEN NULL ELSE 1000 END)"
                    " RETURNING id"
                ),
                {"name": name, "kind": kind, "road": road_id},
            ).scalar_one()
        )
    return ids


def _insert_records(session, rng, road_ids, site_ids, user_id, n):
    """Insert n records of each kind, each table in one statement (a many-row transition)."""
    where = {"geom": "ST_SetSRID(ST_MakePoint(87.7, 43.9), 4326)"}
    findings = [
        {
            "uuid": uuid.uuid4(),
            "kind": rng.choice(FINDING_KINDS),
            "road": rng.choice(road_ids),
            "at": _instant(rng),
            "voided": rng.random() < 0.1,
        }
        for _ in range(n)
    ]
    session.execute(
        text(
            "INSERT INTO findings (client_uuid, kind, status, note, onsite_action, road_id,"
            " direction, lane, chainage, stake_text, location_source, geom, geometry_version,"
            " observed_at, user_agent, created_by_id, voided_at, void_reason, voided_by_id)"
            " SELECT f.uuid, f.kind, 'open', '', '', f.road, 'up', '', 1000, '', 'stake',"
            f" {where['geom']}, 1, f.at, '', :user,"
            " CASE WHEN f.voided THEN now() END, CASE WHEN f.voided THEN 'x' END,"
            " CASE WHEN f.voided THEN :user END"
            " FROM jsonb_to_recordset(CAST(:rows AS jsonb))"
            " AS f (uuid uuid, kind text, road int, at timestamptz, voided boolean)"
        ),
        {"rows": _json(findings), "user": user_id},
    )
    repairs = []
    for _ in range(n):
        kind = rng.choice(REPAIR_KINDS)
        repairs.append(
            {
                "uuid": uuid.uuid4(),
                "kind": kind,
                "road": rng.choice(road_ids),
                "day": _day(rng),
                "area": None if rng.random() < 0.05 else round(rng.uniform(0.5, 900), 2),
                "count": rng.randint(1, 9) if kind == "pothole" and rng.random() < 0.8 else None,
                "voided": rng.random() < 0.1,
            }
        )
    session.execute(
        text(
            "INSERT INTO repairs (client_uuid, kind, road_id, direction, chainage, end_chainage,"
            " stake_text, geom, geometry_version, completed_on, area_m2, count, crew, method,"
            " note, created_by_id, voided_at, void_reason, voided_by_id)"
            " SELECT r.uuid, r.kind, r.road, 'up', 1000, 1300, '',"
            f" {where['geom']}, 1, r.day, r.area, r.count, '', '', '', :user,"
            " CASE WHEN r.voided THEN now() END, CASE WHEN r.voided THEN 'x' END,"
            " CASE WHEN r.voided THEN :user END"
            " FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r (uuid uuid, kind text,"
            " road int, day date, area float8, count int, voided boolean)"
        ),
        {"rows": _json(repairs), "user": user_id},
    )
    # One to three materials for most repairs, in one statement.
    session.execute(
        text(
            "INSERT INTO repair_materials (repair_id, name, quantity, unit)"
            " SELECT r.id, m.name,"
            " round((0.1 + (r.id * 7919 % 20000) / 1000.0)::numeric, 3)::float8, m.unit"
            " FROM repairs AS r CROSS JOIN (VALUES ('冷补料', 't'), ('水泥', 't'),"
            " ('碎石', 'm3')) AS m (name, unit)"
            " WHERE (r.id + length(m.name)) % 3 <> 0"
        )
    )
    patrols = [
        {
            "uuid": uuid.uuid4(),
            "road": rng.choice(road_ids),
            "at": _instant(rng),
            "km": None if rng.random() < 0.1 else round(rng.uniform(5, 200), 1),
            "voided": rng.random() < 0.1,
        }
        for _ in range(n)
    ]
    session.execute(
        text(
            "INSERT INTO patrols (client_uuid, road_id, direction, kind, crew, vehicle, weather,"
            " started_at, patrolled_km, note, created_by_id, voided_at, void_reason,"
            " voided_by_id)"
            " SELECT p.uuid, p.road, 'up', 'routine', '', '', '', p.at, p.km, '', :user,"
            " CASE WHEN p.voided THEN now() END, CASE WHEN p.voided THEN 'x' END,"
            " CASE WHEN p.voided THEN :user END"
            " FROM jsonb_to_recordset(CAST(:rows AS jsonb))"
            " AS p (uuid uuid, road int, at timestamptz, km float8, voided boolean)"
        ),
        {"rows": _json(patrols), "user": user_id},
    )
    hazards = []
    for i in range(n):
        found = _instant(rng)
        at_site = rng.random() < 0.25
        closed = None
        if rng.random() < 0.7:
            closed = found + timedelta(hours=rng.randint(1, 24 * 120))
        deadline = None if rng.random() < 0.1 else found.date() + timedelta(rng.randint(0, 60))
        hazards.append(
            {
                "number": f"RU-{rng.randrange(10**9)}-{i}",
                "source": rng.choice(SOURCES),
                "road": None if at_site else rng.choice(road_ids),
                "site": rng.choice(site_ids) if at_site else None,
                "found": found,
                "closed": closed,
                "deadline": deadline,
            }
        )
    session.execute(
        text(
            "INSERT INTO hazards (number, category, grade, description, state, version, source,"
            " road_id, site_id, direction, chainage, geom, geometry_version, found_at,"
            " found_by_id, interim_measures, responsible_person, measures, deadline, closed_at)"
            " SELECT h.number, CASE WHEN h.number LIKE '%1' THEN 'fire_safety'"
            " ELSE 'guardrail_damage' END, 'general', '',"
            " CASE WHEN h.closed IS NULL THEN 'rectifying' ELSE 'closed' END, 1, h.source,"
            " h.road, h.site, CASE WHEN h.road IS NOT NULL THEN 'up' END,"
            " CASE WHEN h.road IS NOT NULL THEN 1000 END,"
            f" {where['geom']}, 1, h.found, :user, '', '', '', h.deadline, h.closed"
            " FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS h (number text, source text,"
            " road int, site int, found timestamptz, closed timestamptz, deadline date)"
        ),
        {"rows": _json(hazards), "user": user_id},
    )


def _json(rows) -> str:
    import json

    return json.dumps(rows, default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v))


def _change_records(session, rng, road_ids, site_ids, user_id):
    """Update and delete records, one row at a time and many at once."""
    run = session.execute
    # Many rows at once: moves across months and years, voids, un-voids, road changes.
    run(text("UPDATE findings SET observed_at = observed_at + interval '20 days' WHERE id % 7 = 0"))
    run(text("UPDATE findings SET observed_at = observed_at - interval '1 year' WHERE id % 11 = 0"))
    run(text("UPDATE findings SET voided_at = now(), void_reason = 'x' WHERE id % 13 = 0"))
    run(text("UPDATE findings SET voided_at = NULL, void_reason = NULL WHERE id % 17 = 0"))
    run(text("UPDATE findings SET road_id = :r WHERE id % 5 = 1"), {"r": road_ids[0]})
    run(text("UPDATE findings SET kind = 'drainage' WHERE id % 9 = 2"))
    run(text("UPDATE findings SET note = 'seen again' WHERE id % 3 = 0"))  # no figure changes
    run(text("DELETE FROM findings WHERE id % 19 = 0"))
    run(text("UPDATE repairs SET completed_on = completed_on + 31 WHERE id % 6 = 0"))
    run(text("UPDATE repairs SET road_id = :r WHERE id % 5 = 2"), {"r": road_ids[-1]})
    run(text("UPDATE repairs SET voided_at = now(), void_reason = 'x' WHERE id % 8 = 0"))
    run(text("UPDATE repairs SET voided_at = NULL, void_reason = NULL WHERE id % 16 = 0"))
    run(text("UPDATE repairs SET area_m2 = NULL WHERE id % 23 = 0"))
    run(text("UPDATE repairs SET count = NULL WHERE id % 10 = 3"))
    run(text("UPDATE repair_materials SET quantity = quantity * 2 WHERE id % 4 = 0"))
    run(text("DELETE FROM repair_materials WHERE id % 9 = 0"))
    run(text("DELETE FROM repair_materials WHERE repair_id % 29 = 0"))
    run(text("DELETE FROM repairs WHERE id % 29 = 0"))
    run(text("UPDATE patrols SET track_km = patrolled_km * 0.9 + 1 WHERE id % 3 = 0"))
    run(text("UPDATE patrols SET started_at = started_at + interval '16 hours' WHERE id % 4 = 0"))
    run(text("UPDATE patrols SET voided_at = now(), void_reason = 'x' WHERE id % 10 = 0"))
    run(text("UPDATE patrols SET patrolled_km = NULL WHERE id % 7 = 0"))
    run(text("DELETE FROM patrols WHERE id % 31 = 0"))
    run(text("UPDATE hazards SET closed_at = NULL, state = 'rectifying' WHERE id % 9 = 0"))
    run(
        text(
            "UPDATE hazards SET closed_at = found_at + interval '45 days', state = 'closed'"
            " WHERE id % 7 = 0"
        )
    )
    run(text("UPDATE hazards SET deadline = deadline + 40 WHERE id % 5 = 0"))
    run(text("UPDATE hazards SET found_at = found_at - interval '2 months' WHERE id % 11 = 0"))
    run(text("UPDATE hazards SET category = 'fire_safety' WHERE id % 13 = 0"))
    run(
        text("UPDATE sites SET road_id = :r, chainage = 5 WHERE id = :s"),
        {"r": road_ids[1], "s": site_ids[2]},
    )
    run(text("DELETE FROM hazards WHERE id % 37 = 0"))
    # One row at a time (a statement each), as the app's own writes come.
    for table, column in (("findings", "observed_at"), ("patrols", "started_at")):
        ids = run(text(f"SELECT id FROM {table} ORDER BY id")).scalars().all()
        for record_id in rng.sample(ids, 25):
            run(
                text(f"UPDATE {table} SET {column} = :at, road_id = :r WHERE id = :id"),
                {"at": _instant(rng), "r": rng.choice(road_ids), "id": record_id},
            )
    ids = run(text("SELECT id FROM hazards ORDER BY id")).scalars().all()
    for hazard_id in rng.sample(ids, 25):
        closed = _instant(rng) if rng.random() < 0.6 else None
        run(
            text("UPDATE hazards SET closed_at = :c, deadline = :d WHERE id = :id"),
            {"c": closed, "d": _day(rng), "id": hazard_id},
        )
    _reopened_hazards(session, user_id)


def _reopened_hazards(session, user_id):
    """Close hazards in 2024, reopen them and close them again in 2025 (events: their states).

    Carried over into 2025 are those open when it began: these were closed then, so not
    carried over, and only the audit events can say so.
    """
    ids = session.execute(
        text(
            "SELECT id FROM hazards WHERE found_at < '2024-12-01+08'"
            " AND found_at >= '2024-01-01+08' AND site_id IS NULL ORDER BY id LIMIT 6"
        )
    ).scalars()
    for n, hazard_id in enumerate(ids):
        events = (
            ("raise", None, "reported", "2024-01-05"),
            ("close", "awaiting_verification", "closed", "2024-12-20"),
            ("reopen", "closed", "rectifying", "2025-02-01"),
            ("close", "awaiting_verification", "closed", f"2025-03-0{n + 1}"),
        )
        for seq, (action, before, after, day) in enumerate(events, 1):
            session.execute(
                text(
                    "INSERT INTO hazard_events (hazard_id, seq, action, from_state, to_state,"
                    " actor_id, at, note, payload, evidence, prev_hash, hash)"
                    " VALUES (:h, :seq, :action, :before, :after, :user, CAST(:day AS date)"
                    " + time '10:00' AT TIME ZONE 'Asia/Shanghai', '', '{}', '[]', '', :hash)"
                ),
                {
                    "h": hazard_id,
                    "seq": seq,
                    "action": action,
                    "before": before,
                    "after": after,
                    "user": user_id,
                    "day": day,
                    "hash": uuid.uuid4().hex,
                },
            )
        session.execute(
            text(
                "UPDATE hazards SET state = 'closed', closed_at = CAST(:day AS date)"
                " + time '10:00' AT TIME ZONE 'Asia/Shanghai' WHERE id = :h"
            ),
            {"h": hazard_id, "day": f"2025-03-0{n + 1}"},
        )


def _aggregates(session, asked, *, codes, road_ids, use_rollups: bool, monkeypatch):
    """Return (current, previous, materials) read one way or the other."""
    zone = "Asia/Shanghai" if use_rollups else None
    monkeypatch.setattr(queries, "rollup_zone", lambda session: zone)
    current, previous, materials = queries.period_aggregates(
        session, asked, timezone="Asia/Shanghai", codes=codes, road_ids=road_ids
    )
    return (
        dict(current.total),
        {k: dict(v) for k, v in current.by_road.items()},
        {k: dict(v) for k, v in current.by_month.items()},
        previous,
        sorted((m.name, m.unit, m.quantity) for m in materials),
    )


@pytest.fixture
def random_records(db_session, roads, sites, make_user):
    rng = random.Random(SEED)
    user = make_user("patrol")
    road_ids = sorted(road.id for road in roads.values())
    _insert_records(db_session, rng, road_ids, sites, user.id, 400)
    _change_records(db_session, rng, road_ids, sites, user.id)
    db_session.flush()
    return road_ids


@pytest.mark.parametrize(("params", "served"), REQUESTS)
def test_every_figure_from_the_rollups_equals_the_records(
    db_session, random_records, monkeypatch, params, served
):
    codes = {i: code for i, code, _ in queries.roads_of(db_session)}
    asked = annual.parse_request(params, today=TODAY)
    assert rollups.rollup_zone(db_session) == "Asia/Shanghai"
    assert rollups.usable(asked.period, timezone="Asia/Shanghai", zone="Asia/Shanghai") == served
    for road_ids in (None, [i for i, code in codes.items() if code == "G30"]):
        kwargs = {"codes": codes, "road_ids": road_ids, "monkeypatch": monkeypatch}
        from_rollups = _aggregates(db_session, asked, use_rollups=True, **kwargs)
        from_records = _aggregates(db_session, asked, use_rollups=False, **kwargs)
        assert from_rollups == from_records
        if road_ids is None:
            total = from_records[0]
            assert total.get("findings") and total.get("hazards_found"), "the sample must count"


def test_rollup_statements_are_the_ones_run(db_session, random_records):
    asked = annual.parse_request({"year": "2025"}, today=TODAY)
    found = statements.aggregate_statements(
        asked, timezone="Asia/Shanghai", rollup_zone="Asia/Shanghai"
    )
    assert "report_findings_monthly" in str(found["findings_current"].sql)
    assert "report_hazard_days" in str(found["carried_over_previous"].sql)
    elsewhere = statements.aggregate_statements(asked, timezone="UTC", rollup_zone="Asia/Shanghai")
    assert "report_" not in str(elsewhere["findings_current"].sql)


def test_carried_over_leaves_out_hazards_closed_when_the_period_began(
    db_session, random_records, monkeypatch
):
    codes = {i: code for i, code, _ in queries.roads_of(db_session)}
    asked = annual.parse_request({"year": "2025"}, today=TODAY)
    kwargs = {"codes": codes, "road_ids": None, "monkeypatch": monkeypatch}
    total = _aggregates(db_session, asked, use_rollups=True, **kwargs)[0]
    monkeypatch.setattr(queries, "rollup_zone", lambda session: "Asia/Shanghai")
    naive = db_session.execute(
        text(
            "SELECT coalesce(sum(closed), 0) FROM report_hazard_days"
            " WHERE closed <> 0 AND day BETWEEN '2025-01-01' AND '2025-12-31'"
            " AND month < '2025-01-01'"
        )
    ).scalar_one()
    assert total["hazards_carried_over"] == naive - 6  # the six closed on 2025-01-01


MEASURES = {
    "report_repairs_monthly": "records, area, areas, count, counts",
    "report_materials_monthly": "records, quantity",
    "report_findings_monthly": "records",
    "report_patrols_daily": "patrols, metres, measured, track_metres, tracked, typed_metres, typed",
    "report_hazards_monthly": "found",
    "report_hazard_days": "closed, overdue",
}


def test_a_rebuild_gives_what_the_triggers_kept(db_session, random_records):
    def contents():
        # A group brought back to nothing may stay as a row of zeros.
        return {
            table: sorted(
                db_session.execute(
                    text(
                        f"SELECT * FROM {table} WHERE greatest({columns}) <> 0"
                        f" OR least({columns}) <> 0"
                    )
                ).all()
            )
            for table, columns in MEASURES.items()
        }

    kept = contents()
    assert all(kept.values())
    db_session.execute(text("SELECT report_rollups_rebuild()"))
    assert contents() == kept


def test_another_time_zone_reads_the_records_and_a_rebuild_follows_it(
    db_session, random_records, monkeypatch, caplog
):
    codes = {i: code for i, code, _ in queries.roads_of(db_session)}
    asked = annual.parse_request({"year": "2025"}, today=TODAY)
    monkeypatch.setattr(rollups, "_warned", set())
    in_utc = queries.period_aggregates(db_session, asked, timezone="UTC", codes=codes)
    queries.period_aggregates(db_session, asked, timezone="UTC", codes=codes)
    warnings = [r.getMessage() for r in caplog.records if r.name == rollups.__name__]
    assert len(warnings) == 1 and "flask report rebuild-rollups" in warnings[0]
    db_session.execute(text("SELECT report_rollups_rebuild('UTC')"))
    assert rollups.rollup_zone(db_session) == "UTC"
    again = queries.period_aggregates(db_session, asked, timezone="UTC", codes=codes)
    assert again[0] == in_utc[0] and again[1] == in_utc[1]
    db_session.execute(text("SELECT report_rollups_rebuild('Asia/Shanghai')"))


def test_the_rebuild_command_follows_the_branch_time_zone(app, db_session, random_records):
    db_session.execute(text("SELECT report_rollups_rebuild('UTC')"))
    db_session.execute(text("TRUNCATE report_repairs_monthly"))
    assert rollups.rollup_zone(db_session) == "UTC"
    result = app.test_cli_runner().invoke(args=["report", "rebuild-rollups"])
    assert result.exit_code == 0, result.output
    assert "roll-ups rebuilt in time zone Asia/Shanghai" in result.output
    assert rollups.rollup_zone(db_session) == "Asia/Shanghai"
    assert db_session.scalar(text("SELECT count(*) FROM report_repairs_monthly")) > 0


def test_truncating_a_record_table_empties_its_rollups(db_session, random_records):
    db_session.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))  # the tile version's, pending
    db_session.execute(text("TRUNCATE findings CASCADE"))
    assert db_session.execute(text("SELECT count(*) FROM report_findings_monthly")).scalar() == 0
