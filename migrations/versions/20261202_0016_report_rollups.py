"""The annual report's roll-ups: monthly (and daily) sums the database keeps exact (#14).

Each record table the report sums has a roll-up table at the report's grain, kept by
statement-level triggers (AFTER INSERT / UPDATE / DELETE, with transition tables): every
statement adds its new rows' figures and subtracts its old rows', grouped, in one upsert per
roll-up, and a group whose figures do not change (an update of a note, a hazard's state) writes
nothing. Voided records count nowhere, so voiding, un-voiding, a move to another road, day or
month and a delete all adjust the sums in the same transaction as the record.

* ``report_repairs_monthly`` (local month, road, kind): records, area in hundredths of a m², how
  many areas were given, pothole count and how many counts were given (a sum of nothing is NULL
  in the report, not 0);
* ``report_materials_monthly`` (local month of the repair, road, material, unit): thousandths,
  kept by the materials' statements and by a repair's move or void;
* ``report_findings_monthly`` (local month, road, kind): findings;
* ``report_patrols_daily`` (local day, road): patrols, metres (track else typed), track metres,
  typed metres and their counts — by day, so days patrolled count distinct over any scope;
* ``report_hazards_monthly`` (local month found, road, site, source, category): hazards found;
* ``report_hazard_days`` (the same key, and a local day): +1 ``closed`` on the day a hazard was
  closed; ``overdue`` +1 the day after its deadline and −1 the day it was closed (when that is
  later), so that "closed by the cut-off" and "overdue at the cut-off" are sums up to any day.

Road 0 and site 0 stand for none (hazards at a site keep the site: its road and kind are read
from ``sites`` when the report runs, so moving a site needs no roll-up change).

Days and months are the branch's, in the time zone held in ``report_rollup_settings`` (default
``Asia/Shanghai``); the report uses the roll-ups only when its own time zone is that one.
``report_rollups_rebuild(zone)`` refills everything from the records (the back-fill below calls
it): run it after loading records with triggers disabled (``session_replication_role``) or to
change the zone. TRUNCATE of a record table empties its roll-ups.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# (table, roll-up builder, columns of the records the builder reads)
SOURCES = (
    ("repairs", "id, road_id, kind, completed_on, area_m2, count, voided_at"),
    ("repair_materials", "repair_id, name, unit, quantity"),
    ("findings", "road_id, kind, observed_at, voided_at"),
    ("patrols", "road_id, started_at, patrolled_km, track_km, voided_at"),
    ("hazards", "road_id, site_id, source, category, found_at, closed_at, deadline"),
)
ROLLUPS = {
    "repairs": ("report_repairs_monthly", "report_materials_monthly"),
    "repair_materials": ("report_materials_monthly",),
    "findings": ("report_findings_monthly",),
    "patrols": ("report_patrols_daily",),
    "hazards": ("report_hazards_monthly", "report_hazard_days"),
}

TABLES = """
CREATE TABLE report_rollup_settings (
    id boolean PRIMARY KEY DEFAULT true CONSTRAINT ck_report_rollup_settings_one CHECK (id),
    timezone text NOT NULL
);
INSERT INTO report_rollup_settings (id, timezone) VALUES (true, 'Asia/Shanghai');
CREATE TABLE report_repairs_monthly (
    month date NOT NULL, road_id integer NOT NULL, kind varchar(24) NOT NULL,
    records bigint NOT NULL, area bigint NOT NULL, areas bigint NOT NULL,
    count bigint NOT NULL, counts bigint NOT NULL,
    CONSTRAINT pk_report_repairs_monthly PRIMARY KEY (month, road_id, kind)
);
CREATE TABLE report_materials_monthly (
    month date NOT NULL, road_id integer NOT NULL, name varchar(64) NOT NULL,
    unit varchar(8) NOT NULL, records bigint NOT NULL, quantity bigint NOT NULL,
    CONSTRAINT pk_report_materials_monthly PRIMARY KEY (month, road_id, name, unit)
);
CREATE TABLE report_findings_monthly (
    month date NOT NULL, road_id integer NOT NULL, kind varchar(24) NOT NULL,
    records bigint NOT NULL,
    CONSTRAINT pk_report_findings_monthly PRIMARY KEY (month, road_id, kind)
);
CREATE TABLE report_patrols_daily (
    day date NOT NULL, road_id integer NOT NULL, patrols bigint NOT NULL,
    metres bigint NOT NULL, measured bigint NOT NULL, track_metres bigint NOT NULL,
    tracked bigint NOT NULL, typed_metres bigint NOT NULL, typed bigint NOT NULL,
    CONSTRAINT pk_report_patrols_daily PRIMARY KEY (day, road_id)
);
CREATE TABLE report_hazards_monthly (
    month date NOT NULL, road_id integer NOT NULL, site_id integer NOT NULL,
    source varchar(24) NOT NULL, category varchar(32) NOT NULL, found bigint NOT NULL,
    CONSTRAINT pk_report_hazards_monthly PRIMARY KEY (month, road_id, site_id, source, category)
);
CREATE TABLE report_hazard_days (
    month date NOT NULL, road_id integer NOT NULL, site_id integer NOT NULL,
    source varchar(24) NOT NULL, category varchar(32) NOT NULL, day date NOT NULL,
    closed bigint NOT NULL, overdue bigint NOT NULL,
    CONSTRAINT pk_report_hazard_days
        PRIMARY KEY (month, road_id, site_id, source, category, day)
);
-- Carried-over hazards are closed in the period and found before it: read by the closing day.
CREATE INDEX ix_report_hazard_days_day ON report_hazard_days (day) WHERE closed <> 0;
-- A hazard left 'closed' (reopened) at least once: the few whose state at a period's start the
-- carried-over figure must read from the audit events.
CREATE INDEX ix_hazard_events_left_closed ON hazard_events (hazard_id)
    WHERE from_state = 'closed';
