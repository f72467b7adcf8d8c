"""Vehicles and machinery, drivers, emergency supplies (#15).

The fleet register, its status events (the 封存台账 is the sealing ones), service events with
the per-kind intervals they fall due by, vehicle defects reported from the road, drivers and
their annual reviews; emergency supply items, stock per depot and its movements; the new role
`machinery` (机务员); patrols name their vehicle and driver from the registers. A patrol's
free-text vehicle stays as it was; each distinct text that reads as a Chinese plate becomes a
patrol vehicle in the register (fit, registered on the day of its first patrol) and its patrols
are linked to it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

import re

import sqlalchemy as sa
from alembic import op

from inspection.fleet.kinds import (
    PLATE_PATTERN,
    ServiceKind,
    VehicleKind,
    default_interval_days,
    number_key,
)
from inspection.supplies.kinds import DEFAULT_ITEMS

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

OLD_ROLES = "ARRAY['patrol', 'safety_officer', 'manager', 'admin']::varchar(32)[]"
NEW_ROLES = "ARRAY['patrol', 'safety_officer', 'manager', 'machinery', 'admin']::varchar(32)[]"
MIGRATED_NOTE = "由巡查记录的车辆迁移 / registered from the patrols' vehicle text"
RECURRING = (ServiceKind.maintenance, ServiceKind.annual_inspection, ServiceKind.insurance)


def upgrade():
    op.create_table(
        "supply_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supply_items")),
        sa.UniqueConstraint("name", name=op.f("uq_supply_items_name")),
    )
    op.create_table(
        "vehicle_service_intervals",
        sa.Column("vehicle_kind", sa.String(length=24), nullable=False),
        sa.Column("service_kind", sa.String(length=24), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "service_kind IN ('maintenance', 'repair', 'annual_inspection', 'insurance')",
            name=op.f("ck_vehicle_service_intervals_service_kind"),
        ),
        sa.CheckConstraint(
            "vehicle_kind IN ('patrol_vehicle', 'truck', 'loader', 'grader', 'snow_plough', 'roller', 'sweeper', 'generator', 'other')",  # noqa: E501
            name=op.f("ck_vehicle_service_intervals_vehicle_kind"),
        ),
        sa.CheckConstraint(
            "days BETWEEN 1 AND 3660", name=op.f("ck_vehicle_service_intervals_days")
        ),
        sa.PrimaryKeyConstraint(
            "vehicle_kind", "service_kind", name=op.f("pk_vehicle_service_intervals")
        ),
    )
    op.create_table(
        "drivers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("licence_class", sa.String(length=16), nullable=False),
        sa.Column("licence_number", sa.String(length=32), nullable=True),
        sa.Column("licence_expires", sa.Date(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
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
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_drivers_department_id_departments")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_drivers_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drivers")),
        sa.UniqueConstraint("licence_number", name="licence_number"),
        sa.UniqueConstraint("user_id", name=op.f("uq_drivers_user_id")),
    )
    op.create_index(op.f("ix_drivers_department_id"), "drivers", ["department_id"], unique=False)
    op.create_table(
        "vehicles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("number_key", sa.String(length=32), nullable=False),
        sa.Column("make_model", sa.String(length=128), server_default="", nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("use", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
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
            "kind IN ('patrol_vehicle', 'truck', 'loader', 'grader', 'snow_plough', 'roller', 'sweeper', 'generator', 'other')",  # noqa: E501
            name=op.f("ck_vehicles_kind"),
        ),
        sa.CheckConstraint(
            "status IN ('fit', 'defective', 'under_repair', 'sealed', 'scrapped')",
            name=op.f("ck_vehicles_status"),
        ),
        sa.CheckConstraint("use IN ('production', 'non_production')", name=op.f("ck_vehicles_use")),
        sa.CheckConstraint(
            "year IS NULL OR year BETWEEN 1950 AND 2100", name=op.f("ck_vehicles_year")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_vehicles_department_id_departments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicles")),
        sa.UniqueConstraint("number_key", name=op.f("uq_vehicles_number_key")),
    )
    op.create_index(op.f("ix_vehicles_department_id"), "vehicles", ["department_id"], unique=False)
    op.create_table(
        "driver_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("driver_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("result IN ('passed', 'failed')", name=op.f("ck_driver_reviews_result")),
        sa.ForeignKeyConstraint(
            ["driver_id"], ["drivers.id"], name=op.f("fk_driver_reviews_driver_id_drivers")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_driver_reviews_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_driver_reviews")),
    )
    op.create_index(
        op.f("ix_driver_reviews_driver_id"), "driver_reviews", ["driver_id"], unique=False
    )
    op.create_table(
        "supply_stocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column(
            "quantity", sa.Numeric(precision=14, scale=2), server_default="0", nullable=False
        ),
        sa.Column("minimum", sa.Numeric(precision=14, scale=2), server_default="0", nullable=False),
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
        sa.CheckConstraint("minimum >= 0", name=op.f("ck_supply_stocks_minimum")),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_supply_stocks_quantity")),
        sa.ForeignKeyConstraint(
            ["item_id"], ["supply_items.id"], name=op.f("fk_supply_stocks_item_id_supply_items")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_supply_stocks_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supply_stocks")),
        sa.UniqueConstraint("site_id", "item_id", name="site_item"),
    )
    op.create_index(op.f("ix_supply_stocks_item_id"), "supply_stocks", ["item_id"], unique=False)
    op.create_index(op.f("ix_supply_stocks_site_id"), "supply_stocks", ["site_id"], unique=False)
    op.create_table(
        "vehicle_services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("cost_yuan", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("parts", sa.Text(), server_default="", nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind = 'annual_inspection' OR passed IS NULL",
            name=op.f("ck_vehicle_services_passed_only_inspection"),
        ),
        sa.CheckConstraint(
            "kind IN ('maintenance', 'repair', 'annual_inspection', 'insurance')",
            name=op.f("ck_vehicle_services_kind"),
        ),
        sa.CheckConstraint(
            "cost_yuan IS NULL OR cost_yuan >= 0", name=op.f("ck_vehicle_services_cost")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_vehicle_services_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"], ["vehicles.id"], name=op.f("fk_vehicle_services_vehicle_id_vehicles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicle_services")),
    )
    op.create_index(
        op.f("ix_vehicle_services_vehicle_id"), "vehicle_services", ["vehicle_id"], unique=False
    )
    op.create_table(
        "vehicle_status_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("sealed_place", sa.String(length=128), nullable=True),
        sa.Column("key_holder", sa.String(length=128), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(to_status = 'sealed') = (sealed_place IS NOT NULL AND key_holder IS NOT NULL)",
            name=op.f("ck_vehicle_status_events_sealing_record"),
        ),
        sa.CheckConstraint(
            "from_status IS NULL OR from_status IN ('fit', 'defective', 'under_repair', 'sealed', 'scrapped')",  # noqa: E501
            name=op.f("ck_vehicle_status_events_from_status"),
        ),
        sa.CheckConstraint(
            "to_status IN ('fit', 'defective', 'under_repair', 'sealed', 'scrapped')",
            name=op.f("ck_vehicle_status_events_to_status"),
        ),
        sa.CheckConstraint(
            "from_status IS NULL OR from_status <> to_status",
            name=op.f("ck_vehicle_status_events_changes_status"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_vehicle_status_events_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"],
            ["vehicles.id"],
            name=op.f("fk_vehicle_status_events_vehicle_id_vehicles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicle_status_events")),
    )
    op.create_index(
        op.f("ix_vehicle_status_events_vehicle_id"),
        "vehicle_status_events",
        ["vehicle_id"],
        unique=False,
    )
    op.create_table(
        "supply_movements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_uuid", sa.Uuid(), nullable=False),
        sa.Column("stock_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("purpose", sa.String(length=200), server_default="", nullable=False),
        sa.Column("repair_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('received', 'issued', 'returned', 'written_off')",
            name=op.f("ck_supply_movements_kind"),
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_supply_movements_quantity")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_supply_movements_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["repair_id"], ["repairs.id"], name=op.f("fk_supply_movements_repair_id_repairs")
        ),
        sa.ForeignKeyConstraint(
            ["stock_id"],
            ["supply_stocks.id"],
            name=op.f("fk_supply_movements_stock_id_supply_stocks"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supply_movements")),
        sa.UniqueConstraint("client_uuid", name=op.f("uq_supply_movements_client_uuid")),
    )
    op.create_index(
        op.f("ix_supply_movements_on_date"), "supply_movements", ["on_date"], unique=False
    )
    op.create_index(
        op.f("ix_supply_movements_stock_id"), "supply_movements", ["stock_id"], unique=False
    )
    op.create_table(
        "vehicle_defects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_uuid", sa.Uuid(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_event_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["reported_by_id"], ["users.id"], name=op.f("fk_vehicle_defects_reported_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["status_event_id"],
            ["vehicle_status_events.id"],
            name=op.f("fk_vehicle_defects_status_event_id_vehicle_status_events"),
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"], ["vehicles.id"], name=op.f("fk_vehicle_defects_vehicle_id_vehicles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicle_defects")),
        sa.UniqueConstraint("client_uuid", name=op.f("uq_vehicle_defects_client_uuid")),
    )
    op.create_index(
        op.f("ix_vehicle_defects_vehicle_id"), "vehicle_defects", ["vehicle_id"], unique=False
    )
    op.add_column("patrols", sa.Column("vehicle_id", sa.Integer(), nullable=True))
    op.add_column("patrols", sa.Column("driver_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_patrols_driver_id"), "patrols", ["driver_id"], unique=False)
    op.create_index(op.f("ix_patrols_vehicle_id"), "patrols", ["vehicle_id"], unique=False)
    op.create_foreign_key(
        op.f("fk_patrols_vehicle_id_vehicles"), "patrols", "vehicles", ["vehicle_id"], ["id"]
    )
    op.create_foreign_key(
        op.f("fk_patrols_driver_id_drivers"), "patrols", "drivers", ["driver_id"], ["id"]
    )

    op.drop_constraint(op.f("ck_users_known_roles"), "users", type_="check")
    op.create_check_constraint(
        op.f("ck_users_known_roles"), "users", f"cardinality(roles) > 0 AND roles <@ {NEW_ROLES}"
    )
    intervals = sa.table(
        "vehicle_service_intervals",
        sa.column("vehicle_kind", sa.String),
        sa.column("service_kind", sa.String),
        sa.column("days", sa.Integer),
    )
    op.bulk_insert(
        intervals,
        [
            {
                "vehicle_kind": kind.value,
                "service_kind": service.value,
                "days": default_interval_days(kind, service),
            }
            for kind in VehicleKind
            for service in RECURRING
        ],
    )
    items = sa.table("supply_items", sa.column("name", sa.String), sa.column("unit", sa.String))
    op.bulk_insert(items, [{"name": name, "unit": unit} for name, unit in DEFAULT_ITEMS])
    register_patrol_vehicles()


def register_patrol_vehicles():
    """Register each plate named by patrols as a patrol vehicle and link its patrols."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT vehicle, min(started_at)::date AS first_day,"
            " (array_agg(created_by_id ORDER BY started_at))[1] AS first_by"
            " FROM patrols WHERE vehicle <> '' GROUP BY vehicle"
        )
    ).all()
    plate = re.compile(PLATE_PATTERN)
    by_key: dict[str, dict] = {}
    for text, first_day, first_by in rows:
        key = number_key(text)
        if not plate.match(key) or len(text) > 32:
            continue
        seen = by_key.get(key)
        if seen is None or first_day < seen["first_day"]:
            by_key[key] = {"number": text.strip(), "first_day": first_day, "first_by": first_by}
    for key, unit in by_key.items():
        vehicle_id = bind.execute(
            sa.text(
                "INSERT INTO vehicles (kind, number, number_key, use, status, registered_on, note)"
                " VALUES ('patrol_vehicle', :number, :key, 'production', 'fit', :day, :note)"
                " RETURNING id"
            ),
            {"number": key, "key": key, "day": unit["first_day"], "note": MIGRATED_NOTE},
        ).scalar_one()
        bind.execute(
            sa.text(
                "INSERT INTO vehicle_status_events"
                " (vehicle_id, from_status, to_status, on_date, reason, recorded_by_id,"
                " recorded_at)"
                " VALUES (:id, NULL, 'fit', :day, :note, :by, now())"
            ),
            {
                "id": vehicle_id,
                "day": unit["first_day"],
                "note": MIGRATED_NOTE,
                "by": unit["first_by"],
            },
        )
        # The same plate written with spaces or lower case links too.
        bind.execute(
            sa.text(
                "UPDATE patrols SET vehicle_id = :id"
                " WHERE upper(translate(vehicle, ' -·.．•_' || chr(9), '')) = :key"
            ),
            {"id": vehicle_id, "key": key},
        )


