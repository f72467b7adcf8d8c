"""The repair form of the phone and desktop page; it yields the same body the JSON API takes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from inspection.network.models import DIRECTION_LABELS
from inspection.network.stakes import format_stake
from inspection.patrols.kinds import FINDING_KINDS, SIDES
from inspection.repairs.rules import MATERIAL_UNITS, REPAIR_KINDS

MATERIAL_ROWS = 5
DECIMAL = {"inputmode": "decimal", "step": "any", "min": "0"}
STAKE_INPUT = {"autocomplete": "off", "autocapitalize": "characters"}


class MaterialRow(Form):
    name = StringField(
        _l("Material"),
        validators=[Optional(), Length(max=64)],
        render_kw={"list": "material-names", "autocomplete": "off"},
    )
    quantity = FloatField(_l("Quantity"), validators=[Optional()], render_kw=DECIMAL)
    unit = SelectField(
        _l("Unit"), choices=[SelectChoice(code) for code in MATERIAL_UNITS], default="t"
    )


class RepairForm(FlaskForm):
    client_uuid = HiddenField()
    road = SelectField(_l("Road"), validators=[InputRequired()])
    kind = SelectField(_l("Kind of repair"), validators=[InputRequired()])
    direction = SelectField(_l("Direction (undivided roads)"), validators=[Optional()])
    side = SelectField(_l("Side"), validators=[Optional()])
    stake = StringField(
        _l("Start stake (or the stake)"),
        validators=[InputRequired(), Length(max=40)],
        render_kw={"placeholder": "K3504+000", **STAKE_INPUT},
    )
    end_stake = StringField(
        _l("End stake"),
        validators=[Optional(), Length(max=40)],
        render_kw={"placeholder": "K3504+300", **STAKE_INPUT},
    )
    completed_on = DateField(_l("Completion date"), validators=[InputRequired()])
    area_m2 = FloatField(_l("Area (m²)"), validators=[Optional()], render_kw=DECIMAL)
    count = IntegerField(
        _l("Number of potholes or sites"),
        validators=[Optional(), NumberRange(min=1)],
        render_kw={"inputmode": "numeric", "min": "1"},
    )
    depth_mm = FloatField(_l("Depth (mm)"), validators=[Optional()], render_kw=DECIMAL)
    materials = FieldList(
        FormField(MaterialRow), min_entries=MATERIAL_ROWS, max_entries=MATERIAL_ROWS
    )
    crew = StringField(_l("Work crew"), validators=[Length(max=256)])
    method = TextAreaField(_l("Method"), validators=[Length(max=2000)])
    cost_yuan = FloatField(
        _l("Cost (yuan, optional)"), validators=[Optional(), NumberRange(min=0)], render_kw=DECIMAL
    )
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])
    findings = SelectMultipleField(
        _l("Findings this repair resolves"),
        choices=[],
        validate_choice=False,  # the service says clearly why a finding cannot be resolved
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )

    def set_choices(self, *, roads, findings, locale: str, gettext) -> None:
        """Fill the choices: roads as `code/direction`, words in the page's language."""
        self.road.choices = [SelectChoice("", gettext("Choose a road"))] + [
            SelectChoice(
                road_key(r), f"{r.code} {r.name} · {gettext(DIRECTION_LABELS[r.direction])}"
            )
            for r in roads
        ]
        self.kind.choices = [
            SelectChoice(code, k.label(locale)) for code, k in REPAIR_KINDS.items()
        ]
        self.direction.choices = [SelectChoice("", gettext("As the road"))] + [
            SelectChoice(code, gettext(label)) for code, label in DIRECTION_LABELS.items()
        ]
        self.side.choices = [SelectChoice("", "—")] + [
            SelectChoice(code, gettext(label)) for code, label in SIDES.items()
        ]
        for entry in self.materials:
            entry.form.unit.choices = [
                SelectChoice(c, u.label(locale)) for c, u in MATERIAL_UNITS.items()
            ]
        self.findings.choices = [
            SelectChoice(
                str(f.client_uuid),
                f"{format_stake(f.chainage)} · {gettext(FINDING_KINDS[f.kind])}"
                + (f" · {f.note[:40]}" if f.note else ""),
            )
            for f in findings
        ]

    def as_body(self) -> dict:
        """Return the form's values in the JSON shape the API takes (one parser for both)."""
        code, _, direction = (self.road.data or "").partition("/")
        return {
            "client_uuid": self.client_uuid.data,
            "kind": self.kind.data,
            "road": code,
            # The road select names the carriageway; an undivided road may take a direction.
            "direction": self.direction.data or direction or None,
            "side": self.side.data or None,
            "stake": self.stake.data,
            "end_stake": self.end_stake.data,
            "completed_on": self.completed_on.data.isoformat() if self.completed_on.data else None,
            "area_m2": self.area_m2.data,
            "count": self.count.data,
            "depth_mm": self.depth_mm.data,
            "materials": [
                {
                    "name": entry.form.name.data or "",
                    "quantity": entry.form.quantity.data,
                    "unit": entry.form.unit.data,
                }
                for entry in self.materials
            ],
            "crew": self.crew.data or "",
            "method": self.method.data or "",
            "cost_yuan": self.cost_yuan.data,
            "note": self.note.data or "",
            "findings": list(self.findings.data or []),
        }

    def field_for(self, name: str):
        """Return the form field an API field name (`materials.0.quantity`) stands for."""
        parts = name.split(".")
        if parts[0] == "materials" and len(parts) == 3 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(self.materials.entries):
                return getattr(self.materials.entries[index].form, parts[2], None)
            return None
        field = getattr(self, parts[0], None)
        return field if field is not None and hasattr(field, "errors") else None


def road_key(road) -> str:
    return f"{road.code}/{road.direction}"
