"""Departments, sites and self-inspections; hazards at a road stake or a site, with a source.

Existing `safety_inspection` patrols become routine inspections (their dates, leader, crew,
road section and the hazards raised on them); the patrol rows are kept, voided with a note
that points at the inspection, so nothing is lost and downgrade restores them. Hazards'
free-text responsible unit becomes a department (one per distinct text).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

import os

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

from inspection.inspections.defaults import template_rows

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ONE_OF_FOUR = (
    "(finding_id IS NOT NULL)::int + (hazard_id IS NOT NULL)::int"
    " + (repair_id IS NOT NULL)::int + (survey_record_id IS NOT NULL)::int = 1"
)
ONE_OF_FIVE = ONE_OF_FOUR.replace(" = 1", " + (inspection_item_id IS NOT NULL)::int = 1")
OLD_PATROL_KINDS = "kind IN ('routine', 'special', 'night', 'safety_inspection')"
NEW_PATROL_KINDS = "kind IN ('routine', 'special', 'night')"
MIGRATED_NOTE = "已迁移为安全自查（安全生产自查台账）/ moved to the self-inspection register"
HAZARD_SOURCES = (
    "source IN ('self_inspection', 'patrol', 'higher_authority', 'public_report', 'other')"
)
HAZARD_LOCATION = (
    "(site_id IS NULL) = (road_id IS NOT NULL)"
    " AND (road_id IS NULL) = (chainage IS NULL)"
    " AND (road_id IS NULL) = (direction IS NULL)"
)


def upgrade():
    op.create_table(
        "departments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
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
        sa.CheckConstraint(
            "kind IN ('maintenance_area', 'toll_station', 'service_area', 'machinery', 'logistics', 'office', 'other')",  # noqa: E501
            name=op.f("ck_departments_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_departments")),
        sa.UniqueConstraint("name", name=op.f("uq_departments_name")),
    )
    op.create_table(
        "inspection_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=True),
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
        sa.CheckConstraint(
            "kind IS NULL OR kind IN ('seasonal', 'special', 'special_period', 'look_back', 'routine')",  # noqa: E501
            name=op.f("ck_inspection_templates_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_templates")),
        sa.UniqueConstraint("name", name=op.f("uq_inspection_templates_name")),
    )
    op.create_table(
        "inspection_template_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=256), nullable=False),
        sa.Column("hazard_category", sa.String(length=32), nullable=False),
        sa.CheckConstraint("btrim(name) <> ''", name=op.f("ck_inspection_template_items_name")),
        sa.CheckConstraint(
            "section IN ('fire_safety', 'electricity', 'special_equipment', 'vehicles_machinery', 'work_zone', 'office_living', 'road_facilities', 'other')",  # noqa: E501
            name=op.f("ck_inspection_template_items_section"),
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["inspection_templates.id"],
            name=op.f("fk_inspection_template_items_template_id_inspection_templates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_template_items")),
    )
    op.create_index(
        op.f("ix_inspection_template_items_template_id"),
        "inspection_template_items",
        ["template_id"],
        unique=False,
    )
    op.create_geospatial_table(
        "sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("road_id", sa.Integer(), nullable=True),
        sa.Column("chainage", sa.Float(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
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
        sa.CheckConstraint(
            "kind IN ('toll_station', 'service_area', 'maintenance_depot', 'machinery_workshop', 'office', 'tunnel', 'bridge', 'other')",  # noqa: E501
            name=op.f("ck_sites_kind"),
        ),
        sa.CheckConstraint(
            "(road_id IS NULL) = (chainage IS NULL)", name=op.f("ck_sites_road_stake")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_sites_department_id_departments")
        ),
        sa.ForeignKeyConstraint(["road_id"], ["roads.id"], name=op.f("fk_sites_road_id_roads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
        sa.UniqueConstraint("name", name=op.f("uq_sites_name")),
    )
    op.create_geospatial_index(
        "idx_sites_geom",
        "sites",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_sites_department_id"), "sites", ["department_id"], unique=False)
    op.create_index(op.f("ix_sites_road_id"), "sites", ["road_id"], unique=False)
    op.create_table(
        "inspections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_uuid", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("theme", sa.String(length=256), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=True),
        sa.Column("leader_name", sa.String(length=64), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("recheck_from", sa.Date(), nullable=True),
        sa.Column("recheck_to", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("legacy_patrol_id", sa.Integer(), nullable=True),
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
            "(kind = 'look_back') = (recheck_from IS NOT NULL AND recheck_to IS NOT NULL)",
            name=op.f("ck_inspections_recheck_period"),
        ),
        sa.CheckConstraint(
            "kind IN ('seasonal', 'special', 'special_period', 'look_back', 'routine')",
            name=op.f("ck_inspections_kind"),
        ),
        sa.CheckConstraint("ended_on >= started_on", name=op.f("ck_inspections_dates")),
        sa.CheckConstraint(
            "recheck_to IS NULL OR recheck_to >= recheck_from",
            name=op.f("ck_inspections_recheck_dates"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_inspections_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["leader_id"], ["users.id"], name=op.f("fk_inspections_leader_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["legacy_patrol_id"],
            ["patrols.id"],
            name=op.f("fk_inspections_legacy_patrol_id_patrols"),
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["inspection_templates.id"],
            name=op.f("fk_inspections_template_id_inspection_templates"),
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["users.id"], name=op.f("fk_inspections_voided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspections")),
        sa.UniqueConstraint("client_uuid", name=op.f("uq_inspections_client_uuid")),
        sa.UniqueConstraint("legacy_patrol_id", name=op.f("uq_inspections_legacy_patrol_id")),
    )
    op.create_index(
        op.f("ix_inspections_created_by_id"), "inspections", ["created_by_id"], unique=False
    )
    op.create_index(op.f("ix_inspections_kind"), "inspections", ["kind"], unique=False)
    op.create_index(op.f("ix_inspections_started_on"), "inspections", ["started_on"], unique=False)
    op.create_table(
        "inspection_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "user_id IS NOT NULL OR btrim(name) <> ''", name=op.f("ck_inspection_members_who")
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_inspection_members_inspection_id_inspections"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_inspection_members_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_members")),
    )
    op.create_index(
        op.f("ix_inspection_members_inspection_id"),
        "inspection_members",
        ["inspection_id"],
        unique=False,
    )
    op.create_table(
        "inspection_sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("road_id", sa.Integer(), nullable=False),
        sa.Column("start_chainage", sa.Float(), nullable=False),
        sa.Column("end_chainage", sa.Float(), nullable=False),
        sa.CheckConstraint(
            "end_chainage >= start_chainage", name=op.f("ck_inspection_sections_range")
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_inspection_sections_inspection_id_inspections"),
        ),
        sa.ForeignKeyConstraint(
            ["road_id"], ["roads.id"], name=op.f("fk_inspection_sections_road_id_roads")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_sections")),
    )
    op.create_index(
        op.f("ix_inspection_sections_inspection_id"),
        "inspection_sections",
        ["inspection_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_sections_road_id"), "inspection_sections", ["road_id"], unique=False
    )
    op.create_table(
        "inspection_sites",
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_inspection_sites_inspection_id_inspections"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_inspection_sites_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("inspection_id", "site_id", name=op.f("pk_inspection_sites")),
    )
    op.create_index(
        op.f("ix_inspection_sites_site_id"), "inspection_sites", ["site_id"], unique=False
    )
    op.create_table(
        "inspection_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_uuid", sa.Uuid(), nullable=True),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=256), nullable=False),
        sa.Column("hazard_category", sa.String(length=32), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("road_id", sa.Integer(), nullable=True),
        sa.Column("chainage", sa.Float(), nullable=True),
        sa.Column("hazard_id", sa.Integer(), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("btrim(name) <> ''", name=op.f("ck_inspection_items_name")),
        sa.CheckConstraint(
            "hazard_id IS NULL OR result = 'does_not_meet'",
            name=op.f("ck_inspection_items_hazard_if_unmet"),
        ),
        sa.CheckConstraint(
            "result IS NULL OR result IN ('meets', 'does_not_meet', 'not_applicable')",
            name=op.f("ck_inspection_items_result"),
        ),
        sa.CheckConstraint(
            "section IN ('fire_safety', 'electricity', 'special_equipment', 'vehicles_machinery', 'work_zone', 'office_living', 'road_facilities', 'other')",  # noqa: E501
            name=op.f("ck_inspection_items_section"),
        ),
        sa.CheckConstraint(
            "(road_id IS NULL) = (chainage IS NULL)", name=op.f("ck_inspection_items_road_stake")
        ),
        sa.CheckConstraint(
            "site_id IS NULL OR road_id IS NULL", name=op.f("ck_inspection_items_one_place")
        ),
        sa.ForeignKeyConstraint(
            ["checked_by_id"], ["users.id"], name=op.f("fk_inspection_items_checked_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["hazard_id"], ["hazards.id"], name=op.f("fk_inspection_items_hazard_id_hazards")
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_inspection_items_inspection_id_inspections"),
        ),
        sa.ForeignKeyConstraint(
            ["road_id"], ["roads.id"], name=op.f("fk_inspection_items_road_id_roads")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_inspection_items_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_items")),
        sa.UniqueConstraint("client_uuid", name=op.f("uq_inspection_items_client_uuid")),
    )
    op.create_index(
        op.f("ix_inspection_items_hazard_id"), "inspection_items", ["hazard_id"], unique=False
    )
    op.create_index(
        op.f("ix_inspection_items_inspection_id"),
        "inspection_items",
        ["inspection_id"],
        unique=False,
    )
    op.create_table(
        "inspection_rechecks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("hazard_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("checked_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('holds', 'relapsed')", name=op.f("ck_inspection_rechecks_outcome")
        ),
        sa.ForeignKeyConstraint(
            ["checked_by_id"], ["users.id"], name=op.f("fk_inspection_rechecks_checked_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["hazard_events.id"],
            name=op.f("fk_inspection_rechecks_event_id_hazard_events"),
        ),
        sa.ForeignKeyConstraint(
            ["hazard_id"], ["hazards.id"], name=op.f("fk_inspection_rechecks_hazard_id_hazards")
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_inspection_rechecks_inspection_id_inspections"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_rechecks")),
        sa.UniqueConstraint("event_id", name=op.f("uq_inspection_rechecks_event_id")),
        sa.UniqueConstraint("inspection_id", "hazard_id", name="uq_inspection_rechecks_hazard"),
    )
    op.create_index(
        op.f("ix_inspection_rechecks_hazard_id"), "inspection_rechecks", ["hazard_id"], unique=False
    )
    op.create_index(
        op.f("ix_inspection_rechecks_inspection_id"),
        "inspection_rechecks",
        ["inspection_id"],
        unique=False,
    )

    _seed_templates()
    _hazards_anywhere()
    _patrols_to_inspections()

    op.add_column("photos", sa.Column("inspection_item_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_photos_inspection_item_id"), "photos", ["inspection_item_id"])
    op.create_foreign_key(
        op.f("fk_photos_inspection_item_id_inspection_items"),
        "photos",
        "inspection_items",
        ["inspection_item_id"],
        ["id"],
    )
    op.drop_constraint(op.f("ck_photos_one_owner"), "photos", type_="check")
    op.create_check_constraint("one_owner", "photos", ONE_OF_FIVE)


def _seed_templates():
    """The branch's starting checklists (it edits them afterwards)."""
    conn = op.get_bind()
    for name, kind, items in template_rows():
        template_id = conn.execute(
            sa.text(
                "INSERT INTO inspection_templates (name, kind) VALUES (:name, :kind) RETURNING id"
            ),
            {"name": name, "kind": kind},
        ).scalar_one()
        conn.execute(
            sa.text(
                "INSERT INTO inspection_template_items"
                " (template_id, position, section, name, hazard_category)"
                " VALUES (:template_id, :position, :section, :name, :category)"
            ),
            [
                {
                    "template_id": template_id,
                    "position": position,
                    "section": section,
                    "name": item_name,
                    "category": category,
                }
                for position, section, item_name, category in items
            ],
        )


