"""Joining, leaving, requests, invitations, removal and roles. Re-exported by ``groups.services``.

- Public groups: joining makes a member at once. Private groups: joining creates a request that the
  owners and moderators are notified of (``join_request``); approving notifies the requester
  (``approval``). Secret groups cannot be found, so only an invitation brings someone in.
- Invitations (``invitation``) are accepted by joining and declined by leaving. A person invited to a
  secret group may see its name on their invitation and accept it: the invitation is their permission.
- The last owner cannot leave, be removed or be demoted: ownership must be handed over first.
"""

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

import wilma.groups.services as gs
from wilma.accounts.models import User
from wilma.core.audit import audit
from wilma.core.database import after_commit, commit
from wilma.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from wilma.core.security import forget_group_cache
from wilma.extensions import db
from wilma.groups import rooms
from wilma.groups.models import MEMBER, OWNER, PUBLIC, ROLES, Group, GroupMembership, GroupRequest
from wilma.notifications.services import notify, settle

REQUEST, INVITE = "request", "invite"


def _membership(group_id: int, user_id: int) -> GroupMembership | None:
    return db.session.scalar(select(GroupMembership).where(
        GroupMembership.group_id == group_id, GroupMembership.user_id == user_id))


def pending_for(group_id: int, user_id: int) -> GroupRequest | None:
    """The open request or invitation of ``user_id`` for ``group_id``."""
    return db.session.scalar(select(GroupRequest).where(
        GroupRequest.group_id == group_id, GroupRequest.user_id == user_id))


def _close_pending(pending: GroupRequest) -> None:
    """Delete a request or invitation; a request's notifications to the moderators are settled with it,
    so a request one moderator answered no longer waits in the others' bells."""
    if pending.kind == REQUEST:
        settle(kind="join_request", subject_type="group", subject_id=pending.group_id, actor_id=pending.user_id)
    db.session.delete(pending)


def _owner_count(group_id: int) -> int:
    return db.session.scalar(select(func.count()).where(
        GroupMembership.group_id == group_id, GroupMembership.role == OWNER)) or 0


def _url(endpoint: str, **values) -> str:
    """A link for the notification; empty outside a request (CLI, demo), where no host is known."""
    from flask import has_request_context

    return url_for(endpoint, **values) if has_request_context() else ""


def _add_member(group: Group, user: User, role: str = MEMBER) -> GroupMembership:
    """Make ``user`` a member (after commit: sockets join the room, plugins hear ``member_joined``)."""
    pending = pending_for(group.id, user.id)
    if pending is not None:
        _close_pending(pending)
    membership = GroupMembership(group_id=group.id, user_id=user.id, role=role)
    db.session.add(membership)
    db.session.flush()
    forget_group_cache()
    rooms.join_after_commit(user.id, group.id)
    after_commit(lambda: gs.plugin_hook().wilma_member_joined(group=group, user=user))
    return membership


def _moderators(group: Group) -> list[User]:
    return list(db.session.scalars(select(User).join(GroupMembership, GroupMembership.user_id == User.id).where(
        GroupMembership.group_id == group.id, GroupMembership.role.in_(("owner", "moderator")))))


def _group_for_invitee(user, group_id) -> Group:
    """Like ``get_group_for``, but a pending invitation also makes a secret group findable."""
    try:
        return gs.get_group_for(user, group_id)
    except NotFound:
        group = db.session.get(Group, int(group_id)) if str(group_id).isdigit() else None
        pending = pending_for(group.id, user.id) if group is not None and not group.is_deleted else None
        if pending is None or pending.kind != INVITE:
            raise
        return group


def join(user, group_id) -> str:
    """Join (public, or with an invitation) or request to join (private); ``member`` or ``requested``."""
    gs.ensure_user(user)
    group = _group_for_invitee(user, group_id)
    if gs.is_member(user, group):
        return "member"
    gs.ensure_writable(group)
    pending = pending_for(group.id, user.id)
    if group.visibility == PUBLIC or (pending is not None and pending.kind == INVITE):
        _add_member(group, user)
        commit()
        return "member"
    if pending is not None:
        return "requested"
    db.session.add(GroupRequest(group_id=group.id, user_id=user.id, kind=REQUEST))
    notify(recipients=_moderators(group), kind="join_request", actor=user, subject_type="group",
           subject_id=group.id, group_id=group.id, text=group.name,
           url=_url("groups.requests", group_id=group.id))
    commit()
    return "requested"


accept_invitation = join


def leave(user, group_id) -> None:
    """Leave a group, withdraw one's request or decline an invitation. The last owner must hand over."""
    gs.ensure_user(user)
    group = _group_for_invitee(user, group_id)
    membership = _membership(group.id, user.id)
    if membership is None:
        pending = pending_for(group.id, user.id)
        if pending is None:
            raise Conflict(_("You are not a member of this group."))
        _close_pending(pending)
        commit()
        return
    if membership.role == OWNER and _owner_count(group.id) <= 1:
        raise Conflict(_("You are the last owner of this group. Make someone else an owner before you leave."))
    db.session.delete(membership)
    rooms.leave_after_commit(user.id, group.id)
    commit()
    forget_group_cache()


