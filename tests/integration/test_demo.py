"""`flask demo load`: the demo data a fresh `make run` shows, tracks and coverage included."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from inspection.demo import load_demo
from inspection.patrols.models import Finding, Patrol
from inspection.tracks.coverage import Period
from inspection.tracks.coverage_queries import coverage_report
from inspection.tracks.demo import earlier_patrols
from inspection.tracks.models import CoveredInterval, TrackPoint

TODAY = date(2026, 6, 15)


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_the_demo_has_patrols_with_tracks_and_coverage(db_session):
    load_demo(db_session, today=TODAY)
    patrols = db_session.scalars(select(Patrol).order_by(Patrol.started_at)).all()
    assert len(patrols) == 1 + len(earlier_patrols())
    assert all(p.track_points > 0 and p.track_km for p in patrols)
    # The open demo patrol drove G30 K3500+000–K3519+700 (19.4 km of centreline: a 300 m short
    # chain at K3512 has no ground), with GPS noise.
    [current] = [p for p in patrols if p.ended_at is None]
    assert abs(current.track_km - 19.4) < 0.2
    assert count(db_session, Finding) == 4
    assert count(db_session, TrackPoint) > 1_000
    assert count(db_session, CoveredInterval) >= len(patrols)

    # The default period (30 days to yesterday): G30 (daily) missed three days, S21's north end
    # was never driven, G312 (every other day) was driven once a week.
    report = coverage_report(
        db_session,
        Period(TODAY - timedelta(days=30), TODAY - timedelta(days=1)),
        timezone="Asia/Shanghai",
    )
    assert report.intervals >= len(earlier_patrols())
    assert report.rate == 0  # nothing at its frequency over the whole month …
    assert {gap.road.code for gap in report.gaps} == {"G30", "G312", "S21"}
    # … but the last week, G30 was patrolled every day.
    week = coverage_report(
        db_session,
        Period(TODAY - timedelta(days=7), TODAY - timedelta(days=1)),
        timezone="Asia/Shanghai",
    )
    assert 0 < week.rate < 1
    assert "G30" not in {gap.road.code for gap in week.gaps}


def test_loading_the_demo_again_adds_nothing(db_session):
    load_demo(db_session, today=TODAY)
    before = [count(db_session, m) for m in (Patrol, TrackPoint, CoveredInterval)]
    load_demo(db_session, today=TODAY)
    assert [count(db_session, m) for m in (Patrol, TrackPoint, CoveredInterval)] == before
