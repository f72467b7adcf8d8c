"""Emergency supplies: items, each depot's minimum of them, and the movements of stock.

A movement is applied under a row lock on its stock line (SELECT … FOR UPDATE), so two issues of
the last units never both pass; one that would take the stock below zero, now or at any later
end of day, is refused with a field message and nothing is written. The CHECK on
`supply_stocks.quantity` is the last guard, not the rule.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.errors import N_, NotFound, UuidTaken, ValidationError
from inspection.repairs.models import Repair
from inspection.sites.models import Site
from inspection.supplies import stock as levels
from inspection.supplies.models import SupplyItem, SupplyMovement, SupplyStock
from inspection.supplies.schemas import (
    ItemBody,
    ItemChangesBody,
    MovementBody,
    StockBody,
    to_quantity,
)

SOME_FIELDS = N_("Some fields are not valid.")
INT32_MAX = 2**31 - 1


@dataclass(frozen=True)
class Saved:
    """A movement and whether this call created it (False: its UUID was already stored)."""

    record: SupplyMovement
    created: bool


# --------------------------------------------------------------------------- look-ups


def get_item(session: Session, item_id: int) -> SupplyItem:
    """Return an item by id, or raise NotFound."""
    item = session.get(SupplyItem, item_id) if 0 < item_id <= INT32_MAX else None
    if item is None:
        raise NotFound(N_("There is no such supply item."))
    return item


def get_depot(session: Session, site_id: int) -> Site:
    """Return a site (any site may hold stock) by id, or raise NotFound."""
    site = session.get(Site, site_id) if 0 < site_id <= INT32_MAX else None
    if site is None:
        raise NotFound(N_("There is no such site."))
    return site


def _active_depot(session: Session, site_id: int) -> Site:
    site = session.get(Site, site_id)
    if site is None or not site.active:
        raise ValidationError(
            N_("Choose an active site to hold the stock."),
            fields={"site_id": N_("Choose the depot.")},
        )
    return site


def _active_item(session: Session, item_id: int) -> SupplyItem:
    item = session.get(SupplyItem, item_id)
    if item is None or not item.active:
        raise ValidationError(
            N_("Choose an active supply item."), fields={"item_id": N_("Choose the item.")}
        )
    return item


# --------------------------------------------------------------------------- items


def _check_name(session: Session, name: str, item: SupplyItem | None) -> None:
    taken = select(SupplyItem.id).where(func.lower(SupplyItem.name) == name.lower())
    if item is not None:
        taken = taken.where(SupplyItem.id != item.id)
    if session.scalar(taken.limit(1)) is not None:
        raise ValidationError(
            N_("There is already an item named %(name)s."),
            fields={"name": N_("Another item has this name.")},
            name=name,
        )


def _flush_item(session: Session, item: SupplyItem) -> SupplyItem:
    """Write an item; a name taken meanwhile by a concurrent request is a 422, not a 500."""
    try:
        with session.begin_nested():
            session.add(item)
            session.flush()
    except IntegrityError:
        raise ValidationError(
            N_("There is already an item named %(name)s."),
            fields={"name": N_("Another item has this name.")},
            name=item.name,
        ) from None
    return item


def create_item(session: Session, data: ItemBody, *, actor: User) -> SupplyItem:
    """Create an item with a name no other item has (letter case ignored) and its unit."""
    _check_name(session, data.name, None)
    return _flush_item(session, SupplyItem(name=data.name, unit=data.unit, active=True))


def update_item(
    session: Session, item: SupplyItem, data: ItemChangesBody, *, actor: User
) -> SupplyItem:
    """Rename an item, change its unit, deactivate or reactivate it.

    An item still held at some depot is not deactivated: it would vanish from the board with
    stock on the shelves. Write the stock off (or issue it) first.
    """
    if data.name is not None:
        _check_name(session, data.name, item)
    if data.active is False and item.active:
        held = session.scalar(
            select(func.count(SupplyStock.id)).where(
                SupplyStock.item_id == item.id, SupplyStock.quantity > 0
            )
        )
        if held:
            raise ValidationError(
                N_("%(count)s depots still hold %(name)s; issue or write it off first."),
                fields={"active": N_("Still in stock.")},
                count=held,
                name=item.name,
            )
    if data.name is not None:
        item.name = data.name
    if data.unit is not None:
        item.unit = data.unit
    if data.active is not None:
        item.active = data.active
    return _flush_item(session, item)


# --------------------------------------------------------------------------- stock lines


def _stock_line(session: Session, site_id: int, item_id: int) -> SupplyStock:
    """Return the depot's stock line of an item, made (quantity 0) on first use, locked.

    INSERT … ON CONFLICT DO NOTHING then SELECT … FOR UPDATE: two first movements at once
    make one line, and the second waits for the first to commit.
    """
    session.execute(
        insert(SupplyStock)
        .values(site_id=site_id, item_id=item_id, quantity=0, minimum=0)
        .on_conflict_do_nothing(index_elements=["site_id", "item_id"])
    )
    return _locked(session, site_id, item_id)


def _locked(session: Session, site_id: int, item_id: int) -> SupplyStock | None:
    return session.scalar(
        select(SupplyStock)
        .where(SupplyStock.site_id == site_id, SupplyStock.item_id == item_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def set_minimum(session: Session, data: StockBody, *, actor: User) -> SupplyStock:
    """Set the minimum a depot holds of an item (0: none), making the stock line if new."""
    _active_depot(session, data.site_id)
    _active_item(session, data.item_id)
    line = _stock_line(session, data.site_id, data.item_id)
    line.minimum = to_quantity(data.minimum)
    session.flush()
    return line


# --------------------------------------------------------------------------- movements


def _repair(session: Session, repair_uuid: uuid.UUID | None) -> Repair | None:
    if repair_uuid is None:
        return None
    repair = session.scalar(select(Repair).where(Repair.client_uuid == repair_uuid))
    if repair is None or repair.voided_at is not None:
        raise ValidationError(
            N_("There is no repair %(uuid)s (or it was voided)."),
            fields={"repair_uuid": N_("Not a repair.")},
            uuid=str(repair_uuid),
        )
    return repair


def _same(movement: SupplyMovement, data: MovementBody, actor: User, repair_id: int | None):
    stock = movement.stock
    return (
        movement.recorded_by_id == actor.id
        and stock.site_id == data.site_id
        and stock.item_id == data.item_id
        and movement.kind == data.kind
        and movement.quantity == to_quantity(data.quantity)
        and movement.on_date == data.on_date
        and movement.purpose == data.purpose
        and movement.repair_id == repair_id
        and movement.note == data.note
    )


def _replay(
    session: Session, data: MovementBody, actor: User, repair_id: int | None
) -> Saved | None:
    """Return the stored movement of this UUID if it is this one again; 409 if it is another."""
    stored = session.scalar(
        select(SupplyMovement).where(SupplyMovement.client_uuid == data.client_uuid)
    )
    if stored is None:
        return None
    if not _same(stored, data, actor, repair_id):
        raise UuidTaken(N_("This movement UUID already names a different movement."))
    return Saved(stored, False)


def _history(session: Session, stock_id: int) -> list[levels.Move]:
    """The stock line's movements summed per day and kind (enough for end-of-day levels)."""
    rows = session.execute(
        select(SupplyMovement.kind, func.sum(SupplyMovement.quantity), SupplyMovement.on_date)
        .where(SupplyMovement.stock_id == stock_id)
        .group_by(SupplyMovement.on_date, SupplyMovement.kind)
    )
    return [levels.Move(kind, quantity, day) for kind, quantity, day in rows]


