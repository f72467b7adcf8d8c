import pytest

from inspection.surveys import services


@pytest.fixture(autouse=True)
def _read_in_english(english):
    """These tests read the messages in English."""


@pytest.fixture
def manager(make_user):
    return make_user("manager")


@pytest.fixture
def campaign_of(db_session, manager):
    """Create a campaign over (code, direction) pairs; 1000 m units 7.5 m wide by default."""

    def create(*roads, **overrides):
        from datetime import date

        values = {
            "name": "2026 spring survey",
            "starts_on": date(2026, 4, 1),
            "ends_on": date(2026, 4, 30),
            "method": "visual",
            "unit_length_m": 1000.0,
            "width_m": 7.5,
            "pavement": "asphalt",
            "roads": tuple(roads or (("G30", "up"),)),
            "note": "",
        }
        actor = overrides.pop("actor", manager)
        values.update(overrides)
        return services.create_campaign(db_session, services.CampaignInput(**values), actor=actor)

    return create


def unit_at(campaign, code: str, seq: int, direction: str | None = None):
    """Return a campaign's unit by road code and number."""
    return next(
        u
        for u in campaign.units
        if u.road.code == code and u.seq == seq and (direction is None or u.direction == direction)
    )
