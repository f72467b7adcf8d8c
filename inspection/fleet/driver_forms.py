"""Forms of the drivers pages; each yields the body the JSON API takes (`driver_schemas`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from inspection.fleet.driver_schemas import DriverInput
from inspection.fleet.kinds import DRIVER_REVIEW_RESULT_LABELS, LICENCE_CLASSES

DATE_INPUT = {"type": "date"}


class DriverForm(FlaskForm):
    # Every check is the service's (shared with the API): it names what is wrong.
    user_id = SelectField(_l("User"), validate_choice=False)
    name = StringField(_l("Name (when not a user, or to write it in full)"))
    licence_class = SelectField(_l("Licence class"), validate_choice=False)
    licence_number = StringField(_l("Licence number"), render_kw={"autocomplete": "off"})
    licence_expires = StringField(_l("Licence valid until"), render_kw=DATE_INPUT)
    department_id = SelectField(_l("Department"), validate_choice=False)
    note = TextAreaField(_l("Note"))
    active = BooleanField(_l("Active (offered to patrols and on the due lists)"), default=True)

    def set_choices(self, *, users, departments, gettext) -> None:
        self.user_id.choices = [SelectChoice("", gettext("None (give the name)"))] + [
            SelectChoice(str(u.id), f"{u.name} ({u.username})") for u in users
        ]
        self.licence_class.choices = [SelectChoice("", "—")] + [
            SelectChoice(code, code) for code in LICENCE_CLASSES
        ]
        self.department_id.choices = [SelectChoice("", gettext("None"))] + [
            SelectChoice(str(d.id), d.name if d.active else f"{d.name} ({gettext('inactive')})")
            for d in departments
        ]

    def fill(self, data: DriverInput) -> None:
        """Show a stored driver (its `DriverInput`) in the form."""
        self.user_id.data = str(data.user_id) if data.user_id else ""
        self.name.data = data.name
        self.licence_class.data = data.licence_class
        self.licence_number.data = data.licence_number
        self.licence_expires.data = data.licence_expires.isoformat()
        self.department_id.data = str(data.department_id) if data.department_id else ""
        self.note.data = data.note
        self.active.data = data.active

    def as_body(self, *, editing: bool) -> dict:
        body = {
            "user_id": self.user_id.data or None,
            "name": self.name.data or "",
            "licence_class": self.licence_class.data or "",
            "licence_number": self.licence_number.data or "",
            "licence_expires": (self.licence_expires.data or "").strip(),
            "department_id": self.department_id.data or None,
            "note": self.note.data or "",
        }
        if editing:
            body["active"] = bool(self.active.data)
        return body


class ReviewForm(FlaskForm):
    reviewed_on = StringField(_l("Day of the review"), render_kw=DATE_INPUT)
    result = SelectField(_l("Result"), validate_choice=False)
    note = StringField(_l("Note"))

    def set_choices(self, gettext) -> None:
        self.result.choices = [
            SelectChoice(code.value, gettext(label))
            for code, label in DRIVER_REVIEW_RESULT_LABELS.items()
        ]

    def as_body(self) -> dict:
        return {
            "reviewed_on": (self.reviewed_on.data or "").strip(),
            "result": self.result.data or "",
            "note": self.note.data or "",
        }
