"""Read-only survey queries: unit indices, road summaries, the comparison, JSON and GeoJSON.

Indices are computed from the records each time (DESIGN §3: computed, never typed or stored),
with the one table in ``pavement_index``. The rule for when an index counts as measured:

* A unit's **PCI** (and DR) is measured when its campaign holds at least one pavement record, not
  voided, on the unit's road and direction: that road was surveyed for pavement distress, and a
  unit with nothing recorded on it has DR 0 and PCI 100. Until then the unit's PCI is "not
  measured" — a fresh campaign does not show every unit as 优 (excellent).
* A unit's **SCI** likewise needs at least one subgrade record of the campaign on the road and
  direction. A vehicle survey records no subgrade, so its SCI stays "not measured" rather than
  100. To mark a road's subgrade as surveyed with nothing found, record an item with quantity 0.
* RQI, RDI and the other instrument indices are never measured here; ``road_summary`` lists them.

Indices are rounded to two decimals, and graded after rounding, so the grade always matches the
number printed next to it; road means are taken over the rounded unit values.

The comparison with the previous campaign (the latest earlier campaign, by start date, that
surveyed the same road and direction) matches units that share nominal stakes *and* lie in the
same place (so the two copies of a long-chain overlap are not confused), weighting each previous
unit by the length of stakes it shares. A unit is better or worse when its PCI grade rose or fell;
the PCI difference is shown beside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from geoalchemy2 import Geography, Geometry
from sqlalchemy import ARRAY, Integer, Row, and_, any_, bindparam, cast, func, select, tuple_
from sqlalchemy.orm import Session, aliased, joinedload

from inspection.geo import from_db
from inspection.network.models import Road
from inspection.network.stakes import format_stake
from inspection.surveys import pavement_index as pi
from inspection.surveys.models import SurveyCampaign, SurveyRecord, SurveyUnit

GRADE_ORDER = {grade: rank for rank, grade in enumerate(reversed(list(pi.Grade)))}
# A previous unit must run along the current one for more than half the shared stakes (plus this
# margin) to be "the same place"; the other copy of a long-chain overlap only touches it.
_PLACE_BUFFER_M = 5.0


@dataclass(frozen=True)
class UnitFigures:
    """A unit with its indices; None where the index was not measured (see module doc)."""

    unit: SurveyUnit
    dr: float | None
    pci: float | None
    sci: float | None
    pavement_records: int
    subgrade_records: int

    @property
    def grade(self) -> pi.Grade | None:
        return pi.grade(self.pci) if self.pci is not None else None

    @property
    def sci_grade(self) -> pi.Grade | None:
        return pi.grade(self.sci) if self.sci is not None else None


def _records_of(session: Session, unit_ids: list[int]) -> dict[int, list[Row]]:
    """Return the units' records not voided, as rows of what the indexes need.

    Columns, not SurveyRecord objects: a campaign holds 100,000 records, and building an object
    of each took most of the campaign page's 3 s (bench/survey_figures_bench.py).
    """
    by_unit: dict[int, list[Row]] = defaultdict(list)
    if not unit_ids:
        return by_unit
    rows = session.execute(
        select(
            SurveyRecord.unit_id,
            SurveyRecord.family,
            SurveyRecord.item_code,
            SurveyRecord.severity,
            SurveyRecord.quantity,
        )
        .where(
            SurveyRecord.unit_id == any_(bindparam(None, unit_ids, type_=ARRAY(Integer))),
            SurveyRecord.voided_at.is_(None),
        )
        .order_by(SurveyRecord.id)
    )
    for row in rows:
        by_unit[row.unit_id].append(row)
    return by_unit


def surveyed_families(
    session: Session, keys: set[tuple[int, int, str]]
) -> dict[str, set[tuple[int, int, str]]]:
    """Return, per family, the (campaign, road, direction) keys holding a record not voided."""
    surveyed: dict[str, set[tuple[int, int, str]]] = {"pavement": set(), "subgrade": set()}
    if not keys:
        return surveyed
    key = tuple_(SurveyUnit.campaign_id, SurveyUnit.road_id, SurveyUnit.direction)
    rows = session.execute(
        select(
            SurveyUnit.campaign_id, SurveyUnit.road_id, SurveyUnit.direction, SurveyRecord.family
        )
        .join(SurveyRecord, SurveyRecord.unit_id == SurveyUnit.id)
        .where(SurveyRecord.voided_at.is_(None), key.in_(sorted(keys)))
        .distinct()
    )
    for campaign_id, road_id, direction, family in rows:
        surveyed[family].add((campaign_id, road_id, direction))
    return surveyed


def unit_figures(session: Session, units: Iterable[SurveyUnit]) -> list[UnitFigures]:
    """Return each unit's DR, PCI and SCI from its records not voided (in the given order)."""
    units = list(units)
    records = _records_of(session, [u.id for u in units])
    surveyed = surveyed_families(session, {(u.campaign_id, u.road_id, u.direction) for u in units})
    figures = []
    for unit in units:
        key = (unit.campaign_id, unit.road_id, unit.direction)
        own = records.get(unit.id, [])
        pavement = [r for r in own if r.family == "pavement"]
        subgrade = [r for r in own if r.family == "subgrade"]
        dr = pci = sci = None
        if key in surveyed["pavement"]:
            dr = pi.dr(
                [pi.DistressRecord(r.item_code, r.severity, r.quantity) for r in pavement],
                unit.length_m * unit.width_m,
                unit.pavement,
            )
            pci = round(pi.pci(dr, unit.pavement), 2)
        if key in surveyed["subgrade"]:
            sci = round(
                pi.sci([pi.SubgradeItem(r.item_code, r.severity, r.quantity) for r in subgrade]),
                2,
            )
        figures.append(UnitFigures(unit, dr, pci, sci, len(pavement), len(subgrade)))
    return figures


