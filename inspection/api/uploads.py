"""Reading a multipart photo upload into a PhotoUpload."""

from __future__ import annotations

import math
import uuid

from flask import Request

from inspection.errors import N_, ValidationError
from inspection.media.services import PhotoUpload


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
