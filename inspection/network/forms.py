"""Forms of the network pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, FloatField, StringField
from wtforms.validators import NumberRange, Optional


class RoadImportForm(FlaskForm):
    file = FileField(
        _l("GeoJSON file of centreline segments"),
        validators=[
            FileRequired(),
            FileAllowed(["geojson", "json"], _l("Choose a .geojson or .json file.")),
        ],
    )
    code_field = StringField(_l("Road code attribute"), default="roadcode")
    name_field = StringField(_l("Road name attribute"), default="roadname")
    start_field = StringField(_l("Start stake attribute"), default="startzh")
    end_field = StringField(_l("End stake attribute"), default="endzh")
    direction_field = StringField(_l("Direction attribute"), default="ldlx")
    join_tolerance = FloatField(
        _l("Join tolerance (m)"), default=50.0, validators=[Optional(), NumberRange(1, 5000)]
    )
    dry_run = BooleanField(_l("Dry run: only show what would happen"), default=True)
