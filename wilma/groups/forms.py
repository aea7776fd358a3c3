"""Forms of the group pages (Flask-WTF: CSRF on each; the services check the values again)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

VISIBILITY_CHOICES = [
    ("public", _l("Public: everyone sees the group and can join")),
    ("private", _l("Private: everyone sees name and description, members see the content")),
    ("secret", _l("Secret: only members know the group exists")),
]
ROLE_CHOICES = [("member", _l("Member")), ("moderator", _l("Moderator")), ("owner", _l("Owner"))]


class GroupForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description (Markdown)"), validators=[Optional(), Length(max=10_000)])
    visibility = SelectField(_l("Visibility"), choices=VISIBILITY_CHOICES, default="public")
    category = StringField(_l("Category"), validators=[Optional(), Length(max=80)])
    color = StringField(_l("Colour"), default="#0b5cad", render_kw={"type": "color"},
                        validators=[Optional(), Regexp(r"^#[0-9a-fA-F]{6}$",
                                                       message=_l("Colours are written like #0b5cad."))])


class ImageForm(FlaskForm):
    image = FileField(_l("Group picture"), validators=[FileAllowed(["png", "jpg", "jpeg", "gif", "webp"],
                                                                 _l("Please choose a PNG, JPEG, GIF or WebP image."))])


class InviteForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocomplete": "off"})


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
