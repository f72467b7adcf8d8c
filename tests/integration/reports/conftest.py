"""A year of records (2025) with its edge cases, built directly with the models."""

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from shapely.geometry import LineString, Point

from inspection.geo import to_db
from inspection.hazards.models import Hazard
from inspection.inspections.models import Inspection, InspectionSection
from inspection.patrols.models import Finding, Patrol
from inspection.repairs.models import Repair, RepairMaterial
from inspection.surveys.models import SurveyCampaign, SurveyRecord, SurveyUnit

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The reports are asked for on this day (branch time), so default cut-offs do not move.
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI)


def local(text: str) -> datetime:
    """Return a Shanghai wall-clock time as an aware datetime ("2025-12-31 23:59")."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    """Ask every report on NOW (branch time)."""
    from inspection.reports import views

    monkeypatch.setattr(views, "branch_now", lambda: NOW)


@pytest.fixture(autouse=True)
def _read_in_english(english):
    """These tests read the messages in English."""


class Builder:
    """Make records with the fewest fields a report needs."""

    def __init__(self, session, roads, user):
        self.session, self.roads, self.user = session, roads, user
        self.numbers = iter(range(1, 10_000))

    def _where(self, code: str) -> dict:
        road = self.roads[code]
        return {
            "road_id": road.id,
            "direction": road.direction if road.direction != "both" else "up",
            "geom": to_db(Point(87.7, 43.9)),
            "geometry_version": road.geometry_version,
            "created_by_id": self.user.id,
        }

    def _voided(self, record, voided: bool):
        if voided:
            record.voided_at = datetime(2026, 2, 1, tzinfo=SHANGHAI)
            record.void_reason = "entered twice"
            record.voided_by_id = self.user.id
        return record

    def repair(self, code, kind, completed_on, area, *, count=None, materials=(), voided=False):
        where = self._where(code)
        repair = Repair(
            client_uuid=uuid.uuid4(),
            kind=kind,
            chainage=3_504_000.0,
            end_chainage=3_504_300.0,
            completed_on=date.fromisoformat(completed_on),
            area_m2=area,
            count=count,
            **where,
        )
        repair.materials = [RepairMaterial(name=n, quantity=q, unit=u) for n, q, u in materials]
        self.session.add(self._voided(repair, voided))
        return repair

    def patrol(self, code, kind, started, km=None, *, voided=False):
        where = self._where(code)
        del where["geom"], where["geometry_version"]
        patrol = Patrol(
            client_uuid=uuid.uuid4(),
            kind=kind,
            started_at=local(started),
            patrolled_km=km,
            **where,
        )
        self.session.add(self._voided(patrol, voided))
        return patrol

    def finding(self, code, kind, observed, *, voided=False):
        finding = Finding(
            client_uuid=uuid.uuid4(),
            kind=kind,
            chainage=3_505_000.0,
            location_source="stake",
            observed_at=local(observed),
            **self._where(code),
        )
        self.session.add(self._voided(finding, voided))
        return finding

    def inspection(self, kind, started, *, ended=None, sites=(), roads=(), voided=False):
        """A self-inspection of `sites` and of a section of each road in `roads`."""
        start = date.fromisoformat(started)
        inspection = Inspection(
            client_uuid=uuid.uuid4(),
            kind=kind,
            theme=f"{kind} {started}",
            started_on=start,
            ended_on=date.fromisoformat(ended) if ended else start,
            recheck_from=date(start.year, 1, 1) if kind == "look_back" else None,
            recheck_to=start if kind == "look_back" else None,
            created_by_id=self.user.id,
        )
        inspection.sites = list(sites)
        inspection.sections = [
            InspectionSection(
                road_id=self.roads[code].id, start_chainage=3_504_000.0, end_chainage=3_510_000.0
            )
            for code in roads
        ]
        self.session.add(self._voided(inspection, voided))
        self.session.flush()
        return inspection

    def hazard(self, code, found, *, closed=None, deadline=None, source="patrol", inspection=None):
        where = self._where(code)
        where.pop("created_by_id")
        hazard = Hazard(
            number=f"YH-T-{next(self.numbers):04d}",
            category="guardrail_damage",
            grade="general",
            description="护栏损坏",
            state="closed" if closed else "rectifying",
            chainage=3_506_000.0,
            found_at=local(found),
            found_by_id=self.user.id,
            closed_at=local(closed) if closed else None,
            deadline=date.fromisoformat(deadline) if deadline else None,
            source=source,
            inspection_id=inspection.id if inspection is not None else None,
            **where,
        )
        self.session.add(hazard)
        return hazard

    def campaign(self, name, starts_on, ends_on):
        campaign = SurveyCampaign(
            name=name,
            starts_on=date.fromisoformat(starts_on),
            ends_on=date.fromisoformat(ends_on),
            created_by_id=self.user.id,
        )
        self.session.add(campaign)
        self.session.flush()
        return campaign

    def unit(self, campaign, code, seq, *, records=(), length=1000.0, width=10.0):
        road = self.roads[code]
        start = 3_500_000.0 + seq * length
        unit = SurveyUnit(
            campaign_id=campaign.id,
            road_id=road.id,
            direction=road.direction if road.direction != "both" else "up",
            seq=seq,
            start_chainage=start,
            end_chainage=start + length,
            length_m=length,
            width_m=width,
            geom=to_db(LineString([(87.7, 43.9), (87.71, 43.9)])),
            geometry_version=road.geometry_version,
        )
        self.session.add(unit)
        self.session.flush()
        for family, code_, severity, quantity, *rest in records:
            record = SurveyRecord(
                unit_id=unit.id,
                family=family,
                item_code=code_,
                severity=severity,
                quantity=quantity,
                created_by_id=self.user.id,
            )
            self.session.add(self._voided(record, bool(rest and rest[0] == "voided")))
        return unit


@pytest.fixture
def build(db_session, roads, make_user):
    return Builder(db_session, roads, make_user("patrol"))


@pytest.fixture
def year_of_records(db_session, build):
    """2025 on G30 and S21 with the edge cases; some of 2024 (comparison) and of 2026.

    Expected 2025 totals (Asia/Shanghai, cut-off 2025-12-31) are in the tests.
    """
    b = build
    # Repairs: completion dates are local dates.
    b.repair(
        "G30",
        "shoulder",
        "2025-03-10",
        12_250.5,
        materials=[("砂砾", 30, "m3"), ("水泥", 1.5, "t")],
    )
    b.repair("S21", "shoulder", "2025-12-31", 3_999.5)  # the last day counts
    b.repair("G30", "shoulder", "2026-01-01", 2_000.0, materials=[("水泥", 4, "t")])  # next year
    b.repair("G30", "shoulder", "2025-06-01", 5_000.0, voided=True, materials=[("水泥", 9, "t")])
    b.repair("G30", "slope", "2025-05-20", 5_432.1)
    b.repair("S21", "pothole", "2025-07-15", 12.5, count=5, materials=[("冷补料", 0.8, "t")])
    b.repair("G30", "pothole", "2025-12-31", 8.15, count=3, materials=[("冷补料", 0.45, "t")])
    b.repair("G30", "shoulder", "2024-08-01", 10_000.0)
    b.repair("G30", "pothole", "2024-02-29", 10.0, count=2)
    # Patrols: started_at is a UTC instant; days count in Shanghai.
    b.patrol("G30", "routine", "2025-01-01 00:10", 120.5)  # 2024-12-31 16:10 UTC
    b.patrol("G30", "routine", "2025-01-01 09:00", 80.0)  # the same local day
    b.patrol("G30", "special", "2025-07-01 08:00")  # no distance recorded
    b.patrol("S21", "night", "2025-12-31 23:59", 12.0)  # 15:59 UTC, still 2025
    b.patrol("S21", "routine", "2026-01-01 00:00:30", 30.0)  # 2025-12-31 16:00:30 UTC: 2026
    b.patrol("G30", "routine", "2025-06-01 09:00", 99.0, voided=True)
    # Self-inspections: started_on is a local date.
    b.inspection("routine", "2025-04-01", roads=["G30"])
    b.inspection("routine", "2025-10-01", roads=["S21"])
    b.inspection("special", "2025-06-01", roads=["G30"], voided=True)
    b.patrol("G30", "routine", "2024-03-03 09:00", 50.0)
    # Findings.
    b.finding("G30", "pothole", "2025-04-20 10:30")
    b.finding("G30", "pothole", "2025-12-31 23:59")
    b.finding("S21", "shoulder_damage", "2025-08-01 11:00")
    b.finding("S21", "pavement_distress", "2026-01-01 00:00:30")
    b.finding("G30", "slope_damage", "2025-05-05 09:00", voided=True)
    # Hazards: found in 2025 …
    b.hazard("G30", "2025-03-01 10:00", closed="2025-03-10 16:00")
    b.hazard("G30", "2025-12-20 10:00", closed="2026-01-10 10:00", deadline="2025-12-27")
    b.hazard("S21", "2025-12-31 23:30", deadline="2026-01-15")
    b.hazard("G30", "2025-06-01 09:00", closed="2025-07-05 09:00", deadline="2025-06-30")
    # … and not.
    b.hazard("S21", "2026-01-01 00:00:30", deadline="2026-01-20")
    b.hazard("G30", "2024-05-01 10:00", closed="2024-05-10 10:00")
    # Surveys: the latest campaign that ended in 2025 counts for G30; S21 has none.
    older = b.campaign("2025年春季路况调查", "2025-04-01", "2025-04-30")
    b.unit(older, "G30", 0, records=[("pavement", "pothole", "heavy", 5000.0)])
    latest = b.campaign("2025年路况调查", "2025-10-01", "2025-10-31")
    b.unit(
        latest,
        "G30",
        0,
        records=[
            ("pavement", "alligator_cracking", "heavy", 100.0),  # DR 1 % → PCI 85.00
            ("subgrade", "slope_collapse", "light", 1),  # 20 points × 0.25 → SCI 95
        ],
    )
    b.unit(latest, "G30", 1, records=[("pavement", "pothole", "heavy", 9000.0, "voided")])
    b.unit(latest, "G30", 2, records=[("pavement", "pothole", "heavy", 1000.0)])  # DR 10 %
    later = b.campaign("2026年路况调查", "2026-01-05", "2026-02-28")
    b.unit(later, "G30", 0)
    db_session.flush()
    return b
