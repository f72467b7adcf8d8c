"""Survey records may carry photos (a photo still has exactly one owner, now one of four).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

ONE_OF_THREE = (
    "(finding_id IS NOT NULL)::int + (hazard_id IS NOT NULL)::int"
    " + (repair_id IS NOT NULL)::int = 1"
)
ONE_OF_FOUR = ONE_OF_THREE.replace(" = 1", " + (survey_record_id IS NOT NULL)::int = 1")


def upgrade():
    op.add_column("photos", sa.Column("survey_record_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_photos_survey_record_id"), "photos", ["survey_record_id"])
    op.create_foreign_key(
        op.f("fk_photos_survey_record_id_survey_records"),
        "photos",
        "survey_records",
        ["survey_record_id"],
        ["id"],
    )
    op.drop_constraint(op.f("ck_photos_one_owner"), "photos", type_="check")
    op.create_check_constraint(op.f("ck_photos_one_owner"), "photos", ONE_OF_FOUR)


def downgrade():
    op.drop_constraint(op.f("ck_photos_one_owner"), "photos", type_="check")
    # Survey photos lose their owner with the column; their files stay in storage.
    op.execute("DELETE FROM photos WHERE survey_record_id IS NOT NULL")
    op.drop_constraint(
        op.f("fk_photos_survey_record_id_survey_records"), "photos", type_="foreignkey"
    )
    op.drop_index(op.f("ix_photos_survey_record_id"), table_name="photos")
    op.drop_column("photos", "survey_record_id")
    op.create_check_constraint(op.f("ck_photos_one_owner"), "photos", ONE_OF_THREE)
