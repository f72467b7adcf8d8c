"""The OGC API – Features side, by job (this module gathers them for the views and tests):

* :mod:`inspection.ogc.model`: what a collection, property, filter and feature are; constants;
* :mod:`inspection.ogc.catalogue`: the collections as one table (``COLLECTIONS``);
* :mod:`inspection.ogc.parameters`: the ``/items`` query parameters (declared models, bbox,
  datetime);
* :mod:`inspection.ogc.queries`: reading features (conditions, paging by offset, extent);
* :mod:`inspection.ogc.geojson`: the features' GeoJSON text written by PostgreSQL.
"""

from __future__ import annotations

from inspection.ogc.catalogue import COLLECTIONS, ENRICHED_PROPERTIES, all_properties
from inspection.ogc.model import (
    COMMON_PARAMETERS,
    COORDINATE_DECIMALS,
    CRS84,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    TRS_GREGORIAN,
    BadParameter,
    Collection,
    Context,
    Feature,
    Filter,
    Prop,
    TimeField,
)
from inspection.ogc.parameters import (
    MAX_INTEGER,
    ItemsParameters,
    ItemsQuery,
    OgcBbox,
    parameters_model,
    parse_bbox,
    parse_datetime,
    parse_items_query,
)
from inspection.ogc.queries import (
    FeatureTexts,
    extent,
    find_feature_texts,
    find_features,
    get_feature,
)

__all__ = [
    "COLLECTIONS",
    "COMMON_PARAMETERS",
    "COORDINATE_DECIMALS",
    "CRS84",
    "DEFAULT_LIMIT",
    "ENRICHED_PROPERTIES",
    "MAX_INTEGER",
    "MAX_LIMIT",
    "TRS_GREGORIAN",
    "BadParameter",
    "Collection",
    "Context",
    "Feature",
    "FeatureTexts",
    "Filter",
    "ItemsParameters",
    "ItemsQuery",
    "OgcBbox",
    "Prop",
    "TimeField",
    "all_properties",
    "extent",
    "find_feature_texts",
    "find_features",
    "get_feature",
    "parameters_model",
    "parse_bbox",
    "parse_datetime",
    "parse_items_query",
]
