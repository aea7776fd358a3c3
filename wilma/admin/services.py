"""Every write of the admin area: accounts, roles, passwords, groups; each one recorded in the audit log.

``record_audit`` lives in ``wilma.admin.audit`` and is re-exported here, because other features (and the
CLI) call ``wilma.admin.services.record_audit(action, target=..., actor=...)``.
"""

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from wilma.accounts import services as accounts
from wilma.accounts.models import User, UserSession
from wilma.admin.audit import record_audit
from wilma.core.database import after_commit, commit
from wilma.core.errors import NotFound, ValidationError
from wilma.core.models import utcnow
from wilma.core.security import ensure_admin, forget_group_cache
from wilma.extensions import db
from wilma.groups.models import ROLES, Group, GroupMembership

__all__ = ["record_audit", "create_account", "set_account_active", "set_account_admin", "reset_password",
           "archive_group", "delete_group", "set_member_role", "list_accounts", "dashboard_counts",
           "queue_search_update"]


def queue_search_update(key: str) -> None:
    """Tell search (when installed) that the document ``key`` (``"people:12"``) changed."""
    from wilma import import_feature_module, installed_features

    if "search" not in installed_features():
        return
    outbox = import_feature_module("search", "outbox")
    if outbox is not None and hasattr(outbox, "queue_index"):
        outbox.queue_index(key)


# --- people ---------------------------------------------------------------------------------------------


def list_accounts(query: str = "", *, after_id: int | None = None, limit: int = 50) -> tuple[list[User], int | None]:
    """Every account (active, deactivated, former), matching each word of ``query`` in name, username or
    e-mail; ordered by id, with the id to continue after."""
    stmt = select(User)
    for word in (query or "").split()[:5]:
        like = f"%{word.lower()}%"
        stmt = stmt.where(or_(func.lower(User.display_name).like(like), func.lower(User.username).like(like),
                              func.lower(User.email).like(like)))
    if after_id:
        stmt = stmt.where(User.id > after_id)
    rows = list(db.session.scalars(stmt.order_by(User.id).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].id if more and rows else None)


def create_account(admin, *, username: str, password: str, display_name: str = "", email: str = "",
                   is_admin: bool = False) -> User:
    """An admin creates a local account; the audit entry names it, never its password."""
    ensure_admin(admin)
    user = accounts.create_user(username, password, email=email or None, display_name=display_name or None,
                                is_admin=is_admin)
    record_audit("user.create", target=user, actor=admin, commit=False,
                 detail={"email": user.email, "is_admin": user.is_admin})
    commit()
    return user


def _other_user(admin, user: User) -> None:
    if user.id == admin.id:
        raise ValidationError(_("You cannot do this to your own account."))


def _admins_left_without(user: User) -> int:
    return db.session.scalar(select(func.count(User.id)).where(
        User.is_admin.is_(True), User.active.is_(True), User.id != user.id)) or 0


def set_account_active(admin, user: User, active: bool) -> None:
    """Deactivate (every session and socket ends at once) or reactivate an account."""
    ensure_admin(admin)
    _other_user(admin, user)
    if active and user.auth_source == "former":  # pseudonymised: see wilma.admin.privacy
        raise ValidationError(_("A former employee's account cannot be reactivated."))
    record_audit("user.reactivate" if active else "user.deactivate", target=user, actor=admin, commit=False)
    queue_search_update(f"people:{user.id}")
    accounts.set_active(user, active)  # commits


def set_account_admin(admin, user: User, make_admin: bool) -> None:
    """Make ``user`` an admin or revoke it; the last active admin cannot be revoked."""
    ensure_admin(admin)
    _other_user(admin, user)
    if make_admin and not user.active:
        raise ValidationError(_("Reactivate the account first."))
    if not make_admin and _admins_left_without(user) == 0:
        raise ValidationError(_("There must be at least one active admin."))
    record_audit("user.role", target=user, actor=admin, commit=False,
                 detail={"from": "admin" if user.is_admin else "member", "to": "admin" if make_admin else "member"})
    user.is_admin = make_admin
    commit()


