"""Channels, who is in them, read markers and unread counts. Every permission decision of chat lives here
(messages are in ``wilma.chat.messages``, presence and typing in ``wilma.chat.presence``).

Membership is read from the database on every call: a group channel's members are the group's members
right now, so someone removed from a group cannot read or send even if their open socket was never told.
The groups feature calls ``member_added`` / ``member_removed`` so that open sockets also join or leave the
channel's room at once (and stop receiving live messages).
"""

import logging

from flask_babel import gettext as _
from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from wilma.accounts.models import User
from wilma.chat.models import DIRECT, GROUP, Channel, ChannelMember, ChatMessage
from wilma.core.database import after_commit, commit
from wilma.core.errors import NotFound, ValidationError
from wilma.core.realtime import socket_ids, user_room
from wilma.extensions import db, socketio
from wilma.groups.models import Group, GroupMembership

logger = logging.getLogger("wilma.chat")
MAX_DIRECT_MEMBERS = 50


def room_for(channel_id: int) -> str:
    """The Socket.IO room of a channel: every open socket of its members."""
    return f"channel:{channel_id}"


def _active(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "active", False)


def member_group_ids_now(user_id: int) -> set[int]:
    """The (not deleted) groups ``user_id`` belongs to, read fresh from the database (no request cache)."""
    return set(db.session.scalars(select(GroupMembership.group_id).join(Group).where(
        GroupMembership.user_id == user_id, Group.deleted_at.is_(None))))


def is_member(user_id: int, channel: Channel) -> bool:
    """Whether ``user_id`` is in ``channel`` right now (group channels: a member of the live group)."""
    if channel.kind == GROUP:
        return bool(db.session.scalar(select(exists().where(
            GroupMembership.group_id == channel.group_id, GroupMembership.user_id == user_id,
            GroupMembership.group_id == Group.id, Group.deleted_at.is_(None)))))
    return bool(db.session.scalar(select(exists().where(
        ChannelMember.channel_id == channel.id, ChannelMember.user_id == user_id))))