def campaign_units(
    session: Session, campaign: SurveyCampaign, *, road: str | None = None
) -> list[SurveyUnit]:
    """Return a campaign's units (optionally of one road code) by road, direction and number."""
    query = (
        select(SurveyUnit)
        .join(Road, Road.id == SurveyUnit.road_id)
        .where(SurveyUnit.campaign_id == campaign.id)
        .options(joinedload(SurveyUnit.road))
        .order_by(Road.code, SurveyUnit.direction, SurveyUnit.seq)
    )
    if road:
        query = query.where(Road.code == road.strip().upper())
    return list(session.scalars(query))


# --------------------------------------------------------------------------- road level


@dataclass(frozen=True)
class RoadResult:
    """One road and direction of a campaign: its units' figures and the road-level summary."""

    road: Road
    direction: str
    units: list[UnitFigures]
    summary: pi.RoadSummary

    @property
    def start_chainage(self) -> float:
        return min(f.unit.start_chainage for f in self.units)

    @property
    def end_chainage(self) -> float:
        return max(f.unit.end_chainage for f in self.units)

    @property
    def key(self) -> tuple[int, str]:
        return (self.road.id, self.direction)


def road_results(figures: list[UnitFigures]) -> list[RoadResult]:
    """Group unit figures by road and direction and summarise each (length-weighted)."""
    groups: dict[tuple[int, str], list[UnitFigures]] = {}
    for item in figures:
        groups.setdefault((item.unit.road_id, item.unit.direction), []).append(item)
    results = []
    for items in groups.values():
        items.sort(key=lambda f: f.unit.seq)
        summary = pi.road_summary(pi.UnitResult(f.unit.length_m, f.pci, f.sci) for f in items)
        results.append(RoadResult(items[0].unit.road, items[0].unit.direction, items, summary))
    results.sort(key=lambda r: (r.road.code, r.direction))
    return results