def _refuse(refusal: levels.Refusal, line: SupplyStock, unit: str) -> None:
    if refusal.today:
        raise ValidationError(
            N_("Only %(quantity)s %(unit)s in stock; this would leave %(level)s."),
            fields={"quantity": N_("More than the stock.")},
            quantity=f"{line.quantity:f}",
            unit=unit,
            level=f"{refusal.level:f}",
        )
    raise ValidationError(
        N_(
            "On %(day)s the stock would have been %(level)s %(unit)s: later issues used what "
            "this movement takes. Record the missing receipt first, or date this one later."
        ),
        fields={
            "quantity": N_("More than the stock at a later date."),
            "on_date": N_("Later issues used this stock."),
        },
        day=refusal.day.isoformat(),
        level=f"{refusal.level:f}",
        unit=unit,
    )


def record_movement(session: Session, data: MovementBody, *, actor: User, today: date) -> Saved:
    """Record a movement once per client UUID and apply it to the depot's stock.

    `today` is the branch's local date: a movement may not be dated after it. A replay of the
    same UUID with the same content answers the stored movement; with other content, 409.
    """
    repair = _repair(session, data.repair_uuid)
    repair_id = repair.id if repair is not None else None
    replayed = _replay(session, data, actor, repair_id)
    if replayed is not None:
        return replayed
    if data.on_date > today:
        raise ValidationError(
            N_("The movement is dated after today (%(today)s)."),
            fields={"on_date": N_("In the future.")},
            today=today.isoformat(),
        )
    _active_depot(session, data.site_id)
    item = _active_item(session, data.item_id)
    quantity = to_quantity(data.quantity)
    if quantity <= 0:
        raise ValidationError(
            SOME_FIELDS, fields={"quantity": N_("The quantity must be more than 0.")}
        )
    change = levels.signed(data.kind, quantity)
    if change < 0:
        line = _locked(session, data.site_id, data.item_id)
        if line is None:  # nothing ever held here: no line is made for a refused issue
            raise ValidationError(
                N_("Only %(quantity)s %(unit)s in stock; this would leave %(level)s."),
                fields={"quantity": N_("More than the stock.")},
                quantity="0",
                unit=item.unit,
                level=f"{change:f}",
            )
        # The UUID again, under the lock: a concurrent retry may have committed meanwhile.
        replayed = _replay(session, data, actor, repair_id)
        if replayed is not None:
            return replayed
        new = levels.Move(data.kind, quantity, data.on_date)
        refusal = levels.check_new_move(_history(session, line.id), new, today)
        if refusal is None and line.quantity + change < 0:  # the kept figure disagrees
            refusal = levels.Refusal(today, line.quantity + change, True)
        if refusal is not None:
            _refuse(refusal, line, item.unit)
    else:
        line = _stock_line(session, data.site_id, data.item_id)
        replayed = _replay(session, data, actor, repair_id)
        if replayed is not None:
            return replayed
    movement = SupplyMovement(
        client_uuid=data.client_uuid,
        stock_id=line.id,
        kind=data.kind,
        quantity=quantity,
        on_date=data.on_date,
        purpose=data.purpose,
        repair_id=repair_id,
        note=data.note,
        recorded_by_id=actor.id,
    )
    try:
        with session.begin_nested():
            session.add(movement)
            session.flush()
            line.quantity = line.quantity + change
            session.flush()
    except IntegrityError as error:
        # Last resort: the UUID inserted by a request on another stock line, or the CHECK.
        if "client_uuid" in str(error.orig):
            replayed = _replay(session, data, actor, repair_id)
            if replayed is not None:
                return replayed
        if "quantity" in str(error.orig):
            raise ValidationError(
                N_("The stock cannot go below zero."),
                fields={"quantity": N_("More than the stock.")},
            ) from None
        raise
    return Saved(movement, True)
