"""The login and set-password forms (Flask-WTF: CSRF on by default)."""
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from pro_service.i18n import _l
from pro_service.plain_text import PlainTextForm


class LoginForm(PlainTextForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Enter your email address.")), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=200)])


class SetPasswordForm(PlainTextForm):
    """A password the user chooses; the policy's rules are checked by `users.set_password`."""

    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Enter a new password."))])
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(_l("Enter the new password again.")),
        EqualTo("password", _l("The two passwords are not the same.")),
    ])
