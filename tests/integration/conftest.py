"""Fixtures of the integration tests: the demo network and users with API tokens."""

import pytest

from inspection.auth import services as auth_services
from inspection.network import services as network
from inspection.network.importing import FieldNames
from inspection.network.sample import demo_network


@pytest.fixture
def roads(db_session):
    """The synthetic demo network: G30 up (a short chain), G312 (a long chain), S21."""
    network.import_features(db_session, demo_network(), FieldNames())
    return {code: network.get_road(db_session, code) for code in ("G30", "G312", "S21")}


@pytest.fixture
def crew(db_session, make_user):
    """Build a user with the given roles (patrol by default) and bearer headers: (user, headers)."""

    def build(*roles):
        user = make_user(*(roles or ("patrol",)))
        token = auth_services.issue_token(db_session, user).token
        return user, {"Authorization": f"Bearer {token}"}

    return build


@pytest.fixture
def english(client):
    """Read the messages in English (the default language is Chinese)."""
    with client.session_transaction() as session:
        session["lang"] = "en"
