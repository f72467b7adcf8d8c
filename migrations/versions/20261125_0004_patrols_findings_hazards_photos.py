"""Field logging: patrols, findings, hazards with their audit events, photos.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 16:27:58.820368

"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "patrols",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_uuid", sa.Uuid(), nullable=False),
        sa.Column("road_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("crew", sa.String(length=256), nullable=False),
        sa.Column("vehicle", sa.String(length=64), nullable=False),
        sa.Column("weather", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("start_chainage", sa.Float(), nullable=True),
        sa.Column("end_chainage", sa.Float(), nullable=True),
        sa.Column("patrolled_km", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
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
            "kind IN ('routine', 'special', 'night', 'safety_inspection')",
            name=op.f("ck_patrols_kind"),
        ),
        sa.CheckConstraint(
            "ended_at IS NULL OR ended_at >= started_at", name=op.f("ck_patrols_times")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_patrols_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(["road_id"], ["roads.id"], name=op.f("fk_patrols_road_id_roads")),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["users.id"], name=op.f("fk_patrols_voided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patrols")),
        sa.UniqueConstraint("client_uuid", name=op.f("uq_patrols_client_uuid")),
    )
    op.create_index(op.f("ix_patrols_created_by_id"), "patrols", ["created_by_id"], unique=False)
    op.create_index(op.f("ix_patrols_road_id"), "patrols", ["road_id"], unique=False)
    op.create_index(op.f("ix_patrols_started_at"), "patrols", ["started_at"], unique=False)
    op.create_geospatial_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_uuid", sa.Uuid(), nullable=False),
        sa.Column("patrol_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("item_code", sa.String(length=32), nullable=True),
        sa.Column("severity", sa.String(length=8), nullable=True),
        sa.Column("quantity", sa.Float(), nullable=True),
        sa.Column("quantity_unit", sa.String(length=8), nullable=True),
        sa.Column("depth_mm", sa.Float(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("onsite_action", sa.Text(), nullable=False),
        sa.Column("road_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=True),
        sa.Column("lane", sa.String(length=32), nullable=False),
        sa.Column("chainage", sa.Float(), nullable=False),
        sa.Column("end_chainage", sa.Float(), nullable=True),
        sa.Column("stake_text", sa.String(length=40), nullable=False),
        sa.Column("location_source", sa.String(length=8), nullable=False),
        sa.Column("gps_lon", sa.Float(), nullable=True),
        sa.Column("gps_lat", sa.Float(), nullable=True),
        sa.Column("gps_accuracy_m", sa.Float(), nullable=True),
        sa.Column("gps_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("offset_m", sa.Float(), nullable=True),
        sa.Column(
            "geom",
            Geometry(
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("geometry_version", sa.Integer(), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_agent", sa.String(length=256), nullable=False),
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
            "kind IN ('pavement_distress', 'pothole', 'shoulder_damage', 'slope_damage', "
            "'drainage', 'roadside_facility', 'safety_hazard')",
            name=op.f("ck_findings_kind"),
        ),
        sa.CheckConstraint(
            "location_source IN ('stake', 'gps')", name=op.f("ck_findings_location_source")
        ),
        sa.CheckConstraint(
            "status IN ('open', 'resolved', 'hazard_raised')", name=op.f("ck_findings_status")
        ),
        sa.CheckConstraint("quantity IS NULL OR quantity >= 0", name=op.f("ck_findings_quantity")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_findings_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["patrol_id"], ["patrols.id"], name=op.f("fk_findings_patrol_id_patrols")
        ),
        sa.ForeignKeyConstraint(["road_id"], ["roads.id"], name=op.f("fk_findings_road_id_roads")),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["users.id"], name=op.f("fk_findings_voided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
        sa.UniqueConstraint("client_uuid", name=op.f("uq_findings_client_uuid")),
    )
    op.create_geospatial_index(
        "idx_findings_geom",
        "findings",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_findings_created_by_id"), "findings", ["created_by_id"], unique=False)
    op.create_index(op.f("ix_findings_kind"), "findings", ["kind"], unique=False)
    op.create_index(op.f("ix_findings_observed_at"), "findings", ["observed_at"], unique=False)
    op.create_index(op.f("ix_findings_patrol_id"), "findings", ["patrol_id"], unique=False)
    op.create_index(op.f("ix_findings_road_id"), "findings", ["road_id"], unique=False)
    op.create_index(op.f("ix_findings_status"), "findings", ["status"], unique=False)
    op.create_geospatial_table(
        "hazards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("grade", sa.String(length=8), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("road_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("chainage", sa.Float(), nullable=False),
        sa.Column("end_chainage", sa.Float(), nullable=True),
        sa.Column(
            "geom",
            Geometry(
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("geometry_version", sa.Integer(), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("found_by_id", sa.Integer(), nullable=False),
        sa.Column("interim_measures", sa.Text(), nullable=False),
        sa.Column("responsible_unit", sa.String(length=128), nullable=False),
        sa.Column("responsible_person", sa.String(length=64), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("plan", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verified_by_id", sa.Integer(), nullable=True),
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
        sa.CheckConstraint("grade IN ('general', 'major')", name=op.f("ck_hazards_grade")),
        sa.CheckConstraint(
            "state IN ('reported', 'rectifying', 'awaiting_verification', 'closed')",
            name=op.f("ck_hazards_state"),
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"], name=op.f("fk_hazards_assignee_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name=op.f("fk_hazards_finding_id_findings")
        ),
        sa.ForeignKeyConstraint(
            ["found_by_id"], ["users.id"], name=op.f("fk_hazards_found_by_id_users")
        ),
        sa.ForeignKeyConstraint(["road_id"], ["roads.id"], name=op.f("fk_hazards_road_id_roads")),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"], ["users.id"], name=op.f("fk_hazards_submitted_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_id"], ["users.id"], name=op.f("fk_hazards_verified_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazards")),
        sa.UniqueConstraint("finding_id", name=op.f("uq_hazards_finding_id")),
        sa.UniqueConstraint("number", name=op.f("uq_hazards_number")),
    )
    op.create_geospatial_index(
        "idx_hazards_geom",
        "hazards",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_hazards_category"), "hazards", ["category"], unique=False)
    op.create_index(op.f("ix_hazards_closed_at"), "hazards", ["closed_at"], unique=False)
    op.create_index(op.f("ix_hazards_deadline"), "hazards", ["deadline"], unique=False)
    op.create_index(op.f("ix_hazards_found_at"), "hazards", ["found_at"], unique=False)
    op.create_index(op.f("ix_hazards_road_id"), "hazards", ["road_id"], unique=False)
    op.create_index(op.f("ix_hazards_state"), "hazards", ["state"], unique=False)
    op.create_table(
        "hazard_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hazard_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=24), nullable=True),
        sa.Column("to_state", sa.String(length=24), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_hazard_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["hazard_id"], ["hazards.id"], name=op.f("fk_hazard_events_hazard_id_hazards")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_events")),
        sa.UniqueConstraint("hash", name=op.f("uq_hazard_events_hash")),
        sa.UniqueConstraint("hazard_id", "seq", name="uq_hazard_events_hazard_seq"),
    )
    op.create_index(
        op.f("ix_hazard_events_hazard_id"), "hazard_events", ["hazard_id"], unique=False
    )
    op.create_table(
        "photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_uuid", sa.Uuid(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=True),
        sa.Column("hazard_id", sa.Integer(), nullable=True),
        sa.Column("stage", sa.String(length=8), nullable=False),
        sa.Column("content_key", sa.String(length=128), nullable=False),
        sa.Column("thumbnail_key", sa.String(length=128), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("original_sha256", sa.String(length=64), nullable=False),
        sa.Column("mime", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("exif_taken_at", sa.String(length=40), nullable=True),
        sa.Column("exif_lon", sa.Float(), nullable=True),
        sa.Column("exif_lat", sa.Float(), nullable=True),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("stage IN ('site', 'before', 'after')", name=op.f("ck_photos_stage")),
        sa.CheckConstraint(
            "(finding_id IS NOT NULL)::int + (hazard_id IS NOT NULL)::int = 1",
            name=op.f("ck_photos_one_owner"),
        ),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name=op.f("fk_photos_finding_id_findings")
        ),
        sa.ForeignKeyConstraint(
            ["hazard_id"], ["hazards.id"], name=op.f("fk_photos_hazard_id_hazards")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_photos_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photos")),
        sa.UniqueConstraint("client_uuid", name=op.f("uq_photos_client_uuid")),
    )
    op.create_index(op.f("ix_photos_finding_id"), "photos", ["finding_id"], unique=False)
    op.create_index(op.f("ix_photos_hazard_id"), "photos", ["hazard_id"], unique=False)
    op.create_index(op.f("ix_photos_sha256"), "photos", ["sha256"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_photos_sha256"), table_name="photos")
    op.drop_index(op.f("ix_photos_hazard_id"), table_name="photos")
    op.drop_index(op.f("ix_photos_finding_id"), table_name="photos")
    op.drop_table("photos")
    op.drop_index(op.f("ix_hazard_events_hazard_id"), table_name="hazard_events")
    op.drop_table("hazard_events")
    op.drop_index(op.f("ix_hazards_state"), table_name="hazards")
    op.drop_index(op.f("ix_hazards_road_id"), table_name="hazards")
    op.drop_index(op.f("ix_hazards_found_at"), table_name="hazards")
    op.drop_index(op.f("ix_hazards_deadline"), table_name="hazards")
    op.drop_index(op.f("ix_hazards_closed_at"), table_name="hazards")
    op.drop_index(op.f("ix_hazards_category"), table_name="hazards")
    op.drop_geospatial_index(
        "idx_hazards_geom", table_name="hazards", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("hazards")
    op.drop_index(op.f("ix_findings_status"), table_name="findings")
    op.drop_index(op.f("ix_findings_road_id"), table_name="findings")
    op.drop_index(op.f("ix_findings_patrol_id"), table_name="findings")
    op.drop_index(op.f("ix_findings_observed_at"), table_name="findings")
    op.drop_index(op.f("ix_findings_kind"), table_name="findings")
    op.drop_index(op.f("ix_findings_created_by_id"), table_name="findings")
    op.drop_geospatial_index(
        "idx_findings_geom", table_name="findings", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("findings")
    op.drop_index(op.f("ix_patrols_started_at"), table_name="patrols")
    op.drop_index(op.f("ix_patrols_road_id"), table_name="patrols")
    op.drop_index(op.f("ix_patrols_created_by_id"), table_name="patrols")
    op.drop_table("patrols")
