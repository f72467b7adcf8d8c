"""Pavement condition surveys: campaigns, evaluation units, distress and subgrade records.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 16:51:27.645457

"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "survey_campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("unit_length_m", sa.Float(), nullable=False),
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
        sa.CheckConstraint(
            "method IN ('visual', 'vehicle')", name=op.f("ck_survey_campaigns_method")
        ),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_survey_campaigns_dates")),
        sa.CheckConstraint("unit_length_m > 0", name=op.f("ck_survey_campaigns_unit_length")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_survey_campaigns_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_campaigns")),
    )
    op.create_index(
        op.f("ix_survey_campaigns_ends_on"), "survey_campaigns", ["ends_on"], unique=False
    )
    op.create_index(
        op.f("ix_survey_campaigns_starts_on"), "survey_campaigns", ["starts_on"], unique=False
    )
    op.create_geospatial_table(
        "survey_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("road_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("start_chainage", sa.Float(), nullable=False),
        sa.Column("end_chainage", sa.Float(), nullable=False),
        sa.Column("length_m", sa.Float(), nullable=False),
        sa.Column("width_m", sa.Float(), nullable=False),
        sa.Column("pavement", sa.String(length=12), nullable=False),
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
        sa.CheckConstraint(
            "pavement IN ('asphalt', 'concrete')", name=op.f("ck_survey_units_pavement")
        ),
        sa.CheckConstraint("end_chainage > start_chainage", name=op.f("ck_survey_units_range")),
        sa.CheckConstraint("width_m > 0", name=op.f("ck_survey_units_width")),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["survey_campaigns.id"],
            name=op.f("fk_survey_units_campaign_id_survey_campaigns"),
        ),
        sa.ForeignKeyConstraint(
            ["road_id"], ["roads.id"], name=op.f("fk_survey_units_road_id_roads")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_units")),
        sa.UniqueConstraint(
            "campaign_id", "road_id", "direction", "seq", name="uq_survey_units_position"
        ),
    )
    op.create_geospatial_index(
        "idx_survey_units_geom",
        "survey_units",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(
        op.f("ix_survey_units_campaign_id"), "survey_units", ["campaign_id"], unique=False
    )
    op.create_index(op.f("ix_survey_units_road_id"), "survey_units", ["road_id"], unique=False)
    op.create_table(
        "survey_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("family", sa.String(length=12), nullable=False),
        sa.Column("item_code", sa.String(length=32), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=True),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("chainage", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "family IN ('pavement', 'subgrade')", name=op.f("ck_survey_records_family")
        ),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_survey_records_quantity")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_survey_records_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["survey_units.id"], name=op.f("fk_survey_records_unit_id_survey_units")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["users.id"], name=op.f("fk_survey_records_voided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_records")),
    )
    op.create_index(op.f("ix_survey_records_unit_id"), "survey_records", ["unit_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_survey_records_unit_id"), table_name="survey_records")
    op.drop_table("survey_records")
    op.drop_index(op.f("ix_survey_units_road_id"), table_name="survey_units")
    op.drop_index(op.f("ix_survey_units_campaign_id"), table_name="survey_units")
    op.drop_geospatial_index(
        "idx_survey_units_geom",
        table_name="survey_units",
        postgresql_using="gist",
        column_name="geom",
    )
    op.drop_geospatial_table("survey_units")
    op.drop_index(op.f("ix_survey_campaigns_starts_on"), table_name="survey_campaigns")
    op.drop_index(op.f("ix_survey_campaigns_ends_on"), table_name="survey_campaigns")
    op.drop_table("survey_campaigns")
