"""Presence (online, away, offline) and typing indicators; each can be switched off for the installation.

Offline means no open socket (the ``socket_connections`` table, shared by every process). A person with a
socket is ``online`` unless their browser said ``away`` (idle or hidden tab). Changes are emitted to the
rooms of the channels the person is in, so only people who share a channel hear of them.
"""

import time

from flask import current_app, request
from sqlalchemy import func, select

from wilma.accounts.models import SocketConnection, User
from wilma.chat.models import AWAY, OFFLINE, ONLINE, ChatPresence
from wilma.chat.services import channels_of, get_channel, room_for
from wilma.core.database import after_commit, commit
from wilma.core.errors import ValidationError
from wilma.extensions import db, socketio
from wilma.groups.models import GroupMembership

PRESENCE_MAX_MEMBERS = 200
TYPING_MIN_INTERVAL = 1.0  # seconds between two typing events of one socket that are passed on
_last_typing: dict[str, float] = {}


def presence_enabled() -> bool:
    return bool(current_app.config.get("WILMA_CHAT_PRESENCE", True))


def typing_enabled() -> bool:
    return bool(current_app.config.get("WILMA_CHAT_TYPING", True))


def statuses(user_ids) -> dict[int, str]:
    """``user_id -> online|away|offline``; empty when presence is switched off."""
    ids = set(user_ids)
    if not presence_enabled() or not ids:
        return {}
    connected = set(db.session.scalars(select(SocketConnection.user_id).where(
        SocketConnection.user_id.in_(ids))))
    said = dict(db.session.execute(select(ChatPresence.user_id, ChatPresence.status).where(
        ChatPresence.user_id.in_(connected or {-1}))).all())
    return {i: (said.get(i, ONLINE) if i in connected else OFFLINE) for i in ids}


def _broadcast(user_id: int, status: str, channel_ids: list[int]) -> None:
    payload = {"user_id": user_id, "status": status}
    for channel_id in channel_ids:
        socketio.emit("presence", payload, to=room_for(channel_id))


def _small_channels(channels) -> list[int]:
    """The channels small enough for live presence (see ``announce``)."""
    limit = int(current_app.config.get("WILMA_CHAT_PRESENCE_MAX_MEMBERS", PRESENCE_MAX_MEMBERS))
    group_ids = [c.group_id for c in channels if c.group_id is not None]
    sizes = dict(db.session.execute(select(GroupMembership.group_id, func.count()).where(
        GroupMembership.group_id.in_(group_ids or [-1])).group_by(GroupMembership.group_id)).all())
    return [c.id for c in channels if c.group_id is None or sizes.get(c.group_id, 0) <= limit]


def announce(user, status: str | None = None) -> None:
    """Tell everyone who shares a channel with ``user`` their current presence (after commit).

    Only channels of at most ``WILMA_CHAT_PRESENCE_MAX_MEMBERS`` (200) people get live presence: in a
    channel of n people every connect would otherwise send n events, n² when everyone arrives in the
    morning. Larger channels show presence from the member list when the page loads.
    """
    if not presence_enabled():
        return
    status = status or statuses([user.id]).get(user.id, OFFLINE)
    user_id, channel_ids = user.id, _small_channels(channels_of(user))
    after_commit(lambda: _broadcast(user_id, status, channel_ids))


def set_status(user, status) -> str:
    """The browser reports ``online`` or ``away``; the change is announced to shared channels."""
    if status not in (ONLINE, AWAY):
        raise ValidationError("'status' must be online or away.", field="status")
    if not presence_enabled():
        return OFFLINE
    row = db.session.get(ChatPresence, user.id)
    if row is None:
        row = ChatPresence(user_id=user.id)
        db.session.add(row)
    changed = row.status != status
    row.status = status
    if changed:
        announce(user, status)
    commit()
    return status


def socket_connected(user) -> None:
    """A socket opened: the person is online (or away, as last said)."""
    if not presence_enabled():
        return
    row = db.session.get(ChatPresence, user.id)
    if row is None:
        db.session.add(ChatPresence(user_id=user.id, status=ONLINE))
    elif len(db.session.scalars(select(SocketConnection.sid).where(
            SocketConnection.user_id == user.id)).all()) <= 1:
        row.status = ONLINE  # the first tab after being offline starts online
    announce(user, row.status if row is not None else ONLINE)
    commit()


def socket_closed(user_id: int) -> None:
    """A socket closed: when it was the person's last one, they are now offline."""
    if not presence_enabled():
        return
    still_open = db.session.scalar(select(SocketConnection.sid).where(SocketConnection.user_id == user_id).limit(1))
    user = db.session.get(User, user_id)
    if still_open is None and user is not None and user.active:
        announce(user, OFFLINE)
        commit()


def typing_done() -> None:
    """The socket sent its message: its next typing event is passed on at once."""
    _last_typing.pop(request.sid, None)


def typing(user, channel_id) -> bool:
    """``user`` is typing in a channel: the others in it see ``chat:typing`` (not the typist's own tab)."""
    channel = get_channel(user, channel_id)
    if not typing_enabled():
        return False
    now = time.monotonic()
    if now - _last_typing.get(request.sid, 0.0) < TYPING_MIN_INTERVAL:
        return False  # a client that sends on every keystroke does not flood the channel
    _last_typing[request.sid] = now
    if len(_last_typing) > 10000:  # forget closed sockets now and then
        _last_typing.clear()
    payload = {"channel_id": channel.id, "user": {"id": user.id, "display_name": user.display_name}}
    socketio.emit("chat:typing", payload, to=room_for(channel.id), skip_sid=request.sid)
    return True
