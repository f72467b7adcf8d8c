"""Supply services: items, minimums, movements under the rules (never below zero, idempotent)."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from inspection.errors import NotFound, UuidTaken, ValidationError
from inspection.supplies import queries, services
from inspection.supplies import stock as levels
from inspection.supplies.models import SupplyMovement, SupplyStock
from inspection.supplies.schemas import ItemBody, ItemChangesBody, MovementBody, StockBody

TODAY = date(2026, 1, 31)
SALT = "融雪剂（工业盐）"


@pytest.fixture
def actor(make_user):
    return make_user("machinery")


def move(depot, item, kind, quantity, on_date, **extra) -> MovementBody:
    return MovementBody(
        client_uuid=extra.pop("client_uuid", uuid.uuid4()),
        site_id=depot.id,
        item_id=item.id,
        kind=kind,
        quantity=quantity,
        on_date=on_date,
        **extra,
    )


def counts(db_session) -> tuple[int, int]:
    return (
        db_session.scalar(select(func.count(SupplyMovement.id))),
        db_session.scalar(select(func.count(SupplyStock.id))),
    )


def level(db_session, depot, item) -> Decimal:
    return db_session.scalar(
        select(SupplyStock.quantity).where(
            SupplyStock.site_id == depot.id, SupplyStock.item_id == item.id
        )
    )


def record(db_session, actor, body, today=TODAY):
    return services.record_movement(db_session, body, actor=actor, today=today)


# --------------------------------------------------------------------------- items


def test_items_are_created_with_unique_names_and_edited(db_session, actor, items):
    item = services.create_item(db_session, ItemBody(name="防滑砂", unit="立方米"), actor=actor)
    assert (item.name, item.unit, item.active) == ("防滑砂", "立方米", True)
    with pytest.raises(ValidationError) as error:
        services.create_item(db_session, ItemBody(name="防滑砂", unit="吨"), actor=actor)
    assert error.value.fields == {"name": "Another item has this name."}
    with pytest.raises(ValidationError):
        services.create_item(db_session, ItemBody(name="sandbag", unit="个"), actor=actor)
        services.create_item(db_session, ItemBody(name="SANDBAG", unit="个"), actor=actor)
    with pytest.raises(ValidationError):
        services.update_item(db_session, item, ItemChangesBody(name=SALT), actor=actor)
    services.update_item(db_session, item, ItemChangesBody(unit="吨"), actor=actor)
    assert (item.name, item.unit) == ("防滑砂", "吨")


def test_an_item_in_stock_is_not_deactivated(db_session, actor, depots, items):
    salt, depot = items[SALT], depots["乌鲁木齐养护工区"]
    record(db_session, actor, move(depot, salt, "received", 10, date(2026, 1, 2)))
    with pytest.raises(ValidationError) as error:
        services.update_item(db_session, salt, ItemChangesBody(active=False), actor=actor)
    assert "active" in error.value.fields
    record(db_session, actor, move(depot, salt, "written_off", 10, date(2026, 1, 3)))
    services.update_item(db_session, salt, ItemChangesBody(active=False), actor=actor)
    assert salt.active is False
    # No new movement for an inactive item; it leaves the board.
    with pytest.raises(ValidationError) as error:
        record(db_session, actor, move(depot, salt, "received", 1, date(2026, 1, 4)))
    assert "item_id" in error.value.fields
    assert queries.stock_lines(db_session, item_id=salt.id) == []


def test_get_item_and_depot_refuse_unknown_ids(db_session):
    with pytest.raises(NotFound):
        services.get_item(db_session, 2**40)
    with pytest.raises(NotFound):
        services.get_depot(db_session, 0)


# --------------------------------------------------------------------------- minimums


def test_a_minimum_makes_the_stock_line_and_is_changed(db_session, actor, depots, items):
    depot, salt = depots["G312线道班"], items[SALT]
    line = services.set_minimum(
        db_session, StockBody(site_id=depot.id, item_id=salt.id, minimum=50), actor=actor
    )
    assert (line.quantity, line.minimum) == (0, 50)
    services.set_minimum(
        db_session, StockBody(site_id=depot.id, item_id=salt.id, minimum=30.555), actor=actor
    )
    assert level(db_session, depot, salt) == 0
    assert line.minimum == Decimal("30.56")
    assert counts(db_session)[1] == 1
    [short] = queries.shortfalls(db_session)
    assert (short.site.id, short.item.id, short.shortfall) == (depot.id, salt.id, Decimal("30.56"))


# --------------------------------------------------------------------------- movements


def test_movements_change_the_stock(db_session, actor, depots, items):
    depot, salt = depots["乌鲁木齐养护工区"], items[SALT]
    saved = record(db_session, actor, move(depot, salt, "received", 100, date(2026, 1, 2)))
    assert saved.created
    record(db_session, actor, move(depot, salt, "issued", 40.25, date(2026, 1, 12), purpose="暴雪"))
    record(db_session, actor, move(depot, salt, "returned", 5, date(2026, 1, 14)))
    record(db_session, actor, move(depot, salt, "written_off", 0.75, date(2026, 1, 14)))
    assert level(db_session, depot, salt) == Decimal("64.00")


def test_an_issue_beyond_the_stock_is_refused_and_nothing_is_saved(
    db_session, actor, depots, items
):
    depot, salt = depots["乌鲁木齐养护工区"], items[SALT]
    record(db_session, actor, move(depot, salt, "received", 10, date(2026, 1, 2)))
    before = counts(db_session)
    with pytest.raises(ValidationError) as error:
        record(db_session, actor, move(depot, salt, "issued", 10.01, date(2026, 1, 3)))
    assert error.value.fields == {"quantity": "More than the stock."}
    assert counts(db_session) == before
    assert level(db_session, depot, salt) == 10


def test_an_issue_from_a_depot_that_never_held_the_item_makes_no_line(
    db_session, actor, depots, items
):
    with pytest.raises(ValidationError) as error:
        record(
            db_session,
            actor,
            move(depots["柴窝堡收费站"], items["锥桶"], "issued", 1, date(2026, 1, 3)),
        )
    assert "quantity" in error.value.fields
    assert counts(db_session) == (0, 0)


def test_a_backdated_issue_that_later_issues_used_is_refused(db_session, actor, depots, items):
    depot, salt = depots["乌鲁木齐养护工区"], items[SALT]
    record(db_session, actor, move(depot, salt, "received", 10, date(2026, 1, 1)))
    record(db_session, actor, move(depot, salt, "issued", 10, date(2026, 1, 10)))
    record(db_session, actor, move(depot, salt, "received", 10, date(2026, 1, 20)))
    with pytest.raises(ValidationError) as error:
        record(db_session, actor, move(depot, salt, "issued", 5, date(2026, 1, 5)))
    assert set(error.value.fields) == {"quantity", "on_date"}
    assert error.value.params["day"] == "2026-01-10"
    # The same issue dated after the receipt is fine, and so is a backdated receipt.
    record(db_session, actor, move(depot, salt, "issued", 5, date(2026, 1, 21)))
    record(db_session, actor, move(depot, salt, "received", 3, date(2026, 1, 4)))
    assert level(db_session, depot, salt) == 8


def test_a_movement_dated_after_today_is_refused(db_session, actor, depots, items):
    body = move(depots["G312线道班"], items[SALT], "received", 1, TODAY + timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        record(db_session, actor, body)
    assert error.value.fields == {"on_date": "In the future."}
    assert counts(db_session) == (0, 0)


def test_an_inactive_site_holds_no_new_stock(db_session, actor, depots, items):
    depot = depots["G312线道班"]
    depot.active = False
    with pytest.raises(ValidationError) as error:
        record(db_session, actor, move(depot, items[SALT], "received", 1, TODAY))
    assert "site_id" in error.value.fields


def test_a_repair_named_must_exist(db_session, actor, depots, items):
    body = move(depots["G312线道班"], items[SALT], "received", 1, TODAY, repair_uuid=uuid.uuid4())
    with pytest.raises(ValidationError) as error:
        record(db_session, actor, body)
    assert error.value.fields == {"repair_uuid": "Not a repair."}


def test_a_replay_answers_the_stored_movement_and_other_content_is_409(
    db_session, actor, make_user, depots, items
):
    depot, salt = depots["乌鲁木齐养护工区"], items[SALT]
    body = move(depot, salt, "received", 12.5, date(2026, 1, 2), purpose="冬储")
    first = record(db_session, actor, body)
    again = record(db_session, actor, body)
    assert (first.created, again.created, again.record.id) == (True, False, first.record.id)
    assert level(db_session, depot, salt) == Decimal("12.50")
    changed = move(depot, salt, "received", 13, date(2026, 1, 2), client_uuid=body.client_uuid)
    with pytest.raises(UuidTaken):
        record(db_session, actor, changed)
    with pytest.raises(UuidTaken):
        record(db_session, make_user("manager"), body)
    assert counts(db_session) == (1, 1)


# --------------------------------------------------------------------------- stock at a date


def test_stock_at_a_date_in_sql_agrees_with_the_pure_sum(db_session, actor, depots, items):
    depot, salt = depots["乌鲁木齐养护工区"], items[SALT]
    plan = [
        ("received", "100", date(2025, 10, 20)),
        ("received", "50", date(2025, 12, 1)),
        ("issued", "80", date(2026, 1, 12)),
        ("returned", "5.5", date(2026, 1, 14)),
        ("written_off", "0.5", date(2026, 1, 14)),
        ("issued", "60", date(2026, 1, 20)),
    ]
    for kind, quantity, day in plan:
        record(db_session, actor, move(depot, salt, kind, float(quantity), day))
    moves = [levels.Move(kind, Decimal(q), day) for kind, q, day in plan]
    line_id = db_session.scalar(select(SupplyStock.id).where(SupplyStock.site_id == depot.id))
    day = date(2025, 10, 1)
    while day <= TODAY:
        expected = levels.stock_at(moves, day)
        assert queries.stock_at(db_session, day, [line_id]).get(line_id, 0) == expected, day
        [line] = queries.stock_lines(db_session, site_id=depot.id, on=day)
        assert line.quantity == expected
        day += timedelta(days=1)
    # The kept quantity is the level today.
    assert level(db_session, depot, salt) == levels.stock_at(moves, TODAY) == Decimal("15.00")


def test_depots_come_first_among_stock_holders(db_session, depots):
    names = [s.name for s in queries.list_holders(db_session)]
    assert names.index("G312线道班") < names.index("柴窝堡收费站")
    assert names.index("乌鲁木齐养护工区") < names.index("柴窝堡收费站")