CREATE FUNCTION report_rollup_zone() RETURNS text LANGUAGE sql STABLE AS
    $$ SELECT timezone FROM report_rollup_settings $$;
"""

# Each builder returns the statements that apply the rows of `src` (a query giving `sign` = +1
# for a new row, −1 for an old one, then the table's columns) to its roll-ups. Groups are
# written in key order, so concurrent writers lock roll-up rows in the same order.
BUILDERS = r"""
CREATE FUNCTION report_repairs_sql(src text, op text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $f$
SELECT array_remove(ARRAY[format($q$
    INSERT INTO report_repairs_monthly AS r
        (month, road_id, kind, records, area, areas, count, counts)
    SELECT date_trunc('month', d.completed_on)::date, d.road_id, d.kind, sum(d.sign),
           coalesce(sum(d.sign * round(d.area_m2 * 100)::bigint), 0),
           coalesce(sum(d.sign) FILTER (WHERE d.area_m2 IS NOT NULL), 0),
           coalesce(sum(d.sign * d.count), 0),
           coalesce(sum(d.sign) FILTER (WHERE d.count IS NOT NULL), 0)
    FROM (%s) AS d WHERE d.voided_at IS NULL
    GROUP BY 1, 2, 3
    HAVING sum(d.sign) <> 0 OR sum(d.sign * round(d.area_m2 * 100)::bigint) <> 0
        OR sum(d.sign * d.count) <> 0
    ORDER BY 1, 2, 3
    ON CONFLICT (month, road_id, kind) DO UPDATE SET
        records = r.records + excluded.records, area = r.area + excluded.area,
        areas = r.areas + excluded.areas, count = r.count + excluded.count,
        counts = r.counts + excluded.counts
    $q$, src),
    -- A new repair has no materials yet; a moved, voided or deleted one moves its materials.
    CASE WHEN op <> 'INSERT' THEN format($q$
    INSERT INTO report_materials_monthly AS r (month, road_id, name, unit, records, quantity)
    SELECT date_trunc('month', d.completed_on)::date, d.road_id, m.name, m.unit, sum(d.sign),
           sum(d.sign * round(m.quantity * 1000)::bigint)
    FROM (%s) AS d JOIN repair_materials AS m ON m.repair_id = d.id
    WHERE d.voided_at IS NULL
    GROUP BY 1, 2, 3, 4
    HAVING sum(d.sign) <> 0 OR sum(d.sign * round(m.quantity * 1000)::bigint) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (month, road_id, name, unit) DO UPDATE SET
        records = r.records + excluded.records, quantity = r.quantity + excluded.quantity
    $q$, src) END], NULL)
$f$;

CREATE FUNCTION report_repair_materials_sql(src text, op text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $f$
SELECT ARRAY[format($q$
    INSERT INTO report_materials_monthly AS r (month, road_id, name, unit, records, quantity)
    SELECT date_trunc('month', p.completed_on)::date, p.road_id, d.name, d.unit, sum(d.sign),
           sum(d.sign * round(d.quantity * 1000)::bigint)
    FROM (%s) AS d JOIN repairs AS p ON p.id = d.repair_id
    WHERE p.voided_at IS NULL
    GROUP BY 1, 2, 3, 4
    HAVING sum(d.sign) <> 0 OR sum(d.sign * round(d.quantity * 1000)::bigint) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (month, road_id, name, unit) DO UPDATE SET
        records = r.records + excluded.records, quantity = r.quantity + excluded.quantity
    $q$, src)]
$f$;

CREATE FUNCTION report_findings_sql(src text, op text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $f$
SELECT ARRAY[format($q$
    INSERT INTO report_findings_monthly AS r (month, road_id, kind, records)
    SELECT date_trunc('month', d.observed_at AT TIME ZONE z.zone)::date, d.road_id, d.kind,
           sum(d.sign)
    FROM (%s) AS d, (SELECT report_rollup_zone() AS zone) AS z
    WHERE d.voided_at IS NULL
    GROUP BY 1, 2, 3 HAVING sum(d.sign) <> 0
    ORDER BY 1, 2, 3
    ON CONFLICT (month, road_id, kind) DO UPDATE SET records = r.records + excluded.records
    $q$, src)]
$f$;

CREATE FUNCTION report_patrols_sql(src text, op text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $f$
SELECT ARRAY[format($q$
    INSERT INTO report_patrols_daily AS r
        (day, road_id, patrols, metres, measured, track_metres, tracked, typed_metres, typed)
    SELECT (d.started_at AT TIME ZONE z.zone)::date, d.road_id, sum(d.sign),
           coalesce(sum(d.sign * round(coalesce(d.track_km, d.patrolled_km) * 1000)::bigint), 0),
           coalesce(sum(d.sign) FILTER (WHERE coalesce(d.track_km, d.patrolled_km) IS NOT NULL), 0),
           coalesce(sum(d.sign * round(d.track_km * 1000)::bigint), 0),
           coalesce(sum(d.sign) FILTER (WHERE d.track_km IS NOT NULL), 0),
           coalesce(sum(d.sign * round(d.patrolled_km * 1000)::bigint)
                    FILTER (WHERE d.track_km IS NULL), 0),
           coalesce(sum(d.sign) FILTER (WHERE d.track_km IS NULL AND d.patrolled_km IS NOT NULL), 0)
    FROM (%s) AS d, (SELECT report_rollup_zone() AS zone) AS z
    WHERE d.voided_at IS NULL
    GROUP BY 1, 2
    HAVING sum(d.sign) <> 0
        OR sum(d.sign * round(coalesce(d.track_km, d.patrolled_km) * 1000)::bigint) <> 0
        OR sum(d.sign * round(d.track_km * 1000)::bigint) <> 0
        OR sum(d.sign) FILTER (WHERE d.track_km IS NOT NULL) <> 0
        OR sum(d.sign * round(d.patrolled_km * 1000)::bigint) FILTER (WHERE d.track_km IS NULL) <> 0
        OR sum(d.sign) FILTER (WHERE d.track_km IS NULL AND d.patrolled_km IS NOT NULL) <> 0
    ORDER BY 1, 2
    ON CONFLICT (day, road_id) DO UPDATE SET
        patrols = r.patrols + excluded.patrols, metres = r.metres + excluded.metres,
        measured = r.measured + excluded.measured,
        track_metres = r.track_metres + excluded.track_metres,
        tracked = r.tracked + excluded.tracked,
        typed_metres = r.typed_metres + excluded.typed_metres, typed = r.typed + excluded.typed
    $q$, src)]
$f$;

CREATE FUNCTION report_hazards_sql(src text, op text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $f$
SELECT ARRAY[format($q$
    INSERT INTO report_hazards_monthly AS r (month, road_id, site_id, source, category, found)
    SELECT date_trunc('month', d.found_at AT TIME ZONE z.zone)::date, coalesce(d.road_id, 0),
           coalesce(d.site_id, 0), d.source, d.category, sum(d.sign)
    FROM (%s) AS d, (SELECT report_rollup_zone() AS zone) AS z
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.sign) <> 0
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (month, road_id, site_id, source, category)
        DO UPDATE SET found = r.found + excluded.found
    $q$, src), format($q$
    INSERT INTO report_hazard_days AS r
        (month, road_id, site_id, source, category, day, closed, overdue)
    SELECT k.month, coalesce(d.road_id, 0), coalesce(d.site_id, 0), d.source, d.category, e.day,
           sum(d.sign * e.closed), sum(d.sign * e.overdue)
    FROM (%s) AS d, (SELECT report_rollup_zone() AS zone) AS z,
         LATERAL (SELECT date_trunc('month', d.found_at AT TIME ZONE z.zone)::date AS month,
                         (d.closed_at AT TIME ZONE z.zone)::date AS closed_on,
                         d.deadline + 1 AS late_from) AS k,
         -- closed: +1 on its closing day; overdue: from the day after the deadline until the
         -- closing day (not closed by a cut-off = closed after it).
         LATERAL (VALUES (k.closed_on, 1, 0), (k.late_from, 0, 1), (k.closed_on, 0, -1))
             AS e (day, closed, overdue)
    WHERE e.day IS NOT NULL
      AND (e.closed = 1
           OR (e.overdue = 1 AND (k.closed_on IS NULL OR k.closed_on > k.late_from))
           OR (e.overdue = -1 AND k.late_from IS NOT NULL AND k.closed_on > k.late_from))
    GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(d.sign * e.closed) <> 0 OR sum(d.sign * e.overdue) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (month, road_id, site_id, source, category, day) DO UPDATE SET
        closed = r.closed + excluded.closed, overdue = r.overdue + excluded.overdue
    $q$, src)]
$f$;

CREATE FUNCTION report_rollup_apply() RETURNS trigger LANGUAGE plpgsql AS $f$
DECLARE
    columns text := TG_ARGV[1];
    src text;
    statement text;
BEGIN
    src := CASE TG_OP
        WHEN 'INSERT' THEN format('SELECT 1 AS sign, %s FROM new_rows', columns)
        WHEN 'DELETE' THEN format('SELECT -1 AS sign, %s FROM old_rows', columns)
        ELSE format('SELECT 1 AS sign, %1$s FROM new_rows UNION ALL '
                    'SELECT -1 AS sign, %1$s FROM old_rows', columns)
    END;
    -- The statements run here, where the transition tables are visible.
    FOR statement IN EXECUTE format('SELECT unnest(%I($1, $2))', TG_ARGV[0]) USING src, TG_OP
    LOOP
        EXECUTE statement;
    END LOOP;
    RETURN NULL;
END
$f$;

CREATE FUNCTION report_rollup_truncate() RETURNS trigger LANGUAGE plpgsql AS $f$
DECLARE
    rollup text;
BEGIN
    FOREACH rollup IN ARRAY TG_ARGV LOOP
        EXECUTE format('TRUNCATE %I', rollup);
    END LOOP;
    RETURN NULL;
END
$f$;
"""

REBUILD = """
CREATE FUNCTION report_rollups_rebuild(zone text DEFAULT NULL) RETURNS void
-- Each record table is read once and grouped: room to hash its groups and the materials' join.
LANGUAGE plpgsql SET work_mem = '256MB' AS $f$
DECLARE
    statement text;
BEGIN
    IF zone IS NOT NULL THEN
        PERFORM now() AT TIME ZONE zone;  -- an unknown zone fails here, before anything changes
        UPDATE report_rollup_settings SET timezone = zone;
    END IF;
    TRUNCATE report_repairs_monthly, report_materials_monthly, report_findings_monthly,
             report_patrols_daily, report_hazards_monthly, report_hazard_days;
    FOR statement IN
        SELECT unnest(report_repairs_sql('SELECT 1 AS sign, %(repairs)s FROM repairs', 'REBUILD'))
        UNION ALL SELECT unnest(report_findings_sql(
            'SELECT 1 AS sign, %(findings)s FROM findings', 'REBUILD'))
        UNION ALL SELECT unnest(report_patrols_sql(
            'SELECT 1 AS sign, %(patrols)s FROM patrols', 'REBUILD'))
        UNION ALL SELECT unnest(report_hazards_sql(
            'SELECT 1 AS sign, %(hazards)s FROM hazards', 'REBUILD'))
    LOOP
        EXECUTE statement;
    END LOOP;
END
$f$;
""" % {table: columns for table, columns in SOURCES}


def _builder(table: str) -> str:
    return {"repair_materials": "report_repair_materials_sql"}.get(table, f"report_{table}_sql")


def upgrade():
    op.execute(TABLES)
    op.execute(BUILDERS)
    op.execute(REBUILD)
    for table, columns in SOURCES:
        for event, rows in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            op.execute(
                f"CREATE TRIGGER report_rollup_{event.lower()} AFTER {event} ON {table}"
                f" REFERENCING {rows} FOR EACH STATEMENT"
                f" EXECUTE FUNCTION report_rollup_apply('{_builder(table)}', '{columns}')"
            )
        rollups = ", ".join(f"'{name}'" for name in ROLLUPS[table])
        op.execute(
            f"CREATE TRIGGER report_rollup_truncate AFTER TRUNCATE ON {table}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION report_rollup_truncate({rollups})"
        )
    op.execute("SELECT report_rollups_rebuild()")  # the back-fill, from the records as they are


def downgrade():
    for table, _ in SOURCES:
        for event in ("insert", "update", "delete", "truncate"):
            op.execute(f"DROP TRIGGER report_rollup_{event} ON {table}")
    op.execute("DROP FUNCTION report_rollups_rebuild(text)")
    op.execute("DROP FUNCTION report_rollup_truncate()")
    op.execute("DROP FUNCTION report_rollup_apply()")
    for table, _ in SOURCES:
        op.execute(f"DROP FUNCTION {_builder(table)}(text, text)")
    op.execute("DROP INDEX ix_hazard_events_left_closed")
    op.execute(
        "DROP TABLE report_hazard_days, report_hazards_monthly, report_patrols_daily,"
        " report_findings_monthly, report_materials_monthly, report_repairs_monthly,"
        " report_rollup_settings"
    )
    op.execute("DROP FUNCTION report_rollup_zone()")
