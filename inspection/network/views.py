"""Road pages: list, detail, and the centreline import for managers."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext

from inspection.errors import DomainError
from inspection.extensions import db
from inspection.inputs import MAX_DEPTH, json_depth, load_json
from inspection.network import queries, services
from inspection.network.forms import RoadImportForm
from inspection.network.importing import FieldNames
from inspection.web import permission_required

bp = Blueprint("network", __name__, url_prefix="/roads")


@bp.route("/")
@permission_required("roads.read")
def index():
    return render_template("network/index.html", roads=queries.list_roads(db.session))


@bp.route("/<code>/<direction>")
@permission_required("roads.read")
def detail(code: str, direction: str):
    road = services.get_road(db.session, code, direction)
    return render_template("network/detail.html", road=road, facts=queries.road_detail(road))


@bp.route("/import", methods=["GET", "POST"])
@permission_required("roads.manage")
def import_roads():
    form = RoadImportForm()
    summary = None
    status = 200
    if form.validate_on_submit():
        raw = form.file.data.read()
        try:
            # load_json refuses a file nested too deeply before parsing it (no RecursionError)
            features = load_json(raw).get("features") or []
        except (ValueError, AttributeError):
            if json_depth(raw, exact=True) > MAX_DEPTH:
                message = gettext(
                    "The file nests more than %(depth)d levels deep: it is no road centreline.",
                    depth=MAX_DEPTH,
                )
            else:
                message = gettext("The file is not a GeoJSON FeatureCollection.")
            form.file.errors.append(message)
            status = 422
        else:
            names = FieldNames(
                code=form.code_field.data or "roadcode",
                name=form.name_field.data or "roadname",
                start=form.start_field.data or "startzh",
                end=form.end_field.data or "endzh",
                direction=form.direction_field.data or None,
            )
            try:
                summary = services.import_features(
                    db.session,
                    features,
                    names,
                    join_tolerance_m=form.join_tolerance.data or 50.0,
                    dry_run=form.dry_run.data,
                )
            except DomainError:
                db.session.rollback()
                raise
            if form.dry_run.data:
                db.session.rollback()
            else:
                db.session.commit()
    elif form.is_submitted():
        status = 422
    return render_template("network/import.html", form=form, summary=summary), status
