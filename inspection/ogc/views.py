"""OGC API – Features endpoints: landing page, conformance, collections, items, one item.

Every answer comes as JSON (GeoJSON for features) or, with ``f=html`` or a browser's Accept header,
as a simple HTML page. Links are absolute because clients such as GDAL resolve them against the
landing page, not the server root.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from flask import (
    Blueprint,
    current_app,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext

from inspection.errors import N_, NotFound
from inspection.extensions import db
from inspection.ogc import features, tiles
from inspection.ogc.features import COLLECTIONS, BadParameter, Collection, Context
from inspection.web import branch_today, branch_zone, permission_required

bp = Blueprint("ogc", __name__, url_prefix="/ogc")

JSON = "application/json"
GEOJSON = "application/geo+json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"

CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
)


def wants_html() -> bool:
    """Tell whether to answer in HTML: `f=html`, or a browser preferring it; JSON otherwise."""
    chosen = request.args.get("f", "").strip().lower()
    if chosen:
        if chosen in ("json", "geojson"):
            return False
        if chosen == "html":
            return True
        raise BadParameter(
            N_("The parameter %(name)s must be one of %(choices)s."),
            fields={"f": N_("Not one of the allowed values.")},
            name="f",
            choices="json, html",
        )
    best = request.accept_mimetypes.best_match([JSON, GEOJSON, HTML], default=JSON)
    return best == HTML


def context() -> Context:
    return Context(today=branch_today(), timezone=branch_zone())


def link(endpoint: str, rel: str, media_type: str, title: str, **values: Any) -> dict[str, str]:
    return {
        "href": url_for(endpoint, _external=True, **values),
        "rel": rel,
        "type": media_type,
        "title": title,
    }


def format_links(endpoint: str, json_type: str = JSON, **values: Any) -> list[dict[str, str]]:
    """Return the self link and the alternate in the other format, as the answer's format says."""
    html = wants_html()
    as_json = link(endpoint, "self", json_type, gettext("This document as JSON"), **values)
    as_html = link(endpoint, "self", HTML, gettext("This document as HTML"), **values, f="html")
    if html:
        as_json["rel"] = "alternate"
    else:
        as_html["rel"] = "alternate"
    return [as_json, as_html] if not html else [as_html, as_json]


def json_answer(body: Any, media_type: str = JSON):
    return current_app.response_class(json.dumps(body, ensure_ascii=False), mimetype=media_type)


def collection_of(collection_id: str) -> Collection:
    collection = COLLECTIONS.get(collection_id)
    if collection is None:
        raise NotFound(N_("There is no collection %(id)s."), id=collection_id)
    return collection


# --------------------------------------------------------------------------- landing page


@bp.route("/")
@permission_required("records.read")
def landing():
    body = {
        "title": gettext("Road inspection records"),
        "description": gettext(
            "Roads, findings, safety hazards, repairs and pavement survey units of the branch "
            "(OGC API – Features)."
        ),
        "links": [
            *format_links("ogc.landing"),
            link("ogc.api", "service-desc", OPENAPI, gettext("The API definition")),
            link("ogc.api", "service-doc", HTML, gettext("The API documentation"), f="html"),
            link("ogc.conformance", "conformance", JSON, gettext("Conformance classes")),
            link("ogc.collections", "data", JSON, gettext("The collections")),
        ],
    }
    if wants_html():
        return render_template("ogc/landing.html", body=body)
    return json_answer(body)


@bp.route("/conformance")
@permission_required("records.read")
def conformance():
    body = {"conformsTo": list(CONFORMANCE), "links": format_links("ogc.conformance")}
    if wants_html():
        return render_template("ogc/conformance.html", body=body)
    return json_answer(body)


@bp.route("/api")
@permission_required("records.read")
def api():
    from inspection.api import openapi

    document = api_document()
    if wants_html():
        return openapi.render_docs(document, json_url=url_for("ogc.api", f="json"))
    return json_answer(document, OPENAPI)


# --------------------------------------------------------------------------- collections


