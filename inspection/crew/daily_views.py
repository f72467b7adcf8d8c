"""The safety officer's daily view /crew/today (routes on inspection.crew.blueprint.bp)."""

from __future__ import annotations

from typing import Annotated

from flask import render_template
from flask_babel import gettext
from pydantic import Field

from inspection.crew import daily
from inspection.crew.blueprint import bp
from inspection.crew.kinds import ALCOHOL_RESULT_LABELS, VEHICLE_CHECK_ITEM_LABELS
from inspection.errors import N_
from inspection.extensions import db
from inspection.inputs import Day, Input, parse_query
from inspection.web import branch_today, branch_zone, permission_required


class TodayQuery(Input):
    """The day of the daily view (default: today, branch time)."""

    day: Annotated[Day() | None, Field(description=N_("The day to show."))] = None


@bp.route("/crew/today")
@permission_required("crew.read")
def today():
    query = parse_query(TodayQuery)
    day = query.day or branch_today()
    overview = daily.day_overview(db.session, day, branch_zone())
    return render_template(
        "crew/today.html",
        overview=overview,
        is_today=day == branch_today(),
        zone=branch_zone(),
        item_labels={str(k): gettext(v) for k, v in VEHICLE_CHECK_ITEM_LABELS.items()},
        alcohol_labels={str(k): gettext(v) for k, v in ALCOHOL_RESULT_LABELS.items()},
    )
