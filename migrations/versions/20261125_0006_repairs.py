"""Repairs with their materials and resolved findings; photos may belong to a repair.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 16:47:38.101525

"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ONE_OF_TWO = "(finding_id IS NOT NULL)::int + (hazard_id IS NOT NULL)::int = 1"
ONE_OF_THREE = (
    "(finding_id IS NOT NULL)::int + (hazard_id IS NOT NULL)::int"
    " + (repair_id IS NOT NULL)::int = 1"
)


def upgrade():
    op.create_geospatial_table(
        "repairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_uuid", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("road_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=True),
        sa.Column("chainage", sa.Float(), nullable=False),
        sa.Column("end_chainage", sa.Float(), nullable=True),
        sa.Column("stake_text", sa.String(length=80), nullable=False),
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
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("area_m2", sa.Float(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("depth_mm", sa.Float(), nullable=True),
        sa.Column("crew", sa.String(length=256), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("cost_yuan", sa.Numeric(precision=14, scale=2), nullable=True),
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
            "direction IN ('up', 'down', 'both')", name=op.f("ck_repairs_direction")
        ),
        sa.CheckConstraint(
            "kind IN ('shoulder', 'slope', 'pothole')", name=op.f("ck_repairs_kind")
        ),
        sa.CheckConstraint(
            "side IS NULL OR side IN ('left', 'right', 'median')", name=op.f("ck_repairs_side")
        ),
        sa.CheckConstraint("area_m2 IS NULL OR area_m2 > 0", name=op.f("ck_repairs_area")),
        sa.CheckConstraint("cost_yuan IS NULL OR cost_yuan >= 0", name=op.f("ck_repairs_cost")),
        sa.CheckConstraint("count IS NULL OR count >= 1", name=op.f("ck_repairs_count")),
        sa.CheckConstraint("depth_mm IS NULL OR depth_mm > 0", name=op.f("ck_repairs_depth")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_repairs_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(["road_id"], ["roads.id"], name=op.f("fk_repairs_road_id_roads")),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["users.id"], name=op.f("fk_repairs_voided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repairs")),
        sa.UniqueConstraint("client_uuid", name=op.f("uq_repairs_client_uuid")),
    )
    op.create_geospatial_index(
        "idx_repairs_geom",
        "repairs",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_repairs_completed_on"), "repairs", ["completed_on"], unique=False)
    op.create_index(op.f("ix_repairs_created_by_id"), "repairs", ["created_by_id"], unique=False)
    op.create_index(op.f("ix_repairs_kind"), "repairs", ["kind"], unique=False)
    op.create_index(op.f("ix_repairs_road_id"), "repairs", ["road_id"], unique=False)
    op.create_table(
        "repair_materials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("repair_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_repair_materials_quantity")),
        sa.ForeignKeyConstraint(
            ["repair_id"], ["repairs.id"], name=op.f("fk_repair_materials_repair_id_repairs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repair_materials")),
    )
    op.create_index(op.f("ix_repair_materials_name"), "repair_materials", ["name"], unique=False)
    op.create_index(
        op.f("ix_repair_materials_repair_id"), "repair_materials", ["repair_id"], unique=False
    )
    op.create_table(
        "repair_findings",
        sa.Column("repair_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column(
            "linked_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name=op.f("fk_repair_findings_finding_id_findings")
        ),
        sa.ForeignKeyConstraint(
            ["repair_id"], ["repairs.id"], name=op.f("fk_repair_findings_repair_id_repairs")
        ),
        sa.PrimaryKeyConstraint("repair_id", "finding_id", name=op.f("pk_repair_findings")),
    )
    op.create_index(
        op.f("ix_repair_findings_finding_id"), "repair_findings", ["finding_id"], unique=False
    )
    op.add_column("photos", sa.Column("repair_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_photos_repair_id"), "photos", ["repair_id"], unique=False)
    op.create_foreign_key(
        op.f("fk_photos_repair_id_repairs"), "photos", "repairs", ["repair_id"], ["id"]
    )
    # A photo still has exactly one owner, now one of three.
    op.drop_constraint(op.f("ck_photos_one_owner"), "photos", type_="check")
    op.create_check_constraint(op.f("ck_photos_one_owner"), "photos", ONE_OF_THREE)


def downgrade():
    op.drop_constraint(op.f("ck_photos_one_owner"), "photos", type_="check")
    # Repair photos lose their owner with the repairs table; their files stay in storage.
    op.execute("DELETE FROM photos WHERE repair_id IS NOT NULL")
    op.drop_constraint(op.f("fk_photos_repair_id_repairs"), "photos", type_="foreignkey")
    op.drop_index(op.f("ix_photos_repair_id"), table_name="photos")
    op.drop_column("photos", "repair_id")
    op.create_check_constraint(op.f("ck_photos_one_owner"), "photos", ONE_OF_TWO)
    op.drop_index(op.f("ix_repair_findings_finding_id"), table_name="repair_findings")
    op.drop_table("repair_findings")
    op.drop_index(op.f("ix_repair_materials_repair_id"), table_name="repair_materials")
    op.drop_index(op.f("ix_repair_materials_name"), table_name="repair_materials")
    op.drop_table("repair_materials")
    op.drop_index(op.f("ix_repairs_road_id"), table_name="repairs")
    op.drop_index(op.f("ix_repairs_kind"), table_name="repairs")
    op.drop_index(op.f("ix_repairs_created_by_id"), table_name="repairs")
    op.drop_index(op.f("ix_repairs_completed_on"), table_name="repairs")
    op.drop_geospatial_index(
        "idx_repairs_geom", table_name="repairs", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("repairs")
