"""Importing a fleet list into the register: per-line report, all or nothing, updates, patrols."""

from datetime import date

import pytest
from sqlalchemy import func, select

from inspection.errors import ValidationError
from inspection.fleet import importing
from inspection.fleet.import_services import IMPORT_REASON, import_fleet
from inspection.fleet.models import Vehicle, VehicleStatusEvent
from inspection.patrols.models import Patrol
from tests.integration.tracks.coverage_helpers import local, patrol

TODAY = date(2026, 12, 1)
AS_OF = date(2026, 11, 30)
HEADER = "车牌号/编号,类型,品牌型号,出厂年份,所属部门,用途,状态,登记日期,封存地点,钥匙保管人,备注"
GOOD = [
    HEADER,
    "新A12345,巡查车,江铃 域虎,2019,机务科,生产,完好,2019-05-06,,,",
    "新A22222,货车,东风,2016,机务科,生产,待修,2016-03-01,,,",
    "装载机-03,装载机,柳工 ZL50CN,2012,机务科,生产,封存,2012-09-01,机务车间1号库,张建国,冬季停用",
    "发电机-1,发电机,,2008,,非生产,报废,,,,",
]


def csv(lines, encoding="utf-8-sig") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def run(db_session, user, lines, *, check_only=False, as_of=AS_OF, encoding="utf-8-sig"):
    parsed = importing.read_upload(csv(lines, encoding), "fleet.csv", today=TODAY)
    return import_fleet(
        db_session, parsed, user_id=user.id, as_of=as_of, today=TODAY, check_only=check_only
    )


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def unit(db_session, key: str) -> Vehicle:
    return db_session.scalar(select(Vehicle).where(Vehicle.number_key == key))


def events(db_session, vehicle: Vehicle) -> list[tuple]:
    rows = db_session.scalars(
        select(VehicleStatusEvent)
        .where(VehicleStatusEvent.vehicle_id == vehicle.id)
        .order_by(VehicleStatusEvent.id)
    )
    return [(e.from_status, e.to_status, e.on_date, e.sealed_place, e.key_holder) for e in rows]


def test_a_good_list_registers_every_unit_with_its_status(db_session, officer, units):
    user = officer[0]
    report = run(db_session, user, GOOD, encoding="gb18030")
    assert report.problems == [] and report.saved
    assert [(o.line, o.number, o.outcome) for o in report.outcomes] == [
        (2, "新A12345", "created"),
        (3, "新A22222", "created"),
        (4, "装载机-03", "created"),
        (5, "发电机-1", "created"),
    ]
    assert report.status_changes == 2  # the sealed and the scrapped unit
    car = unit(db_session, "新A12345")
    assert (car.kind, car.make_model, car.year, car.department.name, car.use) == (
        "patrol_vehicle",
        "江铃 域虎",
        2019,
        "机务科",
        "production",
    )
    assert events(db_session, car) == [(None, "fit", date(2019, 5, 6), None, None)]
    assert unit(db_session, "新A22222").status == "defective"
    loader = unit(db_session, "装载机03")
    # Entered as it ran on its registration day, sealed on the list's date with its record.
    assert loader.status == "sealed"
    assert events(db_session, loader) == [
        (None, "fit", date(2012, 9, 1), None, None),
        ("fit", "sealed", AS_OF, "机务车间1号库", "张建国"),
    ]
    generator = unit(db_session, "发电机1")
    assert (generator.status, generator.registered_on, generator.department_id) == (
        "scrapped",
        AS_OF,
        None,
    )
    assert generator.use == "non_production"
    change = db_session.scalars(
        select(VehicleStatusEvent).where(VehicleStatusEvent.to_status == "scrapped")
    ).one()
    assert change.reason == IMPORT_REASON and change.recorded_by_id == user.id


