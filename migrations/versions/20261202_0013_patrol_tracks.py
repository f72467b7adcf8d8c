"""Patrol tracks: batches of GPS points, their matches, covered intervals; patrol frequencies.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

# The defaults as shipped (confirmed = false until the branch saves its own); copied here so
# the migration keeps meaning what it meant when later code changes its defaults.
DEFAULT_FREQUENCY_DAYS = {
    "expressway": 1,
    "class1": 1,
    "class2": 2,
    "class3": 7,
    "class4": 7,
    "unclassified": 7,
}

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "patrol_frequencies",
        sa.Column("road_class", sa.String(length=16), nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "every_days BETWEEN 1 AND 365", name=op.f("ck_patrol_frequencies_every_days")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_patrol_frequencies_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("road_class", name=op.f("pk_patrol_frequencies")),
    )
    op.create_geospatial_table(
        "covered_intervals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patrol_id", sa.Integer(), nullable=False),
        sa.Column("road_id", sa.Integer(), nullable=False),
        sa.Column("travel_direction", sa.String(length=8), nullable=False),
        sa.Column("from_measure", sa.Float(), nullable=False),
        sa.Column("to_measure", sa.Float(), nullable=False),
        sa.Column("from_chainage", sa.Float(), nullable=False),
        sa.Column("to_chainage", sa.Float(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("point_count", sa.Integer(), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("geometry_version", sa.Integer(), nullable=False),
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
        sa.CheckConstraint(
            "travel_direction IN ('up', 'down')", name=op.f("ck_covered_intervals_travel_direction")
        ),
        sa.CheckConstraint("ended_at >= started_at", name=op.f("ck_covered_intervals_times")),
        sa.CheckConstraint(
            "to_measure >= from_measure", name=op.f("ck_covered_intervals_measures")
        ),
        sa.ForeignKeyConstraint(
            ["patrol_id"], ["patrols.id"], name=op.f("fk_covered_intervals_patrol_id_patrols")
        ),
        sa.ForeignKeyConstraint(
            ["road_id"], ["roads.id"], name=op.f("fk_covered_intervals_road_id_roads")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_covered_intervals")),
    )
    op.create_geospatial_index(
        "idx_covered_intervals_geom",
        "covered_intervals",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(
        op.f("ix_covered_intervals_patrol_id"), "covered_intervals", ["patrol_id"], unique=False
    )
    op.create_index(
        "ix_covered_intervals_road_ended",
        "covered_intervals",
        ["road_id", "ended_at"],
        unique=False,
    )
    op.create_table(
        "track_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_uuid", sa.Uuid(), nullable=False),
        sa.Column("patrol_id", sa.Integer(), nullable=False),
        sa.Column("point_count", sa.Integer(), nullable=False),
        sa.Column("dropped_count", sa.Integer(), nullable=False),
        sa.Column("phone_dropped_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("last_at >= first_at", name=op.f("ck_track_batches_times")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_track_batches_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["patrol_id"], ["patrols.id"], name=op.f("fk_track_batches_patrol_id_patrols")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_track_batches")),
        sa.UniqueConstraint("batch_uuid", name=op.f("uq_track_batches_batch_uuid")),
    )
    op.create_index(
        op.f("ix_track_batches_patrol_id"), "track_batches", ["patrol_id"], unique=False
    )
    op.create_table(
        "track_points",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("patrol_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("accuracy_m", sa.Float(), nullable=False),
        sa.Column("speed_mps", sa.Float(), nullable=True),
        sa.Column("heading_deg", sa.Float(), nullable=True),
        sa.Column("road_id", sa.Integer(), nullable=True),
        sa.Column("measure", sa.Float(), nullable=True),
        sa.Column("chainage", sa.Float(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.CheckConstraint(
            "lon BETWEEN -180 AND 180 AND lat BETWEEN -90 AND 90",
            name=op.f("ck_track_points_lonlat"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["track_batches.id"], name=op.f("fk_track_points_batch_id_track_batches")
        ),
        sa.ForeignKeyConstraint(
            ["patrol_id"], ["patrols.id"], name=op.f("fk_track_points_patrol_id_patrols")
        ),
        sa.ForeignKeyConstraint(
            ["road_id"], ["roads.id"], name=op.f("fk_track_points_road_id_roads")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_track_points")),
    )
    op.create_index(op.f("ix_track_points_batch_id"), "track_points", ["batch_id"], unique=False)
    op.create_index(
        "ix_track_points_patrol_recorded", "track_points", ["patrol_id", "recorded_at"], unique=True
    )
    op.add_column(
        "patrols", sa.Column("track_points", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column("patrols", sa.Column("track_last_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("patrols", sa.Column("track_km", sa.Float(), nullable=True))
    frequencies = sa.table(
        "patrol_frequencies",
        sa.column("road_class", sa.String),
        sa.column("every_days", sa.Integer),
        sa.column("confirmed", sa.Boolean),
    )
    op.bulk_insert(
        frequencies,
        [
            {"road_class": road_class, "every_days": days, "confirmed": False}
            for road_class, days in DEFAULT_FREQUENCY_DAYS.items()
        ],
    )


def downgrade():
    op.drop_column("patrols", "track_km")
    op.drop_column("patrols", "track_last_at")
    op.drop_column("patrols", "track_points")
    op.drop_index("ix_track_points_patrol_recorded", table_name="track_points")
    op.drop_index(op.f("ix_track_points_batch_id"), table_name="track_points")
    op.drop_table("track_points")
    op.drop_index(op.f("ix_track_batches_patrol_id"), table_name="track_batches")
    op.drop_table("track_batches")
    op.drop_index("ix_covered_intervals_road_ended", table_name="covered_intervals")
    op.drop_index(op.f("ix_covered_intervals_patrol_id"), table_name="covered_intervals")
    op.drop_geospatial_index(
        "idx_covered_intervals_geom",
        table_name="covered_intervals",
        postgresql_using="gist",
        column_name="geom",
    )
    op.drop_geospatial_table("covered_intervals")
    op.drop_table("patrol_frequencies")
