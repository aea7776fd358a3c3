"""Permission helpers shared by all features, and how a request finds its user.

A browser request is authenticated by its server-side session (``UserSession``); an API request may
instead send ``Authorization: Bearer <token>``. Token requests carry no cookie and skip the CSRF check;
every other state-changing request must carry a valid CSRF token (form field or ``X-CSRFToken``).
"""

from collections.abc import Mapping
from functools import cache, wraps
from types import MappingProxyType

from flask import g, request
from flask_login import current_user

from wilma.core.errors import NotAuthenticated, PermissionDenied
from wilma.extensions import csrf, login_manager

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


@login_manager.user_loader
def load_user_from_session(user_id: str):
    """The session's user, only while its server-side session row exists and the account is active."""
    from wilma.accounts.services import current_session

    if bearer_token() and request.path.startswith("/api/"):
        return None  # a token request is authenticated by its token alone (it skipped the CSRF check)
    record = current_session()
    if record is None or str(record.user_id) != str(user_id) or not record.user.active:
        return None
    g.user_session = record
    return record.user


@login_manager.request_loader
def load_user_from_token(req):
    from wilma.accounts.services import user_for_token

    raw = bearer_token()
    if raw and req.path.startswith("/api/"):
        user = user_for_token(raw)
        if user is not None:
            g.token_auth = True
        return user
    return None


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


def refuse_nul_characters() -> None:
    """Text with a NUL character cannot be stored (PostgreSQL refuses it); say so instead of failing."""
    from flask_babel import gettext as _

    from wilma.core.errors import ValidationError

    values = [*request.args.values(), *request.form.values(), request.path]
    if request.is_json:
        values.append(request.get_json(silent=True))
    if any(_contains_nul(v) for v in values):
        raise ValidationError(_("Text must not contain NUL characters."))


def protect_request() -> None:
    """``before_request``: mark write transactions, enforce CSRF for cookie-authenticated writes, refuse
    text that cannot be stored."""
    from wilma.core.database import mark_write_transaction

    refuse_nul_characters()
    is_write = request.method in WRITE_METHODS
    mark_write_transaction(is_write)
    if not is_write:
        return
    if bearer_token() and request.path.startswith("/api/"):
        return  # token requests carry no ambient credentials; the token itself is checked
    csrf.protect()  # raises CSRFError (400) with the reason


def require_login(fn):
    """Views and API routes that need a logged-in user (401 for the API, login page for pages)."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return fn(*args, **kwargs)

    return wrapper


def require_admin(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_admin:
            raise PermissionDenied()
        return fn(*args, **kwargs)

    return wrapper


def ensure_admin(user) -> None:
    """Services call this where only admins may act."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise NotAuthenticated()
    if not user.is_admin:
        raise PermissionDenied()


@login_manager.unauthorized_handler
def unauthorized():
    """401 JSON for the API; the login page (coming back here afterwards) for pages."""
    from flask import redirect, url_for

    from wilma.core.errors import wants_json

    if wants_json():
        raise NotAuthenticated()
    target = request.full_path if request.method == "GET" else "/"
    return redirect(url_for("accounts.login", next=target.rstrip("?")))


# --- group visibility: THE functions every read uses ------------------------------------------------------


def _is_user(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "active", False)


def member_roles(user) -> Mapping[int, str]:
    """``user``'s role in each group they are a member of (not deleted): one query per request, shared by
    ``member_group_ids``, ``group_role`` and the cards' moderation checks."""
    from wilma.extensions import db

    if not _is_user(user):
        return {}
    known = g.setdefault("wilma_member_groups", {}) if _has_g() else {}
    if user.id not in known:
        rows = db.session.execute(_member_roles_select(), {"user_id": user.id})
        known[user.id] = MappingProxyType(dict(rows.all()))  # shared by the request: read-only
    return known[user.id]


