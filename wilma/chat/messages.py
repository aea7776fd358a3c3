"""Sending, editing and deleting messages, reactions, and reading history.

A message is stored before anyone hears of it: check (membership, length, rate), store once per
``(author, client_msg_id)``, commit, and only then emit ``chat:message`` to the channel's room (the
sender's other tabs are in it too) and call the ``wilma_chat_message_sent`` plugin hook.
"""

import re
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from wilma.accounts.models import User
from wilma.chat.models import ChatMessage, Reaction
from wilma.chat.reads import advance_own_marker
from wilma.chat.services import channel_members, get_channel, room_for
from wilma.core.audit import audit
from wilma.core.database import after_commit, commit
from wilma.core.errors import Conflict, NotFound, PermissionDenied, RateLimited, ValidationError
from wilma.core.markdown import render_inline_markdown
from wilma.core.models import as_utc, utcnow
from wilma.core.realtime import emit_after_commit
from wilma.extensions import db

MAX_BODY = 4000
MAX_CLIENT_ID = 64
DEFAULT_RATE = (30, 10)  # messages per seconds and person; WILMA_CHAT_RATE_LIMIT = (count, seconds)
HISTORY_LIMIT = 50
MAX_HISTORY_LIMIT = 200
REACTIONS = ("👍", "❤️", "😂", "🎉", "😮", "😢", "🙏", "✅")
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.-]{2,80})")


def _iso(value) -> str | None:
    value = as_utc(value)
    return value.isoformat() if value else None


def message_json(message: ChatMessage) -> dict:
    """A message as the API and the socket events show it (deleted ones keep only their place)."""
    author = message.author
    reactions: dict[str, list[int]] = {}
    for r in message.reactions:
        reactions.setdefault(r.emoji, []).append(r.user_id)
    deleted = message.is_deleted
    return {
        "id": message.id,
        "channel_id": message.channel_id,
        "author": {"id": author.id, "username": author.username, "display_name": author.display_name,
                   "initials": author.initials} if author else None,
        "body": "" if deleted else message.body,
        "html": "" if deleted else message.html,
        "client_msg_id": message.client_msg_id,
        "created_at": _iso(message.created_at),
        "edited_at": _iso(message.edited_at),
        "deleted": deleted,
        "reactions": [{"emoji": e, "count": len(ids), "user_ids": ids} for e, ids in reactions.items()],
        "attachments": [] if deleted else [
            {"id": a.id, "filename": a.filename, "size": a.size, "is_image": a.is_image,
             "url": url_for("chat.attachment", attachment_id=a.id)} for a in message.attachments],
        "url": url_for("chat.permalink", message_id=message.id),
    }


def _check_body(body, *, allow_empty: bool = False) -> str:
    if not isinstance(body, str):
        raise ValidationError(_("'body' must be a text."), field="body")
    if not body.strip() and not allow_empty:
        raise ValidationError(_("Please write a message."), field="body")
    if len(body) > MAX_BODY:
        raise ValidationError(_("A message has at most %(n)d characters.", n=MAX_BODY), field="body")
    if "\x00" in body:  # socket events skip the HTTP check, and PostgreSQL cannot store NUL
        raise ValidationError(_("Text must not contain NUL characters."), field="body")
    return body


def _check_client_id(client_msg_id) -> str | None:
    if client_msg_id is None:
        return None
    if not isinstance(client_msg_id, str) or not client_msg_id or len(client_msg_id) > MAX_CLIENT_ID \
            or "\x00" in client_msg_id:
        raise ValidationError(_("'client_msg_id' must be a text of at most %(n)d characters.", n=MAX_CLIENT_ID),
                              field="client_msg_id")
    return client_msg_id


def _check_rate(user) -> None:
    count, seconds = current_app.config.get("WILMA_CHAT_RATE_LIMIT") or DEFAULT_RATE
    since = utcnow() - timedelta(seconds=int(seconds))
    recent = db.session.scalar(select(func.count(ChatMessage.id)).where(
        ChatMessage.author_id == user.id, ChatMessage.created_at > since))
    if recent >= int(count):
        raise RateLimited(_("You are sending messages too fast. Please wait a moment."))


