"""The chat page, permalinks to single messages, starting a direct conversation, and attachments."""

from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from wilma.accounts.models import User
from wilma.chat import attachments, bp, messages, presence, reads, services
from wilma.chat.api import channel_json
from wilma.core.errors import ValidationError
from wilma.core.security import require_login
from wilma.core.templating import register_nav_badge
from wilma.extensions import db

register_nav_badge("chat", reads.unread_total)


def _flags() -> dict:
    cfg = current_app.config
    return {"presence": bool(cfg.get("WILMA_CHAT_PRESENCE", True)), "typing": bool(cfg.get("WILMA_CHAT_TYPING", True)),
            "read_markers": bool(cfg.get("WILMA_CHAT_READ_MARKERS", True))}


@bp.get("/chat")
@bp.get("/chat/<int:channel_id>")
@require_login
def index(channel_id: int | None = None):
    """Channel list with unread badges, the open channel's messages and the composer."""
    channels = services.channels_of(current_user)
    counts = reads.unread_counts(current_user, channels)
    current = services.get_channel(current_user, channel_id) if channel_id is not None else None
    if current is None and channels:
        return redirect(url_for("chat.index", channel_id=channels[0].id))
    members = services.channel_members(current) if current is not None else []
    around = request.args.get("around", type=int)
    page = messages.history(current_user, current.id, around=around) if current is not None else {"items": []}
    db.session.commit()  # group channels created on first view
    return render_template(
        "chat/index.html", channels=[channel_json(c, current_user, counts.get(c.id, 0)) for c in channels],
        current=channel_json(current, current_user, counts.get(current.id, 0)) if current else None,
        members=members, statuses=presence.statuses(u.id for u in members), page=page, around=around,
        flags=_flags(), reactions=messages.REACTIONS, readers=reads.readers(current) if current else {})


@bp.get("/chat/messages/<int:message_id>")
@require_login
def permalink(message_id: int):
    """A link to one message: opens its channel with the message in the middle, highlighted."""
    message = messages.message_for_permalink(current_user, message_id)
    return redirect(url_for("chat.index", channel_id=message.channel_id, around=message.id,
                            _anchor=f"message-{message.id}"))


@bp.post("/chat/direct")
@require_login
def open_direct():
    """Start (or reopen) a direct conversation with the people named in ``usernames`` (comma-separated)."""
    names = [n.strip().lstrip("@") for n in request.form.get("usernames", "").split(",") if n.strip()]
    ids = list(db.session.scalars(select(User.id).where(User.username.in_(names or ["-"]), User.active.is_(True))))
    if len(ids) != len(set(names)):
        raise ValidationError(_("Unknown person."), field="usernames")
    channel, _created = services.open_direct(current_user, ids)
    return redirect(url_for("chat.index", channel_id=channel.id))


@bp.post("/chat/<int:channel_id>/upload")
@require_login
def upload(channel_id: int):
    """Send a file (with an optional text) to a channel; answers with the stored message as JSON."""
    files = request.files.getlist("file")
    if not files or not files[0].filename:
        raise ValidationError(_("Please choose a file."), field="file")
    prepared = [attachments.prepare(f) for f in files[: attachments.MAX_FILES]]
    try:
        message, created = messages.send_message(current_user, channel_id, request.form.get("body", ""),
                                                 request.form.get("client_msg_id") or None, attachments=prepared)
    except Exception:
        attachments.discard(prepared)
        raise
    if not created:
        attachments.discard(prepared)
    return messages.sent_json(message), 201 if created else 200


@bp.get("/chat/attachments/<int:attachment_id>")
@require_login
def attachment(attachment_id: int):
    """A file sent in a channel, only for the channel's members."""
    item = attachments.readable(current_user, attachment_id)
    path = attachments.stored_path(item)
    if not path.exists():
        abort(404)
    return send_file(path, mimetype=item.content_type, as_attachment=not item.is_image,
                     download_name=item.filename, max_age=0)
