"""Desktop forms of self-inspections; each yields the body the JSON API takes (one parser)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from inspection.hazards.workflow import HAZARD_CATEGORIES
from inspection.inspections.kinds import (
    CHECKLIST_SECTION_LABELS,
    INSPECTION_KIND_LABELS,
    ITEM_NAME_LENGTH,
    PERSON_NAME_LENGTH,
    TEMPLATE_NAME_LENGTH,
    THEME_LENGTH,
)
from inspection.network.models import DIRECTION_LABELS

SECTION_ROWS = 3
EXTRA_TEMPLATE_ROWS = 5
STAKE_INPUT = {"autocomplete": "off", "autocapitalize": "characters"}


def _date(field) -> str | None:
    return field.data.isoformat() if field.data else (field.raw_data or [None])[0] or None


class SectionRow(Form):
    road = SelectField(_l("Road"), validators=[Optional()], validate_choice=False)
    start_stake = StringField(
        _l("Start stake"),
        validators=[Optional(), Length(max=40)],
        render_kw={"placeholder": "K3500+000", **STAKE_INPUT},
    )
    end_stake = StringField(
        _l("End stake"),
        validators=[Optional(), Length(max=40)],
        render_kw={"placeholder": "K3510+000", **STAKE_INPUT},
    )


class InspectionForm(FlaskForm):
    client_uuid = HiddenField()
    kind = SelectField(_l("Kind of inspection"), validate_choice=False)
    theme = StringField(_l("Theme"), validators=[Length(max=THEME_LENGTH)])
    started_on = DateField(_l("Started on"), validators=[Optional()])
    ended_on = DateField(_l("Ended on"), validators=[Optional()])
    leader_user_id = SelectField(_l("Leader"), validate_choice=False)
    leader_name = StringField(
        _l("Leader (if not a user)"), validators=[Length(max=PERSON_NAME_LENGTH)]
    )
    member_ids = SelectMultipleField(
        _l("Members (users)"),
        choices=[],
        validate_choice=False,  # the service names an unknown user
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    member_names = TextAreaField(
        _l("Other members (one name a line)"), validators=[Length(max=2000)]
    )
    site_ids = SelectMultipleField(
        _l("Sites inspected"),
        choices=[],
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    sections = FieldList(FormField(SectionRow), min_entries=SECTION_ROWS, max_entries=SECTION_ROWS)
    template_id = SelectField(_l("Checklist"), validate_choice=False)
    recheck_from = DateField(_l("Re-check hazards closed from"), validators=[Optional()])
    recheck_to = DateField(_l("to"), validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])

    def set_choices(self, *, users, sites, roads, templates, gettext) -> None:
        """Fill the choices in the page's language; roads as `code/direction`."""
        self.kind.choices = [
            SelectChoice(code.value, gettext(label))
            for code, label in INSPECTION_KIND_LABELS.items()
        ]
        self.leader_user_id.choices = [SelectChoice("", gettext("Me"))] + [
            SelectChoice(str(u.id), u.name) for u in users
        ]
        self.member_ids.choices = [SelectChoice(str(u.id), u.name) for u in users]
        self.site_ids.choices = [SelectChoice(str(s.id), s.name) for s in sites]
        road_choices = [SelectChoice("", "—")] + [
            SelectChoice(
                f"{r.code}/{r.direction}",
                f"{r.code} {r.name} · {gettext(DIRECTION_LABELS[r.direction])}",
            )
            for r in roads
        ]
        for entry in self.sections:
            entry.form.road.choices = road_choices
        self.template_id.choices = [SelectChoice("", gettext("No checklist"))] + [
            SelectChoice(str(t.id), t.name) for t in templates
        ]

    def as_body(self) -> dict:
        """Return the form's values in the JSON shape POST /api/v1/inspections takes."""
        sections = []
        for entry in self.sections:
            row = entry.form
            if not (row.road.data or row.start_stake.data or row.end_stake.data):
                continue
            code, _, direction = (row.road.data or "").partition("/")
            sections.append(
                {
                    "road": code,
                    "direction": direction or None,
                    "start_stake": row.start_stake.data or "",
                    "end_stake": row.end_stake.data or "",
                }
            )
        names = [n.strip() for n in (self.member_names.data or "").splitlines() if n.strip()]
        return {
            "client_uuid": self.client_uuid.data,
            "kind": self.kind.data,
            "theme": self.theme.data or "",
            "started_on": _date(self.started_on),
            "ended_on": _date(self.ended_on),
            "leader_user_id": self.leader_user_id.data or None,
            "leader_name": self.leader_name.data or "",
            "members": [{"user_id": v} for v in self.member_ids.data or []]
            + [{"name": n} for n in names],
            "site_ids": list(self.site_ids.data or []),
            "sections": sections,
            "template_id": self.template_id.data or None,
            "recheck_from": _date(self.recheck_from),
            "recheck_to": _date(self.recheck_to),
            "note": self.note.data or "",
        }

    def field_for(self, name: str):
        """Return the form field an API field name (`sections.0.start_stake`) stands for."""
        parts = name.split(".")
        if parts[0] == "sections" and len(parts) == 3 and parts[1].isdigit():
            filled = [
                e
                for e in self.sections
                if e.form.road.data or e.form.start_stake.data or e.form.end_stake.data
            ]
            index = int(parts[1])
            return getattr(filled[index].form, parts[2], None) if index < len(filled) else None
        if parts[0] == "members":
            return self.member_names if parts[-1] == "name" else self.member_ids
        if parts[0] == "scope":
            return self.site_ids
        field = getattr(self, parts[0], None)
        return field if field is not None and hasattr(field, "errors") else None


