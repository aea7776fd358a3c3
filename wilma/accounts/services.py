"""Every write and permission decision about accounts: create, log in, sessions, passwords, profiles.

Sessions live on the server (``UserSession``): the cookie only names one. Ending a session deletes its
row and cuts off its open sockets, so logout everywhere, a password change and deactivation take effect
on the next request of every other browser, and at once for open sockets.
"""

import hashlib
import hmac
import re
import secrets

from flask import current_app, request, session
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from wilma.accounts.models import AccessToken, OrgUnit, ProfileExtra, User, UserSession
from wilma.core import realtime
from wilma.core.database import after_commit, commit
from wilma.core.errors import NotFound, PermissionDenied, ValidationError
from wilma.core.markdown import render_markdown
from wilma.core.models import utcnow
from wilma.extensions import db

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")
MIN_PASSWORD = 10
SESSION_KEY = "wilma_sid"
TOKEN_PREFIX = "wilma_"  # noqa: S105 - a prefix, not a secret
LIMITS = {"display_name": 120, "job_title": 200, "phone": 80, "room": 80, "about": 10_000, "email": 254}

# Checked when the username is unknown, so that both failures take the same time.
_DUMMY_HASH = generate_password_hash("never-the-password-" + secrets.token_hex(8))


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def hash_password(password: str) -> str:
    """scrypt, werkzeug's current default."""
    return generate_password_hash(password)


