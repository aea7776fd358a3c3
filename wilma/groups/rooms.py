"""Socket.IO rooms ``group:<id>``: a member's open sockets are in the rooms of their groups.

Joined when a socket connects and when someone becomes a member; left the moment someone leaves, is
removed or the group is deleted, so that private content stops reaching them at once (on every process:
with a message queue, ``enter_room``/``leave_room`` are relayed like emits).
"""

import logging

from flask_socketio import join_room

from wilma.core.database import after_commit
from wilma.core.realtime import on_socket_connect, socket_ids
from wilma.core.security import member_group_ids
from wilma.extensions import socketio

logger = logging.getLogger("wilma.groups")


def group_room(group_id: int) -> str:
    return f"group:{group_id}"


@on_socket_connect
def join_member_rooms(user) -> None:
    """A connecting socket joins the rooms of every group its user is a member of."""
    for group_id in member_group_ids(user):
        join_room(group_room(group_id))


def _move(user_id: int, group_id: int, enter: bool) -> None:
    room = group_room(group_id)
    for sid in socket_ids(user_id=user_id):
        try:
            if enter:
                socketio.server.enter_room(sid, room, namespace="/")
            else:
                socketio.server.leave_room(sid, room, namespace="/")
        except Exception:  # a socket that closed meanwhile
            logger.debug("socket %s is gone", sid)


def _chat():
    """The chat's services when the chat feature is installed (its channel follows the membership)."""
    from wilma import import_feature_module

    return import_feature_module("chat", "services")


def join_after_commit(user_id: int, group_id: int) -> None:
    """Put the user's open sockets into the group's room once the membership is committed."""
    after_commit(lambda: _move(user_id, group_id, True))
    chat = _chat()
    if chat is not None:
        chat.member_added(group_id, user_id)


def leave_after_commit(user_id: int, group_id: int) -> None:
    """Take the user's open sockets out of the group's room once the removal is committed."""
    after_commit(lambda: _move(user_id, group_id, False))
    chat = _chat()
    if chat is not None:
        chat.member_removed(group_id, user_id)
