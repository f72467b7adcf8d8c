"""Read-only queries of the emergency supplies: the board, stock at a date, movement history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, joinedload

from inspection.repairs.models import Repair
from inspection.sites.kinds import SiteKind
from inspection.sites.models import Site
from inspection.supplies import stock as levels
from inspection.supplies.kinds import MOVEMENT_SIGN, MovementKind
from inspection.supplies.models import SupplyItem, SupplyMovement, SupplyStock

# Depots first in every list of stock holders, then the workshop, then the other sites.
_HOLDER_ORDER = case(
    (Site.kind == SiteKind.maintenance_depot.value, 0),
    (Site.kind == SiteKind.machinery_workshop.value, 1),
    else_=2,
)
SIGNED = (
    case(
        *((SupplyMovement.kind == kind.value, sign) for kind, sign in MOVEMENT_SIGN.items()),
        else_=0,
    )
    * SupplyMovement.quantity
)


def list_items(session: Session, *, active: bool | None = True) -> list[SupplyItem]:
    """Return the items by name (active ones first when all are asked for)."""
    query = select(SupplyItem).order_by(SupplyItem.active.desc(), SupplyItem.name)
    if active is not None:
        query = query.where(SupplyItem.active.is_(active))
    return list(session.scalars(query))


def list_holders(session: Session) -> list[Site]:
    """Return the active sites that may hold stock: depots first, then by name."""
    return list(
        session.scalars(
            select(Site).where(Site.active.is_(True)).order_by(_HOLDER_ORDER, Site.name, Site.id)
        )
    )


@dataclass(frozen=True)
class StockLine:
    """One depot's stock of one item: the level (now or at a date) and its minimum."""

    site: Site
    item: SupplyItem
    quantity: Decimal
    minimum: Decimal

    @property
    def below_minimum(self) -> bool:
        return levels.below_minimum(self.quantity, self.minimum)

    @property
    def shortfall(self) -> Decimal:
        return levels.shortfall(self.quantity, self.minimum)


def _stock_query(site_id: int | None, item_id: int | None) -> Select:
    query = (
        select(SupplyStock)
        .join(SupplyStock.site)
        .join(SupplyStock.item)
        .where(Site.active.is_(True), SupplyItem.active.is_(True))
        .options(joinedload(SupplyStock.site), joinedload(SupplyStock.item))
        .order_by(_HOLDER_ORDER, Site.name, Site.id, SupplyItem.name)
    )
    if site_id is not None:
        query = query.where(SupplyStock.site_id == site_id)
    if item_id is not None:
        query = query.where(SupplyStock.item_id == item_id)
    return query


def stock_lines(
    session: Session,
    *,
    site_id: int | None = None,
    item_id: int | None = None,
    on: date | None = None,
    below_only: bool = False,
) -> list[StockLine]:
    """Return the stock lines of active sites and items; with `on`, the levels at its end.

    The current level is the kept `quantity`; a past level is the SQL sum of the movements up
    to that day (`stock_at`), the same figure the pure `stock.stock_at` gives.
    """
    stocks = list(session.scalars(_stock_query(site_id, item_id)))
    past = stock_at(session, on, [s.id for s in stocks]) if on is not None else {}
    lines = [
        StockLine(
            s.site, s.item, past.get(s.id, levels.ZERO) if on is not None else s.quantity, s.minimum
        )
        for s in stocks
    ]
    return [line for line in lines if line.below_minimum] if below_only else lines


def stock_at(session: Session, day: date, stock_ids: list[int] | None = None) -> dict[int, Decimal]:
    """Return {stock line id: level at the end of `day`}, summed by the database."""
    query = (
        select(SupplyMovement.stock_id, func.sum(SIGNED))
        .where(SupplyMovement.on_date <= day)
        .group_by(SupplyMovement.stock_id)
    )
    if stock_ids is not None:
        query = query.where(SupplyMovement.stock_id.in_(stock_ids))
    return {stock_id: Decimal(total) for stock_id, total in session.execute(query)}


def shortfalls(session: Session) -> list[StockLine]:
    """Return the stock lines below their minimum, depots first."""
    return stock_lines(session, below_only=True)


def by_depot(lines: list[StockLine]) -> list[tuple[Site, list[StockLine]]]:
    """Group stock lines by their site, keeping the order."""
    groups: dict[int, tuple[Site, list[StockLine]]] = {}
    for line in lines:
        groups.setdefault(line.site.id, (line.site, []))[1].append(line)
    return list(groups.values())


