"""The demo's emergency stock: two depots, a snow event ten days ago, shortfalls on the board."""

from datetime import date, timedelta
from decimal import Decimal

from inspection.demo import load_demo
from inspection.supplies import queries
from inspection.supplies.demo import MOVEMENTS, load_demo_supplies

TODAY = date(2026, 1, 22)


def test_the_demo_records_stock_around_a_snow_event(db_session):
    load_demo(db_session, today=TODAY)
    lines = {(s.site.name, s.item.name): s for s in queries.stock_lines(db_session)}
    assert lines["G312线道班", "融雪剂（工业盐）"].quantity == Decimal("18.00")
    assert lines["乌鲁木齐养护工区", "融雪剂（工业盐）"].quantity == Decimal("74.50")
    short = {(s.site.name, s.item.name): s.shortfall for s in queries.shortfalls(db_session)}
    assert short == {
        ("乌鲁木齐养护工区", "锥桶"): Decimal("8.00"),
        ("G312线道班", "融雪剂（工业盐）"): Decimal("12.00"),
        ("G312线道班", "砂石料"): Decimal("15.00"),
    }
    _, total = queries.find_movements(db_session, queries.MovementFilters())
    assert total == len(MOVEMENTS)
    # Before the snow the depots held their winter stores.
    before = {
        (s.site.name, s.item.name): s.quantity
        for s in queries.stock_lines(db_session, on=TODAY - timedelta(days=11))
    }
    assert before["G312线道班", "融雪剂（工业盐）"] == 40
    # Loading again records nothing twice.
    assert load_demo_supplies(db_session, TODAY) == 0
