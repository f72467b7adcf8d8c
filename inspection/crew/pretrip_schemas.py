"""The declared inputs of the pre-trip check and the crew-safety settings (API, pages, phone).

The readings are taken as numbers in a wide range here: whether they are plausible is the
rules' business (`inspection.crew.rules.reading_errors`), which words the message as a crew
member understands it ("a blood pressure cannot be 0/0"), not as "the number is too small".
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field, StrictBool

from inspection.crew.kinds import VehicleCheckItem
from inspection.errors import N_
from inspection.inputs import Day, Flag, Input, Int, ListQuery, Note, Number, PlausibleTime, Uuid

CHECK_ITEMS = tuple(item.value for item in VehicleCheckItem)
ANSWER_ITEMS = N_("Answer every item of the checklist.")


class PretripCheckBody(Input):
    """A pre-trip check: the vehicle's checklist and the driver's readings, judged on arrival."""

    messages: ClassVar = {
        "vehicle_id": N_("Choose the vehicle."),
        "driver_id": N_("Choose the driver."),
        "vehicle_items": ANSWER_ITEMS,
        "alcohol_mg": N_("Enter the breath-alcohol reading (mg/100 ml)."),
        "systolic": N_("Enter the systolic pressure (mmHg)."),
        "diastolic": N_("Enter the diastolic pressure (mmHg)."),
        "checked_at": N_("Give the time of the check."),
    }

    client_uuid: Annotated[Uuid, Field(description=N_("The phone's UUID of this check."))]
    checked_at: Annotated[
        PlausibleTime, Field(description=N_("When the check was made (with its zone)."))
    ]
    vehicle_id: Annotated[Int(), Field(description=N_("The vehicle's id (fleet register)."))]
    driver_id: Annotated[Int(), Field(description=N_("The driver's id (drivers register)."))]
    vehicle_items: Annotated[
        dict[str, StrictBool],
        Field(
            max_length=len(CHECK_ITEMS) + 4,
            description=N_(
                "Every checklist item (brakes, lights, tyres, steering, warning_lights,"
                " cones_signs, fire_extinguisher, first_aid) → true (fine) or false (fault)."
            ),
        ),
    ]
    alcohol_mg: Annotated[
        Number(-1000, 10_000),
        Field(description=N_("Breath alcohol, mg/100 ml, at most one decimal.")),
    ]
    systolic: Annotated[Int(-1000, 10_000), Field(description=N_("Systolic pressure, mmHg."))]
    diastolic: Annotated[Int(-1000, 10_000), Field(description=N_("Diastolic pressure, mmHg."))]
    note: Note = ""


class PretripChecksQuery(ListQuery):
    """List pre-trip checks, newest first."""

    day: Annotated[Day() | None, Field(description=N_("Only the checks of this day."))] = None
    vehicle_id: Annotated[Int() | None, Field(description=N_("Only this vehicle's checks."))] = None
    driver_id: Annotated[Int() | None, Field(description=N_("Only this driver's checks."))] = None
    failed: Annotated[Flag | None, Field(description=N_("1: only the failed checks."))] = None
    voided: Annotated[Flag | None, Field(description=N_("1: the voided ones too."))] = None


class PretripFilter(Input):
    """The filters of the desktop list (a form's text values)."""

    day: Day() | None = None
    vehicle_id: Int() | None = None
    driver_id: Int() | None = None
    failed: Annotated[Int(0, 1) | None, Field(description=N_("1: only the failed checks."))] = None
    page: Int(1, 10_000) = 1


class SettingsBody(Input):
    """The branch's thresholds of the pre-trip check and the retention of the readings."""

    messages: ClassVar = {
        "alcohol_drink_mg": N_("Enter the drink-driving threshold (mg/100 ml)."),
        "alcohol_drunk_mg": N_("Enter the drunk-driving threshold (mg/100 ml)."),
        "systolic_max": N_("Enter the systolic threshold (mmHg)."),
        "diastolic_max": N_("Enter the diastolic threshold (mmHg)."),
        "retention_days": N_("Enter the retention period in days."),
    }

    alcohol_drink_mg: Annotated[
        Number(0, 500, above=True),
        Field(description=N_("At or above: drink-driving level (mg/100 ml); default 20.")),
    ]
    alcohol_drunk_mg: Annotated[
        Number(0, 500, above=True),
        Field(description=N_("At or above: drunk-driving level (mg/100 ml); default 80.")),
    ]
    systolic_max: Annotated[
        Int(100, 250), Field(description=N_("At or above: unfit (systolic, mmHg); default 160."))
    ]
    diastolic_max: Annotated[
        Int(60, 150), Field(description=N_("At or above: unfit (diastolic, mmHg); default 100."))
    ]
    retention_days: Annotated[
        Int(30, 3650),
        Field(description=N_("Days the readings are kept; then only pass/fail; default 365.")),
    ]