def _stored(user, client_msg_id: str | None) -> ChatMessage | None:
    if client_msg_id is None:
        return None
    return db.session.scalar(select(ChatMessage).where(ChatMessage.author_id == user.id,
                                                       ChatMessage.client_msg_id == client_msg_id))


def send_message(user, channel_id, body, client_msg_id=None, *, attachments=None) -> tuple[ChatMessage, bool]:
    """Store a message once and deliver it after commit. Returns ``(message, created)``.

    Sending the same ``client_msg_id`` again (a retry after a lost acknowledgement) returns the stored
    message and delivers nothing new. ``attachments`` are prepared ``ChatAttachment`` objects.
    """
    client_msg_id = _check_client_id(client_msg_id)
    channel = get_channel(user, channel_id)
    existing = _stored(user, client_msg_id)
    if existing is not None:
        if existing.channel_id != channel.id:
            raise Conflict(_("This client_msg_id was already used in another channel."), field="client_msg_id")
        return existing, False
    body = _check_body(body, allow_empty=bool(attachments))
    if channel.group is not None and channel.group.is_archived:
        raise PermissionDenied(_("This group is archived."))
    _check_rate(user)
    message = ChatMessage(channel_id=channel.id, author_id=user.id, body=body,
                          html=render_inline_markdown(body), client_msg_id=client_msg_id)
    message.author = user  # known already: no lazy loads while building the payload
    message.reactions = []
    message.attachments = list(attachments or [])
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:  # the same client_msg_id arrived twice at once
        existing = _stored(user, client_msg_id)
        if existing is None:
            raise
        return existing, False
    channel.last_message_id = message.id
    channel.last_message_at = message.created_at
    advance_own_marker(user.id, channel.id, message.id)
    _notify_mentions(user, channel, message)
    payload = message_json(message)
    emit_after_commit("chat:message", payload, to=room_for(channel.id))
    after_commit(lambda: current_app.extensions["wilma_plugins"].hook.wilma_chat_message_sent(
        message=message, user=user))
    queue_search(message)
    commit()
    message.payload = payload  # what was delivered; the caller acknowledges with it (no reload)
    return message, True


def queue_search(message: ChatMessage) -> None:
    """Queue the message for the search index in this transaction, when search is installed."""
    try:
        from wilma.search.outbox import queue_index
    except ImportError:
        return
    queue_index(f"chat:{message.id}")


def sent_json(message: ChatMessage) -> dict:
    """The payload of a message just sent (or the stored one, for a repeated client_msg_id)."""
    return getattr(message, "payload", None) or message_json(message)


def _notify_mentions(user, channel, message: ChatMessage) -> None:
    names = {m.lower() for m in MENTION.findall(message.body)}
    if not names:
        return
    from wilma.notifications.services import notify

    members = [u for u in channel_members(channel) if u.username.lower() in names]
    if members:
        notify(recipients=members, kind="mention", actor=user, subject_type="chat_message",
               subject_id=message.id, group_id=channel.group_id, text=message.body[:300],
               url=url_for("chat.permalink", message_id=message.id))


def _own_message(user, message_id) -> ChatMessage:
    message = db.session.get(ChatMessage, message_id) if isinstance(message_id, int) else None
    if message is None or message.is_deleted:
        raise NotFound()
    get_channel(user, message.channel_id)  # still in the channel?
    if message.author_id != user.id:
        raise PermissionDenied(_("You can only change your own messages."))
    return message


def edit_message(user, message_id, body) -> ChatMessage:
    """Change the text of one's own message; everyone in the channel sees ``chat:edited``."""
    message = _own_message(user, message_id)
    message.body = _check_body(body, allow_empty=bool(message.attachments))
    message.html = render_inline_markdown(message.body)
    message.edited_at = utcnow()
    emit_after_commit("chat:edited", message_json(message), to=room_for(message.channel_id))
    queue_search(message)
    commit()
    return message


