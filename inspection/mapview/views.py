"""The map page and the kilometre-stake labels it draws on the roads at close zoom.

The record layers read /ogc/collections/{id}/items with the map's bbox, so the map, QGIS and the
GeoJSON downloads share one data path; a layer with more records than one answer should carry
(findings, hazards, repairs) is drawn from its vector tiles (/ogc/collections/{id}/tiles/…) below
zoom 12 instead. This blueprint only serves the page and the stake labels, which no collection
holds (they are computed from each road's linear reference).
"""

from __future__ import annotations

import math
import os
from typing import Any, ClassVar

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import func, select

from inspection.errors import N_, ValidationError
from inspection.extensions import db
from inspection.geo import from_db
from inspection.hazards.labels import SOURCE_LABELS, STATE_LABELS
from inspection.hazards.workflow import HAZARD_CATEGORIES
from inspection.inputs import Input, parse_query
from inspection.network import services as network
from inspection.network.chainage import MetricLine
from inspection.network.models import DIRECTION_LABELS, Road, RoadPiece
from inspection.network.stakes import format_stake
from inspection.ogc.features import COLLECTIONS, MAX_LIMIT, BadParameter, OgcBbox
from inspection.ogc.tiles import DETAIL_FROM_ZOOM
from inspection.ogc.tiles import LAYERS as TILE_LAYERS
from inspection.patrols.kinds import FINDING_KINDS, FINDING_STATUSES
from inspection.repairs.rules import REPAIR_KINDS
from inspection.sites.kinds import SITE_KIND_LABELS
from inspection.surveys import pavement_index as pi
from inspection.web import permission_required

bp = Blueprint("mapview", __name__)

# Settings of the optional base map, read from the environment unless the app config has them.
TILE_SETTINGS = (
    "MAP_TILE_URL",
    "MAP_TILE_LABELS_URL",
    "MAP_TILE_ORIGIN",
    "MAP_TILE_ATTRIBUTION",
    "MAP_TILE_SUBDOMAINS",
    "MAP_TILE_MAX_ZOOM",
)
COVERAGE_LAYER = "patrol_coverage"
LAYER_LIMIT = 2000  # features per layer and request; the page says when there are more
# A layer with more records than MAP_TILES_FROM (config; default LAYER_LIMIT) uses tiles.
STAKE_EVERY_M = 1000.0
MAX_STAKE_PIECES = 400  # road pieces (~1 km) one stake request may look at


@bp.record_once
def read_tile_settings(state) -> None:
    for name in TILE_SETTINGS:
        state.app.config.setdefault(name, os.environ.get(name, ""))


def _locale() -> str:
    from inspection import select_locale

    return select_locale()


def _grade_label(grade: pi.Grade, locale: str) -> str:
    return grade.zh if locale.startswith("zh") else grade.en


def map_words(locale: str) -> dict[str, Any]:
    """Return the words the map script shows, in the page's language."""
    return {
        "layers": {cid: gettext(c.title) for cid, c in COLLECTIONS.items()},
        "stakes": gettext("Stake labels"),
        "no_base_map": gettext("No base map"),
        "base_map": gettext("Base map"),
        "finding_kinds": {k: gettext(v) for k, v in FINDING_KINDS.items()},
        "finding_statuses": {k: gettext(v) for k, v in FINDING_STATUSES.items()},
        "hazard_states": {
            **{k: gettext(v) for k, v in STATE_LABELS.items()},
            "overdue": gettext("Overdue"),
        },
        "hazard_categories": {k: c.label(locale) for k, c in HAZARD_CATEGORIES.items()},
        "hazard_sources": {k: gettext(v) for k, v in SOURCE_LABELS.items()},
        "repair_kinds": {k: kind.label(locale) for k, kind in REPAIR_KINDS.items()},
        "site_kinds": {str(k): gettext(v) for k, v in SITE_KIND_LABELS.items()},
        "grades": {g.value: _grade_label(g, locale) for g in pi.Grade},
        "not_measured": gettext("Not measured"),
        "directions": {k: gettext(v) for k, v in DIRECTION_LABELS.items()},
        "fields": {
            "road": gettext("Road"),
            "direction": gettext("Direction"),
            "stake": gettext("Stake"),
            "kind": gettext("Kind"),
            "status": gettext("Status"),
            "state": gettext("State"),
            "category": gettext("Category"),
            "deadline": gettext("Deadline"),
            "observed_at": gettext("Observed"),
            "found_at": gettext("Found"),
            "completed_on": gettext("Completed"),
            "campaign": gettext("Survey"),
            "pci": "PCI",
            "grade": gettext("Grade"),
            "note": gettext("Note"),
            "description": gettext("Description"),
            "number": gettext("Number"),
            "name": gettext("Name"),
            "site": gettext("Site name"),
            "source": gettext("Source"),
            "location_note": gettext("Where at the site"),
            "department": gettext("Department"),
        },
        "open_record": gettext("Open the record"),
        "loading": gettext("Loading…"),
        "showing": gettext("%(layer)s: showing %(shown)s of %(matched)s here; zoom in to see all."),
        "failed": gettext("%(layer)s could not be loaded."),
        "locating": gettext("Finding your position…"),
        "located": gettext("You are here (±%(metres)s m)."),
        "locate_failed": gettext("Your position is not available."),
        "coverage": {
            "passes": gettext("Times patrolled"),
            "days": gettext("Days patrolled"),
            "last_patrolled": gettext("Last patrolled"),
            "days_since": gettext("Days since last patrolled"),
            "at_frequency": gettext("At its frequency"),
            "period": gettext("Period"),
            "never": gettext("never"),
            "yes": gettext("Yes"),
            "no": gettext("No"),
        },
    }


