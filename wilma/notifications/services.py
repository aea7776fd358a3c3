"""Creating and reading notifications. ``notify`` is what every feature calls.

A notification about something in a group is only created for people who may read that group
(``readable_group_ids``): mentioning someone who cannot see the group notifies no one and leaks nothing.
The live badge is emitted to the recipient's own room after commit.
"""

from sqlalchemy import func, select, update

from wilma.core.models import utcnow
from wilma.core.realtime import emit_after_commit, user_room
from wilma.core.security import readable_group_ids
from wilma.extensions import db
from wilma.notifications.models import Notification, NotificationSetting


def _wants(user_id: int, kind: str) -> bool:
    setting = db.session.scalar(select(NotificationSetting.enabled).where(
        NotificationSetting.user_id == user_id, NotificationSetting.kind == kind))
    return setting is None or setting


def notify(*, recipients, kind: str, actor=None, subject_type: str, subject_id: int,
           group_id: int | None = None, text: str = "", url: str = "", group_by_subject: bool = False) -> int:
    """Notify each recipient (users) who may see ``group_id`` and wants ``kind``; returns how many.

    The actor is never notified of their own action. With ``group_by_subject`` (likes) an unread
    notification of the same kind and subject is updated instead of adding another.
    """
    count = 0
    for user in recipients:
        if user is None or not user.active or (actor is not None and user.id == actor.id):
            continue
        if group_id is not None and group_id not in readable_group_ids(user):
            continue
        if not _wants(user.id, kind):
            continue
        existing = None
        if group_by_subject:
            existing = db.session.scalar(select(Notification).where(
                Notification.recipient_id == user.id, Notification.kind == kind,
                Notification.subject_type == subject_type, Notification.subject_id == subject_id,
                Notification.read_at.is_(None)))
        if existing is not None:
            existing.actor_count += 1
            existing.actor_id = actor.id if actor else None
            existing.created_at = utcnow()
        else:
            db.session.add(Notification(recipient_id=user.id, kind=kind, actor_id=actor.id if actor else None,
                                        subject_type=subject_type, subject_id=subject_id, group_id=group_id,
                                        text=text[:300], url=url[:300]))
        count += 1
        recipient_id = user.id
        emit_after_commit("notification", {"kind": kind, "unread": None}, to=user_room(recipient_id))
    return count


def visible_notifications_query(user):
    """The person's notifications, without those of groups they can no longer read."""
    readable = readable_group_ids(user)
    return select(Notification).where(
        Notification.recipient_id == user.id,
        (Notification.group_id.is_(None)) | (Notification.group_id.in_(readable or {-1})))


def unread_count(user) -> int:
    query = visible_notifications_query(user).where(Notification.read_at.is_(None))
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def mark_read(user, ids=None) -> int:
    """Mark the given notifications (or all, when ``ids`` is None) of ``user`` as read."""
    stmt = update(Notification).where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(list(ids) or [-1]))
    result = db.session.execute(stmt.values(read_at=utcnow()))
    return result.rowcount or 0
