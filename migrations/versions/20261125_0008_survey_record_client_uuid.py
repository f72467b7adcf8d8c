"""Survey records sent by a phone or program carry the client's UUID (idempotent POST).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 17:16:10.239687

"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("survey_records", sa.Column("client_uuid", sa.Uuid(), nullable=True))
    op.create_unique_constraint(
        op.f("uq_survey_records_client_uuid"), "survey_records", ["client_uuid"]
    )


def downgrade():
    op.drop_constraint(op.f("uq_survey_records_client_uuid"), "survey_records", type_="unique")
    op.drop_column("survey_records", "client_uuid")