def network_bounds() -> list[float] | None:
    """Return [minlon, minlat, maxlon, maxlat] of all roads, or None without roads."""
    box = db.session.execute(
        select(
            func.ST_XMin(func.ST_Extent(Road.geom)),
            func.ST_YMin(func.ST_Extent(Road.geom)),
            func.ST_XMax(func.ST_Extent(Road.geom)),
            func.ST_YMax(func.ST_Extent(Road.geom)),
        )
    ).one()
    return None if box[0] is None else [round(v, 6) for v in box]


def _tiles() -> dict[str, Any] | None:
    config = current_app.config
    url = config.get("MAP_TILE_URL", "")
    if not url:
        return None
    subdomains = config.get("MAP_TILE_SUBDOMAINS", "") or "abc"
    max_zoom = str(config.get("MAP_TILE_MAX_ZOOM", "") or "18")
    return {
        "url": url,
        # A second layer of place names drawn over the first (天地图 serves them apart: cva_w).
        "labels": config.get("MAP_TILE_LABELS_URL", "") or None,
        "attribution": config.get("MAP_TILE_ATTRIBUTION", ""),
        "subdomains": subdomains,
        "maxZoom": int(max_zoom) if max_zoom.isdigit() else 18,
    }


def filter_choices(locale: str) -> dict[str, list[tuple[str, list[tuple[str, str]]]]]:
    """Return the kind and state choices, grouped by layer (value "layer:code")."""
    words = map_words(locale)
    return {
        "kind": [
            (
                words["layers"]["findings"],
                [(f"findings:{k}", v) for k, v in words["finding_kinds"].items()],
            ),
            (
                words["layers"]["hazards"],
                [(f"hazards:{k}", v) for k, v in words["hazard_categories"].items()],
            ),
            (
                words["layers"]["repairs"],
                [(f"repairs:{k}", v) for k, v in words["repair_kinds"].items()],
            ),
        ],
        "state": [
            (
                words["layers"]["findings"],
                [(f"findings:{k}", v) for k, v in words["finding_statuses"].items()],
            ),
            (
                words["layers"]["hazards"],
                [
                    ("hazards:open", gettext("Open (not closed)")),
                    *((f"hazards:{k}", v) for k, v in words["hazard_states"].items()),
                ],
            ),
        ],
    }


def _tile_template(collection_id: str) -> str:
    """The layer's vector tiles, {z}/{y}/{x} left for the map script to fill in."""
    path = url_for(
        "ogc.tile", collection_id=collection_id, tile_matrix="0", tile_row="0", tile_col="0"
    )
    return path.removesuffix("/0/0/0") + "/{z}/{y}/{x}"


def _many(collection_id: str) -> bool:
    """Tell whether a layer holds more records than one GeoJSON answer should carry; counts at
    most that many rows, so the page stays quick on a million findings."""
    collection = COLLECTIONS[collection_id]
    setting = current_app.config.get("MAP_TILES_FROM")
    threshold = LAYER_LIMIT if setting is None else int(setting)
    some = select(collection.model.id).where(*collection.where).limit(threshold + 1)
    return db.session.scalar(select(func.count()).select_from(some.subquery())) > threshold