def downgrade():
    bind = op.get_bind()
    lost = bind.execute(
        sa.text("SELECT count(*) FROM users WHERE roles = ARRAY['machinery']::varchar(32)[]")
    ).scalar_one()
    if lost:
        raise RuntimeError(
            f"{lost} users hold only the machinery role; give them another role before downgrading"
        )
    op.execute("UPDATE users SET roles = array_remove(roles, 'machinery')")
    op.drop_constraint(op.f("ck_users_known_roles"), "users", type_="check")
    op.create_check_constraint(
        op.f("ck_users_known_roles"), "users", f"cardinality(roles) > 0 AND roles <@ {OLD_ROLES}"
    )

    op.drop_constraint(op.f("fk_patrols_driver_id_drivers"), "patrols", type_="foreignkey")
    op.drop_constraint(op.f("fk_patrols_vehicle_id_vehicles"), "patrols", type_="foreignkey")
    op.drop_index(op.f("ix_patrols_vehicle_id"), table_name="patrols")
    op.drop_index(op.f("ix_patrols_driver_id"), table_name="patrols")
    op.drop_column("patrols", "driver_id")
    op.drop_column("patrols", "vehicle_id")
    op.drop_index(op.f("ix_vehicle_defects_vehicle_id"), table_name="vehicle_defects")
    op.drop_table("vehicle_defects")
    op.drop_index(op.f("ix_supply_movements_stock_id"), table_name="supply_movements")
    op.drop_index(op.f("ix_supply_movements_on_date"), table_name="supply_movements")
    op.drop_table("supply_movements")
    op.drop_index(op.f("ix_vehicle_status_events_vehicle_id"), table_name="vehicle_status_events")
    op.drop_table("vehicle_status_events")
    op.drop_index(op.f("ix_vehicle_services_vehicle_id"), table_name="vehicle_services")
    op.drop_table("vehicle_services")
    op.drop_index(op.f("ix_supply_stocks_site_id"), table_name="supply_stocks")
    op.drop_index(op.f("ix_supply_stocks_item_id"), table_name="supply_stocks")
    op.drop_table("supply_stocks")
    op.drop_index(op.f("ix_driver_reviews_driver_id"), table_name="driver_reviews")
    op.drop_table("driver_reviews")
    op.drop_index(op.f("ix_vehicles_department_id"), table_name="vehicles")
    op.drop_table("vehicles")
    op.drop_index(op.f("ix_drivers_department_id"), table_name="drivers")
    op.drop_table("drivers")
    op.drop_table("vehicle_service_intervals")
    op.drop_table("supply_items")