def not_measured(results: list[RoadResult]) -> list[str]:
    """Return the index codes that no road of the campaign has, in INDEX_NAMES order."""
    missing = {"PCI", "SCI", *pi.VISUAL_SURVEY_NOT_MEASURED}
    for result in results:
        missing &= set(result.summary.not_measured)
    return [code for code in pi.INDEX_NAMES if code in missing]


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class UnitChange:
    """A unit beside the same stretch in the previous campaign."""

    figures: UnitFigures
    previous_pci: float | None
    previous_units: tuple[int, ...]  # seq numbers of the previous campaign's units

    @property
    def previous_grade(self) -> pi.Grade | None:
        return pi.grade(self.previous_pci) if self.previous_pci is not None else None

    @property
    def delta(self) -> float | None:
        if self.previous_pci is None or self.figures.pci is None:
            return None
        return round(self.figures.pci - self.previous_pci, 2)

    @property
    def change(self) -> str | None:
        """Return better, worse or same (by PCI grade), or None when either PCI is missing."""
        before, after = self.previous_grade, self.figures.grade
        if before is None or after is None:
            return None
        if GRADE_ORDER[after] > GRADE_ORDER[before]:
            return "better"
        if GRADE_ORDER[after] < GRADE_ORDER[before]:
            return "worse"
        return "same"


@dataclass(frozen=True)
class RoadComparison:
    road: Road
    direction: str
    previous: SurveyCampaign | None
    previous_summary: pi.RoadSummary | None
    changes: list[UnitChange]

    def count(self, change: str) -> int:
        return sum(1 for c in self.changes if c.change == change)

    @property
    def unmatched(self) -> int:
        return sum(1 for c in self.changes if c.change is None)


def previous_campaign(
    session: Session, campaign: SurveyCampaign, road_id: int, direction: str
) -> SurveyCampaign | None:
    """Return the latest campaign before this one that surveyed the road and direction."""
    return session.scalar(
        select(SurveyCampaign)
        .join(SurveyUnit, SurveyUnit.campaign_id == SurveyCampaign.id)
        .where(
            SurveyUnit.road_id == road_id,
            SurveyUnit.direction == direction,
            tuple_(SurveyCampaign.starts_on, SurveyCampaign.id)
            < tuple_(campaign.starts_on, campaign.id),
        )
        .order_by(SurveyCampaign.starts_on.desc(), SurveyCampaign.id.desc())
        .limit(1)
    )


def _matches(
    session: Session, campaign_id: int, previous_id: int, road_id: int, direction: str
) -> list[tuple[int, int, float]]:
    """Return (unit id, previous unit id, shared stake length) of units in the same place."""
    current, before = aliased(SurveyUnit), aliased(SurveyUnit)
    shared_stakes = func.least(current.end_chainage, before.end_chainage) - func.greatest(
        current.start_chainage, before.start_chainage
    )
    near = cast(func.ST_Buffer(cast(current.geom, Geography), _PLACE_BUFFER_M), Geometry)
    along = func.ST_Length(cast(func.ST_Intersection(before.geom, near), Geography))
    rows = session.execute(
        select(current.id, before.id, shared_stakes)
        .join(
            before,
            and_(
                before.campaign_id == previous_id,
                before.road_id == current.road_id,
                before.direction == current.direction,
            ),
        )
        .where(
            current.campaign_id == campaign_id,
            current.road_id == road_id,
            current.direction == direction,
            shared_stakes > 0,
            along > 0.5 * shared_stakes + _PLACE_BUFFER_M,
        )
    ).all()
    return [(a, b, float(s)) for a, b, s in rows]


