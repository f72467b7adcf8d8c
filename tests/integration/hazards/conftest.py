import io
import uuid

import pytest
from PIL import Image

from inspection.network import services as network
from inspection.network.importing import FieldNames
from inspection.network.sample import demo_network


@pytest.fixture
def roads(db_session):
    network.import_features(db_session, demo_network(), FieldNames())
    return {code: network.get_road(db_session, code) for code in ("G30", "G312", "S21")}


@pytest.fixture
def crew(db_session, make_user):
    """A patrol crew member with an API token: (user, headers)."""
    from inspection.auth import services as auth_services

    def build(*roles):
        user = make_user(*(roles or ("patrol",)))
        token = auth_services.issue_token(db_session, user).token
        return user, {"Authorization": f"Bearer {token}"}

    return build


def point_of(db_session, code: str, stake: float) -> tuple[float, float]:
    position = network.position_of_stake(db_session, network.get_road(db_session, code), stake)
    return position.lon, position.lat


def jpeg_bytes(size=(800, 600), colour=(90, 120, 150)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def new_uuid() -> str:
    return str(uuid.uuid4())
