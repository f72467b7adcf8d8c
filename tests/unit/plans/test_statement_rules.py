"""The statement's pure arithmetic: measuring, pricing and carrying differences once."""

from decimal import Decimal as D

from inspection.plans.statements_rules import (
    NO_PRICE,
    Counted,
    Figure,
    Line,
    Price,
    Record,
    RepairRow,
    differences,
    month_figures,
    quantity_of,
)

G30, S21 = 1, 2
PRICES = {
    (G30, "shoulder"): Price("m2", D("20.00")),
    (None, "shoulder"): Price("m2", D("15.00")),
    (None, "pothole"): Price("site", D("300.00")),
}


def repair(rid, kind="shoulder", road=G30, area=None, count=None, cost=None):
    return RepairRow(rid, kind, road, area, count, None if cost is None else D(cost))


def test_quantity_in_the_plan_unit():
    assert quantity_of(repair(1, area=12.345), "m2") == D("12.35")
    assert quantity_of(repair(1), "m2") == D("0.00")
    assert quantity_of(repair(1, kind="pothole", count=3), "site") == D("3.00")
    assert quantity_of(repair(1, kind="pothole", area=2.0), "site") == D("1.00")


def test_month_lines_priced_by_road_then_branch_then_cost():
    repairs = [
        repair(1, area=100, cost="999"),  # G30: the road's price wins over its cost
        repair(2, road=S21, area=50),  # S21: the branch's price
        repair(3, kind="pothole", count=3),
        repair(4, kind="pothole", area=2.0),  # no count: one site
        repair(5, kind="slope", area=40, cost="1000"),
        repair(6, kind="slope", area=10, cost="500"),
        repair(7, kind="slope", road=S21, area=20),  # no price, no cost
        repair(8, kind="slope", road=S21, area=5, cost="80"),
    ]
    figures, lines = month_figures(repairs, PRICES)
    assert lines == [
        Line(G30, "pothole", "site", D("4.00"), D("300.00"), D("1200.00"), "plan_price"),
        Line(G30, "shoulder", "m2", D("100.00"), D("20.00"), D("2000.00"), "plan_price"),
        Line(G30, "slope", "m2", D("50.00"), None, D("1500.00"), "repair_cost"),
        Line(S21, "shoulder", "m2", D("50.00"), D("15.00"), D("750.00"), "plan_price"),
        Line(S21, "slope", "m2", D("25.00"), None, D("0.00"), "plan_price", note=NO_PRICE),
    ]
    assert figures[1] == Figure(G30, "shoulder", "m2", D("100.00"), D("2000.00"))
    assert figures[5].amount == D("1000.00")
    assert figures[8].amount == D("0.00")  # its line has no price: every repair counts 0


def test_unknown_repair_kinds_are_not_measured():
    figures, lines = month_figures([repair(1, kind="drainage", area=5)], PRICES)
    assert figures == {} and lines == []


MARCH, APRIL, MAY = 10, 11, 12  # statement ids; APRIL is the one built


def fig(quantity, amount, kind="shoulder", road=G30, unit="m2"):
    return Figure(road, kind, unit, D(quantity), D(amount))


def test_no_change_no_difference():
    counted = {1: Counted(MARCH, fig("100", "2000"))}
    assert differences(APRIL, counted, {1: Counted(MARCH, fig("100", "2000"))}) == ([], [])


def test_edited_voided_and_moved_repairs():
    counted = {
        1: Counted(MARCH, fig("100", "2000")),  # area changed to 120
        2: Counted(MARCH, fig("50", "750", road=S21)),  # voided
        3: Counted(MARCH, fig("3", "900", kind="pothole", unit="site")),  # moved to April
        4: Counted(MARCH, fig("10", "200")),  # moved to June (not frozen)
    }
    truth = {
        1: Counted(MARCH, fig("120", "2400")),
        2: None,
        3: Counted(APRIL, fig("3", "900", kind="pothole", unit="site")),
        4: None,
    }
    lines, records = differences(APRIL, counted, truth)
    assert lines == [
        Line(G30, "pothole", "site", D("-3"), None, D("-900"), "difference", MARCH),
        Line(G30, "shoulder", "m2", D("10"), None, D("200"), "difference", MARCH),
        Line(S21, "shoulder", "m2", D("-50"), None, D("-750"), "difference", MARCH),
    ]
    # Repair 3 is stored as one of April's repairs by the caller; no record here.
    assert records == [
        Record(1, fig("120", "2400"), MARCH),
        Record(2, fig("0.00", "0.00", road=S21), MARCH),
        Record(4, fig("0.00", "0.00"), MARCH),
    ]


def test_a_carried_difference_is_not_carried_again():
    # After April (confirmed) recorded repair 2 as 0 in March, May sees nothing more to carry.
    counted = {2: Counted(MARCH, fig("0.00", "0.00", road=S21)), 1: Counted(MARCH, fig("1", "20"))}
    assert differences(MAY, counted, {2: None, 1: Counted(MARCH, fig("1", "20"))}) == ([], [])


def test_late_entry_into_a_frozen_month_and_move_between_frozen_months():
    counted = {5: Counted(MARCH, fig("10", "200"))}
    truth = {
        4: Counted(MARCH, fig("10", "200")),  # entered late into March
        5: Counted(MAY, fig("10", "200")),  # moved from frozen March to frozen May
    }
    lines, records = differences(APRIL, counted, truth)
    # March: +10 (repair 4) −10 (repair 5) = 0 → no March line; May: +10.
    assert [(line.corrects, line.quantity, line.amount) for line in lines] == [
        (MAY, D("10"), D("200"))
    ]
    assert records == [Record(4, fig("10", "200"), MARCH), Record(5, fig("10", "200"), MAY)]
