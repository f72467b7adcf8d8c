"""Serve stored photos to signed-in readers."""

from __future__ import annotations

from flask import Blueprint, current_app, send_file
from flask_login import current_user

from inspection.errors import N_, NotFound, NotPermitted
from inspection.extensions import db
from inspection.media.services import is_crew_photo_key, storage_for
from inspection.web import permission_required

bp = Blueprint("media", __name__, url_prefix="/media")


# Declared "crew.read" (the records' readers and the machinery officer): a reader of records
# sees every photo; a crew-safety reader who is not one (机务员) only those of briefings and
# work zones (#16), and is refused anything else, stored or not.
@bp.route("/<path:key>")
@permission_required("crew.read")
def photo(key: str):
    if not current_user.can("records.read") and not is_crew_photo_key(db.session, key):
        raise NotPermitted(N_("You may not see this photo."))
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