def test_a_second_import_updates_and_a_new_status_is_a_dated_change(db_session, officer, units):
    user = officer[0]
    run(db_session, user, GOOD)
    again = [
        "车牌号,类型,品牌型号,状态,登记日期",  # no department, year, use or note column
        "新A 12345,巡查车,江铃 域虎,待修,2019-05-06",  # a status change
        "新a22222,货车,东风天锦,,",  # make changed; empty status keeps 待修
        "装载机-03,装载机,柳工 ZL50CN,封存,2013-01-01",  # stays sealed; other date noted
    ]
    report = run(db_session, user, again, as_of=TODAY)
    assert report.saved
    assert [(o.line, o.outcome) for o in report.outcomes] == [
        (2, "updated"),
        (3, "updated"),
        (4, "unchanged"),
    ]
    assert report.outcomes[0].notes == [
        (
            "Status %(current)s → %(status)s on %(day)s.",
            {"current": "fit", "status": "defective", "day": "2026-12-01"},
        )
    ]
    assert report.outcomes[2].notes[0][1] == {"day": "2013-01-01", "kept": "2012-09-01"}
    car = unit(db_session, "新A12345")
    assert car.number == "新A12345" and car.status == "defective"  # the number as registered
    assert car.department.name == "机务科" and car.year == 2019  # absent columns: left alone
    assert events(db_session, car)[-1] == ("fit", "defective", TODAY, None, None)
    truck = unit(db_session, "新A22222")
    assert (truck.make_model, truck.status) == ("东风天锦", "defective")
    assert count(db_session, Vehicle) == 4


def test_an_empty_cell_clears_a_field_its_column_present(db_session, officer, units, make_vehicle):
    make_vehicle(
        "新A12345", make_model="江铃", year=2019, note="旧备注", department_id=units["机务科"].id
    )
    report = run(
        db_session,
        officer[0],
        ["车牌号,类型,品牌型号,出厂年份,所属部门,备注", "新A12345,巡查车,,,,"],
    )
    assert [o.outcome for o in report.outcomes] == ["updated"]
    car = unit(db_session, "新A12345")
    assert (car.make_model, car.year, car.department_id, car.note) == ("", None, None, "")


def bad_lines(report) -> list[tuple[int, list[str]]]:
    return [(p.line, [q.field for q in p.problems]) for p in report.problems]


def test_every_bad_line_is_reported_and_nothing_is_stored(db_session, officer, units):
    user = officer[0]
    lines = [
        *GOOD,
        "新A33333,飞机,,,,,,,,,",  # 6: unknown kind
        "新A44444,巡查车,,1,,,,,,,",  # 7: year 1
        "新A55555,巡查车,,9999,,,,,,,",  # 8: year 9999
        "新A12345,货车,,,,,,,,,",  # 9: the plate of line 2 again
        "新A66666,巡查车,,,不存在的科室,,,,,,",  # 10: unknown department
        "新A77777,巡查车,,,旧车队,,,,,,",  # 11: deactivated department
        "新A88888,巡查车,,,,,封存,,,,",  # 12: sealed without place and key holder
        "新A99999,巡查车,,,,,完好,,一号库,,",  # 13: a place on a unit that is not sealed
        "",  # 14: blank
    ]
    report = run(db_session, user, lines)
    assert not report.saved and report.outcomes == []
    assert bad_lines(report) == [
        (6, ["kind"]),
        (7, ["year"]),
        (8, ["year"]),
        (9, ["number"]),
        (10, ["department"]),
        (11, ["department"]),
        (12, ["sealed_place", "key_holder"]),
        (13, ["sealed_place"]),
    ]
    assert report.problems[4].problems[0].params == {"name": "不存在的科室"}
    assert report.lines_read == 12 and report.blank_lines == 1
    assert count(db_session, Vehicle) == 0 and count(db_session, VehicleStatusEvent) == 0