def compare_with_previous(
    session: Session, campaign: SurveyCampaign, results: list[RoadResult]
) -> list[RoadComparison]:
    """Compare each road and direction with the previous campaign that surveyed it."""
    comparisons = []
    for result in results:
        previous = previous_campaign(session, campaign, result.road.id, result.direction)
        if previous is None:
            comparisons.append(RoadComparison(result.road, result.direction, None, None, []))
            continue
        before_units = list(
            session.scalars(
                select(SurveyUnit)
                .where(
                    SurveyUnit.campaign_id == previous.id,
                    SurveyUnit.road_id == result.road.id,
                    SurveyUnit.direction == result.direction,
                )
                .order_by(SurveyUnit.seq)
            )
        )
        before = {f.unit.id: f for f in unit_figures(session, before_units)}
        before_summary = pi.road_summary(
            pi.UnitResult(f.unit.length_m, f.pci, f.sci) for f in before.values()
        )
        pairs: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for unit_id, before_id, shared in _matches(
            session, campaign.id, previous.id, result.road.id, result.direction
        ):
            pairs[unit_id].append((before_id, shared))
        changes = []
        for item in result.units:
            matched = sorted(pairs.get(item.unit.id, []), key=lambda p: before[p[0]].unit.seq)
            with_pci = [(before[b].pci, s) for b, s in matched if before[b].pci is not None]
            mean = None
            if with_pci:
                mean = round(sum(p * s for p, s in with_pci) / sum(s for _, s in with_pci), 2)
            seqs = tuple(before[b].unit.seq for b, _ in matched)
            changes.append(UnitChange(item, mean, seqs))
        comparisons.append(
            RoadComparison(result.road, result.direction, previous, before_summary, changes)
        )
    return comparisons


# --------------------------------------------------------------------------- lists and JSON


@dataclass(frozen=True)
class CampaignRow:
    campaign: SurveyCampaign
    roads: list[tuple[str, str]]  # (code, direction)
    units: int
    length_m: float
    records: int


def list_campaigns(session: Session, *, only: int | None = None) -> list[CampaignRow]:
    """Return every campaign (or only one), latest first, with its roads and counts."""
    query = select(SurveyCampaign).order_by(
        SurveyCampaign.starts_on.desc(), SurveyCampaign.id.desc()
    )
    if only is not None:
        query = query.where(SurveyCampaign.id == only)
    campaigns = list(session.scalars(query))
    roads: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for campaign_id, code, direction in session.execute(
        select(SurveyUnit.campaign_id, Road.code, SurveyUnit.direction)
        .join(Road, Road.id == SurveyUnit.road_id)
        .group_by(SurveyUnit.campaign_id, Road.code, SurveyUnit.direction)
        .order_by(Road.code, SurveyUnit.direction)
    ):
        roads[campaign_id].append((code, direction))
    units = {
        campaign_id: (count, length)
        for campaign_id, count, length in session.execute(
            select(
                SurveyUnit.campaign_id, func.count(SurveyUnit.id), func.sum(SurveyUnit.length_m)
            ).group_by(SurveyUnit.campaign_id)
        )
    }
    records = dict(
        session.execute(
            select(SurveyUnit.campaign_id, func.count(SurveyRecord.id))
            .join(SurveyRecord, SurveyRecord.unit_id == SurveyUnit.id)
            .where(SurveyRecord.voided_at.is_(None))
            .group_by(SurveyUnit.campaign_id)
        ).all()
    )
    return [
        CampaignRow(
            c,
            roads.get(c.id, []),
            units.get(c.id, (0, 0.0))[0],
            float(units.get(c.id, (0, 0.0))[1] or 0.0),
            records.get(c.id, 0),
        )
        for c in campaigns
    ]


def records_of_unit(
    session: Session, unit: SurveyUnit, *, include_voided: bool = True
) -> list[SurveyRecord]:
    query = (
        select(SurveyRecord)
        .where(SurveyRecord.unit_id == unit.id)
        .order_by(SurveyRecord.voided_at.is_not(None), SurveyRecord.id)
    )
    if not include_voided:
        query = query.where(SurveyRecord.voided_at.is_(None))
    return list(session.scalars(query))


