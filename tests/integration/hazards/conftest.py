"""Fixtures of the hazard tests: the branch's departments and a site away from the roads."""

import pytest
from shapely.geometry import Point

from inspection.geo import to_db
from inspection.sites.models import Department, Site


@pytest.fixture
def units(db_session):
    """Departments a rectification may be assigned to (and one no longer active)."""
    made = {
        name: Department(name=name, kind=kind, active=active)
        for name, kind, active in (
            ("养护一工区", "maintenance_area", True),
            ("分局工程科", "office", True),
            ("撤并的道班", "maintenance_area", False),
        )
    }
    db_session.add_all(made.values())
    db_session.flush()
    return made


@pytest.fixture
def site(db_session, units):
    """A toll station with a point of its own, owned by a department."""
    station = Site(
        name="柳园收费站",
        kind="toll_station",
        geom=to_db(Point(95.39, 41.06)),
        department_id=units["养护一工区"].id,
    )
    db_session.add(station)
    db_session.flush()
    return station
