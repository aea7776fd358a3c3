"""``/api/v1/channels``: my channels with unread counts, direct conversations, messages with cursors."""

from flask import request, url_for
from flask_login import current_user

from wilma.chat import messages, presence, reads, services
from wilma.chat.models import GROUP, Channel
from wilma.core.api import api_bp, decode_cursor, encode_cursor, json_body
from wilma.core.errors import NotFound
from wilma.core.models import as_utc
from wilma.core.security import require_login
from wilma.extensions import db


def channel_json(channel: Channel, viewer, unread: int | None = None) -> dict:
    """A channel as the list and the chat page show it."""
    data = {
        "id": channel.id,
        "kind": channel.kind,
        "group_id": channel.group_id,
        "name": services.channel_title(channel, viewer),
        "unread": unread,
        "last_message_id": channel.last_message_id,
        "last_message_at": as_utc(channel.last_message_at).isoformat() if channel.last_message_at else None,
        "url": url_for("chat.index", channel_id=channel.id),
    }
    if channel.kind != GROUP:
        data["members"] = [{"id": u.id, "display_name": u.display_name} for u in services.direct_members(channel)]
    return data


@api_bp.get("/channels")
@require_login
def list_channels():
    """My channels (group channels and direct conversations), each with its unread count."""
    channels = services.channels_of(current_user)
    db.session.commit()  # keep group channels created on first use
    counts = reads.unread_counts(current_user, channels)
    items = [channel_json(c, current_user, counts.get(c.id, 0)) for c in channels]
    return {"items": items, "next_cursor": None, "unread_total": sum(counts.values())}


@api_bp.post("/channels")
@require_login
def open_direct():
    """``{member_ids}``: the direct conversation with these people (201 new, 200 when it existed)."""
    channel, created = services.open_direct(current_user, json_body().get("member_ids"))
    counts = reads.unread_counts(current_user, [channel])
    return channel_json(channel, current_user, counts.get(channel.id, 0)), 201 if created else 200


@api_bp.get("/channels/<int:channel_id>")
@require_login
def get_channel(channel_id: int):
    channel = services.get_channel(current_user, channel_id)
    return channel_json(channel, current_user, reads.unread_counts(current_user, [channel]).get(channel.id, 0))


@api_bp.get("/channels/<int:channel_id>/members")
@require_login
def channel_members(channel_id: int):
    """The people in a channel (for @mentions), with presence when it is switched on."""
    people = messages.mentionable(current_user, channel_id)
    status = presence.statuses(u.id for u in people)
    items = [{"id": u.id, "username": u.username, "display_name": u.display_name,
              "presence": status.get(u.id)} for u in people]
    return {"items": items, "next_cursor": None}


def _history_args() -> dict:
    args = {k: request.args.get(k) for k in ("before", "after", "around")}
    cursor = decode_cursor(request.args.get("cursor"))
    if cursor:
        args.update({k: cursor.get(k) for k in ("before", "after") if k in cursor})
    try:
        args["limit"] = int(request.args.get("limit", messages.HISTORY_LIMIT))
    except ValueError:
        args["limit"] = messages.HISTORY_LIMIT
    return args


@api_bp.get("/channels/<int:channel_id>/messages")
@require_login
def list_messages(channel_id: int):
    """``?after=<id>`` (newer, oldest first), ``?before=<id>`` (older), ``?around=<id>``, or the newest page.

    Items are always in channel order (ascending id). ``next_cursor`` continues in the direction asked.
    """
    args = _history_args()
    result = messages.history(current_user, channel_id, **args)
    items = result["items"]
    next_cursor = None
    if result["has_more"] and items:
        forward = args.get("after") is not None or args.get("around") is not None
        next_cursor = encode_cursor({"after": items[-1].id} if forward else {"before": items[0].id})
    body = {"items": [messages.message_json(m) for m in items], "has_more": result["has_more"],
            "next_cursor": next_cursor}
    if "has_older" in result:
        body["has_older"] = result["has_older"]
    return body


@api_bp.post("/channels/<int:channel_id>/messages")
@require_login
def post_message(channel_id: int):
    """``{body, client_msg_id}``: 201 with the stored message, 200 when this client_msg_id was stored before."""
    data = json_body()
    message, created = messages.send_message(current_user, channel_id, data.get("body"), data.get("client_msg_id"))
    return messages.sent_json(message), 201 if created else 200


def _message_in(channel_id: int, message_id: int):
    message = messages.message_for_permalink(current_user, message_id)
    if message.channel_id != channel_id:
        raise NotFound()
    return message


@api_bp.patch("/channels/<int:channel_id>/messages/<int:message_id>")
@require_login
def edit_message(channel_id: int, message_id: int):
    _message_in(channel_id, message_id)
    return messages.message_json(messages.edit_message(current_user, message_id, json_body().get("body")))


@api_bp.delete("/channels/<int:channel_id>/messages/<int:message_id>")
@require_login
def delete_message(channel_id: int, message_id: int):
    _message_in(channel_id, message_id)
    return messages.message_json(messages.delete_message(current_user, message_id))


@api_bp.post("/channels/<int:channel_id>/messages/<int:message_id>/reactions")
@require_login
def react(channel_id: int, message_id: int):
    """``{emoji}``: add my reaction, or take it back when it is there."""
    _message_in(channel_id, message_id)
    message = messages.toggle_reaction(current_user, message_id, json_body().get("emoji"))
    return messages.message_json(message)


@api_bp.post("/channels/<int:channel_id>/read")
@require_login
def mark_channel_read(channel_id: int):
    """``{message_id}``: I have read up to here; answers with the new unread counts."""
    return reads.mark_read(current_user, channel_id, json_body().get("message_id"))
