# ruff: noqa: F811 - the fixtures imported from test_statements are used as arguments
"""A build measures again only what changed since the confirmed statements counted it.

Each record keeps the repair's updated_at as measured (migration 0020). These tests check the
cases where the figure of a repair that was not itself edited changes (a neighbour's edit on a
line priced from the repairs' own costs), that an edit changing no figure is checked once and
then left alone, and that records of unknown version (made before 0020) are measured again.
"""

from datetime import date

import pytest
from sqlalchemy import select, update

from inspection.plans import statement_changes, statements
from inspection.plans.models import StatementRepair
from tests.integration.plans.test_statements import (  # noqa: F401  (fixtures too)
    build,
    confirm,
    lines_of,
    make_repair,
    manager,
    march,
    plan,
    road_label,
)


@pytest.fixture(autouse=True)
def _read_in_english(english):
    """These tests read the messages in English."""


def changed_since_confirmed(db_session, month: int) -> set[int]:
    statement = statements.find_statement(db_session, 2026, month)
    return statement_changes.changed_repairs(db_session, statement.id if statement else 0)[0]


def test_a_neighbours_edit_changes_a_line_priced_from_costs(
    client, db_session, manager, roads, march
):
    headers = manager[1]
    build(client, headers, 3)
    confirm(client, headers, 3)
    # G30 slope has no plan price: March counted e (1000) and f (500) by their own costs. Once
    # f has no cost, the line is no longer priced from costs: e counts 0 too, unedited.
    march["f"].cost_yuan = None
    db_session.flush()
    assert changed_since_confirmed(db_session, 4) == {march["f"].id}

    april = build(client, headers, 4)
    assert lines_of(april, "differences") == [
        (road_label(roads, "G30"), "slope", "m2", 0.0, None, -1500.0, "difference", 3)
    ]
    confirm(client, headers, 4)
    may = build(client, headers, 5)
    assert may["differences"] == []


def test_an_edit_that_changes_no_figure_is_checked_once(client, db_session, manager, march):
    headers = manager[1]
    build(client, headers, 3)
    confirm(client, headers, 3)
    march["a"].note = "补拍照片"
    db_session.flush()
    assert changed_since_confirmed(db_session, 4) == {march["a"].id}

    april = build(client, headers, 4)
    assert april["differences"] == []
    # The build found March's record still right and noted the version it checked.
    assert changed_since_confirmed(db_session, 4) == set()
    record = db_session.scalars(
        select(StatementRepair).where(StatementRepair.repair_id == march["a"].id)
    ).one()
    assert record.repair_updated_at == march["a"].updated_at
    assert record.quantity == 100


def test_records_of_unknown_version_are_measured_again(client, db_session, manager, march):
    headers = manager[1]
    build(client, headers, 3)
    confirm(client, headers, 3)
    db_session.execute(update(StatementRepair).values(repair_updated_at=None))
    db_session.expire_all()
    counted = {r.id for k, r in march.items() if k not in ("h", "i")}
    assert changed_since_confirmed(db_session, 4) == counted

    assert build(client, headers, 4)["differences"] == []
    assert changed_since_confirmed(db_session, 4) == set()


def test_a_late_entry_into_a_frozen_month_is_carried(
    client, db_session, manager, roads, march, make_repair
):
    headers = manager[1]
    build(client, headers, 3)
    confirm(client, headers, 3)
    late = make_repair("shoulder", "G30", date(2026, 3, 25), area=10)  # entered after
    april = build(client, headers, 4)
    assert lines_of(april, "differences") == [
        (road_label(roads, "G30"), "shoulder", "m2", 10.0, None, 200.0, "difference", 3)
    ]
    assert changed_since_confirmed(db_session, 5) == set()
    confirm(client, headers, 4)
    assert late.id not in changed_since_confirmed(db_session, 5)
    assert build(client, headers, 5)["differences"] == []
