"""Plans (#17): a year's original plan, adjustments (计划调整) as new versions, reading a version.

Services take the session and the acting user; they flush, never commit. Every line is checked
before anything is written, so bad input stores nothing.

Decisions:

* A road is written as its code ("G30"), with a direction when the code has several
  carriageways ("G30 up", "G30 上行"); none (or "全分局") is the whole branch.
* An adjustment copies the newest version's lines of the months before `from_month` and takes
  the given lines for `from_month` on; a given line of an earlier month is refused (422).
  Versions are never edited; concurrent adjustments are serialised on the plan's row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from inspection.errors import N_, NotFound, ValidationError
from inspection.imports import DIRECTION_WORDS, Problem, word_key
from inspection.network.models import Road
from inspection.plans import plan_rules as rules
from inspection.plans.kinds import VersionKind
from inspection.plans.models import Plan, PlanLine, PlanVersion

BRANCH_WORDS = frozenset(word_key(w) for w in ("全分局", "分局", "branch", "whole branch", "-"))
_ROAD = re.compile(r"^([A-Za-z]+[0-9]+)\s*(.*)$")


@dataclass(frozen=True)
class Roads:
    """The register's roads by code, to resolve the roads written on lines."""

    by_code: dict[str, list[Road]]

    @classmethod
    def load(cls, session: Session) -> Roads:
        found: dict[str, list[Road]] = {}
        for road in session.scalars(select(Road).order_by(Road.code, Road.direction)):
            found.setdefault(road.code.upper(), []).append(road)
        return cls(found)

    def resolve(self, text: str | None) -> tuple[Road | None, Problem | None]:
        """Return (road or None for the whole branch, None) or (None, the problem)."""
        if text is None or not text.strip() or word_key(text) in BRANCH_WORDS:
            return None, None
        match = _ROAD.match(text.strip())
        roads = self.by_code.get(match.group(1).upper(), []) if match else []
        if not roads:
            return None, Problem(
                "road",
                N_("There is no road with this code."),
                N_("There is no road %(road)s."),
                {"road": text[:40]},
            )
        rest = word_key(match.group(2)) if match else ""
        if rest:
            direction = DIRECTION_WORDS.get(rest)
            picked = [r for r in roads if r.direction in (direction, "both")]
            if direction is None or not picked:
                return None, Problem("road", N_("No carriageway of this road goes that way."))
            roads = picked
        if len(roads) > 1:
            return None, Problem(
                "road",
                N_("The road has several carriageways; say which (e.g. G30 up)."),
            )
        return roads[0], None


def resolve_lines(
    session: Session,
    lines: Sequence[rules.LineInput],
    *,
    first_month: int = 1,
    numbers: Iterable[int] | None = None,
) -> tuple[list[int | None], dict[int, list[Problem]]]:
    """Return each line's road id and index → problems of the bad lines."""
    found = rules.lines_problems(lines, first_month=first_month, numbers=numbers)
    roads = Roads.load(session)
    road_ids: list[int | None] = []
    for index, line in enumerate(lines):
        road, problem = roads.resolve(line.road)
        road_ids.append(road.id if road is not None else None)
        if problem is not None:
            found.setdefault(index, []).insert(0, problem)
    return road_ids, found


def _refuse(found: dict[int, list[Problem]]) -> ValidationError:
    fields: dict[str, str] = {}
    for index, problems in sorted(found.items()):
        for problem in problems:
            fields.setdefault(f"lines.{index}.{problem.field}", problem.message)
    return ValidationError(N_("Some lines are not valid; nothing was saved."), fields=fields)


def checked_lines(
    session: Session, lines: Sequence[rules.LineInput], *, first_month: int = 1
) -> list[int | None]:
    """Return each line's road id, or raise a 422 naming `lines.N.field` of every bad one."""
    road_ids, found = resolve_lines(session, lines, first_month=first_month)
    if found:
        raise _refuse(found)
    return road_ids


def _add_lines(
    session: Session,
    version: PlanVersion,
    lines: Sequence[rules.LineInput],
    road_ids: Sequence[int | None],
) -> None:
    for line, road_id in zip(lines, road_ids, strict=True):
        session.add(
            PlanLine(
                version=version,
                month=line.month,
                road_id=road_id,
                work_kind=line.work_kind,
                unit=line.unit,
                quantity=line.quantity,
                unit_price_yuan=line.unit_price_yuan,
                budget_yuan=rules.budget_of(line),
                note=line.note,
            )
        )


def create_plan(
    session: Session,
    year: int,
    name: str,
    lines: Sequence[rules.LineInput],
    *,
    actor,
    road_ids: Sequence[int | None] | None = None,
) -> Plan:
    """Create a year's plan with its original version (number 1) holding the lines."""
    if not 2000 <= year <= 2100:
        raise ValidationError(N_("Some fields are not valid."), fields={"year": N_("Too early.")})
    name = name.strip()
    if not name or len(name) > rules.NAME_LENGTH:
        raise ValidationError(
            N_("Some fields are not valid."), fields={"name": N_("Give the plan's name.")}
        )
    if road_ids is None:
        road_ids = checked_lines(session, lines)
    taken = N_("There is already a plan for this year; adjust it instead.")
    if session.scalar(select(Plan.id).where(Plan.year == year)) is not None:
        raise ValidationError(taken, fields={"year": taken})
    plan = Plan(year=year, name=name, created_by_id=actor.id)
    version = PlanVersion(
        plan=plan, number=1, kind=VersionKind.original, from_month=1, created_by_id=actor.id
    )
    try:
        with session.begin_nested():
            session.add_all([plan, version])
            _add_lines(session, version, lines, road_ids)
            session.flush()
    except IntegrityError:  # another request created this year's plan meanwhile
        raise ValidationError(taken, fields={"year": taken}) from None
    return plan