@cache
def _member_roles_select():
    """Built once (every page runs it)."""
    from sqlalchemy import bindparam, select

    from wilma.groups.models import Group, GroupMembership

    return select(GroupMembership.group_id, GroupMembership.role).join(Group).where(
        GroupMembership.user_id == bindparam("user_id"), Group.deleted_at.is_(None))


def member_group_ids(user) -> set[int]:
    """Groups ``user`` is a member of (not deleted)."""
    return set(member_roles(user))


def readable_group_ids(user) -> set[int]:
    """Groups whose CONTENT ``user`` may read: public groups and groups they are a member of.

    Feed, search, wiki, chat history, notifications and API lists all filter with this set.
    """
    from sqlalchemy import select

    from wilma.extensions import db
    from wilma.groups.models import PUBLIC, Group

    if not _is_user(user):
        return set()
    public = g.get("wilma_public_groups") if _has_g() else None
    if public is None:
        public = frozenset(db.session.scalars(select(Group.id).where(Group.visibility == PUBLIC,
                                                                     Group.deleted_at.is_(None))))
        if _has_g():
            g.wilma_public_groups = public
    return public | member_group_ids(user)


def can_read_group(user, group_id) -> bool:
    """The rule of ``readable_group_ids`` for one group: a live group that is public or has ``user`` as a
    member. Reads the group (usually already loaded) instead of the set of every public group."""
    return _group_allows(user, group_id, readable=True)


def can_see_group(user, group_id) -> bool:
    """The rule of ``visible_group_ids`` for one group: a live group that is not secret, or has ``user``
    as a member."""
    return _group_allows(user, group_id, readable=False)


def _group_allows(user, group_id, *, readable: bool) -> bool:
    from wilma.extensions import db
    from wilma.groups.models import PUBLIC, SECRET, Group

    if not _is_user(user) or not isinstance(group_id, int) or isinstance(group_id, bool):
        return False
    group = db.session.get(Group, group_id)
    if group is None or group.deleted_at is not None:
        return False
    open_to_all = group.visibility == PUBLIC if readable else group.visibility != SECRET
    return open_to_all or group_id in member_group_ids(user)


def readable_among(user, group_ids) -> set[int]:
    """Which of ``group_ids`` ``user`` may read: the rule of ``readable_group_ids``, asked for a few groups
    (the bell's unread count) without reading the set of every public group."""
    from sqlalchemy import select

    from wilma.extensions import db
    from wilma.groups.models import PUBLIC, Group

    if not _is_user(user):
        return set()
    wanted = set(group_ids)
    members = member_group_ids(user)
    rest = wanted - members
    public = set(db.session.scalars(select(Group.id).where(
        Group.id.in_(rest), Group.visibility == PUBLIC, Group.deleted_at.is_(None)))) if rest else set()
    return (wanted & members) | public


def visible_group_ids(user) -> set[int]:
    """Groups whose EXISTENCE ``user`` may know: public, private, and secret ones they belong to."""
    from sqlalchemy import select

    from wilma.extensions import db
    from wilma.groups.models import SECRET, Group

    if not _is_user(user):
        return set()
    open_groups = set(db.session.scalars(select(Group.id).where(Group.visibility != SECRET,
                                                                Group.deleted_at.is_(None))))
    return open_groups | member_group_ids(user)


def group_role(user, group_id: int) -> str | None:
    """``owner``, ``moderator``, ``member`` or ``None``."""
    from sqlalchemy import select

    from wilma.extensions import db
    from wilma.groups.models import GroupMembership

    if not _is_user(user):
        return None
    role = member_roles(user).get(group_id)
    if role is not None:
        return role
    return db.session.scalar(select(GroupMembership.role).where(  # a deleted group's members, or none
        GroupMembership.group_id == group_id, GroupMembership.user_id == user.id))


def forget_group_cache() -> None:
    """Call after membership, role or visibility changes within a request, so the sets above are computed
    again."""
    if _has_g():
        g.pop("wilma_member_groups", None)
        g.pop("wilma_public_groups", None)


def _has_g() -> bool:
    from flask import has_app_context

    return has_app_context()
