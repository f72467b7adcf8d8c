"""Reading a multipart photo upload into a PhotoUpload."""

from __future__ import annotations

import math
import uuid

from flask import Request, Response, current_app, jsonify, request
from flask_login import current_user

from inspection.errors import N_, ValidationError
from inspection.extensions import db
from inspection.media.services import PhotoUpload, attach_photo, storage_for
from inspection.patrols.queries import photo_dict


def parse_photo_upload(request: Request) -> PhotoUpload:
    """Return the photo of a multipart request: `photo`, `photo_uuid`, optional EXIF fields."""
    form = request.form
    fields: dict[str, str] = {}
    file = request.files.get("photo")
    if file is None:
        fields["photo"] = N_("Choose a photo.")
    try:
        photo_uuid = uuid.UUID(form.get("photo_uuid", ""))
    except ValueError:
        fields["photo_uuid"] = N_("Not a valid UUID.")
    lon, lat = (
        _coordinate(form.get("exif_lon"), fields, "exif_lon"),
        _coordinate(form.get("exif_lat"), fields, "exif_lat"),
    )
    if fields:
        raise ValidationError(N_("Some fields are not valid."), fields=fields)
    return PhotoUpload(
        client_uuid=photo_uuid,
        data=file.read(),
        stage=form.get("stage") or "site",
        checksum=form.get("sha256") or None,
        exif_taken_at=(form.get("exif_taken_at") or None) and form["exif_taken_at"][:40],
        exif_lon=lon,
        exif_lat=lat,
    )


def _coordinate(raw: str | None, fields: dict[str, str], name: str) -> float | None:
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > 180:
        fields[name] = N_("Enter a number.")
        return None
    return value


def store_uploaded_photo(owner) -> tuple[Response, int]:
    """Store the request's photo for a record and answer 201, or 200 when it was already stored."""
    saved = attach_photo(
        db.session,
        storage_for(current_app.config["MEDIA_ROOT"]),
        parse_photo_upload(request),
        owner=owner,
        actor=current_user,
        max_bytes=current_app.config["PHOTO_MAX_BYTES"],
    )
    db.session.commit()
    return jsonify(photo_dict(saved.photo)), 201 if saved.created else 200
