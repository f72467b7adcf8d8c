"""Fixtures of the vehicle register tests: a machinery officer, departments, units."""

from datetime import date

import pytest

from inspection.fleet import vehicles
from inspection.fleet.vehicles import VehicleInput
from inspection.sites import services as sites

DAY = date(2026, 3, 1)


@pytest.fixture
def officer(crew):
    """A 机务员 (machinery officer) and bearer headers: (user, headers)."""
    return crew("machinery")


@pytest.fixture
def units(db_session):
    """Two departments (one deactivated) by name."""
    made = {
        name: sites.create_department(db_session, name=name, kind=kind)
        for name, kind in (("机务科", "machinery"), ("旧车队", "other"))
    }
    sites.deactivate_department(db_session, made["旧车队"])
    return made


@pytest.fixture
def make_vehicle(db_session, officer):
    """Enter a unit in the register (a patrol vehicle registered on 2025-01-01 by default)."""
    user = officer[0]

    def build(number="新A12345", *, today=DAY, **fields):
        data = VehicleInput(
            kind=fields.pop("kind", "patrol_vehicle"),
            number=number,
            registered_on=fields.pop("registered_on", date(2025, 1, 1)),
            **fields,
        )
        return vehicles.create_vehicle(db_session, data, user_id=user.id, today=today)

    return build