def _check_from_month(from_month: int) -> None:
    if not 1 <= from_month <= 12:
        raise ValidationError(
            N_("Some fields are not valid."),
            fields={"from_month": N_("The month must be 1 to 12.")},
        )


def adjust_plan(
    session: Session,
    plan: Plan,
    from_month: int,
    lines: Sequence[rules.LineInput],
    *,
    note: str = "",
    actor,
    road_ids: Sequence[int | None] | None = None,
) -> PlanVersion:
    """Make an adjustment: a new version with the newest one's lines before `from_month` kept
    and the given lines from `from_month` on."""
    _check_from_month(from_month)
    if road_ids is None:
        road_ids = checked_lines(session, lines, first_month=from_month)
    # Serialise adjustments of one plan: the next number is read under the plan's row lock.
    session.execute(select(Plan.id).where(Plan.id == plan.id).with_for_update())
    current = newest_version(session, plan)
    number = current.number + 1
    version = PlanVersion(
        plan=plan,
        number=number,
        kind=VersionKind.adjustment,
        from_month=from_month,
        note=note.strip(),
        created_by_id=actor.id,
    )
    session.add(version)
    kept = session.scalars(
        select(PlanLine)
        .where(PlanLine.version_id == current.id, PlanLine.month < from_month)
        .order_by(PlanLine.id)
    )
    for line in kept:
        session.add(
            PlanLine(
                version=version,
                month=line.month,
                road_id=line.road_id,
                work_kind=line.work_kind,
                unit=line.unit,
                quantity=line.quantity,
                unit_price_yuan=line.unit_price_yuan,
                budget_yuan=line.budget_yuan,
                note=line.note,
            )
        )
    _add_lines(session, version, lines, road_ids)
    session.flush()
    return version


# --------------------------------------------------------------------------- reading


def list_plans(session: Session) -> list[Plan]:
    """Return every plan, the newest year first, with its versions."""
    return list(
        session.scalars(
            select(Plan).options(selectinload(Plan.versions)).order_by(Plan.year.desc())
        )
    )


def find_plan(session: Session, year: int) -> Plan | None:
    if not 2000 <= year <= 2100:  # the column's range (a smallint): no plan outside it
        return None
    return session.scalar(select(Plan).where(Plan.year == year))


def get_plan(session: Session, year: int) -> Plan:
    """Return the plan of a year, or raise NotFound."""
    plan = find_plan(session, year)
    if plan is None:
        raise NotFound(N_("There is no plan for %(year)d."), year=year)
    return plan


def newest_version(session: Session, plan: Plan) -> PlanVersion:
    return session.scalars(
        select(PlanVersion)
        .where(PlanVersion.plan_id == plan.id)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    ).one()


def get_version(session: Session, plan: Plan, number: int | None = None) -> PlanVersion:
    """Return a version of the plan by number (default: the newest), or raise NotFound."""
    if number is None:
        return newest_version(session, plan)
    version = session.scalar(
        select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == number)
    )
    if version is None:
        raise NotFound(
            N_("The plan of %(year)d has no version %(number)d."), year=plan.year, number=number
        )
    return version


def version_lines(
    session: Session,
    version: PlanVersion,
    *,
    month: int | None = None,
    road_id: int | bool | None = False,
    work_kind: str | None = None,
) -> list[PlanLine]:
    """Return a version's lines (by month, road, kind); road_id None = whole-branch lines,
    False = every road."""
    query = select(PlanLine).where(PlanLine.version_id == version.id)
    if month is not None:
        query = query.where(PlanLine.month == month)
    if road_id is None:
        query = query.where(PlanLine.road_id.is_(None))
    elif road_id is not False:
        query = query.where(PlanLine.road_id == road_id)
    if work_kind is not None:
        query = query.where(PlanLine.work_kind == work_kind)
    return list(session.scalars(query.order_by(PlanLine.month, PlanLine.road_id, PlanLine.id)))


def version_totals(session: Session, plan: Plan) -> dict[int, tuple[int, Decimal]]:
    """Return version id → (line count, total budget) of a plan's versions."""
    rows = session.execute(
        select(PlanLine.version_id, func.count(), func.coalesce(func.sum(PlanLine.budget_yuan), 0))
        .join(PlanVersion, PlanVersion.id == PlanLine.version_id)
        .where(PlanVersion.plan_id == plan.id)
        .group_by(PlanLine.version_id)
    )
    return {version_id: (count, Decimal(total)) for version_id, count, total in rows}


def road_names(session: Session, road_ids: Iterable[int | None]) -> dict[int, Road]:
    ids = {i for i in road_ids if i is not None}
    if not ids:
        return {}
    return {road.id: road for road in session.scalars(select(Road).where(Road.id.in_(ids)))}
