"""Survey operations: campaigns and their evaluation units, distress records, sheet imports.

Decisions (DESIGN §3, read with the models in ``surveys/models.py``):

* **Cutting units.** Each road and direction is cut by nominal chainage at the multiples of the
  unit length (kilometre posts for 1000 m units), so the first and the last unit of a road may be
  shorter and units of two campaigns with the same length line up. Chain breaks are walked in
  measure order:

  - *short chain* (短链): stakes in the gap do not exist. A unit whose stretch holds the gap spans
    it: its stakes are the existing ones on either side and its length is the nominal length less
    the gap. A unit boundary in the gap is moved to the gap's edge, so a stored stake always
    exists; a stretch wholly inside the gap gives no unit.
  - *long chain* (长链): the stakes of the overlap exist twice. Units never span a long chain: the
    section before the break and the section after it are cut separately, so the overlap gives
    two sets of units with the same stakes in two places. Their geometry is computed from the
    measures of the section they belong to, and they are told apart by their sequence number
    (``seq``, in measure order) — a record in the overlap must name its unit number.

  ``length_m`` is nominal (what weights road-level means and makes the DR area); it is kept when
  the road's geometry changes, since it is what was surveyed. The geometry is the centreline
  substring and is recomputed with the road (``DERIVED_GEOMETRY_UPDATERS["survey_units"]``).
* Units are numbered 1, 2, … per road and direction in increasing measure (chainage) order, for
  both directions: a down carriageway's unit 1 is at its low-chainage end, so the units of the two
  directions at a place share stakes and numbers.
* An undivided road (direction ``both``) may be surveyed as one carriageway (``both``) or per
  direction (``up`` and ``down``), not both ways in one campaign.
* **Recording.** Crews (``patrols.work``) add records walking a unit; managers
  (``surveys.manage``) create campaigns, edit units and import sheets. A wrong record is voided
  with a reason, by whoever recorded it or by a survey manager (kept, excluded from the indices).
* Whether an index counts as measured is the queries' rule (see ``surveys/queries.py``).
"""

from __future__ import annotations

import bisect
import math
import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from inspection.auth.models import User
from inspection.db import utcnow
from inspection.errors import N_, NotFound, NotPermitted, UuidTaken, ValidationError
from inspection.geo import from_db, to_db
from inspection.network import services as network
from inspection.network.models import Road
from inspection.network.stakes import format_stake, parse_stake
from inspection.surveys import importing
from inspection.surveys import pavement_index as pi
from inspection.surveys.kinds import METHODS
from inspection.surveys.models import SurveyCampaign, SurveyRecord, SurveyUnit

IMPORT_MODES = {
    "all_or_nothing": N_("All or nothing: import only if every line is correct"),
    "valid_rows": N_("Import the correct lines and list the others"),
}
DEFAULT_UNIT_LENGTH_M = 1000.0
DETAILED_UNIT_LENGTH_M = 100.0
MIN_UNIT_LENGTH_M = 10.0
MAX_UNIT_LENGTH_M = 10_000.0
MAX_WIDTH_M = 60.0
MAX_UNITS = 20_000
_EPS = 1e-6


# --------------------------------------------------------------------------- cutting units


@dataclass(frozen=True)
class Section:
    """A stretch of a road between chain breaks: chainage rises with measure through anchors."""

    measures: tuple[float, ...]
    chainages: tuple[float, ...]
    break_after: str | None  # "short" or "long": the chain break that ends it, if any

    @property
    def start_chainage(self) -> float:
        return self.chainages[0]

    @property
    def end_chainage(self) -> float:
        return self.chainages[-1]

    def measure_at(self, chainage: float) -> float:
        """Return the measure of a stake of this section (linear between anchors)."""
        xs, ys = self.chainages, self.measures
        if chainage <= xs[0]:
            return ys[0]
        if chainage >= xs[-1]:
            return ys[-1]
        i = bisect.bisect_right(xs, chainage) - 1
        return ys[i] + (chainage - xs[i]) / (xs[i + 1] - xs[i]) * (ys[i + 1] - ys[i])


