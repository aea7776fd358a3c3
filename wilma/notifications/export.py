"""What the notifications feature holds about a person: their notifications and their settings."""

from sqlalchemy import select

from wilma.admin.export import register_exporter
from wilma.extensions import db
from wilma.notifications.models import DigestPreference, Notification, NotificationSetting


def export_notifications(user) -> dict:
    received = db.session.scalars(select(Notification).where(Notification.recipient_id == user.id)
                                  .order_by(Notification.id))
    settings = db.session.scalars(select(NotificationSetting).where(NotificationSetting.user_id == user.id))
    digest = db.session.get(DigestPreference, user.id)
    return {
        "received": [{"kind": n.kind, "text": n.text, "url": n.url, "created_at": n.created_at,
                      "read_at": n.read_at} for n in received],
        "settings": {s.kind: s.enabled for s in settings},
        "digest": digest.frequency if digest else None,
    }


register_exporter("notifications", export_notifications)
