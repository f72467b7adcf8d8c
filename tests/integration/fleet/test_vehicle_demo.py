"""The demo's vehicle register: every status, a sealing record, due and overdue units."""

from datetime import date

from sqlalchemy import select

from inspection.demo import load_demo
from inspection.fleet import service_events, vehicles
from inspection.fleet.demo import DEMO_VEHICLES, load_vehicles
from inspection.fleet.vehicle_queries import sealings
from inspection.patrols.models import Patrol

TODAY = date(2026, 6, 15)


def test_the_demo_has_units_in_every_status_and_a_board(db_session):
    load_demo(db_session, today=TODAY)
    assert vehicles.status_counts(db_session) == {
        "fit": 4,
        "defective": 1,
        "under_repair": 1,
        "sealed": 1,
        "scrapped": 1,
    }
    [sealed] = sealings(db_session, current_only=True)
    assert (sealed.number, sealed.place) == ("新A·B2288", "分局机修车间 2号库")
    assert len(sealings(db_session)) == 2  # the generator was sealed, then scrapped
    board = service_events.due_board(db_session, today=TODAY)
    assert board.overdue and board.due_soon
    assert "新A·B2288" not in {line.unit.number for line in board.overdue + board.due_soon}
    patrol = db_session.scalar(select(Patrol).where(Patrol.vehicle == "新A·H1234"))
    assert patrol is not None and patrol.fleet_vehicle.number == "新A·H1234"
    assert load_vehicles(db_session, TODAY) == []  # loading again adds nothing
    assert len(vehicles.list_vehicles(db_session)) == len(DEMO_VEHICLES)