def road_sections(road: Road) -> list[Section]:
    """Return a stored road's sections between chain breaks, in measure order.

    The same anchors as the road's linear reference (network.chainage.LinearReference), which has
    already checked them: section ends at the road ends and breaks, calibration points between.
    """
    breaks = sorted(road.chain_breaks, key=lambda b: b.measure)
    bounds = [0.0, *(b.measure for b in breaks), road.length_m]
    opening = [road.start_chainage, *(b.ahead_chainage for b in breaks)]
    closing = [*(b.back_chainage for b in breaks), road.end_chainage]
    points = sorted(road.calibration_points, key=lambda p: p.measure)
    sections = []
    for i, (c0, c1) in enumerate(zip(opening, closing, strict=True)):
        m0, m1 = bounds[i], bounds[i + 1]
        inner = [(p.measure, p.chainage) for p in points if m0 + _EPS < p.measure < m1 - _EPS]
        anchors = [(m0, c0), *inner, (m1, c1)]
        measures, chainages = zip(*anchors, strict=True)
        kind = breaks[i].kind if i < len(breaks) else None
        sections.append(Section(tuple(measures), tuple(chainages), kind))
    return sections


@dataclass(frozen=True)
class PlannedUnit:
    """A unit to create: its stakes, nominal length and the measures of its ends."""

    start_chainage: float
    end_chainage: float
    length_m: float
    start_measure: float
    end_measure: float


def plan_units(sections: list[Section], unit_length_m: float) -> list[PlannedUnit]:
    """Cut a road's sections into units at the multiples of the unit length (see module doc)."""
    planned: list[PlannedUnit] = []
    last_slot: tuple[int, int] | None = None  # (section index, grid slot) of the last unit
    for index, section in enumerate(sections):
        c0, c1 = section.start_chainage, section.end_chainage
        first = math.floor(c0 / unit_length_m + 1e-9)
        stop = math.ceil(c1 / unit_length_m - 1e-9)
        for slot in range(first, max(stop, first + 1)):
            start = max(c0, slot * unit_length_m)
            end = min(c1, (slot + 1) * unit_length_m)
            if end - start < 1e-3:
                continue
            joins = (
                planned
                and last_slot == (index - 1, slot)
                and sections[index - 1].break_after == "short"
            )
            if joins:
                # The stretch holds a short-chain gap: one unit across it, the gap not counted.
                previous = planned.pop()
                planned.append(
                    PlannedUnit(
                        previous.start_chainage,
                        end,
                        previous.length_m + (end - start),
                        previous.start_measure,
                        section.measure_at(end),
                    )
                )
            else:
                planned.append(
                    PlannedUnit(
                        start, end, end - start, section.measure_at(start), section.measure_at(end)
                    )
                )
            last_slot = (index, slot)
    return planned


# --------------------------------------------------------------------------- campaigns


@dataclass(frozen=True)
class CampaignInput:
    name: str
    starts_on: date | None
    ends_on: date | None
    method: str
    unit_length_m: float | None
    width_m: float | None
    pavement: str
    roads: tuple[tuple[str, str], ...]  # (road code, direction)
    note: str = ""


def _check_campaign(data: CampaignInput) -> None:
    fields: dict[str, str] = {}
    if not data.name.strip():
        fields["name"] = N_("Name the campaign.")
    elif len(data.name.strip()) > 128:
        fields["name"] = N_("Too long.")
    if data.starts_on is None:
        fields["starts_on"] = N_("Give the date like 2026-05-01.")
    if data.ends_on is None:
        fields["ends_on"] = N_("Give the date like 2026-05-01.")
    elif data.starts_on is not None and data.ends_on < data.starts_on:
        fields["ends_on"] = N_("The end lies before the start.")
    if data.method not in METHODS:
        fields["method"] = N_("Not one of the allowed values.")
    length = data.unit_length_m
    if length is None or not (MIN_UNIT_LENGTH_M <= length <= MAX_UNIT_LENGTH_M):
        fields["unit_length_m"] = N_("Between 10 and 10000 m.")
    width = data.width_m
    if width is None or not (0 < width <= MAX_WIDTH_M):
        fields["width_m"] = N_("Between 0 and 60 m.")
    if data.pavement not in set(pi.Pavement):
        fields["pavement"] = N_("Not one of the allowed values.")
    if not data.roads:
        fields["roads"] = N_("Choose at least one road.")
    if fields:
        raise ValidationError(N_("Some fields are not valid."), fields=fields)


