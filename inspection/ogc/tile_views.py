"""Vector tiles of the record collections, named as OGC API – Tiles names them.

``GET /ogc/collections/{id}/tiles/WebMercatorQuad/{z}/{y}/{x}`` (row before column, as the
standard orders them) answers a Mapbox vector tile for findings, hazards and repairs, with the
same filters as ``/items`` (road, kind, state, datetime …). Every answer carries an ETag made of
the data version and the filters, and ``Cache-Control: private, no-cache``: a browser keeps the
tile and asks again with If-None-Match, which is answered 304 without reading a row.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_babel import gettext

from inspection.extensions import db
from inspection.ogc import tiles
from inspection.ogc.features import COLLECTIONS
from inspection.ogc.views import _parameter, bp, context
from inspection.replica import replica_routed
from inspection.web import branch_zone, permission_required

CACHE_CONTROL = "private, no-cache"


@bp.route(
    f"/collections/<collection_id>/tiles/{tiles.TILE_MATRIX_SET}/<tile_matrix>/<tile_row>/<tile_col>"
)
@permission_required("records.read")
def tile(collection_id: str, tile_matrix: str, tile_row: str, tile_col: str):
    wanted = tiles.parse_tile(
        collection_id, tile_matrix, tile_col, tile_row, request.args, branch_zone()
    )
    now = context()
    on_replica = replica_routed()
    if on_replica:  # the version from the replica, as its rows; the cache is the primary's
        version, body = tiles.data_version(db.session, wanted, now), None
    else:
        version, body = tiles.version_and_tile(db.session, wanted, now)
    tag = tiles.etag(wanted, version)
    headers = {"ETag": f'"{tag}"', "Cache-Control": CACHE_CONTROL}
    if request.if_none_match.contains(tag):
        return current_app.response_class(status=304, headers=headers)
    if on_replica:
        body = tiles.cached_tile(db.session, wanted, version)
    headers["X-Tile-Cache"] = "hit" if body is not None else "miss"
    if body is None:
        body = tiles.make_tile(db.session, wanted, now)
        tiles.store_tile(db.session, wanted, version, body)
        db.session.commit()
    return current_app.response_class(body, mimetype=tiles.MEDIA_TYPE, headers=headers)


def tile_path(collection_id: str) -> dict[str, Any]:
    """Describe the vector tiles of a collection (OGC API – Tiles names, WebMercatorQuad)."""
    title = gettext(COLLECTIONS[collection_id].title)

    def number(name: str, description: str, maximum: int) -> dict:
        schema = {"type": "integer", "minimum": 0, "maximum": maximum}
        return _parameter(name, description, schema, required=True, where="path")

    filters = [
        _parameter(f.param, gettext(f.description), {"type": "string"})
        for f in COLLECTIONS[collection_id].filters
    ]
    return {
        "get": {
            "summary": gettext("Vector tiles of %(title)s", title=title),
            "description": gettext(
                "Mapbox vector tiles; below zoom %(zoom)s each feature is a dot with the number "
                "of records it stands for (count).",
                zoom=tiles.DETAIL_FROM_ZOOM,
            ),
            "operationId": f"tile_{collection_id}",
            "parameters": [
                number("tileMatrix", gettext("Zoom level."), tiles.MAX_ZOOM),
                number("tileRow", gettext("Row, from the north."), (1 << tiles.MAX_ZOOM) - 1),
                number("tileCol", gettext("Column, from the west."), (1 << tiles.MAX_ZOOM) - 1),
                *filters,
            ],
            "responses": {
                "200": {
                    "description": gettext("The tile (empty where there is nothing)."),
                    "content": {tiles.MEDIA_TYPE: {"schema": {"type": "string"}}},
                },
                "304": {"description": gettext("Not changed since the ETag sent.")},
                "400": {"$ref": "#/components/responses/BadRequest"},
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "403": {"$ref": "#/components/responses/Forbidden"},
                "404": {"$ref": "#/components/responses/NotFound"},
            },
        }
    }
