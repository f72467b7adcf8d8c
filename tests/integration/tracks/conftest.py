"""Fixtures of the patrol track tests (helpers in track_helpers.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.integration.tracks.track_helpers import start_patrol


@pytest.fixture
def patrol_crew(db_session, roads, crew):
    """A crew member with a patrol on G30 started an hour ago: (user, headers, patrol)."""
    user, headers = crew()
    patrol = start_patrol(db_session, user)
    db_session.flush()
    return user, headers, patrol


@pytest.fixture
def t0(patrol_crew) -> datetime:
    """A moment ten minutes into the patrol."""
    return patrol_crew[2].started_at + timedelta(minutes=10)