def _hazards_anywhere():
    op.add_column("hazards", sa.Column("source", sa.String(length=24), nullable=True))
    op.add_column("hazards", sa.Column("inspection_id", sa.Integer(), nullable=True))
    op.add_column("hazards", sa.Column("site_id", sa.Integer(), nullable=True))
    op.add_column(
        "hazards",
        sa.Column("location_note", sa.String(length=256), server_default="", nullable=False),
    )
    op.add_column("hazards", sa.Column("responsible_department_id", sa.Integer(), nullable=True))
    for column, type_ in (
        ("road_id", sa.INTEGER()),
        ("direction", sa.VARCHAR(length=8)),
        ("chainage", sa.DOUBLE_PRECISION(precision=53)),
        ("geometry_version", sa.INTEGER()),
    ):
        op.alter_column("hazards", column, existing_type=type_, nullable=True)
    op.create_index(op.f("ix_hazards_inspection_id"), "hazards", ["inspection_id"])
    op.create_index(
        op.f("ix_hazards_responsible_department_id"), "hazards", ["responsible_department_id"]
    )
    op.create_index(op.f("ix_hazards_site_id"), "hazards", ["site_id"])
    op.create_index(op.f("ix_hazards_source"), "hazards", ["source"])
    op.create_foreign_key(op.f("fk_hazards_site_id_sites"), "hazards", "sites", ["site_id"], ["id"])
    op.create_foreign_key(
        op.f("fk_hazards_responsible_department_id_departments"),
        "hazards",
        "departments",
        ["responsible_department_id"],
        ["id"],
    )
    op.create_foreign_key(
        op.f("fk_hazards_inspection_id_inspections"),
        "hazards",
        "inspections",
        ["inspection_id"],
        ["id"],
    )
    # One department per distinct responsible-unit text (names are unique, cut to the column).
    op.execute(
        """
        INSERT INTO departments (name, kind)
        SELECT DISTINCT left(btrim(responsible_unit), 128), 'other'
        FROM hazards WHERE btrim(responsible_unit) <> ''
        """
    )
    op.execute(
        """
        UPDATE hazards h SET responsible_department_id = d.id
        FROM departments d WHERE d.name = left(btrim(h.responsible_unit), 128)
        """
    )
    op.drop_column("hazards", "responsible_unit")
    # Raised from a finding: a road patrol saw it. Raised directly: the source is not known.
    op.execute(
        "UPDATE hazards SET source = CASE WHEN finding_id IS NULL THEN 'other' ELSE 'patrol' END"
    )


