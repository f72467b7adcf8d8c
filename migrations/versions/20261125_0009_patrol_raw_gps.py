"""Patrols keep the raw GPS fixes of their start and end (OFFLINE.md rule 8).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 17:59:55.199219

"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("patrols", sa.Column("start_lon", sa.Float(), nullable=True))
    op.add_column("patrols", sa.Column("start_lat", sa.Float(), nullable=True))
    op.add_column("patrols", sa.Column("start_accuracy_m", sa.Float(), nullable=True))
    op.add_column("patrols", sa.Column("end_lon", sa.Float(), nullable=True))
    op.add_column("patrols", sa.Column("end_lat", sa.Float(), nullable=True))
    op.add_column("patrols", sa.Column("end_accuracy_m", sa.Float(), nullable=True))


def downgrade():
    op.drop_column("patrols", "end_accuracy_m")
    op.drop_column("patrols", "end_lat")
    op.drop_column("patrols", "end_lon")
    op.drop_column("patrols", "start_accuracy_m")
    op.drop_column("patrols", "start_lat")
    op.drop_column("patrols", "start_lon")