def _campaign_roads(
    session: Session, wanted: tuple[tuple[str, str], ...]
) -> list[tuple[Road, str]]:
    """Return the (road, direction) pairs to survey, refusing unknown and doubled ones."""
    chosen: list[tuple[Road, str]] = []
    for code, direction in wanted:
        if direction not in importing.DIRECTIONS:
            raise ValidationError(
                N_("Direction must be up, down or both, not %(direction)s."),
                fields={"roads": N_("Not one of the allowed values.")},
                direction=direction,
            )
        try:
            road = network.get_road(session, code, direction)
        except NotFound as error:
            raise ValidationError(
                error.message, fields={"roads": N_("Choose a road.")}, **error.params
            ) from None
        if road.direction != "both" and direction != road.direction:
            raise ValidationError(
                N_("Road %(code)s has separate carriageways; choose up or down."),
                fields={"roads": N_("Choose a direction.")},
                code=road.code,
            )
        for other, other_direction in chosen:
            if other.id == road.id and "both" in (direction, other_direction):
                raise ValidationError(
                    N_(
                        "Road %(code)s is chosen both as one carriageway and per direction; "
                        "choose one way of surveying it."
                    ),
                    fields={"roads": N_("Choose one way per road.")},
                    code=road.code,
                )
        if (road, direction) not in chosen:
            chosen.append((road, direction))
    return chosen


def create_campaign(session: Session, data: CampaignInput, *, actor: User) -> SurveyCampaign:
    """Create a campaign and cut its roads into evaluation units (see the module doc)."""
    _check_campaign(data)
    roads = _campaign_roads(session, data.roads)
    plans = []
    for road, direction in roads:
        plan = plan_units(road_sections(road), data.unit_length_m)
        plans.append((road, direction, plan))
    total = sum(len(plan) for _, _, plan in plans)
    if total > MAX_UNITS:
        raise ValidationError(
            N_(
                "These roads give %(count)d units, more than %(limit)d; choose fewer roads "
                "or longer units."
            ),
            fields={"unit_length_m": N_("Choose longer units.")},
            count=total,
            limit=MAX_UNITS,
        )
    campaign = SurveyCampaign(
        name=data.name.strip(),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        method=data.method,
        unit_length_m=data.unit_length_m,
        note=data.note.strip(),
        created_by_id=actor.id,
    )
    session.add(campaign)
    session.flush()
    for road, direction, plan in plans:
        line = network.metric_line_for(road)
        for seq, unit in enumerate(plan, start=1):
            session.add(
                SurveyUnit(
                    campaign_id=campaign.id,
                    road_id=road.id,
                    direction=direction,
                    seq=seq,
                    start_chainage=unit.start_chainage,
                    end_chainage=unit.end_chainage,
                    length_m=unit.length_m,
                    width_m=data.width_m,
                    pavement=data.pavement,
                    geom=to_db(line.substring(unit.start_measure, unit.end_measure)),
                    geometry_version=road.geometry_version,
                )
            )
    session.flush()
    return campaign


def get_campaign(session: Session, campaign_id: int) -> SurveyCampaign:
    campaign = session.get(SurveyCampaign, campaign_id)
    if campaign is None:
        raise NotFound(N_("There is no survey campaign %(id)s."), id=campaign_id)
    return campaign


def get_unit(session: Session, campaign: SurveyCampaign, unit_id: int) -> SurveyUnit:
    unit = session.get(SurveyUnit, unit_id)
    if unit is None or unit.campaign_id != campaign.id:
        raise NotFound(N_("There is no unit %(id)s in this campaign."), id=unit_id)
    return unit