def _patrols_to_inspections():
    """Make a routine inspection of every safety_inspection patrol, and link its hazards."""
    timezone = os.environ.get("BRANCH_TIMEZONE") or "Asia/Shanghai"
    op.execute(
        sa.text(
            """
            INSERT INTO inspections (client_uuid, kind, theme, started_on, ended_on,
                leader_id, leader_name, note, created_by_id, legacy_patrol_id,
                voided_at, void_reason, voided_by_id, created_at, updated_at)
            SELECT p.client_uuid, 'routine',
                left(coalesce(nullif(btrim(p.note), ''), '安全生产自查'), 256),
                (p.started_at AT TIME ZONE :tz)::date,
                greatest((coalesce(p.ended_at, p.started_at) AT TIME ZONE :tz)::date,
                         (p.started_at AT TIME ZONE :tz)::date),
                p.created_by_id, '', p.note, p.created_by_id, p.id,
                p.voided_at, p.void_reason, p.voided_by_id, p.created_at, p.updated_at
            FROM patrols p WHERE p.kind = 'safety_inspection'
            """
        ).bindparams(tz=timezone)
    )
    # The crew, as free names (the patrol kept them as one text).
    op.execute(
        r"""
        INSERT INTO inspection_members (inspection_id, name)
        SELECT i.id, left(member, 64)
        FROM inspections i JOIN patrols p ON p.id = i.legacy_patrol_id,
             regexp_split_to_table(p.crew, '[,，、;；\s]+') AS member
        WHERE btrim(member) <> ''
        """
    )
    op.execute(
        """
        INSERT INTO inspection_sections (inspection_id, road_id, start_chainage, end_chainage)
        SELECT i.id, p.road_id,
            coalesce(least(p.start_chainage, p.end_chainage), r.start_chainage),
            coalesce(greatest(p.start_chainage, p.end_chainage), r.end_chainage)
        FROM inspections i JOIN patrols p ON p.id = i.legacy_patrol_id
        JOIN roads r ON r.id = p.road_id
        """
    )
    op.execute(
        """
        UPDATE hazards h SET source = 'self_inspection', inspection_id = i.id
        FROM findings f JOIN inspections i ON i.legacy_patrol_id = f.patrol_id
        WHERE h.finding_id = f.id
        """
    )
    op.execute(
        sa.text(
            """
            UPDATE patrols SET kind = 'routine', voided_at = coalesce(voided_at, now()),
                void_reason = coalesce(void_reason, :note),
                voided_by_id = coalesce(voided_by_id, created_by_id)
            WHERE kind = 'safety_inspection'
            """
        ).bindparams(note=MIGRATED_NOTE)
    )
    op.drop_constraint(op.f("ck_patrols_kind"), "patrols", type_="check")
    op.create_check_constraint("kind", "patrols", NEW_PATROL_KINDS)
    op.alter_column("hazards", "source", existing_type=sa.String(length=24), nullable=False)
    op.create_check_constraint("source", "hazards", HAZARD_SOURCES)
    op.create_check_constraint("location", "hazards", HAZARD_LOCATION)
    op.create_check_constraint(
        "inspection_source", "hazards", "(source = 'self_inspection') = (inspection_id IS NOT NULL)"
    )


