"""Hazards raised from a phone carry the client's UUID (idempotent raise).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 16:38:46.111307

"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("hazards", sa.Column("client_uuid", sa.Uuid(), nullable=True))
    op.create_unique_constraint(op.f("uq_hazards_client_uuid"), "hazards", ["client_uuid"])


def downgrade():
    op.drop_constraint(op.f("uq_hazards_client_uuid"), "hazards", type_="unique")
    op.drop_column("hazards", "client_uuid")