def collection_dict(collection: Collection) -> dict[str, Any]:
    """Return a collection's description with its extent and links (items as GeoJSON first)."""
    values = {"collection_id": collection.id}
    return {
        "id": collection.id,
        "title": gettext(collection.title),
        "description": gettext(collection.description),
        "itemType": "feature",
        "crs": [features.CRS84],
        "storageCrs": features.CRS84,
        "extent": features.extent(db.session, collection),
        "links": [
            link("ogc.collection", "self", JSON, gettext("This collection"), **values),
            link(
                "ogc.collection", "alternate", HTML, gettext("This collection"), **values, f="html"
            ),
            link("ogc.items", "items", GEOJSON, gettext("The features as GeoJSON"), **values),
            link("ogc.items", "items", HTML, gettext("The features"), **values, f="html"),
        ],
    }


@bp.route("/collections")
@permission_required("records.read")
def collections():
    body = {
        "links": format_links("ogc.collections"),
        "collections": [collection_dict(c) for c in COLLECTIONS.values()],
    }
    if wants_html():
        return render_template("ogc/collections.html", body=body)
    return json_answer(body)


@bp.route("/collections/<collection_id>")
@permission_required("records.read")
def collection(collection_id: str):
    found = collection_of(collection_id)
    body = collection_dict(found)
    if wants_html():
        filters = [(f.param, gettext(f.description), f.values or ()) for f in found.filters]
        return render_template(
            "ogc/collection.html",
            body=body,
            properties=features.all_properties(found),
            filters=filters,
            has_time=found.time is not None,
        )
    return json_answer(body)


# --------------------------------------------------------------------------- features


def _page_args(**changes: Any) -> dict[str, Any]:
    """Return this request's query with some parameters changed (None drops one)."""
    args = {name: request.args.get(name) for name in request.args}
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = value
    return args


def _items_links(collection: Collection, query: features.ItemsQuery, returned: int, matched: int):
    values = {"collection_id": collection.id}
    html = wants_html()
    current = _page_args(f=None)
    links = [
        link(
            "ogc.items",
            "self" if not html else "alternate",
            GEOJSON,
            gettext("This page as GeoJSON"),
            **values,
            **current,
        ),
        link(
            "ogc.items",
            "self" if html else "alternate",
            HTML,
            gettext("This page as HTML"),
            **values,
            **current,
            f="html",
        ),
        link("ogc.collection", "collection", JSON, gettext("The collection"), **values),
    ]
    page_type, page_format = (HTML, {"f": "html"}) if html else (GEOJSON, {})
    if query.offset + returned < matched:
        following = _page_args(offset=str(query.offset + query.limit), f=None)
        links.append(
            link(
                "ogc.items",
                "next",
                page_type,
                gettext("Next page"),
                **values,
                **following,
                **page_format,
            )
        )
    if query.offset > 0:
        previous = max(query.offset - query.limit, 0)
        earlier = _page_args(offset=str(previous) if previous else None, f=None)
        links.append(
            link(
                "ogc.items",
                "prev",
                page_type,
                gettext("Previous page"),
                **values,
                **earlier,
                **page_format,
            )
        )
    return links


def _collection_text(texts, matched: int, links) -> Iterator[str]:
    """Yield a FeatureCollection's text in chunks: the features, then the numbers and links."""
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    yield '{"type":"FeatureCollection","features":['
    count, chunk = 0, []
    for text in texts:
        chunk.append(text)
        count += 1
        if len(chunk) == STREAM_CHUNK:
            yield ("," if count > len(chunk) else "") + ",".join(chunk)
            chunk = []
    if chunk:
        yield ("," if count > len(chunk) else "") + ",".join(chunk)
    yield (
        "],"
        + f'"numberMatched":{matched},'
        + f'"numberReturned":{count},'
        + f'"timeStamp":"{stamp}",'
        + '"links":'
        + json.dumps(links, ensure_ascii=False)
        + "}"
    )


STREAM_CHUNK = 500  # features per chunk of a streamed answer


