"""Admin pages for the organisation tree: add, rename, move and delete units."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wilma.accounts.forms import EmptyForm
from wilma.admin import bp, organisation
from wilma.admin.forms import MoveUnitForm, OrgUnitForm, RenameUnitForm, show_service_error
from wilma.core.errors import ServiceError
from wilma.core.security import require_admin
from wilma.extensions import db


def _choices(exclude=None) -> list[tuple[int, str]]:
    """Parent choices, indented; a unit and its sub-units are left out when moving it."""
    choices = [(0, _("— top level —"))]
    for unit, depth in organisation.tree():
        if exclude is not None and exclude in unit.path():
            continue
        choices.append((unit.id, "\u2003" * depth + unit.label))
    return choices


def _admin():
    return current_user._get_current_object()


@bp.route("/org", methods=["GET", "POST"])
@require_admin
def org():
    form = OrgUnitForm()
    form.parent_id.choices = _choices()
    if form.validate_on_submit():
        try:
            unit = organisation.create_unit(_admin(), name=form.name.data, short=form.short.data,
                                            kind=form.kind.data, parent_id=form.parent_id.data or None)
        except ServiceError as err:
            db.session.rollback()
            if not show_service_error(form, err):
                flash(err.message, "error")
        else:
            flash(_("%(name)s has been added.", name=unit.name), "success")
            return redirect(url_for("admin.org"))
    return render_template("admin/org.html", form=form, rows=organisation.tree(),
                           counts=organisation.people_counts())


def _unit_page(unit, rename_form=None, move_form=None, status=200):
    rename_form = rename_form or RenameUnitForm(formdata=None, obj=unit)
    move_form = move_form or MoveUnitForm(formdata=None, parent_id=unit.parent_id or 0)
    move_form.parent_id.choices = _choices(exclude=unit)
    return render_template("admin/org_unit.html", unit=unit, rename_form=rename_form, move_form=move_form,
                           delete_form=EmptyForm(), people=organisation.people_counts().get(unit.id, 0)), status


@bp.get("/org/<int:unit_id>")
@require_admin
def org_unit(unit_id: int):
    return _unit_page(organisation.get_unit(unit_id))


@bp.post("/org/<int:unit_id>/rename")
@require_admin
def rename_unit(unit_id: int):
    unit = organisation.get_unit(unit_id)
    form = RenameUnitForm()
    if form.validate_on_submit():
        try:
            organisation.rename_unit(_admin(), unit, name=form.name.data, short=form.short.data,
                                     kind=form.kind.data)
        except ServiceError as err:
            db.session.rollback()
            if not show_service_error(form, err, "name"):
                flash(err.message, "error")
        else:
            flash(_("The unit has been renamed."), "success")
            return redirect(url_for("admin.org_unit", unit_id=unit_id))
    return _unit_page(unit, rename_form=form, status=400)


@bp.post("/org/<int:unit_id>/move")
@require_admin
def move_unit(unit_id: int):
    unit = organisation.get_unit(unit_id)
    form = MoveUnitForm()
    form.parent_id.choices = _choices(exclude=unit)
    if form.validate_on_submit():
        try:
            organisation.move_unit(_admin(), unit, form.parent_id.data or None)
        except ServiceError as err:
            db.session.rollback()
            show_service_error(form, err, "parent_id")
        else:
            flash(_("The unit has been moved."), "success")
            return redirect(url_for("admin.org_unit", unit_id=unit_id))
    return _unit_page(unit, move_form=form, status=400)


@bp.post("/org/<int:unit_id>/delete")
@require_admin
def delete_unit(unit_id: int):
    unit = organisation.get_unit(unit_id)
    if not EmptyForm().validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for("admin.org_unit", unit_id=unit_id))
    try:
        organisation.delete_unit(_admin(), unit)
    except ServiceError as err:
        db.session.rollback()
        flash(err.message, "error")
        return redirect(url_for("admin.org_unit", unit_id=unit_id))
    flash(_("The unit has been deleted."), "success")
    return redirect(url_for("admin.org"))

