"""Creating and reading notifications. ``notify`` is what every feature calls.

A notification about something in a group is only created for people who may read that group
(``readable_group_ids``): mentioning someone who cannot see the group notifies no one and leaks nothing.
After the commit, the recipient's sockets (room ``user:<id>``) get the ``notification`` event with the
new unread count, so every open tab updates its bell.
"""

from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select, update

from wilma.core.database import after_commit, commit
from wilma.core.errors import ValidationError
from wilma.core.models import utcnow
from wilma.core.realtime import user_room
from wilma.core.security import can_read_group, readable_among, readable_group_ids
from wilma.extensions import db, socketio
from wilma.notifications.models import KINDS, DigestPreference, Notification, NotificationSetting

FREQUENCIES = ("daily", "weekly", "never")
DEFAULT_FREQUENCY = "weekly"


def _wants(user_id: int, kind: str) -> bool:
    setting = db.session.scalar(select(NotificationSetting.enabled).where(
        NotificationSetting.user_id == user_id, NotificationSetting.kind == kind))
    return setting is None or setting


def emit_unread_after_commit(user, kind: str | None = None) -> None:
    """Tell the user's open tabs their new unread count once the transaction has committed."""
    user_id = user.id

    def emit():
        from wilma.accounts.models import User

        person = db.session.get(User, user_id)
        if person is not None:
            socketio.emit("notification", {"kind": kind, "unread": unread_count(person)}, to=user_room(user_id))

    after_commit(emit)


def notify(*, recipients, kind: str, actor=None, subject_type: str, subject_id: int,
           group_id: int | None = None, text: str = "", url: str = "", group_by_subject: bool = False) -> int:
    """Notify each recipient (users) who may see ``group_id`` and wants ``kind``; returns how many.

    ``text`` names the subject (a post's first words, a group's name); the sentence around it ("Anna
    and 4 others liked your post: ...") is made when it is shown, in the reader's language
    (``wilma.notifications.texts.describe``). ``url`` is where clicking it leads (a local path).
    The actor is never notified of their own action. With ``group_by_subject`` (likes) an unread
    notification of the same kind and subject is updated instead of adding another.
    """
    count = 0
    for user in recipients:
        if user is None or not user.active or (actor is not None and user.id == actor.id):
            continue
        if group_id is not None and not can_read_group(user, group_id):
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
            existing.emailed_at = None
        else:
            db.session.add(Notification(recipient_id=user.id, kind=kind, actor_id=actor.id if actor else None,
                                        subject_type=subject_type, subject_id=subject_id, group_id=group_id,
                                        text=(text or "")[:300], url=(url or "")[:300]))
        count += 1
        emit_unread_after_commit(user, kind)
    return count


def settle(*, kind: str, subject_type: str, subject_id: int, actor_id: int | None = None) -> int:
    """Mark unread notifications about something that has been dealt with as read (a join request that
    was answered or withdrawn); their recipients' bells update after commit. Returns how many."""
    from wilma.accounts.models import User

    query = select(Notification).where(Notification.kind == kind, Notification.subject_type == subject_type,
                                       Notification.subject_id == subject_id, Notification.read_at.is_(None))
    if actor_id is not None:
        query = query.where(Notification.actor_id == actor_id)
    rows = list(db.session.scalars(query))
    for row in rows:
        row.read_at = utcnow()
    for recipient_id in {row.recipient_id for row in rows}:
        emit_unread_after_commit(db.session.get(User, recipient_id))
    return len(rows)


def visible_notifications_query(user):
    """The person's notifications, without those of groups they can no longer read."""
    readable = readable_group_ids(user)
    return select(Notification).where(
        Notification.recipient_id == user.id,
        (Notification.group_id.is_(None)) | (Notification.group_id.in_(readable or {-1})))


@cache
def _unread_select():
    """Built once (every page runs it)."""
    return select(Notification.group_id, func.count()).where(
        Notification.recipient_id == bindparam("user_id"), Notification.read_at.is_(None)).group_by(
        Notification.group_id)


def unread_count(user) -> int:
    """The bell's number (on every page): unread notifications, without those of groups the person can no
    longer read. Counted per group in one query; the few groups are then checked for readability."""
    rows = db.session.execute(_unread_select(), {"user_id": user.id}).all()
    readable = readable_among(user, {group_id for group_id, _n in rows if group_id is not None})
    return sum(n for group_id, n in rows if group_id is None or group_id in readable)


def list_notifications(user, *, before_id: int | None = None, limit: int = 30,
                       unread_only: bool = False) -> list[Notification]:
    """Newest first; ``before_id`` continues a page."""
    query = visible_notifications_query(user)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    if before_id:
        query = query.where(Notification.id < before_id)
    return list(db.session.scalars(query.order_by(Notification.id.desc()).limit(limit)))


def mark_read(user, ids=None) -> int:
    """Mark the given notifications (or all, when ``ids`` is None) of ``user`` as read; commits and
    updates the badge in the person's open tabs. Returns how many changed."""
    stmt = update(Notification).where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
    if ids is not None:
        try:
            ids = [int(i) for i in ids]
        except (TypeError, ValueError):
            raise ValidationError(_("'ids' must be a list of numbers."), field="ids") from None
        stmt = stmt.where(Notification.id.in_(ids or [-1]))
    result = db.session.execute(stmt.values(read_at=utcnow()).execution_options(synchronize_session=False))
    emit_unread_after_commit(user)
    commit()
    return result.rowcount or 0


def open_notification(user, notification_id: int) -> Notification | None:
    """The person's own notification, marked read (for the click-through link)."""
    notification = db.session.scalar(visible_notifications_query(user).where(Notification.id == notification_id))
    if notification is not None and notification.read_at is None:
        mark_read(user, [notification.id])
    return notification


# --- settings --------------------------------------------------------------------------------------------


def enabled_kinds(user) -> dict[str, bool]:
    """Each kind and whether the person wants it (default: yes)."""
    rows = dict(db.session.execute(select(NotificationSetting.kind, NotificationSetting.enabled).where(
        NotificationSetting.user_id == user.id)).all())
    return {kind: rows.get(kind, True) for kind in KINDS}


def digest_frequency(user) -> str:
    pref = db.session.get(DigestPreference, user.id)
    return pref.frequency if pref else DEFAULT_FREQUENCY


def save_settings(user, *, enabled: dict[str, bool], frequency: str) -> None:
    """Store which kinds the person wants and how often the digest comes."""
    if frequency not in FREQUENCIES:
        raise ValidationError(_("Unknown frequency."), field="frequency")
    current = {row.kind: row for row in db.session.scalars(
        select(NotificationSetting).where(NotificationSetting.user_id == user.id))}
    for kind in KINDS:
        wanted = bool(enabled.get(kind, False))
        if kind in current:
            current[kind].enabled = wanted
        else:
            db.session.add(NotificationSetting(user_id=user.id, kind=kind, enabled=wanted))
    pref = db.session.get(DigestPreference, user.id)
    if pref is None:
        db.session.add(DigestPreference(user_id=user.id, frequency=frequency))
    else:
        pref.frequency = frequency
    commit()