def check_password_rules(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError(_("The password must have at least %(n)d characters.", n=MIN_PASSWORD),
                              field="password")
    if len(password) > 1024:
        raise ValidationError(_("The password is too long."), field="password")


def _plugin_hook():
    return current_app.extensions["wilma_plugins"].hook


def _queue_search(user: User) -> None:
    """Queue the person's search entry for re-indexing in the current transaction."""
    from wilma.search.outbox import queue_index

    queue_index(f"people:{user.id}")


# --- creating and finding people -------------------------------------------------------------------------


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def create_user(username: str, password: str | None, *, email: str | None = None,
                display_name: str | None = None, is_admin: bool = False, auth_source: str = "local",
                **profile) -> User:
    """Create an account; ``password`` may be ``None`` for accounts of a login provider."""
    username = normalise_username(username)
    if not USERNAME_RE.match(username):
        raise ValidationError(
            _("Usernames use 2 to 80 lower-case letters, digits, dots, hyphens or underscores."),
            field="username")
    if password is not None:
        check_password_rules(password)
    email = (email or "").strip().lower() or None
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise ValidationError(_("The username %(u)s is taken.", u=username), field="username")
    if email and db.session.scalar(select(User.id).where(User.email == email)):
        raise ValidationError(_("The e-mail address is already in use."), field="email")
    user = User(username=username, email=email, display_name=(display_name or username).strip()[:120],
                password_hash=hash_password(password) if password else None, is_admin=is_admin,
                auth_source=auth_source)
    for key, value in profile.items():
        setattr(user, key, value)
    db.session.add(user)
    db.session.flush()
    _queue_search(user)
    after_commit(lambda: _plugin_hook().wilma_user_created(user=user))
    return user


def find_login(identifier: str) -> User | None:
    """The account of a username or e-mail address (case-insensitive)."""
    ident = (identifier or "").strip().lower()
    if not ident:
        return None
    return db.session.scalar(select(User).where(or_(User.username == ident, User.email == ident)))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


# --- logging in and sessions -----------------------------------------------------------------------------


def authenticate(identifier: str, password: str) -> User | None:
    """The person these credentials belong to, or ``None``; the same work is done for unknown users."""
    result = _plugin_hook().wilma_authenticate(username=(identifier or "").strip(), password=password or "")
    if result and not result.get("denied"):
        return _user_from_provider(result)
    user = find_login(identifier)
    if user is None or not user.password_hash or result:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    return user if user.active else None


def _user_from_provider(identity: dict) -> User | None:
    user = find_login(identity["username"])
    fields = {k: identity[k] for k in ("display_name", "job_title", "phone", "room") if identity.get(k)}
    if user is None:
        user = create_user(identity["username"], None, email=identity.get("email"),
                           auth_source=identity.get("source", "directory"), **fields)
    else:
        for key, value in fields.items():
            setattr(user, key, value[: LIMITS.get(key, 200)])
        _queue_search(user)
    commit()
    return user if user.active else None


def start_session(user: User) -> UserSession:
    """A fresh session for ``user``: the old cookie's contents are dropped (no session fixation)."""
    session.clear()
    raw = secrets.token_urlsafe(32)
    record = UserSession(token_hash=sha256(raw), user_id=user.id, ip=(request.remote_addr or "")[:64],
                         user_agent=(request.user_agent.string or "")[:255])
    db.session.add(record)
    user.last_login_at = utcnow()
    commit()
    session[SESSION_KEY] = raw
    session.permanent = True
    return record


def current_session() -> UserSession | None:
    """The live server-side session the cookie names, or ``None``."""
    raw = session.get(SESSION_KEY)
    if not raw:
        return None
    return db.session.scalar(select(UserSession).where(UserSession.token_hash == sha256(raw)))


def end_sessions(user: User, *, keep: UserSession | None = None) -> int:
    """End every session of ``user`` except ``keep``; their open sockets are cut off after commit."""
    query = select(UserSession).where(UserSession.user_id == user.id)
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    records = list(db.session.scalars(query))
    sids = realtime.socket_ids(user_id=user.id, session_ids=[r.id for r in records])
    for record in records:
        db.session.delete(record)
    after_commit(lambda: realtime.disconnect_sockets(sids))
    return len(records)


def logout(everywhere: bool = False) -> None:
    record = current_session()
    if record is not None:
        if everywhere:
            end_sessions(record.user)
        else:
            sids = realtime.socket_ids(user_id=record.user_id, session_ids=[record.id])
            db.session.delete(record)
            after_commit(lambda: realtime.disconnect_sockets(sids))
        commit()
    session.clear()


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password; every other session of the user ends."""
    if user.auth_source != "local":
        raise PermissionDenied(_("Your password is managed by your city's directory."))
    if not user.password_hash or not check_password_hash(user.password_hash, current_password or ""):
        raise ValidationError(_("The current password is not correct."), field="current_password")
    check_password_rules(new_password)
    user.password_hash = hash_password(new_password)
    end_sessions(user, keep=current_session())
    commit()


def set_active(user: User, active: bool) -> None:
    """Deactivate (ending every session and socket at once) or reactivate an account."""
    user.active = active
    _queue_search(user)
    if not active:
        end_sessions(user)
        for token in db.session.scalars(select(AccessToken).where(AccessToken.user_id == user.id)):
            db.session.delete(token)
    commit()


# --- API tokens ------------------------------------------------------------------------------------------


def create_token(user: User, name: str) -> tuple[AccessToken, str]:
    """A new personal access token; the plain value is returned once and never stored."""
    name = (name or "").strip()[:100] or _("API token")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken(user_id=user.id, name=name, token_hash=sha256(raw), prefix=raw[:12])
    db.session.add(token)
    commit()
    return token, raw


def revoke_token(user: User, token_id: int) -> None:
    token = db.session.get(AccessToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound()
    db.session.delete(token)
    commit()


def user_for_token(raw: str) -> User | None:
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(AccessToken).where(AccessToken.token_hash == sha256(raw)))
    if token is None or not hmac.compare_digest(token.token_hash, sha256(raw)) or not token.user.active:
        return None
    token.last_used_at = utcnow()
    return token.user


# --- profiles --------------------------------------------------------------------------------------------


def update_profile(user: User, data: dict, extra: dict | None = None) -> User:
    """Save the editable profile fields; ``extra`` holds plugin-defined fields by key."""
    for key in ("display_name", "job_title", "phone", "room", "about"):
        if key in data:
            value = data[key] if data[key] is not None else ""
            if len(value) > LIMITS[key]:
                raise ValidationError(_("At most %(n)d characters.", n=LIMITS[key]), field=key)
            setattr(user, key, value)
    if not (user.display_name or "").strip():
        raise ValidationError(_("Please enter a name."), field="display_name")
    if "email" in data:
        email = (data["email"] or "").strip().lower() or None
        if email and db.session.scalar(select(User.id).where(User.email == email, User.id != user.id)):
            raise ValidationError(_("The e-mail address is already in use."), field="email")
        user.email = email
    if "org_unit_id" in data:
        unit_id = data["org_unit_id"] or None
        if unit_id is not None and db.session.get(OrgUnit, unit_id) is None:
            raise ValidationError(_("Unknown organisation unit."), field="org_unit_id")
        user.org_unit_id = unit_id
    if "locale" in data:
        user.locale = data["locale"] if data["locale"] in ("de", "en") else None
    user.about_html = render_markdown(user.about)
    if extra:
        save_extra_fields(user, extra)
    _queue_search(user)
    commit()
    return user


def profile_field_definitions() -> list[dict]:
    """The extra profile fields of all enabled plugins."""
    fields = []
    for group in _plugin_hook().wilma_profile_fields():
        fields.extend(group or [])
    return fields


def extra_fields(user: User) -> dict[str, str]:
    rows = db.session.scalars(select(ProfileExtra).where(ProfileExtra.user_id == user.id))
    return {row.key: row.value for row in rows}


def save_extra_fields(user: User, values: dict) -> None:
    known = {f["key"]: f for f in profile_field_definitions()}
    current = {row.key: row for row in db.session.scalars(
        select(ProfileExtra).where(ProfileExtra.user_id == user.id))}
    for key, value in values.items():
        if key not in known:
            continue
        limit = known[key].get("max_length", 500)
        if len(value or "") > limit:
            raise ValidationError(_("At most %(n)d characters.", n=limit), field=key)
        if key in current:
            current[key].value = value or ""
        else:
            db.session.add(ProfileExtra(user_id=user.id, key=key, value=value or ""))


def search_people(query: str, limit: int = 20, after_id: int | None = None) -> list[User]:
    """Active people whose name, username, job title or unit contains every word of ``query``."""
    stmt = select(User).outerjoin(OrgUnit, User.org_unit_id == OrgUnit.id).where(User.active.is_(True))
    for word in (query or "").split()[:5]:
        like = f"%{word.lower()}%"
        stmt = stmt.where(or_(
            func.lower(User.display_name).like(like), func.lower(User.username).like(like),
            func.lower(User.job_title).like(like), func.lower(OrgUnit.name).like(like),
            func.lower(OrgUnit.short).like(like),
        ))
    if after_id:
        stmt = stmt.where(User.id > after_id)
    return list(db.session.scalars(stmt.order_by(User.id).limit(limit)))
