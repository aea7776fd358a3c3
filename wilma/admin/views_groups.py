"""Admin pages for groups: every group (secret ones too) with member counts, archive, delete, roles."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from wilma.accounts.forms import EmptyForm
from wilma.accounts.models import User
from wilma.admin import bp, services
from wilma.admin.forms import MemberRoleForm
from wilma.core.errors import ServiceError
from wilma.core.security import require_admin
from wilma.extensions import db
from wilma.groups.models import GroupMembership


def _group_url(group) -> str | None:
    """The group's own page, when the groups feature serves one."""
    from flask import current_app

    for endpoint in ("groups.show", "groups.view", "groups.group"):
        if endpoint in current_app.view_functions:
            return url_for(endpoint, group_id=group.id)
    return None


@bp.get("/groups")
@require_admin
def groups():
    query = request.args.get("q", "")[:200]
    show_deleted = request.args.get("deleted") == "1"
    rows = services.list_groups(query=query, show_deleted=show_deleted)
    return render_template("admin/groups.html", rows=rows, query=query, show_deleted=show_deleted)


@bp.get("/groups/<int:group_id>")
@require_admin
def group(group_id: int):
    group = services.get_group(group_id, include_deleted=True)
    members = db.session.scalars(select(GroupMembership).where(GroupMembership.group_id == group.id)
                                 .order_by(GroupMembership.joined_at)).all()
    creator = db.session.get(User, group.created_by_id) if group.created_by_id else None
    return render_template("admin/group.html", group=group, members=members, creator=creator,
                           role_form=MemberRoleForm(formdata=None), group_url=_group_url(group))


def _after(success: str, group_id: int, action):
    if not EmptyForm().validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
    else:
        try:
            action()
        except ServiceError as err:
            db.session.rollback()
            flash(err.message, "error")
        else:
            flash(success, "success")
    return redirect(url_for("admin.group", group_id=group_id))


@bp.post("/groups/<int:group_id>/archive")
@require_admin
def archive_group(group_id: int):
    group = services.get_group(group_id)
    archived = request.form.get("archived") == "1"
    return _after(_("The group has been archived.") if archived else _("The group is active again."), group_id,
                  lambda: services.archive_group(current_user._get_current_object(), group, archived))


@bp.route("/groups/<int:group_id>/delete", methods=["GET", "POST"])
@require_admin
def delete_group(group_id: int):
    group = services.get_group(group_id)
    form = EmptyForm()
    if form.validate_on_submit():
        services.delete_group(current_user._get_current_object(), group)
        flash(_("The group %(name)s has been deleted.", name=group.name), "success")
        return redirect(url_for("admin.groups"))
    return render_template("admin/group_delete.html", group=group, form=form)


@bp.post("/groups/<int:group_id>/members/<int:user_id>/role")
@require_admin
def member_role(group_id: int, user_id: int):
    group = services.get_group(group_id)
    form = MemberRoleForm()
    if not form.validate_on_submit():
        flash(_("Unknown role."), "error")
        return redirect(url_for("admin.group", group_id=group_id))
    return _after(_("The role has been changed."), group_id,
                  lambda: services.set_member_role(current_user._get_current_object(), group, user_id,
                                                   form.role.data))
