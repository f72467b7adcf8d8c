"""Reading a multipart photo upload into a PhotoUpload."""

from __future__ import annotations

from typing import Any, ClassVar

from flask import Request, Response, current_app, jsonify, request
from flask_login import current_user

from inspection.errors import N_, ValidationError
from inspection.extensions import db
from inspection.inputs import Input, Lat, Lon, Text, Uuid, check, parse_form
from inspection.media.images import plausible_position
from inspection.media.services import PhotoUpload, attach_photo, storage_for
from inspection.patrols.queries import photo_dict


class PhotoForm(Input):
    """The fields beside the photo file: its UUID, stage, checksum and what the phone read of
    its EXIF before resizing dropped it.

    The EXIF position is a fact of the photo, not something the user typed: a position that is
    not a plausible one (out of range, NaN, `١٢`, text, only one of the two) is dropped and the
    photo stored without it, rather than refusing the photo (the outbox would resend it forever).
    """

    messages: ClassVar = {"photo_uuid": N_("Not a valid UUID.")}

    photo_uuid: Uuid
    stage: Text(16) = "site"
    sha256: Text(64) | None = None
    exif_taken_at: Text(40) | None = None
    exif_lon: Text(64) | None = None
    exif_lat: Text(64) | None = None


def exif_position(lon: Any, lat: Any) -> tuple[float | None, float | None]:
    """Return the phone's (lon, lat) when both are plain ASCII numbers on the globe, else
    (None, None): media's plausibility check, after the input layer's number check."""
    if lon is None or lat is None:
        return None, None
    (lon, lon_error), (lat, lat_error) = check(Lon, lon), check(Lat, lat)
    if lon_error or lat_error:
        return None, None
    return plausible_position(lon, lat)


def parse_photo_upload(request: Request) -> PhotoUpload:
    """Return the photo of a multipart request: `photo`, `photo_uuid`, optional EXIF fields."""
    file = request.files.get("photo")
    try:
        form = parse_form(PhotoForm)
    except ValidationError as error:
        if file is None:
            error.fields = {"photo": N_("Choose a photo."), **error.fields}
        raise
    if file is None:
        raise ValidationError(
            N_("Some fields are not valid."), fields={"photo": N_("Choose a photo.")}
        )
    lon, lat = exif_position(form.exif_lon, form.exif_lat)
    return PhotoUpload(
        client_uuid=form.photo_uuid,
        data=file.read(),
        stage=form.stage,
        checksum=form.sha256,
        exif_taken_at=form.exif_taken_at,
        exif_lon=lon,
        exif_lat=lat,
    )


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