def delete_message(user, message_id) -> ChatMessage:
    """Delete one's own message: its text and files go, its place stays; the channel sees ``chat:deleted``."""
    message = _own_message(user, message_id)
    message.deleted_at = utcnow()
    audit("chat.message.delete", actor=user, target={"type": "chat_message", "id": message.id, "label": ""},
          detail={"channel_id": message.channel_id})
    message.body = ""
    message.html = ""
    files = [a.stored_name for a in message.attachments]
    message.attachments.clear()  # the files go too, not only their links
    after_commit(lambda: _remove_files(files))
    emit_after_commit("chat:deleted", message_json(message), to=room_for(message.channel_id))
    queue_search(message)  # the provider answers "deleted", so the document goes
    commit()
    return message


def _remove_files(names: list[str]) -> None:
    from wilma.chat.attachments import AREA
    from wilma.core.uploads import delete_stored

    for name in names:
        delete_stored(AREA, name)


def toggle_reaction(user, message_id, emoji) -> ChatMessage:
    """Add the emoji of ``user`` to a message, or take it away when it is there already."""
    if emoji not in REACTIONS:
        raise ValidationError(_("Unknown reaction."), field="emoji")
    message = db.session.get(ChatMessage, message_id) if isinstance(message_id, int) else None
    if message is None or message.is_deleted:
        raise NotFound()
    get_channel(user, message.channel_id)
    existing = next((r for r in message.reactions if r.user_id == user.id and r.emoji == emoji), None)
    if existing is not None:
        message.reactions.remove(existing)
    else:
        message.reactions.append(Reaction(user_id=user.id, emoji=emoji))
    db.session.flush()
    payload = {"id": message.id, "channel_id": message.channel_id, "reactions": message_json(message)["reactions"]}
    emit_after_commit("chat:reaction", payload, to=room_for(message.channel_id))
    commit()
    return message


def _int_or_none(value, name):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("'%(key)s' must be a message id.", key=name), field=name) from None


def history(user, channel_id, *, before=None, after=None, around=None, limit=HISTORY_LIMIT) -> dict:
    """Messages of a channel in order, a page at a time.

    ``after=<id>``: the next ones after that id (oldest first; what a reconnecting client asks for).
    ``before=<id>``: the ones just before it. ``around=<id>``: a page with that message in the middle
    (a permalink). Without any: the newest page. ``has_more`` says whether another page exists in the
    direction asked.
    """
    channel = get_channel(user, channel_id)
    before, after, around = (_int_or_none(before, "before"), _int_or_none(after, "after"),
                             _int_or_none(around, "around"))
    limit = max(1, min(int(limit or HISTORY_LIMIT), MAX_HISTORY_LIMIT))
    base = select(ChatMessage).where(ChatMessage.channel_id == channel.id)
    if around is not None:
        half = max(1, limit // 2)
        older = list(db.session.scalars(base.where(ChatMessage.id <= around).order_by(
            ChatMessage.id.desc()).limit(half + 1)))
        has_older, older = len(older) > half, older[:half]
        newer = list(db.session.scalars(base.where(ChatMessage.id > around).order_by(
            ChatMessage.id).limit(limit - len(older) + 1)))
        has_newer = len(newer) > limit - len(older)
        items = list(reversed(older)) + newer[: limit - len(older)]
        return {"items": items, "has_more": has_newer, "has_older": has_older}
    if after is not None:
        rows = list(db.session.scalars(base.where(ChatMessage.id > after).order_by(ChatMessage.id).limit(limit + 1)))
        return {"items": rows[:limit], "has_more": len(rows) > limit}
    query = base.where(ChatMessage.id < before) if before is not None else base
    rows = list(db.session.scalars(query.order_by(ChatMessage.id.desc()).limit(limit + 1)))
    return {"items": list(reversed(rows[:limit])), "has_more": len(rows) > limit}


def message_for_permalink(user, message_id: int) -> ChatMessage:
    """A single message, if ``user`` may read its channel (else 404)."""
    message = db.session.get(ChatMessage, message_id)
    if message is None:
        raise NotFound()
    get_channel(user, message.channel_id)
    return message


def mentionable(user, channel_id) -> list[User]:
    """The people one can @mention in a channel: its current members."""
    return channel_members(get_channel(user, channel_id))
