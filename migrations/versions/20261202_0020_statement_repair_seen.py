"""Measurement records keep the repair's `updated_at` as measured, so a build reads only changes.

A statement build compared every repair ever counted by a confirmed statement with its current
figure, re-measuring every frozen month: 2.75 s after three years (bench/statement_build_bench.py),
growing with each month. With the repair's `updated_at` stored beside what was counted, a build
re-measures only the months holding a repair changed since (or entered late). Records made before
this migration have none and are treated as changed, as before.

A manual statement line also says whether its unit price is the plan's (given by default), so a
rebuild after a plan adjustment prices it as it prices the repair lines; a typed price stays.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "statement_repairs",
        sa.Column("repair_updated_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.add_column(
        "statement_lines",
        sa.Column("price_from_plan", sa.Boolean(), server_default="false", nullable=False),
    )


def downgrade():
    op.drop_column("statement_lines", "price_from_plan")
    op.drop_column("statement_repairs", "repair_updated_at")