# --------------------------------------------------------------------------- movements


@dataclass(frozen=True)
class MovementFilters:
    site_id: int | None = None
    item_id: int | None = None
    kind: str | None = None
    since: date | None = None
    until: date | None = None


def _movements(filters: MovementFilters) -> Select:
    query = select(SupplyMovement).join(SupplyMovement.stock)
    if filters.site_id is not None:
        query = query.where(SupplyStock.site_id == filters.site_id)
    if filters.item_id is not None:
        query = query.where(SupplyStock.item_id == filters.item_id)
    if filters.kind is not None:
        query = query.where(SupplyMovement.kind == filters.kind)
    if filters.since is not None:
        query = query.where(SupplyMovement.on_date >= filters.since)
    if filters.until is not None:
        query = query.where(SupplyMovement.on_date <= filters.until)
    return query


def find_movements(
    session: Session, filters: MovementFilters, *, page: int = 1, per_page: int | None = 50
) -> tuple[list[SupplyMovement], int]:
    """Return one page of the movements, newest first, and how many match in all."""
    query = _movements(filters)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = query.options(
        joinedload(SupplyMovement.stock).joinedload(SupplyStock.site),
        joinedload(SupplyMovement.stock).joinedload(SupplyStock.item),
        joinedload(SupplyMovement.recorded_by),
    ).order_by(SupplyMovement.on_date.desc(), SupplyMovement.id.desc())
    if per_page is not None:
        rows = rows.limit(per_page).offset((page - 1) * per_page)
    return list(session.scalars(rows)), total or 0


def repair_uuids(session: Session, movements: list[SupplyMovement]) -> dict[int, str]:
    """Return {repair id: its UUID} for the repairs these movements went to."""
    ids = {m.repair_id for m in movements if m.repair_id is not None}
    if not ids:
        return {}
    rows = session.execute(select(Repair.id, Repair.client_uuid).where(Repair.id.in_(ids)))
    return {repair_id: str(client_uuid) for repair_id, client_uuid in rows}


def recent_repairs(session: Session, limit: int = 50) -> list[Repair]:
    """Return the latest repairs not voided (a movement may name the one it went to)."""
    return list(
        session.scalars(
            select(Repair)
            .where(Repair.voided_at.is_(None))
            .options(joinedload(Repair.road))
            .order_by(Repair.completed_on.desc(), Repair.id.desc())
            .limit(limit)
        )
    )


# --------------------------------------------------------------------------- JSON shapes


def number(value: Decimal) -> float | int:
    """A Numeric(14, 2) as a JSON number (whole numbers without a fraction)."""
    return int(value) if value == value.to_integral_value() else float(value)


def item_dict(item: SupplyItem) -> dict:
    return {"id": item.id, "name": item.name, "unit": item.unit, "active": item.active}


def site_ref(site: Site) -> dict:
    return {"id": site.id, "name": site.name, "kind": site.kind}


def stock_dict(line: StockLine) -> dict:
    return {
        "site": site_ref(line.site),
        "item": item_dict(line.item),
        "quantity": number(line.quantity),
        "minimum": number(line.minimum),
        "below_minimum": line.below_minimum,
        "shortfall": number(line.shortfall),
    }


def line_of(stock: SupplyStock) -> StockLine:
    return StockLine(stock.site, stock.item, stock.quantity, stock.minimum)


def movement_dict(movement: SupplyMovement, repairs: dict[int, str] | None = None) -> dict:
    """A movement as JSON; `repairs` is `repair_uuids` of the movements shown."""
    stock = movement.stock
    repair = (repairs or {}).get(movement.repair_id) if movement.repair_id is not None else None
    return {
        "uuid": str(movement.client_uuid),
        "site": site_ref(stock.site),
        "item": item_dict(stock.item),
        "kind": movement.kind,
        "quantity": number(movement.quantity),
        "signed_quantity": number(levels.signed(movement.kind, movement.quantity)),
        "on_date": movement.on_date.isoformat(),
        "purpose": movement.purpose,
        "repair_uuid": repair,
        "note": movement.note,
        "recorded_by": movement.recorded_by.username,
        "recorded_at": movement.recorded_at.isoformat() if movement.recorded_at else None,
    }


MOVEMENT_KINDS = tuple(k.value for k in MovementKind)