class TemplateItemRow(Form):
    section = SelectField(_l("Section"), validate_choice=False)
    name = StringField(_l("Checklist item"), validators=[Length(max=ITEM_NAME_LENGTH)])
    hazard_category = SelectField(_l("Hazard category if unmet"), validate_choice=False)


class TemplateForm(FlaskForm):
    name = StringField(_l("Name of the checklist"), validators=[Length(max=TEMPLATE_NAME_LENGTH)])
    kind = SelectField(_l("For inspections of kind"), validate_choice=False)
    items = FieldList(FormField(TemplateItemRow), min_entries=EXTRA_TEMPLATE_ROWS)

    def set_choices(self, *, locale: str, gettext) -> None:
        self.kind.choices = [SelectChoice("", gettext("Any kind"))] + [
            SelectChoice(code.value, gettext(label))
            for code, label in INSPECTION_KIND_LABELS.items()
        ]
        sections = [SelectChoice("", "—")] + [
            SelectChoice(code.value, gettext(label))
            for code, label in CHECKLIST_SECTION_LABELS.items()
        ]
        categories = [SelectChoice("", "—")] + [
            SelectChoice(code, c.label(locale)) for code, c in HAZARD_CATEGORIES.items()
        ]
        for entry in self.items:
            entry.form.section.choices = sections
            entry.form.hazard_category.choices = categories

    def filled_rows(self) -> list:
        """Return the item rows with anything typed or chosen (blank rows are left out)."""
        return [
            e
            for e in self.items
            if e.form.name.data or e.form.section.data or e.form.hazard_category.data
        ]

    def as_body(self) -> dict:
        return {
            "name": self.name.data or "",
            "kind": self.kind.data or None,
            "items": [
                {
                    "section": e.form.section.data or "",
                    "name": e.form.name.data or "",
                    "hazard_category": e.form.hazard_category.data or "",
                }
                for e in self.filled_rows()
            ],
        }

    def field_for(self, name: str):
        parts = name.split(".")
        if parts[0] == "items" and len(parts) == 3 and parts[1].isdigit():
            rows = self.filled_rows()
            index = int(parts[1])
            return getattr(rows[index].form, parts[2], None) if index < len(rows) else None
        if parts[0] == "items":
            return None  # "A checklist needs at least one item": said at the top
        field = getattr(self, parts[0], None)
        return field if field is not None and hasattr(field, "errors") else None