@bp.route("/collections/<collection_id>/items")
@permission_required("records.read")
def items(collection_id: str):
    found = collection_of(collection_id)
    html = wants_html()
    query = features.parse_items_query(found, request.args, branch_zone())
    url_root = request.url_root.rstrip("/")
    if not html:
        # Table-backed collections: PostgreSQL writes each feature's text; Python joins them.
        page_texts = features.find_feature_texts(
            db.session, found, query, context(), url_root=url_root
        )
        if page_texts is not None:
            links = _items_links(found, query, page_texts.returned, page_texts.matched)
            body = _collection_text(page_texts.texts, page_texts.matched, links)
            if isinstance(page_texts.texts, list):
                return current_app.response_class("".join(body), mimetype=GEOJSON)
            return current_app.response_class(stream_with_context(body), mimetype=GEOJSON)
    page, matched = features.find_features(
        db.session, found, query, context(), url_root=request.url_root.rstrip("/")
    )
    links = _items_links(found, query, len(page), matched)
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    if html:
        return render_template(
            "ogc/items.html",
            collection=found,
            title=gettext(found.title),
            properties=[p.name for p in features.all_properties(found)],
            features=page,
            matched=matched,
            offset=query.offset,
            links=links,
        )
    body = (
        '{"type":"FeatureCollection","features":['
        + ",".join(f.as_json() for f in page)
        + "],"
        + f'"numberMatched":{matched},"numberReturned":{len(page)},'
        + f'"timeStamp":"{stamp}",'
        + '"links":'
        + json.dumps(links, ensure_ascii=False)
        + "}"
    )
    return current_app.response_class(body, mimetype=GEOJSON)


@bp.route("/collections/<collection_id>/items/<fid>")
@permission_required("records.read")
def item(collection_id: str, fid: str):
    found = collection_of(collection_id)
    html = wants_html()
    feature = None
    if fid.isascii() and fid.isdigit() and int(fid) <= features.MAX_INTEGER:
        feature = features.get_feature(
            db.session, found, int(fid), context(), url_root=request.url_root.rstrip("/")
        )
    if feature is None:
        raise NotFound(
            N_("There is no feature %(id)s in %(collection)s."), id=fid, collection=found.id
        )
    values = {"collection_id": found.id, "fid": feature.id}
    links = [
        *format_links("ogc.item", GEOJSON, **values),
        link(
            "ogc.collection", "collection", JSON, gettext("The collection"), collection_id=found.id
        ),
        {
            "href": feature.properties["url"],
            "rel": "describedby",
            "type": HTML,
            "title": gettext("The record"),
        },
    ]
    if html:
        return render_template(
            "ogc/item.html",
            collection=found,
            title=gettext(found.title),
            feature=feature,
            links=links,
        )
    body = feature.as_dict()
    body["links"] = links
    return json_answer(body, GEOJSON)


# --------------------------------------------------------------------------- API definition


def _parameter(
    name: str,
    description: str,
    schema: dict,
    *,
    required: bool = False,
    where: str = "query",
    **extra: Any,
) -> dict:
    return {
        "name": name,
        "in": where,
        "description": description,
        "required": required,
        "schema": schema,
        **extra,
    }


def _json_response(description: str, media_type: str = JSON) -> dict:
    return {
        "description": description,
        "content": {
            media_type: {"schema": {"type": "object"}},
            HTML: {"schema": {"type": "string"}},
        },
    }


