"""Forms of the wiki pages (Flask-WTF: CSRF on each)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from wilma.wiki.services import BODY_MAX, SUMMARY_MAX


class NewPageForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    parent_id = SelectField(_l("Below page"), coerce=int, validators=[Optional()], default=0)
    body = TextAreaField(_l("Text (Markdown; link pages with [[Page title]])"),
                         validators=[Optional(), Length(max=BODY_MAX)], render_kw={"rows": 18})
    summary = StringField(_l("Summary of your change (optional)"), validators=[Optional(), Length(max=SUMMARY_MAX)])


class EditPageForm(FlaskForm):
    body = TextAreaField(_l("Text (Markdown; link pages with [[Page title]])"),
                         validators=[Optional(), Length(max=BODY_MAX)], render_kw={"rows": 22})
    summary = StringField(_l("Summary of your change (optional)"), validators=[Optional(), Length(max=SUMMARY_MAX)])
    base_revision_id = HiddenField()


class RenameForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    parent_id = SelectField(_l("Below page"), coerce=int, validators=[Optional()], default=0)


class AttachmentForm(FlaskForm):
    file = FileField(_l("File"))


class ActionForm(FlaskForm):
    """Buttons that change something (delete, restore, watch): CSRF only."""


class EditorForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
