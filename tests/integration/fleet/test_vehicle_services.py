"""The vehicle register's rules against the database: numbers, entry, edits, status changes,
service events, intervals, due dates and the 封存台账. Nothing is half-saved."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from inspection.errors import NotFound, ValidationError
from inspection.fleet import service_events, vehicles
from inspection.fleet.kinds import VehicleStatus
from inspection.fleet.models import Vehicle, VehicleService, VehicleStatusEvent
from inspection.fleet.service_events import ServiceInput
from inspection.fleet.status import StatusChange
from inspection.fleet.vehicle_queries import sealings
from inspection.fleet.vehicles import VehicleInput, input_of

from .conftest import DAY


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def fields_of(excinfo) -> dict:
    return excinfo.value.fields


def seal(db_session, vehicle, user, on=date(2026, 2, 1), **overrides):
    change = StatusChange(
        to_status=VehicleStatus(overrides.pop("to_status", "sealed")),
        on_date=on,
        reason=overrides.pop("reason", "冬季停用"),
        sealed_place=overrides.pop("sealed_place", "工区车库"),
        key_holder=overrides.pop("key_holder", "刘师傅"),
    )
    return vehicles.change_status(db_session, vehicle.id, change, user_id=user.id, today=DAY)


def test_a_unit_enters_with_its_first_status_event(db_session, make_vehicle, units):
    unit = make_vehicle("新A 12345", make_model="江铃", year=2021, department_id=units["机务科"].id)
    assert unit.number == "新A 12345" and unit.number_key == "新A12345"
    [event] = vehicles.status_history(db_session, unit.id)
    assert (event.from_status, event.to_status, event.on_date) == (None, "fit", date(2025, 1, 1))
    assert vehicles.status_counts(db_session)["fit"] == 1


@pytest.mark.parametrize("other", ["新A12345", "新A 12345", "新a-12345", "新A·12345", " 新A12345 "])
def test_a_duplicate_plate_is_refused_whatever_its_spacing(db_session, make_vehicle, other):
    make_vehicle("新A12345")
    before = count(db_session, VehicleStatusEvent)
    with pytest.raises(ValidationError) as excinfo:
        make_vehicle(other)
    assert list(fields_of(excinfo)) == ["number"]
    assert count(db_session, Vehicle) == 1 and count(db_session, VehicleStatusEvent) == before


def test_entry_refuses_sealed_and_scrapped_and_bad_fields(db_session, make_vehicle, units):
    with pytest.raises(ValidationError) as excinfo:
        make_vehicle("新A22222", status="sealed")
    assert "then seal it" in fields_of(excinfo)["status"]
    with pytest.raises(ValidationError) as excinfo:
        make_vehicle("新A22222", status="scrapped")
    assert "status" in fields_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        make_vehicle(
            " - ",
            registered_on=date(2026, 3, 2),
            year=2030,
            department_id=units["旧车队"].id,
            kind="tank",
        )
    assert set(fields_of(excinfo)) == {"number", "registered_on", "year", "department_id", "kind"}
    assert count(db_session, Vehicle) == 0 and count(db_session, VehicleStatusEvent) == 0


def test_a_unit_may_be_entered_defective(db_session, make_vehicle):
    unit = make_vehicle("ZL-03", kind="loader", status="defective")
    assert unit.status == "defective"
    assert vehicles.status_history(db_session, unit.id)[0].to_status == "defective"


def test_an_edit_changes_particulars_and_moves_the_register_day(db_session, make_vehicle, units):
    unit = make_vehicle("新A12345", department_id=units["机务科"].id)
    other = make_vehicle("新A54321")
    department = units["机务科"]
    department.active = False  # deactivated since: the unit keeps it
    data = VehicleInput(
        **{**input_of(unit).__dict__, "make_model": "长城", "registered_on": date(2024, 12, 1)}
    )
    vehicles.update_vehicle(db_session, unit, data, today=DAY)
    assert unit.make_model == "长城" and unit.department_id == department.id
    assert vehicles.status_history(db_session, unit.id)[0].on_date == date(2024, 12, 1)
    with pytest.raises(ValidationError) as excinfo:
        vehicles.update_vehicle(
            db_session,
            other,
            VehicleInput(**{**input_of(other).__dict__, "number": "新A-12345"}),
            today=DAY,
        )
    assert fields_of(excinfo) == {"number": "Another unit has this plate or fleet number."}
    db_session.refresh(other)
    assert other.number == "新A54321"


def test_the_register_day_cannot_pass_the_first_status_change(db_session, make_vehicle, officer):
    unit = make_vehicle()
    seal(db_session, unit, officer[0], on=date(2025, 6, 1))
    data = VehicleInput(**{**input_of(unit).__dict__, "registered_on": date(2025, 7, 1)})
    with pytest.raises(ValidationError) as excinfo:
        vehicles.update_vehicle(db_session, unit, data, today=DAY)
    assert "registered_on" in fields_of(excinfo)


def test_sealing_needs_its_record_and_appears_in_the_register(db_session, make_vehicle, officer):
    user = officer[0]
    unit = make_vehicle()
    with pytest.raises(ValidationError) as excinfo:
        seal(db_session, unit, user, sealed_place="  ", key_holder=None)
    assert set(fields_of(excinfo)) == {"sealed_place", "key_holder"}
    assert count(db_session, VehicleStatusEvent) == 1
    seal(db_session, unit, user)
    [current] = sealings(db_session, current_only=True)
    assert (current.number, current.place, current.key_holder, current.reason) == (
        "新A12345",
        "工区车库",
        "刘师傅",
        "冬季停用",
    )
    assert current.sealed_on == date(2026, 2, 1) and current.current
    vehicles.change_status(
        db_session,
        unit.id,
        StatusChange(VehicleStatus.fit, date(2026, 2, 20), "春季启用"),
        user_id=user.id,
        today=DAY,
    )
    assert sealings(db_session, current_only=True) == []
    [past] = sealings(db_session)
    assert (past.ended_on, past.ended_to) == (date(2026, 2, 20), "fit")


@pytest.mark.parametrize(
    ("path", "to", "field"),
    [
        (["scrapped"], "fit", "to_status"),
        ([], "fit", "to_status"),  # fit → fit is no change
        (["under_repair"], "sealed", "to_status"),
    ],
)
def test_an_unknown_status_change_is_refused(db_session, make_vehicle, officer, path, to, field):
    user = officer[0]
    unit = make_vehicle()
    for step in path:
        vehicles.change_status(
            db_session,
            unit.id,
            StatusChange(VehicleStatus(step), date(2026, 1, 10)),
            user_id=user.id,
            today=DAY,
        )
    before = count(db_session, VehicleStatusEvent)
    with pytest.raises(ValidationError) as excinfo:
        vehicles.change_status(
            db_session,
            unit.id,
            StatusChange(VehicleStatus(to), date(2026, 2, 1), sealed_place="库", key_holder="刘"),
            user_id=user.id,
            today=DAY,
        )
    assert field in fields_of(excinfo)
    assert count(db_session, VehicleStatusEvent) == before


def test_a_status_change_in_the_future_or_before_the_last_is_refused(
    db_session, make_vehicle, officer
):
    user = officer[0]
    unit = make_vehicle()
    vehicles.change_status(
        db_session,
        unit.id,
        StatusChange(VehicleStatus.defective, date(2026, 2, 1)),
        user_id=user.id,
        today=DAY,
    )
    for day in (date(2026, 3, 2), date(2026, 1, 31), date(2024, 1, 1)):
        with pytest.raises(ValidationError) as excinfo:
            vehicles.change_status(
                db_session,
                unit.id,
                StatusChange(VehicleStatus.fit, day),
                user_id=user.id,
                today=DAY,
            )
        assert "on_date" in fields_of(excinfo)
    with pytest.raises(NotFound):
        vehicles.change_status(
            db_session, 999999, StatusChange(VehicleStatus.fit, DAY), user_id=user.id, today=DAY
        )


def service(db_session, unit, user, kind="maintenance", on=date(2026, 1, 15), **fields):
    data = ServiceInput(kind=kind, on_date=on, **fields)
    return service_events.record_service(db_session, unit.id, data, user_id=user.id, today=DAY)


def test_service_events_and_their_rules(db_session, make_vehicle, officer):
    user = officer[0]
    unit = make_vehicle(year=2021)
    repair = service(db_session, unit, user, "repair", cost_yuan=Decimal("1250.50"), parts="刹车片")
    assert repair.cost_yuan == Decimal("1250.50") and repair.passed is None
    bad = [
        ({"on": date(2026, 3, 2)}, "on_date"),
        ({"on": date(2020, 12, 31)}, "on_date"),
        ({"cost_yuan": Decimal("-1")}, "cost_yuan"),
        ({"kind": "annual_inspection"}, "passed"),
        ({"kind": "insurance", "passed": True}, "passed"),
    ]
    for fields, field in bad:
        with pytest.raises(ValidationError) as excinfo:
            service(db_session, unit, user, **fields)
        assert field in fields_of(excinfo), fields
    assert count(db_session, VehicleService) == 1


def test_a_scrapped_unit_gets_no_service_events(db_session, make_vehicle, officer):
    user = officer[0]
    unit = make_vehicle()
    vehicles.change_status(
        db_session,
        unit.id,
        StatusChange(VehicleStatus.scrapped, date(2026, 1, 2)),
        user_id=user.id,
        today=DAY,
    )
    with pytest.raises(ValidationError) as excinfo:
        service(db_session, unit, user)
    assert "kind" in fields_of(excinfo)


def test_next_due_counts_from_the_last_event_and_the_last_passed_inspection(
    db_session, make_vehicle, officer
):
    user = officer[0]
    unit = make_vehicle(registered_on=date(2025, 1, 1))
    service(db_session, unit, user, "maintenance", on=date(2026, 1, 10))
    service(db_session, unit, user, "annual_inspection", on=date(2025, 3, 1), passed=True)
    service(db_session, unit, user, "annual_inspection", on=date(2026, 2, 27), passed=False)
    due = {d.service_kind: d for d in service_events.due_dates_of(db_session, unit)}
    assert due["maintenance"].due_on == date(2026, 3, 11)  # 60 days for a patrol vehicle
    assert due["annual_inspection"].due_on == date(2026, 3, 1)  # the failed one does not count
    assert due["insurance"].due_on == date(2026, 1, 1) and due["insurance"].last_on is None
    service_events.set_intervals(db_session, {("patrol_vehicle", "maintenance"): 30})
    due = {d.service_kind: d for d in service_events.due_dates_of(db_session, unit)}
    assert due["maintenance"].due_on == date(2026, 2, 9)
    with pytest.raises(ValidationError) as excinfo:
        service_events.set_intervals(
            db_session, {("patrol_vehicle", "insurance"): 0, ("truck", "repair"): 10}
        )
    assert set(fields_of(excinfo)) == {"patrol_vehicle__insurance", "truck__repair"}
    assert service_events.intervals(db_session)[("patrol_vehicle", "insurance")] == 365


def test_the_board_leaves_out_sealed_and_scrapped_units(db_session, make_vehicle, officer):
    user = officer[0]
    running = make_vehicle("新A00001", registered_on=date(2025, 1, 1))
    sealed = make_vehicle("新A00002", registered_on=date(2025, 1, 1))
    scrapped = make_vehicle("新A00003", registered_on=date(2025, 1, 1))
    soon = make_vehicle("新A00004", kind="truck", registered_on=date(2025, 3, 20))
    seal(db_session, sealed, user)
    vehicles.change_status(
        db_session,
        scrapped.id,
        StatusChange(VehicleStatus.scrapped, date(2026, 1, 2)),
        user_id=user.id,
        today=DAY,
    )
    board = service_events.due_board(db_session, today=DAY)
    assert {line.unit.id for line in board.overdue} == {running.id, soon.id}
    # The truck: maintenance every 90 days from 2025-03-20 was due 2025-06-18 (overdue);
    # annual inspection and insurance fall due 2026-03-20, within 30 days.
    assert [(line.unit.id, line.due.service_kind) for line in board.due_soon] == [
        (soon.id, "annual_inspection"),
        (soon.id, "insurance"),
    ]
    assert board.due_soon[0].days_left == 19
    only = service_events.due_board(db_session, today=DAY, service_kind="insurance", kind="truck")
    assert [line.unit.id for line in only.due_soon] == [soon.id] and only.overdue == []
