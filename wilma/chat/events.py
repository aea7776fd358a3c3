"""Socket.IO handlers of the chat on the default namespace (API.md: "Socket.IO events").

Every handler re-checks the login session (``authenticated_event``) and calls a service, which checks
channel membership against the database again. A refused event is acknowledged with
``{"error": {"code", "message"}}``; a socket that asks about a channel it is no longer in leaves the
channel's room at once.

client -> server: ``chat:send`` {channel_id, body, client_msg_id} (ack: the stored message),
``chat:typing`` {channel_id}, ``chat:read`` {channel_id, message_id} (ack: unread counts),
``chat:edit`` {message_id, body}, ``chat:delete`` {message_id}, ``chat:react`` {message_id, emoji},
``chat:presence`` {status: online|away}.
"""

from functools import wraps

from flask import request
from flask_socketio import join_room

from wilma.chat import messages, presence, reads
from wilma.chat.services import channels_of, chat_tables_ready, leave_if_not_member, room_for
from wilma.core.database import commit
from wilma.core.errors import NotFound, ServiceError
from wilma.core.realtime import authenticated_event, on_socket_connect, on_socket_disconnect
from wilma.extensions import db, socketio


def _payload(data) -> dict:
    return data if isinstance(data, dict) else {}


def service_event(fn):
    """Turn a refused service call into an error acknowledgement, and leave rooms one is no longer in."""

    @wraps(fn)
    def handler(user, data=None, *args):
        data = _payload(data)
        try:
            return fn(user, data)
        except ServiceError as err:
            db.session.rollback()
            if isinstance(err, NotFound) and "channel_id" in data:
                try:
                    leave_if_not_member(user, int(data["channel_id"]), request.sid)
                except (TypeError, ValueError):
                    pass
            return {"error": {"code": err.code, "message": err.message}}

    return handler


@on_socket_connect
def join_channel_rooms(user) -> None:
    """A new socket joins the room of every channel its person is in, and announces them online."""
    if not chat_tables_ready():  # not migrated yet: the other features' sockets must still connect
        return
    for channel in channels_of(user):
        join_room(room_for(channel.id))
    commit()
    presence.socket_connected(user)


@on_socket_disconnect
def announce_offline(user_id: int) -> None:
    if chat_tables_ready():
        presence.socket_closed(user_id)


@socketio.on("chat:send")
@authenticated_event(write=True)
@service_event
def on_send(user, data):
    message, _created = messages.send_message(user, data.get("channel_id"), data.get("body"),
                                              data.get("client_msg_id"))
    presence.typing_done()
    return messages.sent_json(message)


@socketio.on("chat:typing")
@authenticated_event()
@service_event
def on_typing(user, data):
    return {"ok": presence.typing(user, data.get("channel_id"))}


@socketio.on("chat:read")
@authenticated_event(write=True)
@service_event
def on_read(user, data):
    return reads.mark_read(user, data.get("channel_id"), data.get("message_id"))


@socketio.on("chat:edit")
@authenticated_event(write=True)
@service_event
def on_edit(user, data):
    return messages.message_json(messages.edit_message(user, data.get("message_id"), data.get("body")))


@socketio.on("chat:delete")
@authenticated_event(write=True)
@service_event
def on_delete(user, data):
    return messages.message_json(messages.delete_message(user, data.get("message_id")))


@socketio.on("chat:react")
@authenticated_event(write=True)
@service_event
def on_react(user, data):
    return messages.message_json(messages.toggle_reaction(user, data.get("message_id"), data.get("emoji")))


@socketio.on("chat:presence")
@authenticated_event(write=True)
@service_event
def on_presence(user, data):
    return {"status": presence.set_status(user, data.get("status"))}