def test_a_change_the_register_forbids_refuses_the_line(db_session, officer, units):
    user = officer[0]
    run(db_session, user, GOOD)
    report = run(
        db_session,
        user,
        [HEADER, "发电机-1,发电机,,,,,完好,,,,", "新A22222,货车,,,,,维修中,,,,"],
        as_of=TODAY,
    )
    assert bad_lines(report) == [(2, ["status"])]
    problem = report.problems[0].problems[0]
    assert problem.params == {
        "current": "scrapped",
        "message": "A scrapped unit cannot change status.",
    }
    assert unit(db_session, "新A22222").status == "defective"  # the good line is not stored either


def test_a_change_dated_before_the_last_one_refuses_the_line(db_session, officer, units):
    user = officer[0]
    run(db_session, user, GOOD)  # sealed on AS_OF
    report = run(
        db_session, user, [HEADER, "装载机-03,装载机,,,,,完好,,,,"], as_of=date(2026, 1, 5)
    )
    assert bad_lines(report) == [(2, ["status"])]
    assert report.problems[0].problems[0].message == (
        "The date is before the unit's last status change."
    )


def test_a_unit_already_sealed_keeps_its_sealing_record(db_session, officer, units):
    user = officer[0]
    run(db_session, user, GOOD)
    report = run(
        db_session,
        user,
        [HEADER, "装载机-03,装载机,柳工 ZL50CN,2012,机务科,生产,封存,,二号库,李四,冬季停用"],
    )
    assert report.saved and report.outcomes[0].outcome == "unchanged"
    assert report.outcomes[0].notes[0][1] == {"place": "机务车间1号库", "holder": "张建国"}


def test_the_register_services_own_checks_refuse_a_line(db_session, officer, units):
    # The register refuses a unit made years after it entered the register.
    report = run(db_session, officer[0], [HEADER, "新A12345,巡查车,,2024,,,,2019-05-06,,,"])
    assert bad_lines(report) == [(2, ["year"])]
    assert count(db_session, Vehicle) == 0


def test_the_check_stores_nothing_and_says_what_the_import_would_do(
    db_session, officer, units, roads
):
    user = officer[0]
    patrol(db_session, roads["G30"], user, local(2026, 5, 1), vehicle="新a 12345")
    checked = run(db_session, user, GOOD, check_only=True)
    assert checked.checked_only and not checked.saved and checked.problems == []
    assert [o.outcome for o in checked.outcomes] == ["created"] * 4
    assert checked.linked_patrols == 1
    assert count(db_session, Vehicle) == 0 and count(db_session, VehicleStatusEvent) == 0
    assert db_session.scalar(select(Patrol.vehicle_id)) is None
    done = run(db_session, user, GOOD)
    assert [o.outcome for o in done.outcomes] == [o.outcome for o in checked.outcomes]
    assert done.linked_patrols == 1


def test_patrols_naming_a_plate_are_linked(db_session, officer, units, roads, make_vehicle):
    user = officer[0]
    road = roads["G30"]
    other = make_vehicle("新A99999")
    texts = ["新A12345", "新a 12345", "新Ａ１２３４５", "新A-22222", "新A99999", "", "单位车"]
    made = [
        patrol(db_session, road, user, local(2026, 5, 1 + i), vehicle=t)
        for i, t in enumerate(texts)
    ]
    linked_before = patrol(db_session, road, user, local(2026, 6, 1), vehicle="新A12345")
    linked_before.vehicle_id = other.id
    db_session.flush()
    report = run(db_session, user, GOOD)
    assert report.linked_patrols == 4
    car, truck = unit(db_session, "新A12345"), unit(db_session, "新A22222")
    for record in made:
        db_session.refresh(record)
    assert [p.vehicle_id for p in made] == [car.id, car.id, car.id, truck.id, None, None, None]
    db_session.refresh(linked_before)
    assert linked_before.vehicle_id == other.id  # a patrol naming a vehicle already is left alone


def test_a_status_date_in_the_future_is_refused(db_session, officer, units):
    with pytest.raises(ValidationError) as refused:
        run(db_session, officer[0], GOOD, as_of=date(2026, 12, 2))
    assert refused.value.fields == {"as_of": "The date is in the future."}