def decline_invitation(user, group_id) -> None:
    """Decline an invitation (the same as leaving while only invited)."""
    leave(user, group_id)


def my_invitations(user) -> list[GroupRequest]:
    """Open invitations of ``user``, newest first (secret groups included: the invitation reveals them)."""
    return list(db.session.scalars(select(GroupRequest).join(Group).where(
        GroupRequest.user_id == user.id, GroupRequest.kind == INVITE, Group.deleted_at.is_(None))
        .order_by(GroupRequest.created_at.desc())))


def pending_requests(group: Group, kind: str = REQUEST) -> list[GroupRequest]:
    return list(db.session.scalars(select(GroupRequest).where(
        GroupRequest.group_id == group.id, GroupRequest.kind == kind).order_by(GroupRequest.created_at)))


def _target_user(user_id) -> User:
    try:
        target = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        target = None
    if target is None:
        raise ValidationError(_("Unknown person."), field="user_id")
    return target


def approve_request(actor, group: Group, user_id) -> None:
    """Approve a request to join: the requester becomes a member and is notified."""
    gs.ensure_moderator(actor, group)
    gs.ensure_writable(group)
    request = pending_for(group.id, int(user_id))
    if request is None or request.kind != REQUEST:
        raise NotFound(_("There is no such request."))
    target = request.user
    _add_member(group, target)
    notify(recipients=[target], kind="approval", actor=actor, subject_type="group", subject_id=group.id,
           group_id=group.id, text=group.name, url=_url("groups.show", group_id=group.id))
    commit()


def decline_request(actor, group: Group, user_id) -> None:
    """Decline a request or withdraw an invitation (one's own request: withdraw it)."""
    if gs._logged_in(actor) and int(user_id) == actor.id:
        return leave(actor, group.id)
    gs.ensure_moderator(actor, group)
    pending = pending_for(group.id, int(user_id))
    if pending is None:
        raise NotFound(_("There is no such request."))
    _close_pending(pending)
    commit()


def invite(actor, group: Group, user_id) -> str:
    """Invite someone; they are notified and become a member by accepting. Returns the new state."""
    gs.ensure_moderator(actor, group)
    gs.ensure_writable(group)
    target = _target_user(user_id)
    if not target.active:
        raise ValidationError(_("This account is deactivated."), field="user_id")
    if _membership(group.id, target.id) is not None:
        return "member"
    pending = pending_for(group.id, target.id)
    if pending is not None and pending.kind == REQUEST:
        approve_request(actor, group, target.id)
        return "member"
    if pending is None:
        db.session.add(GroupRequest(group_id=group.id, user_id=target.id, kind=INVITE, invited_by_id=actor.id))
        # No group_id: the invitee cannot read the group yet, the invitation is what lets them know it.
        notify(recipients=[target], kind="invitation", actor=actor, subject_type="group", subject_id=group.id,
               text=group.name, url=_url("groups.invitations"))
        commit()
    return "invited"


add_or_invite = invite


def remove_member(actor, group: Group, user_id) -> None:
    """Remove a member (moderators remove members; only owners remove moderators and owners)."""
    if int(user_id) == actor.id:
        return leave(actor, group.id)
    gs.ensure_moderator(actor, group)
    membership = _membership(group.id, int(user_id))
    if membership is None:
        pending = pending_for(group.id, int(user_id))
        if pending is None:
            raise NotFound(_("This person is not a member."))
        _close_pending(pending)
        commit()
        return
    if membership.role != MEMBER and not gs.can_own(actor, group):
        raise PermissionDenied(_("Only owners can remove moderators and owners."))
    if membership.role == OWNER and _owner_count(group.id) <= 1:
        raise Conflict(_("The last owner cannot be removed."))
    db.session.delete(membership)
    audit("group.member.remove", actor=actor, target=membership.user,
          detail={"group_id": group.id, "group": group.name, "role": membership.role})
    rooms.leave_after_commit(membership.user_id, group.id)
    commit()
    forget_group_cache()


def change_role(actor, group: Group, user_id, role: str) -> GroupMembership:
    """Make a member owner, moderator or member (owners and admins); the last owner stays owner."""
    gs.ensure_owner(actor, group)
    gs.ensure_writable(group)
    if role not in ROLES:
        raise ValidationError(_("The role must be owner, moderator or member."), field="role")
    membership = _membership(group.id, int(user_id))
    if membership is None:
        raise NotFound(_("This person is not a member."))
    if membership.role == OWNER and role != OWNER and _owner_count(group.id) <= 1:
        raise Conflict(_("The last owner cannot step down. Make someone else an owner first."))
    if membership.role != role:
        audit("group.member.role", actor=actor, target=membership.user,
              detail={"group_id": group.id, "group": group.name, "from": membership.role, "to": role})
    membership.role = role
    forget_group_cache()
    commit()
    return membership
