"""The Digitalisierungsradar: everyone sees it, admins edit its projects."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, Optional

from plugins.muenchen.models import RadarProject
from plugins.muenchen.radar import SIZE, layout
from wilma.core.database import commit
from wilma.core.errors import NotFound
from wilma.core.security import ensure_admin, require_login
from wilma.extensions import db

bp = Blueprint("muenchen", __name__, url_prefix="/muenchen", template_folder="templates",
               static_folder="static")


class ProjectForm(FlaskForm):
    name = StringField("Projekt", validators=[DataRequired(), Length(max=120)])
    field = SelectField("Handlungsfeld", validators=[DataRequired()])
    stage = SelectField("Phase", validators=[DataRequired()])
    description = TextAreaField("Beschreibung", validators=[Optional(), Length(max=2000)])
    url = StringField("Link", validators=[Optional(), URL(require_tld=False), Length(max=300)])


class DeleteForm(FlaskForm):
    pass


def _fields_and_stages():
    return current_app.config["MUENCHEN_RADAR_FIELDS"], current_app.config["MUENCHEN_RADAR_STAGES"]


@bp.get("/radar")
@require_login
def radar():
    fields, stages = _fields_and_stages()
    projects = db.session.scalars(select(RadarProject).order_by(RadarProject.field, RadarProject.name)).all()
    blips, sectors, radii = layout(projects, fields, stages)
    selected = request.args.get("feld")
    return render_template("muenchen/radar.html", blips=blips, sectors=sectors, radii=radii, stages=stages,
                           fields=fields, size=SIZE, selected=selected if selected in fields else None,
                           delete_form=DeleteForm())


@bp.route("/radar/new", methods=["GET", "POST"])
@bp.route("/radar/<int:project_id>/edit", methods=["GET", "POST"])
@require_login
def edit_project(project_id: int | None = None):
    ensure_admin(current_user)
    project = db.session.get(RadarProject, project_id) if project_id else RadarProject()
    if project is None:
        raise NotFound()
    form = ProjectForm(obj=project)
    fields, stages = _fields_and_stages()
    form.field.choices = [(f, f) for f in fields]
    form.stage.choices = [(s, s) for s in stages]
    if form.validate_on_submit():
        form.populate_obj(project)
        project.updated_by_id = current_user.id
        db.session.add(project)
        commit()
        flash(f"„{project.name}“ gespeichert.", "success")
        return redirect(url_for("muenchen.radar"))
    return render_template("muenchen/radar_form.html", form=form, project=project)


@bp.post("/radar/<int:project_id>/delete")
@require_login
def delete_project(project_id: int):
    ensure_admin(current_user)
    project = db.session.get(RadarProject, project_id)
    if project is None:
        raise NotFound()
    if DeleteForm().validate_on_submit():
        db.session.delete(project)
        commit()
        flash(f"„{project.name}“ entfernt.", "success")
    return redirect(url_for("muenchen.radar"))