def get_record(session: Session, record_id: int) -> SurveyRecord:
    record = session.get(SurveyRecord, record_id)
    if record is None:
        raise NotFound(N_("There is no survey record %(id)s."), id=record_id)
    return record


def get_record_by_uuid(session: Session, client_uuid: uuid.UUID) -> SurveyRecord:
    """Return the record a phone made under this UUID (its photos follow it by the UUID)."""
    record = session.scalar(select(SurveyRecord).where(SurveyRecord.client_uuid == client_uuid))
    if record is None:
        raise NotFound(N_("There is no survey record %(uuid)s."), uuid=str(client_uuid))
    return record


# --------------------------------------------------------------------------- units


def _live_records(session: Session, unit: SurveyUnit) -> list[SurveyRecord]:
    return list(
        session.scalars(
            select(SurveyRecord).where(
                SurveyRecord.unit_id == unit.id, SurveyRecord.voided_at.is_(None)
            )
        )
    )


def update_unit(
    session: Session, unit: SurveyUnit, *, width_m: float | None, pavement: str, actor: User
) -> SurveyUnit:
    """Change a unit's surveyed width and pavement type; its records must still fit."""
    if width_m is None or not math.isfinite(width_m) or not (0 < width_m <= MAX_WIDTH_M):
        raise ValidationError(
            N_("The surveyed width must be between 0 and 60 m."),
            fields={"width_m": N_("Between 0 and 60 m.")},
        )
    if pavement not in set(pi.Pavement):
        raise ValidationError(
            N_("Choose asphalt or cement concrete."),
            fields={"pavement": N_("Not one of the allowed values.")},
        )
    area = unit.length_m * width_m
    for record in _live_records(session, unit):
        if record.family != "pavement":
            continue
        try:
            importing.check_item(
                pavement,
                record.family,
                record.item_code,
                record.severity,
                record.quantity,
                unit_area_m2=area,
            )
        except ValidationError as error:
            # The table's own message says what no longer fits (the item, or its area).
            error.fields = {
                "pavement" if pavement != unit.pavement else "width_m": N_(
                    "A record of this unit does not fit; void it first."
                )
            }
            raise
    unit.width_m = width_m
    unit.pavement = pavement
    session.flush()
    return unit


# --------------------------------------------------------------------------- placing records


