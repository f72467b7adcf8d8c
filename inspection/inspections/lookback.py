"""回头看: a look-back inspection re-checks the hazards closed in a period within its scope.

A rectification that holds is an audited `recheck` event on the hazard (no change of state);
one that relapsed is the hazard's audited `reopen`. Either is stored once per inspection and
hazard, with the id of the event that records it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.errors import N_, InvalidTransition, ValidationError
from inspection.hazards import services as hazard_services
from inspection.hazards.models import Hazard, HazardEvent
from inspection.inspections.kinds import InspectionKind, RecheckOutcome
from inspection.inspections.models import Inspection, InspectionRecheck
from inspection.inspections.schemas import RecheckInput
from inspection.inspections.services import get_inspection


def _local_start(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(timezone))


def _in_scope(inspection: Inspection):
    """Return the SQL condition of a hazard lying in the inspection's scope."""
    site_ids = [s.id for s in inspection.sites]
    conditions = [Hazard.site_id.in_(site_ids)] if site_ids else []
    conditions += [
        and_(
            Hazard.road_id == s.road_id,
            Hazard.chainage >= s.start_chainage,
            Hazard.chainage <= s.end_chainage,
        )
        for s in inspection.sections
    ]
    return or_(*conditions) if conditions else false()


def _closed_in_period(inspection: Inspection, timezone: str):
    return and_(
        Hazard.state == "closed",
        Hazard.closed_at >= _local_start(inspection.recheck_from, timezone),
        Hazard.closed_at < _local_start(inspection.recheck_to + timedelta(days=1), timezone),
        _in_scope(inspection),
    )


def _look_back(session: Session, inspection_id: int, *, for_update: bool = False) -> Inspection:
    inspection = get_inspection(session, inspection_id, for_update=for_update)
    if inspection.kind != InspectionKind.look_back:
        raise ValidationError(
            N_("Only a look-back inspection re-checks closed hazards."),
            fields={"inspection": N_("Not a look-back inspection.")},
        )
    return inspection


def candidates(
    session: Session, inspection_id: int, *, timezone: str
) -> list[tuple[Hazard, InspectionRecheck | None]]:
    """Return the hazards closed in the period within the scope, each with its re-check.

    Hazards this inspection already re-checked stay listed (a relapsed one is open again).
    """
    inspection = _look_back(session, inspection_id)
    rechecks = {r.hazard_id: r for r in inspection.rechecks}
    condition = _closed_in_period(inspection, timezone)
    if rechecks:
        condition = or_(condition, Hazard.id.in_(rechecks))
    hazards = session.scalars(
        select(Hazard).where(condition).order_by(Hazard.closed_at, Hazard.id)
    ).all()
    return [(h, rechecks.get(h.id)) for h in hazards]


def recheck(
    session: Session,
    inspection_id: int,
    data: RecheckInput,
    *,
    actor: User,
    today: date,
    timezone: str,
) -> tuple[InspectionRecheck, bool]:
    """Record a re-check of a closed hazard; return it and whether this call made it.

    The same verdict again is a replay (the stored re-check, nothing new); another verdict on
    a hazard this inspection already re-checked is a conflict.
    """
    inspection = _look_back(session, inspection_id, for_update=True)
    if inspection.voided_at is not None:
        raise ValidationError(N_("This inspection was voided."))
    hazard = hazard_services.get_hazard(session, data.hazard_id, for_update=True)
    done = session.scalar(
        select(InspectionRecheck).where(
            InspectionRecheck.inspection_id == inspection.id,
            InspectionRecheck.hazard_id == hazard.id,
        )
    )
    if done is not None:
        if done.outcome == data.outcome:
            return done, False
        raise InvalidTransition(
            N_("This inspection already re-checked this hazard (%(outcome)s)."),
            outcome=done.outcome,
        )
    if hazard.state != "closed":
        raise ValidationError(
            N_("Only a closed hazard can be re-checked."),
            fields={"hazard_id": N_("This hazard is not closed.")},
        )
    in_period = session.scalar(
        select(Hazard.id).where(Hazard.id == hazard.id, _closed_in_period(inspection, timezone))
    )
    if in_period is None:
        raise ValidationError(
            N_("This hazard was not closed in the period within the inspection's scope."),
            fields={"hazard_id": N_("Choose a hazard from the list.")},
        )
    if data.outcome == RecheckOutcome.holds:
        action, payload = "recheck", {"inspection_id": inspection.id, "note": data.note}
    else:
        action, payload = "reopen", {"reason": data.note, "inspection_id": inspection.id}
    hazard_services.act(
        session,
        hazard.id,
        action,
        version=data.version,
        payload=payload,
        actor=actor,
        today=today,
    )
    event = session.scalar(
        select(HazardEvent)
        .where(HazardEvent.hazard_id == hazard.id)
        .order_by(HazardEvent.seq.desc())
        .limit(1)
    )
    record = InspectionRecheck(
        inspection_id=inspection.id,
        hazard_id=hazard.id,
        outcome=data.outcome,
        note=data.note,
        event_id=event.id,
        checked_by_id=actor.id,
    )
    session.add(record)
    session.flush()
    session.refresh(inspection, ["rechecks"])
    return record, True
