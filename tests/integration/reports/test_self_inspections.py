"""Issue #11: a year of self-inspections and hazards anywhere — exact figures and paragraphs.

2025 in Asia/Shanghai, cut-off 2025-12-31. Hazards are raised through the hazards service; the
past closings are written as the service's audit events dated when they happened (the service
dates its own events now), and the 回头看's re-checks go through ``hazards.services.act``.
"""

from datetime import date
from decimal import Decimal

import pytest
from shapely.geometry import Point

from inspection.geo import to_db
from inspection.hazards import services as hazards
from inspection.inspections.models import InspectionRecheck
from inspection.network import services as network
from inspection.reports import annual
from inspection.reports.annual import queries
from inspection.sites.models import Site
from tests.integration.reports.conftest import local

MAINTENANCE_ZH = (
    "全年组织路况普查2次，完成整修路肩1.20万平方米，整修边坡0.35万平方米，处治坑槽25.5平方米（6处）；"
    "开展道路巡查2次（2天），累计巡查里程150.5公里，巡查发现病害3处。"
    "根据2025年秋季路况普查（2025年10月31日结束），G30上行PCI为85.00、SCI未评定、优良路率为100%。"
)
SAFETY_ZH = (
    "全年通过季节性检查1次、专项检查1次、特殊时段检查1次、“回头看”1次等方式，"
    "共计开展安全隐患自查5次，发现隐患4处，已整改2处，整改率50%（整改情况截至2025年12月31日）。"
    "各类来源共发现隐患7处（其中自查发现4处、道路巡查发现2处、上级检查发现1处），"
    "已整改4处，总体整改率57.1%。另整改往年遗留隐患1处。"
)
MAINTENANCE_EN = (
    "In 2025: 2 pavement condition surveys organised, shoulder repair 1.20 × 10,000 m²"
    " (12,000.0 m²), slope repair 0.35 × 10,000 m² (3,456.7 m²), pothole treatment 25.5 m²"
    " (6 potholes); 2 road patrols on 2 days, 150.5 km patrolled, 3 distress findings recorded."
    " Pavement condition survey “2025年秋季路况普查” (ended 2025-10-31): G30 up PCI 85.00,"
    " SCI not assessed, excellent or good 100%."
)
SAFETY_EN = (
    "In 2025: through seasonal inspections (1), special inspections (1), special-period"
    " inspections (1) and look-back inspections (1), 5 safety self-inspections held in all,"
    " 4 hazards found, 2 rectified, rectification rate 50% (rectification as of 31 December 2025)."
    " Hazards from every source: 7 found (4 from self-inspections, 2 from road patrols and 1 from"
    " higher-authority inspections), 4 rectified, overall rectification rate 57.1%."
    " 1 hazard carried over from earlier years was also rectified."
)


def _close(session, hazard, at, actor):
    """Close a hazard on a past day: its state and the verify event, dated then."""
    before = hazard.state
    hazard.state, hazard.closed_at, hazard.verified_by_id = "closed", local(at), actor.id
    hazard.version += 1
    session.flush()
    hazards.append_event(
        session,
        hazard,
        action="verify",
        from_state=before,
        actor=actor,
        note="复查合格",
        at=local(at),
    )


def _reopen(session, hazard, at, actor):
    hazard.state, hazard.closed_at, hazard.verified_by_id = "rectifying", None, None
    hazard.version += 1
    session.flush()
    hazards.append_event(
        session,
        hazard,
        action="reopen",
        from_state="closed",
        actor=actor,
        note="反弹",
        at=local(at),
    )


def _recheck(session, inspection, hazard, outcome, actor):
    """A 回头看 re-check through the hazards service: holds (recheck) or relapsed (reopen)."""
    action, payload = (
        ("recheck", {"inspection_id": inspection.id, "note": "整改到位"})
        if outcome == "holds"
        else ("reopen", {"reason": "回头看发现反弹"})
    )
    hazards.act(
        session,
        hazard.id,
        action,
        version=hazard.version,
        payload=payload,
        actor=actor,
        today=date(2025, 11, 15),
    )
    session.refresh(hazard)
    event = max(hazard.events, key=lambda e: e.seq)
    session.add(
        InspectionRecheck(
            inspection_id=inspection.id,
            hazard_id=hazard.id,
            outcome=outcome,
            event_id=event.id,
            checked_by_id=actor.id,
        )
    )