class UnitFinder:
    """Find the unit of a campaign a record belongs to, by unit number or by stake(s)."""

    def __init__(self, session: Session, campaign: SurveyCampaign) -> None:
        self.session = session
        self.campaign = campaign
        self._units: dict[str, list[SurveyUnit]] = {}  # road code → units, loaded when asked

    def _units_of(self, code: str) -> list[SurveyUnit]:
        if code not in self._units:
            self._units[code] = list(
                self.session.scalars(
                    select(SurveyUnit)
                    .join(Road, Road.id == SurveyUnit.road_id)
                    .where(SurveyUnit.campaign_id == self.campaign.id, Road.code == code)
                    .options(joinedload(SurveyUnit.road))
                    .order_by(SurveyUnit.direction, SurveyUnit.seq)
                )
            )
        return self._units[code]

    def _road_units(self, code: str, direction: str | None) -> list[SurveyUnit]:
        code = code.strip().upper()
        units = self._units_of(code)
        if not units:
            exists = self.session.scalar(select(Road.id).where(Road.code == code).limit(1))
            if exists is None:
                raise ValidationError(
                    N_("There is no road %(code)s."),
                    fields={"road": N_("Unknown road.")},
                    code=code,
                )
            raise ValidationError(
                N_("Road %(code)s is not part of this survey campaign."),
                fields={"road": N_("Not in this campaign.")},
                code=code,
            )
        directions = sorted({u.direction for u in units})
        if direction is None:
            if len(directions) > 1:
                raise ValidationError(
                    N_("Road %(code)s is surveyed per direction here; say which (%(directions)s)."),
                    fields={"direction": N_("Choose a direction.")},
                    code=code,
                    directions=", ".join(directions),
                )
            return units
        if direction in directions:
            return [u for u in units if u.direction == direction]
        if directions == ["both"]:  # an undivided road surveyed as one carriageway
            return units
        raise ValidationError(
            N_("Road %(code)s is surveyed here as %(directions)s, not %(direction)s."),
            fields={"direction": N_("Not in this campaign.")},
            code=code,
            directions=", ".join(directions),
            direction=direction,
        )

    def find(
        self,
        code: str,
        direction: str | None,
        *,
        unit_no: int | None = None,
        from_chainage: float | None = None,
        to_chainage: float | None = None,
    ) -> SurveyUnit:
        """Return the one unit a road, direction and unit number or stake range point to."""
        units = self._road_units(code, direction)
        road = units[0].road
        for chainage, name in ((from_chainage, "from_stake"), (to_chainage, "to_stake")):
            if chainage is not None:
                _check_on_road(road, chainage, name)
        if unit_no is not None:
            found = [u for u in units if u.seq == unit_no]
            if not found:
                raise ValidationError(
                    N_(
                        "Road %(code)s has no unit %(unit_no)d in this campaign (units 1–%(last)d)."
                    ),
                    fields={"unit_no": N_("Not a unit of this road.")},
                    code=road.code,
                    unit_no=unit_no,
                    last=max(u.seq for u in units),
                )
            unit = found[0]
            if from_chainage is not None and not _covers(unit, from_chainage, to_chainage):
                raise ValidationError(
                    N_("The stakes %(stakes)s do not lie in unit %(unit_no)d (%(unit)s)."),
                    fields={"from_stake": N_("Not in this unit.")},
                    stakes=_range_text(from_chainage, to_chainage),
                    unit_no=unit.seq,
                    unit=_range_text(unit.start_chainage, unit.end_chainage),
                )
            return unit
        if from_chainage is None:
            raise ValidationError(
                N_("Give the stake range (from_stake, to_stake) or the unit number."),
                fields={"from_stake": N_("Give a stake or the unit number.")},
            )
        if to_chainage is None or abs(to_chainage - from_chainage) < _EPS:
            # A stake on the boundary of two neighbours belongs to the unit starting there.
            found = _one_per_place([u for u in units if _covers(u, from_chainage, None)])
        else:
            found = [u for u in units if _covers(u, from_chainage, to_chainage)]
        if len(found) == 1:
            return found[0]
        if not found:
            inside = sorted(
                {
                    u.seq
                    for u in units
                    for c in (from_chainage, to_chainage)
                    if c is not None and _covers(u, c, None)
                }
            )
            raise ValidationError(
                N_(
                    "The range %(stakes)s spans units %(units)s; write one line per unit, "
                    "each within its unit."
                ),
                fields={"to_stake": N_("Beyond the unit.")},
                stakes=_range_text(from_chainage, to_chainage),
                units=", ".join(str(s) for s in inside),
            )
        raise ValidationError(
            N_(
                "The stakes %(stakes)s lie in a long-chain overlap, where units %(units)s share "
                "them; give the unit number."
            ),
            fields={"unit_no": N_("Give the unit number.")},
            stakes=_range_text(from_chainage, to_chainage),
            units=", ".join(str(u.seq) for u in found),
        )


def _check_on_road(road: Road, chainage: float, name: str) -> None:
    """Raise when a stake is not on the road (outside it, or in a short-chain gap)."""
    try:
        network.reference_for(road).to_measures(chainage)
    except ValidationError as error:
        error.fields = {name: N_("Not a stake of this road.")}
        raise


def _one_per_place(units: list[SurveyUnit]) -> list[SurveyUnit]:
    """Keep one unit per run of consecutive units (a boundary stake touches two neighbours)."""
    kept: list[SurveyUnit] = []
    for unit in sorted(units, key=lambda u: u.seq):
        if (
            kept
            and unit.seq == kept[-1].seq + 1
            and abs(kept[-1].end_chainage - unit.start_chainage) < _EPS
        ):
            kept[-1] = unit  # the unit starting at the stake wins over the one ending there
            continue
        kept.append(unit)
    return kept


