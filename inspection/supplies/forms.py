"""Forms of the supplies pages; each yields the body the JSON API takes (`schemas`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from inspection.supplies.kinds import MOVEMENT_KIND_LABELS, MovementKind

NUMBER_INPUT = {"inputmode": "decimal", "autocomplete": "off"}


class FieldsForm(FlaskForm):
    def field_for(self, name: str):
        field = getattr(self, name, None)
        return field if field is not None and hasattr(field, "errors") else None


class ItemForm(FieldsForm):
    # Every check is the service's or the API model's (shared with the API).
    name = StringField(_l("Name"))
    unit = StringField(_l("Unit"))
    active = BooleanField(_l("Active (offered in the stock forms)"), default=True)

    def as_body(self, *, editing: bool) -> dict:
        body = {"name": self.name.data, "unit": self.unit.data}
        return {**body, "active": bool(self.active.data)} if editing else body


class MinimumForm(FieldsForm):
    item_id = SelectField(_l("Supply item"), validate_choice=False)
    minimum = StringField(_l("Minimum to hold"), render_kw=NUMBER_INPUT)

    def as_body(self, site_id: int) -> dict:
        return {"site_id": site_id, "item_id": self.item_id.data, "minimum": self.minimum.data}


class MovementForm(FieldsForm):
    client_uuid = HiddenField()
    item_id = SelectField(_l("Supply item"), validate_choice=False)
    kind = SelectField(_l("Movement"), default=MovementKind.received.value, validate_choice=False)
    quantity = StringField(_l("Quantity"), render_kw=NUMBER_INPUT)
    on_date = StringField(_l("Date"), render_kw={"type": "date"})
    purpose = StringField(
        _l("Emergency or work served"), render_kw={"placeholder": "2026-01-12 G30 暴雪"}
    )
    repair_uuid = SelectField(_l("Repair (optional)"), validate_choice=False)
    note = TextAreaField(_l("Note"))

    def set_choices(self, *, items, repairs, gettext) -> None:
        item_choices = [SelectChoice(str(i.id), f"{i.name}（{i.unit}）") for i in items]
        self.item_id.choices = [SelectChoice("", "—"), *item_choices]
        self.kind.choices = [
            SelectChoice(code.value, gettext(label)) for code, label in MOVEMENT_KIND_LABELS.items()
        ]
        self.repair_uuid.choices = [SelectChoice("", gettext("None"))] + [
            SelectChoice(
                str(r.client_uuid),
                f"{r.completed_on.isoformat()} {r.road.code} {r.stake_text} {r.crew}".strip(),
            )
            for r in repairs
        ]

    def as_body(self, site_id: int) -> dict:
        return {
            "client_uuid": self.client_uuid.data,
            "site_id": site_id,
            "item_id": self.item_id.data,
            "kind": self.kind.data,
            "quantity": (self.quantity.data or "").strip(),
            "on_date": (self.on_date.data or "").strip(),
            "purpose": self.purpose.data or "",
            "repair_uuid": self.repair_uuid.data or None,
            "note": self.note.data or "",
        }
