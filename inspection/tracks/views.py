"""The patrol page: what a patrol was, and the track and covered stake ranges it recorded."""

from __future__ import annotations

import uuid

from flask import render_template, url_for
from flask_babel import gettext
from flask_login import current_user

from inspection.errors import N_, NotFound
from inspection.extensions import db
from inspection.patrols.kinds import PATROL_KINDS, WEATHER
from inspection.patrols.services import get_patrol
from inspection.tracks import queries
from inspection.tracks.blueprint import bp
from inspection.tracks.kinds import TRAVEL_DIRECTION_LABELS
from inspection.web import permission_required


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(N_("There is nothing at this address.")) from None


@bp.app_template_global()
def may_see_track(patrol) -> bool:
    """Tell templates whether to link a patrol's page for the signed-in user."""
    return patrol is not None and queries.may_see(patrol, current_user)


@bp.route("/patrols/<patrol_uuid>")
@permission_required("records.read")
def patrol(patrol_uuid: str):
    found = get_patrol(db.session, _uuid(patrol_uuid))
    queries.check_may_see(found, current_user)
    config = {
        "track_url": url_for("api.patrol_track", patrol_uuid=found.client_uuid),
        "words": {
            "track": gettext("Track"),
            "covered": gettext("Covered"),
            "no_track": gettext("No track was recorded on this patrol."),
            "failed": gettext("The track could not be loaded."),
            "travel": {k: gettext(v) for k, v in TRAVEL_DIRECTION_LABELS.items()},
        },
    }
    return render_template(
        "tracks/patrol.html",
        patrol=found,
        covered=queries.covered_ranges(db.session, found.id),
        kinds=PATROL_KINDS,
        weather=WEATHER,
        config=config,
    )