def _covers(unit: SurveyUnit, c_from: float, c_to: float | None) -> bool:
    """Tell whether a stake (or range) lies within a unit's stakes."""
    end = c_to if c_to is not None else c_from
    return unit.start_chainage - _EPS <= c_from and end <= unit.end_chainage + _EPS


def _range_text(c_from: float, c_to: float | None) -> str:
    if c_to is None or abs(c_to - c_from) < _EPS:
        return format_stake(c_from)
    return f"{format_stake(c_from)}–{format_stake(c_to)}"


def _new_record(
    unit: SurveyUnit,
    *,
    family: str | None,
    item_code: str,
    severity: str | None,
    quantity: float,
    unit_word: pi.Unit | None,
    chainage: float | None,
    note: str,
    actor: User,
) -> SurveyRecord:
    if family is None:
        family, item_code = importing.resolve_item(item_code)
    checked = importing.check_item(
        unit.pavement,
        family,
        item_code,
        severity,
        quantity,
        unit=unit_word,
        unit_area_m2=unit.length_m * unit.width_m,
    )
    return SurveyRecord(
        unit_id=unit.id,
        family=checked.family,
        item_code=checked.code,
        severity=checked.severity,
        quantity=checked.quantity,
        chainage=chainage,
        note=note,
        created_by_id=actor.id,
        created_at=utcnow(),
    )


def _stored_record(session: Session, client_uuid, actor: User) -> SurveyRecord | None:
    existing = session.scalar(select(SurveyRecord).where(SurveyRecord.client_uuid == client_uuid))
    if existing is not None and existing.created_by_id != actor.id:
        raise UuidTaken(N_("This record UUID belongs to another user's record."))
    return existing


def add_record(
    session: Session, campaign: SurveyCampaign, data: importing.RecordInput, *, actor: User
) -> tuple[SurveyRecord, bool]:
    """Add one distress or subgrade record to a unit (named by id, or by road and stake).

    Returns the record and whether it is new: one sent again under the same client UUID (a
    retry) is the stored one.
    """
    if data.client_uuid is not None:
        existing = _stored_record(session, data.client_uuid, actor)
        if existing is not None:
            return existing, False
    chainage = parse_stake(data.stake) if data.stake else None
    if data.unit_id is not None:
        try:
            unit = get_unit(session, campaign, data.unit_id)
        except NotFound as error:
            raise ValidationError(
                error.message,
                fields={"unit_id": N_("Not a unit of this campaign.")},
                **error.params,
            ) from None
        if chainage is not None:
            _check_on_road(unit.road, chainage, "stake")
            if not _covers(unit, chainage, None):
                raise ValidationError(
                    N_("Stake %(stake)s does not lie in this unit (%(unit)s)."),
                    fields={"stake": N_("Not in this unit.")},
                    stake=format_stake(chainage),
                    unit=_range_text(unit.start_chainage, unit.end_chainage),
                )
    else:
        try:
            unit = UnitFinder(session, campaign).find(
                data.road, data.direction, from_chainage=chainage
            )
        except ValidationError as error:
            error.fields = {
                ("stake" if k in ("from_stake", "to_stake") else k): v
                for k, v in error.fields.items()
            }
            raise
    record = _new_record(
        unit,
        family=data.family,
        item_code=data.item_code,
        severity=data.severity,
        quantity=data.quantity,
        unit_word=data.unit,
        chainage=chainage,
        note=data.note,
        actor=actor,
    )
    record.client_uuid = data.client_uuid
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError:
        existing = _stored_record(session, data.client_uuid, actor) if data.client_uuid else None
        if existing is None:
            raise
        return existing, False
    return record, True


def void_record(
    session: Session, record: SurveyRecord, reason: str, *, actor: User
) -> SurveyRecord:
    """Void a record with a reason (its author or a survey manager): kept, no longer counted."""
    if record.created_by_id != actor.id and not actor.can("surveys.manage"):
        raise NotPermitted(
            N_("Only the person who recorded it or a survey manager may void this record.")
        )
    if not reason.strip():
        raise ValidationError(
            N_("Give a reason for voiding."), fields={"reason": N_("Give a reason.")}
        )
    if record.voided_at is None:
        record.voided_at = utcnow()
        record.void_reason = reason.strip()[:2000]
        record.voided_by_id = actor.id
        session.flush()
    return record


