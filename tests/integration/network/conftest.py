import pytest

from inspection.network import services
from inspection.network.importing import FieldNames
from inspection.network.sample import demo_network


@pytest.fixture
def demo_roads(db_session):
    """The three synthetic demo roads (G30 up with a short chain, G312 with a long chain, S21)."""
    summary = services.import_features(db_session, demo_network(), FieldNames())
    assert summary.created == ["G30/up", "G312/both", "S21/both"]
    return {code: services.get_road(db_session, code) for code in ("G30", "G312", "S21")}


@pytest.fixture
def api_headers(db_session, make_user):
    """Bearer headers for a new user with the given roles."""
    from inspection.auth import services as auth_services

    def headers(*roles: str) -> dict[str, str]:
        user = make_user(*roles)
        return {"Authorization": f"Bearer {auth_services.issue_token(db_session, user).token}"}

    return headers
