"""Read markers and unread counts: per channel, in total, and live to the reader's other tabs.

A person's read marker is the id of the last message they have seen in a channel. Unread are the
messages after it written by others and not deleted. A group member without a marker yet (the groups
feature did not call ``member_added``) counts from the time they joined the group.
"""

from functools import cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, case, func, or_, select, union_all

from wilma.chat.models import DIRECT, Channel, ChannelMember, ChatMessage
from wilma.chat.services import _active, channels_of, get_channel, room_for
from wilma.core.database import commit
from wilma.core.errors import ValidationError
from wilma.core.realtime import emit_after_commit, user_room
from wilma.core.security import member_group_ids
from wilma.extensions import db
from wilma.groups.models import GroupMembership


def read_markers_enabled() -> bool:
    return bool(current_app.config.get("WILMA_CHAT_READ_MARKERS", True))


def _baseline(user_id: int, channel_id: int, group_id: int | None) -> int:
    """Where a person without a marker starts reading: the last message before they joined."""
    if group_id is None:
        return 0
    joined = db.session.scalar(select(GroupMembership.joined_at).where(
        GroupMembership.group_id == group_id, GroupMembership.user_id == user_id))
    if joined is None:
        return 0
    return db.session.scalar(select(func.max(ChatMessage.id)).where(
        ChatMessage.channel_id == channel_id, ChatMessage.created_at <= joined)) or 0


def last_read_ids(user_id: int, channels: list[Channel]) -> dict[int, int]:
    """The read marker of ``user_id`` in each channel."""
    ids = [c.id for c in channels]
    rows = dict(db.session.execute(select(ChannelMember.channel_id, ChannelMember.last_read_message_id).where(
        ChannelMember.user_id == user_id, ChannelMember.channel_id.in_(ids or [-1]))).all())
    # a channel without messages needs no baseline (and no two queries to find one)
    return {c.id: rows[c.id] if c.id in rows else _baseline(user_id, c.id, c.group_id) if c.last_message_id else 0
            for c in channels}


def _count_after(user_id: int, marks: dict[int, int]) -> dict[int, int]:
    """Messages of others, not deleted, after the given marker in each channel (channels with none left out)."""
    if not marks:
        return {}
    conditions = [and_(ChatMessage.channel_id == cid, ChatMessage.id > last) for cid, last in marks.items()]
    return dict(db.session.execute(select(ChatMessage.channel_id, func.count()).where(
        or_(*conditions), ChatMessage.deleted_at.is_(None),
        or_(ChatMessage.author_id != user_id, ChatMessage.author_id.is_(None))).group_by(
        ChatMessage.channel_id)).all())


def unread_counts(user, channels: list[Channel] | None = None) -> dict[int, int]:
    """Unread messages per channel id (channels with none are included with 0).

    Only channels whose newest message is past the reader's marker are counted: in the usual case, where
    most channels are read, that is a few or none.
    """
    channels = channels_of(user) if channels is None else channels
    if not channels:
        return {}
    marks = last_read_ids(user.id, channels)
    pending = {c.id: marks[c.id] for c in channels if (c.last_message_id or 0) > marks[c.id]}
    counts = {c.id: 0 for c in channels}
    counts.update(_count_after(user.id, pending))
    return counts


@cache
def _my_channels_select():
    """The person's channels with messages: group channels of ``group_ids`` and their direct
    conversations, with the marker and, where the newest message is past it, the count of unread
    messages (a correlated count, only evaluated for those channels). Built once: it runs on every page."""
    me = bindparam("user_id")
    marker = ChannelMember.last_read_message_id
    mine = and_(ChannelMember.channel_id == Channel.id, ChannelMember.user_id == me)
    unread = select(func.count()).select_from(ChatMessage).where(
        ChatMessage.channel_id == Channel.id, ChatMessage.id > marker, ChatMessage.deleted_at.is_(None),
        or_(ChatMessage.author_id != me, ChatMessage.author_id.is_(None))).scalar_subquery()
    counted = case((and_(marker.is_not(None), Channel.last_message_id > marker), unread), else_=0)
    columns = (Channel.id, Channel.group_id, Channel.last_message_id, marker, counted)
    of_groups = select(*columns).outerjoin(ChannelMember, mine).where(
        Channel.group_id.in_(bindparam("group_ids", expanding=True)), Channel.last_message_id.is_not(None))
    direct = select(*columns).join(ChannelMember, mine).where(
        Channel.kind == DIRECT, Channel.last_message_id.is_not(None))
    return union_all(of_groups, direct)


def unread_total(user) -> int:
    """All unread chat messages of ``user`` (the badge next to "Chat" in the navigation, on every page).

    One query reads the person's channels (group channels of the groups in the request's membership set,
    and their direct conversations) and counts the unread messages of those with something new; only a
    group member without a marker yet needs a second query, from where they joined.
    """
    if not _active(user):
        return 0
    total, pending = 0, {}
    rows = db.session.execute(_my_channels_select(), {"user_id": user.id, "group_ids": sorted(member_group_ids(user))})
    for channel_id, group_id, last, marker, counted in rows.all():
        if marker is not None:
            total += counted
            continue
        baseline = _baseline(user.id, channel_id, group_id)
        if last > baseline:
            pending[channel_id] = baseline
    return total + sum(_count_after(user.id, pending).values())


def _set_marker(user_id: int, channel_id: int, message_id: int) -> int:
    row = db.session.scalar(select(ChannelMember).where(ChannelMember.channel_id == channel_id,
                                                        ChannelMember.user_id == user_id))
    if row is None:
        row = ChannelMember(channel_id=channel_id, user_id=user_id, last_read_message_id=0)
        db.session.add(row)
    row.last_read_message_id = max(row.last_read_message_id or 0, message_id)
    return row.last_read_message_id


def advance_own_marker(user_id: int, channel_id: int, message_id: int) -> None:
    """The author has read their own message (no commit; part of the sender's transaction)."""
    _set_marker(user_id, channel_id, message_id)


def mark_read(user, channel_id, message_id) -> dict:
    """Move the read marker of ``user`` in a channel forward to ``message_id`` (never backwards).

    The reader's other tabs get ``chat:unread`` with the new counts; with read markers switched on the
    channel gets ``chat:read`` (who has read how far).
    """
    channel = get_channel(user, channel_id)
    if not isinstance(message_id, int) or isinstance(message_id, bool) or message_id < 0:
        raise ValidationError(_("'message_id' must be a message id."), field="message_id")
    newest = db.session.scalar(select(func.max(ChatMessage.id)).where(ChatMessage.channel_id == channel.id)) or 0
    marker = _set_marker(user.id, channel.id, min(message_id, newest))
    counts = unread_counts(user)
    state = {"channel_id": channel.id, "message_id": marker, "unread": counts.get(channel.id, 0),
             "unread_total": sum(counts.values())}
    emit_after_commit("chat:unread", state, to=user_room(user.id))
    if read_markers_enabled():
        emit_after_commit("chat:read", {"channel_id": channel.id, "user_id": user.id, "message_id": marker},
                          to=room_for(channel.id))
    commit()
    return state


def readers(channel: Channel) -> dict[int, int]:
    """Who has read how far in a channel (``user_id -> message id``), when read markers are on."""
    if not read_markers_enabled():
        return {}
    return dict(db.session.execute(select(ChannelMember.user_id, ChannelMember.last_read_message_id).where(
        ChannelMember.channel_id == channel.id)).all())
