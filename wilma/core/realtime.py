"""Socket.IO: authenticated connections, emits after commit to an audience the caller chooses.

Rooms: ``user:<id>`` (every tab of a person), ``group:<id>``, ``channel:<id>`` (joined by the features
that own them). Nothing is broadcast to everyone. A connection is accepted only with a live login
session; its sid is stored so that any process can cut it off (through the message queue) when the
session ends, the password changes or the account is deactivated.
"""

import logging
from functools import wraps

from flask import request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room
from sqlalchemy import delete, select

from wilma.core.database import after_commit, mark_write_transaction
from wilma.extensions import db, socketio

logger = logging.getLogger("wilma.realtime")


_connect_callbacks = []
_disconnect_callbacks = []


def on_socket_connect(fn):
    """Register ``fn(user)`` to run when a user's socket connects (features join their rooms here)."""
    _connect_callbacks.append(fn)
    return fn


def on_socket_disconnect(fn):
    """Register ``fn(user_id)`` to run after a user's socket closed and its row was removed."""
    _disconnect_callbacks.append(fn)
    return fn


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def emit_after_commit(event: str, payload: dict, *, to: str) -> None:
    """Emit ``event`` to room ``to`` once the current transaction has committed."""
    after_commit(lambda: socketio.emit(event, payload, to=to))


def socket_ids(*, user_id: int, session_ids: list[int] | None = None) -> list[str]:
    """The open socket ids of a user, or only of the given login sessions."""
    from wilma.accounts.models import SocketConnection

    query = select(SocketConnection.sid).where(SocketConnection.user_id == user_id)
    if session_ids is not None:
        query = query.where(SocketConnection.session_id.in_(session_ids or [-1]))
    return list(db.session.scalars(query))


def disconnect_sockets(sids: list[str]) -> None:
    """Close these sockets, on whichever process holds them (the message queue relays it)."""
    for sid in sids:
        try:
            socketio.server.disconnect(sid, namespace="/")
        except Exception:  # already gone
            logger.debug("socket %s was already closed", sid)


def live_socket_user():
    """The user of the current socket event, re-checked against the database on every event.

    Returns ``None`` when the login session has ended or the account was deactivated meanwhile.
    """
    from wilma.accounts.models import SocketConnection

    if not current_user.is_authenticated:
        return None
    row = db.session.get(SocketConnection, request.sid)
    if row is None or row.user_id != current_user.id or not current_user.active:
        return None
    return current_user


def authenticated_event(write: bool = False):
    """Decorator for socket handlers: refuse (and disconnect) sockets whose session has ended."""

    def decorate(fn):
        @wraps(fn)
        def handler(*args, **kwargs):
            mark_write_transaction(write)
            user = live_socket_user()
            if user is None:
                socketio.server.disconnect(request.sid, namespace="/")
                return {"error": {"code": "not_authenticated", "message": "session ended"}}
            return fn(user, *args, **kwargs)

        return handler

    return decorate


@socketio.on("connect")
def on_connect(auth=None):
    """Accept only logged-in users; remember the socket so that it can be cut off later."""
    from wilma.accounts.models import SocketConnection
    from wilma.accounts.services import current_session

    mark_write_transaction(True)
    record = current_session() if current_user.is_authenticated else None
    if record is None or not current_user.active:
        raise ConnectionRefusedError("not_authenticated")
    db.session.add(SocketConnection(sid=request.sid, user_id=current_user.id, session_id=record.id))
    db.session.commit()
    join_room(user_room(current_user.id))
    for join in _connect_callbacks:
        join(current_user)


@socketio.on("disconnect")
def on_disconnect(*_args):
    from wilma.accounts.models import SocketConnection

    mark_write_transaction(True)
    user_id = db.session.scalar(select(SocketConnection.user_id).where(SocketConnection.sid == request.sid))
    db.session.execute(delete(SocketConnection).where(SocketConnection.sid == request.sid))
    db.session.commit()
    for closed in _disconnect_callbacks if user_id is not None else []:
        try:
            closed(user_id)
        except Exception:  # a feature's clean-up must not keep the socket row alive
            logger.exception("socket disconnect callback failed")


class MessageQueueError(RuntimeError):
    """The configured Socket.IO message queue cannot publish; the app refuses to start."""


def check_message_queue(url: str | None) -> None:
    """Fail fast when ``WILMA_SOCKETIO_MESSAGE_QUEUE`` is set but cannot publish.

    python-socketio only logs when its queue client is missing or the server is unreachable, and then
    silently drops cross-process deliveries (measured: half of them). A chat that loses messages without
    a word is worse than a server that does not start, so this publishes one test message at start-up.
    """
    if not url:
        return
    scheme = url.split("://", 1)[0].lower()
    if scheme not in ("redis", "rediss", "unix"):
        try:
            import kombu  # noqa: F401 - python-socketio's client for other queues
        except ImportError:
            raise MessageQueueError(f"WILMA_SOCKETIO_MESSAGE_QUEUE={url!r} needs the 'kombu' package "
                                    "(pip install kombu), or use a redis:// URL.") from None
        return
    try:
        import redis
    except ImportError:
        raise MessageQueueError(f"WILMA_SOCKETIO_MESSAGE_QUEUE={url!r} needs the 'redis' package "
                                "(pip install redis); without it messages between processes are lost.") from None
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        client.publish("wilma-startup-check", b"ok")
        client.close()
    except Exception as exc:
        raise MessageQueueError(f"WILMA_SOCKETIO_MESSAGE_QUEUE={url!r}: cannot publish to the queue ({exc}). "
                                "Start Redis or fix the URL; without it messages between processes are lost.") from exc