# --------------------------------------------------------------------------- importing a sheet


@dataclass
class ImportReport:
    """What an import did: lines imported, lines refused with every reason, blank lines."""

    mode: str
    imported: int = 0
    problems: list[importing.RowProblem] = field(default_factory=list)
    blank_lines: int = 0
    lines_read: int = 0

    @property
    def refused(self) -> int:
        return len(self.problems)

    @property
    def nothing_saved(self) -> bool:
        return self.imported == 0


def import_sheet(
    session: Session,
    campaign: SurveyCampaign,
    sheet: importing.Sheet,
    *,
    mode: str,
    actor: User,
) -> ImportReport:
    """Place a sheet's lines in the campaign's units and save them.

    ``all_or_nothing`` saves nothing when any line is wrong; ``valid_rows`` saves the correct
    lines. Either way every wrong line is reported with its line number and reasons.
    """
    if mode not in IMPORT_MODES:
        raise ValidationError(
            N_("Choose how to import."), fields={"mode": N_("Not one of the allowed values.")}
        )
    report = ImportReport(mode=mode, problems=list(sheet.problems), blank_lines=sheet.blank_lines)
    report.lines_read = len(sheet.rows) + len(sheet.problems)
    finder = UnitFinder(session, campaign)
    records: list[SurveyRecord] = []
    for row in sheet.rows:
        try:
            unit = finder.find(
                row.road,
                row.direction,
                unit_no=row.unit_no,
                from_chainage=row.from_chainage,
                to_chainage=row.to_chainage,
            )
            record = _new_record(
                unit,
                family=row.family,
                item_code=row.item_code,
                severity=row.severity,
                quantity=row.quantity,
                unit_word=row.unit,
                chainage=row.from_chainage,
                note=row.note,
                actor=actor,
            )
        except ValidationError as error:
            report.problems.append(importing.RowProblem(row.line, (error,)))
            continue
        records.append(record)
    report.problems.sort(key=lambda p: p.line)
    if report.problems and mode == "all_or_nothing":
        return report
    session.add_all(records)
    session.flush()
    report.imported = len(records)
    return report


# --------------------------------------------------------------------------- derived geometry


def _nearest_measure(candidates: tuple[float, ...], line, lonlat: tuple[float, float]) -> float:
    if len(candidates) == 1:
        return candidates[0]
    where = line.locate(*lonlat).measure
    return min(candidates, key=lambda m: abs(m - where))


def recompute_survey_units(session: Session, road: Road) -> int:
    """Recompute the geometry of a road's survey units from their stakes after the road changed.

    Only units derived from an older version of the road are touched. In a long-chain overlap the
    stake nearest the unit's old ends is taken. A unit whose stakes no longer lie on the road keeps
    its old geometry and version, so it can be found; lengths are kept (they are what was
    surveyed).
    """
    units = session.scalars(
        select(SurveyUnit).where(
            SurveyUnit.road_id == road.id, SurveyUnit.geometry_version != road.geometry_version
        )
    ).all()
    if not units:
        return 0
    reference = network.reference_for(road)
    line = network.metric_line_for(road)
    changed = 0
    for unit in units:
        old = from_db(unit.geom)
        coords = list(old.coords) if old.geom_type == "LineString" else []
        try:
            starts = reference.to_measures(unit.start_chainage)
            ends = reference.to_measures(unit.end_chainage)
            if coords:
                m_from = _nearest_measure(starts, line, coords[0])
                m_to = _nearest_measure(ends, line, coords[-1])
            else:
                m_from, m_to = starts[0], ends[-1]
            geometry = line.substring(m_from, m_to)
        except (ValidationError, NotFound):
            continue
        unit.geom = to_db(geometry)
        unit.geometry_version = road.geometry_version
        changed += 1
    session.flush()
    return changed


network.DERIVED_GEOMETRY_UPDATERS["survey_units"] = recompute_survey_units