@pytest.fixture
def issue_year(db_session, build, make_user):
    """The year issue #11 describes, with a routine inspection and a voided one besides."""
    b, session = build, db_session
    officer = make_user("safety_officer", "patrol")
    sites = {}
    for name, kind, x in (
        ("柳园收费站", "toll_station", 95.39),
        ("星星峡服务区", "service_area", 95.10),
        ("红柳河养护工区", "maintenance_depot", 94.80),
    ):
        sites[kind] = Site(name=name, kind=kind, geom=to_db(Point(x, 41.06)))
    session.add_all(sites.values())
    session.flush()
    toll, service, depot = sites["toll_station"], sites["service_area"], sites["maintenance_depot"]

    # Self-inspections: the seasonal one covers a toll station, a service area and a road
    # section — it counts once.
    seasonal = b.inspection(
        "seasonal", "2025-03-10", ended="2025-03-12", sites=[toll, service], roads=["G30"]
    )
    special = b.inspection("special", "2025-05-20", sites=[depot])
    holiday = b.inspection("special_period", "2025-09-28", roads=["G30"])
    look_back = b.inspection("look_back", "2025-11-15", sites=[toll, service], roads=["G30"])
    b.inspection("routine", "2025-12-01", sites=[depot])
    b.inspection("seasonal", "2025-06-01", sites=[toll], voided=True)
    b.inspection("routine", "2024-07-01", sites=[depot])  # last year: the comparison

    def at_road(code, stake):
        return network.resolve_location(session, road_code=code, direction="up", stake=stake)

    def raise_(
        category, found, *, site=None, road=None, source="patrol", inspection=None, finding_id=None
    ):
        return hazards.raise_hazard(
            session,
            category=category,
            grade="general",
            description=category,
            actor=officer,
            site=site,
            location=at_road(*road) if road else None,
            source=source,
            inspection_id=inspection.id if inspection else None,
            found_at=local(found),
            finding_id=finding_id,
        )

    # Found by the self-inspections.
    fire = raise_(
        "fire_safety", "2025-03-10 10:00", site=toll, source="self_inspection", inspection=seasonal
    )
    wiring = raise_(
        "electrical",
        "2025-03-11 15:00",
        site=service,
        source="self_inspection",
        inspection=seasonal,
    )
    boiler = raise_(
        "special_equipment",
        "2025-05-20 11:00",
        site=depot,
        source="self_inspection",
        inspection=special,
    )
    raise_(
        "work_zone",
        "2025-09-28 09:00",
        road=("G30", "K3506+000"),
        source="self_inspection",
        inspection=holiday,
    )
    _close(session, fire, "2025-03-20 16:00", officer)
    _close(session, wiring, "2025-04-01 16:00", officer)
    _close(session, boiler, "2025-06-10 16:00", officer)
    # The 回头看 re-checks the two closed in its scope: one holds, one relapsed (reopened).
    _recheck(session, look_back, fire, "holds", officer)
    _recheck(session, look_back, wiring, "relapsed", officer)

    # Found by road patrols: one from a safety-hazard finding (a 病害 it is not), and a
    # higher-authority inspection's at the service area.
    finding = b.finding("G30", "safety_hazard", "2025-07-01 10:00")
    session.flush()
    guardrail = raise_(
        "guardrail_damage", "2025-07-01 10:00", road=("G30", "K3507+000"), finding_id=finding.id
    )
    pavement = raise_("pavement_hazard", "2025-08-15 10:00", road=("S21", "K5+000"))
    raise_("fire_safety", "2025-10-10 10:00", site=service, source="higher_authority")
    _close(session, guardrail, "2025-07-05 16:00", officer)
    _close(session, pavement, "2025-08-20 16:00", officer)

    # Carried over: found last year, open at the new year, closed in February …
    old = raise_("drainage", "2024-11-20 10:00", road=("G30", "K3508+000"))
    _close(session, old, "2025-02-15 16:00", officer)
    # … unlike one closed last year, reopened in January and closed again in March: it was
    # closed when the year began, so it is not carried over.
    again = raise_("sign_damage", "2024-10-01 10:00", road=("G30", "K3509+000"))
    _close(session, again, "2024-10-20 16:00", officer)
    _reopen(session, again, "2025-01-10 09:00", officer)
    _close(session, again, "2025-03-01 16:00", officer)

    # The maintenance side.
    b.repair("G30", "shoulder", "2025-04-01", 12_000.0)
    b.repair("G30", "slope", "2025-05-01", 3_456.7)
    b.repair("S21", "pothole", "2025-06-01", 25.5, count=6)
    b.patrol("G30", "routine", "2025-07-01 08:00", 120.0)
    b.patrol("S21", "night", "2025-08-15 22:00", 30.5)
    b.finding("G30", "pothole", "2025-04-20 10:30")
    b.finding("G30", "pothole", "2025-07-01 09:30")
    b.finding("S21", "shoulder_damage", "2025-08-15 22:30")
    spring = b.campaign("2025年春季路况普查", "2025-04-01", "2025-04-30")
    b.unit(spring, "G30", 0, records=[("pavement", "pothole", "heavy", 5000.0)])
    autumn = b.campaign("2025年秋季路况普查", "2025-10-01", "2025-10-31")
    b.unit(autumn, "G30", 0, records=[("pavement", "alligator_cracking", "heavy", 100.0)])
    session.flush()
    return {"wiring": wiring, "fire": fire, "finding": finding, "guardrail": guardrail}


