"""Demo work zones (#16): a few set-ups for the demo repairs and the demo patrol on G30.

One with sound-and-light alarm cones and the vehicle-mounted intrusion radar, one with a warning
area far shorter than the minimum (flagged on its page), one still standing (not removed). A
demo repair is left without a zone so the expressway flag has something to show.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.crew import work_zones
from inspection.crew.zone_schemas import WorkZoneBody
from inspection.inputs import validate
from inspection.network.models import Road
from inspection.network.stakes import format_stake
from inspection.patrols.models import Patrol
from inspection.repairs.models import Repair

BRANCH_ZONE = ZoneInfo("Asia/Shanghai")
ALARMED = {
    "lanes_closed": 1,
    "lanes_note": "超车道",
    "speed_limit_kmh": 80,
    "parts": [
        {"part": "warning", "length_m": 1200},
        {"part": "upstream_transition", "length_m": 130},
        {"part": "buffer", "length_m": 80},
        {"part": "work_area", "length_m": 300},
        {"part": "downstream_transition", "length_m": 30},
        {"part": "termination", "length_m": 30},
    ],
    "devices": [
        {"device": "sign", "count": 3},
        {"device": "cone", "count": 60},
        {"device": "alarm_cone", "count": 4},
        {"device": "intrusion_radar"},
        {"device": "flagger"},
    ],
    "note": "声光报警锥桶4个，车载雷达防闯入设备已开启",
}
SHORT_WARNING = {
    "lanes_closed": 0,
    "lanes_note": "应急车道",
    "speed_limit_kmh": 100,
    "parts": [
        {"part": "warning", "length_m": 400},
        {"part": "upstream_transition", "length_m": 160},
        {"part": "buffer", "length_m": 100},
        {"part": "work_area", "length_m": 20},
    ],
    "devices": [{"device": "sign", "count": 2}, {"device": "cone", "count": 15}],
    "note": "警告区仅400米（坑槽临时处置）",
}


def _zone(session, actor, link, road, start, end, set_up, removed, shape) -> None:
    body = {
        "client_uuid": str(uuid.uuid4()),
        **link,
        "road": road.code,
        "direction": road.direction,
        "from_stake": format_stake(start),
        "to_stake": format_stake(end),
        "set_up_at": set_up.isoformat(),
        "removed_at": removed.isoformat() if removed else None,
        **shape,
    }
    work_zones.record_zone(session, validate(WorkZoneBody, body), actor=actor)


def load_demo_zones(session: Session, today: date) -> int:
    """Record the demo work zones (the day before `today`); return how many."""
    crew = session.scalar(select(User).where(User.username == "crew1"))
    road = session.scalar(select(Road).where(Road.code == "G30"))
    if crew is None or road is None:
        return 0
    day = today - timedelta(days=1)
    at = lambda hour, minute=0: datetime.combine(day, time(hour, minute), BRANCH_ZONE)  # noqa: E731
    repairs = list(
        session.scalars(
            select(Repair)
            .where(Repair.road_id == road.id, Repair.voided_at.is_(None))
            .order_by(Repair.id)
        )
    )
    stored = 0
    # The first demo repair: a full set-up with alarm cones and the intrusion radar.
    if repairs:
        first = repairs[0]
        end = first.end_chainage if first.end_chainage is not None else first.chainage + 50
        link = {"repair_uuid": str(first.client_uuid)}
        _zone(session, crew, link, road, first.chainage, end, at(9, 40), at(15, 30), ALARMED)
        stored += 1
    # The demo patrol's on-site action (a pothole made safe): a short warning area, flagged.
    patrol = session.scalar(select(Patrol).where(Patrol.road_id == road.id).order_by(Patrol.id))
    if patrol is not None:
        start = (patrol.start_chainage or road.start_chainage) + 2000
        link = {"patrol_uuid": str(patrol.client_uuid)}
        _zone(session, crew, link, road, start, start + 20, at(10, 15), at(10, 50), SHORT_WARNING)
        stored += 1
    # A second repair's zone, still standing (removal not yet recorded).
    if len(repairs) > 2:
        third = repairs[2]
        end = third.end_chainage if third.end_chainage is not None else third.chainage + 50
        link = {"repair_uuid": str(third.client_uuid)}
        _zone(session, crew, link, road, third.chainage, end, at(14, 0), None, ALARMED)
        stored += 1
    return stored
