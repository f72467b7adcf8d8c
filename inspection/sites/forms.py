"""Forms of the department and site pages; a site form yields the body the JSON API takes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from inspection.network.models import DIRECTION_LABELS
from inspection.sites.kinds import (
    DEPARTMENT_KIND_LABELS,
    SITE_KIND_LABELS,
    DepartmentKind,
)

COORDINATE = {"inputmode": "decimal", "autocomplete": "off"}
STAKE_INPUT = {
    "autocomplete": "off",
    "autocapitalize": "characters",
    "spellcheck": "false",
    "placeholder": "K3510+000",
}


class DepartmentForm(FlaskForm):
    # Every check is the service's (shared with the API): it names what is wrong.
    name = StringField(_l("Name"))
    kind = SelectField(_l("Kind"), default=DepartmentKind.other.value, validate_choice=False)
    active = BooleanField(_l("Active (offered as a responsible unit and site owner)"), default=True)

    def set_choices(self, gettext) -> None:
        self.kind.choices = [
            SelectChoice(code.value, gettext(label))
            for code, label in DEPARTMENT_KIND_LABELS.items()
        ]

    def as_body(self) -> dict:
        """The submitted name and kind as the API's body (`schemas.parse_department`)."""
        return {"name": self.name.data, "kind": self.kind.data}


class SiteForm(FlaskForm):
    name = StringField(_l("Name"))
    kind = SelectField(_l("Kind"), validate_choice=False)
    department_id = SelectField(_l("Owning department"), validate_choice=False)
    lon = StringField(_l("Longitude (WGS84)"), render_kw=COORDINATE)
    lat = StringField(_l("Latitude (WGS84)"), render_kw=COORDINATE)
    road = SelectField(_l("Road (optional)"), validate_choice=False)
    direction = SelectField(_l("Direction"), validate_choice=False)
    stake = StringField(_l("Stake"), render_kw=STAKE_INPUT)
    note = TextAreaField(_l("Note"))
    active = BooleanField(_l("Active (offered when hazards and inspections are recorded)"))

    def set_choices(self, *, departments, roads, gettext) -> None:
        self.kind.choices = [
            SelectChoice(code.value, gettext(label)) for code, label in SITE_KIND_LABELS.items()
        ]
        self.department_id.choices = [SelectChoice("", gettext("None"))] + [
            SelectChoice(str(d.id), d.name if d.active else f"{d.name} ({gettext('inactive')})")
            for d in departments
        ]
        codes = sorted({road.code: road.name for road in roads}.items())
        self.road.choices = [SelectChoice("", gettext("None"))] + [
            SelectChoice(code, f"{code} {name}".strip()) for code, name in codes
        ]
        self.direction.choices = [SelectChoice("", "—")] + [
            SelectChoice(code, gettext(label)) for code, label in DIRECTION_LABELS.items()
        ]

    def fill(self, data) -> None:
        """Show a stored site (its `SiteInput`) in the form."""
        self.name.data = data.name
        self.kind.data = data.kind
        self.department_id.data = str(data.department_id) if data.department_id else ""
        self.lon.data = f"{data.lon:.7f}" if data.lon is not None else ""
        self.lat.data = f"{data.lat:.7f}" if data.lat is not None else ""
        self.road.data = data.road
        self.direction.data = data.direction or ""
        self.stake.data = data.stake
        self.note.data = data.note
        self.active.data = data.active

    def as_body(self, *, editing: bool) -> dict:
        body = {
            "name": self.name.data or "",
            "kind": self.kind.data or "",
            "department_id": self.department_id.data or None,
            "lon": (self.lon.data or "").strip() or None,
            "lat": (self.lat.data or "").strip() or None,
            "road": self.road.data or "",
            "direction": self.direction.data or None,
            "stake": self.stake.data or "",
            "note": self.note.data or "",
        }
        if editing:
            body["active"] = bool(self.active.data)
        return body


class SiteImportForm(FlaskForm):
    file = FileField(
        _l("CSV or GeoJSON file of sites"),
        validators=[
            FileRequired(),
            FileAllowed(["csv", "txt", "geojson", "json"], _l("Choose a .csv or .geojson file.")),
        ],
    )
