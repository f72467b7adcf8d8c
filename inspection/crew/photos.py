"""Photos of crew-safety records (#16): the record a photo address names, by its client UUID.

The upload itself is the one photo path of the app (`inspection.api.uploads.store_uploaded_photo`
→ `inspection.media.services.attach_photo`, owners in `OWNER_COLUMNS`): a briefing's or work
zone's recorder or a safety officer adds photos; crew.read holders see them (media view).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspection.crew.models import Briefing, WorkZone
from inspection.errors import N_, NotFound

_MISSING = {
    Briefing: N_("There is no such briefing."),
    WorkZone: N_("There is no such work zone."),
}


def owner_by_uuid(session: Session, model: type[Briefing] | type[WorkZone], value: str):
    """Return the briefing or work zone a photo address names (404 for an unknown or malformed
    UUID; a voided one is returned: the photo path refuses photos of voided records, 422)."""
    try:
        wanted = uuid.UUID(value)
    except ValueError:
        raise NotFound(N_("There is nothing at this address.")) from None
    owner = session.scalar(select(model).where(model.client_uuid == wanted))
    if owner is None:
        raise NotFound(_MISSING[model])
    return owner
