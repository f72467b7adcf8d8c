"""Sign-in and user administration forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length
from wtforms.widgets import CheckboxInput, ListWidget

from inspection.auth.permissions import ROLE_LABELS, Role


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Stay signed in on this phone"))


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=8, max=256)]
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", _l("The two passwords differ."))],
    )


class UserForm(FlaskForm):
    # Every check is the declared model's (auth/schemas.py UserBody) and the service's.
    username = StringField(_l("Username"))
    display_name = StringField(_l("Full name"))
    password = PasswordField(_l("Password"))
    roles = SelectMultipleField(
        _l("Roles"),
        choices=[SelectChoice(r.value, _l(ROLE_LABELS[r])) for r in Role],
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )

    def as_body(self) -> dict:
        return {
            "username": self.username.data,
            "display_name": self.display_name.data,
            "password": self.password.data,
            "roles": list(self.roles.data or []),
        }


class TokenForm(FlaskForm):
    # Checked by the API's TokenBody (auth/schemas.py).
    name = StringField(_l("What the token is for"))