def get_channel(user, channel_id) -> Channel:
    """The channel, if ``user`` is in it; otherwise 404 (a channel one is not in answers like a missing one)."""
    try:
        channel_id = int(channel_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    channel = db.session.get(Channel, channel_id) if _active(user) else None
    if channel is None or not is_member(user.id, channel):
        raise NotFound()
    return channel


def group_channel(group_id: int) -> Channel:
    """The channel of a group, created on first use (safe when two processes create it at once)."""
    channel = db.session.scalar(select(Channel).where(Channel.group_id == group_id))
    if channel is not None:
        return channel
    try:
        with db.session.begin_nested():
            channel = Channel(kind=GROUP, group_id=group_id)
            db.session.add(channel)
    except IntegrityError:
        channel = db.session.scalar(select(Channel).where(Channel.group_id == group_id))
    return channel


def channels_of(user, *, create: bool = True) -> list[Channel]:
    """Every channel ``user`` is in: the channels of their groups and their direct conversations.

    A group's channel is created on first use; with ``create=False`` (read-only callers such as the
    navigation badge) groups without one are left out, as they hold no messages yet.
    """
    if not _active(user):
        return []
    group_ids = sorted(member_group_ids_now(user.id))
    if create:
        # one query for the channels that exist: this runs on every socket connect and disconnect,
        # inside a write transaction, for people in a hundred groups too
        existing = {c.group_id: c for c in db.session.scalars(
            select(Channel).where(Channel.group_id.in_(group_ids or [-1])))}
        channels = [existing.get(gid) or group_channel(gid) for gid in group_ids]
    else:
        channels = list(db.session.scalars(select(Channel).where(Channel.group_id.in_(group_ids or [-1]))))
    channels += list(db.session.scalars(select(Channel).join(ChannelMember).where(
        Channel.kind == DIRECT, ChannelMember.user_id == user.id)))
    return channels


def channel_ids_of(user) -> list[int]:
    return [c.id for c in channels_of(user)]


def direct_members(channel: Channel) -> list[User]:
    return [m.user for m in sorted(channel.members, key=lambda m: m.user.display_name.lower())]


def channel_members(channel: Channel) -> list[User]:
    """The active people in a channel (for mentions and the member list)."""
    if channel.kind == GROUP:
        query = select(User).join(GroupMembership, GroupMembership.user_id == User.id).where(
            GroupMembership.group_id == channel.group_id)
    else:
        query = select(User).join(ChannelMember, ChannelMember.user_id == User.id).where(
            ChannelMember.channel_id == channel.id)
    return list(db.session.scalars(query.where(User.active.is_(True)).order_by(User.display_name)))


def channel_title(channel: Channel, viewer) -> str:
    """A group channel is called like its group; a direct conversation after the other people in it."""
    if channel.kind == GROUP:
        return channel.group.name if channel.group else _("Group")
    others = [u.display_name for u in direct_members(channel) if u.id != viewer.id]
    return ", ".join(others) or viewer.display_name


# --- direct conversations ----------------------------------------------------------------------------------


def open_direct(user, member_ids) -> tuple[Channel, bool]:
    """The direct conversation of ``user`` with ``member_ids`` (the same people reuse the same one).

    Returns ``(channel, created)``.
    """
    if not isinstance(member_ids, list) or not all(isinstance(i, int) and not isinstance(i, bool)
                                                   for i in member_ids):
        raise ValidationError(_("'member_ids' must be a list of user ids."), field="member_ids")
    ids = set(member_ids) | {user.id}
    if len(ids) < 2:
        raise ValidationError(_("Choose at least one other person."), field="member_ids")
    if len(ids) > MAX_DIRECT_MEMBERS:
        raise ValidationError(_("At most %(n)d people.", n=MAX_DIRECT_MEMBERS), field="member_ids")
    people = list(db.session.scalars(select(User).where(User.id.in_(ids), User.active.is_(True))))
    if len(people) != len(ids):
        raise ValidationError(_("Unknown person."), field="member_ids")
    key = ",".join(str(i) for i in sorted(ids))
    channel = db.session.scalar(select(Channel).where(Channel.direct_key == key))
    if channel is not None:
        return channel, False
    try:
        with db.session.begin_nested():
            channel = Channel(kind=DIRECT, direct_key=key)
            channel.members = [ChannelMember(user_id=i) for i in sorted(ids)]
            db.session.add(channel)
    except IntegrityError:
        return db.session.scalar(select(Channel).where(Channel.direct_key == key)), False
    sids = [sid for i in ids for sid in socket_ids(user_id=i)]
    after_commit(lambda: _enter_room(sids, channel.id))
    after_commit(lambda: [socketio.emit("chat:channel", {"channel_id": channel.id}, to=user_room(i))
                          for i in ids])
    commit()
    return channel, True


def _enter_room(sids: list[str], channel_id: int) -> None:
    for sid in sids:
        try:
            socketio.server.enter_room(sid, room_for(channel_id), namespace="/")
        except Exception:  # the socket closed meanwhile
            logger.debug("socket %s is gone", sid)


def _leave_room(sids: list[str], channel_id: int) -> None:
    for sid in sids:
        try:
            socketio.server.leave_room(sid, room_for(channel_id), namespace="/")
        except Exception:
            logger.debug("socket %s is gone", sid)


# --- group membership changes (called by the groups feature) ------------------------------------------------

_tables_ready: dict[str, bool] = {}


def chat_tables_ready() -> bool:
    """Whether the chat's tables exist (false between an update and ``flask db upgrade``), once per
    database: group membership changes must keep working on an installation not migrated yet."""
    key = str(db.engine.url)
    if not _tables_ready.get(key):
        from sqlalchemy import inspect

        _tables_ready[key] = inspect(db.session.connection()).has_table(Channel.__tablename__)
    return _tables_ready[key]


def member_added(group_id: int, user_id: int) -> None:
    """A person joined a group: their read state starts now and their open sockets join the channel room.

    Call inside the groups service's transaction; the room change happens after commit.
    """
    if not chat_tables_ready():
        return
    channel = group_channel(group_id)
    last = db.session.scalar(select(func.max(ChatMessage.id)).where(ChatMessage.channel_id == channel.id)) or 0
    row = db.session.scalar(select(ChannelMember).where(ChannelMember.channel_id == channel.id,
                                                        ChannelMember.user_id == user_id))
    if row is None:
        db.session.add(ChannelMember(channel_id=channel.id, user_id=user_id, last_read_message_id=last))
    sids = socket_ids(user_id=user_id)
    channel_id = channel.id
    after_commit(lambda: _enter_room(sids, channel_id))
    after_commit(lambda: socketio.emit("chat:channel", {"channel_id": channel_id}, to=user_room(user_id)))


def member_removed(group_id: int, user_id: int) -> None:
    """A person left (or was removed from) a group: their open sockets leave the channel room at once."""
    if not chat_tables_ready():
        return
    channel = db.session.scalar(select(Channel).where(Channel.group_id == group_id))
    if channel is None:
        return
    for row in db.session.scalars(select(ChannelMember).where(ChannelMember.channel_id == channel.id,
                                                               ChannelMember.user_id == user_id)):
        db.session.delete(row)
    sids = socket_ids(user_id=user_id)
    channel_id = channel.id
    after_commit(lambda: _leave_room(sids, channel_id))
    after_commit(lambda: socketio.emit("chat:removed", {"channel_id": channel_id}, to=user_room(user_id)))


def leave_if_not_member(user, channel_id: int, sid: str) -> None:
    """A socket that asks about a channel it is no longer in is taken out of the room."""
    _leave_room([sid], channel_id)
