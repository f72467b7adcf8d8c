"""Forms of the survey pages: a campaign, a unit's width and pavement, a record, an import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    FloatField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from inspection.network.models import DIRECTION_LABELS
from inspection.surveys import pavement_index as pi
from inspection.surveys.services import (
    DEFAULT_UNIT_LENGTH_M,
    IMPORT_MODES,
    METHODS,
)

DECIMAL = {"inputmode": "decimal", "step": "any", "min": "0"}
DECIMAL_TEXT = {"inputmode": "decimal", "autocomplete": "off"}
DAY = {"type": "date", "min": "2000-01-01"}
STAKE_INPUT = {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}


def pavement_choices(locale: str) -> list[SelectChoice]:
    english = not locale.startswith("zh")
    return [SelectChoice(p.value, p.en if english else p.zh) for p in pi.Pavement]


class CampaignForm(FlaskForm):
    # Text fields: every check is the declared model's (surveys/schemas.py), which names what
    # is wrong; WTForms' own parsers take "１２" for 12 and dates in year 9999.
    name = StringField(
        _l("Name"), render_kw={"placeholder": _l("e.g. 2026 spring pavement survey")}
    )
    starts_on = StringField(_l("First day"), render_kw=DAY)
    ends_on = StringField(_l("Last day"), render_kw=DAY)
    method = SelectField(_l("Survey method"), default="visual", validate_choice=False)
    unit_length_m = StringField(
        _l("Unit length (m): 1000 as standard, 100 for a detailed survey"),
        default=f"{DEFAULT_UNIT_LENGTH_M:g}",
        render_kw=DECIMAL_TEXT,
    )
    width_m = StringField(
        _l("Surveyed width per unit (m), e.g. 7.5 per direction of an expressway"),
        default="7.5",
        render_kw=DECIMAL_TEXT,
    )
    pavement = SelectField(
        _l("Pavement type of the units"),
        default=pi.Pavement.ASPHALT.value,
        validate_choice=False,
    )
    roads = SelectMultipleField(
        _l("Roads and directions"),
        choices=[],
        validate_choice=False,  # the service says which road or direction is wrong
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    note = TextAreaField(_l("Note"))

    def set_choices(self, *, roads, locale: str, gettext) -> None:
        """Offer each carriageway; an undivided road whole, or per direction."""
        self.method.choices = [
            SelectChoice(code, gettext(label)) for code, label in METHODS.items()
        ]
        self.pavement.choices = pavement_choices(locale)
        choices = []
        for road in roads:
            name = f"{road.code} {road.name}".strip()
            if road.direction == "both":
                for direction in ("both", "up", "down"):
                    label = gettext(DIRECTION_LABELS[direction])
                    choices.append(SelectChoice(f"{road.code}/{direction}", f"{name} · {label}"))
            else:
                label = gettext(DIRECTION_LABELS[road.direction])
                choices.append(SelectChoice(f"{road.code}/{road.direction}", f"{name} · {label}"))
        self.roads.choices = choices

    def as_body(self) -> dict:
        """The submitted fields as the body `schemas.parse_campaign` reads."""
        return {
            "name": self.name.data,
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
            "method": self.method.data,
            "unit_length_m": self.unit_length_m.data,
            "width_m": self.width_m.data,
            "pavement": self.pavement.data,
            "roads": list(self.roads.data or []),
            "note": self.note.data,
        }


class UnitForm(FlaskForm):
    width_m = FloatField(_l("Surveyed width (m)"), validators=[InputRequired()], render_kw=DECIMAL)
    pavement = SelectField(_l("Pavement type"))


class RecordForm(FlaskForm):
    """A record made walking a unit; it yields the body the JSON API takes."""

    item_code = RadioField(_l("Distress or subgrade item"), choices=[], validate_choice=False)
    severity = RadioField(_l("Severity"), choices=[], validate_choice=False)
    # Text, so the parser shared with the API reads the number and names what is wrong with it.
    quantity = StringField(
        _l("Quantity"),
        validators=[Length(max=32)],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    stake = StringField(
        _l("Stake (optional)"),
        validators=[Optional(), Length(max=40)],
        render_kw={"placeholder": "K3504+120", **STAKE_INPUT},
    )
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])

    def as_body(self, unit_id: int) -> dict:
        return {
            "unit_id": unit_id,
            "item_code": self.item_code.data or "",
            "severity": self.severity.data or None,
            "quantity": self.quantity.data or None,
            "stake": self.stake.data or "",
            "note": self.note.data or "",
        }


class ImportForm(FlaskForm):
    file = FileField(
        _l("Survey sheet (.xlsx or .csv)"),
        validators=[
            FileRequired(),
            FileAllowed(["xlsx", "csv", "txt"], _l("Choose a .xlsx or .csv file.")),
        ],
    )
    mode = RadioField(_l("How to import"), default="all_or_nothing", choices=[])

    def set_choices(self, gettext) -> None:
        self.mode.choices = [
            SelectChoice(code, gettext(label)) for code, label in IMPORT_MODES.items()
        ]
