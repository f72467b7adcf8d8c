"""Fixtures of the site tests: departments and a manager's API headers."""

import pytest

from inspection.sites import services


@pytest.fixture
def departments(db_session) -> dict:
    """Three active departments and one deactivated, by name."""
    made = {
        name: services.create_department(db_session, name=name, kind=kind)
        for name, kind in (
            ("乌鲁木齐养护工区", "maintenance_area"),
            ("柴窝堡收费站", "toll_station"),
            ("机务科", "machinery"),
            ("旧科室", "office"),
        )
    }
    services.deactivate_department(db_session, made["旧科室"])
    return made


@pytest.fixture
def manager_headers(crew) -> dict:
    return crew("manager")[1]
