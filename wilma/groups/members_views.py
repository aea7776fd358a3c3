"""Membership pages: members and roles, requests, invitations, join and leave."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from wilma.accounts.forms import EmptyForm
from wilma.accounts.models import User
from wilma.core.errors import ServiceError
from wilma.core.security import require_login
from wilma.extensions import db
from wilma.groups import bp, services
from wilma.groups.forms import InviteForm, RoleForm
from wilma.groups.limits import limit_join
from wilma.groups.views import act, group_context


def _members_url(group) -> str:
    return url_for("groups.members", group_id=group.id)


@bp.route("/groups/<int:group_id>/members", methods=["GET"])
@require_login
def members(group_id: int):
    group = services.get_group_for(current_user, group_id)
    services.ensure_readable(current_user, group)
    return render_template("groups/members.html", memberships=services.members(group),
                           invite_form=InviteForm(), role_form=RoleForm(),
                           invited=services.pending_requests(group, "invite") if services.can_moderate(
                               current_user, group) else [], **group_context(group))


@bp.post("/groups/<int:group_id>/invite")
@require_login
def invite(group_id: int):
    group = services.get_group_for(current_user, group_id)
    services.ensure_moderator(current_user, group)
    form = InviteForm()
    if not form.validate_on_submit():
        flash(_("Please enter a username."), "error")
        return redirect(_members_url(group))
    username = form.username.data.strip().lower().lstrip("@")
    person = db.session.scalar(select(User).where(User.username == username))
    if person is None:
        flash(_("There is nobody with the username %(name)s.", name=username), "error")
        return redirect(_members_url(group))
    try:
        state = services.invite(current_user, group, person.id)
    except ServiceError as err:
        if err.status in (403, 404):
            raise
        db.session.rollback()
        flash(err.message, "error")
    else:
        flash(_("%(name)s is already a member.", name=person.display_name) if state == "member"
              else _("%(name)s has been invited.", name=person.display_name), "success")
    return redirect(_members_url(group))


@bp.post("/groups/<int:group_id>/members/<int:user_id>/remove")
@require_login
def remove(group_id: int, user_id: int):
    group = services.get_group_for(current_user, group_id)
    return act(lambda: services.remove_member(current_user, group, user_id), _members_url(group))


@bp.post("/groups/<int:group_id>/members/<int:user_id>/role")
@require_login
def change_role(group_id: int, user_id: int):
    group = services.get_group_for(current_user, group_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    return act(lambda: services.change_role(current_user, group, user_id, form.role.data), _members_url(group))


@bp.post("/groups/<int:group_id>/join")
@require_login
@limit_join
def join(group_id: int):
    state = {}

    def run():
        state["result"] = services.join(current_user, group_id)

    response = act(run, url_for("groups.show", group_id=group_id))
    if state.get("result") == "member":
        flash(_("You are now a member of this group."), "success")
    elif state.get("result") == "requested":
        flash(_("Your request has been sent to the group's owners."), "success")
    return response


@bp.post("/groups/<int:group_id>/leave")
@require_login
def leave(group_id: int):
    done = {}

    def run():
        services.leave(current_user, group_id)
        done["ok"] = True

    response = act(run, url_for("groups.show", group_id=group_id))
    if done:
        flash(_("You have left the group."), "success")
        return redirect(url_for("groups.directory"))
    return response


@bp.get("/groups/<int:group_id>/requests")
@require_login
def requests(group_id: int):
    group = services.get_group_for(current_user, group_id)
    services.ensure_moderator(current_user, group)
    return render_template("groups/requests.html", open_requests=services.pending_requests(group),
                           invited=services.pending_requests(group, "invite"), **group_context(group))


@bp.post("/groups/<int:group_id>/requests/<int:user_id>/<any(approve, decline):decision>")
@require_login
def decide(group_id: int, user_id: int, decision: str):
    group = services.get_group_for(current_user, group_id)
    fn = services.approve_request if decision == "approve" else services.decline_request
    response = act(lambda: fn(current_user, group, user_id), url_for("groups.requests", group_id=group.id))
    return response


@bp.get("/groups/invitations")
@require_login
def invitations():
    return render_template("groups/invitations.html", invitations=services.my_invitations(current_user),
                           button_form=EmptyForm())


@bp.post("/groups/invitations/<int:group_id>/<any(accept, decline):decision>")
@require_login
def answer_invitation(group_id: int, decision: str):
    fn = services.accept_invitation if decision == "accept" else services.decline_invitation
    target = url_for("groups.show", group_id=group_id) if decision == "accept" else url_for("groups.invitations")
    return act(lambda: fn(current_user, group_id), target)
