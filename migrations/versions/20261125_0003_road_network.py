"""Roads: centrelines, calibration points, chain breaks and the ~1 km pieces GPS look-ups search.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 16:15:07.267095

"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_geospatial_table(
        "roads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("road_class", sa.String(length=16), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("start_chainage", sa.Float(), nullable=False),
        sa.Column("end_chainage", sa.Float(), nullable=False),
        sa.Column("length_m", sa.Float(), nullable=False),
        sa.Column("lon_0", sa.Float(), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="LINESTRING",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("geometry_version", sa.Integer(), server_default="1", nullable=False),
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
        sa.CheckConstraint("direction IN ('up', 'down', 'both')", name=op.f("ck_roads_direction")),
        sa.CheckConstraint("end_chainage > start_chainage", name=op.f("ck_roads_chainage_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roads")),
        sa.UniqueConstraint("code", "direction", name=op.f("uq_roads_code_direction")),
    )
    op.create_geospatial_index(
        "idx_roads_geom",
        "roads",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_roads_code"), "roads", ["code"], unique=False)
    op.create_table(
        "calibration_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("road_id", sa.Integer(), nullable=False),
        sa.Column("chainage", sa.Float(), nullable=False),
        sa.Column("measure", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["road_id"],
            ["roads.id"],
            name=op.f("fk_calibration_points_road_id_roads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_points")),
    )
    op.create_index(
        op.f("ix_calibration_points_road_id"), "calibration_points", ["road_id"], unique=False
    )
    op.create_table(
        "chain_breaks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("road_id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.Float(), nullable=False),
        sa.Column("back_chainage", sa.Float(), nullable=False),
        sa.Column("ahead_chainage", sa.Float(), nullable=False),
        sa.Column("note", sa.String(length=256), nullable=False),
        sa.CheckConstraint("back_chainage <> ahead_chainage", name=op.f("ck_chain_breaks_jump")),
        sa.ForeignKeyConstraint(
            ["road_id"],
            ["roads.id"],
            name=op.f("fk_chain_breaks_road_id_roads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_breaks")),
    )
    op.create_index(op.f("ix_chain_breaks_road_id"), "chain_breaks", ["road_id"], unique=False)
    op.create_geospatial_table(
        "road_pieces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("road_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("start_measure", sa.Float(), nullable=False),
        sa.Column("end_measure", sa.Float(), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="LINESTRING",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["road_id"], ["roads.id"], name=op.f("fk_road_pieces_road_id_roads"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_road_pieces")),
    )
    op.create_geospatial_index(
        "idx_road_pieces_geom",
        "road_pieces",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_road_pieces_road_id"), "road_pieces", ["road_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_road_pieces_road_id"), table_name="road_pieces")
    op.drop_geospatial_index(
        "idx_road_pieces_geom",
        table_name="road_pieces",
        postgresql_using="gist",
        column_name="geom",
    )
    op.drop_geospatial_table("road_pieces")
    op.drop_index(op.f("ix_chain_breaks_road_id"), table_name="chain_breaks")
    op.drop_table("chain_breaks")
    op.drop_index(op.f("ix_calibration_points_road_id"), table_name="calibration_points")
    op.drop_table("calibration_points")
    op.drop_index(op.f("ix_roads_code"), table_name="roads")
    op.drop_geospatial_index(
        "idx_roads_geom", table_name="roads", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("roads")
