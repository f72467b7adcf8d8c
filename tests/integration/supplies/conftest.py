"""Fixtures of the supplies tests: two depots and a toll station, items, a keeper's headers."""

import pytest
from sqlalchemy import select

from inspection.sites import services as site_services
from inspection.sites.services import SiteInput
from inspection.supplies.models import SupplyItem


@pytest.fixture
def depots(db_session) -> dict:
    """Two maintenance depots and a toll station (any active site may hold stock)."""
    made = {}
    for name, kind, lon in (
        ("乌鲁木齐养护工区", "maintenance_depot", 87.74),
        ("G312线道班", "maintenance_depot", 87.49),
        ("柴窝堡收费站", "toll_station", 87.62),
    ):
        made[name] = site_services.create_site(
            db_session, SiteInput(name=name, kind=kind, lon=lon, lat=43.86)
        )
    return made


@pytest.fixture
def items(db_session) -> dict:
    """The default items migration 0015 made, by name."""
    return {i.name: i for i in db_session.scalars(select(SupplyItem))}


@pytest.fixture
def keeper(crew):
    """A 机务员 (machinery officer) and bearer headers."""
    return crew("machinery")
