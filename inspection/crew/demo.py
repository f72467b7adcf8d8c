"""Demo data of crew safety (#16): one function per record kind; others add theirs here.

Briefings of the last days by the demo crews, so the list, the daily view and the phone form's
defaults (the user's last briefing) have something to show.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.crew import briefings
from inspection.crew.briefing_schemas import BriefingBody
from inspection.crew.models import BriefingTopic
from inspection.inputs import validate
from inspection.sites.models import Site

BRANCH_ZONE = ZoneInfo("Asia/Shanghai")
# days ago, recorder, crew, site name or None, place, topic (from the list) or None, free text,
# names of attendees without an account
DEMO_BRIEFINGS = (
    (3, "crew1", "一工区巡查班", None, "G30 K3456+780 路侧", "作业区安全布设", "", ("钱师傅",)),
    (
        2,
        "crew2",
        "二工区养护班",
        "乌鲁木齐养护工区",
        "工区院内",
        None,
        "大风天气高空作业",
        ("赵工",),
    ),
    (2, "crew1", "一工区巡查班", None, "G30 K3470+000", "上路作业人员安全防护", "", ("钱师傅",)),
    (
        1,
        "crew1",
        "一工区巡查班",
        "乌鲁木齐养护工区",
        "",
        "冬季除雪防滑安全",
        "",
        ("钱师傅", "孙师傅"),
    ),
)


def load_demo_briefings(session: Session, today: date) -> int:
    """Record the demo briefings (07:30 branch time, days before `today`); return how many."""
    users = {u.username: u for u in session.scalars(select(User))}
    topics = {t.name: t.id for t in session.scalars(select(BriefingTopic))}
    sites = {s.name: s.id for s in session.scalars(select(Site))}
    crew = [u for name, u in users.items() if name in ("crew1", "crew2")]
    stored = 0
    for days, recorder, crew_name, site, place, topic, text, names in DEMO_BRIEFINGS:
        actor = users.get(recorder)
        if actor is None:
            continue
        held = datetime.combine(today - timedelta(days=days), time(7, 30), BRANCH_ZONE)
        body = validate(
            BriefingBody,
            {
                "client_uuid": str(uuid.uuid4()),
                "held_at": held.isoformat(),
                "crew": crew_name,
                "site_id": sites.get(site) if site else None,
                "place": place,
                "topic_id": topics.get(topic) if topic else None,
                "topic_text": text if text or topic in topics else (topic or ""),
                "attendees": [{"user_id": u.id} for u in crew] + [{"name": n} for n in names],
                "note": "",
            },
        )
        briefings.record_briefing(session, body, actor=actor)
        stored += 1
    return stored
