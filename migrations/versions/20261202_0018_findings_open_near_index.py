"""The near-duplicate look-up's index: open findings by road, kind and point.

Every finding submitted asks for the open findings of its kind on its road within 50 m
(patrols.services.near_duplicates). With only single-column indexes PostgreSQL ANDed the point's
box with the road's and the kind's entries (hundreds of thousands at a million findings) and then
read each candidate row. One partial GiST index over (road_id, kind, geom) of the open, unvoided
findings answers the three conditions at once; btree_gist lets GiST hold the road and the kind.
The query writes `status = 'open'` into its text, so the generic plan of the prepared statement
uses this partial index too (bench/README.md, finding_submit_bench).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    # Trusted since PostgreSQL 13: the database's owner may create it without a superuser.
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_findings_open_near ON findings"
        " USING gist (road_id, kind, geom) WHERE status = 'open' AND voided_at IS NULL"
    )


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_findings_open_near")
    # The extension stays: dropping it could break an index someone else made with it.
