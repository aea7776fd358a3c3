"""Read markers and unread counts: per channel, in total, and live to the reader's other tabs.

A person's read marker is the id of the last message they have seen in a channel. Unread are the
messages after it written by others and not deleted. A group member without a marker yet (the groups
feature did not call ``member_added``) counts from the time they joined the group.
"""

from flask import current_app
from sqlalchemy import and_, func, or_, select

from wilma.chat.models import GROUP, Channel, ChannelMember, ChatMessage
from wilma.chat.services import channels_of, get_channel, room_for
from wilma.core.database import commit
from wilma.core.errors import ValidationError
from wilma.core.realtime import emit_after_commit, user_room
from wilma.extensions import db
from wilma.groups.models import GroupMembership


def read_markers_enabled() -> bool:
    return bool(current_app.config.get("WILMA_CHAT_READ_MARKERS", True))


def _baseline(user_id: int, channel: Channel) -> int:
    """Where a person without a marker starts reading: the last message before they joined."""
    if channel.kind != GROUP:
        return 0
    joined = db.session.scalar(select(GroupMembership.joined_at).where(
        GroupMembership.group_id == channel.group_id, GroupMembership.user_id == user_id))
    if joined is None:
        return 0
    return db.session.scalar(select(func.max(ChatMessage.id)).where(
        ChatMessage.channel_id == channel.id, ChatMessage.created_at <= joined)) or 0


def last_read_ids(user_id: int, channels: list[Channel]) -> dict[int, int]:
    """The read marker of ``user_id`` in each channel."""
    ids = [c.id for c in channels]
    rows = dict(db.session.execute(select(ChannelMember.channel_id, ChannelMember.last_read_message_id).where(
        ChannelMember.user_id == user_id, ChannelMember.channel_id.in_(ids or [-1]))).all())
    return {c.id: rows[c.id] if c.id in rows else _baseline(user_id, c) for c in channels}


def unread_counts(user, channels: list[Channel] | None = None) -> dict[int, int]:
    """Unread messages per channel id (channels with none are included with 0)."""
    channels = channels_of(user) if channels is None else channels
    if not channels:
        return {}
    marks = last_read_ids(user.id, channels)
    conditions = [and_(ChatMessage.channel_id == cid, ChatMessage.id > last) for cid, last in marks.items()]
    rows = db.session.execute(select(ChatMessage.channel_id, func.count()).where(
        or_(*conditions), ChatMessage.deleted_at.is_(None),
        or_(ChatMessage.author_id != user.id, ChatMessage.author_id.is_(None))).group_by(ChatMessage.channel_id))
    counts = {c.id: 0 for c in channels}
    counts.update(dict(rows.all()))
    return counts


def unread_total(user) -> int:
    """All unread chat messages of ``user`` (the badge next to "Chat" in the navigation)."""
    return sum(unread_counts(user, channels_of(user, create=False)).values())


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
        raise ValidationError("'message_id' must be a message id.", field="message_id")
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
