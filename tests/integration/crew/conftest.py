"""Fixtures of the crew-safety tests (#16): registered units and drivers, pre-trip check bodies.

Other crew-safety test modules may add their fixtures here (keep each one self-contained).
"""

import uuid
from datetime import date

import pytest

from inspection.crew.kinds import VehicleCheckItem
from inspection.fleet import drivers, vehicles
from inspection.fleet.driver_schemas import DriverInput
from inspection.fleet.kinds import VehicleStatus
from inspection.fleet.status import StatusChange, change_status
from inspection.fleet.vehicles import VehicleInput

FLEET_DAY = date(2026, 3, 1)


@pytest.fixture
def machinery_officer(make_user):
    return make_user("machinery")


@pytest.fixture
def make_unit(db_session, machinery_officer):
    """Enter a unit in the register (fit by default; status="sealed"/"scrapped" changes it)."""
    counter = iter(range(10_000, 99_999))

    def build(number=None, *, status="fit"):
        unit = vehicles.create_vehicle(
            db_session,
            VehicleInput(
                kind="patrol_vehicle",
                number=number or f"新A{next(counter)}",
                registered_on=date(2025, 1, 1),
            ),
            user_id=machinery_officer.id,
            today=FLEET_DAY,
        )
        if status != "fit":
            change_status(
                db_session,
                unit.id,
                StatusChange(
                    to_status=VehicleStatus(status),
                    on_date=FLEET_DAY,
                    reason="test",
                    sealed_place="车库" if status == "sealed" else None,
                    key_holder="张三" if status == "sealed" else None,
                ),
                user_id=machinery_officer.id,
                today=FLEET_DAY,
            )
        return unit

    return build


@pytest.fixture
def make_driver(db_session):
    """Register a driver (a user's, or a plain name); active=False takes them off the lists."""
    counter = iter(range(1, 10_000))

    def build(name=None, *, user=None, active=True):
        return drivers.create_driver(
            db_session,
            DriverInput(
                user_id=user.id if user is not None else None,
                name=name or (user.name if user is not None else f"司机{next(counter)}"),
                licence_class="C1",
                licence_number="",
                licence_expires=date(2035, 1, 1),
                active=active,
            ),
        )

    return build


@pytest.fixture
def check_body():
    """A passing pre-trip check body for a unit and driver (fields overridable)."""

    def build(unit, driver, **fields):
        items = {item.value: True for item in VehicleCheckItem}
        items.update(fields.pop("faults", {}))
        return {
            "client_uuid": str(uuid.uuid4()),
            "checked_at": fields.pop("checked_at", "2026-05-01T07:40:00+08:00"),
            "vehicle_id": unit.id,
            "driver_id": driver.id,
            "vehicle_items": items,
            "alcohol_mg": 0,
            "systolic": 125,
            "diastolic": 80,
            **fields,
        }

    return build
