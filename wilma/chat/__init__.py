"""Real-time chat: a channel per group and direct conversations, delivered over Socket.IO."""

from flask import Blueprint

bp = Blueprint("chat", __name__, template_folder="templates")


@bp.record_once
def _prepare_message_queue(state) -> None:
    """Before Socket.IO is bound (create_app does that last): check the queue, name its channel.

    A configured message queue that cannot publish would silently drop messages between processes, so
    the app refuses to start. ``WILMA_SOCKETIO_CHANNEL`` (default ``wilma``) is the Redis channel; two
    installations sharing one Redis need different ones, or their chats would cross.
    """
    from wilma.core.realtime import check_message_queue
    from wilma.extensions import socketio

    check_message_queue(state.app.config.get("WILMA_SOCKETIO_MESSAGE_QUEUE"))
    socketio.server_options["channel"] = state.app.config.get("WILMA_SOCKETIO_CHANNEL") or "wilma"
