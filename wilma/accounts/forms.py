"""Forms of the accounts pages (Flask-WTF: CSRF on each, errors shown at the field)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional


class LoginForm(FlaskForm):
    login = StringField(_l("Username or e-mail"), validators=[DataRequired(), Length(max=254)],
                        render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)],
                             render_kw={"autocomplete": "current-password"})


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=1024)],
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("new_password", _l("The passwords differ."))],
                            render_kw={"autocomplete": "new-password"})


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254)])  # checked by the service
    job_title = StringField(_l("Job title"), validators=[Optional(), Length(max=200)])
    org_unit_id = SelectField(_l("Organisation unit"), coerce=int, validators=[Optional()])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=80)])
    room = StringField(_l("Room"), validators=[Optional(), Length(max=80)])
    about = TextAreaField(_l("About me (Markdown)"), validators=[Optional(), Length(max=10_000)])
    locale = SelectField(_l("Language"), choices=[("de", "Deutsch"), ("en", "English")])


class AvatarForm(FlaskForm):
    avatar = FileField(_l("Picture"), validators=[FileAllowed(["png", "jpg", "jpeg", "gif", "webp"],
                                                             _l("Please choose a PNG, JPEG, GIF or WebP image."))])


class TokenForm(FlaskForm):
    name = StringField(_l("Label"), validators=[DataRequired(), Length(max=100)])


class EmptyForm(FlaskForm):
    """For buttons that post (logout, revoke): carries only the CSRF token."""
