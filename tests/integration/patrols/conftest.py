"""Kept for imports of the shared helpers by their old path; the fixtures live one level up."""

from tests.integration.helpers import jpeg_bytes, new_uuid, point_of

__all__ = ["jpeg_bytes", "new_uuid", "point_of"]
