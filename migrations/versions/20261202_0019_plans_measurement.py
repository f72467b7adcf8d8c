"""Plans and measurement (#17): yearly plans in versions with monthly lines; monthly statements.

A plan version is never changed once made (a mid-year adjustment is a new version holding the
year's lines as adjusted); a statement lists what it measured per road and kind and which
repairs it counted with what, so a confirmed statement stays frozen and later edits of its
repairs show as differences on the next one.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

TABLES = (
    "statement_repairs",
    "statement_lines",
    "statements",
    "plan_lines",
    "plan_versions",
    "plans",
)


def upgrade():
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name=op.f("ck_plans_year")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_plans_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("year", name=op.f("uq_plans_year")),
    )
    op.create_table(
        "plan_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.SmallInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("from_month", sa.SmallInteger(), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(number = 1) = (kind = 'original')", name=op.f("ck_plan_versions_first_is_original")
        ),
        sa.CheckConstraint(
            "kind IN ('original', 'adjustment')", name=op.f("ck_plan_versions_kind")
        ),
        sa.CheckConstraint("from_month BETWEEN 1 AND 12", name=op.f("ck_plan_versions_from_month")),
        sa.CheckConstraint("number >= 1", name=op.f("ck_plan_versions_number")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_plan_versions_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_plan_versions_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_versions")),
        sa.UniqueConstraint("plan_id", "number", name="plan_number"),
    )
    op.create_index(op.f("ix_plan_versions_plan_id"), "plan_versions", ["plan_id"], unique=False)
    op.create_table(
        "plan_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.SmallInteger(), nullable=False),
        sa.Column("road_id", sa.Integer(), nullable=True),
        sa.Column("work_kind", sa.String(length=32), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("unit_price_yuan", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("budget_yuan", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.CheckConstraint(
            "unit IN ('m2', 'm', 'site', 'item', 't')", name=op.f("ck_plan_lines_unit")
        ),
        sa.CheckConstraint(
            "work_kind IN ('shoulder', 'slope', 'pothole', 'roadside_environment', 'marking', 'guardrail', 'other')",  # noqa: E501
            name=op.f("ck_plan_lines_work_kind"),
        ),
        sa.CheckConstraint("budget_yuan >= 0", name=op.f("ck_plan_lines_budget")),
        sa.CheckConstraint("month BETWEEN 1 AND 12", name=op.f("ck_plan_lines_month")),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_plan_lines_quantity")),
        sa.CheckConstraint("unit_price_yuan >= 0", name=op.f("ck_plan_lines_unit_price")),
        sa.ForeignKeyConstraint(
            ["road_id"], ["roads.id"], name=op.f("fk_plan_lines_road_id_roads")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["plan_versions.id"],
            name=op.f("fk_plan_lines_version_id_plan_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_lines")),
    )
    op.create_index(op.f("ix_plan_lines_road_id"), "plan_lines", ["road_id"], unique=False)
    op.create_index(op.f("ix_plan_lines_version_id"), "plan_lines", ["version_id"], unique=False)
    op.create_index(
        "uq_plan_lines_version_month_road_kind",
        "plan_lines",
        ["version_id", "month", "road_id", "work_kind"],
        unique=True,
        postgresql_nulls_not_distinct=True,
    )
    op.create_table(
        "statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("month", sa.SmallInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("plan_version_id", sa.Integer(), nullable=True),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.CheckConstraint(
            "(state = 'confirmed') = (confirmed_at IS NOT NULL AND confirmed_by_id IS NOT NULL)",
            name=op.f("ck_statements_confirmation"),
        ),
        sa.CheckConstraint("state IN ('draft', 'confirmed')", name=op.f("ck_statements_state")),
        sa.CheckConstraint("month BETWEEN 1 AND 12", name=op.f("ck_statements_month")),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name=op.f("ck_statements_year")),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"], ["users.id"], name=op.f("fk_statements_confirmed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["plan_version_id"],
            ["plan_versions.id"],
            name=op.f("fk_statements_plan_version_id_plan_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statements")),
        sa.UniqueConstraint("year", "month", name="year_month"),
    )
    op.create_table(
        "statement_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("road_id", sa.Integer(), nullable=True),
        sa.Column("work_kind", sa.String(length=32), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("unit_price_yuan", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("amount_yuan", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("amount_source", sa.String(length=16), nullable=False),
        sa.Column("corrects_statement_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.CheckConstraint(
            "amount_source IN ('plan_price', 'repair_cost', 'manual', 'difference')",
            name=op.f("ck_statement_lines_amount_source"),
        ),
        sa.CheckConstraint(
            "unit IN ('m2', 'm', 'site', 'item', 't')", name=op.f("ck_statement_lines_unit")
        ),
        sa.CheckConstraint(
            "work_kind IN ('shoulder', 'slope', 'pothole', 'roadside_environment', 'marking', 'guardrail', 'other')",  # noqa: E501
            name=op.f("ck_statement_lines_work_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["corrects_statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_lines_corrects_statement_id_statements"),
        ),
        sa.ForeignKeyConstraint(
            ["road_id"], ["roads.id"], name=op.f("fk_statement_lines_road_id_roads")
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_lines_statement_id_statements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_lines")),
    )
    op.create_index(
        op.f("ix_statement_lines_statement_id"), "statement_lines", ["statement_id"], unique=False
    )
    op.create_table(
        "statement_repairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("repair_id", sa.Integer(), nullable=False),
        sa.Column("road_id", sa.Integer(), nullable=False),
        sa.Column("work_kind", sa.String(length=32), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("amount_yuan", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("corrects_statement_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["corrects_statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_repairs_corrects_statement_id_statements"),
        ),
        sa.ForeignKeyConstraint(
            ["repair_id"], ["repairs.id"], name=op.f("fk_statement_repairs_repair_id_repairs")
        ),
        sa.ForeignKeyConstraint(
            ["road_id"], ["roads.id"], name=op.f("fk_statement_repairs_road_id_roads")
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_repairs_statement_id_statements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_repairs")),
        sa.UniqueConstraint("statement_id", "repair_id", name="statement_repair"),
    )
    op.create_index(
        op.f("ix_statement_repairs_repair_id"), "statement_repairs", ["repair_id"], unique=False
    )
    op.create_index(
        op.f("ix_statement_repairs_statement_id"),
        "statement_repairs",
        ["statement_id"],
        unique=False,
    )


def downgrade():
    for table in TABLES:
        op.drop_table(table)
