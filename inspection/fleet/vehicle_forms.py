"""Forms of the vehicle register pages; each yields the body the JSON API takes, so the checks
are the API's (`vehicle_schemas`) and the services'."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from inspection.fleet.kinds import (
    SERVICE_KIND_LABELS,
    VEHICLE_KIND_LABELS,
    VEHICLE_STATUS_LABELS,
    VEHICLE_USE_LABELS,
)
from inspection.fleet.vehicles import ENTRY_STATUSES

DATE_INPUT = {"type": "date", "autocomplete": "off"}
NUMBER_INPUT = {"inputmode": "numeric", "autocomplete": "off"}
PLATE_INPUT = {"autocomplete": "off", "autocapitalize": "characters", "placeholder": "新A12345"}


def _choices(labels, gettext, codes=None) -> list[SelectChoice]:
    return [
        SelectChoice(str(code), gettext(label))
        for code, label in labels.items()
        if codes is None or code in codes
    ]


def _text(value) -> str:
    return (value or "").strip()


class VehicleForm(FlaskForm):
    # Every check is the schema's and the service's (shared with the API).
    kind = SelectField(_l("Kind of unit"), validate_choice=False)
    number = StringField(_l("Plate or fleet number"), render_kw=PLATE_INPUT)
    make_model = StringField(_l("Make and model"))
    year = StringField(_l("Year made"), render_kw=NUMBER_INPUT)
    department_id = SelectField(_l("Department"), validate_choice=False)
    use = SelectField(_l("Use"), validate_choice=False)
    status = SelectField(_l("Status when entered"), validate_choice=False)
    registered_on = StringField(_l("Entered the register on"), render_kw=DATE_INPUT)
    note = TextAreaField(_l("Note"))

    def set_choices(self, *, departments, gettext, current_department_id=None) -> None:
        self.kind.choices = _choices(VEHICLE_KIND_LABELS, gettext)
        self.use.choices = _choices(VEHICLE_USE_LABELS, gettext)
        self.status.choices = _choices(VEHICLE_STATUS_LABELS, gettext, ENTRY_STATUSES)
        self.department_id.choices = [SelectChoice("", gettext("None"))] + [
            SelectChoice(str(d.id), d.name if d.active else f"{d.name} ({gettext('inactive')})")
            for d in departments
            if d.active or d.id == current_department_id
        ]

    def fill(self, data) -> None:
        """Show a stored unit (its `VehicleInput`) in the form."""
        self.kind.data = data.kind
        self.number.data = data.number
        self.make_model.data = data.make_model
        self.year.data = str(data.year) if data.year else ""
        self.department_id.data = str(data.department_id) if data.department_id else ""
        self.use.data = data.use
        self.registered_on.data = data.registered_on.isoformat() if data.registered_on else ""
        self.note.data = data.note

    def as_body(self, *, editing: bool) -> dict:
        """The submitted fields as the API's body (a change sends every field but the status)."""
        body = {
            "kind": self.kind.data or "",
            "number": self.number.data or "",
            "make_model": self.make_model.data or "",
            "year": _text(self.year.data) or None,
            "department_id": self.department_id.data or None,
            "use": self.use.data or "",
            "registered_on": _text(self.registered_on.data) or None,
            "note": self.note.data or "",
        }
        if not editing:
            body["status"] = self.status.data or "fit"
            return {k: v for k, v in body.items() if v is not None}
        return body


class StatusForm(FlaskForm):
    to_status = SelectField(_l("New status"), validate_choice=False)
    on_date = StringField(_l("Day of the change"), render_kw=DATE_INPUT)
    reason = TextAreaField(_l("Reason"))
    sealed_place = StringField(_l("Where it is sealed (when sealing)"))
    key_holder = StringField(_l("Who holds the key (when sealing)"))

    def set_choices(self, *, allowed, gettext) -> None:
        self.to_status.choices = _choices(VEHICLE_STATUS_LABELS, gettext, allowed)

    def as_body(self) -> dict:
        return {
            "to_status": self.to_status.data or "",
            "on_date": _text(self.on_date.data) or None,
            "reason": self.reason.data or "",
            "sealed_place": self.sealed_place.data or None,
            "key_holder": self.key_holder.data or None,
        }


class ServiceForm(FlaskForm):
    kind = SelectField(_l("Kind of service"), validate_choice=False)
    on_date = StringField(_l("Date"), render_kw=DATE_INPUT)
    cost_yuan = StringField(_l("Cost (yuan)"), render_kw={"inputmode": "decimal"})
    parts = StringField(_l("Parts"))
    passed = SelectField(_l("Annual inspection result"), validate_choice=False)
    note = TextAreaField(_l("Note"))

    def set_choices(self, *, gettext) -> None:
        self.kind.choices = _choices(SERVICE_KIND_LABELS, gettext)
        self.passed.choices = [
            SelectChoice("", "—"),
            SelectChoice("1", gettext("Passed")),
            SelectChoice("0", gettext("Not passed")),
        ]

    def as_body(self) -> dict:
        passed = {"1": True, "0": False}.get(self.passed.data or "")
        return {
            "kind": self.kind.data or "",
            "on_date": _text(self.on_date.data) or None,
            "cost_yuan": _text(self.cost_yuan.data) or None,
            "parts": self.parts.data or "",
            "passed": passed,
            "note": self.note.data or "",
        }


class IntervalsForm(FlaskForm):
    """Only the CSRF token: the numbers are read by `vehicle_schemas.parse_intervals`."""