def api_document() -> dict[str, Any]:
    """Build the OpenAPI 3.0 definition of /ogc/ from the collections table."""
    f_param = _parameter(
        "f",
        gettext("Answer format (default: by the Accept header)."),
        {"type": "string", "enum": ["json", "html"]},
    )
    errors = {
        "400": {"$ref": "#/components/responses/BadRequest"},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
    }
    paths: dict[str, Any] = {
        "/": {
            "get": {
                "summary": gettext("Landing page"),
                "operationId": "landing",
                "parameters": [f_param],
                "responses": {"200": _json_response(gettext("The landing page")), **errors},
            }
        },
        "/conformance": {
            "get": {
                "summary": gettext("Conformance classes"),
                "operationId": "conformance",
                "parameters": [f_param],
                "responses": {"200": _json_response(gettext("The classes")), **errors},
            }
        },
        "/api": {
            "get": {
                "summary": gettext("This API definition"),
                "operationId": "api",
                "parameters": [f_param],
                "responses": {"200": _json_response(gettext("The definition"), OPENAPI), **errors},
            }
        },
        "/collections": {
            "get": {
                "summary": gettext("The collections"),
                "operationId": "collections",
                "parameters": [f_param],
                "responses": {"200": _json_response(gettext("The collections")), **errors},
            }
        },
    }
    for collection in COLLECTIONS.values():
        title = gettext(collection.title)
        parameters = [
            f_param,
            _parameter(
                "bbox",
                gettext("minlon,minlat,maxlon,maxlat in CRS84."),
                {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
                style="form",
                explode=False,
            ),
            _parameter(
                "limit",
                gettext("Features per page."),
                {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": features.MAX_LIMIT,
                    "default": features.DEFAULT_LIMIT,
                },
            ),
            _parameter(
                "offset",
                gettext("Features to skip (the next link sets it)."),
                {"type": "integer", "minimum": 0, "default": 0},
            ),
        ]
        if collection.time is not None:
            parameters.append(
                _parameter(
                    "datetime",
                    gettext(
                        "An RFC 3339 date-time or date, or an interval start/end with .. for "
                        "an open end."
                    ),
                    {"type": "string"},
                )
            )
        for filter_ in collection.filters:
            schema: dict[str, Any] = {"type": "string"}
            if filter_.values:
                schema["enum"] = list(filter_.values)
            parameters.append(_parameter(filter_.param, gettext(filter_.description), schema))
        base = f"/collections/{collection.id}"
        paths[base] = {
            "get": {
                "summary": title,
                "operationId": f"describe_{collection.id}",
                "parameters": [f_param],
                "responses": {"200": _json_response(gettext("The collection")), **errors},
            }
        }
        paths[f"{base}/items"] = {
            "get": {
                "summary": gettext("Features of %(title)s", title=title),
                "operationId": f"items_{collection.id}",
                "parameters": parameters,
                "responses": {
                    "200": _json_response(gettext("A page of features"), GEOJSON),
                    **errors,
                },
            }
        }
        paths[f"{base}/items/{{featureId}}"] = {
            "get": {
                "summary": gettext("One feature of %(title)s", title=title),
                "operationId": f"item_{collection.id}",
                "parameters": [
                    _parameter(
                        "featureId",
                        gettext("The feature's id."),
                        {"type": "integer"},
                        required=True,
                        where="path",
                    ),
                    f_param,
                ],
                "responses": {
                    "200": _json_response(gettext("The feature"), GEOJSON),
                    "404": {"$ref": "#/components/responses/NotFound"},
                    **errors,
                },
            }
        }
    from inspection.ogc.tile_views import tile_path

    for collection_id in tiles.LAYERS:
        paths[
            f"/collections/{collection_id}/tiles/{tiles.TILE_MATRIX_SET}/{{tileMatrix}}"
            "/{tileRow}/{tileCol}"
        ] = tile_path(collection_id)
    error = {"content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": gettext("Road inspection records (OGC API – Features)"),
            "version": "1.0.0",
            "description": gettext(
                "Send the same login cookie or an API token (Authorization: Bearer …) as for "
                "the rest of the application."
            ),
        },
        "servers": [{"url": url_for("ogc.landing", _external=True).rstrip("/")}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message", "fields"],
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                                "fields": {
                                    "type": "object",
                                    "additionalProperties": {"type": "string"},
                                },
                            },
                        }
                    },
                }
            },
            "responses": {
                "BadRequest": {"description": gettext("A parameter is not valid."), **error},
                "Unauthorized": {"description": gettext("Sign in or send an API token."), **error},
                "Forbidden": {"description": gettext("Your roles do not allow this."), **error},
                "NotFound": {"description": gettext("There is no such feature."), **error},
            },
        },
    }


# The tile endpoints register on this blueprint (their own module keeps this one short).
from inspection.ogc import tile_views  # noqa: E402, F401