def reset_password(admin, user: User, new_password: str) -> None:
    """Set a new password for a local account; every session of that person ends."""
    ensure_admin(admin)
    if user.auth_source != "local":
        raise ValidationError(_("This password is managed by the city's directory."), field="new_password")
    if not user.active:
        raise ValidationError(_("Reactivate the account first."), field="new_password")
    accounts.check_password_rules(new_password)
    user.password_hash = accounts.hash_password(new_password)
    ended = accounts.end_sessions(user, keep=accounts.current_session() if user.id == admin.id else None)
    record_audit("user.password_reset", target=user, actor=admin, commit=False, detail={"sessions_ended": ended})
    commit()


def dashboard_counts() -> dict[str, int]:
    """People (active accounts), sessions that are logged in, groups (not deleted)."""
    return {
        "people": db.session.scalar(select(func.count(User.id)).where(User.active.is_(True))) or 0,
        "sessions": db.session.scalar(select(func.count(UserSession.id))) or 0,
        "groups": db.session.scalar(select(func.count(Group.id)).where(Group.deleted_at.is_(None))) or 0,
    }


# --- groups ---------------------------------------------------------------------------------------------


def get_group(group_id: int, *, include_deleted: bool = False) -> Group:
    """Any group, secret ones included (admins see everything)."""
    group = db.session.get(Group, group_id)
    if group is None or (group.deleted_at is not None and not include_deleted):
        raise NotFound()
    return group


def list_groups(*, query: str = "", show_deleted: bool = False) -> list[tuple[Group, int]]:
    """All groups with their member counts, by name."""
    counts = (select(GroupMembership.group_id, func.count(GroupMembership.id).label("n"))
              .group_by(GroupMembership.group_id).subquery())
    stmt = select(Group, func.coalesce(counts.c.n, 0)).outerjoin(counts, counts.c.group_id == Group.id)
    if not show_deleted:
        stmt = stmt.where(Group.deleted_at.is_(None))
    for word in (query or "").split()[:5]:
        stmt = stmt.where(func.lower(Group.name).like(f"%{word.lower()}%"))
    return [(g, n) for g, n in db.session.execute(stmt.order_by(func.lower(Group.name), Group.id).limit(500))]


def archive_group(admin, group: Group, archived: bool = True) -> None:
    """Archive (read-only, kept) or unarchive a group."""
    ensure_admin(admin)
    group.archived_at = utcnow() if archived else None
    record_audit("group.archive" if archived else "group.unarchive", target=group, actor=admin, commit=False,
                 detail={"visibility": group.visibility})
    queue_search_update(f"groups:{group.id}")
    commit()


def delete_group(admin, group: Group) -> None:
    """Soft-delete a group: it and its content disappear for everyone, the rows stay for the record."""
    ensure_admin(admin)
    group.deleted_at = utcnow()
    record_audit("group.delete", target=group, actor=admin, commit=False,
                 detail={"visibility": group.visibility})
    queue_search_update(f"groups:{group.id}")
    after_commit(forget_group_cache)
    commit()


def set_member_role(admin, group: Group, user_id: int, role: str) -> None:
    """An admin changes a member's role in any group (e.g. to give an orphaned group a new owner)."""
    ensure_admin(admin)
    if role not in ROLES:
        raise ValidationError(_("Unknown role."), field="role")
    membership = db.session.scalar(select(GroupMembership).where(
        GroupMembership.group_id == group.id, GroupMembership.user_id == user_id))
    if membership is None:
        raise NotFound()
    if membership.role == role:
        return
    record_audit("group.member.role", target=group, actor=admin, commit=False,
                 detail={"user_id": user_id, "username": membership.user.username,
                         "from": membership.role, "to": role})
    membership.role = role
    after_commit(forget_group_cache)
    commit()
