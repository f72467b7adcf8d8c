"""Plain helpers the integration tests share (fixtures are in tests/integration/conftest.py)."""

import io
import uuid

from PIL import Image

from inspection.network import services as network


def point_of(db_session, code: str, stake: float) -> tuple[float, float]:
    """Return the (lon, lat) of a stake on a road."""
    position = network.position_of_stake(db_session, network.get_road(db_session, code), stake)
    return position.lon, position.lat


def jpeg_bytes(size=(800, 600), colour=(90, 120, 150)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def new_uuid() -> str:
    return str(uuid.uuid4())