def report(db_session, **params):
    asked = annual.parse_request({k: str(v) for k, v in params.items()}, today=date(2026, 6, 15))
    return queries.annual_report(db_session, asked, timezone="Asia/Shanghai")


def test_the_years_figures(db_session, issue_year):
    totals = report(db_session, year=2025).totals
    assert totals["inspections"] == 5  # the seasonal one once, the voided one not at all
    assert {k: totals[f"inspections_{k}"] for k in annual.INSPECTION_KIND_WORDS} == {
        "seasonal": 1,
        "special": 1,
        "special_period": 1,
        "look_back": 1,
        "routine": 1,
    }
    assert (totals["self_hazards_found"], totals["self_hazards_closed"]) == (4, 2)
    assert totals["self_rectification_rate"] == Decimal("50.0")  # the relapse is open again
    assert (totals["hazards_found"], totals["hazards_closed"], totals["hazards_open"]) == (7, 4, 3)
    assert totals["rectification_rate"] == Decimal("57.1")
    assert {k: totals[f"hazards_source_{k}"] for k in annual.HAZARD_SOURCE_WORDS} == {
        "self_inspection": 4,
        "patrol": 2,
        "higher_authority": 1,
        "public_report": 0,
        "other": 0,
    }
    located = {k: totals[f"hazards_location_{k}"] for k in annual.HAZARD_LOCATION_WORDS}
    assert {k: v for k, v in located.items() if v} == {
        "road": 3,
        "toll_station": 1,
        "service_area": 2,
        "maintenance_depot": 1,
    }
    categories = {k: totals[f"hazards_category_{k}"] for k in annual.HAZARD_CATEGORY_WORDS}
    assert {k: v for k, v in categories.items() if v} == {
        "fire_safety": 2,
        "electrical": 1,
        "special_equipment": 1,
        "work_zone": 1,
        "guardrail_damage": 1,
        "pavement_hazard": 1,
    }
    assert totals["hazards_carried_over"] == 1  # never in the found, closed or rates above
    assert totals["surveys"] == 2
    assert totals["findings"] == 3


def test_nothing_is_counted_twice(db_session, issue_year):
    """A safety-hazard finding and the hazard it raised count once, as a hazard."""
    built = report(db_session, year=2025)
    totals = built.totals
    assert issue_year["guardrail"].finding_id == issue_year["finding"].id
    assert totals["findings"] == 3  # two potholes, one shoulder damage: not the safety hazard
    assert totals["findings"] == sum(totals[f"findings_{k}"] for k in annual.DEFECT_KINDS)
    assert totals["hazards_source_patrol"] == 2  # the finding's hazard and the S21 one
    # Every hazard once in each breakdown.
    for prefix, words in (
        ("hazards_source_", annual.HAZARD_SOURCE_WORDS),
        ("hazards_location_", annual.HAZARD_LOCATION_WORDS),
        ("hazards_category_", annual.HAZARD_CATEGORY_WORDS),
    ):
        assert sum(totals[prefix + key] for key in words) == totals["hazards_found"]
    # By month (found in July: the finding's hazard) and by road: G30 has the road hazards and
    # no site hazard (the sites stand on no road).
    assert dict(built.by_month)["2025-07"]["findings"] == 1
    assert dict(built.by_month)["2025-07"]["hazards_found"] == 1
    assert dict(built.by_road)["G30"]["hazards_found"] == 2
    assert dict(built.by_road)["S21"]["hazards_found"] == 1


def test_the_paragraphs(db_session, issue_year):
    built = report(db_session, year=2025)
    assert built.paragraphs_zh == {"maintenance": MAINTENANCE_ZH, "safety": SAFETY_ZH}
    assert built.paragraphs_en == {"maintenance": MAINTENANCE_EN, "safety": SAFETY_EN}


def test_one_road_counts_the_inspections_of_its_scope(db_session, issue_year):
    g30 = report(db_session, year=2025, road="G30").totals
    # Seasonal, special-period and 回头看 have a section of G30; the depot's do not.
    assert g30["inspections"] == 3
    assert g30["hazards_found"] == 2
    assert g30["hazards_carried_over"] == 1


def test_the_previous_year(db_session, issue_year):
    compared = {c.key: c for c in report(db_session, year=2025).comparison}
    assert compared["inspections"].previous == 1
    assert compared["hazards_found"].previous == 2  # the two found in autumn 2024
    assert compared["hazards_carried_over"].previous == 0


def test_recheck_records_link_their_events(db_session, issue_year):
    rechecks = db_session.query(InspectionRecheck).order_by(InspectionRecheck.id).all()
    assert [(r.hazard_id, r.outcome) for r in rechecks] == [
        (issue_year["fire"].id, "holds"),
        (issue_year["wiring"].id, "relapsed"),
    ]
    assert issue_year["wiring"].state == "rectifying"
    assert hazards.verify_audit_chains(db_session) == []
