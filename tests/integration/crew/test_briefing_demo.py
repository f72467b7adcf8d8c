"""The demo's pre-shift briefings (#16)."""

from datetime import date

from sqlalchemy import func, select

from inspection.auth.models import User
from inspection.crew import briefings
from inspection.crew.models import Briefing
from inspection.demo import load_demo

TODAY = date(2026, 6, 15)


def test_the_demo_has_briefings_and_a_crews_last_one_to_start_from(db_session):
    load_demo(db_session, today=TODAY)
    assert db_session.scalar(select(func.count()).select_from(Briefing)) == 4
    crew1 = db_session.scalar(select(User).where(User.username == "crew1"))
    last = briefings.last_defaults(db_session, crew1)
    assert last["held_at"].startswith("2026-06-13T23:30")  # 07:30 on the 14th, branch time
    assert [a["name"] for a in last["attendees"]][-2:] == ["钱师傅", "孙师傅"]
    assert last["site_id"] is not None
