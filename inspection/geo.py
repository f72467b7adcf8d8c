"""Geometry at the database boundary: SRIDs and Shapely ⇄ GeoAlchemy2 conversions."""

from __future__ import annotations

from geoalchemy2.elements import WKBElement
from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry.base import BaseGeometry

# WGS84 longitude/latitude; CGCS2000 (EPSG:4490) is treated as equal (centimetres apart).
SRID = 4326


def to_db(geometry: BaseGeometry) -> WKBElement:
    """Return a Shapely geometry as a value for a Geometry(…, 4326) column."""
    return from_shape(geometry, srid=SRID)


def from_db(value: WKBElement) -> BaseGeometry:
    """Return a Geometry column's value as a Shapely geometry."""
    return to_shape(value)
