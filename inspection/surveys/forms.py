"""Forms of the survey pages: a campaign, a unit's width and pavement, a record, an import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DateField,
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
    CampaignInput,
)

DECIMAL = {"inputmode": "decimal", "step": "any", "min": "0"}
STAKE_INPUT = {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}


def pavement_choices(locale: str) -> list[SelectChoice]:
    english = not locale.startswith("zh")
    return [SelectChoice(p.value, p.en if english else p.zh) for p in pi.Pavement]


class CampaignForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[InputRequired(), Length(max=128)],
        render_kw={"placeholder": _l("e.g. 2026 spring pavement survey")},
    )
    starts_on = DateField(_l("First day"), validators=[InputRequired()])
    ends_on = DateField(_l("Last day"), validators=[InputRequired()])
    method = SelectField(_l("Survey method"), default="visual")
    unit_length_m = FloatField(
        _l("Unit length (m): 1000 as standard, 100 for a detailed survey"),
        default=DEFAULT_UNIT_LENGTH_M,
        validators=[InputRequired()],
        render_kw=DECIMAL,
    )
    width_m = FloatField(
        _l("Surveyed width per unit (m), e.g. 7.5 per direction of an expressway"),
        default=7.5,
        validators=[InputRequired()],
        render_kw=DECIMAL,
    )
    pavement = SelectField(_l("Pavement type of the units"), default=pi.Pavement.ASPHALT.value)
    roads = SelectMultipleField(
        _l("Roads and directions"),
        choices=[],
        validate_choice=False,  # the service says which road or direction is wrong
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])

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

    def as_input(self) -> CampaignInput:
        roads = []
        for value in self.roads.data or []:
            code, _, direction = value.partition("/")
            roads.append((code, direction))
        return CampaignInput(
            name=self.name.data or "",
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            method=self.method.data,
            unit_length_m=self.unit_length_m.data,
            width_m=self.width_m.data,
            pavement=self.pavement.data,
            roads=tuple(roads),
            note=self.note.data or "",
        )


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