def neighbours(session: Session, unit: SurveyUnit) -> tuple[SurveyUnit | None, SurveyUnit | None]:
    """Return the previous and next unit of the same road and direction."""
    same = (
        SurveyUnit.campaign_id == unit.campaign_id,
        SurveyUnit.road_id == unit.road_id,
        SurveyUnit.direction == unit.direction,
    )
    before = session.scalar(select(SurveyUnit).where(*same, SurveyUnit.seq == unit.seq - 1))
    after = session.scalar(select(SurveyUnit).where(*same, SurveyUnit.seq == unit.seq + 1))
    return before, after


def stake_text(chainage: float | None) -> str | None:
    """Write a stake to the metre, or to the decimetre when it has a fraction."""
    if chainage is None:
        return None
    return format_stake(chainage, 0 if float(chainage).is_integer() else 1)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def campaign_dict(row: CampaignRow) -> dict:
    c = row.campaign
    return {
        "id": c.id,
        "name": c.name,
        "starts_on": c.starts_on.isoformat(),
        "ends_on": c.ends_on.isoformat(),
        "method": c.method,
        "unit_length_m": c.unit_length_m,
        "note": c.note,
        "roads": [{"road": code, "direction": direction} for code, direction in row.roads],
        "units": row.units,
        "length_m": round(row.length_m, 1),
        "records": row.records,
        "created_by": c.created_by.username,
    }


def summary_dict(result: RoadResult) -> dict:
    s = result.summary
    return {
        "road": result.road.code,
        "direction": result.direction,
        "start_stake": format_stake(result.start_chainage),
        "end_stake": format_stake(result.end_chainage),
        "units": len(result.units),
        "length_m": round(s.length_m, 1),
        "pci": _round(s.pci),
        "pci_grade": s.pci_grade.value if s.pci_grade else None,
        "sci": _round(s.sci),
        "sci_grade": s.sci_grade.value if s.sci_grade else None,
        "excellent_good_pct": _round(s.excellent_good_pct),
        "grade_share_pct": {g.value: _round(v) for g, v in s.grade_share_pct.items()},
        "not_measured": list(s.not_measured),
    }


def unit_properties(item: UnitFigures) -> dict:
    unit = item.unit
    return {
        "id": unit.id,
        "campaign_id": unit.campaign_id,
        "road": unit.road.code,
        "direction": unit.direction,
        "seq": unit.seq,
        "start_stake": format_stake(unit.start_chainage),
        "end_stake": format_stake(unit.end_chainage),
        "start_chainage": unit.start_chainage,
        "end_chainage": unit.end_chainage,
        "length_m": round(unit.length_m, 1),
        "width_m": unit.width_m,
        "pavement": unit.pavement,
        "dr": _round(item.dr, 4),
        "pci": item.pci,
        "sci": item.sci,
        "grade": item.grade.value if item.grade else None,
        "sci_grade": item.sci_grade.value if item.sci_grade else None,
        "pavement_records": item.pavement_records,
        "subgrade_records": item.subgrade_records,
        "geometry_version": unit.geometry_version,
    }


def units_geojson(figures: list[UnitFigures]) -> dict:
    """Return the units as a GeoJSON FeatureCollection with their indices (for the map)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": item.unit.id,
                "geometry": from_db(item.unit.geom).__geo_interface__,
                "properties": unit_properties(item),
            }
            for item in figures
        ],
    }


def record_dict(record: SurveyRecord) -> dict:
    return {
        "id": record.id,
        "uuid": str(record.client_uuid) if record.client_uuid else None,
        "unit_id": record.unit_id,
        "family": record.family,
        "item_code": record.item_code,
        "severity": record.severity,
        "quantity": record.quantity,
        "stake": stake_text(record.chainage),
        "chainage": record.chainage,
        "note": record.note,
        "created_at": record.created_at.isoformat() if record.created_at else None,
        "voided": record.voided_at is not None,
        "void_reason": record.void_reason,
    }
