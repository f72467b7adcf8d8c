"""Crew safety: pre-shift briefings, pre-trip checks of driver and vehicle, work zones (#16).

Briefings with their attendees and topics (the branch's list, filled with defaults); pre-trip
checks with the thresholds they were judged by (the settings row, filled with defaults) and
readings that are erased after the retention period; work zones with their parts, devices and
the part minimums by speed limit (filled with defaults); photos may belong to a briefing or a
work zone.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from inspection.crew import kinds

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

OWNERS_5 = (
    "(finding_id IS NOT NULL)::int + (hazard_id IS NOT NULL)::int"
    " + (repair_id IS NOT NULL)::int + (survey_record_id IS NOT NULL)::int"
    " + (inspection_item_id IS NOT NULL)::int = 1"
)
OWNERS_7 = OWNERS_5.replace(
    " = 1", " + (briefing_id IS NOT NULL)::int + (work_zone_id IS NOT NULL)::int = 1"
)
TABLES = (
    "work_zone_parts",
    "work_zone_devices",
    "work_zones",
    "briefing_attendees",
    "pretrip_checks",
    "briefings",
    "work_zone_minimums",
    "crew_safety_settings",
    "briefing_topics",
)


def upgrade():
    op.create_table(
        "briefing_topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_briefing_topics")),
        sa.UniqueConstraint("name", name=op.f("uq_briefing_topics_name")),
    )
    op.create_table(
        "crew_safety_settings",
        sa.Column("id", sa.Boolean(), nullable=False),
        sa.Column("alcohol_drink_mg", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("alcohol_drunk_mg", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("systolic_max", sa.SmallInteger(), nullable=False),
        sa.Column("diastolic_max", sa.SmallInteger(), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "alcohol_drink_mg > 0 AND alcohol_drunk_mg >= alcohol_drink_mg",
            name=op.f("ck_crew_safety_settings_alcohol"),
        ),
        sa.CheckConstraint("id", name=op.f("ck_crew_safety_settings_one_row")),
        sa.CheckConstraint(
            "retention_days BETWEEN 30 AND 3650", name=op.f("ck_crew_safety_settings_retention")
        ),
        sa.CheckConstraint(
            "systolic_max BETWEEN 100 AND 250 AND diastolic_max BETWEEN 60 AND 150",
            name=op.f("ck_crew_safety_settings_blood_pressure"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crew_safety_settings")),
    )
    op.create_table(
        "work_zone_minimums",
        sa.Column("speed_limit_kmh", sa.SmallInteger(), nullable=False),
        sa.Column("part", sa.String(length=24), nullable=False),
        sa.Column("length_m", sa.Float(), nullable=False),
        sa.CheckConstraint(
            "part IN ('warning', 'upstream_transition', 'buffer', 'work_area', 'downstream_transition', 'termination')",  # noqa: E501
            name=op.f("ck_work_zone_minimums_part"),
        ),
        sa.CheckConstraint("length_m >= 0", name=op.f("ck_work_zone_minimums_length")),
        sa.PrimaryKeyConstraint("speed_limit_kmh", "part", name=op.f("pk_work_zone_minimums")),
    )
    op.create_table(
        "briefings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_uuid", sa.Uuid(), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("crew", sa.String(length=256), server_default="", nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=128), server_default="", nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=True),
        sa.Column("leader_name", sa.String(length=128), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("topic_text", sa.String(length=500), server_default="", nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "topic_id IS NOT NULL OR topic_text <> ''", name=op.f("ck_briefings_topic")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_briefings_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["leader_id"], ["users.id"], name=op.f("fk_briefings_leader_id_users")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_briefings_site_id_sites")),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["briefing_topics.id"], name=op.f("fk_briefings_topic_id_briefing_topics")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["users.id"], name=op.f("fk_briefings_voided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_briefings")),
        sa.UniqueConstraint("client_uuid", name=op.f("uq_briefings_client_uuid")),
    )
    op.create_index(
        op.f("ix_briefings_created_by_id"), "briefings", ["created_by_id"], unique=False
    )
    op.create_index(op.f("ix_briefings_held_at"), "briefings", ["held_at"], unique=False)
    op.create_index(op.f("ix_briefings_site_id"), "briefings", ["site_id"], unique=False)
    op.create_table(
        "pretrip_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_uuid", sa.Uuid(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("check_date", sa.Date(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column("driver_id", sa.Integer(), nullable=False),
        sa.Column("vehicle_items", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("vehicle_passed", sa.Boolean(), nullable=False),
        sa.Column("alcohol_mg", sa.Numeric(precision=5, scale=1), nullable=True),
        sa.Column("alcohol_result", sa.String(length=8), nullable=False),
        sa.Column("alcohol_passed", sa.Boolean(), nullable=False),
        sa.Column("systolic", sa.SmallInteger(), nullable=True),
        sa.Column("diastolic", sa.SmallInteger(), nullable=True),
        sa.Column("blood_pressure_passed", sa.Boolean(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("alcohol_limit_mg", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("systolic_max", sa.SmallInteger(), nullable=False),
        sa.Column("diastolic_max", sa.SmallInteger(), nullable=False),
        sa.Column("values_erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("checked_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "alcohol_mg IS NULL OR alcohol_mg BETWEEN 0 AND 500",
            name=op.f("ck_pretrip_checks_alcohol_range"),
        ),
        sa.CheckConstraint(
            "alcohol_result IN ('passed', 'drink', 'drunk')",
            name=op.f("ck_pretrip_checks_alcohol_result"),
        ),
        sa.CheckConstraint(
            "alcohol_passed = (alcohol_result = 'passed')",
            name=op.f("ck_pretrip_checks_alcohol_result_passed"),
        ),
        sa.CheckConstraint(
            "passed = (vehicle_passed AND alcohol_passed AND blood_pressure_passed)",
            name=op.f("ck_pretrip_checks_passed_is_all"),
        ),
        sa.CheckConstraint(
            "systolic IS NULL OR (systolic BETWEEN 50 AND 300 AND diastolic BETWEEN 30 AND 200 AND diastolic < systolic)",  # noqa: E501
            name=op.f("ck_pretrip_checks_blood_pressure_range"),
        ),
        sa.CheckConstraint(
            "values_erased_at IS NOT NULL OR (alcohol_mg IS NOT NULL AND systolic IS NOT NULL AND diastolic IS NOT NULL)",  # noqa: E501
            name=op.f("ck_pretrip_checks_readings_kept_or_erased"),
        ),
        sa.ForeignKeyConstraint(
            ["checked_by_id"], ["users.id"], name=op.f("fk_pretrip_checks_checked_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["driver_id"], ["drivers.id"], name=op.f("fk_pretrip_checks_driver_id_drivers")
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"], ["vehicles.id"], name=op.f("fk_pretrip_checks_vehicle_id_vehicles")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["users.id"], name=op.f("fk_pretrip_checks_voided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pretrip_checks")),
        sa.UniqueConstraint("client_uuid", name=op.f("uq_pretrip_checks_client_uuid")),
    )
    op.create_index(
        op.f("ix_pretrip_checks_check_date"), "pretrip_checks", ["check_date"], unique=False
    )
    op.create_index(
        op.f("ix_pretrip_checks_checked_by_id"), "pretrip_checks", ["checked_by_id"], unique=False
    )
    op.create_index(
        op.f("ix_pretrip_checks_driver_id"), "pretrip_checks", ["driver_id"], unique=False
    )
    op.create_index(op.f("ix_pretrip_checks_passed"), "pretrip_checks", ["passed"], unique=False)
    op.create_index(
        op.f("ix_pretrip_checks_vehicle_id"), "pretrip_checks", ["vehicle_id"], unique=False
    )
    op.create_table(
        "briefing_attendees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("briefing_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["briefing_id"],
            ["briefings.id"],
            name=op.f("fk_briefing_attendees_briefing_id_briefings"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_briefing_attendees_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_briefing_attendees")),
        sa.UniqueConstraint("briefing_id", "user_id", name="briefing_user"),
    )
    op.create_index(
        op.f("ix_briefing_attendees_briefing_id"),
        "briefing_attendees",
        ["briefing_id"],
        unique=False,
    )
    op.create_table(
        "work_zones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_uuid", sa.Uuid(), nullable=False),
        sa.Column("repair_id", sa.Integer(), nullable=True),
        sa.Column("patrol_id", sa.Integer(), nullable=True),
        sa.Column("road_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("from_chainage", sa.Float(), nullable=False),
        sa.Column("to_chainage", sa.Float(), nullable=False),
        sa.Column("lanes_closed", sa.SmallInteger(), nullable=False),
        sa.Column("lanes_note", sa.String(length=128), server_default="", nullable=False),
        sa.Column("speed_limit_kmh", sa.SmallInteger(), nullable=False),
        sa.Column("set_up_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("lanes_closed BETWEEN 0 AND 8", name=op.f("ck_work_zones_lanes")),
        sa.CheckConstraint(
            "removed_at IS NULL OR removed_at >= set_up_at", name=op.f("ck_work_zones_times")
        ),
        sa.CheckConstraint(
            "repair_id IS NOT NULL OR patrol_id IS NOT NULL", name=op.f("ck_work_zones_linked")
        ),
        sa.CheckConstraint("speed_limit_kmh BETWEEN 5 AND 130", name=op.f("ck_work_zones_speed")),
        sa.CheckConstraint("to_chainage >= from_chainage", name=op.f("ck_work_zones_stake_range")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_work_zones_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["patrol_id"], ["patrols.id"], name=op.f("fk_work_zones_patrol_id_patrols")
        ),
        sa.ForeignKeyConstraint(
            ["repair_id"], ["repairs.id"], name=op.f("fk_work_zones_repair_id_repairs")
        ),
        sa.ForeignKeyConstraint(
            ["road_id"], ["roads.id"], name=op.f("fk_work_zones_road_id_roads")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["users.id"], name=op.f("fk_work_zones_voided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_zones")),
        sa.UniqueConstraint("client_uuid", name=op.f("uq_work_zones_client_uuid")),
    )
    op.create_index(
        op.f("ix_work_zones_created_by_id"), "work_zones", ["created_by_id"], unique=False
    )
    op.create_index(op.f("ix_work_zones_patrol_id"), "work_zones", ["patrol_id"], unique=False)
    op.create_index(op.f("ix_work_zones_repair_id"), "work_zones", ["repair_id"], unique=False)
    op.create_index(op.f("ix_work_zones_road_id"), "work_zones", ["road_id"], unique=False)
    op.create_index(op.f("ix_work_zones_set_up_at"), "work_zones", ["set_up_at"], unique=False)
    op.create_table(
        "work_zone_devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("device", sa.String(length=24), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "device IN ('sign', 'cone', 'alarm_cone', 'intrusion_radar', 'attenuator', 'flagger')",
            name=op.f("ck_work_zone_devices_device"),
        ),
        sa.CheckConstraint("count BETWEEN 1 AND 10000", name=op.f("ck_work_zone_devices_count")),
        sa.ForeignKeyConstraint(
            ["zone_id"], ["work_zones.id"], name=op.f("fk_work_zone_devices_zone_id_work_zones")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_zone_devices")),
        sa.UniqueConstraint("zone_id", "device", name="zone_device"),
    )
    op.create_index(
        op.f("ix_work_zone_devices_zone_id"), "work_zone_devices", ["zone_id"], unique=False
    )
    op.create_table(
        "work_zone_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=24), nullable=False),
        sa.Column("length_m", sa.Float(), nullable=False),
        sa.CheckConstraint(
            "part IN ('warning', 'upstream_transition', 'buffer', 'work_area', 'downstream_transition', 'termination')",  # noqa: E501
            name=op.f("ck_work_zone_parts_part"),
        ),
        sa.CheckConstraint(
            "length_m > 0 AND length_m <= 100000", name=op.f("ck_work_zone_parts_length")
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"], ["work_zones.id"], name=op.f("fk_work_zone_parts_zone_id_work_zones")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_zone_parts")),
        sa.UniqueConstraint("zone_id", "part", name="zone_part"),
    )
    op.create_index(
        op.f("ix_work_zone_parts_zone_id"), "work_zone_parts", ["zone_id"], unique=False
    )
    op.add_column("photos", sa.Column("briefing_id", sa.Integer(), nullable=True))
    op.add_column("photos", sa.Column("work_zone_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_photos_briefing_id"), "photos", ["briefing_id"], unique=False)
    op.create_index(op.f("ix_photos_work_zone_id"), "photos", ["work_zone_id"], unique=False)
    op.create_foreign_key(
        op.f("fk_photos_briefing_id_briefings"), "photos", "briefings", ["briefing_id"], ["id"]
    )
    op.create_foreign_key(
        op.f("fk_photos_work_zone_id_work_zones"), "photos", "work_zones", ["work_zone_id"], ["id"]
    )

    op.drop_constraint(op.f("ck_photos_one_owner"), "photos", type_="check")
    op.create_check_constraint(op.f("ck_photos_one_owner"), "photos", OWNERS_7)
    op.execute(
        sa.text(
            "INSERT INTO crew_safety_settings (id, alcohol_drink_mg, alcohol_drunk_mg,"
            " systolic_max, diastolic_max, retention_days)"
            " VALUES (true, :drink, :drunk, :sys, :dia, :days)"
        ).bindparams(
            drink=kinds.DEFAULT_ALCOHOL_DRINK_MG,
            drunk=kinds.DEFAULT_ALCOHOL_DRUNK_MG,
            sys=kinds.DEFAULT_SYSTOLIC_MAX,
            dia=kinds.DEFAULT_DIASTOLIC_MAX,
            days=kinds.DEFAULT_RETENTION_DAYS,
        )
    )
    topics = sa.table("briefing_topics", sa.column("name", sa.String))
    op.bulk_insert(topics, [{"name": name} for name in kinds.DEFAULT_TOPICS])
    minimums = sa.table(
        "work_zone_minimums",
        sa.column("speed_limit_kmh", sa.SmallInteger),
        sa.column("part", sa.String),
        sa.column("length_m", sa.Float),
    )
    op.bulk_insert(
        minimums,
        [
            {"speed_limit_kmh": speed, "part": part.value, "length_m": length}
            for speed, parts in kinds.DEFAULT_MINIMUMS_M.items()
            for part, length in parts.items()
        ],
    )


def downgrade():
    owned = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT count(*) FROM photos"
                " WHERE briefing_id IS NOT NULL OR work_zone_id IS NOT NULL"
            )
        )
        .scalar_one()
    )
    if owned:
        raise RuntimeError(f"{owned} photos belong to briefings or work zones; export them first")
    op.drop_constraint(op.f("ck_photos_one_owner"), "photos", type_="check")
    op.create_check_constraint(op.f("ck_photos_one_owner"), "photos", OWNERS_5)
    op.drop_constraint(op.f("fk_photos_work_zone_id_work_zones"), "photos", type_="foreignkey")
    op.drop_constraint(op.f("fk_photos_briefing_id_briefings"), "photos", type_="foreignkey")
    op.drop_index(op.f("ix_photos_work_zone_id"), table_name="photos")
    op.drop_index(op.f("ix_photos_briefing_id"), table_name="photos")
    op.drop_column("photos", "work_zone_id")
    op.drop_column("photos", "briefing_id")
    for table in TABLES:
        op.drop_table(table)