@bp.route("/map")
@permission_required("records.read")
def page():
    locale = _locale()
    layers = [
        {
            "id": cid,
            "title": gettext(c.title),
            "items": url_for("ogc.items", collection_id=cid),
            # Coverage is computed for the period: shown when asked for (?layer=patrol_coverage).
            "visible": cid != COVERAGE_LAYER or request.args.get("layer") == COVERAGE_LAYER,
            "time": c.time is not None,
            # Vector tiles below tilesBelowZoom when the layer is too big for one answer.
            **({"tiles": _tile_template(cid), "many": _many(cid)} if cid in TILE_LAYERS else {}),
        }
        for cid, c in COLLECTIONS.items()
    ]
    config = {
        "layers": layers,
        "stakes": url_for("mapview.stakes"),
        "stakesFromZoom": 13,
        "tilesBelowZoom": DETAIL_FROM_ZOOM,
        "limit": LAYER_LIMIT,
        "downloadLimit": MAX_LIMIT,
        "bounds": network_bounds(),
        "tiles": _tiles(),
        "words": map_words(locale),
    }
    roads = db.session.execute(select(Road.code, Road.name).distinct().order_by(Road.code)).all()
    return render_template(
        "mapview/map.html",
        config=config,
        layers=layers,
        roads=roads,
        choices=filter_choices(locale),
        download_limit=MAX_LIMIT,
    )


# --------------------------------------------------------------------------- stake labels


class StakesQuery(Input):
    """The map's view: the stakes inside this bbox."""

    messages: ClassVar = {"bbox": N_("This field is required.")}

    bbox: OgcBbox


def _bbox_arg() -> tuple[float, float, float, float]:
    try:
        return parse_query(StakesQuery).bbox
    except ValidationError as error:  # a missing bbox is a 422; a bad one 400, as in the OGC API
        if not request.args.get("bbox", "").strip():
            raise
        raise BadParameter(error.message, fields=error.fields, **error.params) from None


def kilometre_stakes(session, bbox: tuple[float, float, float, float]) -> list[dict] | None:
    """Return the whole-kilometre stakes inside a bbox as GeoJSON points; None if too many."""
    envelope = func.ST_MakeEnvelope(*bbox, 4326)
    rows = session.execute(
        select(RoadPiece, Road)
        .join(Road, Road.id == RoadPiece.road_id)
        .where(func.ST_Intersects(RoadPiece.geom, envelope))
        .order_by(Road.code, Road.direction, RoadPiece.seq)
        .limit(MAX_STAKE_PIECES + 1)
    ).all()
    if len(rows) > MAX_STAKE_PIECES:
        return None
    west, south, east, north = bbox
    found: list[dict] = []
    seen: set[tuple[int, float]] = set()
    for piece, road in rows:
        reference = network.reference_for(road)
        start, end = piece.start_measure, piece.end_measure
        chainages = [reference.to_chainage(start), reference.to_chainage(end)]
        # A chain break inside the piece can reach stakes beyond the chainage of its two ends.
        chainages += [
            c
            for b in road.chain_breaks
            if start <= b.measure <= end
            for c in (b.back_chainage, b.ahead_chainage)
        ]
        first = math.ceil(min(chainages) / STAKE_EVERY_M)
        last = math.floor(max(chainages) / STAKE_EVERY_M)
        line = None
        for k in range(first, last + 1):
            chainage = k * STAKE_EVERY_M
            try:
                measures = reference.to_measures(chainage)
            except ValidationError:
                continue  # in a short-chain gap: that stake does not exist
            for measure in measures:
                if not (start - 1e-6 <= measure <= end + 1e-6) or (road.id, measure) in seen:
                    continue
                line = line or MetricLine(from_db(piece.geom), lon_0=road.lon_0, base_measure=start)
                lon, lat = line.point_at(measure)
                if not (west <= lon <= east and south <= lat <= north):
                    continue
                seen.add((road.id, measure))
                found.append(
                    {
                        "type": "Feature",
                        "geometry": {
                            "type": "Point",
                            "coordinates": [round(lon, 7), round(lat, 7)],
                        },
                        "properties": {
                            "road": road.code,
                            "direction": road.direction,
                            "stake": format_stake(chainage),
                            "label": format_stake(chainage).split("+")[0],
                        },
                    }
                )
    return found


@bp.route("/map/stakes")
@permission_required("records.read")
def stakes():
    """Return the kilometre stakes in ?bbox=… as GeoJSON (empty, with tooMany, if too wide)."""
    found = kilometre_stakes(db.session, _bbox_arg())
    body = {"type": "FeatureCollection", "features": found or [], "tooMany": found is None}
    return jsonify(body), 200, {"Content-Type": "application/geo+json"}
