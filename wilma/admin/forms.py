"""Forms of the admin pages (Flask-WTF: CSRF on each, errors shown at the field)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional


class CreateUserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocomplete": "off"})
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(max=1024)],
                             render_kw={"autocomplete": "new-password"})
    is_admin = BooleanField(_l("Administrator"))


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)],
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("new_password", _l("The passwords differ."))],
                            render_kw={"autocomplete": "new-password"})


class DeleteUserForm(FlaskForm):
    confirm = StringField(_l("Type the username to confirm"), validators=[DataRequired(), Length(max=80)],
                          render_kw={"autocomplete": "off"})


class OrgUnitForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    short = StringField(_l("Short name"), validators=[Optional(), Length(max=40)])
    kind = StringField(_l("Kind (e.g. Referat, Amt)"), validators=[Optional(), Length(max=60)])
    parent_id = SelectField(_l("Part of"), coerce=int, validators=[Optional()])


class RenameUnitForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    short = StringField(_l("Short name"), validators=[Optional(), Length(max=40)])
    kind = StringField(_l("Kind (e.g. Referat, Amt)"), validators=[Optional(), Length(max=60)])


class MoveUnitForm(FlaskForm):
    parent_id = SelectField(_l("Move to"), coerce=int, validators=[Optional()])


class MemberRoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[("owner", _l("Owner")), ("moderator", _l("Moderator")),
                                            ("member", _l("Member"))])


def show_service_error(form, err, default_field: str | None = None) -> bool:
    """Put a service's refusal at its field of ``form``; ``False`` when the form has no such field
    (the caller flashes it instead)."""
    target = getattr(form, err.field or default_field or "", None)
    if target is None:
        return False
    target.errors = [*target.errors, err.message]
    return True
