"""``/api/v1/notifications``: the list (newest first, cursor-paged) and marking read."""

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from wilma.core.api import api_bp, decode_cursor, encode_cursor, json_body, page, page_limit
from wilma.core.errors import ValidationError
from wilma.core.security import require_login
from wilma.notifications import services
from wilma.notifications.texts import describe


def notification_json(notification) -> dict:
    actor = notification.actor
    return {
        "id": notification.id,
        "kind": notification.kind,
        "text": describe(notification),
        "subject": notification.text,
        "subject_type": notification.subject_type,
        "subject_id": notification.subject_id,
        "group_id": notification.group_id,
        "actor": {"id": actor.id, "display_name": actor.display_name} if actor else None,
        "actor_count": notification.actor_count,
        "url": notification.url,
        "read": notification.read_at is not None,
        "created_at": notification.created_at.isoformat(),
    }


@api_bp.get("/notifications")
@require_login
def list_notifications():
    """``?unread=1`` for unread ones only; ``unread_count`` is the bell's number."""
    cursor = decode_cursor(request.args.get("cursor"))
    before = cursor.get("before") if cursor else None
    if before is not None and not isinstance(before, int):
        raise ValidationError(_("The cursor is not valid."), field="cursor")
    limit = page_limit()
    items = services.list_notifications(current_user, before_id=before, limit=limit + 1,
                                        unread_only=request.args.get("unread") in ("1", "true"))
    more = len(items) > limit
    items = items[:limit]
    body = page([notification_json(n) for n in items], encode_cursor({"before": items[-1].id})
                if more and items else None)
    body["unread_count"] = services.unread_count(current_user)
    return body


@api_bp.post("/notifications/read")
@require_login
def mark_read():
    """``{"ids": [1, 2]}`` or ``{"all": true}``; answers how many changed and the new unread count."""
    data = json_body()
    if data.get("all") is True:
        changed = services.mark_read(current_user)
    elif isinstance(data.get("ids"), list):
        changed = services.mark_read(current_user, data["ids"])
    else:
        raise ValidationError(_("Send {\"ids\": [...]} or {\"all\": true}."), field="ids")
    return {"marked": changed, "unread_count": services.unread_count(current_user)}