def downgrade():
    conn = op.get_bind()
    at_sites = conn.execute(sa.text("SELECT count(*) FROM hazards WHERE site_id IS NOT NULL"))
    if at_sites.scalar_one():
        raise RuntimeError(
            "hazards at sites cannot be kept by revision 0011 (it needs a road stake); "
            "export them and void or move them before downgrading"
        )
    at_item_photos = conn.execute(
        sa.text("SELECT count(*) FROM photos WHERE inspection_item_id IS NOT NULL")
    )
    if at_item_photos.scalar_one():
        raise RuntimeError("photos of inspection items cannot be kept by revision 0011")
    op.drop_constraint(op.f("ck_photos_one_owner"), "photos", type_="check")
    op.create_check_constraint("one_owner", "photos", ONE_OF_FOUR)
    op.drop_constraint(
        op.f("fk_photos_inspection_item_id_inspection_items"), "photos", type_="foreignkey"
    )
    op.drop_index(op.f("ix_photos_inspection_item_id"), table_name="photos")
    op.drop_column("photos", "inspection_item_id")

    # The patrols the upgrade moved come back as they were (voided only if they were).
    op.drop_constraint(op.f("ck_patrols_kind"), "patrols", type_="check")
    op.create_check_constraint("kind", "patrols", OLD_PATROL_KINDS)
    op.execute(
        """
        UPDATE patrols p SET kind = 'safety_inspection', voided_at = i.voided_at,
            void_reason = i.void_reason, voided_by_id = i.voided_by_id
        FROM inspections i WHERE i.legacy_patrol_id = p.id
        """
    )

    op.add_column(
        "hazards",
        sa.Column("responsible_unit", sa.VARCHAR(length=128), server_default="", nullable=False),
    )
    op.execute(
        """
        UPDATE hazards h SET responsible_unit = d.name
        FROM departments d WHERE d.id = h.responsible_department_id
        """
    )
    for name in ("inspection_source", "location", "source"):
        op.drop_constraint(op.f(f"ck_hazards_{name}"), "hazards", type_="check")
    op.drop_constraint(op.f("fk_hazards_inspection_id_inspections"), "hazards", type_="foreignkey")
    op.drop_constraint(
        op.f("fk_hazards_responsible_department_id_departments"), "hazards", type_="foreignkey"
    )
    op.drop_constraint(op.f("fk_hazards_site_id_sites"), "hazards", type_="foreignkey")
    for index in ("source", "site_id", "responsible_department_id", "inspection_id"):
        op.drop_index(op.f(f"ix_hazards_{index}"), table_name="hazards")
    for column, type_ in (
        ("geometry_version", sa.INTEGER()),
        ("chainage", sa.DOUBLE_PRECISION(precision=53)),
        ("direction", sa.VARCHAR(length=8)),
        ("road_id", sa.INTEGER()),
    ):
        op.alter_column("hazards", column, existing_type=type_, nullable=False)
    for column in (
        "responsible_department_id",
        "location_note",
        "site_id",
        "inspection_id",
        "source",
    ):
        op.drop_column("hazards", column)
    op.drop_index(op.f("ix_inspection_rechecks_inspection_id"), table_name="inspection_rechecks")
    op.drop_index(op.f("ix_inspection_rechecks_hazard_id"), table_name="inspection_rechecks")
    op.drop_table("inspection_rechecks")
    op.drop_index(op.f("ix_inspection_items_inspection_id"), table_name="inspection_items")
    op.drop_index(op.f("ix_inspection_items_hazard_id"), table_name="inspection_items")
    op.drop_table("inspection_items")
    op.drop_index(op.f("ix_inspection_sites_site_id"), table_name="inspection_sites")
    op.drop_table("inspection_sites")
    op.drop_index(op.f("ix_inspection_sections_road_id"), table_name="inspection_sections")
    op.drop_index(op.f("ix_inspection_sections_inspection_id"), table_name="inspection_sections")
    op.drop_table("inspection_sections")
    op.drop_index(op.f("ix_inspection_members_inspection_id"), table_name="inspection_members")
    op.drop_table("inspection_members")
    op.drop_index(op.f("ix_inspections_started_on"), table_name="inspections")
    op.drop_index(op.f("ix_inspections_kind"), table_name="inspections")
    op.drop_index(op.f("ix_inspections_created_by_id"), table_name="inspections")
    op.drop_table("inspections")
    op.drop_index(op.f("ix_sites_road_id"), table_name="sites")
    op.drop_index(op.f("ix_sites_department_id"), table_name="sites")
    op.drop_geospatial_index(
        "idx_sites_geom", table_name="sites", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("sites")
    op.drop_index(
        op.f("ix_inspection_template_items_template_id"), table_name="inspection_template_items"
    )
    op.drop_table("inspection_template_items")
    op.drop_table("inspection_templates")
    op.drop_table("departments")
