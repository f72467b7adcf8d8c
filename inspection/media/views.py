"""Serve stored photos to signed-in readers."""

from __future__ import annotations

from flask import Blueprint, current_app, send_file

from inspection.errors import N_, NotFound
from inspection.media.services import storage_for
from inspection.web import permission_required

bp = Blueprint("media", __name__, url_prefix="/media")


@bp.route("/<path:key>")
@permission_required("records.read")
def photo(key: str):
    storage = storage_for(current_app.config["MEDIA_ROOT"])
    try:
        path = storage.path(key)
    except ValueError:  # a key that is not one of ours (traversal, odd characters)
        path = None
    if path is None or not path.is_file():
        raise NotFound(N_("There is no such photo."))
    response = send_file(path, mimetype="image/jpeg", max_age=365 * 24 * 3600)
    # Content-addressed: the bytes behind a key never change.
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response
